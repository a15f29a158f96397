rule indicators:
    input:
        panel=rules.clean.output.panel,
        code=CORE,
    output:
        indicators="results/data/indicators.csv",
    params:
        share_denominator=config["share_denominator"],
    log:
        "results/logs/indicators.log",
    conda:
        "../envs/upgrade.yaml"
    script:
        "../../scripts/indicators.py"
