"""Raw statistical extracts -> one tidy long table.

One entry point, `read_extract`, turns a file into a grid of cells (csv/txt in UTF-8, UTF-16
or GB18030/GBK; xlsx/xls through python-calamine; Stata .dta through pandas), detects the layout
from the grid's content (never the file name) and hands it to that layout's reader (see LAYOUTS).
Every reader returns the same columns (TIDY_COLUMNS):

    source, line, indicator_raw, indicator, unit, region, year, value

`line` is the line of a text file, the row of a spreadsheet or the observation of a .dta file;
`region` is the name as written (NFKC, spaces between Chinese characters removed); `indicator` is
one of INDICATORS (other series are logged and left out); `unit` is read from the indicator name,
a unit column or the metadata (clean converts it to 亿元); `value` is a float, NaN where the
extract marks a value as missing (the balanced-panel check in the clean stage names those cells).
"""

import io
import itertools
import logging
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine
from python_calamine import SheetTypeEnum, SheetVisibleEnum

from upgrade_repro.errors import (
    BadYearError,
    CompositionError,
    ConfigError,
    DecimalCommaError,
    HeaderNotFoundError,
    MalformedRowError,
    MissingFileError,
    MissingIndicatorError,
    NoDataError,
    NonNumericValueError,
    SavedWebPageError,
    SecondExportBlockError,
    TruncatedFileError,
    UndecodableFileError,
    UnknownUnitError,
    UnreadableFileError,
)
from upgrade_repro.regions import normalise_name

logger = logging.getLogger(__name__)

INDICATORS = ("gdp", "primary", "secondary", "tertiary")
# Employment by sector and in total (issue 16), read only for the indicators that need it
# (rationalisation, advancement weighted by labour productivity); persons, converted to 万人.
EMPLOYMENT = ("employed_primary", "employed_secondary", "employed_tertiary", "employed")
SERIES = INDICATORS + EMPLOYMENT
TIDY_COLUMNS = ["source", "line", "indicator_raw", "indicator", "unit", "region", "year", "value"]

# Matching keys (normalise_name, hyphens removed) of the names each series goes by. Matching is
# exact, so look-alikes (地区生产总值指数, 人均地区生产总值, 第三产业增加值比重, ...) are not taken.
INDICATOR_ALIASES = {
    "gdp": ("地区生产总值", "国内生产总值", "生产总值", "gdp", "grossregionalproduct", "grossdomesticproduct"),
    "primary": (
        "第一产业增加值",
        "第一产业",
        "primary",
        "valueaddedofprimaryindustry",
        "valueaddedofthefirstindustry",
        "primaryindustry",
        "primaryindustryvalueadded",
    ),
    "secondary": (
        "第二产业增加值",
        "第二产业",
        "secondary",
        "valueaddedofsecondaryindustry",
        "valueaddedofthesecondindustry",
        "secondaryindustry",
        "secondaryindustryvalueadded",
    ),
    "tertiary": (
        "第三产业增加值",
        "第三产业",
        "tertiary",
        "valueaddedoftertiaryindustry",
        "valueaddedofthethirdindustry",
        "tertiaryindustry",
        "tertiaryindustryvalueadded",
    ),
    # Employment: 就业人员 (the yearbooks' name since 2003; 从业人员 before), also 年末 (year-end).
    **{
        f"employed_{sector}": tuple(
            f"{pre}{zh}产业{word}" for pre in ("", "年末") for word in ("就业人员", "就业人数", "从业人员")
        )
        + (f"{sector}employment", f"employment{sector}", f"employed{sector}", f"employedpersonsin{sector}industry")
        for sector, zh in (("primary", "第一"), ("secondary", "第二"), ("tertiary", "第三"))
    },
    "employed": (
        "就业人员",
        "就业人数",
        "从业人员",
        "年末就业人员",
        "年末从业人员",
        "就业人员合计",
        "employed",
        "employment",
        "totalemployment",
        "employedpersons",
    ),
}
_ALIAS_TO_INDICATOR = {alias: ind for ind, aliases in INDICATOR_ALIASES.items() for alias in aliases}

SECTORS = ("primary", "secondary", "tertiary")

