"""Tables as files: text cells, Markdown and LaTeX writers (one call writes a table's csv, md and
tex), the layout the report reads, the demo note, significance stars, and a note's rendering per
format (render_note: a note is one source text, code spans marked with backticks as in Markdown;
one escaping per format: markdown_text for Markdown, html.escape for HTML, latex_escape for LaTeX).

A table as printed (PrintedTable: caption, heads, text cells, notes, and the csv behind it) is made
by the stage that renders it (upgrade_repro/table1_files.py, upgrade_repro/beyond_table_files.py)
and written here as .md/.tex/.json, or as Word and Excel by upgrade_repro/manuscript_tables.py.
Every text is the catalogue's (upgrade_repro/texts.py) in the output language."""

import html
import json
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from upgrade_repro.describe import STATISTICS
from upgrade_repro.files import write_csv, write_text
from upgrade_repro.texts import CJK, check_language, text

# \label of each table's .tex
LATEX_LABELS = {
    "table1": "tab:table1",
    "table_regions": "tab:regions",
    "table_trends": "tab:trends",
    "table_beta": "tab:beta",
    "table_sigma": "tab:sigma",
}


@dataclass
class PrintedTable:
    """One table as printed: its text cells (.md, .tex, Word) and its full-precision data (Excel)."""

    key: str  # the output it comes from (table1, table_regions, ...)
    caption: str
    heads: list[str]
    rows: list[list[str]]  # text cells at the configured decimals
    notes: list[str]
    data: pd.DataFrame  # the csv, full precision
    decimals: int  # display decimals of the data's floats in Excel
    left: int = 1  # leading text columns (left-aligned)


def with_demo_note(notes: list[str], demo: bool, language: str = "zh") -> list[str]:
    """The notes of a table, plus the demo label when it is made from the demo data."""
    return notes + ([text(language, "tables.demo_note", demo=text(language, "demo_data"))] if demo else [])


# --------------------------------------------------------------------------------------- notes
_CODE_SPAN = re.compile(r"`([^`]+)`")
NOTE_FORMATS = ("md", "html", "tex", "plain")


def note_spans(text: str) -> list[tuple[str, bool]]:
    """A note's text as (text, is_code) pieces: a code span is marked `like this` in the source."""
    spans, at = [], 0
    for m in _CODE_SPAN.finditer(text):
        if m.start() > at:
            spans.append((text[at : m.start()], False))
        spans.append((m.group(1), True))
        at = m.end()
    if at < len(text):
        spans.append((text[at:], False))
    return spans


def render_note(text: str, fmt: str) -> str:
    """One note in one format: md escapes the text (markdown_text) and keeps code in backticks
    (Markdown code, taken as it is), html escapes the text and sets code in <code>, tex escapes the
    text and sets code in \\texttt{}, plain (Excel, Stata, anything without markup) drops the
    marks. Word gets the spans themselves (note_spans), code in a monospace run."""
    if fmt == "md":
        return "".join(f"`{t}`" if code else markdown_text(t) for t, code in note_spans(text))
    if fmt == "html":
        return "".join(f"<code>{html.escape(t)}</code>" if code else html.escape(t) for t, code in note_spans(text))
    if fmt == "tex":
        return "".join(rf"\texttt{{{latex_escape(t)}}}" if code else latex_escape(t) for t, code in note_spans(text))
    if fmt == "plain":
        return "".join(t for t, _ in note_spans(text))
    raise ValueError(f"note format {fmt!r} not in {NOTE_FORMATS} (Word: note_spans)")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
# What would make raw HTML in Markdown: a < opening a tag, an & opening an entity.
_MD_HTML = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?\w+;)")


def markdown_text(text: str) -> str:
    """Text as Markdown shows it (the one Markdown escaping: the tables' .md and the report's .md):
    Markdown's specials, and a < or & that would start HTML, backslash-escaped, so that a text
    never becomes markup or breaks a table row; a line break becomes a space. Nothing is
    HTML-escaped (a Markdown file is read as text too: an apostrophe stays an apostrophe)."""
    text = _MD_SPECIAL.sub(r"\\\1", str(text))
    return _MD_HTML.sub(lambda m: "\\" + m.group(0), text).replace("\r", " ").replace("\n", " ")


_CAPTION_NUMBER = re.compile(r"^(?:表|Table)\s*([A-Z]?\d+)\s+(.+)$", re.S)


