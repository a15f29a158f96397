"""The layouts of the raw extracts, each with the test that recognises its header and its reader
(EPS long and wide, NBS by indicator and by year, GDP + composition, a user's tidy table); LAYOUTS
lists them in the order they are tried."""

import numpy as np
import pandas as pd

from upgrade_repro.errors import (
    BadYearError,
    CompositionError,
    MalformedRowError,
    MissingIndicatorError,
    UnknownUnitError,
)
from upgrade_repro.ingest.cells import parse_values, year_of
from upgrade_repro.ingest.names import (
    INDICATOR_HEADS,
    REGION_HEADS,
    SHARE_UNITS,
    UNIT_HEADS,
    VALUE_HEADS,
    YEAR_HEADS,
    share_sector,
    split_indicator,
    split_unit,
)
from upgrade_repro.ingest.sheets import Sheet
from upgrade_repro.ingest.table import body, find_header, head_columns, metadata
from upgrade_repro.ingest.tidy import TIDY_COLUMNS, tidy
from upgrade_repro.regions import normalise_name
from upgrade_repro.series import SECTORS

# |sum of the three shares - 100| allowed, in percentage points. The NBS rounds each share to 0.1
# point (some years 0.01), so their sum can be off by at most 3 x 0.05 = 0.15 (published sums run
# from 99.9 to 100.1); 0.2 leaves room for that and nothing more: a mistyped digit, a sector left
# out or shares given as fractions are all far outside it.
COMPOSITION_TOLERANCE = 0.2


def _melt(lines, id_cells: dict, value_block: pd.DataFrame, column_keys, headings) -> dict:
    """Rows x columns -> one entry per cell: id cells repeated per column; the columns' keys
    (years or indicator names) and headings (as written, for messages) tiled per row."""
    n_rows, n_cols = value_block.shape
    out = {k: np.repeat(np.asarray(v, dtype=object), n_cols) for k, v in id_cells.items()}
    out["line"] = np.repeat(np.asarray(lines), n_cols)
    out["value"] = value_block.to_numpy(dtype=object).ravel()
    out["column"] = np.tile(np.asarray(column_keys, dtype=object), n_rows)
    out["heading"] = np.tile(np.asarray(headings, dtype=object), n_rows)
    return out


def _year_columns(sheet: Sheet, heads: list[str], first: int, header_line: int) -> list[int]:
    """Years of heads[first:]; a head that is not a year is an error naming its cell."""
    years = []
    for head in heads[first:]:
        year = year_of(head)
        if year is None:
            raise BadYearError(
                f"column heading {head!r} is not a year like 2021 or 2021年",
                file=sheet.source,
                where=sheet.place(header_line),
            )
        years.append(year)
    return years


LONG_ROLES = {
    "indicator": INDICATOR_HEADS,
    "region": REGION_HEADS,
    "year": YEAR_HEADS,
    "value": VALUE_HEADS,
    "unit": UNIT_HEADS,
}


def _has(heads, names) -> bool:
    return not names.isdisjoint(heads)


def _is_long_header(heads) -> bool:
    return all(_has(heads, names) for names in (INDICATOR_HEADS, REGION_HEADS, YEAR_HEADS, VALUE_HEADS))


def _is_eps_wide_header(heads) -> bool:
    return _has(heads, INDICATOR_HEADS) and _has(heads, REGION_HEADS) and any(year_of(h) for h in heads)


def _names_indicator(head) -> bool:
    return bool(head) and split_indicator(head)[0] is not None


def _is_tidy_header(heads) -> bool:
    return _has(heads, REGION_HEADS) and _has(heads, YEAR_HEADS) and any(map(_names_indicator, heads))


def _is_nbs_by_year_header(heads) -> bool:
    return heads[0] in REGION_HEADS and any(map(_names_indicator, heads[1:])) and not any(year_of(h) for h in heads)