# A sector's share of GDP in % (the composition layout): a sector name (as in INDICATOR_ALIASES)
# followed by one of these words, or 'shareof' + a sector name, or a bare sector name whose unit is
# '%' (第一产业（%）). Only the composition layout reads shares; every other layout ignores them,
# so a % series is never taken for a level.
SHARE_WORDS = ("占地区生产总值比重", "占国内生产总值比重", "占gdp比重", "比重", "构成", "占比", "份额", "share")
SHARE_UNITS = {"%", "", "percent"}
# |sum of the three shares - 100| allowed, in percentage points. The NBS rounds each share to 0.1
# point (some years 0.01), so their sum can be off by at most 3 x 0.05 = 0.15 (published sums run
# from 99.9 to 100.1); 0.2 leaves room for that and nothing more: a mistyped digit, a sector left
# out or shares given as fractions are all far outside it.
COMPOSITION_TOLERANCE = 0.2

# Units, by matching key, with their factor to 亿元 (10^8 yuan).
UNIT_FACTORS = {
    "亿元": 1.0,
    "万元": 1e-4,
    "元": 1e-8,
    "100millionyuan": 1.0,
    "10000yuan": 1e-4,
    "10thousandyuan": 1e-4,
    "yuan": 1e-8,
}

# Units of the employment series, by matching key, with their factor to 万人 (10^4 persons).
PERSON_UNIT_FACTORS = {"万人": 1.0, "人": 1e-4, "10000persons": 1.0, "10thousandpersons": 1.0, "persons": 1e-4}


def unit_factors(indicator: str) -> dict:
    """The known units of a series with their factor to its panel unit (亿元 or 万人)."""
    return PERSON_UNIT_FACTORS if indicator in EMPLOYMENT else UNIT_FACTORS


def panel_unit(indicator: str) -> str:
    return "万人" if indicator in EMPLOYMENT else "亿元"


# Cell texts (after NFKC, case-folded) that mean "no value".
MISSING_MARKERS = {"", "--", "—", "-", "…", "...", "na", "n/a", "nan", "null"}

# Heads (matching keys) of the columns the layouts are recognised by.
INDICATOR_HEADS = {"指标", "指标名称", "indicator", "indicators"}
REGION_HEADS = {"地区", "地区名称", "省份", "省份名称", "省", "省区市", "region", "province", "provincename", "prov"}
YEAR_HEADS = {"时间", "年份", "年度", "年", "year", "time"}
VALUE_HEADS = {"数值", "值", "value", "val"}
UNIT_HEADS = {"单位", "计量单位", "unit"}

# First words of the note lines below a table (注：..., 数据来源：..., 版权声明：..., 导出时间：...).
FOOTER_WORDS = (
    "注",
    "数据来源",
    "来源",
    "资料来源",
    "说明",
    "备注",
    "版权",
    "导出",
    "source",
    "note",
    "copyright",
    "export",
)
HEADER_SEARCH_ROWS = 60  # the header is among the first rows (below the metadata lines)
MAX_FIELDS = 5000  # more fields than any extract has: a line of garbage, not a table

_UNIT_IN_NAME = re.compile(r"[(（]([^()（）]*)[)）]\s*$")
_YEAR_TEXT = re.compile(r"(\d{4})(?:\.0*)?\s*年?")
# A comma in a number is a thousands separator only in a valid grouping (1,234 or 12,345,678.5);
# a single comma between digits otherwise (12153,03) is a decimal comma (see parse_values).
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
# Markup at the top of a text file: a saved web page, not an export.
_WEB_PAGE = re.compile(
    r"\s*<(!doctype\s+html|html|head|body|script|meta|title|style|link|div|table|"
    r"form|iframe|noscript|!--|\?xml)\b",
    re.IGNORECASE,
)
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")


@dataclass
class Sheet:
    """A file as a grid of cells: text (str, NFKC-normalised, stripped, '' where empty), except
    that a worksheet's numeric cells stay numbers (see cell_text).

    `cells` has columns 0..n-1 and is indexed by the 1-based line (text), row (spreadsheet) or
    observation (.dta) number, named by `row_word` in messages. `fields` (text files only) is the
    number of separated fields each line had, to tell a short line from empty cells."""

    source: str
    cells: pd.DataFrame
    row_word: str = "line"
    fields: pd.Series | None = None
    # text files only: whether the last character is a line end (a cut-off download has none)
    ends_with_newline: bool | None = None

    def place(self, line, heading=None) -> str:
        return f"{self.row_word} {line}" + (f", column {heading!r}" if heading is not None else "")


# ---------------------------------------------------------------- small shared helpers
def split_unit(name: str) -> tuple[str, str]:
    """'地区生产总值（亿元）' -> ('地区生产总值', '亿元'): the last bracket is the unit."""
    text = unicodedata.normalize("NFKC", str(name)).strip()
    m = _UNIT_IN_NAME.search(text)
    return (text[: m.start()].strip(), m.group(1).strip()) if m else (text, "")


