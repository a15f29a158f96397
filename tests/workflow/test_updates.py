"""Updating with new years: the 2022 extract, exact reruns, the raw registry, changes.csv, and
config documentation that cannot drift from the schema."""

import os
import re
import tokenize

import pandas as pd
import pytest
import yaml
from conftest import ROOT, all_rules, clone_run, failed, jobs_to_run, overlay, table1_by_hand

from upgrade_repro.registry import check_raw_files, load_registry, sha256


@pytest.mark.workflow
def test_adding_a_year_is_one_config_change(run_2022, eps_2008_2021, eps_2022):
    workflow_copy = run_2022  # real_run, then the one config change (update.yaml) run
    table = pd.read_csv(workflow_copy / "results/tables/table1.csv").set_index("variable")
    by_hand = table1_by_hand(eps_2008_2021, eps_2022, years=range(2008, 2023))
    for var, stats in by_hand.items():
        assert table.loc[var, ["n", "mean", "sd", "min", "max"]].tolist() == pytest.approx(stats, rel=1e-12)
    assert table.loc["upgrade", "n"] == 450
    md = (workflow_copy / "results/tables/table1.md").read_text(encoding="utf-8")
    assert "2008—2022" in md and "N = 450" in md


YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
YEAR_SPAN = re.compile(r"(19|20)\d\d\s*[—–-]\s*(19|20)\d\d")


def hard_coded_years(path):
    """Year literals in code (1950-2049), and typed year spans in non-docstring strings."""
    hits, previous = [], tokenize.NEWLINE
    with open(path, encoding="utf-8") as f:
        for tok in tokenize.generate_tokens(f.readline):
            docstring = tok.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.NL)
            if (tok.type == tokenize.NUMBER and YEAR.match(tok.string)) or (
                tok.type == tokenize.STRING and not docstring and YEAR_SPAN.search(tok.string)
            ):
                hits.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.line.strip()}")
            if tok.type not in (tokenize.COMMENT,):
                previous = tok.type
    return hits


def test_no_year_is_hard_coded_in_code_or_templates():
    code = [
        ROOT / "Snakefile",
        *ROOT.glob("workflow/**/*.smk"),
        *ROOT.glob("scripts/*.py"),
        *ROOT.glob("upgrade_repro/*.py"),
    ]
    hits = [hit for p in code for hit in hard_coded_years(p)]
    # templates and captions are text: no year at all
    year = re.compile(r"(?<![\d.])(19[5-9]\d|20[0-4]\d)(?!\d)")
    text = [p for p in [*ROOT.glob("report/**/*"), *ROOT.glob("workflow/report/*")] if p.is_file()]
    hits += [
        f"{p.relative_to(ROOT)}:{i}"
        for p in text
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if year.search(line)
    ]
    assert hits == []


@pytest.mark.workflow
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
    # other sample years: everything from the panel on reruns; the static preparation is reused
    assert set(jobs_to_run(workflow_copy, *overlay(workflow_copy, years={"start": 2009, "end": 2021}))) == (
        rules - {"ingest", "registry", *static}
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


@pytest.mark.workflow
def test_changed_raw_file_reruns_everything_downstream(demo_run, tmp_path):
    workflow_copy = clone_run(demo_run, tmp_path / "wf")
    rules = all_rules(workflow_copy)
    raw = workflow_copy / "data/raw/demo/eps_demo.csv"
    text = raw.read_bytes().decode("gb18030")
    raw.write_bytes(text.replace(",北京,2008,", ",北京,2008,1", 1).encode("gb18030"))
    # everything but the static preparation, which does not depend on the data
    static = {"prepare_boundaries", "report_font"}
    assert set(jobs_to_run(workflow_copy, *overlay(workflow_copy, registry={"check": False}))) == rules - static


@pytest.mark.workflow
def test_registry_mismatch_stops_the_run_unless_turned_off(demo_copy):
    raw = demo_copy / "data/raw/demo/eps_demo.csv"
    raw.write_bytes(raw.read_bytes().replace(b"\r\n", b"\n"))
    out = failed(demo_copy)
    assert "data/raw/demo/eps_demo.csv" in out and "changed since they were registered" in out
    assert not (demo_copy / "results").exists()
    # the check runs at start-up: a dry run shows that turning it off lets the run start
    assert "ingest" in jobs_to_run(demo_copy, *overlay(demo_copy, registry={"check": False}))


def test_registry_rows_match_files_and_unregistered_files_warn(tmp_path):
    registry = load_registry(ROOT / "data/raw/versions.csv")
    demo = registry[registry["file"] == "data/raw/demo/eps_demo.csv"]
    assert demo["sha256"].item() == sha256(ROOT / "data/raw/demo/eps_demo.csv")
    other = tmp_path / "mine.csv"
    other.write_text("x", encoding="utf-8")
    warnings = check_raw_files([str(other)], registry, ROOT)
    assert len(warnings) == 1 and sha256(other) in warnings[0]


def test_every_program_the_registry_names_exists():
    """A source in versions.csv that names a program (tools/x.py, scripts/x.py) names a file that exists."""
    registry = load_registry(ROOT / "data/raw/versions.csv")
    programs = {p for source in registry["source"] for p in re.findall(r"[\w./-]+\.py\b", source)}
    assert "tools/make_public_data.py" in programs
    assert [p for p in sorted(programs) if not (ROOT / p).is_file()] == []


@pytest.mark.workflow
def test_changes_against_previous_run(real_run, run_2022):
    first = pd.read_csv(real_run / "results/checks/changes.csv")
    assert (first["status"] == "no previous run").all()
    before = pd.read_csv(real_run / "results/tables/table1.csv").set_index("variable")
    workflow_copy = run_2022  # real_run's directory, then the 2022 update
    after = pd.read_csv(workflow_copy / "results/tables/table1.csv").set_index("variable")
    changes = pd.read_csv(workflow_copy / "results/checks/changes.csv")
    row = changes[(changes["table"] == "table1") & (changes["key"] == "upgrade") & (changes["field"] == "mean")].iloc[0]
    # previous/current hold numbers and tier labels alike, so they are read back as text
    assert float(row["previous"]) == pytest.approx(before.loc["upgrade", "mean"], rel=1e-15)
    assert float(row["current"]) == pytest.approx(after.loc["upgrade", "mean"], rel=1e-15)
    assert row["difference"] == pytest.approx(after.loc["upgrade", "mean"] - before.loc["upgrade", "mean"])
    assert row["status"] == "changed"
    # the provincial means moved too; Beijing keeps its tier
    means = changes[(changes["table"] == "province_means") & (changes["key"] == "110000")].set_index("field")
    assert means.loc["tier", "status"] == "unchanged" and means.loc["mean_upgrade", "status"] == "changed"


def schema_keys(schema, prefix=""):
    """Dotted leaf keys of the config schema (objects inside oneOf included)."""
    keys = {}
    branches = [schema] + schema.get("oneOf", [])
    props = {k: v for b in branches for k, v in b.get("properties", {}).items()}
    for name, sub in props.items():
        key = f"{prefix}{name}"
        nested = [b for b in [sub] + sub.get("oneOf", []) if "properties" in b]
        keys[key] = sub
        if nested:
            keys.update(schema_keys(sub, key + "."))
            if "oneOf" not in sub:
                del keys[key]
    return keys


def test_every_config_key_is_described_and_in_the_readme():
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    keys = schema_keys(schema)
    assert [k for k, sub in keys.items() if not sub.get("description")] == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `([\w.]+)` \|", section, flags=re.M))
    assert documented == set(keys)
