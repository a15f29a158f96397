rule verify:
    input:
        table1=rules.describe.output.csv,
        indicators=rules.indicators.output.indicators,
        published=config["verify"]["published"],
        code=project_imports("scripts/verify.py"),
    output:
        checks=report(
            "results/checks/table1_vs_paper.csv",
            caption="../report/table1_vs_paper.rst",
            category="Verification",
        ),
    log:
        "results/logs/verify.log",
    benchmark:
        "results/benchmarks/verify.tsv"
    priority: PRIORITY["verify"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(400, 10),
        runtime=10,
    params:
        tolerance=config["verify"]["tolerance"],
        demo=uses_demo_data(),
        strict=config["verify"]["strict"],
    script:
        "../../scripts/verify.py"