def _is_nbs_by_indicator_header(heads) -> bool:
    # Mostly years after 地区 (a mistyped year is then reported as such); only years after a corner
    # cell naming the indicator (else a data row such as 'GDP(亿元),北京,2020,1' would pass).
    rest = [h for h in heads[1:] if h]
    n_years = sum(year_of(h) is not None for h in rest)
    if heads[0] in REGION_HEADS:
        return n_years > 0 and 2 * n_years >= len(rest)
    return _names_indicator(heads[0]) and n_years > 0 and n_years == len(rest)


def _is_composition_header(heads) -> bool:
    # Share columns and no sector levels: a table that has the levels is read as a tidy table (its
    # share columns ignored, as in every other layout).
    return (
        _has(heads, REGION_HEADS)
        and _has(heads, YEAR_HEADS)
        and any(share_sector(h) for h in heads if h)
        and not any(split_indicator(h)[0] in SECTORS and share_sector(h) is None for h in heads if h)
    )


def check_composition(
    sheet: Sheet,
    lines,
    regions,
    years,
    shares: dict[str, np.ndarray],
    headings: dict[str, str],
    tolerance: float = COMPOSITION_TOLERANCE,
) -> None:
    """Each region-year's three shares must lie in 0-100 and sum to 100 within `tolerance`
    points; else a CompositionError listing file, line, region, year and the shares. Rows with a
    missing share are left to the balanced-panel check."""
    stacked = np.column_stack([shares[s] for s in SECTORS])
    total = stacked.sum(axis=1)
    complete = ~np.isnan(stacked).any(axis=1)
    bad = complete & ((np.abs(total - 100) > tolerance) | (stacked < 0).any(axis=1) | (stacked > 100).any(axis=1))
    if not bad.any():
        return
    rows = np.flatnonzero(bad)
    listed = "; ".join(
        f"{sheet.place(np.asarray(lines)[i])} ({np.asarray(regions)[i]}, {np.asarray(years)[i]}): "
        + " + ".join(f"{headings[s]} {shares[s][i]:g}" for s in SECTORS)
        + f" = {total[i]:g}"
        for i in rows[:10]
    )
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    raise CompositionError(
        f"the three sector shares must each lie in 0-100 and sum to 100 (± {tolerance:g} point, the "
        f"rounding of published shares); {len(rows)} region-year(s) do not: {listed}{more}. Check "
        f"that the columns are shares in % of GDP (not fractions, not levels) and the digits",
        file=sheet.source,
    )


def read_composition(sheet: Sheet) -> pd.DataFrame:
    """GDP level plus composition: 地区,年份,地区生产总值（亿元）,第一产业比重（%）,第二产业比重（%）,
    第三产业比重（%） (any order; English heads too), one row per region-year, as the NBS publishes
    the structure of GDP. Sector levels are computed as GDP x share / 100 in GDP's unit; their
    indicator_raw records that formula. Shares must sum to about 100 (check_composition)."""
    line = find_header(sheet, _is_composition_header)
    heads, rows = body(sheet, line)
    col = head_columns(sheet, heads, line, {"region": REGION_HEADS, "year": YEAR_HEADS})
    share_cols: dict[str, int] = {}
    for i, head in enumerate(heads):
        sector = share_sector(head) if head else None
        if sector is None:
            continue
        if sector in share_cols:
            raise MissingIndicatorError(
                f"two share columns for {sector}: {heads[share_cols[sector]]!r} and {head!r}",
                file=sheet.source,
                where=sheet.place(line),
            )
        unit = split_unit(head)[1]
        if normalise_name(unit) not in SHARE_UNITS:
            raise UnknownUnitError(
                f"share column {head!r} has unit {unit!r}: a share of GDP is in %",
                file=sheet.source,
                where=sheet.place(line),
            )
        share_cols[sector] = i
    gdp_cols = [i for i, h in enumerate(heads) if h and split_indicator(h)[0] == "gdp"]
    levels = [h for h in heads if h and split_indicator(h)[0] in SECTORS and share_sector(h) is None]
    missing = [s for s in SECTORS if s not in share_cols]
    if len(gdp_cols) != 1 or missing or levels:
        raise MissingIndicatorError(
            "a GDP + composition table needs one GDP level column (e.g. 地区生产总值（亿元）) and one "
            "share column (% of GDP) per sector, and no sector level columns; found "
            f"{len(gdp_cols)} GDP column(s), shares missing for {missing}, sector levels {levels}",
            file=sheet.source,
            where=sheet.place(line),
        )
    gdp_head = heads[gdp_cols[0]]
    gdp = tidy(
        sheet,
        rows.index,
        np.full(len(rows), gdp_head, dtype=object),
        rows[col["region"]],
        rows[col["year"]],
        rows[gdp_cols[0]],
        headings=np.full(len(rows), gdp_head, dtype=object),
    )
    shares = {
        s: parse_values(rows[i], sheet, rows.index, np.full(len(rows), heads[i], dtype=object))
        for s, i in share_cols.items()
    }
    check_composition(
        sheet, gdp["line"], gdp["region"], gdp["year"], shares, {s: heads[i] for s, i in share_cols.items()}
    )
    sectors = [
        gdp.assign(
            indicator=s,
            indicator_raw=f"{gdp_head} × {heads[share_cols[s]]} / 100",
            value=gdp["value"].to_numpy() * shares[s] / 100,
        )
        for s in SECTORS
    ]
    return pd.concat([gdp, *sectors], ignore_index=True)[TIDY_COLUMNS]


