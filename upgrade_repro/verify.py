"""Rule verify: reproduced Table 1 against the paper's published numbers.

For every statistic: published, reproduced, difference, tolerance, within tolerance; for every
min and max, where it occurs (province and year). The tolerance is half a unit of the last
published decimal (0.0005 for 1.168) unless config verify.tolerance sets one for all statistics.
"""

import logging

import pandas as pd

from upgrade_repro.describe import STATISTICS
from upgrade_repro.errors import ToleranceError

logger = logging.getLogger(__name__)

CHECK_COLUMNS = [
    "variable",
    "statistic",
    "published",
    "reproduced",
    "difference",
    "tolerance",
    "within_tolerance",
    "where",
    "synthetic_data",
]


def read_published(path) -> pd.DataFrame:
    """Published Table 1 as long rows (variable, statistic, published, decimals).

    Values are read as text so that '0.500' keeps its three printed decimals."""
    wide = pd.read_csv(path, dtype=str)
    long = wide.melt(id_vars="variable", value_vars=list(STATISTICS), var_name="statistic", value_name="text")
    long["published"] = long["text"].astype(float)
    long["decimals"] = long["text"].str.partition(".")[2].str.len()
    return long.drop(columns="text")


def locate_extremes(indicators: pd.DataFrame, variable: str, statistic: str) -> str:
    """'<province> <year>' (all ties, '; '-separated) for the min or max of `variable`."""
    x = indicators[variable]
    target = x.min() if statistic == "min" else x.max()
    hits = indicators[x == target]
    return "; ".join(f"{r.province} {r.year}" for r in hits.itertuples())


def compare_with_published(
    table1: pd.DataFrame,
    published: pd.DataFrame,
    indicators: pd.DataFrame,
    tolerance: float | None = None,
    demo: bool = False,
) -> pd.DataFrame:
    reproduced = table1.melt(
        id_vars="variable", value_vars=list(STATISTICS), var_name="statistic", value_name="reproduced"
    )
    checks = published.merge(reproduced, on=["variable", "statistic"], how="left", validate="1:1")
    checks["difference"] = checks["reproduced"] - checks["published"]
    checks["tolerance"] = tolerance if tolerance is not None else 0.5 * 10.0 ** -checks["decimals"]
    # A hair of slack so that a value exactly half a unit away, stored in binary, still counts.
    checks["within_tolerance"] = checks["difference"].abs() <= checks["tolerance"] * (1 + 1e-9)
    checks["where"] = [
        locate_extremes(indicators, v, s) if s in ("min", "max") else ""
        for v, s in zip(checks["variable"], checks["statistic"])
    ]
    checks["synthetic_data"] = demo
    return checks[CHECK_COLUMNS]


def require_within_tolerance(checks: pd.DataFrame, source: str) -> None:
    """verify.strict: fail naming every statistic outside tolerance (checks: compare_with_published)."""
    bad = checks[~checks["within_tolerance"]]
    if len(bad):
        listed = "; ".join(
            f"{r.variable} {r.statistic}: published {r.published:g}, reproduced "
            f"{r.reproduced:.6f}, difference {r.difference:+.6f} (tolerance {r.tolerance:g})"
            for r in bad.itertuples()
        )
        demo = " (demo data: synthetic, never expected to match)" if checks["synthetic_data"].any() else ""
        raise ToleranceError(
            f"verify.strict is true and {len(bad)} of {len(checks)} statistics are outside tolerance{demo}: {listed}",
            file=source,
        )
