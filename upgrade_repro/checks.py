"""Integrity checks of the panel's cells, run by the clean stage before any indicator.

Each check looks at the cells while every value still carries its raw file and line, and stops the
run with an error class of its own (errors.IntegrityError) that names every offending cell: region,
year, series, the values involved, the file and line of each, and what to do. The checks:

- levels_positive: GDP, each sector and, when the panel carries it, employment > 0 (a missing
  value exported as 0, a sign error). Not relaxable: a level <= 0 would also be a zero or negative
  denominator (or the log of one) of an indicator.
- sector_sum: primary + secondary + tertiary within `checks.sector_sum_tolerance_pct` % of GDP
  (a wrong unit or a lost decimal in one of the four cells).
- employment_sum (only when the selected indicators need employment): the three sectors'
  employment within `checks.employment_sum_tolerance_pct` % of total employment.
- year_on_year: each series' ratio to the previous year within `checks.year_on_year`
  [min_ratio, max_ratio] (a factor of 10 or 100 is a lost decimal or a wrong unit).
- magnitude: each level within the plausible range of one province, `checks.magnitude` (per
  series, in 亿元 or 万人; the lower bound for unit province only): a whole file in 万元 under a
  亿元 label passes every ratio check above but is 10^4 times too large. The error names the unit
  the value looks like.
- national_total (when an extract has the national row, 全国/中国, which the clean stage keeps
  aside before dropping it as an aggregate): each level below the national level of its series
  and year; and national_sum: the sample's sum within `checks.national_sum` of the national level
  (the lower bound only when the sample holds every mainland province but at most one).

A check is relaxed only by config: its threshold, or `checks.accept`, a list of cells each with a
reason. What was checked goes to results/checks/data_checks.csv (check, threshold, cells examined,
failed, accepted) and the accepted cells to results/checks/accepted_cells.csv; the report shows both.
"""

import logging

import pandas as pd

from upgrade_repro.errors import (
    ConfigError,
    MagnitudeError,
    NonPositiveLevelError,
    SectorSumError,
    YearOnYearError,
    raw_place,
)
from upgrade_repro.regions import name_lookup, normalise_name
from upgrade_repro.series import EMPLOYMENT, SECTORS, SERIES, VALUE_ADDED, panel_unit

logger = logging.getLogger(__name__)

# config `checks` when none is given (library use): the schema's defaults (a test keeps them equal).
DEFAULT_SETTINGS = {
    "sector_sum_tolerance_pct": 0.2,
    "employment_sum_tolerance_pct": 1.0,
    "year_on_year": {"min_ratio": 0.5, "max_ratio": 2.0},
    "magnitude": {
        "gdp": {"min": 10, "max": 400000},
        "primary": {"min": 1, "max": 30000},
        "secondary": {"min": 1, "max": 200000},
        "tertiary": {"min": 1, "max": 250000},
        "employed": {"min": 10, "max": 20000},
        "employed_primary": {"min": 1, "max": 15000},
        "employed_secondary": {"min": 1, "max": 15000},
        "employed_tertiary": {"min": 1, "max": 15000},
    },
    "national_sum": {"min_ratio": 0.9, "max_ratio": 1.25},
    "accept": [],
}
# Checks whose accepted cells name a series (region, year, series).
CELL_CHECKS = ("year_on_year", "magnitude", "national_total")
# The units a value of each kind may carry, with their factor to the panel unit (亿元, 万人): the
# magnitude check names the one that brings a value out of range back into it.
LIKELY_UNITS = {"亿元": [("亿元", 1.0), ("万元", 1e-4), ("元", 1e-8)], "万人": [("万人", 1.0), ("人", 1e-4)]}
LISTED = 10  # cells listed in a magnitude error (a whole file in a wrong unit fails in every cell)
EMPLOYED_SECTORS = EMPLOYMENT[:3]
SUMMARY_COLUMNS = ["check", "unit", "threshold", "config_key", "examined", "failed", "accepted"]
ACCEPTED_COLUMNS = ["check", "code", "province", "year", "series", "detail", "reason"]
# Checks the readers run on every file (upgrade_repro/ingest/): a file that fails one stops the ingest
# stage, so a run that reaches the clean stage has passed them all. Listed in data_checks.csv.
READER_CHECKS = [
    ("web_page", "no HTML markup at the top"),
    ("truncated", "text: no last line cut off (no newline and no footer, or a number shorter than its column's)"),
    ("decimal_comma", "a comma in a number is a valid thousands grouping, or the whole file uses decimal commas"),
    ("second_block", "no data after the footer"),
]