def read_eps_long(sheet: Sheet) -> pd.DataFrame:
    """EPS long: header 指标,地区,时间,数值 (or indicator,region,time,Val; any order; an optional
    单位/unit column), one row per value, then notes (数据来源, 版权声明, 导出时间)."""
    line = find_header(sheet, _is_long_header)
    heads, rows = body(sheet, line, _is_long_header, footer_expected=True)
    col = head_columns(sheet, heads, line, LONG_ROLES)
    return tidy(
        sheet,
        rows.index,
        rows[col["indicator"]],
        rows[col["region"]],
        rows[col["year"]],
        rows[col["value"]],
        unit=rows[col["unit"]] if "unit" in col else None,
    )


def read_eps_wide(sheet: Sheet) -> pd.DataFrame:
    """EPS wide (older platform): 指标 | 地区 | 2008 | 2009 | ...; the indicator is written on the
    first row of its block only; year heads as numbers or text."""
    line = find_header(sheet, _is_eps_wide_header)
    heads, rows = body(sheet, line, _is_eps_wide_header, footer_expected=True)
    col = head_columns(sheet, heads, line, {"indicator": INDICATOR_HEADS, "region": REGION_HEADS, "unit": UNIT_HEADS})
    first_year = max(col.values()) + 1
    years = _year_columns(sheet, heads, first_year, line)
    indicator = rows[col["indicator"]].replace("", np.nan).ffill()
    if indicator.isna().any():
        raise MalformedRowError(
            "no indicator on or above this row of the block",
            file=sheet.source,
            where=sheet.place(indicator.index[indicator.isna()][0]),
        )
    ids = {"indicator": indicator, "region": rows[col["region"]]}
    if "unit" in col:
        ids["unit"] = rows[col["unit"]]
    cells = _melt(rows.index, ids, rows.iloc[:, first_year:], years, heads[first_year:])
    return tidy(
        sheet,
        cells["line"],
        cells["indicator"],
        cells["region"],
        cells["column"],
        cells["value"],
        unit=cells.get("unit"),
        headings=cells["heading"],
    )


