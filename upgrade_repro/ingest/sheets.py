"""Files -> grids of text cells (Sheet): text files in UTF-8, UTF-16 or GB18030/GBK, xlsx/xls
workbooks through python-calamine, Stata .dta files through pandas; the container is told by the
file's first bytes, never its name. A saved web page is refused here."""

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
    MalformedRowError,
    NoDataError,
    SavedWebPageError,
    UndecodableFileError,
)
from upgrade_repro.ingest.names import (
    INDICATOR_HEADS,
    REGION_HEADS,
    UNIT_HEADS,
    VALUE_HEADS,
    YEAR_HEADS,
    split_indicator,
)
from upgrade_repro.regions import normalise_name

logger = logging.getLogger(__name__)

MAX_FIELDS = 5000  # more fields than any extract has: a line of garbage, not a table
# Markup at the top of a text file: a saved web page, not an export.
_WEB_PAGE = re.compile(
    r"\s*<(!doctype\s+html|html|head|body|script|meta|title|style|link|div|table|"
    r"form|iframe|noscript|!--|\?xml)\b",
    re.IGNORECASE,
)


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
