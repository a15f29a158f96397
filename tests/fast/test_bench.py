"""bench/: the synthetic extracts and the benchmark runner's reading of Snakemake's log. No timing is
asserted: speed is measured by bench/run.py, never by a test (the benchmark run itself:
tests/workflow/test_bench.py)."""

import sys

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from upgrade_repro.ingest.extracts import read_extract

sys.path.insert(0, str(ROOT / "bench"))

import make_synthetic  # noqa: E402


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    return make_synthetic.write_scale("paper", tmp_path_factory.mktemp("bench"))


def test_paper_extract_has_the_eps_long_layout(paper):
    text = paper["csv"].read_bytes().decode("gb18030")
    lines = text.split("\r\n")
    assert lines[0] == "指标,地区,时间,数值"
    assert lines[-1] == ""  # CRLF after every line, the last included
    data = [ln.split(",") for ln in lines[1:-1] if ln.count(",") == 3]
    footer = [ln for ln in lines[1:-1] if ln.count(",") != 3]
    assert len(data) == (31 + 1) * 14 * 4  # 31 provinces and 全国, 2008-2021, four series
    assert len(footer) == 3 and footer[0].startswith("数据来源")
    assert {int(y) for _, _, y, _ in data} == set(range(2008, 2022))
    assert len({r for _, r, _, _ in data}) == 32
    assert "\n" not in text.replace("\r\n", "")


def test_synthetic_files_are_byte_identical_on_every_run(paper, tmp_path):
    again = make_synthetic.write_scale("paper", tmp_path)
    for kind in ("csv", "xlsx"):
        assert again[kind].read_bytes() == paper[kind].read_bytes()


def test_county_units_nest_in_their_cities():
    counties = make_synthetic.synthetic_units("county", 2900)
    cities = dict(make_synthetic.synthetic_units("city", 300))
    assert len({c for c, _ in counties}) == len({n for _, n in counties}) == 2900
    for code, name in counties:
        city = code[:4] + "00"
        assert len(code) == 6 and code[4:] != "00"
        assert name.startswith(cities[city]) and name.endswith("县")


def test_synthetic_xlsx_holds_the_same_table_as_the_csv(paper):
    from_xlsx = read_extract(paper["xlsx"]).drop(columns="source")
    from_csv = read_extract(paper["csv"]).drop(columns="source")
    pd.testing.assert_frame_equal(from_xlsx, from_csv)


def test_job_stats_are_read_from_a_snakemake_log():
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    log = (
        "Job stats:\njob         count\n--------  -------\nclean           1\nall             1\ntotal           2\n\nx"
    )
    assert run.jobs_run("Job stats:\njob count\n--- ---\ningest 1\ntotal 1\n" + log) == {"clean": 1}


def test_reviewer_script_computes_the_workflows_table1_and_check(tmp_path, monkeypatch):
    # bench/plain_reviewer.py, the reviewer's direct script, is a second way to Table 1 and its
    # check: the same numbers as the library's (to 12 significant digits), the same verdicts.
    import plain
    import plain_reviewer

    from upgrade_repro.describe import describe
    from upgrade_repro.verify import compare_with_published, read_published

    monkeypatch.chdir(ROOT)
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    assert config["raw"] == [plain_reviewer.EXTRACT]  # the shipped public extract, as the default config
    plain_reviewer.table1(tmp_path)
    indicators = plain.library_indicators(config)  # the library's way, as bench/plain.py runs it
    table = describe(indicators)
    theirs = pd.read_csv(tmp_path / "tables" / "table1.csv")
    pd.testing.assert_frame_equal(theirs, table, check_dtype=False, rtol=1e-12)
    checks = compare_with_published(table, read_published(config["verify"]["published"]), indicators)
    verdicts = pd.read_csv(tmp_path / "checks" / "table1_vs_paper.csv")
    merged = checks.merge(verdicts, on=["variable", "statistic"], suffixes=("", "_reviewer"), validate="1:1")
    assert len(merged) == len(checks) == 15
    assert merged["within_tolerance"].tolist() == merged["within_tolerance_reviewer"].tolist()
    assert not merged["within_tolerance"].all() and merged["within_tolerance"].any()