_CURRENT_PRICES = re.compile(r"\((当年价格?|现价|atcurrentprices|currentprices)\)")


def indicator_key(base: str) -> str:
    """Matching key of an indicator name without its unit: 'Value-added' and 'Value added' alike,
    a '(当年价格)' (current prices) qualifier dropped ('(不变价)' is kept, so it matches nothing)."""
    return _CURRENT_PRICES.sub("", re.sub(r"[-_‐–]", "", normalise_name(base)))


def split_indicator(name: str) -> tuple[str | None, str]:
    """'地区生产总值（亿元）' -> ('gdp', '亿元'); an unknown series gives (None, unit)."""
    base, unit = split_unit(name)
    return _ALIAS_TO_INDICATOR.get(indicator_key(base)), unit


def share_sector(name: str) -> str | None:
    """'第一产业比重（%）' -> 'primary'; None for anything that is not a sector's share of GDP."""
    base, unit = split_unit(name)
    key = indicator_key(base)
    stem = None
    if key.startswith("shareof"):
        stem = key[len("shareof") :]
    else:
        stem = next(
            (key[: -len(w)] for w in SHARE_WORDS if key.endswith(w) and len(key) > len(w)),
            key if normalise_name(unit) == "%" else None,
        )
    sector = _ALIAS_TO_INDICATOR.get(stem) if stem else None
    return sector if sector in SECTORS else None


def year_of(text) -> int | None:
    """2021 from '2021', '2021年' or '2021.0'; None for anything else."""
    m = _YEAR_TEXT.fullmatch(str(text).strip())
    return int(m.group(1)) if m and 1900 <= int(m.group(1)) <= 2100 else None


def cell_text(cell) -> str:
    """A cell as text: a worksheet's number as Python writes it (2020.0 -> '2020.0')."""
    return cell if isinstance(cell, str) else str(cell)


def tidy_region_name(name) -> str:
    """NFKC, stripped, no spaces next to Chinese characters ('北　京' -> '北京', 'Inner Mongolia' kept)."""
    return _CJK_SPACE.sub("", unicodedata.normalize("NFKC", cell_text(name)).strip())


def per_distinct(cells, func) -> np.ndarray:
    """func applied to each distinct cell once (years, names, units repeat a lot at county scale)."""
    codes, distinct = pd.factorize(np.asarray(cells, dtype=object))
    return np.asarray([func(c) for c in distinct], dtype=object)[codes]


def parse_years(cells, sheet: Sheet, lines) -> np.ndarray:
    """'2021', '2021年', '2021.0' -> 2021; anything else is an error naming its line."""
    years = per_distinct(cells, year_of)
    bad = pd.isna(years)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise BadYearError(
            f"year {np.asarray(cells)[i]!r} is not a four-digit year like 2021 or 2021年",
            file=sheet.source,
            where=sheet.place(np.asarray(lines)[i]),
        )
    return years.astype("int64")


def _number_or_missing(cell, decimal_comma: bool = False) -> float | None:
    """A number ('1,234.5' too, a valid thousands grouping only; '12153,03' when `decimal_comma`),
    NaN for a missing-value marker, None for anything else."""
    text = cell_text(cell)
    if text.casefold() in MISSING_MARKERS:
        return np.nan
    if "," in text:
        if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
            text = text.replace(",", ".")
        elif _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        else:
            return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _uses_decimal_commas(cells: np.ndarray, slow, sheet: Sheet, lines, headings) -> bool:
    """Whether the value cells are consistently decimal-comma: some comma is not a valid thousands
    grouping (12153,03), no cell has a decimal point and every comma is one between digits. A
    comma that is not a valid grouping in any other file stops the run (DecimalCommaError)."""
    if not any("," in cell_text(c) and not _GROUPED.fullmatch(cell_text(c)) for c in cells[slow]):
        return False  # every comma a valid thousands grouping (or none at all)
    texts = [cell_text(c) for c in cells]
    commas = [i for i, t in enumerate(texts) if "," in t]
    invalid = [i for i in commas if not _GROUPED.fullmatch(texts[i])]
    if not any("." in t for t in texts) and all(_DECIMAL_COMMA.fullmatch(texts[i]) for i in commas):
        logger.info(
            "%s: numbers written with decimal commas (e.g. %r at %s): read as such",
            sheet.source,
            texts[invalid[0]],
            sheet.place(np.asarray(lines)[invalid[0]]),
        )
        return True
    lines = np.asarray(lines)
    where = "; ".join(
        f"{sheet.place(lines[i], None if headings is None else np.asarray(headings)[i])}: {texts[i]!r}" for i in invalid
    )
    raise DecimalCommaError(
        f"{len(invalid)} number(s) with a comma that is not a valid thousands grouping (1,234,567.8), "
        f"and the file is not consistently decimal-comma either (another number has a decimal point, "
        f"or a comma is not one between digits): {where}. Fix these cells in the export (a decimal "
        f"comma in a file with decimal points? a typo?).",
        file=sheet.source,
    )


