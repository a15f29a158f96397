rule describe:
    input:
        indicators=rules.indicators.output.indicators,
        code=CORE + ["scripts/indicators.py"],
    output:
        csv="results/tables/table1.csv",
        md=report(
            "results/tables/table1.md",
            caption="../report/table1.rst",
            category="Table 1",
        ),
        tex="results/tables/table1.tex",
    params:
        demo=uses_demo_data(),
        decimals=config["decimals"],
    log:
        "results/logs/describe.log",
    conda:
        "../envs/upgrade.yaml"
    script:
        "../../scripts/describe.py"
