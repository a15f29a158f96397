rule indicators:
    input:
        panel=rules.clean.output.panel,
        sources=rules.clean.output.sources,
        code=project_imports("scripts/indicators.py"),
        lp_reference=lp_reference_input(),
    output:
        indicators="results/data/indicators.csv",
    log:
        "results/logs/indicators.log",
    benchmark:
        "results/benchmarks/indicators.tsv"
    priority: PRIORITY["indicators"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(400, 10),
        runtime=10,
    params:
        share_denominator=config["share_denominator"],
        indicators=config["indicators"],
    script:
        "../../scripts/indicators.py"
