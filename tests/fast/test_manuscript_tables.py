"""Rule manuscript_tables: tables.docx (three-line tables, fonts, column widths, Figure 1) and
tables.xlsx, each opened with its own reader and checked against numbers computed here by hand;
byte-identical writes. The inputs: conftest's run_dir."""

import io
import os
import re
import shutil
import subprocess
import zipfile

import docx
import matplotlib
import openpyxl
import pandas as pd
import pytest
from conftest import CATALOGUE, ROOT, SCHEMES, table1_cells_by_hand
from docx.oxml.ns import qn

import upgrade_repro.manuscript_tables as manuscript
import upgrade_repro.stata_panel as stata_panel
from upgrade_repro.beyond_table_files import beyond_tables
from upgrade_repro.indicators import VARIABLES
from upgrade_repro.table1_files import table1_table
from upgrade_repro.texts import texts as catalogue_texts

matplotlib.use("Agg")


REFERENCES = {
    "schemes": SCHEMES,
    "scheme_names": ROOT / "data/reference/region_scheme_names.csv",
    "region_labels": ROOT / "data/reference/region_labels.csv",
    "catalogue": ROOT / "data/reference/indicators.yaml",
}


def make_tables(d, language="zh", decimals=3, coef_decimals=4):
    texts = catalogue_texts(language, "manuscript")
    indicators = pd.read_csv(d / "indicators.csv", dtype={"code": str})
    tables = [table1_table(pd.read_csv(d / "table1.csv"), indicators, decimals, "province", language, False)]
    paths = {k: d / f"{k}.csv" for k in ("table_regions", "table_trends", "table_beta")}
    tables += beyond_tables(paths, d / "indicators.csv", REFERENCES, "nbs4", decimals, coef_decimals, language, False)
    return tables, texts


def make_docx(d, language="zh", approval="GS(审)0001号", **kw):
    tables, texts = make_tables(d, language, **kw)
    figure = (d / "figure.png", "图 1 测试图", [texts["approval"].format(number=approval)])
    return manuscript.docx_bytes(manuscript.build_document(tables, texts["document_title"], figure))


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


# ------------------------------------------------------------------------------------------ docx
def test_docx_table1_against_the_panel(run_dir):
    doc = open_docx(make_docx(run_dir))
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0] == ["变量", "观测值", "平均值", "标准差", "最小值", "最大值"]
    assert cells[1:] == table1_cells_by_hand(indicators, 3)
    texts = [p.text for p in doc.paragraphs]
    title = texts.index("表 1 产业结构升级指标的描述性统计")
    # the title is above the table and the note below it
    body = list(doc.element.body.iterchildren())
    assert body.index(doc.paragraphs[title]._p) < body.index(doc.tables[0]._tbl)
    note = next(p for p in doc.paragraphs if p.text.startswith("注：30 个省份"))
    assert body.index(note._p) > body.index(doc.tables[0]._tbl)
    assert "2010—2013" in note.text and "N = 120" in note.text


def test_docx_decimals_follow_the_config(run_dir):
    doc = open_docx(make_docx(run_dir, decimals=2, coef_decimals=5))
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows][1:] == table1_cells_by_hand(indicators, 2)
    trend = pd.read_csv(run_dir / "table_trends.csv").set_index(["variable", "term"])
    row = [c.text for c in doc.tables[2].rows[1].cells]
    expected = f"{trend.loc[('upgrade', 'trend'), 'estimate']:.5f}"
    assert row[1].rstrip("*") == expected
    se = [c.text for c in doc.tables[2].rows[2].cells][1]
    assert se == f"({trend.loc[('upgrade', 'trend'), 'se']:.5f})"
    beta = pd.read_csv(run_dir / "table_beta.csv")
    assert [c.text for c in doc.tables[3].rows[1].cells][2].rstrip("*") == f"{beta['beta'].iloc[0]:.5f}"


def test_docx_regional_table_against_group_statistics(run_dir):
    doc = open_docx(make_docx(run_dir))
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    scheme = pd.read_csv(SCHEMES, dtype=str).set_index("code")["nbs4"]
    cells = [[c.text for c in r.cells] for r in doc.tables[1].rows][1:]
    region = ""
    for row in cells:
        region = row[0] or region
        x = indicators.loc[indicators["code"].map(scheme) == region, row[1]].to_numpy()
        assert row[2:] == [str(len(x)), f"{x.mean():.3f}", f"{x.std(ddof=1):.3f}", f"{x.min():.3f}", f"{x.max():.3f}"]
    assert {r[0] for r in cells} - {""} == {"东部", "中部", "西部", "东北"}
    assert len(doc.tables) == 4


def _borders(element, tag):
    found = element.find(qn(tag))
    return (
        {}
        if found is None
        else {qn_el.tag.split("}")[1]: (qn_el.get(qn("w:val")), qn_el.get(qn("w:sz"))) for qn_el in found}
    )


