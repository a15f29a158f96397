"""The printed style of numbers, signs and ranges, one per edition (docs/manuscript.md, "Style of
numbers, signs and ranges"): the one place that decides how a negative number, a range of years and
a range of values are printed. Every printed output uses it: the tables' cells, captions and notes
(table1_files.py, beyond_table_files.py: so .md, .tex, the layout .json, Word and Excel's text),
Excel's number formats (spreadsheet_format), the report's numbers and ranges (report.py) and the
figures' year spans and tier ranges (figures.py). Machine files (csv, the panel, dta) keep their
machine form: hyphen-minus, plain numbers.

- minus: U+2212 (−) in both editions, never the hyphen-minus (-) or a dash;
- a range of years: zh 一字线 (GB/T 15834-2011 连接号, 起止 of time: 2008—2021 年), en an en dash
  (2008–2021);
- a range of values: zh 浪纹线 (GB/T 15834: 数值范围, 3～4), en an en dash (3–4);
  both without spaces around the mark;
- a number too small for its positional digits is written out in positional notation (0.000000215),
  never in e-notation.
"""

import re

import numpy as np

MINUS = "\u2212"
YEAR_DASH = {"zh": "\u2014", "en": "\u2013"}
VALUE_DASH = {"zh": "\uff5e", "en": "\u2013"}
# What follows a year or a range of years in running text (zh: 2008—2021 年, spaced as the paper's text).
YEAR_WORD = {"zh": " 年", "en": ""}
# Every mark a range or a minus is typed with, in any edition or by hand.
RANGE_MARKS = "-\u2010\u2011\u2012\u2013\u2014\u2015~\uff5e\uff0d"


def _check(language: str) -> str:
    if language not in YEAR_DASH:
        raise ValueError(f"no printed style for language {language!r} (known: {sorted(YEAR_DASH)})")
    return language


def year_range(start, end, language: str) -> str:
    """'2008—2021' (zh) or '2008–2021' (en); one year when start == end."""
    if int(start) == int(end):
        return str(int(start))
    return f"{int(start)}{YEAR_DASH[_check(language)]}{int(end)}"


def years(start, end, language: str) -> str:
    """A year or a span of years as running text: '2008—2021 年', '2008 年' (zh); '2008–2021' (en)."""
    return year_range(start, end, language) + YEAR_WORD[_check(language)]


def value_range(low, high, language: str) -> str:
    """'3～4' (zh) or '3–4' (en); numbers as given (an int or a float prints as :g)."""
    return f"{_plain(low)}{VALUE_DASH[_check(language)]}{_plain(high)}"


def _plain(x) -> str:
    return typeset(f"{x:g}" if isinstance(x, float) else str(x), "en")


def number(value, spec: str = ".3f") -> str:
    """A number as printed: `spec` a format spec ('.3f', '+.3g', ',.0f'), the minus U+2212, and
    positional digits where the spec would give e-notation (+2.15e-07 -> +0.000000215)."""
    text = format(value, spec)
    if "e" in text and np.isfinite(value):
        digits = re.search(r"\.(\d+)", spec)
        precision = int(digits.group(1)) if digits else 6
        sign = "+" if "+" in spec and value >= 0 else ""
        text = sign + np.format_float_positional(value, precision=precision, unique=False, fractional=False, trim="-")
    return text.replace("-", MINUS)


def spreadsheet_format(decimals: int) -> str:
    """An Excel number format showing `decimals` decimals and a negative number with U+2212
    ('0.000;"−"0.000'): the cell keeps its number, the sheet prints the edition's minus."""
    shown = "0." + "0" * decimals if decimals else "0"
    return f'{shown};"{MINUS}"{shown}'


