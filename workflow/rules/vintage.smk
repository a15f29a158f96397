# The revision between two data vintages, one small panel per province (the report's vintage
# section). Drawn only for a run that chose what to do with two vintages (config vintage.policy
# other than stop): a run of one vintage has no revision to draw, and under stop a run across
# vintages ends at the clean stage. (The rule exists only then: a run of one vintage lists no such
# output in the report's provenance.)
VINTAGE_FIGURES = (
    ["results/figures/vintage_revisions.png", "results/figures/vintage_revisions.svg"]
    if config["vintage"]["policy"] != "stop"
    else []
)


if VINTAGE_FIGURES:

    rule figure_revisions:
        input:
            revisions=rules.clean.output.revisions,
            regions=REGION_TABLE,
            code=project_imports("scripts/figure_revisions.py"),
        output:
            png=report(
                "results/figures/vintage_revisions.png",
                caption="../report/vintage_revisions.rst",
                category="Data vintages",
            ),
            svg="results/figures/vintage_revisions.svg",
        log:
            "results/logs/figure_revisions.log",
        benchmark:
            "results/benchmarks/figure_revisions.tsv"
        conda:
            "../envs/upgrade.yaml"
        resources:
            mem_mb=mem_mb(500, 10),
            runtime=10,
        params:
            language=config["report"]["language"],
            dpi=config["figure"]["dpi"],
            title_in_image=config["figure"]["title_in_image"],
        script:
            "../../scripts/figure_revisions.py"
