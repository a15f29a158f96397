"""Rule manuscript_tables: tables.docx (three-line tables, fonts, column widths, pagination, Figure 1)
and tables.xlsx (the tables as printed, their full-precision data, the panel), each opened with its
own reader (python-docx, openpyxl, and LibreOffice's PDF of both: one soffice call for the module,
tests/office.py) and checked against numbers computed here by hand; the pure functions behind
pagination, one note per table and Excel's cells and widths; byte-identical writes. The inputs:
conftest's run_dir."""

import io
import re
import zipfile

import docx
import matplotlib
import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import CATALOGUE, ROOT, SCHEMES, table1_cells_by_hand
from docx.oxml.ns import qn
from office import (
    char_units,
    check_excel_sheets,
    check_word_pagination,
    note_row,
    pdf_pages,
    to_pdf,
    word_tables,
)

import upgrade_repro.manuscript_tables as manuscript
import upgrade_repro.stata_panel as stata_panel
from upgrade_repro.beyond_table_files import beyond_tables
from upgrade_repro.indicators import VARIABLES
from upgrade_repro.table1_files import table1_table
from upgrade_repro.tables import PrintedTable
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
    paths["table_sigma"] = d / "sigma.csv"
    tables += beyond_tables(paths, d / "indicators.csv", REFERENCES, "nbs4", decimals, coef_decimals, language, False)
    return tables, texts


def make_docx(d, language="zh", approval="GS(审)0001号", **kw):
    tables, texts = make_tables(d, language, **kw)
    figure = (d / "figure.png", "图 1 测试图", [texts["approval"].format(number=approval)])
    return manuscript.docx_bytes(manuscript.build_document(tables, texts["document_title"], figure))


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def make_xlsx(d, language="zh", **kw) -> bytes:
    tables, texts = make_tables(d, language, **kw)
    indicators = pd.read_csv(d / "indicators.csv", dtype={"code": str})
    units = stata_panel.panel_units(CATALOGUE, language)
    panel = manuscript.panel_sheet_frame(indicators, stata_panel.variable_labels("gdp", CATALOGUE, language), units)
    return manuscript.xlsx_bytes(tables, panel, texts["panel_sheet"], "panel", texts["data_sheet"], units)


@pytest.fixture(scope="module")
def made(run_dir) -> dict:
    """The Word and Excel files of run_dir at the default decimals, in both languages, made once for
    the module: {(format, language): bytes}."""
    return {
        (kind, language): (make_docx if kind == "docx" else make_xlsx)(run_dir, language)
        for kind in ("docx", "xlsx")
        for language in ("zh", "en")
    }


@pytest.fixture(scope="module")
def rendered(made, tmp_path_factory):
    """The files of `made` and LibreOffice's PDF of each (one soffice call): {(format, language):
    (file, list of page texts)}."""
    d = tmp_path_factory.mktemp("rendered")
    files = {}
    for (kind, language), data in made.items():
        files[(kind, language)] = d / f"{'tables' if kind == 'docx' else 'book'}_{language}.{kind}"
        files[(kind, language)].write_bytes(data)
    pdfs = to_pdf(files.values(), d / "pdf")
    return {key: (path, pdf_pages(pdfs[path])) for key, path in files.items()}


# ------------------------------------------------------------------------------------------ docx
def test_docx_table1_against_the_panel(made, run_dir):
    doc = open_docx(made[("docx", "zh")])
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    table = word_tables(doc)[0]
    assert table["heads"] == ["变量", "观测值", "平均值", "标准差", "最小值", "最大值"]
    assert table["rows"] == table1_cells_by_hand(indicators, 3)
    # the title is the paragraph above the table, the note its last row (one cell across it)
    assert table["caption"] == "表 1 产业结构升级指标的描述性统计"
    assert doc.element.body.index(doc.tables[0]._tbl) == doc.element.body.index(doc.paragraphs[0]._p) + 1
    [note] = table["notes"]
    assert note.startswith("注：30 个省份") and "2010—2013" in note and "N = 120" in note
    assert doc.tables[0].rows[-1].cells[0].text == note


