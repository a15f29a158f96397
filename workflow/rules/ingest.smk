rule ingest:
    message:
        "Reading {input.raw}"
    input:
        raw=config["raw"],
        code=READERS,
    output:
        long="results/data/raw_long.csv",
    log:
        "results/logs/ingest.log",
    conda:
        "../envs/upgrade.yaml"
    script:
        "../../scripts/ingest.py"