def read_nbs_by_indicator(sheet: Sheet) -> pd.DataFrame:
    """NBS export, one indicator per file: metadata lines (数据库：, 指标：地区生产总值(亿元), 时间：),
    header 地区,2024年,2023年,... (newest first), one row per region, then notes. The indicator
    is the 指标： line, or the header's corner cell if the metadata lines were removed."""
    line = find_header(sheet, _is_nbs_by_indicator_header)
    heads, rows = body(sheet, line, _is_nbs_by_indicator_header, footer_expected=True)
    years = _year_columns(sheet, heads, 1, line)
    meta = metadata(sheet, line)
    if "指标" in meta:
        indicator = meta["指标"][0]
    elif _names_indicator(heads[0]):
        indicator = heads[0]
    else:
        raise MissingIndicatorError(
            f"a table of regions by years, but no '指标：' line above the "
            f"header ({sheet.place(line)}) says which series it is",
            file=sheet.source,
        )
    cells = _melt(rows.index, {"region": rows[0]}, rows.iloc[:, 1:], years, heads[1:])
    return tidy(
        sheet,
        cells["line"],
        np.full(len(cells["line"]), indicator, dtype=object),
        cells["region"],
        cells["column"],
        cells["value"],
        headings=cells["heading"],
    )


def _read_indicator_columns(sheet: Sheet, line: int, year_from_metadata: bool, is_header) -> pd.DataFrame:
    """Regions as rows, indicators as columns; the year from a column or the 时间： line (an NBS
    export, which ends with notes; a user's table need not)."""
    heads, rows = body(sheet, line, is_header, footer_expected=year_from_metadata)
    col = head_columns(sheet, heads, line, {"region": REGION_HEADS, "year": YEAR_HEADS})
    series = [i for i, h in enumerate(heads) if i not in col.values()]
    unnamed = [i for i in series if heads[i] == ""]
    if unnamed and (rows[unnamed] != "").any().any():
        raise MalformedRowError(
            f"column {unnamed[0] + 1} has values but no heading", file=sheet.source, where=sheet.place(line)
        )
    series = [i for i in series if heads[i] != ""]
    if year_from_metadata:
        text, meta_line = metadata(sheet, line).get("时间", ("", None))
        year = year_of(text)
        if year is None:
            raise BadYearError(
                f"expected a '时间：2020年' line above the header naming the one year of this table; found {text!r}"
                if meta_line
                else "expected a '时间：2020年' line above the header naming the year",
                file=sheet.source,
                where=sheet.place(meta_line or line),
            )
        year_cells = np.full(len(rows), str(year), dtype=object)
    else:
        year_cells = rows[col["year"]]
    names = [heads[i] for i in series]
    cells = _melt(rows.index, {"region": rows[col["region"]], "year": year_cells}, rows[series], names, names)
    return tidy(
        sheet,
        cells["line"],
        cells["column"],
        cells["region"],
        cells["year"],
        cells["value"],
        headings=cells["heading"],
        assumed_unit=None if year_from_metadata else "亿元",
    )


def read_nbs_by_year(sheet: Sheet) -> pd.DataFrame:
    """NBS export, one year per file: 时间：2020年 above the header 地区,地区生产总值 (亿元),第一产业
    增加值 (亿元),...; also the variant with cells ended by a tab before each comma."""
    return _read_indicator_columns(sheet, find_header(sheet, _is_nbs_by_year_header), True, _is_nbs_by_year_header)


def read_tidy(sheet: Sheet) -> pd.DataFrame:
    """A user-made table: province, year, gdp, primary, secondary, tertiary (heads in Chinese or
    English; units in the heads, e.g. gdp（万元）, else 亿元 is assumed with a warning)."""
    return _read_indicator_columns(sheet, find_header(sheet, _is_tidy_header), False, _is_tidy_header)


def _detector(is_header):
    return lambda sheet: find_header(sheet, is_header) is not None


# (name, detector, reader): the first layout whose detector accepts the sheet reads it.
LAYOUTS = [
    ("eps_long", _detector(_is_long_header), read_eps_long),
    ("eps_wide", _detector(_is_eps_wide_header), read_eps_wide),
    # before tidy: a composition table also has region, year and GDP heads
    ("composition", _detector(_is_composition_header), read_composition),
    ("tidy", _detector(_is_tidy_header), read_tidy),
    ("nbs_by_year", _detector(_is_nbs_by_year_header), read_nbs_by_year),
    ("nbs_by_indicator", _detector(_is_nbs_by_indicator_header), read_nbs_by_indicator),
]