def test_docx_decimals_follow_the_config(run_dir):
    doc = open_docx(make_docx(run_dir, decimals=2, coef_decimals=5))
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    assert word_tables(doc)[0]["rows"] == table1_cells_by_hand(indicators, 2)
    trend = pd.read_csv(run_dir / "table_trends.csv").set_index(["variable", "term"])
    row = [c.text for c in doc.tables[2].rows[1].cells]
    expected = f"{trend.loc[('upgrade', 'trend'), 'estimate']:.5f}"
    assert row[1].rstrip("*") == expected
    se = [c.text for c in doc.tables[2].rows[2].cells][1]
    assert se == f"({trend.loc[('upgrade', 'trend'), 'se']:.5f})"
    beta = pd.read_csv(run_dir / "table_beta.csv")
    assert [c.text for c in doc.tables[3].rows[1].cells][2].rstrip("*") == f"{beta['beta'].iloc[0]:.5f}"


def test_docx_regional_table_against_group_statistics(made, run_dir):
    doc = open_docx(made[("docx", "zh")])
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    scheme = pd.read_csv(SCHEMES, dtype=str).set_index("code")["nbs4"]
    cells = word_tables(doc)[1]["rows"]
    region = ""
    for row in cells:
        region = row[0] or region
        x = indicators.loc[indicators["code"].map(scheme) == region, row[1]].to_numpy()
        assert row[2:] == [str(len(x)), f"{x.mean():.3f}", f"{x.std(ddof=1):.3f}", f"{x.min():.3f}", f"{x.max():.3f}"]
    assert {r[0] for r in cells} - {""} == {"东部", "中部", "西部", "东北"}
    assert len(doc.tables) == 5


def _borders(element, tag):
    found = element.find(qn(tag))
    return (
        {}
        if found is None
        else {qn_el.tag.split("}")[1]: (qn_el.get(qn("w:val")), qn_el.get(qn("w:sz"))) for qn_el in found}
    )


def test_docx_three_line_rules(made, run_dir):
    """Rules on the head (heavy above, thin below) and under the last row (heavy); none on the
    note's row below it, and never a vertical one."""
    doc = open_docx(made[("docx", "zh")])
    for table in doc.tables:
        table_borders = _borders(table._tbl.tblPr, "w:tblBorders")
        assert table_borders and all(v == "nil" for v, _ in table_borders.values())
        assert note_row(table)
        note = _borders(table.rows[-1].cells[0]._tc.tcPr, "w:tcBorders")
        assert note and all(v == "nil" for v, _ in note.values())
        rows = table.rows[:-1]
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


def test_docx_fonts(made, run_dir):
    doc = open_docx(made[("docx", "zh")])
    runs = [r for p in doc.paragraphs for r in p.runs if r.text]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert len(runs) > 50
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "宋体"
        # Latin text in Times New Roman; a note's code span (`regress ...`) in a monospace face
        code = run.text.startswith(("regress ", "xtreg "))
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == ("Courier New" if code else "Times New Roman")


def test_docx_figure_with_caption_and_approval_number(made, run_dir):
    doc = open_docx(make_docx(run_dir, approval="GS(审)0042号"))
    assert len(doc.inline_shapes) == 1
    picture = next(i for i, p in enumerate(doc.paragraphs) if p._p.xpath(".//pic:pic"))
    assert doc.paragraphs[picture + 1].text == "图 1 测试图"
    assert doc.paragraphs[picture + 2].text == "审图号：GS(审)0042号"
    with zipfile.ZipFile(io.BytesIO(made[("docx", "zh")])) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert z.read(media[0]) == (run_dir / "figure.png").read_bytes()


def test_docx_in_english(made):
    doc = open_docx(made[("docx", "en")])
    texts = [p.text for p in doc.paragraphs]
    assert "Table 1 Descriptive statistics of the upgrading indicators" in texts
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["Variable", "N", "Mean", "SD", "Min", "Max"]
    assert word_tables(doc)[0]["notes"] == [
        "Note: panel of 30 provinces, 2010–2013 (N = 120); sample standard deviation."
    ]
    assert any(t.startswith("Table A2 Time trends") for t in texts)
    assert not any(t.startswith("表 1") for t in texts)


