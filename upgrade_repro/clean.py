"""Rule clean: tidy long table -> balanced province-year panel in 亿元 (results/data/panel.csv).

Steps, each a function: map region names to GB/T 2260 codes (aggregates dropped and logged,
unknown names an error); drop regions outside the sample (Hong Kong, Macao, Taiwan always; config
`exclude_regions`); convert units to 亿元; each raw file's data vintage and, for a sample across
two vintages, the stop or config `vintage.policy` (upgrade_repro/vintage.py); merge several files
(identical values once, conflicting values an error unless config `vintage.winner` names the file
that wins); keep the configured years; require a balanced panel; then the integrity checks of
upgrade_repro/checks.py on the panel's cells, each still with its raw file and line (every level > 0,
sectors summing to GDP, plausible year-on-year ratios; relaxed only by config `checks`). Writes the
panel, the checks run (results/checks/data_checks.csv), the cells accepted by config
(accepted_cells.csv), the raw file, line, vintage and treatment of every panel cell
(results/data/panel_sources.csv, for the indicators stage) and the vintages (scripts/clean.py).
"""

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd

from upgrade_repro.checks import DEFAULT_SETTINGS, NATIONAL_COLUMNS, run_integrity_checks
from upgrade_repro.errors import (
    ConfigError,
    DuplicateCellError,
    MissingIndicatorError,
    UnbalancedPanelError,
    UnknownRegionError,
    UnknownUnitError,
    VintageConflictError,
)
from upgrade_repro.regions import aggregate_names, name_lookup, normalise_name, resolve_codes, table_name
from upgrade_repro.series import EMPLOYMENT, SERIES, VALUE_ADDED, panel_unit, unit_factors
from upgrade_repro.vintage import (
    SAME_VALUE_RTOL,
    Resolution,
    bare_message,
    cell_treatments,
    compare_files,
    file_vintages,
    overlap_cells,
    panels_by_choice,
    resolve_vintages,
    revision_summary,
    revisions,
    year_ranges,
)

logger = logging.getLogger(__name__)

PANEL_COLUMNS = ["code", "province", "year", *VALUE_ADDED]


def _normalised(names: pd.Series) -> dict[str, str]:
    """name -> normalise_name(name), computed once per distinct name (a county panel has 10^5 rows)."""
    return {name: normalise_name(name) for name in names.unique()}


def map_region_codes(long: pd.DataFrame, regions: pd.DataFrame, aggregates: pd.DataFrame) -> pd.DataFrame:
    """Add `code`; drop aggregate rows (logged per name); unknown names fail, all listed."""
    keys = long["region"].map(_normalised(long["region"]))
    is_aggregate = keys.isin(aggregate_names(aggregates))
    for name, n in long.loc[is_aggregate, "region"].value_counts(sort=False).items():
        logger.warning("dropped %d row(s) of aggregate %r (not a province)", n, name)
    long = long[~is_aggregate].copy()
    long["code"] = keys[~is_aggregate].map(name_lookup(regions))
    unknown = long[long["code"].isna()].drop_duplicates("region")
    if len(unknown):
        listed = "; ".join(f"{r.region!r} ({r.source} line {r.line})" for r in unknown.itertuples())
        raise UnknownRegionError(
            f"{len(unknown)} region name(s) not in {table_name(regions)}: {listed}",
            file=", ".join(unknown["source"].unique()),
        )
    return long


