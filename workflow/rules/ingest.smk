rule ingest:
    message:
        "Reading {input.raw}"
    input:
        raw=config["raw"],
        code=project_imports("scripts/ingest.py"),
    output:
        long="results/data/raw_long.csv",
    log:
        "results/logs/ingest.log",
    benchmark:
        "results/benchmarks/ingest.tsv"
    resources:
        mem_mb=mem_mb(500, 40),
        runtime=10,
    conda:
        "../envs/upgrade.yaml"
    script:
        "../../scripts/ingest.py"
