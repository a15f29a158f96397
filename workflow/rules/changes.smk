# The snapshot of the previous run: the compared tables and the manifest of their inputs, as the
# changes rule last wrote them, with the run those were compared against; one file, so that it
# moves in one atomic step. Its update() output: read by the job, then replaced, never deleted
# before it runs; only this rule writes it, so an unrelated or partial run (which does not run
# changes) leaves the snapshot of the last comparison in place.
SNAPSHOT = "results/checks/previous"
# The configuration the compared tables depend on (digested into the manifest): the analysis keys
# and the tier breaks, not presentation (colours, report language, figures beyond the paper).
COMPARED_CONFIG = {
    **{
        k: config[k]
        for k in ("raw", "exclude_regions", "years", "share_denominator", "decimals")
        + ("checks", "vintage_winner", "unit", "code_table")
    },
    "tiers": [{k: t[k] for k in ("label", "lower", "upper")} for t in config["figure"]["tiers"]],
}


rule changes:
    input:
        unpack(compared_tables),
        raw=config["raw"],
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
