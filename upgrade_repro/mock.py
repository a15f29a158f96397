"""mock_snakemake: a rule's `snakemake` object, to run its script by hand (outside Snakemake); and
parsed_workflow, Snakemake's own parse of the workflow, which it and bench/yardstick.py share."""

import os
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def parsed_workflow(root=ROOT, configfiles=(), config=None, workdir=None):
    """The workflow at `root` as Snakemake's API parses it (its `Workflow` object: rules, config),
    quiet, for code that needs the rules' jobs without running them; run in `workdir` (default
    `root`). Snakemake itself is imported here, not at the top: scripts that import this module run
    without it (and this module imports nothing of the library: upgrade_repro/deposit/parse.py loads
    it on its own, before a deposit's workflow imports that deposit's library)."""
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import (
        ConfigSettings,
        DeploymentSettings,
        OutputSettings,
        Quietness,
        ResourceSettings,
        StorageSettings,
        WorkflowSettings,
    )

    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        yield api.workflow(
            resource_settings=ResourceSettings(cores=1),
            config_settings=ConfigSettings(
                configfiles=[Path(f).resolve() for f in configfiles], config=dict(config or {})
            ),
            storage_settings=StorageSettings(),
            workflow_settings=WorkflowSettings(),
            deployment_settings=DeploymentSettings(),
            snakefile=Path(root) / "Snakefile",
            workdir=Path(workdir or root),
        )._workflow


def mock_snakemake(rule_name: str, configfiles=(), **config_overrides):
    """The `snakemake` object a rule's script would receive, for running a script by hand.

    Usage, from the repository root:  python scripts/clean.py  (each script calls this when run
    outside Snakemake), or in a debugger / notebook:  snakemake = mock_snakemake("clean").
    Uses Snakemake's own parser, so inputs, outputs, params and logs are exactly the rule's.
    """
    cwd = os.getcwd()
    try:
        with parsed_workflow(ROOT, configfiles, config_overrides) as workflow:
            # Imported once the API is (snakemake.dag cannot be imported before snakemake.api).
            from snakemake.dag import DAG
            from snakemake.io import IOCache
            from snakemake.jobs import Job
            from snakemake.script import Snakemake
            from snakemake.settings.types import DAGSettings

            # What `snakemake` sets up before building a DAG (the resources read input sizes).
            workflow.dag_settings = DAGSettings()
            workflow.iocache = IOCache(workflow.dag_settings.max_inventory_wait_time)
            rule = workflow.get_rule(rule_name)
            job = Job(rule, DAG(workflow, rules=[rule]), wildcards_dict={})
            smk = Snakemake(
                job.input,
                job.output,
                job.params,
                job.wildcards,
                job.threads,
                job.resources,
                job.log,
                workflow.config,
                rule.name,
                None,
            )
    finally:
        os.chdir(cwd)
    # Paths in the object are relative to the repository root.
    os.chdir(ROOT)
    return smk
