"""bench/: the synthetic extracts, and one benchmark run at the smallest
scale. No timing is asserted: speed is measured by bench/run.py, never by a test."""

import hashlib
import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, clone_run

sys.path.insert(0, str(ROOT / "bench"))

import make_synthetic  # noqa: E402

from upgrade_repro.readers import read_extract  # noqa: E402
from upgrade_repro.tables import DEMO_NOTE  # noqa: E402


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


@pytest.mark.workflow
def test_benchmark_runs_at_paper_scale(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--scales",
            "paper",
            "--repeat",
            "1",
            "--cores",
            "2",
            "--no-public",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    paper = results["scales"]["paper"]
    # The yardstick ran exactly the jobs Snakemake ran (one benchmark file per job), in an order
    # that respects the dependencies; the spine is the chain up to Table 1.
    assert sorted(paper["jobs"]) == sorted(paper["rules"])
    assert paper["jobs"].index("ingest") < paper["jobs"].index("clean") < paper["jobs"].index("report")
    assert paper["spine_jobs"] == ["ingest", "clean", "indicators", "describe"]
    assert paper["ingest_csv"]["rows"] == paper["ingest_xlsx"]["rows"] == (31 + 1) * 14 * 4
    assert "| paper (province) | 1,792 |" in proc.stdout
    # The benchmarked run is the paper's sample: 30 provinces (Tibet excluded) x 14 years.
    table1 = pd.read_csv(tmp_path / "paper" / "wf" / "results" / "tables" / "table1.csv")
    assert table1["n"].tolist() == [420, 420, 420]


PLAIN_OUTPUTS = [
    *(f"tables/table1.{kind}" for kind in ("csv", "md", "tex", "json")),
    *(f"figures/figure1_map.{kind}" for kind in ("png", "svg", "pdf")),
    "manuscript/figure1_map.png",
]


@pytest.mark.workflow
def test_plain_script_makes_the_workflows_table1_and_map(demo_run, tmp_path):
    # bench/plain.py, the benchmark's single-process reference, run on the demo run's config: its
    # Table 1 and map are the workflow's, byte for byte (so the ratio compares equal work).
    workdir = clone_run(demo_run, tmp_path / "wf")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "plain.py"), "--out", str(tmp_path / "plain")],
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in PLAIN_OUTPUTS:
        # Digests, not the bytes: pytest's diff of two large binary files takes minutes.
        plain, workflow = (
            hashlib.sha256((d / name).read_bytes()).hexdigest() for d in (tmp_path / "plain", demo_run / "results")
        )
        assert plain == workflow, name
    # The demo data are labelled as such in both (the plain script derives it as the rule does).
    assert DEMO_NOTE in (tmp_path / "plain" / "tables/table1.md").read_text(encoding="utf-8")


def test_job_stats_are_read_from_a_snakemake_log():
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    log = (
        "Job stats:\njob         count\n--------  -------\nclean           1\nall             1\ntotal           2\n\nx"
    )
    assert run.jobs_run("Job stats:\njob count\n--- ---\ningest 1\ntotal 1\n" + log) == {"clean": 1}
