rule ingest:
    input:
        raw=config["raw"],
        code=project_imports("scripts/ingest.py"),
    output:
        long="results/data/raw_long.csv",
        # revision notes of the extracts (a data vintage: upgrade_repro/vintage.py)
        notes="results/data/raw_notes.csv",
    log:
        "results/logs/ingest.log",
    benchmark:
        "results/benchmarks/ingest.tsv"
    priority: PRIORITY["ingest"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 40),
        runtime=10,
    params:
        # employment series the selected indicators need (none by default); checked on reading
        employment=[s for s in required_series(config["indicators"]) if s in EMPLOYMENT],
        indicators=config["indicators"],
    message:
        "Reading {input.raw}"
    script:
        "../../scripts/ingest.py"
