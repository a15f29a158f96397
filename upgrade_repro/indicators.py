"""Rule indicators: balanced panel -> the selected measures of structural upgrading (config
`indicators`; names, definitions and references in data/reference/indicators.yaml).

The paper's three (section 1.2.2):

    upgrade = tertiary / secondary
    service = tertiary / D
    cyig    = (1·primary + 2·secondary + 3·tertiary) / D

with D = GDP (the paper's definition; config share_denominator: gdp) or primary + secondary +
tertiary (share_denominator: sector_sum, which makes the three shares sum to exactly one).

With employment (section 1.2.1's other measures), Y_i value added and L_i employment of sector i,
Y = Y_1 + Y_2 + Y_3 and L = L_1 + L_2 + L_3 (the sums, so that equal productivity in every sector
gives exactly 0), s_i = Y_i / Y and r_i = (Y_i / L_i) / (Y / L):

    theil          = Σ s_i · ln r_i                 (干春晖, 郑若谷, 余典范 2011)
    deviation      = Σ |r_i − 1|                    (structural deviation, 结构偏离度)
    advancement_lp = Σ s_i · LP_i^N                 (刘伟, 张辉, 黄泽华 2008)

LP_i^N is r_i by default (productivity relative to the economy's); with a reference table
(config advancement_lp.reference) it is (LP_i − lp_start_i) / (lp_end_i − lp_start_i), LP_i in
万元 per person (亿元 / 万人).
A zero or non-finite denominator stops the run naming the raw file and line of each value it is
made of (results/data/panel_sources.csv, written by the clean stage); the clean stage's level check
(every level > 0, not relaxable) already stops such a panel, so this is a second line of defence.
"""

import numpy as np
import pandas as pd

from upgrade_repro.errors import ConfigError, ZeroDenominatorError, raw_place
from upgrade_repro.series import EMPLOYMENT, SECTORS, VALUE_ADDED

VARIABLES = ("upgrade", "service", "cyig")  # the paper's three: verify, claims and Figure 1 use them
# Every indicator the workflow computes, in the order of tables and figures (config `indicators`).
ALL_INDICATORS = (*VARIABLES, "theil", "deviation", "advancement_lp")
# Series each indicator needs (the catalogue's `series`; a test keeps them equal). The four
# value-added series are read for every run (the integrity checks need them all).
SERIES_NEEDED = {
    "upgrade": ("secondary", "tertiary"),
    "service": ("gdp", "tertiary"),
    "cyig": ("gdp", "primary", "secondary", "tertiary"),
    "theil": ("primary", "secondary", "tertiary", *EMPLOYMENT),
    "deviation": ("primary", "secondary", "tertiary", *EMPLOYMENT),
    "advancement_lp": ("primary", "secondary", "tertiary", *EMPLOYMENT),
}
REFERENCE_COLUMNS = ["sector", "lp_start", "lp_end"]


def required_series(indicators=VARIABLES) -> list[str]:
    """The panel series the selected indicators need: value added always, employment (by sector and
    in total, for its integrity check) when an indicator uses it."""
    needed = set(VALUE_ADDED).union(*(SERIES_NEEDED[i] for i in indicators))
    return [s for s in (*VALUE_ADDED, *EMPLOYMENT) if s in needed]


def indicator_columns(frame: pd.DataFrame) -> list[str]:
    """The indicators a table holds, in ALL_INDICATORS order (indicators.csv has the selected ones)."""
    return [v for v in ALL_INDICATORS if v in frame.columns]


def relative_productivity(panel: pd.DataFrame) -> tuple[dict, dict]:
    """Value-added shares s_i = Y_i / Y and relative labour productivities r_i = (Y_i / L_i) / (Y / L),
    Y and L the sums over the three sectors."""
    y = sum(panel[s] for s in SECTORS)
    employed = sum(panel[f"employed_{s}"] for s in SECTORS)
    share = {s: panel[s] / y for s in SECTORS}
    ratio = {s: (panel[s] / panel[f"employed_{s}"]) / (y / employed) for s in SECTORS}
    return share, ratio


def theil_index(panel: pd.DataFrame) -> pd.Series:
    """TL = Σ s_i · ln r_i: 0 when every sector has the economy's productivity, higher = less rational."""
    share, ratio = relative_productivity(panel)
    return sum(share[s] * np.log(ratio[s]) for s in SECTORS)


