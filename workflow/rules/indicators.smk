rule indicators:
    input:
        panel=rules.clean.output.panel,
        sources=rules.clean.output.sources,
        code=project_imports("scripts/indicators.py"),
    output:
        indicators="results/data/indicators.csv",
    params:
        share_denominator=config["share_denominator"],
    log:
        "results/logs/indicators.log",
    benchmark:
        "results/benchmarks/indicators.tsv"
    resources:
        mem_mb=mem_mb(400, 10),
        runtime=10,
    conda:
        "../envs/upgrade.yaml"
    script:
        "../../scripts/indicators.py"
