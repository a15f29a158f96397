rule clean:
    input:
        long=rules.ingest.output.long,
        regions=REGION_TABLE,
        aggregates="data/reference/aggregates.csv",
        code=project_imports("scripts/clean.py"),
    output:
        panel="results/data/panel.csv",
        # raw file and line of every panel cell (the indicators stage names them on a zero denominator)
        sources="results/data/panel_sources.csv",
        # every integrity check run (upgrade_repro/checks.py) and the cells config checks.accept let through
        data_checks="results/checks/data_checks.csv",
        accepted="results/checks/accepted_cells.csv",
    log:
        "results/logs/clean.log",
    benchmark:
        "results/benchmarks/clean.tsv"
    priority: PRIORITY["clean"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 20),
        runtime=10,
    params:
        exclude_regions=config["exclude_regions"],
        years=config["years"],
        vintage_winner=config["vintage_winner"],
        checks=config["checks"],
        series=required_series(config["indicators"]),
        # province: the magnitude check's lower bounds apply (a county's GDP can be below them)
        unit=config["unit"],
    script:
        "../../scripts/clean.py"
