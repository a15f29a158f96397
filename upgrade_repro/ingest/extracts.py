"""The ingest stage's entry point: a raw extract (read_extract) or the configured list of them
(read_extracts) -> the tidy long table; the layout is detected from the grid's content (LAYOUTS),
never the file name."""

import logging
from pathlib import Path

import pandas as pd

from upgrade_repro.errors import (
    ConfigError,
    HeaderNotFoundError,
    MissingFileError,
    MissingIndicatorError,
    NoDataError,
    UnreadableFileError,
)
from upgrade_repro.ingest.layouts import LAYOUTS
from upgrade_repro.ingest.sheets import Sheet, load_sheet
from upgrade_repro.ingest.table import HEADER_SEARCH_ROWS

logger = logging.getLogger(__name__)


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
