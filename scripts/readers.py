"""Raw statistical extracts -> one tidy long table.

One entry point, `read_extract`, detects the layout from the file's content (never its name) and
hands it to that layout's reader. Every reader returns the same columns (TIDY_COLUMNS):

    source, line, indicator_raw, indicator, unit, region, year, value

`region` is the name as written; `indicator` is one of INDICATORS (rows of other indicators are
logged and left out); `unit` is read from the indicator name; `value` is a float, NaN where the
extract marks a value as missing (the balanced-panel check in the clean stage names those cells).
"""


import csv
import io
import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from errors import (BadYearError, HeaderNotFoundError, MalformedRowError, MissingFileError,
                    NonNumericValueError, UndecodableFileError)
from regions import normalise_name

logger = logging.getLogger(__name__)

INDICATORS = ("gdp", "primary", "secondary", "tertiary")
TIDY_COLUMNS = ["source", "line", "indicator_raw", "indicator", "unit", "region", "year", "value"]

# Matching keys (see normalise_name) of the names each series goes by.
INDICATOR_ALIASES = {
    "gdp": ("地区生产总值", "国内生产总值", "生产总值", "gdp", "grossregionalproduct",
            "grossdomesticproduct"),
    "primary": ("第一产业增加值", "第一产业", "valueaddedofprimaryindustry", "primaryindustry"),
    "secondary": ("第二产业增加值", "第二产业", "valueaddedofsecondaryindustry", "secondaryindustry"),
    "tertiary": ("第三产业增加值", "第三产业", "valueaddedoftertiaryindustry", "tertiaryindustry"),
}
_ALIAS_TO_INDICATOR = {alias: ind for ind, aliases in INDICATOR_ALIASES.items() for alias in aliases}

# Units, by matching key, with their factor to 亿元 (10^8 yuan).
UNIT_FACTORS = {"亿元": 1.0, "万元": 1e-4, "元": 1e-8,
                "100millionyuan": 1.0, "10000yuan": 1e-4, "10thousandyuan": 1e-4, "yuan": 1e-8}

MISSING_MARKERS = {"", "--", "—", "-", "…", "...", "na", "n/a", "nan", "null"}

_UNIT_IN_NAME = re.compile(r"[(（]([^()（）]*)[)）]\s*$")


def split_indicator(name: str) -> tuple[str | None, str]:
    """'地区生产总值（亿元）' -> ('gdp', '亿元'); an unknown series gives (None, unit)."""
    text = str(name).strip()
    m = _UNIT_IN_NAME.search(text)
    unit = m.group(1).strip() if m else ""
    base = normalise_name(text[: m.start()] if m else text)
    base = re.sub(r"[-_‐–]", "", base)  # 'Value-added' and 'Value added' alike
    return _ALIAS_TO_INDICATOR.get(base), unit


def decode(raw: bytes, source: str) -> str:
    """Bytes -> text: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK)."""
    if not raw.strip():
        raise HeaderNotFoundError("the file is empty", file=source)
    if b"\x00" in raw[:8192]:
        raise UndecodableFileError("binary content (NUL bytes): not a text extract", file=source)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UndecodableFileError("neither UTF-8 nor GB18030/GBK text", file=source)


def parse_years(cells: pd.Series, source: str, lines: pd.Series) -> pd.Series:
    """'YYYY', 'YYYY年', 'YYYY.0' -> the integer year; anything else is an error naming its line."""
    text = cells.astype(str).str.strip().str.removesuffix("年")
    years = pd.to_numeric(text, errors="coerce")
    bad = years.isna() | (years % 1 != 0) | (years < 1900) | (years > 2100)
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise BadYearError(f"year {cells.iloc[i]!r} is not a four-digit year (YYYY or YYYY年)",
                           file=source, where=f"line {lines.iloc[i]}")
    return years.astype("int64")


def parse_values(cells: pd.Series, source: str, lines: pd.Series) -> pd.Series:
    """Numbers as floats; missing-value markers as NaN; anything else is an error naming its line."""
    text = cells.astype(str).str.strip().str.replace(",", "", regex=False)
    missing = text.str.casefold().isin(MISSING_MARKERS)
    values = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = values.isna() & ~missing
    if bad.any():
        where = ", ".join(f"line {lines[i]} ({cells[i]!r})" for i in bad[bad].index[:10])
        more = f" and {int(bad.sum()) - 10} more" if bad.sum() > 10 else ""
        raise NonNumericValueError(f"non-numeric value(s) at {where}{more}", file=source)
    return values.astype("float64")


