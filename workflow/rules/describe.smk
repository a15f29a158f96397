rule describe:
    input:
        indicators=rules.indicators.output.indicators,
        code=project_imports("scripts/describe.py"),
    output:
        csv="results/tables/table1.csv",
    log:
        "results/logs/describe.log",
    benchmark:
        "results/benchmarks/describe.tsv"
    priority: PRIORITY["describe"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(400, 10),
        runtime=10,
    script:
        "../../scripts/describe.py"


# Table 1 as text (md, tex, and the layout the report reads) in the report's language: a rule of
# its own, so that switching report.language reruns no statistics.
rule table1_files:
    input:
        table1=rules.describe.output.csv,
        indicators=rules.indicators.output.indicators,
        # Table 1's note names a panel across data vintages (upgrade_repro/vintage.py)
        vintage=rules.clean.output.choice,
        code=project_imports("scripts/table1_files.py"),
    output:
        md=report(
            "results/tables/table1.md",
            caption="../report/table1.rst",
            category="Table 1",
        ),
        tex="results/tables/table1.tex",
        layout="results/tables/table1.json",
    log:
        "results/logs/table1_files.log",
    benchmark:
        "results/benchmarks/table1_files.tsv"
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
        "../../scripts/table1_files.py"