def national_rows(long: pd.DataFrame, aggregates: pd.DataFrame, series) -> pd.DataFrame:
    """The national total rows (aggregates of meaning 'national total': 全国, 中国, ...) of
    `series`, in panel units (NATIONAL_COLUMNS), kept aside before map_region_codes drops them:
    the magnitude checks compare each province with them."""
    names = {normalise_name(n) for n in aggregates.loc[aggregates["meaning"] == "national total", "name"]}
    rows = long[long["region"].map(_normalised(long["region"])).isin(names) & long["indicator"].isin(list(series))]
    rows = rows[rows["value"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=NATIONAL_COLUMNS)
    return convert_to_yi_yuan(rows)[NATIONAL_COLUMNS].reset_index(drop=True)


def check_years_in_data(long: pd.DataFrame, years: dict) -> None:
    """config years within the years the data cover (any sample cell): else one ConfigError line
    naming the key, the years present and what to set (in place of a list of every missing cell)."""
    present = long.loc[long["value"].notna(), "year"]
    if present.empty:
        return
    first, last = int(present.min()), int(present.max())
    start, end = years["start"], years["end"]
    fixes, keys = [], []
    if start < first:
        keys.append(f"years.start: {start}")
        fixes.append(f"years.start to at least {first}")
    if end > last:
        keys.append(f"years.end: {end}")
        fixes.append(f"years.end to at most {last}")
    if keys:
        raise ConfigError(
            f"config key {' and '.join(keys)}, but the data cover {first}-{last}; set "
            f"{' and '.join(fixes)} or use years: auto",
            file=", ".join(long["source"].unique()),
        )


def drop_outside_sample(long: pd.DataFrame, regions: pd.DataFrame, exclude_codes) -> pd.DataFrame:
    """Hong Kong, Macao and Taiwan are never in the sample; `exclude_codes` are left out by config."""
    names = regions.set_index("code")["name_short"]
    outside = set(regions.loc[~regions["mainland"], "code"]) | set(exclude_codes)
    dropped = long["code"].isin(outside)
    for code, n in long.loc[dropped, "code"].value_counts().sort_index().items():
        why = "excluded by config exclude_regions" if code in exclude_codes else "outside the mainland sample"
        logger.info("dropped %d row(s) of %s (%s)", n, names[code], why)
    return long[~dropped]


def convert_to_yi_yuan(long: pd.DataFrame) -> pd.DataFrame:
    """Value added in 亿元, employment in 万人; a unit with no known factor for its series fails
    naming file, indicator and unit."""
    keys = long["unit"].map(_normalised(long["unit"]))
    factors = pd.Series(
        [unit_factors(i).get(k) for i, k in zip(long["indicator"], keys)], index=long.index, dtype="float64"
    )
    if factors.isna().any():
        bad = long[factors.isna()].drop_duplicates(["source", "indicator_raw"])
        listed = "; ".join(
            f"{r.indicator_raw!r} has unit {r.unit!r} ({r.source} line {r.line})" for r in bad.itertuples()
        )
        raise UnknownUnitError(
            f"expected 亿元, 万元 or 元 (value added), 万人 or 人 (employment): {listed}",
            file=", ".join(bad["source"].unique()),
        )
    long = long.copy()
    long["value"] = long["value"] * factors
    long["unit_raw"] = long["unit"]  # the file's label, for the magnitude check's "likely unit"
    long["unit"] = long["indicator"].map(panel_unit)
    return long


def keep_series(long: pd.DataFrame, series) -> pd.DataFrame:
    """Only the series the selected indicators need; employment read but not needed is dropped
    (logged), so the default panel is the value-added panel whatever the extracts hold."""
    unused = sorted(set(long["indicator"]) - set(series))
    if unused:
        logger.info("series read but not needed by the selected indicators, left out: %s", unused)
    return long[long["indicator"].isin(list(series))]


def merge_sources(long: pd.DataFrame, vintage_winner: str | None = None) -> pd.DataFrame:
    """One value per (code, year, indicator): duplicates within a file are an error; the same value
    from two files (an old extract plus a new year) is kept once; different values are a conflict,
    unless `vintage_winner` (config vintage.winner) names the file whose values win: then its value is kept and
    the overridden cells are logged as a warning."""
    key = ["code", "year", "indicator"]
    dup = long.duplicated(key + ["source"], keep=False)
    if dup.any():
        rows = long[dup].sort_values(key + ["line"])
        listed = "; ".join(f"{r.region} {r.year} {r.indicator} (line {r.line})" for r in rows.head(10).itertuples())
        raise DuplicateCellError(
            f"{int(dup.sum())} rows repeat a (region, year, indicator): {listed}",
            file=", ".join(rows["source"].unique()),
        )
    repeated = long[long.duplicated(key, keep=False)]
    if len(repeated):
        spread = repeated.groupby(key)["value"].agg(["min", "max"])
        differs = (spread["max"] - spread["min"]).abs() > SAME_VALUE_RTOL * spread["max"].abs()
        if differs.any() and vintage_winner is not None:
            long, differs = _apply_winner(long, repeated, differs, vintage_winner)
        if differs.any():
            cells = repeated.set_index(key).loc[differs[differs].index].reset_index()
            listed = "; ".join(
                f"{g['region'].iloc[0]} ({c}) {y} {i}: "
                + ", ".join(f"{v:g} in {s} line {n}" for s, v, n in zip(g["source"], g["value"], g["line"]))
                for (c, y, i), g in list(cells.groupby(key))[:10]
            )
            more = f" and {int(differs.sum()) - 10} more" if differs.sum() > 10 else ""
            raise VintageConflictError(
                f"{int(differs.sum())} cell(s) differ between files (data "
                f"vintages?): {listed}{more}; set config vintage.winner to the "
                f"file whose values should win",
                file=", ".join(cells["source"].unique()),
            )
        logger.info("%d cell(s) appear in more than one file with the same value; kept once", len(spread))
    return long.drop_duplicates(key, keep="first")


def _apply_winner(long, repeated, differs, winner):
    """Conflicting cells that the winning file gives: keep only its row. Returns the table and the
    conflicts left (cells the winner does not give)."""
    key = ["code", "year", "indicator"]
    winner = os.path.realpath(winner)  # config and raw_long may spell the path differently
    is_winner = repeated["source"].map(os.path.realpath) == winner
    conflicted = repeated.set_index(key).index.isin(differs[differs].index)
    settled = repeated[conflicted & is_winner].set_index(key).index
    losers = repeated.index[conflicted & ~is_winner & repeated.set_index(key).index.isin(settled)]
    if len(settled):
        cells = "; ".join(f"{c} {y} {i}" for c, y, i in list(settled)[:10])
        logger.warning(
            "%d cell(s) differ between files; kept the values of %s (config vintage.winner): %s%s",
            len(settled),
            winner,
            cells,
            " ..." if len(settled) > 10 else "",
        )
    return long.drop(index=losers), differs & ~differs.index.isin(settled)


def balanced_span(long: pd.DataFrame, codes, series=VALUE_ADDED) -> tuple[int, int]:
    """The longest run of consecutive years in which every province has all the series.

    `long` has one row per (code, year, indicator) (see merge_sources), so a year is complete when
    it has len(codes) x len(series) non-missing values.
    """
    rows = long[long["code"].isin(codes) & long["value"].notna() & long["indicator"].isin(list(series))]
    per_year = rows.groupby("year").size()
    complete = sorted(per_year[per_year == len(codes) * len(series)].index)
    best, run_start = None, None
    for i, year in enumerate(complete):
        if i == 0 or year != complete[i - 1] + 1:
            run_start = year
        if best is None or year - run_start > best[1] - best[0]:
            best = (run_start, year)
    if best is None:
        raise UnbalancedPanelError(
            f"years: auto found no year with all of {list(series)} for every province",
            file=", ".join(long["source"].unique()),
        )
    return best


def require_balanced(long: pd.DataFrame, codes, years, names, series=VALUE_ADDED) -> pd.DataFrame:
    """Wide panel of `codes` x `years` x `series`; any missing cell fails, every one listed."""
    present = set(long["indicator"].unique())
    absent = [i for i in series if i not in present]
    if absent:
        raise MissingIndicatorError(
            f"no rows for series {absent}; the extracts must give GDP and the three sectors' value added"
            + (
                " and, for the selected indicators, employment by sector and in total"
                if set(series) & set(EMPLOYMENT)
                else ""
            ),
            file=", ".join(long["source"].unique()),
        )
    wide = long.pivot(index=["code", "year"], columns="indicator", values="value")
    full = pd.MultiIndex.from_product([sorted(codes), list(years)], names=["code", "year"])
    wide = wide.reindex(index=full, columns=list(series))
    gaps = wide.isna().stack()
    gaps = gaps[gaps].reset_index()
    if len(gaps):
        lines = [
            f"{names[c]} ({c}) {ind}: {year_ranges(g['year'])}"
            for (c, ind), g in gaps.groupby(["code", "indicator"], sort=True)
        ]
        raise UnbalancedPanelError(
            f"{len(gaps)} missing cell(s) (no row, or a missing-value marker): " + "; ".join(lines),
            file=", ".join(long["source"].unique()),
        )
    panel = wide.reset_index()
    panel.insert(1, "province", panel["code"].map(names))
    return panel[["code", "province", "year", *series]]


SOURCE_COLUMNS = ["code", "year", "indicator", "source", "line"]


@dataclass
class CleanResult:
    panel: pd.DataFrame  # PANEL_COLUMNS
    data_checks: pd.DataFrame  # checks.SUMMARY_COLUMNS: every check run
    accepted: pd.DataFrame  # checks.ACCEPTED_COLUMNS: failing cells accepted by config
    sources: pd.DataFrame  # SOURCE_COLUMNS + vintage, treatment: raw file, line and vintage of every panel cell
    vintages: pd.DataFrame | None = None  # vintage.VINTAGE_COLUMNS: each raw file's vintage and evidence
    pairs: pd.DataFrame | None = None  # vintage.compare_files: the files giving common cells, compared
    revisions: pd.DataFrame | None = None  # vintage.REVISION_COLUMNS: every cell two vintages give
    resolution: Resolution | None = None  # what config vintage.policy made of the files
    panels: dict | None = None  # across vintages: choice -> panel, or why the choice is not possible


def clean_stage(
    long,
    regions,
    aggregates,
    exclude_regions,
    years,
    vintage_winner=None,
    checks=DEFAULT_SETTINGS,
    series=VALUE_ADDED,
    unit="province",
    *,
    vintage_policy="stop",
    link_year=None,
    registry=None,
    notes=None,
    files=None,
    log_file=None,
) -> CleanResult:
    """The clean stage as one function: tidy long table -> balanced wide panel of `series` (what
    the selected indicators need, indicators.required_series) that passed the integrity checks
    (`checks`: config checks; `unit`: config unit).

    Data vintages (upgrade_repro/vintage.py): each raw file's vintage from `registry` (file -> the
    registry's vintage text: registry.raw_vintages), its revision `notes` (vintage.notes_table, as
    ingest writes them) and the values; a sample across two known vintages stops
    (`vintage_policy` stop) or is resolved by the chosen policy (`link_year`), before the files
    are merged cell by cell (`vintage_winner`: config vintage.winner, between files of one
    vintage). `files`: the raw files in config order (default: the long table's sources);
    `log_file`: the stage's log, which the stop's message names for the revision by province."""
    series = [s for s in SERIES if s in series]
    exclude_codes = resolve_codes(exclude_regions, regions, "exclude_regions")
    n_files = long["source"].nunique()
    files = list(pd.unique(long["source"])) if files is None else list(files)
    national = national_rows(long, aggregates, series)
    long = map_region_codes(long, regions, aggregates)
    long = drop_outside_sample(long, regions, exclude_codes)
    long = convert_to_yi_yuan(keep_series(long, series))
    names = regions.set_index("code")["name_short"]
    in_sample = regions["mainland"] & ~regions["code"].isin(exclude_codes)
    codes = list(regions.loc[in_sample, "code"])
    pairs = compare_files(overlap_cells(long))
    vintages = file_vintages(files, registry or {}, notes, long, pairs)
    for row in vintages.itertuples():
        logger.info("vintage of %s: %s (%s)", row.file, row.vintage, row.basis)
    try:
        resolution = resolve_vintages(long, vintages, vintage_policy, link_year, years, vintage_winner, dict(names))
    except VintageConflictError as error:
        rev = revisions(long, vintages)
        _log_revisions(rev, names)
        if rev.empty or not log_file:
            raise
        text, see = bare_message(error), "See docs/updating.md."
        text = text.replace(see, f"The revision by province and series: {log_file}. {see}")
        raise VintageConflictError(text, file=error.file, where=error.where) from None

    def build(rows):
        return _checked_panel(
            rows, vintage_winner, codes, years, names, series, checks, regions, n_files, national, unit
        )

    result = build(resolution.long)
    panels = None
    if resolution.across:
        _log_revisions(resolution.revisions, names)
        logger.info("the panel under each choice of vintage.policy (Table 1 side by side in the report):")
        with _quiet():
            panels = panels_by_choice(long, vintages, lambda rows: build(rows).panel, years, link_year, vintage_winner)
        for choice, panel in panels.items():
            logger.info("  %s: %s", choice, f"{len(panel)} rows" if isinstance(panel, pd.DataFrame) else panel)
    result.sources = cell_treatments(result.sources, vintages, resolution)
    result.vintages, result.pairs, result.resolution, result.panels = vintages, pairs, resolution, panels
    result.revisions = resolution.revisions if resolution.across else revisions(long, vintages)
    return result


@contextmanager
def _quiet():
    """The clean stage's info messages held back (warnings pass): the panels under the other
    choices repeat the steps the run's own panel logged."""
    loggers = [logger, logging.getLogger("upgrade_repro.checks"), logging.getLogger("upgrade_repro.vintage")]
    levels = [x.level for x in loggers]
    for x in loggers:
        x.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for x, level in zip(loggers, levels):
            x.setLevel(level)


def _log_revisions(rev: pd.DataFrame, names) -> None:
    """The revision on the overlap per province and series in the log, one line per province and
    pair of vintages (the stop's message gives it per series)."""
    summary = revision_summary(rev, by=("code", "indicator"))
    for (older, newer), part in summary.groupby(["older", "newer"], sort=False):
        logger.info(
            "revision on the overlap by province, %s against %s (median %%, largest %% and its year):", newer, older
        )
        for code, g in part.groupby("code", sort=True):
            logger.info(
                "  %s (%s): %s",
                names.get(code, code),
                code,
                "; ".join(
                    f"{s.indicator} {s.median_pct:+.2f} ({s.largest_pct:+.2f} {s.largest_year}, {s.cells} cells)"
                    for s in g.itertuples()
                ),
            )


def _checked_panel(long, winner, codes, years, names, series, checks, regions, n_files, national, unit) -> CleanResult:
    """The rows the panel is built from (after the vintages are resolved) -> the checked balanced
    panel: files merged, years kept (config years, or the longest balanced span), every cell
    present, the integrity checks."""
    long = merge_sources(long, winner)
    if years == "auto":
        start, end = balanced_span(long, codes, series)
        logger.info("years: auto -> %d-%d, the longest balanced span", start, end)
    else:
        check_years_in_data(long[long["code"].isin(codes)], years)
        start, end = years["start"], years["end"]
    long = long[long["year"].between(start, end) & long["code"].isin(codes)]
    panel = require_balanced(long, codes, range(start, end + 1), names, series)
    full_sample = unit == "province" and len(codes) >= int(regions["mainland"].sum()) - 1
    data_checks, accepted = run_integrity_checks(
        long,
        names,
        checks,
        regions,
        n_files,
        national[national["year"].between(start, end)],
        province=unit == "province",
        full_sample=full_sample,
    )
    logger.info("panel: %d provinces x %d years = %d rows", len(codes), end - start + 1, len(panel))
    sources = long[SOURCE_COLUMNS].sort_values(["code", "year", "indicator"]).reset_index(drop=True)
    return CleanResult(panel, data_checks, accepted, sources)


def build_panel(*args, **kwargs) -> pd.DataFrame:
    """The checked balanced panel alone: clean_stage's arguments, its `panel`."""
    return clean_stage(*args, **kwargs).panel