def _classify_indicators(names: pd.Series, source: str) -> tuple[pd.Series, pd.Series]:
    """Canonical indicator and unit per row, computed once per distinct name."""
    distinct = {name: split_indicator(name) for name in names.unique()}
    ignored = sorted(n for n, (ind, _) in distinct.items() if ind is None)
    if ignored:
        logger.info("%s: ignoring rows of indicators outside the analysis: %s", source, ignored)
    return names.map(lambda n: distinct[n][0]), names.map(lambda n: distinct[n][1])


# ---------------------------------------------------------------- EPS long: 指标,地区,时间,数值
EPS_LONG_HEADS = {"指标": "indicator_raw", "地区": "region", "时间": "year", "数值": "value"}


def _header_fields(line: str) -> list[str]:
    sep = "\t" if "\t" in line and "," not in line else ","
    return [normalise_name(f) for f in next(csv.reader([line], delimiter=sep))]


def is_eps_long(text: str) -> bool:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    return set(EPS_LONG_HEADS) <= set(_header_fields(first))


def read_eps_long(text: str, source: str) -> pd.DataFrame:
    """EPS long layout: header 指标,地区,时间,数值 (any order, csv or tab-separated), then one row
    per value, then a few non-data lines (数据来源, 版权声明, 导出时间) that are logged and skipped."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip())
    sep = "\t" if "\t" in lines[start] and "," not in lines[start] else ","
    n_fields = len(_header_fields(lines[start]))
    # The footer: trailing lines that are blank or have fewer fields than the header.
    end = len(lines)
    while end > start + 1 and len(next(csv.reader([lines[end - 1]], delimiter=sep), [])) < n_fields:
        end -= 1
    footer = [ln for ln in lines[end:] if ln.strip()]
    if footer:
        logger.info("%s: skipped %d trailing non-data line(s): %s", source, len(footer), footer)
    try:
        df = pd.read_csv(io.StringIO("\n".join(lines[start:end])), sep=sep, dtype=str,
                         keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as exc:
        raise MalformedRowError(f"rows do not match the {n_fields}-field header ({exc})",
                                file=source) from None
    df.columns = [EPS_LONG_HEADS.get(normalise_name(c), c) for c in df.columns]
    df["line"] = np.arange(len(df), dtype="int64") + start + 2  # 1-based, after the header
    short = df[list(EPS_LONG_HEADS.values())].isna().any(axis=1)
    if short.any():
        raise MalformedRowError(f"line {df.loc[short, 'line'].iloc[0]} has fewer than {n_fields} fields",
                                file=source)
    df["indicator"], df["unit"] = _classify_indicators(df["indicator_raw"], source)
    df = df[df["indicator"].notna()].reset_index(drop=True)
    df["year"] = parse_years(df["year"], source, df["line"])
    df["value"] = parse_values(df["value"], source, df["line"])
    df["region"] = df["region"].str.strip()
    df["source"] = source
    return df[TIDY_COLUMNS]


# ---------------------------------------------------------------- the entry point
# (name, detector, reader): the first layout whose detector accepts the text reads it.
LAYOUTS = [
    ("eps_long", is_eps_long, read_eps_long),
]


def detect_layout(text: str, source: str) -> str:
    for name, detect, _ in LAYOUTS:
        if detect(text):
            return name
    first = next((ln for ln in text.splitlines() if ln.strip()), "")[:200]
    raise HeaderNotFoundError(
        f"no known layout: first line is {first!r}; expected an EPS long header "
        f"({','.join(EPS_LONG_HEADS)})", file=source)


def read_extract(path) -> pd.DataFrame:
    """Read one raw extract of any supported layout into the tidy long table."""
    path = Path(path)
    source = path.as_posix()
    if not path.is_file():
        raise MissingFileError("raw extract not found", file=source)
    text = decode(path.read_bytes(), source)
    layout = detect_layout(text, source)
    table = dict((name, reader) for name, _, reader in LAYOUTS)[layout](text, source)
    logger.info("%s: layout %s, %d rows", source, layout, len(table))
    return table


def read_extracts(paths) -> pd.DataFrame:
    """All configured extracts, concatenated in config order."""
    return pd.concat([read_extract(p) for p in paths], ignore_index=True)
