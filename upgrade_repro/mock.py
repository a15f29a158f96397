"""mock_snakemake: a rule's `snakemake` object, to run its script by hand (outside Snakemake)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def mock_snakemake(rule_name: str, configfiles=(), **config_overrides):
    """The `snakemake` object a rule's script would receive, for running a script by hand.

    Usage, from the repository root:  python scripts/clean.py  (each script calls this when run
    outside Snakemake), or in a debugger / notebook:  snakemake = mock_snakemake("clean").
    Uses Snakemake's own parser, so inputs, outputs, params and logs are exactly the rule's.
    """
    from snakemake.api import SnakemakeApi
    from snakemake.dag import DAG
    from snakemake.io import IOCache
    from snakemake.jobs import Job
    from snakemake.script import Snakemake
    from snakemake.settings.types import (
        ConfigSettings,
        DAGSettings,
        DeploymentSettings,
        OutputSettings,
        Quietness,
        ResourceSettings,
        StorageSettings,
        WorkflowSettings,
    )

    cwd = os.getcwd()
    try:
        with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
            workflow_api = api.workflow(
                resource_settings=ResourceSettings(cores=1),
                config_settings=ConfigSettings(
                    configfiles=[Path(f).resolve() for f in configfiles], config=config_overrides
                ),
                storage_settings=StorageSettings(),
                workflow_settings=WorkflowSettings(),
                deployment_settings=DeploymentSettings(),
                snakefile=ROOT / "Snakefile",
                workdir=ROOT,
            )
            workflow = workflow_api._workflow
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
