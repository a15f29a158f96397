rule clean:
    input:
        long=rules.ingest.output.long,
        regions="data/reference/provinces.csv",
        aggregates="data/reference/aggregates.csv",
        code=READERS,
    output:
        panel="results/data/panel.csv",
    params:
        exclude_regions=config["exclude_regions"],
        years=config["years"],
    log:
        "results/logs/clean.log",
    conda:
        "../envs/upgrade.yaml"
    script:
        "../../scripts/clean.py"
