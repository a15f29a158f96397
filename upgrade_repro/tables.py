"""Tables as files: Table 1's heads and caption, text cells, Markdown and LaTeX writers (one call
writes a table's csv, md and tex), the demo note, significance stars."""

import json
import re

import pandas as pd

from upgrade_repro.descriptive import STATISTICS
from upgrade_repro.files import write_csv, write_text

HEADS = ("变量", "观测值", "平均值", "标准差", "最小值", "最大值")
CAPTION = "表 1 产业结构升级指标的描述性统计"
DEMO_NOTE = "演示数据：由 tools/make_demo.py 合成的数值，不是统计数据，不能与论文比较；在真实导出文件上运行见 README。"


def with_demo_note(notes: list[str], demo: bool) -> list[str]:
    """The notes of a table or figure, plus the demo label when it is made from the demo data."""
    return notes + ([f"注：{DEMO_NOTE}"] if demo else [])


def statistic_cells(table: pd.DataFrame, decimals: int) -> list[list[str]]:
    """Rows of a describe() table as text: variable, N, then the statistics to `decimals`."""
    return [
        [r.variable, str(r.n), *(f"{getattr(r, s):.{decimals}f}" for s in STATISTICS[1:])] for r in table.itertuples()
    ]


def markdown_table(caption: str, heads, rows: list[list[str]], notes: list[str], left: int = 1) -> str:
    """A Markdown table of text cells; the first `left` columns left-aligned, the others right."""
    align = "|" + "---|" * left + "---:|" * (len(heads) - left)
    lines = [caption, "", "| " + " | ".join(heads) + " |", align]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines + [""] + [f"{n}\n" for n in notes])


def latex_table(caption: str, label: str, heads, rows: list[list[str]], notes: list[str], left: int = 1) -> str:
    """A booktabs table of text cells (needs \\usepackage{booktabs} and a CJK-capable engine, e.g.
    xelatex + ctex); every cell and note is escaped."""
    body = [" & ".join(latex_escape(c) for c in row) + r" \\" for row in rows]
    note_rows = [rf"\multicolumn{{{len(heads)}}}{{l}}{{\footnotesize {latex_escape(n)}}} \\" for n in notes]
    return "\n".join(
        [
            r"\begin{table}[htbp]",
            r"\centering",
            rf"\caption{{{latex_escape(caption)}}}",
            rf"\label{{{label}}}",
            r"\begin{tabular}{" + "l" * left + "r" * (len(heads) - left) + "}",
            r"\toprule",
            " & ".join(latex_escape(h) for h in heads) + r" \\",
            r"\midrule",
            *body,
            r"\bottomrule",
            *note_rows,
            r"\end{tabular}",
            r"\end{table}",
            "",
        ]
    )


def format_markdown(table: pd.DataFrame, decimals: int, notes: list[str]) -> str:
    return markdown_table(CAPTION, HEADS, statistic_cells(table, decimals), notes)


def format_latex(table: pd.DataFrame, decimals: int, notes: list[str]) -> str:
    return latex_table(CAPTION, "tab:table1", HEADS, statistic_cells(table, decimals), notes)


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
}


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters in one pass (so an inserted brace is not escaped again)."""
    return re.sub(r"[\\&%$#_{}~^]", lambda m: _LATEX_SPECIALS[m.group()], text)


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
