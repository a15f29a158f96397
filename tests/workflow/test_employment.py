"""Issue 16 end to end: an employment extract beside the value-added extract, all six indicators
selected; indicators.csv and Table 1 against independent hand computations; a selection the
extracts cannot serve stops at the first job naming the missing series."""

import extract_writers as w
import numpy as np
import pandas as pd
import pytest
from conftest import copy_workflow, failed, overlay, run_snakemake

SIX = ["upgrade", "service", "cyig", "theil", "deviation", "advancement_lp"]


@pytest.fixture(scope="module")
def six_run(tmp_path_factory):
    workdir = copy_workflow(tmp_path_factory.mktemp("six") / "wf")
    numbers = w.make_numbers()
    employment = w.make_employment(numbers)
    va = w.eps_long_csv(workdir / "va.csv", numbers)
    emp = w.employment_long_csv(workdir / "emp.csv", employment)
    config = {
        "raw": [va.name, emp.name],
        "years": {"start": w.YEARS[0], "end": w.YEARS[-1]},
        "registry": {"check": False},
        "indicators": SIX,
    }
    run_snakemake(workdir, "results/tables/table1.csv", "results/report/report.md", *overlay(workdir, **config))
    return workdir, numbers[numbers["code"] != "540000"], employment


def test_six_indicators_and_table1_equal_the_hand_computation(six_run):
    workdir, numbers, employment = six_run
    got = pd.read_csv(workdir / "results/data/indicators.csv", dtype={"code": str})
    assert list(got.columns) == ["code", "province", "year", *SIX]
    got = got.set_index(["code", "year"]).sort_index()
    hand = w.expected_employment_indicators(numbers, employment).set_index(["code", "year"]).sort_index()
    paper = w.expected_table1(numbers).set_index("variable")
    for var in ("theil", "deviation", "advancement_lp"):
        np.testing.assert_allclose(got[var].to_numpy(), hand[var].to_numpy(), rtol=1e-10)
    table1 = pd.read_csv(workdir / "results/tables/table1.csv").set_index("variable")
    assert list(table1.index) == SIX
    for var in ("theil", "deviation", "advancement_lp"):
        x = hand[var].to_numpy()
        expected = [len(x), np.mean(x), np.std(x, ddof=1), np.min(x), np.max(x)]
        np.testing.assert_allclose(
            table1.loc[var, ["n", "mean", "sd", "min", "max"]].to_numpy(float), expected, rtol=1e-10
        )
    for var in ("upgrade", "service", "cyig"):  # the paper's three unchanged beside them
        np.testing.assert_allclose(
            table1.loc[var, ["n", "mean", "sd", "min", "max"]].to_numpy(float),
            paper.loc[var, ["n", "mean", "sd", "min", "max"]].to_numpy(float),
            rtol=1e-10,
        )
    checks = pd.read_csv(workdir / "results/checks/data_checks.csv").set_index("check")
    assert checks.loc["employment_sum", "examined"] == 90 and checks.loc["employment_sum", "failed"] == 0
    report = (workdir / "results/report/report.md").read_text(encoding="utf-8")
    theil_row = next(ln for ln in report.splitlines() if ln.startswith("| theil | 90 |"))
    assert f"{table1.loc['theil', 'mean']:.3f}" in theil_row
    assert "干春晖" in report and "刘伟, 张辉, 黄泽华" in report


def test_an_indicator_needing_employment_without_it_stops_at_ingest(tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    va = w.eps_long_csv(workdir / "va.csv", w.make_numbers())
    config = {
        "raw": [va.name],
        "years": {"start": w.YEARS[0], "end": w.YEARS[-1]},
        "registry": {"check": False},
        "indicators": ["upgrade", "service", "cyig", "theil"],
    }
    out = failed(workdir, "results/tables/table1.csv", *overlay(workdir, **config))
    assert "Error in rule ingest" in out
    log = (workdir / "results/logs/ingest.log").read_text(encoding="utf-8")
    assert "employed_primary" in log and "'theil'" in log and "第一产业就业人员" in log
    assert not (workdir / "results/data/raw_long.csv").exists()