def parse_values(cells, sheet: Sheet, lines, headings=None) -> np.ndarray:
    """Numbers as floats; missing-value markers as NaN; thousands separators only in a valid
    grouping; a file whose numbers are consistently decimal-comma is read as such (logged);
    anything else (text, infinities) is an error naming its line and, in wide layouts, its column."""
    cells = np.asarray(cells, dtype=object)
    values = np.array(pd.to_numeric(pd.Series(cells), errors="coerce"), dtype="float64")
    # The fast parse leaves NaN for markers, thousands separators, text: look at those only.
    slow = np.flatnonzero(~np.isfinite(values))
    decimal_comma = len(slow) > 0 and _uses_decimal_commas(cells, slow, sheet, lines, headings)
    parsed = [_number_or_missing(c, decimal_comma) for c in cells[slow]]
    values[slow] = [np.nan if v is None else v for v in parsed]
    bad = slow[[v is None for v in parsed]]
    if len(bad):
        lines = np.asarray(lines)
        where = "; ".join(
            f"{sheet.place(lines[i], None if headings is None else np.asarray(headings)[i])}: {cells[i]!r}"
            for i in bad[:10]
        )
        more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
        raise NonNumericValueError(
            f"expected a number or a missing-value marker ('', '--', '-', '…', 'NA'); found {where}{more}",
            file=sheet.source,
        )
    return values


# ---------------------------------------------------------------- files -> grids of text cells
def decode(raw: bytes, source: str) -> str:
    """Bytes -> text: UTF-16 with a BOM; else UTF-8 (with or without BOM); else GB18030 (a
    superset of GBK). The error says where each encoding failed."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UndecodableFileError(
                f"UTF-16 byte order mark, but invalid UTF-16 at byte {exc.start}", file=source
            ) from None
    if b"\x00" in raw[:8192]:
        raise UndecodableFileError(
            "binary content (NUL bytes): not a text extract, nor an xlsx, xls or .dta file", file=source
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_at = exc.start
        if exc.end == len(raw) and exc.reason == "unexpected end of data":
            # Valid UTF-8 up to a character cut in half: a truncated file, not GB18030 text
            # (which it would decode to as mojibake).
            line = raw[: exc.start].count(b"\n") + 1
            raise UndecodableFileError(
                f"UTF-8 text cut off inside a character at the end: the file is truncated (last line {line})",
                file=source,
            ) from None
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UndecodableFileError(
            f"neither UTF-8 (invalid byte at offset {utf8_at}) nor GB18030/GBK (invalid byte at "
            f"offset {exc.start}, line {line}); is the file truncated, or in another encoding?",
            file=source,
        ) from None


_JOIN = "\x00"  # not produced by NFKC; a cell holding one is handled cell by cell


def _normalise_column(col: pd.Series) -> np.ndarray:
    """NFKC and stripped cells (str). An ASCII column (numbers) needs no NFKC; otherwise NFKC
    runs once on the distinct cells joined into one string: a Python call per cell would
    dominate the reading time at county scale."""
    texts = col.to_numpy(dtype=object)
    joined = _JOIN.join(texts)
    if joined.isascii():
        codes, distinct = None, texts
    else:
        codes, distinct = pd.factorize(texts)
        joined = _JOIN.join(distinct)
        if joined.count(_JOIN) == len(distinct) - 1:
            distinct = unicodedata.normalize("NFKC", joined).split(_JOIN)
        else:  # a cell holds the joining character itself
            distinct = [unicodedata.normalize("NFKC", c) for c in distinct]
    out = np.empty(len(distinct), dtype=object)
    out[:] = list(map(str.strip, distinct))
    return out if codes is None else out[codes]


def _normalise_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Every cell as normalised text; cells must be str already (see _as_text)."""
    return pd.DataFrame({c: _normalise_column(cells[c]) for c in cells.columns}, index=cells.index, dtype=object)