def structural_deviation(panel: pd.DataFrame) -> pd.Series:
    """E = Σ |r_i − 1|: 0 when every sector has the economy's productivity, higher = less rational."""
    _, ratio = relative_productivity(panel)
    return sum((ratio[s] - 1).abs() for s in SECTORS)


def load_lp_reference(path) -> pd.DataFrame:
    """The reference productivities of advancement_lp (config advancement_lp.reference): one row per
    sector (primary, secondary, tertiary), lp_start and lp_end in 万元 per person, lp_end > lp_start."""
    table = pd.read_csv(path, comment="#")
    missing = [c for c in REFERENCE_COLUMNS if c not in table.columns]
    sectors = sorted(table["sector"]) if "sector" in table.columns else []
    if missing or sectors != sorted(SECTORS):
        raise ConfigError(
            f"needs columns {REFERENCE_COLUMNS} and one row for each of {list(SECTORS)}; "
            f"missing columns {missing}, sectors {sectors}",
            file=str(path),
        )
    table = table.set_index("sector")[["lp_start", "lp_end"]].astype(float)
    bad = table.index[~(table["lp_end"] > table["lp_start"])]
    if len(bad):
        raise ConfigError(f"lp_end must exceed lp_start; not so for {list(bad)}", file=str(path))
    return table


def advancement_lp(panel: pd.DataFrame, reference: pd.DataFrame | None = None) -> pd.Series:
    """H = Σ s_i · LP_i^N. Without `reference`, LP_i^N = r_i (the sector's productivity relative to
    the economy's; H = 1 when all are equal); with it (load_lp_reference), LP_i^N =
    (LP_i − lp_start) / (lp_end − lp_start), LP_i = Y_i / L_i in 万元 per person."""
    share, ratio = relative_productivity(panel)
    if reference is None:
        return sum(share[s] * ratio[s] for s in SECTORS)
    lp = {s: panel[s] / panel[f"employed_{s}"] for s in SECTORS}  # 亿元 / 万人 = 万元 per person
    ref = reference
    return sum(
        share[s] * (lp[s] - ref.at[s, "lp_start"]) / (ref.at[s, "lp_end"] - ref.at[s, "lp_start"]) for s in SECTORS
    )


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
    panel: pd.DataFrame,
    share_denominator: str = "gdp",
    sources: pd.DataFrame | None = None,
    indicators=VARIABLES,
    lp_reference: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The selected indicators per province-year, one column each in ALL_INDICATORS order.
    `sources` (code, year, indicator, source, line) lets a zero denominator be named by its raw file
    and line; `lp_reference` normalises advancement_lp (see advancement_lp)."""
    unknown = [i for i in indicators if i not in ALL_INDICATORS]
    if unknown:
        raise ValueError(f"unknown indicator(s) {unknown}; known: {list(ALL_INDICATORS)}")
    if share_denominator == "gdp":
        denominator, parts = panel["gdp"], ["gdp"]
    elif share_denominator == "sector_sum":
        parts = ["primary", "secondary", "tertiary"]
        denominator = panel["primary"] + panel["secondary"] + panel["tertiary"]
    else:
        raise ValueError(f"share_denominator must be 'gdp' or 'sector_sum', not {share_denominator!r}")
    denominators = {"secondary": (panel["secondary"], ["secondary"]), share_denominator: (denominator, parts)}
    uses_employment = any(set(SERIES_NEEDED[i]) & set(EMPLOYMENT) for i in indicators)
    if uses_employment:
        denominators.update({f"employed_{s}": (panel[f"employed_{s}"], [f"employed_{s}"]) for s in SECTORS})
        # a zero sector's value added would be a zero productivity: ln 0 in theil
        denominators.update({s: (panel[s], [s]) for s in SECTORS})
    require_nonzero_denominators(panel, denominators, sources)
    formulas = {
        "upgrade": lambda: panel["tertiary"] / panel["secondary"],
        "service": lambda: panel["tertiary"] / denominator,
        "cyig": lambda: (panel["primary"] + 2 * panel["secondary"] + 3 * panel["tertiary"]) / denominator,
        "theil": lambda: theil_index(panel),
        "deviation": lambda: structural_deviation(panel),
        "advancement_lp": lambda: advancement_lp(panel, lp_reference),
    }
    out = panel[["code", "province", "year"]].copy()
    for name in ALL_INDICATORS:
        if name in indicators:
            out[name] = formulas[name]()
    return out
