"""The tables of real runs opened with their own readers: every .tex table of the default (demo)
run and of the runs with all six indicators, in English and Chinese, compiled by xelatex in the
preamble of the run's language (one document per run); the English run's tables
(md, tex, json, docx, xlsx, Stata labels) searched for CJK characters."""

import re

import docx
import openpyxl
import pandas as pd
import pytest
from conftest import CJK, compile_tables

# Chinese text an English table keeps on purpose: none so far (names are translated:
# region_labels.csv, the code table's English names); list any exception here, with its reason.
KEPT_CHINESE: set[str] = set()


def cjk_left(texts) -> list[str]:
    return [t for t in texts if CJK.search(CJK.sub("", t) if t in KEPT_CHINESE else t)]


TABLES = ("table1", "table_regions", "table_trends", "table_beta", "table_sigma")


@pytest.mark.parametrize("run, language", [("demo_run", "zh"), ("english_six_run", "en"), ("chinese_six_run", "zh")])
def test_every_tex_table_compiles_in_its_editions_preamble(request, tmp_path, run, language):
    """All five .tex tables of a run in ONE document with the preamble of the run's language
    (tables.latex_preamble: ctex in Chinese, none in English), compiled by xelatex without an error,
    an overfull box or a missing glyph: captions 表 1: … in Chinese, Table 1: … in English."""
    results = request.getfixturevalue(run) / "results/tables"
    assert sorted(p.stem for p in results.glob("*.tex")) == sorted(TABLES)
    text = compile_tables([results / f"{t}.tex" for t in TABLES], tmp_path, language)
    assert "`" not in text
    label = {"zh": "表", "en": "Table"}[language]
    numbers = re.findall(rf"{label} (\w+): ", text)
    assert numbers == ["1", "A1", "A2", "A3", "A4"], numbers
    if language == "en":
        assert not CJK.search(text) and "Table A2: Time trends" in text


def test_the_english_run_has_no_chinese_in_any_table(english_six_run):
    tables = english_six_run / "results/tables"
    texts = []
    files = sorted(tables.glob("*.md")) + sorted(tables.glob("*.tex")) + sorted(tables.glob("*.json"))
    assert len(files) == 15  # table1, regions, trends, beta, sigma: md, tex, json
    for f in files:
        texts += f.read_text(encoding="utf-8").splitlines()
    doc = docx.Document(english_six_run / "results/manuscript/tables.docx")
    texts += [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    book = openpyxl.load_workbook(english_six_run / "results/manuscript/tables.xlsx")
    texts += [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    texts += book.sheetnames
    with pd.io.stata.StataReader(english_six_run / "results/data/indicators.dta") as reader:
        texts += list(reader.variable_labels().values()) + [reader.data_label]
        texts += [v for labels in reader.value_labels().values() for v in labels.values()]
    assert len(texts) > 500
    assert sorted(set(cjk_left(texts))) == []
    assert any("East" in t for t in texts) and any("Beijing" in t for t in texts)
