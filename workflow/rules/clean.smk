rule clean:
    input:
        long=rules.ingest.output.long,
        # revision notes of the raw files and their registry rows: each file's data vintage
        notes=rules.ingest.output.notes,
        raw=config["raw"],
        registry=config["registry"]["path"],
        regions=REGION_TABLE,
        aggregates="data/reference/aggregates.csv",
        code=project_imports("scripts/clean.py"),
    output:
        panel="results/data/panel.csv",
        # raw file, line and vintage of every panel cell (the indicators stage names them on a zero denominator)
        sources="results/data/panel_sources.csv",
        # every integrity check run (upgrade_repro/checks.py) and the cells config checks.accept let through
        data_checks="results/checks/data_checks.csv",
        accepted="results/checks/accepted_cells.csv",
        # data vintages (upgrade_repro/vintage.py): each raw file's vintage and evidence, every cell
        # two vintages give (the revision), what config vintage.policy made of them, and the panel
        # under each choice (rows only when the sample is across vintages)
        vintages="results/checks/vintages.csv",
        revisions="results/checks/vintage_revisions.csv",
        choice="results/checks/vintage_choice.json",
        panels="results/data/panel_by_choice.csv",
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
        raw=config["raw"],
        exclude_regions=config["exclude_regions"],
        years=config["years"],
        # policy (stop, first_published, latest, link, splice), link_year, winner
        vintage=config["vintage"],
        checks=config["checks"],
        series=required_series(config["indicators"]),
        # province: the magnitude check's lower bounds apply (a county's GDP can be below them)
        unit=config["unit"],
    script:
        "../../scripts/clean.py"