def _as_text(cells: pd.DataFrame) -> pd.DataFrame:
    """Stata cells (numbers, dates, None) as str: 2020.0 -> '2020.0', None -> ''."""

    def text(col):
        values = col.to_numpy(dtype=object)
        out = np.empty(len(values), dtype=object)
        out[:] = list(map(str, values))
        out[pd.isna(values)] = ""
        return out

    return pd.DataFrame({c: text(cells[c]) for c in cells.columns}, index=cells.index, dtype=object)


_TEXT, _NUMBER, _OTHER = 0, 1, 2
_KINDS = {str: _TEXT, int: _NUMBER, float: _NUMBER}  # exact types: a bool (TRUE) is not a number


def _worksheet_column(values: np.ndarray) -> np.ndarray:
    """A worksheet column's cells: text normalised, numbers kept as numbers (writing 348k numbers
    as text and parsing them back would take a third of the reading time at county scale), other
    values (dates, booleans, None) as text."""
    kinds = np.fromiter(map(_KINDS.get, map(type, values), itertools.repeat(_OTHER)), dtype=np.int8, count=len(values))
    out = values.copy()
    other = kinds == _OTHER
    out[other] = ["" if v is None else str(v) for v in values[other]]
    text = kinds != _NUMBER
    out[text] = _normalise_column(pd.Series(out[text], dtype=object))
    return out


def _separator(text: str) -> str:
    """',' or tab, whichever separates more in the first lines. A tab followed by a comma (an NBS
    variant: '地区\\t,2020年\\t,') counts as padding of a comma-separated cell, not a separator."""
    head = text[:100_000]
    tabs = len(re.findall(r"\t(?![ \t]*,)", head))
    return "\t" if tabs > head.count(",") else ","


def text_sheet(text: str, source: str) -> Sheet:
    sep = _separator(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fields = np.fromiter(map(str.count, lines, itertools.repeat(sep)), dtype=np.int64, count=len(lines)) + 1
    widest = int(fields.argmax())
    if fields[widest] > MAX_FIELDS:
        raise MalformedRowError(
            f"{fields[widest]} fields: more than the {MAX_FIELDS} any extract has",
            file=source,
            where=f"line {widest + 1}",
        )
    try:
        with warnings.catch_warnings():
            # A quoted cell spanning lines can hold more fields than any one line: pandas would
            # drop the excess with a warning. Make that an error instead of a silent loss.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            cells = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                header=None,
                names=range(int(fields[widest])),
                index_col=False,
                dtype=object,
                keep_default_na=False,
                na_values=[],
                skip_blank_lines=False,
                engine="c",
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        raise MalformedRowError(
            f"cannot split the file into cells (an unclosed or stray quote?): {exc}", file=source
        ) from None
    cells.index = np.arange(1, len(cells) + 1)
    return Sheet(
        source,
        _normalise_cells(cells),
        "line",
        pd.Series(fields[: len(cells)], index=cells.index),
        ends_with_newline=text.endswith(("\n", "\r")),
    )


def spreadsheet_sheet(path: Path, source: str) -> Sheet:
    """The first non-empty visible worksheet of an xlsx/xls workbook (others are logged)."""
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        grids = []
        for meta in book.sheets_metadata:
            if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet:
                sheet = book.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=True)
                if any(any(c != "" for c in row) for row in rows):
                    grids.append((meta.name, sheet.start[0] if sheet.start else 0, rows))
    except Exception as exc:  # calamine's errors for a corrupt, encrypted or non-Excel file vary
        raise UndecodableFileError(
            f"not a readable xlsx/xls workbook ({type(exc).__name__}: {exc})", file=source
        ) from None
    if not grids:
        raise NoDataError("the workbook has no worksheet with data", file=source)
    name, first_row, rows = grids[0]
    if len(grids) > 1:
        logger.warning(
            "%s: read worksheet %r; ignored the other worksheets with data: %s", source, name, [g[0] for g in grids[1:]]
        )
    grid = pd.DataFrame(rows, dtype=object)
    cells = pd.DataFrame({c: _worksheet_column(grid[c].to_numpy(dtype=object)) for c in grid.columns}, dtype=object)
    cells.index = np.arange(first_row + 1, first_row + 1 + len(cells))
    return Sheet(source, cells, "row")


def _known_head(text: str) -> bool:
    key = normalise_name(text)
    return (
        any(key in heads for heads in (INDICATOR_HEADS, REGION_HEADS, YEAR_HEADS, VALUE_HEADS, UNIT_HEADS))
        or split_indicator(text)[0] is not None
    )


