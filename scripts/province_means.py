"""Rule province_means: indicators -> each province's mean of upgrade over the sample years, its tier
and its rank (1 = highest mean): the numbers behind Figure 1."""


import pandas as pd

from _helpers import configure_logging, logger, mock_snakemake, write_csv
from tiers import assign_tiers

COLUMNS = ["code", "province", "mean_upgrade", "tier", "rank"]


def province_means(indicators: pd.DataFrame) -> pd.DataFrame:
    """code, province, mean_upgrade: the mean over all years present (the configured sample years)."""
    means = (indicators.groupby(["code", "province"], as_index=False, sort=True)["upgrade"].mean()
             .rename(columns={"upgrade": "mean_upgrade"}))
    return means


def rank_and_tier(means: pd.DataFrame, tiers: list[dict]) -> pd.DataFrame:
    """Add tier and rank (1 = highest; ties share the best rank); rows in rank order, then code."""
    out = means.copy()
    out["tier"] = assign_tiers(out["mean_upgrade"], tiers, names=out["province"])
    out["rank"] = out["mean_upgrade"].rank(ascending=False, method="min").astype(int)
    return out.sort_values(["rank", "code"], ignore_index=True)[COLUMNS]


def main(snakemake) -> None:
    configure_logging(snakemake)
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    table = rank_and_tier(province_means(indicators), snakemake.params.tiers)
    first, last = table.iloc[0], table.iloc[-1]
    logger.info("tiers: %s; highest %s %.3f, lowest %s %.3f",
                ", ".join(f"{t} {n}" for t, n in table["tier"].value_counts(sort=False).items()),
                first.province, first.mean_upgrade, last.province, last.mean_upgrade)
    write_csv(table, snakemake.output.means)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("province_means")
    main(snakemake)
