# The statements of section 1.2.2 and Table 1 against the paper, checked (results/checks/claims.csv:
# upgrade_repro/claims.py); the report renders them.


rule claims:
    input:
        raw_long=rules.ingest.output.long,
        panel=rules.clean.output.panel,
        indicators=rules.indicators.output.indicators,
        table1=rules.describe.output.csv,
        checks=rules.verify.output.checks,
        published=config["verify"]["published"],
        claims="data/published/section_1_2_2.yaml",
        regions=REGION_TABLE,
        aggregates="data/reference/aggregates.csv",
        # each panel cell's raw file and data vintage: is the sample of the paper's vintage?
        sources=rules.clean.output.sources,
        province_means=lambda wildcards: made_by_workflow([REPORT_PROVINCE_MEANS]),
        code=project_imports("scripts/claims.py"),
    output:
        claims="results/checks/claims.csv",
    log:
        "results/logs/claims.log",
    benchmark:
        "results/benchmarks/claims.tsv"
    priority: PRIORITY["claims"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        # Province names in the statements follow the report's language.
        language=config["report"]["language"],
        raw=config["raw"],
        exclude_regions=config["exclude_regions"],
        share_denominator=config["share_denominator"],
    script:
        "../../scripts/claims.py"
