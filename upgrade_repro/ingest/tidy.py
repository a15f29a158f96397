"""Rows -> the tidy table (TIDY_COLUMNS), the last step every layout shares: the analysis' series
kept (by their names), each series' name and unit checked, years and values parsed."""

import logging

import numpy as np
import pandas as pd

from upgrade_repro.errors import (
    MalformedRowError,
    MissingIndicatorError,
    UnknownUnitError,
)
from upgrade_repro.ingest.cells import cell_text, parse_values, parse_years, per_distinct, tidy_region_name
from upgrade_repro.ingest.names import indicator_key, split_indicator, split_unit
from upgrade_repro.ingest.sheets import Sheet
from upgrade_repro.regions import normalise_name
from upgrade_repro.series import EMPLOYMENT, unit_factors

logger = logging.getLogger(__name__)

TIDY_COLUMNS = ["source", "line", "indicator_raw", "indicator", "unit", "region", "year", "value"]


def tidy(
    sheet: Sheet, lines, indicator_raw, region, year, value, unit=None, headings=None, assumed_unit: str | None = None
) -> pd.DataFrame:
    """The shared last step of every reader: keep the analysis' indicators (by alias), check their
    units and names, parse years and values. Arguments are aligned arrays of cell texts; `unit`
    (optional) is an explicit unit per row, used where the indicator name has none; `headings`
    names the column of each value for messages; `assumed_unit` is taken, with a warning, where no
    unit is written at all (only for user-made tables)."""
    df = pd.DataFrame(
        {
            "line": np.asarray(lines, dtype="int64"),
            "indicator_raw": np.asarray(indicator_raw, dtype=object),
            "region": np.asarray(region, dtype=object),
            "year": np.asarray(year, dtype=object),
            "value": np.asarray(value, dtype=object),
            "unit": "" if unit is None else np.asarray(unit, dtype=object),
            "heading": None if headings is None else np.asarray(headings, dtype=object),
        }
    )
    names = {n: (*split_unit(cell_text(n)), split_indicator(cell_text(n))[0]) for n in pd.unique(df["indicator_raw"])}
    ignored = sorted(n for n, (_, _, ind) in names.items() if ind is None)
    if ignored:
        logger.info("%s: ignoring series outside the analysis: %s", sheet.source, ignored)
    df["indicator"] = df["indicator_raw"].map({n: ind for n, (_, _, ind) in names.items()})
    df = df[df["indicator"].notna()].reset_index(drop=True)
    if df.empty:
        raise MissingIndicatorError(
            f"none of GDP, primary, secondary or tertiary value added or employment; series found: {ignored[:10]}",
            file=sheet.source,
        )
    name_unit = df["indicator_raw"].map({n: u for n, (_, u, _) in names.items()})
    df["unit"] = name_unit.where(name_unit != "", df["unit"])
    _check_names_and_units(sheet, df, assumed_unit)
    if (df["region"] == "").any():
        line = df.loc[df["region"] == "", "line"].iloc[0]
        raise MalformedRowError("no region name", file=sheet.source, where=sheet.place(line))
    df["region"] = per_distinct(df["region"], tidy_region_name)
    df["year"] = parse_years(df["year"], sheet, df["line"])
    df["value"] = parse_values(df["value"], sheet, df["line"], None if headings is None else df["heading"])
    df["source"] = sheet.source
    return df[TIDY_COLUMNS]


def _expected_units(indicator: str) -> str:
    return "万人 or 人" if indicator in EMPLOYMENT else "亿元, 万元 or 元"


def _check_names_and_units(sheet: Sheet, df: pd.DataFrame, assumed_unit) -> None:
    """One name and one known unit per indicator in a file (else ambiguous / mixed / unknown)."""
    firsts = df.drop_duplicates(["indicator", "indicator_raw", "unit"])
    for ind, group in firsts.groupby("indicator", sort=False):
        bases = group["indicator_raw"].map(lambda n: indicator_key(split_unit(n)[0])).unique()
        if len(bases) > 1:
            listed = ", ".join(f"{r.indicator_raw!r} ({sheet.place(r.line)})" for r in group.itertuples())
            raise MissingIndicatorError(
                f"ambiguous: {ind} is given by {len(bases)} series: {listed}", file=sheet.source
            )
        if (group["unit"] == "").any():
            if assumed_unit is None or ind in EMPLOYMENT:  # persons are never assumed
                r = group[group["unit"] == ""].iloc[0]
                raise UnknownUnitError(
                    f"no unit for {r.indicator_raw!r}; expected one of {_expected_units(ind)} in the name, "
                    f"e.g. {'第一产业就业人员（万人）' if ind in EMPLOYMENT else '地区生产总值（亿元）'}",
                    file=sheet.source,
                    where=sheet.place(r.line),
                )
            logger.warning(
                "%s: no unit written for %r; assuming %s", sheet.source, group["indicator_raw"].iloc[0], assumed_unit
            )
            df.loc[(df["indicator"] == ind) & (df["unit"] == ""), "unit"] = assumed_unit
            group = group.assign(unit=group["unit"].replace("", assumed_unit))
        keys = group["unit"].map(lambda u: normalise_name(cell_text(u)))
        unknown = group[~keys.isin(unit_factors(ind))]
        if len(unknown):
            r = unknown.iloc[0]
            raise UnknownUnitError(
                f"unit {r.unit!r} of {r.indicator_raw!r}: expected {_expected_units(ind)}",
                file=sheet.source,
                where=sheet.place(r.line),
            )
        if keys.nunique() > 1:
            listed = ", ".join(f"{r.unit!r} ({sheet.place(r.line)})" for r in group.itertuples())
            raise UnknownUnitError(f"mixed units for {ind}: {listed}", file=sheet.source)
