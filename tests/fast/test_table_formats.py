"""Each table format rendered by its own reader: a note's code spans per format (render_note), the
LaTeX tables compiled with xelatex in the preamble of their edition (caption numbered once, notes
wrapped; conftest.compile_tables), the preambles as docs/manuscript.md states them, and what the
catalogue's manuscript group may type (no indicator's label or unit: those are the catalogue's)."""

import re

import pytest
import yaml
from conftest import ROOT, compile_tables

from upgrade_repro.catalogue import load_catalogue
from upgrade_repro.tables import LATEX_PREAMBLES, latex_preamble, latex_table, note_spans, render_note

NOTE = "注：同 Stata `regress y t i.code, vce(cluster code)`；标准误小约 3.5%，见 `xtreg y t, fe`。"


def test_a_note_rendered_in_each_format():
    assert render_note(NOTE, "md") == NOTE
    assert (
        render_note(NOTE, "plain")
        == "注：同 Stata regress y t i.code, vce(cluster code)；标准误小约 3.5%，见 xtreg y t, fe。"
    )
    assert render_note(NOTE, "tex") == (
        r"注：同 Stata \texttt{regress y t i.code, vce(cluster code)}；标准误小约 3.5\%，见 \texttt{xtreg y t, fe}。"
    )
    assert [code for _, code in note_spans(NOTE)] == [False, True, False, True, False]
    assert "".join(t for t, _ in note_spans(NOTE)) == render_note(NOTE, "plain")
    with pytest.raises(ValueError, match="docx"):
        render_note(NOTE, "docx")


def test_latex_table_compiles_numbered_once_with_the_note_wrapped(tmp_path):
    long_note = "注：" + "这是一条很长的注释，" * 30 + "见 `regress y t i.code`。"
    rows = [["upgrade", "-0.0117*", "< 0.001"], ["service", "0.5", "0.0495"]]
    tex = tmp_path / "t.tex"
    tex.write_text(latex_table("表 A2 测试表格", "tab:t", ["变量", "β", "p 值"], rows, [long_note]), encoding="utf-8")
    one = tmp_path / "one.tex"
    one.write_text(latex_table("表 1 第一个表", "tab:one", ["变量", "值"], [["a", "1"]], []), encoding="utf-8")
    text = compile_tables([one, tex], tmp_path)
    assert re.search(r"表 1: 第一个表", text) and re.search(r"表 A2: 测试表格", text)
    assert "表 A2: 表 A2" not in text and text.count("A2") == 1 and "表 1: 表 1" not in text
    lines = [line for line in text.splitlines() if "这是一条很长的注释" in line]
    assert len(lines) >= 3  # the note wraps at the table's width (an l column never would)
    assert "regress y t i.code" in text and "`" not in text


def test_manuscript_texts_type_no_indicator_label_or_unit():
    """The text catalogue's manuscript group names the panel's keys only; every indicator's label and unit come from
    data/reference/indicators.yaml (one unit name per indicator: 比例（0–1）, not 比值（0～1） too)."""
    texts = yaml.safe_load((ROOT / "upgrade_repro/texts.yaml").read_text(encoding="utf-8"))["manuscript"]
    catalogue = load_catalogue(ROOT / "data/reference/indicators.yaml")
    for section in ("variables", "units"):
        assert not set(texts[section]) & set(catalogue), section


def test_the_english_edition_compiles_without_ctex(tmp_path):
    """The English preamble loads no ctex, so LaTeX's own caption label reads "Table 1:" (ctex would
    print 表 1); a table numbered apart (A2) keeps its number; en dash, minus, × and R² print."""
    assert "ctex" not in latex_preamble("en") and r"\usepackage[UTF8]{ctex}" in latex_preamble("zh")
    one = tmp_path / "one.tex"
    one.write_text(latex_table("Table 1 First", "tab:one", ["Variable", "N"], [["a", "1"]], []), encoding="utf-8")
    two = tmp_path / "two.tex"
    rows = [["Yearly trend × East", "−0.0117*"], ["R²", "0.040"]]
    note = "Note: 2008–2021; `regress y t`."
    two.write_text(latex_table("Table A2 Second", "tab:two", ["", "upgrade"], rows, [note]), encoding="utf-8")
    text = compile_tables([one, two], tmp_path, "en")
    assert "Table 1: First" in text and "Table A2: Second" in text and "表" not in text
    assert "2008–2021" in text and "−0.0117*" in text and "R²" in text


def test_docs_state_both_preambles():
    """docs/manuscript.md shows each edition's preamble as a latex block (comments aside), exactly
    tables.LATEX_PREAMBLES."""
    docs = (ROOT / "docs/manuscript.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```latex\n(.*?)```", docs, re.S)
    shown = ["".join(re.sub(r"\s*%.*$", "", line) + "\n" for line in block.splitlines()) for block in blocks]
    assert sorted(shown) == sorted(LATEX_PREAMBLES.values())
