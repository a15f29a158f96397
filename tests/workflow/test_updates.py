"""Updating with new years: the 2022 extract added by one config change, exact reruns (a config value
or a raw file reruns exactly what depends on it)."""

import os

import pandas as pd
import pytest
import yaml
from conftest import all_rules, clone_run, jobs_to_run, overlay, table1_by_hand


def test_adding_a_year_is_one_config_change(run_2022, eps_2008_2021, eps_2022):
    workflow_copy = run_2022  # real_run, then the one config change (update.yaml) run
    table = pd.read_csv(workflow_copy / "results/tables/table1.csv").set_index("variable")
    by_hand = table1_by_hand(eps_2008_2021, eps_2022, years=range(2008, 2023))
    for var, stats in by_hand.items():
        assert table.loc[var, ["n", "mean", "sd", "min", "max"]].tolist() == pytest.approx(stats, rel=1e-12)
    assert table.loc["upgrade", "n"] == 450
    md = (workflow_copy / "results/tables/table1.md").read_text(encoding="utf-8")
    assert "2008—2022" in md and "N = 450" in md


def test_reruns_are_exact(demo_run):
    workflow_copy = demo_run  # dry runs only: the shared run is left as it was
    assert jobs_to_run(workflow_copy) == {}  # an unchanged rerun does nothing
    raw = workflow_copy / "data/raw/demo/eps_demo.csv"
    stat = raw.stat()
    raw.touch()  # a newer file with the same content reruns nothing
    try:
        assert jobs_to_run(workflow_copy) == {}
    finally:
        os.utime(raw, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    # a config value reruns exactly the rules that use it, and what depends on their outputs
    rules = all_rules(workflow_copy)
    # (decimals only shape the tables' text files: no statistic reruns)
    assert set(jobs_to_run(workflow_copy, "--config", "decimals=2")) == {
        "table1_files",
        "beyond_table_files",
        "changes",
        "report",
        "manuscript_tables",
        "all",
    }
    # the indicators change: everything after the panel reruns (not the raw files' registry status)
    static = {"prepare_boundaries", "report_font"}  # what does not depend on the data
    assert set(jobs_to_run(workflow_copy, "--config", "share_denominator=sector_sum")) == rules - {
        "ingest",
        "clean",
        "registry",
        *static,
    }
    # other sample years: everything from the panel on reruns (registry.csv too: it shows the clean
    # stage's vintage of each file); the static preparation is reused
    assert set(jobs_to_run(workflow_copy, *overlay(workflow_copy, years={"start": 2009, "end": 2021}))) == (
        rules - {"ingest", *static}
    )
    # a coarser simplification: the boundaries, the map and what shows it
    assert set(jobs_to_run(workflow_copy, *overlay(workflow_copy, figure={"simplify_km": 3}))) == {
        "prepare_boundaries",
        "figure_map",
        "report",
        "manuscript_tables",
        "all",
    }
    # new tier colours: only the figures and the report (the means' tiers need only the breaks)
    config = yaml.safe_load((workflow_copy / "config.yaml").read_text(encoding="utf-8"))
    tiers = config["figure"]["tiers"]
    tiers[0]["color"] = "#eeeeee"
    assert set(jobs_to_run(workflow_copy, *overlay(workflow_copy, figure={"tiers": tiers}))) == {
        "figure_map",
        "figure_ranking",
        "report",
        "manuscript_tables",
        "all",
    }
    # editing a library module: test_dependencies.py


def test_changed_raw_file_reruns_everything_downstream(demo_run, tmp_path):
    workflow_copy = clone_run(demo_run, tmp_path / "wf")
    rules = all_rules(workflow_copy)
    raw = workflow_copy / "data/raw/demo/eps_demo.csv"
    text = raw.read_bytes().decode("gb18030")
    raw.write_bytes(text.replace(",北京,2008,", ",北京,2008,1", 1).encode("gb18030"))
    # everything but the static preparation, which does not depend on the data
    static = {"prepare_boundaries", "report_font"}
    assert set(jobs_to_run(workflow_copy, *overlay(workflow_copy, registry={"check": False}))) == rules - static