def test_docx_sigma_table_against_dispersion_by_hand(made, run_dir):
    """Table A4 (σ convergence) is in Word: per year, each indicator's sd (ddof 1) and cv across
    the provinces, computed here with numpy, at three decimals."""
    doc = open_docx(made[("docx", "zh")])
    table = next(t for t in word_tables(doc) if t["caption"].startswith("表 A4"))
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    assert table["heads"] == ["年份", *(f"{v} {s}" for v in VARIABLES for s in ("标准差", "变异系数"))]
    assert [r[0] for r in table["rows"]] == ["2010", "2011", "2012", "2013"]
    for row in table["rows"]:
        year = indicators[indicators["year"] == int(row[0])]
        expected = []
        for var in VARIABLES:
            x = year[var].to_numpy()
            sd = np.sqrt(((x - x.mean()) ** 2).sum() / (len(x) - 1))
            expected += [f"{sd:.3f}", f"{sd / x.mean():.3f}"]
        assert row[1:] == expected
    assert table["notes"] and "30" in table["notes"][0]


def test_docx_and_xlsx_and_dta_are_byte_identical_on_rewrite(made, run_dir, tmp_path):
    assert make_docx(run_dir) == made[("docx", "zh")]
    one = make_xlsx(run_dir)
    assert one == made[("xlsx", "zh")]
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    labels = stata_panel.variable_labels("gdp", CATALOGUE)
    for name in ("a.dta", "b.dta"):
        frame, names = stata_panel.stata_frame(indicators)
        stata_panel.write_stata(frame, names, labels, "x", tmp_path / name)
    assert (tmp_path / "a.dta").read_bytes() == (tmp_path / "b.dta").read_bytes()


