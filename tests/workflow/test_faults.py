"""User mistakes through Snakemake (issue 21, items 4 and 5): a config key naming a non-CSV file, an
output path taken by a folder, and years beyond the data each stop with one short line."""

from conftest import ROOT, failed, overlay, run_snakemake


def test_workflow_stops_at_start_up_with_one_line(workflow_copy):
    (workflow_copy / "notes.yaml").write_bytes((ROOT / "config.yaml").read_bytes())
    out = failed(workflow_copy, "-n", *overlay(workflow_copy, verify={"published": "notes.yaml"}))
    assert "config key verify.published: 'notes.yaml' is not a CSV table (or empty)" in out
    assert "Traceback" not in out and "Error tokenizing" not in out
    (workflow_copy / "results/tables/table1.csv").mkdir(parents=True)
    (workflow_copy / "results/tables/table1.csv/old.csv").write_text("x", encoding="utf-8")
    out = failed(workflow_copy, "-n")
    assert "output results/tables/table1.csv is a folder: move or delete it" in out and "Traceback" not in out


def test_workflow_years_beyond_the_data_is_one_line(workflow_copy):
    proc = run_snakemake(
        workflow_copy,
        "results/data/panel.csv",
        *overlay(workflow_copy, years={"start": 2008, "end": 2030}),
        check=False,
    )
    assert proc.returncode != 0
    log = (workflow_copy / "results/logs/clean.log").read_text(encoding="utf-8")
    errors = [ln for ln in log.splitlines() if ln.startswith("ERROR")]
    assert errors == [
        "ERROR workflow: ConfigError: data/raw/public/nbs_gdp_composition_2008_2022.csv: config key years.end: "
        "2030, but the data cover 2008-2022; set years.end to at most 2022 or use years: auto"
    ]
    # no long line besides Snakemake's own description of the job (its input: line lists the
    # rule's code files, which grow with the library)
    described = ("input:", "output:", "log:")
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if not ln.strip().startswith(described)]
    assert max(len(ln) for ln in lines) < 400
    assert sum(errors[0].split(": ", 2)[-1] in ln for ln in lines) >= 1