def split_caption(caption: str) -> tuple[str | None, str]:
    """'表 A2 title' or 'Table A2 title' -> ('A2', 'title'); a caption without a number -> (None, caption)."""
    m = _CAPTION_NUMBER.match(caption)
    return (m.group(1), m.group(2)) if m else (None, caption)


# ---------------------------------------------------------------------------------------- widths
def text_em(text: str) -> float:
    """Estimated printed width of a text in em of its type size: a wide or full-width (CJK) character
    1 em, a space 0.35 em, any other 0.64 em. Generous on purpose: Times New Roman's digits are 0.5
    em, but a machine without it (LibreOffice on a server) sets the text in DejaVu Serif, whose
    digits are 0.64 em, and a cell must not break there either. Used to fit Word column widths and
    to choose a LaTeX table's orientation."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.35 if c == " " else 0.64 for c in text)


def column_ems(heads, rows: list[list[str]]) -> list[float]:
    """Each column's widest cell (head included), in em."""
    return [max(text_em(str(r[j])) for r in [list(heads), *rows]) for j in range(len(heads))]


def unbreakable_pieces(cell: str) -> list[str]:
    """The pieces of a cell that must stay on one line: a short cell without CJK whole ("< 0.001",
    "-0.0117*", "Wald F"), else each Latin word or number and each CJK character (CJK text may
    break between any two characters)."""
    if len(cell) <= MAX_UNBROKEN and not CJK.search(cell):
        return [cell]
    return re.findall(r"[^\s\u3000-\u9fff\uff00-\uffef]+|[\u3000-\u9fff\uff00-\uffef]", cell)


MAX_UNBROKEN = 16  # a cell without CJK up to this many characters is kept on one line


def longest_token_ems(heads, rows: list[list[str]]) -> list[float]:
    """Each column's widest unbreakable piece in em (unbreakable_pieces)."""
    pieces = unbreakable_pieces
    return [
        max([text_em(t) for r in [list(heads), *rows] for t in pieces(str(r[j]))] or [0.0]) for j in range(len(heads))
    ]


# What a document needs to \input the .tex tables of each edition (docs/manuscript.md; the tests compile
# every table of a run in the preamble of its language, with xelatex). The Chinese edition loads ctex
# (Chinese text, captions "表 1："); the English one does not, so its captions read "Table 1:".
_LATEX_TABLES = r"""\usepackage{booktabs}
\usepackage{threeparttable}
\usepackage{adjustbox}
\usepackage{rotating}
"""
LATEX_PREAMBLES = {
    "zh": r"\documentclass[a4paper]{article}" + "\n" + r"\usepackage[UTF8]{ctex}" + "\n" + _LATEX_TABLES,
    "en": r"\documentclass[a4paper]{article}" + "\n" + _LATEX_TABLES,
}


def latex_preamble(language: str) -> str:
    """The preamble of a document that \\inputs the .tex tables of `language` (compile with xelatex)."""
    return LATEX_PREAMBLES[check_language(language)]


# A LaTeX table wider than this (A4 article's \textwidth, 10 pt type, 6 pt column padding) is set
# sideways, on a landscape page; adjustbox shrinks it further only if it still does not fit.
LATEX_TEXTWIDTH_PT, LATEX_PT, LATEX_PAD_PT = 345.0, 10.0, 12.0


def latex_natural_width(heads, rows: list[list[str]]) -> float:
    return sum(e * LATEX_PT + LATEX_PAD_PT for e in column_ems(heads, rows))


def statistic_cells(table: pd.DataFrame, decimals: int) -> list[list[str]]:
    """Rows of a describe() table as text: variable, N, then the statistics to `decimals`."""
    return [
        [r.variable, str(r.n), *(f"{getattr(r, s):.{decimals}f}" for s in STATISTICS[1:])] for r in table.itertuples()
    ]


def markdown_table(caption: str, heads, rows: list[list[str]], notes: list[str], left: int = 1) -> str:
    """A Markdown table of text cells; the first `left` columns left-aligned, the others right.
    Every text escaped as the report's Markdown escapes it (markdown_text, render_note)."""
    md = markdown_text
    align = "|" + "---|" * left + "---:|" * (len(heads) - left)
    lines = [md(caption), "", "| " + " | ".join(map(md, heads)) + " |", align]
    lines += ["| " + " | ".join(map(md, row)) + " |" for row in rows]
    return "\n".join(lines + [""] + [f"{render_note(n, 'md')}\n" for n in notes])


