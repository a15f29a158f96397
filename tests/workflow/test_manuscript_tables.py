"""Rules manuscript_tables and stata_panel in real runs: the default run (real_run), the English run
with all six indicators (english_six_run) and the same in Chinese (chinese_six_run). tables.docx,
tables.xlsx and indicators.dta against the run's tables; every docx and xlsx rendered by LibreOffice
in ONE soffice call for the module (tests/office.py), the Word files checked for pagination, the
workbooks for the printed tables; byte-identical when forced to run again."""

import docx
import openpyxl
import pandas as pd
import pytest
from conftest import clone_run, run_snakemake, table1_cells_by_hand
from office import check_excel_sheets, check_word_pagination, pdf_pages, to_pdf, word_tables

from upgrade_repro.indicators import VARIABLES

RUNS = ("real_run", "english_six_run", "chinese_six_run")
CSV = {  # the csv behind each table, in print order (its data sheet)
    "table1": "tables/table1.csv",
    "table_regions": "tables/table_regions.csv",
    "table_trends": "tables/table_trends.csv",
    "table_beta": "tables/table_beta.csv",
    "table_sigma": "data/sigma.csv",
}


@pytest.fixture(scope="module")
def rendered(request, tmp_path_factory) -> dict:
    """{run: (its results folder, {"docx"/"xlsx": (file, LibreOffice's pages)})}, every file of
    every run converted by one soffice call."""
    d = tmp_path_factory.mktemp("office")
    files, results = {}, {}
    for run in RUNS:
        results[run] = request.getfixturevalue(run) / "results"
        for kind in ("docx", "xlsx"):
            path = d / f"{run}_{kind}.{kind}"
            path.write_bytes((results[run] / f"manuscript/tables.{kind}").read_bytes())
            files[(run, kind)] = path
    pdfs = to_pdf(files.values(), d / "pdf")
    return {
        run: (
            results[run],
            {kind: (files[(run, kind)], pdf_pages(pdfs[files[(run, kind)]])) for kind in ("docx", "xlsx")},
        )
        for run in RUNS
    }


@pytest.mark.parametrize("run", RUNS)
def test_word_tables_keep_together_on_their_pages(rendered, run):
    """Five tables (Table 1, A1-A4) and the map; heads repeated, coefficients with their standard
    errors, regions with their rows, one note per table in the table's type, no blank page: in
    python-docx and on LibreOffice's pages."""
    results, files = rendered[run]
    path, pages = files["docx"]
    doc = docx.Document(path)
    tables = word_tables(doc)
    assert len(tables) == 5 and len(doc.inline_shapes) == 1
    check_word_pagination(doc, pages)
    # Table A4 is the run's sigma.csv as printed (three decimals)
    sigma = pd.read_csv(results / "data/sigma.csv").set_index(["variable", "year"])
    variables = list(dict.fromkeys(sigma.index.get_level_values(0)))
    for row in tables[4]["rows"]:
        year = int(row[0])
        assert row[1:] == [f"{sigma.at[(v, year), c]:.3f}" for v in variables for c in ("sd", "cv")]


@pytest.mark.parametrize("run", RUNS)
def test_excel_sheets_are_the_printed_tables(rendered, run):
    """The workbook's table sheets are the Word tables (tests/office.py check_excel_sheets, with
    LibreOffice's PDF of the workbook: nothing cut); then each table's csv at full precision."""
    results, files = rendered[run]
    doc = docx.Document(files["docx"][0])
    book = openpyxl.load_workbook(files["xlsx"][0])
    sheets = check_excel_sheets(book, doc, "\n".join(files["xlsx"][1]))
    assert len(sheets) == 5
    data = book.worksheets[5:10]
    for ws, (key, csv) in zip(data, CSV.items()):
        assert ws.title.startswith(sheets[list(CSV).index(key)].title)
        frame = pd.read_csv(results / csv)
        heads = [c.value for c in ws[1]]
        assert [h for h in heads if h != "unit"] == list(frame.columns), ws.title
        values = pd.DataFrame([[c.value for c in r] for r in ws.iter_rows(min_row=2)], columns=heads)
        numeric = frame.select_dtypes("number").columns
        expected = frame[numeric].to_numpy(float)
        assert values[numeric].to_numpy(float) == pytest.approx(expected, rel=1e-15, abs=0, nan_ok=True), ws.title


def test_default_run_manuscript_files_and_rewrites(real_run, tmp_path):
    """Table 1 in Word worked out from the indicators by hand, in Excel and the dta; the three files
    byte-identical when their rules are forced to run again (in a clone of the run)."""
    workdir = clone_run(real_run, tmp_path / "wf")
    results = workdir / "results"
    table1 = pd.read_csv(results / "tables/table1.csv")
    indicators = pd.read_csv(results / "data/indicators.csv", dtype={"code": str})
    doc = docx.Document(results / "manuscript/tables.docx")
    assert word_tables(doc)[0]["rows"] == table1_cells_by_hand(indicators, 3)
    assert [row.variable for row in table1.itertuples()] == list(VARIABLES)
    book = openpyxl.load_workbook(results / "manuscript/tables.xlsx")
    data = book.worksheets[5]
    assert [c.value for c in data["D"][1:4]] == pytest.approx(table1["mean"].tolist(), rel=1e-15)
    # the table sheet holds the number Word prints (three decimals), the data sheet the csv's
    assert [c.value for c in book.worksheets[0]["C"][2:5]] == [float(f"{m:.3f}") for m in table1["mean"]]
    dta = pd.read_stata(results / "data/indicators.dta", convert_categoricals=False)
    assert dta["upgrade"].tolist() == indicators.sort_values(["code", "year"])["upgrade"].tolist()
    before = {
        p: (results / p).read_bytes()
        for p in ("manuscript/tables.docx", "manuscript/tables.xlsx", "data/indicators.dta")
    }
    run_snakemake(workdir, "--configfile", "real.yaml", "--forcerun", "manuscript_tables", "stata_panel")
    assert {p: (results / p).read_bytes() for p in before} == before
