"""bench/: one benchmark run at the smallest scale, and the plain script against the workflow. No
timing is asserted: speed is measured by bench/run.py, never by a test."""

import hashlib
import json
import subprocess
import sys

import pandas as pd
from conftest import ROOT, clone_run

from upgrade_repro.texts import text


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
    assert text("zh", "demo_data") in (tmp_path / "plain" / "tables/table1.md").read_text(encoding="utf-8")
