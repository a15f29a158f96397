"""A sheet -> its table: the header row (found by what its heads say), the metadata lines above it
(指标：..., 时间：...), the body below it with the trailing notes dropped; a second export block
after the notes and a text file cut off are refused here."""

import logging

import numpy as np
import pandas as pd

from upgrade_repro.errors import (
    HeaderNotFoundError,
    MalformedRowError,
    NoDataError,
    SecondExportBlockError,
    TruncatedFileError,
)
from upgrade_repro.ingest.cells import MISSING_MARKERS, cell_text, number_or_missing, per_distinct
from upgrade_repro.ingest.sheets import Sheet
from upgrade_repro.regions import normalise_name

logger = logging.getLogger(__name__)

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
            and number_or_missing(filled[-1]) is not None
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
    others = [t for t in others if number_or_missing(t) is not None and t.casefold() not in MISSING_MARKERS]
    if not others or number_or_missing(cell) is None:
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