def test_docx_three_line_rules(run_dir):
    doc = open_docx(make_docx(run_dir))
    for table in doc.tables:
        table_borders = _borders(table._tbl.tblPr, "w:tblBorders")
        assert table_borders and all(v == "nil" for v, _ in table_borders.values())
        rows = table.rows
        for i, row in enumerate(rows):
            for cell in row.cells:
                b = _borders(cell._tc.tcPr, "w:tcBorders")
                # never a vertical rule
                for edge in ("left", "right", "insideV", "insideH"):
                    assert b[edge][0] == "nil"
                top = int(b["top"][1]) if b["top"][0] == "single" else 0
                bottom = int(b["bottom"][1]) if b["bottom"][0] == "single" else 0
                if i == 0:
                    assert top > bottom > 0  # heavy top rule, thin rule under the head
                    assert top == manuscript.HEAVY_RULE
                elif i == len(rows) - 1:
                    assert (top, bottom) == (0, manuscript.HEAVY_RULE)
                else:
                    assert (top, bottom) == (0, 0)


def test_docx_fonts(run_dir):
    doc = open_docx(make_docx(run_dir))
    runs = [r for p in doc.paragraphs for r in p.runs if r.text]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert len(runs) > 50
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "宋体"
        # Latin text in Times New Roman; a note's code span (`regress ...`) in a monospace face
        code = run.text.startswith(("regress ", "xtreg "))
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == ("Courier New" if code else "Times New Roman")


def test_docx_figure_with_caption_and_approval_number(run_dir):
    doc = open_docx(make_docx(run_dir, approval="GS(审)0042号"))
    assert len(doc.inline_shapes) == 1
    picture = next(i for i, p in enumerate(doc.paragraphs) if p._p.xpath(".//pic:pic"))
    assert doc.paragraphs[picture + 1].text == "图 1 测试图"
    assert doc.paragraphs[picture + 2].text == "审图号：GS(审)0042号"
    with zipfile.ZipFile(io.BytesIO(make_docx(run_dir))) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert z.read(media[0]) == (run_dir / "figure.png").read_bytes()


def test_docx_in_english(run_dir):
    doc = open_docx(make_docx(run_dir, language="en"))
    texts = [p.text for p in doc.paragraphs]
    assert "Table 1 Descriptive statistics of the upgrading indicators" in texts
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["Variable", "N", "Mean", "SD", "Min", "Max"]
    assert "Note: panel of 30 provinces, 2010–2013 (N = 120); sample standard deviation." in texts
    assert any(t.startswith("Table A2 Time trends") for t in texts)
    assert not any(t.startswith("表 1") for t in texts)


def test_docx_and_xlsx_and_dta_are_byte_identical_on_rewrite(run_dir, tmp_path):
    assert make_docx(run_dir) == make_docx(run_dir)
    tables, texts = make_tables(run_dir)
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    labels = stata_panel.variable_labels("gdp", CATALOGUE)
    panel = manuscript.panel_sheet_frame(indicators, labels, stata_panel.panel_units(CATALOGUE))
    one, two = (
        manuscript.xlsx_bytes(tables, panel, "p", "c", "n", stata_panel.panel_units(CATALOGUE)) for _ in range(2)
    )
    assert one == two
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    for name in ("a.dta", "b.dta"):
        frame, names = stata_panel.stata_frame(indicators)
        stata_panel.write_stata(frame, names, labels, "x", tmp_path / name)
    assert (tmp_path / "a.dta").read_bytes() == (tmp_path / "b.dta").read_bytes()


