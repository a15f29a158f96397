# Manuscript-ready outputs (upgrade_repro/manuscript_tables.py, upgrade_repro/stata_panel.py): Word
# three-line tables with Figure 1, an Excel workbook of the tables (as printed and at full precision)
# and the panel, and the panel for Stata. The tables beyond the paper (A1-A4) and the map are
# provincial: a city or county run puts Table 1 and the panel only in them.
PROVINCE_RUN = config["unit"] == "province"


rule manuscript_tables:
    input:
        table1=rules.describe.output.csv,
        indicators=rules.indicators.output.indicators,
        # Table 1's note names a panel across data vintages (upgrade_repro/vintage.py)
        vintage=rules.clean.output.choice,
        table_regions=[rules.regional_table.output.csv] if PROVINCE_RUN else [],
        table_trends=[rules.trends.output.csv] if PROVINCE_RUN else [],
        table_beta=[rules.convergence.output.csv] if PROVINCE_RUN else [],
        table_sigma=[rules.convergence.output.sigma] if PROVINCE_RUN else [],
        figure=[rules.figure_map.output.manuscript_png] if PROVINCE_RUN else [],
        schemes="data/reference/region_schemes.csv",
        scheme_names="data/reference/region_scheme_names.csv",
        region_labels="data/reference/region_labels.csv",
        regions=REGION_TABLE,
        catalogue="data/reference/indicators.yaml",
        code=project_imports("scripts/manuscript_tables.py"),
    output:
        docx="results/manuscript/tables.docx",
        xlsx="results/manuscript/tables.xlsx",
    log:
        "results/logs/manuscript_tables.log",
    benchmark:
        "results/benchmarks/manuscript_tables.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(600, 10),
        runtime=10,
    params:
        language=config["report"]["language"],
        decimals=config["decimals"],
        coef_decimals=config["beyond"]["coef_decimals"],
        scheme=config["beyond"]["region_scheme"],
        unit=config["unit"],
        share_denominator=config["share_denominator"],
        approval_number=config["figure"]["approval_number"],
        demo=uses_demo_data(),
    script:
        "../../scripts/manuscript_tables.py"


rule stata_panel:
    input:
        indicators=rules.indicators.output.indicators,
        catalogue="data/reference/indicators.yaml",
        regions=REGION_TABLE,
        code=project_imports("scripts/stata_panel.py"),
    output:
        dta="results/data/indicators.dta",
    log:
        "results/logs/stata_panel.log",
    benchmark:
        "results/benchmarks/stata_panel.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(400, 10),
        runtime=10,
    params:
        language=config["report"]["language"],
        share_denominator=config["share_denominator"],
    script:
        "../../scripts/stata_panel.py"
