# The snapshot of the previous run: the compared tables and the manifest of their inputs, as the
# changes rule last wrote them. Its update() outputs: read by the job, then replaced, never
# deleted before it runs; only this rule writes them, so an unrelated or partial run (which does
# not run changes) leaves the snapshot of the last comparison in place.
SNAPSHOT = "results/checks/previous"
# The keys of compared_tables() (common.smk), known before the rules making them are parsed.
COMPARED_NAMES = ["table1"] + (["province_means"] if config["unit"] == "province" else [])
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
        snapshot=[update(f"{SNAPSHOT}/{name}.csv") for name in COMPARED_NAMES],
        manifest=update(f"{SNAPSHOT}/manifest.json"),
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
