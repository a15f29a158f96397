"""Rule table1_files: Table 1 as Markdown and LaTeX, on numbers small enough to check by hand."""

from conftest import HAND_INDICATORS

from upgrade_repro.describe import describe
from upgrade_repro.table1_files import table1_heads
from upgrade_repro.tables import latex_escape, latex_table, markdown_table, statistic_cells
from upgrade_repro.texts import text


def test_markdown_and_latex_tables():
    t = describe(HAND_INDICATORS)
    caption, heads = text("zh", "tables.table1.caption"), table1_heads("zh")
    md = markdown_table(caption, heads, statistic_cells(t, 3), ["注：demo"])
    assert "| 变量 | 观测值 | 平均值 | 标准差 | 最小值 | 最大值 |" in md
    assert "| upgrade | 4 | 2.500 | 1.291 | 1.000 | 4.000 |" in md
    assert md.rstrip().endswith("注：demo")
    tex = latex_table(caption, "tab:table1", heads, statistic_cells(t, 2), ["50% & more_"])
    assert r"\toprule" in tex and r"\bottomrule" in tex
    assert r"upgrade & 4 & 2.50 & 1.29 & 1.00 & 4.00 \\" in tex
    assert r"50\% \& more\_" in tex
    assert latex_escape("{a}\\") == r"\{a\}\textbackslash{}"


def test_table1_s_note_names_a_panel_across_data_vintages():
    """Issue 28: the choice's note after the sample note (Word, Excel, md, tex, json share it); a
    panel of one vintage has the sample note alone, as before."""
    from upgrade_repro.table1_files import sample_note, table1_table

    table = describe(HAND_INDICATORS)
    note = "数据版本拼接、未衔接：2020 年为初次公布数；2021 年为第五次全国经济普查后的修订数；2021 年为断点。"
    plain = table1_table(table, HAND_INDICATORS, 3, "province", "zh", False)
    assert plain.notes == [sample_note(HAND_INDICATORS, "province", "zh")]
    spliced = table1_table(table, HAND_INDICATORS, 3, "province", "zh", False, note)
    assert spliced.notes == [*plain.notes, note] and spliced.rows == plain.rows