def stata_sheet(path: Path, source: str) -> Sheet:
    """A .dta file: heads are the variable names, or their labels where a name is not a known head
    (old Stata formats cannot store Chinese names)."""
    try:
        with pd.io.stata.StataReader(path) as reader:
            data = reader.read(convert_categoricals=True)
            labels = reader.variable_labels()
    except Exception as exc:  # pandas' errors for a corrupt .dta vary (ValueError, struct.error, ...)
        raise UndecodableFileError(
            f"not a readable Stata .dta file ({type(exc).__name__}: {exc})", file=source
        ) from None
    heads = [c if _known_head(c) or not labels.get(c) else labels[c] for c in data.columns]
    # astype(str) writes a float32 as its shortest repr (12153.03, not 12153.0302734375).
    cells = _as_text(
        pd.concat(
            [pd.DataFrame([heads], dtype=object), pd.DataFrame(data.astype(str).to_numpy(dtype=object))],
            ignore_index=True,
        )
    )
    cells.index = np.arange(len(cells))  # observation 1 is the first data row
    return Sheet(source, _normalise_cells(cells), "observation")


_XLSX, _XLS = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _is_stata(raw: bytes) -> bool:
    # Format 117+ opens with a tag; 113-115 with the version byte, byte order (1|2) and filetype 1.
    return raw.startswith(b"<stata_dta>") or (
        len(raw) > 3 and raw[0] in (113, 114, 115) and raw[1] in (1, 2) and raw[2] == 1
    )


def load_sheet(path: Path, source: str) -> Sheet:
    """The file's cells, whatever the container, chosen by its first bytes."""
    with open(path, "rb") as fh:
        magic = fh.read(16)
    if magic.startswith((_XLSX, _XLS)):
        return spreadsheet_sheet(path, source)
    if _is_stata(magic):
        return stata_sheet(path, source)
    text = decode(path.read_bytes(), source)
    if not text.strip():
        raise NoDataError("the file is empty", file=source)
    top = _WEB_PAGE.match(text[:4096])
    if top:
        # the tag only, not the line: a page's first line can hold a URL with a session token
        tag = top.group(0).strip() + ">"
        line = text[: top.end()].count("\n") + 1
        raise SavedWebPageError(
            f"a saved web page (markup at the top: {tag!r}), not a data export: "
            "the download probably failed (a login or 'session expired' page?); "
            "export the data again (if the page does hold the table, open it in a "
            "spreadsheet program and save it as .xlsx or .csv)",
            file=source,
            where=f"line {line}",
        )
    return text_sheet(text, source)


# ---------------------------------------------------------------- header, metadata, body
def find_header(sheet: Sheet, is_header) -> int | None:
    """Line of the first row among the first HEADER_SEARCH_ROWS whose heads satisfy `is_header`."""
    head = sheet.cells.head(HEADER_SEARCH_ROWS)
    for line, row in zip(head.index, head.itertuples(index=False)):
        if is_header([normalise_name(cell_text(c)) for c in row]):
            return line
    return None


def metadata(sheet: Sheet, header_line: int) -> dict[str, tuple[str, int]]:
    """Lines above the header such as '指标：地区生产总值(亿元)' -> {'指标': ('地区生产总值(亿元)', line)}."""
    meta = {}
    for line, first in sheet.cells.loc[: header_line - 1, 0].items():
        key, sep, value = cell_text(first).partition(":")  # NFKC made '：' a ':'
        if sep:
            meta.setdefault(normalise_name(key), (value.strip(), line))
    return meta


