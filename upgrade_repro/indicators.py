"""Rule indicators: balanced panel -> the paper's three measures of structural upgrading.

    upgrade = tertiary / secondary
    service = tertiary / D
    cyig    = (1·primary + 2·secondary + 3·tertiary) / D

with D = GDP (the paper's definition; config share_denominator: gdp) or primary + secondary +
tertiary (share_denominator: sector_sum, which makes the three shares sum to exactly one).
A zero or non-finite denominator stops the run naming the raw file and line of each value it is
made of (results/data/panel_sources.csv, written by the clean stage); the clean stage's level check
(every level > 0, not relaxable) already stops such a panel, so this is a second line of defence.
"""

import numpy as np
import pandas as pd

from upgrade_repro.errors import ZeroDenominatorError, raw_place

VARIABLES = ("upgrade", "service", "cyig")


def _num(value: float) -> str:
    return f"{value:.10g}"


def require_nonzero_denominators(panel: pd.DataFrame, denominators: dict, sources: pd.DataFrame | None):
    """Each denominator (name -> (Series aligned with panel, the panel columns it sums)) finite
    and non-zero; else ZeroDenominatorError naming the raw file and line of each value it is made
    of (`sources`: code, year, indicator, source, line, as written by the clean stage)."""
    bad_rows = []
    for name, (series, parts) in denominators.items():
        bad = ~np.isfinite(series) | (series == 0)
        bad_rows += [(i, name, parts) for i in panel.index[bad]]
    if not bad_rows:
        return
    where = {}
    if sources is not None:
        where = {(r.code, int(r.year), r.indicator): (r.source, r.line) for r in sources.itertuples()}
    listed, files = [], set()
    for i, name, parts in bad_rows:
        r = panel.loc[i]
        cells = []
        for p in parts:
            source_line = where.get((r["code"], int(r["year"]), p))
            files.add(source_line[0] if source_line else "panel")
            cells.append(f"{p} {_num(r[p])} ({raw_place(*source_line) if source_line else 'panel, no raw line known'})")
        listed.append(
            f"{r['province']} ({r['code']}) {r['year']}: denominator {name} is "
            f"{_num(sum(r[p] for p in parts))} from " + ", ".join(cells)
        )
    raise ZeroDenominatorError(
        f"an indicator is undefined (a zero denominator): {'; '.join(listed)}; fix these cells in the raw export",
        file=", ".join(sorted(files)),
    )


def compute_indicators(
    panel: pd.DataFrame, share_denominator: str = "gdp", sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The three indicators per province-year. `sources` (code, year, indicator, source, line)
    lets a zero denominator be named by its raw file and line."""
    if share_denominator == "gdp":
        denominator, parts = panel["gdp"], ["gdp"]
    elif share_denominator == "sector_sum":
        parts = ["primary", "secondary", "tertiary"]
        denominator = panel["primary"] + panel["secondary"] + panel["tertiary"]
    else:
        raise ValueError(f"share_denominator must be 'gdp' or 'sector_sum', not {share_denominator!r}")
    require_nonzero_denominators(
        panel, {"secondary": (panel["secondary"], ["secondary"]), share_denominator: (denominator, parts)}, sources
    )
    out = panel[["code", "province", "year"]].copy()
    out["upgrade"] = panel["tertiary"] / panel["secondary"]
    out["service"] = panel["tertiary"] / denominator
    out["cyig"] = (panel["primary"] + 2 * panel["secondary"] + 3 * panel["tertiary"]) / denominator
    return out
