"""The workflow end to end, in temporary copies: real data, the demo, reruns, and bad input."""

import pandas as pd
import pytest
from conftest import ROOT, clone_run, edit_demo, failed, overlay, run_snakemake, table1_by_hand, unregistered

pytestmark = pytest.mark.workflow  # every test here starts Snakemake


def test_real_data_reproduces_table1(real_run, eps_2008_2021):
    workflow_copy = real_run
    table = pd.read_csv(workflow_copy / "results/tables/table1.csv").set_index("variable")
    expected = table1_by_hand(eps_2008_2021)
    for var, stats in expected.items():
        assert table.loc[var, ["n", "mean", "sd", "min", "max"]].tolist() == pytest.approx(stats, rel=1e-12)
    # the acceptance numbers, at the paper's three decimals
    assert table["n"].tolist() == [420, 420, 420]
    assert [round(table.loc["upgrade", s], 3) for s in ("mean", "sd")] == [1.168, 0.677]
    assert [round(table.loc["service", s], 3) for s in ("mean", "sd")] == [0.460, 0.100]
    assert round(table.loc["cyig", "max"], 3) == 2.836

    checks = pd.read_csv(workflow_copy / "results/checks/table1_vs_paper.csv", keep_default_na=False)
    assert len(checks) == 15 and not checks["synthetic_data"].any()
    off = checks[~checks["within_tolerance"]]
    # every difference is listed, not tuned away: e.g. the paper's service mean 0.459 vs 0.460
    assert ("service", "mean") in set(zip(off["variable"], off["statistic"]))
    assert (checks.loc[checks["statistic"].isin(["min", "max"]), "where"] != "").all()
    assert "演示数据" not in (workflow_copy / "results/tables/table1.md").read_text(encoding="utf-8")

    # a second run right after has nothing to do
    again = run_snakemake(workflow_copy, "-n", "--configfile", "real.yaml")
    assert "Nothing to be done" in again.stdout + again.stderr


def test_demo_run_is_labelled(demo_run):
    workflow_copy = demo_run
    md = (workflow_copy / "results/tables/table1.md").read_text(encoding="utf-8")
    tex = (workflow_copy / "results/tables/table1.tex").read_text(encoding="utf-8")
    assert "演示数据" in md and "演示数据" in tex
    checks = pd.read_csv(workflow_copy / "results/checks/table1_vs_paper.csv")
    assert checks["synthetic_data"].all()
    table = pd.read_csv(workflow_copy / "results/tables/table1.csv").set_index("variable")
    expected = table1_by_hand(workflow_copy / "data/raw/demo/eps_demo.csv")
    assert table.loc["cyig", ["n", "mean", "sd", "min", "max"]].tolist() == pytest.approx(expected["cyig"])


def test_outputs_are_byte_identical_across_runs(demo_run, tmp_path):
    """The one byte-identity test: every output (tables, figures, report) of a forced rerun."""
    workflow_copy = clone_run(demo_run, tmp_path / "wf")
    # logs and timings differ by nature; changes.csv too is the same: a rerun that reproduces
    # the snapshot's run repeats its comparison (upgrade_repro/changes.py comparison_base)
    varying = {"logs", "benchmarks"}
    outputs = sorted(p for p in (workflow_copy / "results").rglob("*") if p.is_file() and not varying & set(p.parts))
    assert "changes.csv" in {p.name for p in outputs}
    first = {p: p.read_bytes() for p in outputs}
    run_snakemake(workflow_copy, "--forceall")
    assert {p: p.read_bytes() for p in outputs} == first
    # no temporary file of an atomic write outlives a successful run
    assert list((workflow_copy / "results").rglob("*.tmp")) == []


def test_lint_is_clean():
    proc = run_snakemake(ROOT, "--lint")
    assert "Congratulations" in proc.stdout + proc.stderr


def test_unknown_region_stops_clean_and_leaves_no_panel(demo_copy):
    _, line = edit_demo(demo_copy, ",河北,2010,", ",河北省份,2010,")
    out = failed(demo_copy, *unregistered(demo_copy))
    assert "UnknownRegionError" in out and f"'河北省份' (data/raw/demo/eps_demo.csv line {line})" in out
    assert not (demo_copy / "results/data/panel.csv").exists()
    assert not list((demo_copy / "results/data").glob(".panel.csv*"))


def test_missing_province_year_names_the_cell(demo_copy):
    path = demo_copy / "data/raw/demo/eps_demo.csv"
    lines = path.read_bytes().decode("gb18030").split("\r\n")
    lines = [ln for ln in lines if not ln.startswith("第二产业增加值（亿元）,山东,2015,")]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    out = failed(demo_copy, *unregistered(demo_copy))
    assert "UnbalancedPanelError" in out and "山东 (370000) secondary: 2015" in out
    assert not (demo_copy / "results/data/panel.csv").exists()


def test_non_numeric_value_names_file_and_line(demo_copy):
    text = (demo_copy / "data/raw/demo/eps_demo.csv").read_bytes().decode("gb18030")
    row = next(ln for ln in text.split("\r\n") if ln.startswith("地区生产总值（亿元）,广东,2012,"))
    _, line = edit_demo(demo_copy, row, row.rsplit(",", 1)[0] + ",1O5.2")
    out = failed(demo_copy, *unregistered(demo_copy))
    assert "NonNumericValueError" in out and f"line {line}: '1O5.2'" in out
    assert not (demo_copy / "results/data/raw_long.csv").exists()


def test_missing_raw_file_fails_before_any_job(workflow_copy):
    out = failed(workflow_copy, *overlay(workflow_copy, raw=["data/raw/nowhere.csv"]))
    assert "config key raw[0]" in out and "data/raw/nowhere.csv" in out and "not found" in out
    assert not (workflow_copy / "results").exists()


# The message naming the key, as the schema check (Snakemake's validate) or common.smk words it:
# not just the key's name, which Snakemake's own output may hold anyway ("end" in "extended").
@pytest.mark.parametrize(
    "config, message",
    [
        (
            {"raw": ["data/raw/demo/eps_demo.csv"], "yeras": {"start": 2008, "end": 2021}},
            "config key yeras: unknown key (did you mean years?)",
        ),
        (
            {"share_denominator": "population"},
            "config key share_denominator: 'population' is not allowed; allowed: gdp, sector_sum",
        ),
        ({"years": {"start": 2008, "end": "2021"}}, "config key years.end: '2021' is not integer"),
        ({"years": {"start": 2021, "end": 2008}}, "config key years: start 2021 is after end 2008"),
    ],
)
def test_bad_config_fails_naming_the_key(workflow_copy, config, message):
    out = failed(workflow_copy, *overlay(workflow_copy, **config))
    assert message in out
    # one short message, not Snakemake's dump of the schema and the config (some 520 lines)
    assert len(out.splitlines()) < 10, out
    assert not (workflow_copy / "results").exists()


def test_mock_snakemake_builds_the_rule_job():
    from upgrade_repro.mock import mock_snakemake

    smk = mock_snakemake("table1_files")
    assert smk.output.md == "results/tables/table1.md"
    assert smk.params.decimals == 3 and smk.log[0] == "results/logs/table1_files.log"
