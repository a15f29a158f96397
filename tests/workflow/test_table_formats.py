"""The tables of real runs opened with their own readers: every .tex table of the default (demo)
run and of an English run with all six indicators compiled by xelatex; the English run's tables
(md, tex, json, docx, xlsx, Stata labels) searched for CJK characters."""

import docx
import openpyxl
import pandas as pd
from conftest import CJK, compile_tables

# Chinese text an English table keeps on purpose: none so far (names are translated:
# region_labels.csv, the code table's English names); list any exception here, with its reason.
KEPT_CHINESE: set[str] = set()


def cjk_left(texts) -> list[str]:
    return [t for t in texts if CJK.search(CJK.sub("", t) if t in KEPT_CHINESE else t)]


def test_every_tex_table_compiles(demo_run, english_six_run, tmp_path):
    for run, name in ((demo_run, "demo"), (english_six_run, "six_en")):
        tex = sorted((run / "results/tables").glob("*.tex"))
        assert len(tex) == 5
        (tmp_path / name).mkdir()
        text = compile_tables(tex, tmp_path / name)
        assert "`" not in text
    assert "Table A2: Time trends" in text or "A2: Time trends" in text


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
