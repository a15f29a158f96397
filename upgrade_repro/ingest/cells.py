"""Cells -> values: a cell's text, a year ('2021', '2021年', '2021.0'), a number (thousands
groupings, decimal commas, missing-value markers), a region name tidied; each parse that fails
names the file, line and column."""

import logging
import re
import unicodedata

import numpy as np
import pandas as pd

from upgrade_repro.errors import (
    BadYearError,
    DecimalCommaError,
    NonNumericValueError,
)
from upgrade_repro.ingest.sheets import Sheet

logger = logging.getLogger(__name__)

# Cell texts (after NFKC, case-folded) that mean "no value".
MISSING_MARKERS = {"", "--", "—", "-", "…", "...", "na", "n/a", "nan", "null"}

_YEAR_TEXT = re.compile(r"(\d{4})(?:\.0*)?\s*年?")
# A comma in a number is a thousands separator only in a valid grouping (1,234 or 12,345,678.5);
# a single comma between digits otherwise (12153,03) is a decimal comma (see parse_values).
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")


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


def number_or_missing(cell, decimal_comma: bool = False) -> float | None:
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
    parsed = [number_or_missing(c, decimal_comma) for c in cells[slow]]
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
