rule describe:
    input:
        indicators=rules.indicators.output.indicators,
        code=project_imports("scripts/describe.py"),
    output:
        csv="results/tables/table1.csv",
        md=report(
            "results/tables/table1.md",
            caption="../report/table1.rst",
            category="Table 1",
        ),
        tex="results/tables/table1.tex",
        layout="results/tables/table1.json",
    log:
        "results/logs/describe.log",
    benchmark:
        "results/benchmarks/describe.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(400, 10),
        runtime=10,
    params:
        demo=uses_demo_data(),
        decimals=config["decimals"],
        unit=config["unit"],
        language=config["report"]["language"],
    script:
        "../../scripts/describe.py"
