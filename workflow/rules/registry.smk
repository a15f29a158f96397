# Each raw file of the run against the registry of raw inputs (config registry.path): registered,
# changed (possible only with registry.check: false; otherwise common.smk stops the run at
# start-up) or unregistered; with each file's data vintage as the clean stage established it
# (results/checks/vintages.csv). The report names every file that is not registered as is.


rule registry:
    input:
        raw=config["raw"],
        registry=config["registry"]["path"],
        vintages=rules.clean.output.vintages,
        code=project_imports("scripts/registry.py"),
    output:
        status="results/checks/registry.csv",
    log:
        "results/logs/registry.log",
    benchmark:
        "results/benchmarks/registry.tsv"
    priority: PRIORITY["registry"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(300, 5),
        runtime=10,
    script:
        "../../scripts/registry.py"
