"""Rule province_means: each province's mean of upgrade over the sample years, its tier (config
figure.tiers, upgrade_repro/tiers.py) and its rank: the numbers behind Figure 1."""

import pandas as pd

from upgrade_repro.tiers import assign_tiers

COLUMNS = ["code", "province", "mean_upgrade", "tier", "rank"]


def province_means(indicators: pd.DataFrame) -> pd.DataFrame:
    """code, province, mean_upgrade: the mean over all years present (the configured sample years)."""
    means = (
        indicators.groupby(["code", "province"], as_index=False, sort=True)["upgrade"]
        .mean()
        .rename(columns={"upgrade": "mean_upgrade"})
    )
    return means


def rank_and_tier(means: pd.DataFrame, tiers: list[dict]) -> pd.DataFrame:
    """Add tier and rank (1 = highest; ties share the best rank); rows in rank order, then code."""
    out = means.copy()
    out["tier"] = assign_tiers(out["mean_upgrade"], tiers, names=out["province"])
    out["rank"] = out["mean_upgrade"].rank(ascending=False, method="min").astype(int)
    return out.sort_values(["rank", "code"], ignore_index=True)[COLUMNS]
