"""Rules manuscript_tables and stata_panel in the default run: tables.docx, tables.xlsx and
indicators.dta against the run's tables, byte-identical when forced to run again."""

import docx
import openpyxl
import pandas as pd
import pytest
from conftest import copy_workflow, run_snakemake, table1_cells_by_hand

from upgrade_repro.indicators import VARIABLES


def test_default_run_makes_the_manuscript_files(tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    run_snakemake(workdir)
    results = workdir / "results"
    table1 = pd.read_csv(results / "tables/table1.csv")
    indicators = pd.read_csv(results / "data/indicators.csv", dtype={"code": str})
    doc = docx.Document(results / "manuscript/tables.docx")
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows][1:] == table1_cells_by_hand(indicators, 3)
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
