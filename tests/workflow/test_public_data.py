"""The default run on the shipped public data, in a copy of the repository with nothing beside it:
Table 1 against a computation from the file with csv and statistics only, 9 of 15 numbers
reproduced and said so, no output calling itself demo, and 2022 by one config value."""

import csv
import re
import statistics

import pandas as pd
import pytest
from conftest import ROOT, copy_workflow, parse_public, run_snakemake


# ---------------------------------------------------------------- the default run
def table1_from_public(years=range(2008, 2022)) -> dict:
    """Table 1 from the shipped file with csv and statistics only: t/s, t/100, (p + 2s + 3t)/100."""
    data = parse_public()
    series = {"upgrade": [], "service": [], "cyig": []}
    for (region, year), (gdp, p, s, t) in sorted(data.items()):
        if region in ("中国", "西藏自治区") or year not in years:
            continue
        series["upgrade"].append((gdp * t / 100) / (gdp * s / 100))
        series["service"].append((gdp * t / 100) / gdp)
        series["cyig"].append((gdp * p / 100 + 2 * gdp * s / 100 + 3 * gdp * t / 100) / gdp)
    return {v: (len(x), statistics.fmean(x), statistics.stdev(x), min(x), max(x)) for v, x in series.items()}


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    """The default run in a copy of the repository with nothing beside it (no ../shared)."""
    wf = copy_workflow(tmp_path_factory.mktemp("fresh") / "repo")
    assert not (wf.parent / "shared").exists()
    run_snakemake(wf)
    return wf


def test_default_run_gives_the_real_table1(fresh_clone):
    table = pd.read_csv(fresh_clone / "results/tables/table1.csv").set_index("variable")
    for var, stats in table1_from_public().items():
        assert table.loc[var, ["n", "mean", "sd", "min", "max"]].tolist() == pytest.approx(stats, rel=1e-12)


def test_default_run_reproduces_9_of_15_and_says_so(fresh_clone):
    with open(ROOT / "data/published/table1.csv", encoding="utf-8", newline="") as fh:
        published = list(csv.DictReader(fh))
    by_hand = table1_from_public()
    stats = ("n", "mean", "sd", "min", "max")
    # within half a unit of the printed last decimal, counted here independently of verify.py
    half_unit = {text: 0.5 * 10.0 ** -len(text.partition(".")[2]) for row in published for text in row.values()}
    within = sum(
        abs(by_hand[row["variable"]][i] - float(row[s])) <= half_unit[row[s]] + 1e-12
        for row in published
        for i, s in enumerate(stats)
    )
    assert within == 9
    checks = pd.read_csv(fresh_clone / "results/checks/table1_vs_paper.csv")
    assert int(checks["within_tolerance"].sum()) == 9 and not checks["synthetic_data"].any()
    md = (fresh_clone / "results/report/report.md").read_text(encoding="utf-8")
    assert "表 1 的 15 个数值中 9 个在容差内复现" in md


def without_data_uris(path) -> str:
    """A file's text, lower-cased, without embedded data: URIs (base64 of a font or a figure may
    spell 'demo' by chance)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "", text).lower()


def test_no_output_of_the_default_run_says_demo(fresh_clone):
    said = [
        p.relative_to(fresh_clone).as_posix()
        for p in (fresh_clone / "results").rglob("*")
        if p.is_file()
        and p.suffix in {".csv", ".md", ".tex", ".html", ".svg", ".log", ".tsv"}
        and any(w in without_data_uris(p) for w in ("demo", "演示", "合成"))
    ]
    assert said == []


def test_adding_2022_is_one_config_value(fresh_clone):
    (fresh_clone / "y2022.yaml").write_text("years: {start: 2008, end: 2022}\n", encoding="utf-8")
    run_snakemake(fresh_clone, "results/tables/table1.csv", "--configfile", "y2022.yaml")
    table = pd.read_csv(fresh_clone / "results/tables/table1.csv").set_index("variable")
    expected = table1_from_public(range(2008, 2023))
    assert table.loc["cyig", ["n", "mean", "sd", "min", "max"]].tolist() == pytest.approx(expected["cyig"], rel=1e-12)
    assert table.loc["upgrade", "n"] == 450