def body(
    sheet: Sheet, header_line: int, is_header=None, footer_expected: bool = False
) -> tuple[list[str], pd.DataFrame]:
    """The header's cells and the table below it: blank rows dropped, the trailing notes (from the
    first line starting with 注, 数据来源, 版权, 导出, ...) logged and dropped, columns cut to the
    header's width. A data line shorter than the header, or a value beyond its last heading, is
    an error; so are a second export block after the notes (a row satisfying `is_header`) and a
    text file that looks cut off (check_truncated; `footer_expected`: the layout's exports end
    with notes)."""
    header = sheet.cells.loc[header_line]
    filled = np.flatnonzero(header.to_numpy() != "")
    width = int(filled[-1]) + 1
    rows = sheet.cells.loc[header_line + 1 :]
    rows = rows[(rows != "").any(axis=1)]
    notes = rows.loc[per_distinct(rows[0], lambda c: isinstance(c, str) and ":" in c).astype(bool), 0]
    is_note = notes.map(lambda c: normalise_name(c.partition(":")[0]).startswith(FOOTER_WORDS))
    if is_note.any():
        start = is_note.idxmax()
        check_second_block(sheet, rows.loc[start:], header_line, width, is_header)
        notes = rows.loc[start:, 0]
        logger.info(
            "%s: skipped %d note line(s) below the table, from %s: %s",
            sheet.source,
            len(notes),
            sheet.place(start),
            [n[:60] for n in notes.head(5)],
        )
        rows = rows.loc[: start - 1]
    if rows.empty:
        raise NoDataError(f"the header at {sheet.place(header_line)} is followed by no data rows", file=sheet.source)
    if not is_note.any():
        check_truncated(sheet, rows, width, footer_expected)
    beyond = (rows.iloc[:, width:] != "").any(axis=1)
    if beyond.any():
        line = beyond.idxmax()
        raise MalformedRowError(
            f"a value beyond the header's last column ({width} columns at "
            f"{sheet.place(header_line)}): {list(rows.loc[line][rows.loc[line] != ''])}",
            file=sheet.source,
            where=sheet.place(line),
        )
    if sheet.fields is not None:
        short = sheet.fields.reindex(rows.index) < width
        if short.any():
            line = short.idxmax()
            raise MalformedRowError(
                f"{sheet.fields[line]} field(s) where the header ({sheet.place(header_line)}) has {width}",
                file=sheet.source,
                where=sheet.place(line),
            )
    return list(map(cell_text, header.iloc[:width])), rows.iloc[:, :width]


def check_second_block(sheet: Sheet, below_notes: pd.DataFrame, header_line: int, width: int, is_header) -> None:
    """Data after the notes: a second header (two exports pasted into one file), or a row as wide
    as the table ending in a number, is an error naming the line where the second block starts."""
    for line, row in zip(below_notes.index, below_notes.itertuples(index=False)):
        cells = [cell_text(c) for c in row]
        filled = [c for c in cells if c != ""]
        looks_like_data = (
            len(filled) >= width
            and width > 1
            and _number_or_missing(filled[-1]) is not None
            and filled[-1].casefold() not in MISSING_MARKERS
        )
        if looks_like_data or (is_header is not None and is_header(list(map(normalise_name, cells)))):
            raise SecondExportBlockError(
                f"a second export block starts here, below the notes that end the table headed at "
                f"{sheet.place(header_line)} (two exports pasted into one file?): save each export "
                f"as a file of its own and list both under config raw",
                file=sheet.source,
                where=sheet.place(line),
            )


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def check_truncated(sheet: Sheet, rows: pd.DataFrame, width: int, footer_expected: bool) -> None:
    """A text file whose last line has no line end and no notes below it may be a download cut
    off: an error when the layout's exports end with notes (`footer_expected`), or when the last
    number is shorter than every other number of its column, or has fewer decimals than all of
    them where they all have the same (a writer that drops trailing zeros varies them).
    (Workbooks and .dta files are containers that do not open when cut off.)"""
    if sheet.ends_with_newline is not False:
        return
    line = rows.index[-1]
    last = rows.loc[line].iloc[:width]
    filled = np.flatnonzero(last.to_numpy() != "")
    col = last.index[filled[-1]] if len(filled) else None
    cell = cell_text(last[col]) if col is not None else ""
    if footer_expected:
        raise TruncatedFileError(
            f"the file ends in this line without a line end and without the notes (数据来源：..., "
            f"注：...) an export ends with; last cell {cell!r}: possibly truncated (a download cut "
            f"off?). Download the export again (a complete file you made yourself: end it with a "
            f"line end).",
            file=sheet.source,
            where=sheet.place(line),
        )
    others = [cell_text(c) for c in rows.loc[rows.index[:-1], col]] if col is not None else []
    others = [t for t in others if _number_or_missing(t) is not None and t.casefold() not in MISSING_MARKERS]
    if not others or _number_or_missing(cell) is None:
        return
    decimals = set(map(_decimals, others))
    fewer = len(decimals) == 1 and _decimals(cell) < min(decimals)
    if len(cell) < min(map(len, others)) or fewer:
        raise TruncatedFileError(
            f"the file ends in this line without a line end, in the number {cell!r}, shorter than "
            f"the column's other numbers ({min(map(len, others))} characters or more"
            + (f", all with {min(decimals)} decimals" if len(decimals) == 1 else "")
            + "): possibly truncated (a download cut off?). Download the export again.",
            file=sheet.source,
            where=sheet.place(line),
        )