def num(value: float) -> str:
    return f"{value:.10g}"


def cell_table(long: pd.DataFrame) -> pd.DataFrame:
    """The panel's cells with their provenance, wide: index (code, year), columns (field, series)
    with field one of value, source, line."""
    fields = ["value", "source", "line"] + (["unit_raw"] if "unit_raw" in long else [])
    return long.pivot(index=["code", "year"], columns="indicator", values=fields)


def resolve_accepted(accept, regions: pd.DataFrame) -> pd.DataFrame:
    """config checks.accept -> one row per entry: check, code, year, series ('' for sector_sum),
    reason. A region not in the code table is an error naming the entry."""
    lookup = name_lookup(regions)
    codes = set(regions["code"])
    rows = []
    for i, entry in enumerate(accept or []):
        region = str(entry["region"])
        code = region if region in codes else lookup.get(normalise_name(region))
        if code is None:
            raise ConfigError(
                f"region {region!r} is not a name or code of the code table", file="config", where=f"checks.accept[{i}]"
            )
        if entry["check"] in CELL_CHECKS and not entry.get("series"):
            raise ConfigError(
                f"a {entry['check']} entry needs series (gdp, primary, secondary, tertiary or an employment series)",
                file="config",
                where=f"checks.accept[{i}]",
            )
        rows.append(
            {
                "check": entry["check"],
                "code": code,
                "year": int(entry["year"]),
                "series": entry["series"] if entry["check"] in CELL_CHECKS else "",
                "reason": entry["reason"],
            }
        )
    return pd.DataFrame(rows, columns=["check", "code", "year", "series", "reason"])


def _summary(check, unit, threshold, config_key, examined, failed, accepted) -> dict:
    return dict(zip(SUMMARY_COLUMNS, [check, unit, threshold, config_key, int(examined), int(failed), int(accepted)]))


def _where(cells: pd.DataFrame, code, year, series) -> str:
    return raw_place(cells.loc[(code, year), ("source", series)], cells.loc[(code, year), ("line", series)])


def series_of(cells: pd.DataFrame) -> list[str]:
    """The series the panel's cells hold, in SERIES order."""
    present = set(cells["value"].columns)
    return [s for s in SERIES if s in present]


def check_levels_positive(cells: pd.DataFrame, names) -> dict:
    """Every GDP, sector and employment value > 0; else NonPositiveLevelError listing each cell."""
    values = cells["value"][series_of(cells)]
    bad = (values <= 0).stack()
    bad = bad[bad]
    if len(bad):
        listed = "; ".join(
            f"{names[c]} ({c}) {y} {s} = {num(values.loc[(c, y), s])} ({_where(cells, c, y, s)})"
            for (c, y, s) in bad.index
        )
        raise NonPositiveLevelError(
            f"{len(bad)} value(s) <= 0, where GDP, value added and employment must be positive: {listed}. A zero is "
            f"often a missing value exported as 0, a negative number a sign error: fix the export (a "
            f"missing value should be empty or '--'). This check cannot be relaxed.",
            file=", ".join(sorted({cells.loc[(c, y), ("source", s)] for c, y, s in bad.index})),
        )
    return _summary("levels_positive", "cells", "> 0", "", values.size, 0, 0)


