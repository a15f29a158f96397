"""Running on a cluster: declared resources, the SLURM profile, and every job in its own process."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from conftest import DEPOSIT_RULES, ROOT, copy_workflow, run_snakemake

SPINE = {"ingest", "clean", "indicators", "describe", "verify"}

# Submits a job script as a batch system would: a detached process, started from a scratch
# directory, not a child of Snakemake; prints the job id. Keeps a copy of each job script.
SUBMIT = """#!/bin/bash
cp "$1" "{jobs}/"
cd "$(mktemp -d)"
nohup bash "$1" > /dev/null 2>&1 &
echo $!
"""


def load_rules():
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import (
        ConfigSettings,
        DeploymentSettings,
        OutputSettings,
        ResourceSettings,
        StorageSettings,
        WorkflowSettings,
    )

    with SnakemakeApi(OutputSettings(quiet={"all"})) as api:
        workflow = api.workflow(
            resource_settings=ResourceSettings(cores=1),
            config_settings=ConfigSettings(),
            storage_settings=StorageSettings(),
            workflow_settings=WorkflowSettings(),
            deployment_settings=DeploymentSettings(),
            snakefile=ROOT / "Snakefile",
            workdir=ROOT,
        )._workflow
        return {rule.name: rule for rule in workflow.rules}


def job_rules() -> set[str]:
    """Every rule that runs a job of the default target (all but the target rule `all` and the
    deposit's rules, which run only when asked for)."""
    return set(load_rules()) - {"all"} - DEPOSIT_RULES


def test_every_rule_declares_resources_and_a_benchmark_file():
    rules = load_rules()
    assert SPINE <= set(rules)
    for name in set(rules) - {"all"}:
        assert {"mem_mb", "runtime"} <= set(rules[name].resources), name
        assert str(rules[name].benchmark) == f"results/benchmarks/{name}.tsv"


def test_slurm_profile_is_read_by_the_slurm_executor_plugin(workflow_copy):
    proc = run_snakemake(workflow_copy, "--profile", "workflow/profiles/slurm", "--dry-run")
    # (An executor name without its installed plugin would stop the run at argument parsing.)
    assert "Using profile workflow/profiles/slurm" in proc.stdout + proc.stderr
    job_counts = {line.split()[0] for line in proc.stdout.splitlines() if line.endswith(" 1")}
    assert SPINE <= job_counts


def results_files(workdir: Path) -> dict[str, str]:
    """Every output (logs and benchmark files aside) by path, as its SHA-256 (a failing comparison
    then names the files at once; pytest's diff of whole binary files takes minutes)."""
    return {
        p.relative_to(workdir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for sub in ("data", "tables", "checks", "figures", "report")
        for p in sorted((workdir / "results" / sub).iterdir())
        if p.is_file()
    }


def test_whole_workflow_through_the_generic_cluster_executor(workflow_copy, tmp_path):
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    submit = tmp_path / "submit.sh"
    submit.write_text(SUBMIT.format(jobs=jobs))
    submit.chmod(0o755)
    cluster = workflow_copy
    run_snakemake(
        cluster,
        "--executor",
        "cluster-generic",
        "--cluster-generic-submit-cmd",
        str(submit),
        "--jobs",
        "2",
        "--seconds-between-status-checks",
        "1",
    )

    # Each rule went through the submit command as a job script of its own ...
    submitted = [
        json.loads(p.read_text().splitlines()[1].removeprefix("# properties = "))["rule"] for p in jobs.iterdir()
    ]
    assert sorted(submitted) == sorted(job_rules())
    # ... and the outputs are byte for byte those of the same work done in one process.
    one = copy_workflow(tmp_path / "one")
    yardstick = [sys.executable, str(ROOT / "bench" / "yardstick.py")]
    subprocess.run([*yardstick, "plan", "plan.pkl"], cwd=one, check=True, capture_output=True)
    subprocess.run([*yardstick, "run", "plan.pkl"], cwd=one, check=True, capture_output=True)
    one_files = results_files(one)
    assert {"results/report/report.html", "results/figures/figure1_map.png"} <= set(one_files)
    assert results_files(cluster) == one_files
