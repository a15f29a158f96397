from upgrade_repro.changes import compared_config

# The snapshot of the previous run: the compared tables and the manifest of their inputs, as the
# changes rule last wrote them, with the run those were compared against; one file, so that it
# moves in one atomic step. Its update() output: read by the job, then replaced, never deleted
# before it runs; only this rule writes it, so an unrelated or partial run (which does not run
# changes) leaves the snapshot of the last comparison in place.
SNAPSHOT = "results/checks/previous"
# The configuration the compared tables depend on (digested into the manifest): changes.compared_config.
COMPARED_CONFIG = compared_config(config)


rule changes:
    input:
        unpack(compared_tables),
        raw=config["raw"],
        # what config vintage.policy made of the data vintages (a splice or link is named in changes.csv)
        vintage=rules.clean.output.choice,
        code=project_imports("scripts/changes.py"),
    output:
        changes=report(
            "results/checks/changes.csv",
            caption="../report/changes.rst",
            category="Verification",
        ),
        snapshot=update(f"{SNAPSHOT}/snapshot.json"),
    log:
        "results/logs/changes.log",
    benchmark:
        "results/benchmarks/changes.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        decimals=config["decimals"],
        demo=uses_demo_data(),
        config=COMPARED_CONFIG,
    script:
        "../../scripts/changes.py"