def _check_sum(
    cells, names, parts, total, total_label, unit, involved, tolerance_pct, accepted, check, key, what, advice
):
    """|sum(parts) / total - 1| <= tolerance_pct %, per province-year; else SectorSumError listing
    each cell not accepted under `check`. Returns (summary, accepted records)."""
    v = cells["value"]
    sums = v[list(parts)].sum(axis=1)
    gap = 100 * (sums / v[total] - 1)
    fails = gap.index[gap.abs() > tolerance_pct]
    ok = set(zip(*[accepted.loc[accepted["check"] == check, k] for k in ("code", "year")]))
    is_ok = [(c, y) in ok for c, y in fails]
    threshold = f"abs(sum / {total_label} - 1) <= {num(tolerance_pct)} %"

    def detail(c, y):
        return (
            " + ".join(f"{s} {num(v.loc[(c, y), s])}" for s in parts)
            + f" = {num(sums[(c, y)])}{unit} against {total_label} {num(v.loc[(c, y), total])}: {gap[(c, y)]:+.3f} %"
        )

    refused = [cy for cy, a in zip(fails, is_ok) if not a]
    if refused:
        listed = "; ".join(
            f"{names[c]} ({c}) {y}: {detail(c, y)} ("
            + ", ".join(f"{s} {_where(cells, c, y, s)}" for s in involved)
            + ")"
            for c, y in refused
        )
        raise SectorSumError(
            f"{len(refused)} province-year(s) whose {what} within {num(tolerance_pct)} %: {listed}. {advice}",
            file=", ".join(sorted({cells.loc[cy, ("source", s)] for cy in refused for s in involved})),
        )
    records = [_accepted_record(accepted, check, c, y, "", names, detail(c, y)) for (c, y), a in zip(fails, is_ok) if a]
    return _summary(check, "province-years", threshold, key, len(gap), len(fails), len(records)), records


def check_sector_sums(cells: pd.DataFrame, names, tolerance_pct: float, accepted: pd.DataFrame):
    """|(primary + secondary + tertiary) / GDP - 1| <= tolerance_pct %, per province-year; else
    SectorSumError listing each cell not accepted. Returns (summary, accepted records)."""
    return _check_sum(
        cells, names, SECTORS, "gdp", "GDP", "", VALUE_ADDED, tolerance_pct, accepted, "sector_sum",
        "checks.sector_sum_tolerance_pct", "three sectors do not sum to GDP",
        "A wrong unit (万元 under a 亿元 heading) or a lost decimal point in one of the four cells? Fix the "
        "export; if the published figures really are so, accept each cell under config checks.accept (check: "
        "sector_sum, region, year, reason), or widen checks.sector_sum_tolerance_pct.",
    )  # fmt: skip


def check_employment_sums(cells: pd.DataFrame, names, tolerance_pct: float, accepted: pd.DataFrame):
    """|(employed_primary + employed_secondary + employed_tertiary) / employed - 1| <= tolerance_pct %,
    per province-year; else SectorSumError listing each cell not accepted (check: employment_sum).
    Returns (summary, accepted records)."""
    return _check_sum(
        cells, names, EMPLOYED_SECTORS, "employed", "employed", " 万人", [*EMPLOYED_SECTORS, "employed"],
        tolerance_pct, accepted, "employment_sum", "checks.employment_sum_tolerance_pct",
        "employment in the three sectors does not sum to total employment",
        "A wrong unit (人 under a 万人 heading), a lost decimal point, or sectors and total from different "
        "tables (e.g. 城镇单位就业人员 for a total)? Fix the export; if the published figures really are so, "
        "accept each cell under config checks.accept (check: employment_sum, region, year, reason), or widen "
        "checks.employment_sum_tolerance_pct.",
    )  # fmt: skip


def _accepted_record(accepted, check, code, year, series, names, detail) -> dict:
    entry = accepted[
        (accepted["check"] == check)
        & (accepted["code"] == code)
        & (accepted["year"] == year)
        & (accepted["series"] == series)
    ].iloc[0]
    return {
        "check": check,
        "code": code,
        "province": names[code],
        "year": int(year),
        "series": series,
        "detail": detail,
        "reason": entry["reason"],
    }