def latex_table(caption: str, label: str, heads, rows: list[list[str]], notes: list[str], left: int = 1) -> str:
    """A booktabs table in a threeparttable, notes in its tablenotes (they wrap at the table's width).
    Needs xelatex, booktabs and threeparttable (latex_preamble: ctex too in Chinese). \\caption numbers the
    table itself, so it gets the title only; a table numbered apart from the document's tables (A2)
    sets \\thetable to that number inside its float and leaves the document's counter where it was."""
    number, title = split_caption(caption)
    body = [" & ".join(latex_escape(c) for c in row) + r" \\" for row in rows]
    numbering = []
    if number is not None and not number.isdigit():
        numbering = [rf"\renewcommand{{\thetable}}{{{number}}}\addtocounter{{table}}{{-1}}"]
    note_lines = [r"\begin{tablenotes}[flushleft]", r"\footnotesize"]
    note_lines += [rf"\item[] {render_note(n, 'tex')}" for n in notes] + [r"\end{tablenotes}"]
    float_env = "sidewaystable" if latex_natural_width(heads, rows) > LATEX_TEXTWIDTH_PT else "table"
    return "\n".join(
        [
            rf"\begin{{{float_env}}}[htbp]",
            r"\centering",
            *numbering,
            rf"\caption{{{latex_escape(title)}}}",
            rf"\label{{{label}}}",
            r"\begin{adjustbox}{max width=\linewidth}",
            r"\begin{threeparttable}",
            r"\begin{tabular}{" + "l" * left + "r" * (len(heads) - left) + "}",
            r"\toprule",
            " & ".join(latex_escape(h) for h in heads) + r" \\",
            r"\midrule",
            *body,
            r"\bottomrule",
            r"\end{tabular}",
            *(note_lines if notes else []),
            r"\end{threeparttable}",
            r"\end{adjustbox}",
            rf"\end{{{float_env}}}",
            "",
        ]
    )


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\^{}",
    # Greek letters: Latin Modern has none in text, and ctex's CJK font would set them full width.
    "β": r"\ensuremath{\beta}",
    "σ": r"\ensuremath{\sigma}",
    "λ": r"\ensuremath{\lambda}",
    # Relations of the indicators' units (index (≥ 0)): Latin Modern has none in text.
    "≥": r"\ensuremath{\geq}",
    "≤": r"\ensuremath{\leq}",
}


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters in one pass (so an inserted brace is not escaped again)."""
    return re.sub(r"[\\&%$#_{}~^βσλ≥≤]", lambda m: _LATEX_SPECIALS[m.group()], text)


def table_layout(caption: str, heads, rows: list[list[str]], notes: list[str], left: int = 1) -> dict:
    """A table as printed (text cells at the configured decimals): the one layout that its .md and
    .tex render and that the report reads from its .json (never by parsing the Markdown)."""
    return {
        "caption": caption,
        "heads": list(heads),
        "rows": [list(r) for r in rows],
        "notes": list(notes),
        "left": left,
    }


def write_table_files(
    output, table: pd.DataFrame, caption: str, label: str, heads, rows: list[list[str]], notes: list[str], left: int = 1
) -> None:
    """A table's four files: output.csv at full precision; output.md, output.tex and output.layout
    (JSON, for the report) as text cells."""
    write_csv(table, output.csv)
    write_text_files(output, caption, label, heads, rows, notes, left)


def write_text_files(output, caption: str, label: str, heads, rows: list[list[str]], notes: list[str], left: int = 1):
    """A table's text files in one language: output.md, output.tex and output.layout (JSON)."""
    write_text(markdown_table(caption, heads, rows, notes, left=left), output.md)
    write_text(latex_table(caption, label, heads, rows, notes, left=left), output.tex)
    layout = table_layout(caption, heads, rows, notes, left)
    write_text(json.dumps(layout, ensure_ascii=False, indent=1) + "\n", output.layout)


def stars(p: float) -> str:
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


# Conventional significance levels: a printed p-value must be on the same side of each as the
# p-value itself (0.0495 printed 0.050 reads as not significant at 5 %).
THRESHOLDS = (0.001, 0.01, 0.05, 0.1)


def p_text(p: float) -> str:
    """A p-value as text: '< 0.001', else four decimals, more where rounding to four would move it
    across a conventional threshold (0.04996 -> '0.04996', not '0.0500')."""
    if p < 0.001:
        return "< 0.001"
    decimals = 4
    while any((p < c) != (round(p, decimals) < c) for c in THRESHOLDS) and decimals < 12:
        decimals += 1
    return f"{p:.{decimals}f}"