# A number, unsigned: digits with optional thousands commas and decimals; a space within a line.
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SP = r"[ \u00a0\u3000]"
# A range between two numbers: a dash or tilde (spaces allowed), or a hyphen without spaces. Not
# inside an identifier, a version or a date (2024-01-05): nothing word-like, '.', '-' or '/' touching it.
_RANGE = re.compile(
    rf"(?<![\w.\-/\u2212])({_NUM})(?:{_SP}*[\u2012\u2013\u2014\u2015~\uff5e\uff0d]{_SP}*|-)({_NUM})(?![\w.\-/])"
)
# A minus typed as a hyphen-minus or a dash: before a number, not after a word, digit or closing
# bracket (COVID-19, e-07, 2024-01-05 and x-1 stay as they are).
_MINUS = re.compile(r"(?<![\w.)\]\u2212])[-\u2012\u2013\uff0d](?=\.?\d)")
_CODE = re.compile(r"(`[^`]+`)")
_YEAR = re.compile(r"[12]\d{3}")


def typeset(text: str, language: str) -> str:
    """A printed text in the style of its edition: every range between two numbers with the
    edition's mark (zh: 一字线 between two years, 浪纹线 between other numbers; en: en dash), every
    minus U+2212. Code spans (`like this`, a note's source marks) are left as they are. Idempotent."""
    _check(language)

    def one_range(m):
        low, high = m.group(1), m.group(2)
        dash = YEAR_DASH if _YEAR.fullmatch(low) and _YEAR.fullmatch(high) else VALUE_DASH
        return f"{low}{dash[language]}{high}"

    parts = _CODE.split(str(text))
    for i in range(0, len(parts), 2):  # even pieces are prose, odd ones code spans
        parts[i] = _MINUS.sub(MINUS, _RANGE.sub(one_range, parts[i]))
    return "".join(parts)


def typeset_all(texts, language: str) -> list:
    """typeset of each text of a list (a row of cells, the notes)."""
    return [typeset(t, language) for t in texts]


# ------------------------------------------------------------------ what the tests check outputs for
# A text breaks the style of `language` where one of these matches (style_problems).
_BAD = {
    "a hyphen-minus or dash as a minus sign": re.compile(r"(?<![\w.)\]])[-\u2012\u2013\uff0d](?=\.?\d)"),
    "a tilde (~) in a range": re.compile(rf"\d{_SP}*~{_SP}*\d"),
}
_BAD_RANGE = {
    "zh": {
        "an en dash in a range": re.compile(rf"\d{_SP}*\u2013{_SP}*\d"),
        "a hyphen in a range": re.compile(rf"(?<![\w.\-/])({_NUM})-({_NUM})(?![\w.\-/])"),
        "a range with spaces around its mark": re.compile(rf"\d{_SP}+[\u2014\uff5e]|[\u2014\uff5e]{_SP}+\d"),
        "浪纹线 between two years": re.compile(r"(?<!\d)[12]\d{3}\uff5e[12]\d{3}(?!\d)"),
        "一字线 between two values": re.compile(r"(?<![\d.])(?![12]\d{3}\u2014)\d[\d.]*\u2014\d"),
    },
    "en": {
        "an em dash in a range": re.compile(rf"\d{_SP}*\u2014{_SP}*\d"),
        "a full-width tilde in a range": re.compile(rf"\d{_SP}*\uff5e{_SP}*\d"),
        "a hyphen in a range": re.compile(rf"(?<![\w.\-/])({_NUM})-({_NUM})(?![\w.\-/])"),
        "a range with spaces around its mark": re.compile(rf"\d{_SP}+\u2013{_SP}*\d|\d{_SP}*\u2013{_SP}+\d"),
    },
}


def style_problems(text: str, language: str) -> list[str]:
    """What in a printed `text` breaks the style of `language` (empty: none); code spans are not
    looked at. The tests run every printed output through it."""
    prose = "".join(_CODE.split(str(text))[0::2])
    found = []
    for what, pattern in {**_BAD, **_BAD_RANGE[_check(language)]}.items():
        for m in pattern.finditer(prose):
            found.append(f"{what}: …{prose[max(0, m.start() - 20) : m.end() + 20]}…")
    return found