def check_year_on_year(cells: pd.DataFrame, names, min_ratio: float, max_ratio: float, accepted: pd.DataFrame):
    """Each series' ratio to the previous year within [min_ratio, max_ratio]; else YearOnYearError
    listing each jump with the values of the years around it. An accepted cell (region, year,
    series) accepts the two ratios its value enters. Returns (summary, accepted records)."""
    v = cells["value"]
    ok = set(zip(*[accepted.loc[accepted["check"] == "year_on_year", k] for k in ("code", "year", "series")]))
    refused, records, examined, failed = [], [], 0, 0
    for series in series_of(cells):
        wide = v[series].unstack("code").sort_index()  # years x codes
        years = list(wide.index)
        for i in range(1, len(years)):
            y0, y1 = years[i - 1], years[i]
            if y1 != y0 + 1:
                continue
            ratio = wide.loc[y1] / wide.loc[y0]
            examined += int(ratio.notna().sum())
            for code in ratio.index[(ratio < min_ratio) | (ratio > max_ratio)]:
                failed += 1
                around = [y for y in (y0 - 1, y1 + 1) if y in wide.index]
                text = (
                    f"{names[code]} ({code}) {series} {y0} -> {y1}: {num(wide.loc[y0, code])} "
                    f"({_where(cells, code, y0, series)}) -> {num(wide.loc[y1, code])} "
                    f"({_where(cells, code, y1, series)}), ratio {ratio[code]:.4g}"
                    + (
                        "; neighbouring years " + ", ".join(f"{y}: {num(wide.loc[y, code])}" for y in around)
                        if around
                        else ""
                    )
                )
                hit = [y for y in (y1, y0) if (code, y, series) in ok]
                if hit:
                    records.append(_accepted_record(accepted, "year_on_year", code, hit[0], series, names, text))
                else:
                    refused.append((code, y0, y1, series, text))
    if refused:
        raise YearOnYearError(
            f"{len(refused)} year-on-year ratio(s) outside [{num(min_ratio)}, {num(max_ratio)}]: "
            + "; ".join(r[-1] for r in refused)
            + ". A factor of about 10, 100 or 10,000 is a lost decimal point or a wrong unit: fix the "
            "export; if the figures really are so (a break in the statistics), accept the cell under "
            "config checks.accept (check: year_on_year, region, year, series, reason), or widen "
            "checks.year_on_year.",
            file=", ".join(sorted({cells.loc[(c, y), ("source", s)] for c, y0, y1, s, _ in refused for y in (y0, y1)})),
        )
    return _summary(
        "year_on_year",
        "year pairs",
        f"{num(min_ratio)} <= ratio <= {num(max_ratio)}",
        "checks.year_on_year",
        examined,
        failed,
        len(records),
    ), records


def _scale_word(factor: float) -> str:
    return f"divide by {1 / factor:,.0f}" if factor < 1 else f"multiply by {factor:,.0f}"


def likely_unit(value: float, label: str, series: str, low: float, high: float) -> str:
    """What a value out of [low, high] (panel unit) probably is: the unit that brings the file's
    number into range, e.g. 'the file's values look like 万元, not 亿元 (divide by 10,000)'."""
    unit = panel_unit(series)
    units = LIKELY_UNITS[unit]
    label_factor = dict(units).get(label, 1.0)
    raw = value / label_factor
    for name, factor in units:
        if name != label and low <= raw * factor <= high:
            return (
                f"the file's values look like {name}, not {label} ({_scale_word(factor / label_factor)}): "
                "fix the unit label or the file"
            )
    return "no unit brings it into range: a wrong value or a wrong series? Fix the file"


def check_magnitude(cells: pd.DataFrame, names, bounds: dict, accepted: pd.DataFrame, lower: bool = True):
    """Every level within `bounds` (config checks.magnitude: series -> {min, max}, panel units);
    the lower bound only when `lower` (unit province: a county's GDP can be below a province's
    smallest). Else MagnitudeError naming file, line, value and the unit it looks like. Returns
    (summary, accepted records)."""
    v = cells["value"]
    ok = set(zip(*[accepted.loc[accepted["check"] == "magnitude", k] for k in ("code", "year", "series")]))
    refused, records, examined, failed = [], [], 0, 0
    for series in series_of(cells):
        b = bounds.get(series) or DEFAULT_SETTINGS["magnitude"][series]
        low, high = b["min"], b["max"]
        values = v[series]
        examined += int(values.notna().sum())
        bad = values[(values > high) | ((values < low) if lower else False)]
        unit = panel_unit(series)
        for (code, year), value in bad.items():
            failed += 1
            label = cells.loc[(code, year), ("unit_raw", series)] if "unit_raw" in cells else unit
            side = (
                f"{value / high:.4g} times the largest plausible provincial {series}, {num(high)} {unit}"
                if value > high
                else f"{low / value:.4g} times below the smallest plausible provincial {series}, {num(low)} {unit}"
            )
            text = (
                f"{names[code]} ({code}) {year} {series} = {num(value)} {unit} ({_where(cells, code, year, series)}) "
                f"is {side} (config checks.magnitude.{series}); {likely_unit(value, label, series, low, high)}"
            )
            if (code, year, series) in ok:
                records.append(_accepted_record(accepted, "magnitude", code, year, series, names, text))
            else:
                refused.append((code, year, series, text))
    if refused:
        more = f"; and {len(refused) - LISTED} more" if len(refused) > LISTED else ""
        raise MagnitudeError(
            f"{len(refused)} value(s) outside the plausible range of one province: "
            + "; ".join(r[-1] for r in refused[:LISTED])
            + more
            + ". If the figures really are so, widen checks.magnitude or accept each cell under config "
            "checks.accept (check: magnitude, region, year, series, reason).",
            file=", ".join(sorted({cells.loc[(c, y), ("source", s)] for c, y, s, _ in refused})),
        )
    threshold = "; ".join(
        f"{s} {num((bounds.get(s) or DEFAULT_SETTINGS['magnitude'][s])['min']) if lower else 0}-"
        f"{num((bounds.get(s) or DEFAULT_SETTINGS['magnitude'][s])['max'])} {panel_unit(s)}"
        for s in series_of(cells)
    )
    return _summary("magnitude", "cells", threshold, "checks.magnitude", examined, failed, len(records)), records