# ------------------------------------------------------------------------------------------ xlsx
@pytest.mark.parametrize("language", ["zh", "en"])
def test_xlsx_table_sheets_are_the_word_tables(run_dir, rendered, language):
    """Each table sheet is the Word table: caption, heads, every cell as Word prints it (numbers
    typed, stars as text), one note, columns wide enough; LibreOffice's PDF of the workbook shows
    every cell whole (tests/office.py check_excel_sheets). No internal key on a table sheet."""
    doc = docx.Document(rendered[("docx", language)][0])
    book = openpyxl.load_workbook(rendered[("xlsx", language)][0])
    sheets = check_excel_sheets(book, doc, "\n".join(rendered[("xlsx", language)][1]))
    number = {"zh": "表", "en": "Table"}[language]
    assert [ws.title for ws in sheets] == [f"{number} {n}" for n in ("1", "A1", "A2", "A3", "A4")]
    # the csv keys issue 26 found on the sheets: none is a cell of a table sheet (the models are
    # named by the catalogue: "absolute" is the English edition's word, 绝对收敛 the Chinese)
    keys = {"variable", "n", "sd", "df_den", "p_all", "clusters_region", "pooled", "wald_equal_trends"}
    cells = {str(c.value) for ws in sheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert not cells & keys and not any("trend:" in c for c in cells)
    # by hand: Table 1's N an integer, its mean the panel's at three decimals, shown by the format
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    ws = sheets[0]
    assert ws["B3"].value == 120 and ws["B3"].number_format == '0;"−"0'
    mean = ws["C3"]
    assert mean.value == round(indicators["upgrade"].mean(), 3) and mean.number_format == '0.000;"−"0.000'
    # stars stay text, with the coefficient as Word prints it
    trends = sheets[2]
    assert isinstance(trends["B3"].value, str) and trends["B4"].value.startswith("(")


def test_xlsx_data_sheets_hold_the_csv_at_full_precision(made, run_dir):
    """After the table sheets, one data sheet per table (its csv: keys as heads, full precision, a unit
    column in Table 1's), then the indicator panel with the catalogue's labels and units."""
    book = openpyxl.load_workbook(io.BytesIO(made[("xlsx", "zh")]))
    tables = ["表 1", "表 A1", "表 A2", "表 A3", "表 A4"]
    assert book.sheetnames == [*tables, *(f"{t} 全精度数据" for t in tables), "指标面板"]
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    units = stata_panel.panel_units(CATALOGUE)
    ws = book["表 1 全精度数据"]
    assert [c.value for c in ws[1]] == ["variable", "unit", "n", "mean", "sd", "min", "max"]
    table1 = pd.read_csv(run_dir / "table1.csv")
    for i, var in enumerate(VARIABLES):
        row = [c for c in ws[2 + i]]
        x = indicators[var]
        assert row[0].value == var and row[1].value == units[var]
        assert row[2].value == len(x)
        # full precision (16 significant digits, as openpyxl stores floats)
        assert [c.value for c in row[3:]] == pytest.approx(
            table1.loc[i, ["mean", "sd", "min", "max"]].tolist(), rel=1e-15, abs=0
        )
        assert row[3].value == pytest.approx(x.mean(), rel=1e-12)
    for sheet, csv in (("表 A2 全精度数据", "table_trends.csv"), ("表 A4 全精度数据", "sigma.csv")):
        frame = pd.read_csv(run_dir / csv)
        if csv == "sigma.csv":  # its mean and sd are in the indicator's unit
            frame.insert(1, "unit", frame["variable"].map(units))
        ws = book[sheet]
        assert [c.value for c in ws[1]] == list(frame.columns)
        values = pd.DataFrame([[c.value for c in r] for r in ws.iter_rows(min_row=2)], columns=frame.columns)
        numeric = frame.select_dtypes("number").columns
        # a missing value (the pooled trend's p_all) is an empty cell
        expected = frame[numeric].to_numpy(float)
        assert values[numeric].to_numpy(float) == pytest.approx(expected, rel=1e-15, abs=0, nan_ok=True)
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
        # each head on one line, or, past the widest column a data sheet gets, wrapped
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width
        assert width >= char_units(heads[j]) or (
            width == manuscript.DATA_SHEET_MAX_WIDTH and ws.cell(2, j + 1).alignment.wrap_text
        )


@pytest.mark.parametrize(
    "cell, value, shown",
    [
        ("420", 420, '0;"−"0'),
        ("2008", 2008, '0;"−"0'),
        ("0", 0, '0;"−"0'),
        ("0.040", 0.04, '0.000;"−"0.000'),
        ("1.168", 1.168, '0.000;"−"0.000'),
        ("-0.0088", -0.0088, "0.0000"),
        ("−0.0088", -0.0088, '0.0000;"−"0.0000'),
        ("0.0000", 0.0, '0.0000;"−"0.0000'),
        ("74.1", 74.1, '0.0;"−"0.0'),
    ],
)
def test_a_plain_number_is_stored_as_the_number_word_prints(cell, value, shown):
    assert manuscript.printed_number(cell) == (value, shown)
    assert type(manuscript.printed_number(cell)[0]) is type(value)


@pytest.mark.parametrize(
    "cell", ["0.0652***", "(0.0066)", "< 0.001", "—", "-0.000", "−0.0", "upgrade", "", "1,234", "007", "1e5", ".5"]
)
def test_any_other_cell_stays_text(cell):
    assert manuscript.printed_number(cell) is None


def test_excel_widths_and_wrapped_lines():
    """A column holds its widest cell on one line at 11 pt (CJK 1 em, Latin 0.64 em; 5.25 pt per
    unit, 2 units of margin); a wrapped note needs more lines in a narrower cell."""
    assert manuscript.xlsx_width(["420", "观测值"]) == round(3 * 11 / 5.25 + 2, 1)
    assert manuscript.xlsx_width(["0.0652***"]) == round(9 * 0.64 * 11 / 5.25 + 2, 1)
    note = "注：" + "这是一条很长的注释，" * 20  # 202 em: 202 x 11 pt x 1.1 = 2444.2 pt
    assert manuscript.xlsx_lines(note, 2 + 2444.2 / 5.25 + 1) == 1
    assert manuscript.xlsx_lines(note, 2 + 2444.2 / 5.25 / 3 + 0.1) == 3
    assert manuscript.xlsx_lines(note, 2 + 2444.2 / 5.25 / 3 - 0.1) == 4
    assert manuscript.xlsx_lines("", 10) == 1


def test_sheet_names_follow_the_table_numbers():
    def table(caption):
        return PrintedTable("table_trends", caption, ["a"], [["1"]], [], pd.DataFrame(), 0)

    assert manuscript.sheet_name(table("表 A2 产业结构升级指标的时间趋势")) == "表 A2"
    assert manuscript.sheet_name(table("Table 1 Descriptive statistics")) == "Table 1"
    assert manuscript.sheet_name(table("A caption without a number")) == "table_trends"


# ---------------------------------------------------------------------------------- pagination
def test_one_note_per_table():
    zh = ["注：每列为一个指标。括号内为标准误。", "注：Wald 检验的原假设为各地区趋势相等。"]
    assert manuscript.one_note(zh) == "注：每列为一个指标。括号内为标准误。Wald 检验的原假设为各地区趋势相等。"
    en = ["Note: each column is one indicator.", "Note: the Wald test's null is equal trends.", "Note: Demo data."]
    assert (
        manuscript.one_note(en)
        == "Note: each column is one indicator. The Wald test's null is equal trends. Demo data."
    )
    assert manuscript.one_note(["注：只有一条。"]) == "注：只有一条。"
    assert manuscript.one_note([]) == ""
    # a later note without the first one's lead is kept whole; code spans are left to the writer
    assert manuscript.one_note(["Note: `regress y t`.", "Source: NBS."]) == "Note: `regress y t`. Source: NBS."


def test_rows_kept_with_their_continuation():
    rows = [["a", "1"], ["", "(2)"], ["b", "3"], ["", "4"], ["", "5"], ["c", "6"]]
    assert manuscript.keep_with_next(rows) == [True, False, True, True, False, False]
    assert manuscript.keep_with_next([]) == []


def wide_table(key="wide", columns=14):
    """A table too wide for a portrait page even at 六号 (a landscape one)."""
    heads = ["变量", *(f"advancement_lp 变异系数 {j}" for j in range(columns))]
    return PrintedTable(
        key, f"表 {key} 宽表", heads, [["x", *("0.123" for _ in range(columns))]], ["注：宽。"], pd.DataFrame(), 3
    )


def narrow_table(key="narrow"):
    return PrintedTable(
        key, f"表 {key} 窄表", ["变量", "值"], [["a", "1"], ["", "(2)"]], ["注：窄。"], pd.DataFrame(), 0
    )


def sections_of(doc) -> list[tuple[bool, list[str]]]:
    """(landscape, captions of the tables and the figure on it) of each section, in order."""
    out, captions = [], []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            captions.append("table")
        elif child.xpath(".//pic:pic"):
            captions.append("figure")
        sect = child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if child.tag == qn("w:p") else None
        if sect is not None or child.tag == qn("w:sectPr"):
            size = (sect if sect is not None else child).find(qn("w:pgSz"))
            out.append((int(size.get(qn("w:w"))) > int(size.get(qn("w:h"))), captions))
            captions = []
    return out


def test_sections_change_only_with_the_orientation(run_dir):
    """No empty section (each holds a table or the figure), consecutive tables of one orientation
    share a section, a landscape table never begins the document on a portrait page, and the
    figure is on a portrait page."""
    portrait = manuscript.text_width_pt(docx.Document().sections[0]) - (215.9 - 210) / 25.4 * 72
    assert manuscript.needs_landscape(wide_table(), portrait) and not manuscript.needs_landscape(
        narrow_table(), portrait
    )
    figure = (run_dir / "figure.png", "图 1", [])
    cases = {
        ("wide", "narrow", "wide", "wide", "narrow"): [(True, 1), (False, 1), (True, 2), (False, 2)],
        ("narrow", "narrow"): [(False, 3)],
        ("wide",): [(True, 1), (False, 1)],
    }
    for kinds, expected in cases.items():
        tables = [wide_table(f"w{i}") if k == "wide" else narrow_table(f"n{i}") for i, k in enumerate(kinds)]
        doc = open_docx(manuscript.docx_bytes(manuscript.build_document(tables, "t", figure)))
        sections = sections_of(doc)
        assert [(landscape, len(items)) for landscape, items in sections] == expected, kinds
        assert sections[-1][1][-1] == "figure" and not sections[-1][0]
    doc = open_docx(manuscript.docx_bytes(manuscript.build_document([wide_table()], "t")))
    assert [(landscape, len(items)) for landscape, items in sections_of(doc)] == [(True, 1)]


def test_pagination_properties_of_every_table(made, run_dir):
    """python-docx reads what keeps a table together, on a document built in memory: the head repeats
    (w:tblHeader) and stays with the first row, no row splits, a coefficient stays with its
    standard error and a region's name with the region's rows, the last row with the one note,
    whose type is the table's (六号 where the table is set in 六号)."""
    doc = open_docx(made[("docx", "zh")])
    tables = word_tables(doc)
    assert len(tables) == 5
    for t in tables:
        assert t["header"] == [True] + [False] * len(t["rows"]) and all(t["cant_split"]) and t["caption_keeps"]
        expected = [True, *(i + 1 < len(t["rows"]) and t["rows"][i + 1][0] == "" for i in range(len(t["rows"])))]
        expected[-1] = True  # with the note
        assert t["keeps"] == expected, t["caption"]
        assert len(t["notes"]) == 1 and set(t["note_sizes"]) == set(t["cell_sizes"]), t["caption"]
    trends = tables[2]
    assert trends["keeps"][1:3] == [True, False]  # the pooled trend with its SE, its SE not with the next
    assert trends["notes"][0].count("注：") == 1  # the model's and the regions' notes, one paragraph
    regions = tables[1]
    assert regions["keeps"][1:4] == [True, True, False]  # 东部 with its three rows


@pytest.mark.parametrize("language", ["zh", "en"])
def test_rendered_word_file_keeps_rows_together_without_blank_pages(rendered, language):
    """LibreOffice's PDF: no blank page, no coefficient apart from its SE, heads repeated on each new
    page of a table, every note on its last row's page (tests/office.py check_word_pagination)."""
    path, pages = rendered[("docx", language)]
    check_word_pagination(docx.Document(path), pages)


# ---------------------------------------------------------------------------------- column widths
def test_docx_column_widths_fit_the_content_and_the_page(rendered):
    """python-docx reads each table's widths: grid and cells agree, every column holds its longest
    unbreakable piece at the table's type size, the table fits its section's text width, and Table
    A3's columns are not nine equal ones. In LibreOffice's PDF no number or word is broken."""
    from upgrade_repro.tables import longest_token_ems

    path, pages = rendered[("docx", "zh")]
    doc = docx.Document(path)
    sections = {id(s._sectPr): s for s in doc.sections}
    assert len(doc.tables) == 5
    for table in doc.tables:
        grid = [c.width.pt for c in table.columns]
        for row in table.rows[:-1]:
            assert [c.width.pt for c in row.cells] == pytest.approx(grid)
        assert table.rows[-1].cells[0].width.pt == pytest.approx(sum(grid), abs=0.2)  # the note's row
        heads = [c.text for c in table.rows[0].cells]
        cells = [[c.text for c in r.cells] for r in table.rows[1:-1]]
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
    text = "\n".join(pages)
    words = {
        t
        for table in doc.tables
        for r in table.rows[:-1]
        for c in r.cells
        for t in [c.text]
        if c.text and not re.search(r"[\u3400-\u9fff]", c.text)
    }
    assert "upgrade" in words and any(re.fullmatch(r"\(?-?\d+\.\d{4}\)?\**", w) for w in words)
    broken = [w for w in words if w not in text]
    assert broken == []


def test_notes_render_per_format_with_scheme_names_and_catalogue_units(made, run_dir):
    """Word: code spans in Courier New, no backtick; Excel: plain text; both name the scheme by its
    human name (not the key nbs4); Excel's units are the catalogue's (比例（0–1）, as the report)."""
    doc = open_docx(made[("docx", "zh")])
    notes = [p for table in doc.tables for p in table.rows[-1].cells[0].paragraphs]
    assert [p.text for p in notes] == [t["notes"][0] for t in word_tables(doc)]
    assert notes and not any("`" in p.text or "nbs4" in p.text for p in notes)
    assert any("国家统计局四大地区" in p.text for p in notes)
    code = [r for p in notes for r in p.runs if r.text.startswith("regress ")]
    assert code and code[0]._element.rPr.rFonts.get(qn("w:ascii")) == "Courier New"
    book = openpyxl.load_workbook(io.BytesIO(made[("xlsx", "zh")]))
    values = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("`" in v or "nbs4" in v for v in values)
    assert any("国家统计局四大地区" in v for v in values)
    service = CATALOGUE["service"]["unit"]["zh"]
    assert any(v.endswith(f"[{service}]") and v.startswith(CATALOGUE["service"]["name"]["zh"]) for v in values)
    assert service in [c.value for c in book["表 1 全精度数据"]["B"]]
