"""Rule table1_files: Table 1 as Markdown and LaTeX, on numbers small enough to check by hand."""

from conftest import HAND_INDICATORS

from upgrade_repro.descriptive import describe
from upgrade_repro.tables import format_latex, format_markdown, latex_escape


def test_markdown_and_latex_tables():
    t = describe(HAND_INDICATORS)
    md = format_markdown(t, 3, ["注：demo"])
    assert "| 变量 | 观测值 | 平均值 | 标准差 | 最小值 | 最大值 |" in md
    assert "| upgrade | 4 | 2.500 | 1.291 | 1.000 | 4.000 |" in md
    assert md.rstrip().endswith("注：demo")
    tex = format_latex(t, 2, ["50% & more_"])
    assert r"\toprule" in tex and r"\bottomrule" in tex
    assert r"upgrade & 4 & 2.50 & 1.29 & 1.00 & 4.00 \\" in tex
    assert r"50\% \& more\_" in tex
    assert latex_escape("{a}\\") == r"\{a\}\textbackslash{}"
