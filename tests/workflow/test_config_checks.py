"""The checks at start-up through Snakemake: a bad config value (schema, tiers, region scheme, a
missing raw file) stops the run before any job with one short message naming the key; a YTE config
file is named in the log and the report."""

import copy

import pytest
from conftest import TIERS, clone_run, failed, overlay, run_snakemake


def test_unknown_scheme_stops_before_any_job(workflow_copy):
    (workflow_copy / "bad.yaml").write_text("beyond:\n  region_scheme: nbs5\n", encoding="utf-8")
    proc = run_snakemake(workflow_copy, "-n", "--configfile", "bad.yaml", check=False)
    assert proc.returncode != 0 and "region_scheme" in proc.stdout + proc.stderr


def test_a_bad_tier_stops_the_workflow_before_any_job(workflow_copy):
    tiers = copy.deepcopy(TIERS)
    tiers[1]["lower"] = tiers[0]["upper"] + 0.5  # a gap
    out = failed(workflow_copy, *overlay(workflow_copy, figure={"tiers": tiers}))
    assert "config key figure.tiers: tiers must be listed from lowest to highest without gaps" in out
    assert not (workflow_copy / "results").exists()


def test_a_yte_config_file_is_named_in_the_log_and_the_report(demo_run, tmp_path):
    wf = clone_run(demo_run, tmp_path / "wf")
    (wf / "trusted.yaml").write_text("__use_yte__: true\ndecimals: ?1 + 2\n", encoding="utf-8")
    dry = run_snakemake(wf, "-n", "--configfile", "trusted.yaml")
    assert "config file trusted.yaml is a YTE template" in dry.stdout + dry.stderr
    run = run_snakemake(wf, "--configfile", "trusted.yaml")
    # the same values (1 + 2 = 3 decimals): only the report, which names the file, reruns
    log = run.stdout + run.stderr
    assert "rule report:" in log and "rule describe:" not in log and "is a YTE template" in log
    md = (wf / "results/report/report.md").read_text(encoding="utf-8")
    html = (wf / "results/report/report.html").read_text(encoding="utf-8")
    for text in (md, html):  # report.language zh
        assert "安全提示：配置文件 trusted.yaml 是 YTE 模板" in text
    plain = (demo_run / "results/report/report.md").read_text(encoding="utf-8")
    assert "YTE" not in plain


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
