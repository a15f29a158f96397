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
        vintage_winner=config["vintage_winner"],
    log:
        "results/logs/clean.log",
    conda:
        "../envs/upgrade.yaml"
    script:
        "../../scripts/clean.py"