def head_columns(sheet: Sheet, heads: list[str], header_line: int, roles: dict) -> dict[str, int]:
    """Column of each role ({'region': REGION_HEADS, ...}) in the header; two columns for a role
    is an error."""
    found: dict[str, int] = {}
    for col, head in enumerate(heads):
        for role, names in roles.items():
            if normalise_name(head) in names:
                if role in found:
                    raise HeaderNotFoundError(
                        f"two {role} columns: {heads[found[role]]!r} and {head!r}",
                        file=sheet.source,
                        where=sheet.place(header_line),
                    )
                found[role] = col
    return found


# ---------------------------------------------------------------- rows -> the tidy table
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


# ---------------------------------------------------------------- the layouts
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


# ---------------------------------------------------------------- the entry point
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


def describe_sheet(sheet: Sheet) -> str:
    """What a file is, by its shape alone (never its content: a file named by mistake, such as
    /etc/passwd or a key file, must not be echoed into the log)."""
    n, width = len(sheet.cells), sheet.cells.shape[1]
    if sheet.row_word == "row":
        return f"a spreadsheet of {n} row(s) x {width} column(s)"
    if sheet.row_word == "observation":
        return f"a Stata .dta file of {max(n - 1, 0)} observation(s) of {width} variable(s)"
    lines = int((sheet.cells != "").any(axis=1).sum())
    widest = int(sheet.fields.max()) if sheet.fields is not None and len(sheet.fields) else width
    shape = "one field per line (no comma or tab between cells)" if widest == 1 else f"up to {widest} fields per line"
    return f"a text file of {n} line(s) ({lines} not empty), {shape}"


def detect_layout(sheet: Sheet) -> str:
    for name, detect, _ in LAYOUTS:
        if detect(sheet):
            return name
    raise HeaderNotFoundError(
        f"{describe_sheet(sheet)}; no known header in its first {HEADER_SEARCH_ROWS} rows (is it a data "
        f"export? its content is not shown here). Expected "
        f"a header such as 指标,地区,时间,数值 (EPS), 地区,2021年,2020年,... below a 指标： line "
        f"(NBS), 地区,地区生产总值(亿元),... below a 时间： line (NBS), 地区,年份,地区生产总值（亿元）,"
        f"第一产业比重（%）,... (GDP + composition), or province,year,gdp,primary,secondary,tertiary",
        file=sheet.source,
    )


def read_extract(path) -> pd.DataFrame:
    """Read one raw extract of any supported layout into the tidy long table."""
    path = Path(path)
    source = path.as_posix()
    if not path.is_file():
        raise MissingFileError("raw extract not found", file=source)
    try:
        sheet = load_sheet(path, source)
    except PermissionError:
        raise UnreadableFileError(
            "cannot be read (permission denied): make it readable (chmod a+r) or copy it somewhere readable",
            file=source,
        ) from None
    if not any(cell != "" for col in sheet.cells.columns for cell in sheet.cells[col]):
        raise NoDataError("the file has no cells with content", file=source)
    layout = detect_layout(sheet)
    table = dict((name, reader) for name, _, reader in LAYOUTS)[layout](sheet)
    logger.info("%s: layout %s, %d rows", source, layout, len(table))
    return table


def require_series(long: pd.DataFrame, series, needed_by: dict) -> None:
    """Every series of `series` has rows in the extracts read; else MissingIndicatorError naming the
    series missing, the indicators that need them (`needed_by`: indicator -> its series) and the
    files read. Run by the ingest stage, the first job, so a selection the extracts cannot serve
    stops before any other output."""
    absent = [s for s in series if s not in set(long["indicator"])]
    if not absent:
        return
    who = sorted(i for i, needs in needed_by.items() if set(needs) & set(absent))
    raise MissingIndicatorError(
        f"no extract gives the series {absent}, needed by the selected indicator(s) {who} (config "
        f"indicators); series found: {sorted(set(long['indicator']))}. Add an extract with employment "
        f"by sector and in total (第一产业就业人员, 第二产业就业人员, 第三产业就业人员, 就业人员, in 万人 or 人) "
        f"to raw, or leave {who} out of indicators",
        file=", ".join(long["source"].unique()),
    )


def read_extracts(paths) -> pd.DataFrame:
    """All configured extracts, concatenated in config order."""
    paths = [Path(p).as_posix() for p in paths]
    twice = sorted({p for p in paths if paths.count(p) > 1})
    if twice:
        raise ConfigError(f"listed more than once: {twice}", file="config", where="raw")
    return pd.concat([read_extract(p) for p in paths], ignore_index=True)