NATIONAL_COLUMNS = ["year", "indicator", "value", "source", "line"]


def _national_of(long: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """`long`'s cells with the national level of their series and year: from the same file when it
    has a national row, else from the first file that has one (columns national, national_source,
    national_line)."""
    nat = national.drop_duplicates(["source", "year", "indicator"])
    same = long.merge(
        nat.rename(columns={"value": "national", "line": "national_line"}),
        on=["source", "year", "indicator"],
        how="left",
    )
    same["national_source"] = same["source"].where(same["national"].notna())
    first = national.drop_duplicates(["year", "indicator"]).rename(
        columns={"value": "national_any", "source": "source_any", "line": "line_any"}
    )
    both = same.merge(first, on=["year", "indicator"], how="left")
    missing = both["national"].isna()
    both.loc[missing, "national"] = both.loc[missing, "national_any"]
    both.loc[missing, "national_source"] = both.loc[missing, "source_any"]
    both.loc[missing, "national_line"] = both.loc[missing, "line_any"]
    return both


def check_national(long, names, national, band: dict, accepted, full_sample: bool):
    """With a national row (`national`: year, indicator, value, source, line, in panel units): each
    level below the national level of its series and year (check national_total), and the sample's
    sum within `band` x the national level (national_sum; the lower bound only when `full_sample`).
    Else MagnitudeError. Returns (summaries, accepted records)."""
    key = "checks.national_sum"
    if national is None or national.empty:
        note = "no national row (全国, 中国) in the extracts: not checked"
        return [
            _summary("national_total", "cells", note, "", 0, 0, 0),
            _summary("national_sum", "year-series", note, key, 0, 0, 0),
        ], []
    cells = _national_of(long[["code", "year", "indicator", "value", "source", "line"]], national)
    cells = cells[cells["national"].notna()]
    ok = set(zip(*[accepted.loc[accepted["check"] == "national_total", k] for k in ("code", "year", "series")]))
    refused, records = [], []
    above = cells[cells["value"] >= cells["national"]]
    for r in above.itertuples():
        text = (
            f"{names[r.code]} ({r.code}) {r.year} {r.indicator} = {num(r.value)} {panel_unit(r.indicator)} "
            f"({raw_place(r.source, r.line)}) is not below the national level {num(r.national)} "
            f"({raw_place(r.national_source, int(r.national_line))}): one province's figure in a larger unit "
            "than its label (万元 under 亿元?) or a lost decimal point"
        )
        if (r.code, r.year, r.indicator) in ok:
            records.append(_accepted_record(accepted, "national_total", r.code, r.year, r.indicator, names, text))
        else:
            refused.append(text)
    rows = [_summary("national_total", "cells", "level < national level", "", len(cells), len(above), len(records))]
    low, high = band["min_ratio"], band["max_ratio"]
    sums = cells.groupby(["year", "indicator"]).agg(total=("value", "sum"), national=("national", "first"))
    sums["ratio"] = sums["total"] / sums["national"]
    out = (sums["ratio"] > high) | ((sums["ratio"] < low) if full_sample else False)
    for (year, series), r in sums[out].iterrows():
        top = cells[(cells["year"] == year) & (cells["indicator"] == series)].nlargest(1, "value").iloc[0]
        refused.append(
            f"{year} {series}: the sample's provinces sum to {num(r.total)}, {r.ratio:.4g} times the national "
            f"{num(r.national)} (config checks.national_sum [{num(low)}, {num(high)}]); largest: "
            f"{names[top.code]} ({top.code}) {num(top.value)} ({raw_place(top.source, top.line)})"
        )
    threshold = f"{num(low)} <= sum / national <= {num(high)}" if full_sample else f"sum / national <= {num(high)}"
    rows.append(_summary("national_sum", "year-series", threshold, key, len(sums), int(out.sum()), 0))
    if refused:
        raise MagnitudeError(
            f"{len(refused)} level(s) or sum(s) inconsistent with the national total: "
            + "; ".join(refused[:LISTED])
            + (f"; and {len(refused) - LISTED} more" if len(refused) > LISTED else "")
            + ". Fix the unit label or the file; if the figures really are so, accept a province's cell under "
            "config checks.accept (check: national_total, region, year, series, reason) or widen "
            "checks.national_sum.",
            file=", ".join(sorted(set(cells["source"]) | set(national["source"]))),
        )
    return rows, records


def run_integrity_checks(
    long: pd.DataFrame,
    names,
    settings: dict,
    regions: pd.DataFrame,
    n_files: int,
    national: pd.DataFrame | None = None,
    province: bool = True,
    full_sample: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every check on the panel's cells (`long`: one row per code, year, indicator with source and
    line; `national`: the national rows, NATIONAL_COLUMNS, or None). `province`: the unit is
    province (the magnitude check's lower bounds apply); `full_sample`: the sample holds every
    mainland province but at most one (national_sum's lower bound applies). Returns (summary for
    data_checks.csv, accepted cells); raises on the first failing check."""
    accepted = resolve_accepted(settings.get("accept"), regions)
    cells = cell_table(long)
    summary = [_summary(name, "files", text, "", n_files, 0, 0) for name, text in READER_CHECKS]
    summary.append(_summary("balanced_panel", "cells", "every cell present", "", cells["value"].size, 0, 0))
    summary.append(check_levels_positive(cells, names))
    # Magnitudes before the sums: a wrong unit in one cell is then named as such.
    row, magnitude_records = check_magnitude(
        cells, names, settings.get("magnitude") or DEFAULT_SETTINGS["magnitude"], accepted, lower=province
    )
    summary.append(row)
    rows, national_records = check_national(
        long, names, national, settings.get("national_sum") or DEFAULT_SETTINGS["national_sum"], accepted, full_sample
    )
    summary += rows
    row, sector_records = check_sector_sums(cells, names, settings["sector_sum_tolerance_pct"], accepted)
    summary.append(row)
    if "employed" in series_of(cells):
        tolerance = settings.get("employment_sum_tolerance_pct", DEFAULT_SETTINGS["employment_sum_tolerance_pct"])
        row, employment_records = check_employment_sums(cells, names, tolerance, accepted)
        summary.append(row)
        sector_records += employment_records
    band = settings["year_on_year"]
    row, yoy_records = check_year_on_year(cells, names, band["min_ratio"], band["max_ratio"], accepted)
    summary.append(row)
    records = magnitude_records + national_records + sector_records + yoy_records
    used = {(r["check"], r["code"], r["year"], r["series"]) for r in records}
    for r in accepted.itertuples():
        if (r.check, r.code, r.year, r.series) not in used:
            logger.warning(
                "config checks.accept: %s %s %d %s is accepted but passes the check (or is "
                "outside the sample); the entry can go",
                r.check,
                r.code,
                r.year,
                r.series,
            )
    for r in records:
        logger.warning("accepted by config checks.accept (%s): %s; reason: %s", r["check"], r["detail"], r["reason"])
    return pd.DataFrame(summary, columns=SUMMARY_COLUMNS), pd.DataFrame(records, columns=ACCEPTED_COLUMNS)
