# The report: results/report/report.{html,md}, assembled from the outputs of the other rules.

from upgrade_repro.report_font import config_strings, report_characters

#
# Optional parts are listed by path, with the key of their caption in report/messages.yaml
# (caption.<key>). A listed file is in the report as soon as a rule of the workflow makes it:
# adding the rule (and its include in the Snakefile) is enough. A new figure or table is one line
# here (plus its caption in messages.yaml; without one the file name is shown).
REPORT_FIGURES = {  # Figure 1, in this order
    "results/figures/figure1_map.png": "figure1_map",
    "results/figures/figure1_ranking.png": "figure1_ranking",
}
REPORT_BEYOND = {  # tables (their layout .json) and figures beyond the paper, shown after Figure 1, in this order
    "results/tables/table_regions.json": "table_regions",
    "results/tables/table_trends.json": "table_trends",
    "results/tables/table_beta.json": "table_beta",
    "results/tables/table_sigma.json": "table_sigma",
    "results/figures/sigma.png": "sigma",
    "results/figures/regional_trends.png": "regional_trends",
}
# The tables behind the commentary of the analyses beyond the paper (reporting.beyond_summary), in
# the order of its arguments: trends, beta, sigma.
REPORT_BEYOND_DATA = {
    "trends": "results/tables/table_trends.csv",
    "beta": "results/tables/table_beta.csv",
    "sigma": "results/data/sigma.csv",
}
# Provincial means of upgrade (code, province, mean_upgrade): the tier statements use them.
REPORT_PROVINCE_MEANS = "results/data/province_means.csv"
REPORT_TEMPLATES = ["report/messages.yaml", "report/report.html.j2", "report/report.md.j2", "report/style.css"]

# Whatever the report can show apart from the data: the font subset covers these (rule report_font).
# Files: the templates and the reference tables. Parameters: the characters of the config's strings
# and of the code writing the report's text and its tables (an edit that brings no new character,
# or a new number such as years.end, reruns nothing).
REPORT_FONT_SOURCES = REPORT_TEMPLATES + sorted(
    {
        "data/reference/provinces.csv",
        REGION_TABLE,
        "data/reference/aggregates.csv",
        "data/reference/indicators.yaml",
        "data/reference/region_schemes.csv",
        "data/reference/region_scheme_names.csv",
        "data/published/section_1_2_2.yaml",
        config["verify"]["published"],
    }
)
# Every rule script and the library it imports: any of them may write text the report shows (a
# table note, a claim's explanation), and a list typed by hand drifts.
REPORT_TEXT_SCRIPTS = sorted(f"scripts/{p.name}" for p in (Path(workflow.basedir) / "scripts").glob("*.py"))
REPORT_TEXT = report_characters(
    sorted({*REPORT_TEXT_SCRIPTS, *(m for s in REPORT_TEXT_SCRIPTS for m in project_imports(s))}),
    config_strings(config),
)


# The report's CJK font subset, static: reused when the data change.
rule report_font:
    input:
        sources=REPORT_FONT_SOURCES,
        code=project_imports("scripts/report_font.py"),
    output:
        css="results/static/report_font.css",
        chars="results/static/report_font.txt",
    log:
        "results/logs/report_font.log",
    benchmark:
        "results/benchmarks/report_font.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500),
        runtime=10,
    params:
        text=REPORT_TEXT,
    script:
        "../../scripts/report_font.py"


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
        registry=config["registry"]["path"],
        province_means=lambda wildcards: made_by_workflow([REPORT_PROVINCE_MEANS]),
        code=project_imports("scripts/claims.py"),
    output:
        claims="results/checks/claims.csv",
    log:
        "results/logs/claims.log",
    benchmark:
        "results/benchmarks/claims.tsv"
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


rule report:
    input:
        templates=REPORT_TEMPLATES,
        raw=config["raw"],
        raw_long=rules.ingest.output.long,
        registry=rules.registry.output.status,
        panel=rules.clean.output.panel,
        data_checks=rules.clean.output.data_checks,
        accepted=rules.clean.output.accepted,
        indicators=rules.indicators.output.indicators,
        table1=rules.describe.output.csv,
        checks=rules.verify.output.checks,
        published=config["verify"]["published"],
        claims="data/published/section_1_2_2.yaml",
        claims_checked=rules.claims.output.claims,
        catalogue="data/reference/indicators.yaml",
        regions=REGION_TABLE,
        aggregates="data/reference/aggregates.csv",
        # Region names of the commentary beyond the paper in the report's language.
        region_labels="data/reference/region_labels.csv",
        figures=lambda wildcards: made_by_workflow(REPORT_FIGURES),
        beyond=lambda wildcards: made_by_workflow(REPORT_BEYOND),
        beyond_data=lambda wildcards: made_by_workflow(list(REPORT_BEYOND_DATA.values())),
        province_means=lambda wildcards: made_by_workflow([REPORT_PROVINCE_MEANS]),
        font_css=rules.report_font.output.css,
        font_chars=rules.report_font.output.chars,
        # Every file the rules read (their SHA-256 in the provenance): an edit reruns the report.
        sources=lambda wildcards: workflow_sources(),
        code=project_imports("scripts/report.py"),
    output:
        html=report(
            "results/report/report.html",
            caption="../report/report.rst",
            category="Report",
        ),
        md=report(
            "results/report/report.md",
            caption="../report/report_md.rst",
            category="Report",
        ),
    log:
        "results/logs/report.log",
    benchmark:
        "results/benchmarks/report.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        language=config["report"]["language"],
        title=config["report"]["title"],
        demo=uses_demo_data(),
        decimals=config["decimals"],
        exclude_regions=config["exclude_regions"],
        share_denominator=config["share_denominator"],
        figures=REPORT_FIGURES,
        beyond=REPORT_BEYOND,
        beyond_data=REPORT_BEYOND_DATA,
        # Shown in the report's provenance: the whole configuration, the repository state and
        # which rule and script make each output.
        config=config,
        git=git_state(),
        # Without git, the report identifies the code by a digest of its files under this root.
        project_root=os.path.relpath(workflow.basedir),
        outputs=lambda wildcards: output_provenance(),
        # The software table: the distributions these files import (provenance.imported_distributions).
        code_files=lambda wildcards: rule_code_files(),
        # Config files Snakemake read as YTE templates (code run at loading; common.smk).
        yte_configfiles=YTE_CONFIGFILES,
    script:
        "../../scripts/report.py"
