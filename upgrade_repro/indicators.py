"""Rule indicators: balanced panel -> the paper's three measures of structural upgrading.

    upgrade = tertiary / secondary
    service = tertiary / D
    cyig    = (1·primary + 2·secondary + 3·tertiary) / D

with D = GDP (the paper's definition; config share_denominator: gdp) or primary + secondary +
tertiary (share_denominator: sector_sum, which makes the three shares sum to exactly one).
"""


import numpy as np
import pandas as pd

from upgrade_repro.errors import InputError

VARIABLES = ("upgrade", "service", "cyig")


def compute_indicators(panel: pd.DataFrame, share_denominator: str = "gdp") -> pd.DataFrame:
    if share_denominator == "gdp":
        denominator = panel["gdp"]
    elif share_denominator == "sector_sum":
        denominator = panel["primary"] + panel["secondary"] + panel["tertiary"]
    else:
        raise ValueError(f"share_denominator must be 'gdp' or 'sector_sum', not {share_denominator!r}")
    out = panel[["code", "province", "year"]].copy()
    out["upgrade"] = panel["tertiary"] / panel["secondary"]
    out["service"] = panel["tertiary"] / denominator
    out["cyig"] = (panel["primary"] + 2 * panel["secondary"] + 3 * panel["tertiary"]) / denominator
    bad = ~np.isfinite(out[list(VARIABLES)]).all(axis=1)
    if bad.any():
        cells = "; ".join(f"{r.province} {r.year}" for r in out[bad].itertuples())
        raise InputError(f"an indicator is undefined (a zero denominator): {cells}", file="panel")
    return out
