rule clean:
    input:
        long=rules.ingest.output.long,
        regions=REGION_TABLE,
        aggregates="data/reference/aggregates.csv",
        code=project_imports("scripts/clean.py"),
    output:
        panel="results/data/panel.csv",
    params:
        exclude_regions=config["exclude_regions"],
        years=config["years"],
        vintage_winner=config["vintage_winner"],
    log:
        "results/logs/clean.log",
    benchmark:
        "results/benchmarks/clean.tsv"
    resources:
        mem_mb=mem_mb(500, 20),
        runtime=10,
    conda:
        "../envs/upgrade.yaml"
    script:
        "../../scripts/clean.py"