# ------------------------------------------------------------------------------------------ xlsx
def test_xlsx_sheets_values_and_heads(run_dir, tmp_path):
    tables, texts = make_tables(run_dir)
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    labels = stata_panel.variable_labels("gdp", CATALOGUE)
    panel = manuscript.panel_sheet_frame(indicators, labels, stata_panel.panel_units(CATALOGUE))
    path = tmp_path / "t.xlsx"
    path.write_bytes(
        manuscript.xlsx_bytes(tables, panel, texts["panel_sheet"], "panel", "注", stata_panel.panel_units(CATALOGUE))
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["table1", "table_regions", "table_trends", "table_beta", "指标面板"]
    ws = book["table1"]
    assert ws["A1"].value == "表 1 产业结构升级指标的描述性统计"
    assert [c.value for c in ws[2]] == ["variable", "unit", "n", "mean", "sd", "min", "max"]
    table1 = pd.read_csv(run_dir / "table1.csv")
    for i, var in enumerate(VARIABLES):
        row = [c for c in ws[3 + i]]
        x = indicators[var]
        assert row[0].value == var and row[1].value == stata_panel.panel_units(CATALOGUE)[var]
        assert row[2].value == len(x)
        # full precision (16 significant digits, as openpyxl stores floats), shown at 3 decimals
        assert [c.value for c in row[3:]] == pytest.approx(
            table1.loc[i, ["mean", "sd", "min", "max"]].tolist(), rel=1e-15, abs=0
        )
        assert row[3].value == pytest.approx(x.mean(), rel=1e-12)
        # three decimals, a negative number with the printed minus (typeset.spreadsheet_format)
        assert all(c.number_format == '0.000;"−"0.000' for c in row[3:])
    trends_ws = book["table_trends"]
    assert [c.value for c in trends_ws[2]] == list(pd.read_csv(run_dir / "table_trends.csv").columns)
    assert trends_ws["E3"].number_format == '0.0000;"−"0.0000'
    ws = book["指标面板"]
    heads = [c.value for c in ws[2]]
    assert heads[0] == "code: 行政区划代码（GB/T 2260） [代码]"
    # the catalogue's name, formula and unit (data/reference/indicators.yaml), nothing typed twice
    assert heads[3] == "产业结构升级：Y_3 / Y_2 [比值]"
    values = pd.DataFrame([[c.value for c in r] for r in ws.iter_rows(min_row=3)], columns=heads)
    assert values.iloc[:, 0].tolist() == indicators["code"].astype(int).tolist()
    assert values.iloc[:, 1].tolist() == indicators["province"].tolist()
    for j, var in enumerate(VARIABLES, start=3):
        assert values.iloc[:, j].tolist() == pytest.approx(indicators[var].tolist(), rel=1e-15, abs=0)


# ---------------------------------------------------------------------------------- column widths
def test_docx_column_widths_fit_the_content_and_the_page(run_dir, tmp_path):
    """python-docx reads each table's widths: grid and cells agree, every column holds its longest
    unbreakable piece at the table's type size, the table fits its section's text width, and Table
    A3's columns are not nine equal ones. With LibreOffice, the PDF shows no number or word broken."""
    from upgrade_repro.tables import longest_token_ems

    data = make_docx(run_dir)
    doc = open_docx(data)
    sections = {id(s._sectPr): s for s in doc.sections}
    assert len(doc.tables) == 4
    for table in doc.tables:
        grid = [c.width.pt for c in table.columns]
        for row in table.rows:
            assert [c.width.pt for c in row.cells] == pytest.approx(grid)
        heads = [c.text for c in table.rows[0].cells]
        cells = [[c.text for c in r.cells] for r in table.rows[1:]]
        size = next(r.font.size.pt for r in table.rows[1].cells[-1].paragraphs[0].runs)
        need = [e * size + 2 * 5.4 for e in longest_token_ems(heads, cells)]  # Word's default cell margins
        assert all(g >= n for g, n in zip(grid, need)), (heads, grid, need)
        # the section holding the table: the next sectPr after it in the body (or the last section)
        body = list(doc.element.body.iterchildren())
        after = body[body.index(table._tbl) :]
        sect = next(
            (
                e
                for e in after
                if e.find(qn("w:pPr")) is not None and e.find(qn("w:pPr")).find(qn("w:sectPr")) is not None
            ),
            None,
        )
        section = sections[id(sect.find(qn("w:pPr")).find(qn("w:sectPr")))] if sect is not None else doc.sections[-1]
        assert sum(grid) <= manuscript.text_width_pt(section) + 0.5
    assert len({round(w) for w in (c.width.pt for c in doc.tables[3].columns)}) > 3
    if not shutil.which("libreoffice") or not shutil.which("pdftotext"):
        if os.environ.get("CI"):
            pytest.fail("CI: libreoffice and pdftotext are required")
        pytest.skip("libreoffice or pdftotext not installed")
    (tmp_path / "t.docx").write_bytes(data)
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "t.docx"),
        ],
        check=True,
        capture_output=True,
    )
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True).stdout
    words = {
        t
        for table in doc.tables
        for r in table.rows
        for c in r.cells
        for t in [c.text]
        if c.text and not re.search(r"[\u3400-\u9fff]", c.text)
    }
    assert "upgrade" in words and any(re.fullmatch(r"\(?-?\d+\.\d{4}\)?\**", w) for w in words)
    broken = [w for w in words if w not in text]
    assert broken == []


def test_notes_render_per_format_with_scheme_names_and_catalogue_units(run_dir, tmp_path):
    """Word: code spans in Courier New, no backtick; Excel: plain text; both name the scheme by its
    human name (not the key nbs4); Excel's units are the catalogue's (比例（0–1）, as the report)."""
    doc = open_docx(make_docx(run_dir))
    notes = [p for p in doc.paragraphs if p.text.startswith("注：")]
    assert notes and not any("`" in p.text or "nbs4" in p.text for p in notes)
    assert any("国家统计局四大地区" in p.text for p in notes)
    code = [r for p in notes for r in p.runs if r.text.startswith("regress ")]
    assert code and code[0]._element.rPr.rFonts.get(qn("w:ascii")) == "Courier New"
    tables, texts = make_tables(run_dir)
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    units = stata_panel.panel_units(CATALOGUE)
    panel = manuscript.panel_sheet_frame(indicators, stata_panel.variable_labels("gdp", CATALOGUE), units)
    path = tmp_path / "t.xlsx"
    path.write_bytes(manuscript.xlsx_bytes(tables, panel, "p", "c", "n", units))
    book = openpyxl.load_workbook(path)
    values = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("`" in v or "nbs4" in v for v in values)
    assert any("国家统计局四大地区" in v for v in values)
    service = CATALOGUE["service"]["unit"]["zh"]
    assert any(v.endswith(f"[{service}]") and v.startswith(CATALOGUE["service"]["name"]["zh"]) for v in values)
    assert service in [c.value for c in book["table1"]["B"]]
