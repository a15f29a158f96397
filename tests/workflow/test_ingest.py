"""Malformed raw extracts through the workflow: the failing stage (ingest, or clean for a vintage
conflict) stops naming the file and the place, and leaves no output."""

import extract_writers as w
from conftest import edit_demo, failed, run_snakemake, unregistered


def overlay(workflow_copy, raw, **extra):
    lines = ["raw:"] + [f"  - {p}" for p in raw] + [f"{k}: {v}" for k, v in extra.items()]
    (workflow_copy / "bad.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "--configfile", "bad.yaml"


def test_workflow_stops_at_ingest_without_output(workflow_copy):
    # the corpus's "truncated inside a GBK character" (tests/fast/test_ingest_errors.py)
    cut = "指标,地区,时间,数值\n地区生产总值（亿元）,北京,2020,1\n".encode("gbk")[:-5] + "北".encode("gbk")[:1]
    (workflow_copy / "bad.csv").write_bytes(cut)
    proc = run_snakemake(workflow_copy, *overlay(workflow_copy, ["bad.csv"]), check=False)
    assert proc.returncode != 0
    assert "UndecodableFileError: bad.csv" in proc.stderr
    assert not (workflow_copy / "results" / "data" / "raw_long.csv").exists()
    assert not list((workflow_copy / "results" / "data").glob("*.tmp"))  # no half-written file


def test_workflow_stops_at_clean_without_panel(workflow_copy):
    numbers = w.make_numbers()
    w.eps_long_csv(workflow_copy / "old.csv", numbers)
    revised = numbers.copy()
    revised[w.SERIES] *= 1.01  # a revised vintage: the sectors still sum to GDP
    w.eps_long_csv(workflow_copy / "new.csv", revised[revised["year"] == 2020])
    args = overlay(workflow_copy, ["old.csv", "new.csv"], years="{start: 2018, end: 2020}")
    proc = run_snakemake(workflow_copy, *args, check=False)
    assert proc.returncode != 0
    assert "VintageConflictError" in proc.stderr and "old.csv" in proc.stderr and "new.csv" in proc.stderr
    assert (workflow_copy / "results" / "data" / "raw_long.csv").exists()
    assert not (workflow_copy / "results" / "data" / "panel.csv").exists()
    # Naming the winner settles it.
    (workflow_copy / "bad.yaml").write_text((workflow_copy / "bad.yaml").read_text() + "vintage_winner: new.csv\n")
    run_snakemake(workflow_copy, *args)
    assert (workflow_copy / "results" / "tables" / "table1.csv").exists()


def test_workflow_rejects_a_winner_that_is_not_an_extract(workflow_copy):
    proc = run_snakemake(
        workflow_copy,
        "-n",
        *overlay(workflow_copy, ["data/raw/demo/eps_demo.csv"], vintage_winner="other.csv"),
        check=False,
    )
    assert proc.returncode != 0
    assert "vintage_winner" in proc.stderr + proc.stdout
    assert not (workflow_copy / "results" / "data").exists()


def test_non_numeric_value_names_file_and_line(demo_copy):
    text = (demo_copy / "data/raw/demo/eps_demo.csv").read_bytes().decode("gb18030")
    row = next(ln for ln in text.split("\r\n") if ln.startswith("地区生产总值（亿元）,广东,2012,"))
    _, line = edit_demo(demo_copy, row, row.rsplit(",", 1)[0] + ",1O5.2")
    out = failed(demo_copy, *unregistered(demo_copy))
    assert "NonNumericValueError" in out and f"line {line}: '1O5.2'" in out
    assert not (demo_copy / "results/data/raw_long.csv").exists()
