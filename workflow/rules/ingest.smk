rule ingest:
    input:
        raw=config["raw"],
        code=project_imports("scripts/ingest.py"),
    output:
        long="results/data/raw_long.csv",
    log:
        "results/logs/ingest.log",
    benchmark:
        "results/benchmarks/ingest.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 40),
        runtime=10,
    message:
        "Reading {input.raw}"
    script:
        "../../scripts/ingest.py"
