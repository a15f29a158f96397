# The report: results/report/report.{html,md}, assembled from the outputs of the other rules, and
# its static font subset (rule report_font).
from upgrade_repro.provenance import git_state, output_provenance, rule_code_files, workflow_sources
from upgrade_repro.report_font import config_strings, report_characters

#
# Optional parts are listed by path, with their key: a table's caption is its layout's (.json), a
# figure's its one name (upgrade_repro/figures.py FIGURE_TITLES: the catalogue's figures.<name>,
# also its files' metadata title and its caption in Word). A listed file is in the report as soon
# as a rule of the workflow makes it: adding the rule (and its include in the Snakefile) is
# enough. A new figure or table is one line here (plus a figure's name; without one the file name
# is shown).
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
# The tables behind the commentary of the analyses beyond the paper (upgrade_repro/report.py beyond_summary), in
# the order of its arguments: trends, beta, sigma.
REPORT_BEYOND_DATA = {
    "trends": "results/tables/table_trends.csv",
    "beta": "results/tables/table_beta.csv",
    "sigma": "results/data/sigma.csv",
}
# Provincial means of upgrade (code, province, mean_upgrade): the tier statements use them.
REPORT_PROVINCE_MEANS = "results/data/province_means.csv"
REPORT_TEMPLATES = [
    "report/report.html.j2",
    "report/report.md.j2",
    "report/style.css",
    "report/vintage.html.j2",
    "report/vintage.md.j2",
]
# Every rule script and the library it imports (project_imports: the modules, and the package data
# of a module, the text catalogue): any of them may write text the report shows (a table note, a
# claim's explanation), and a list typed by hand drifts.
REPORT_TEXT_SCRIPTS = sorted(f"scripts/{p.name}" for p in (Path(workflow.basedir) / "scripts").glob("*.py"))
REPORT_CODE = sorted({*REPORT_TEXT_SCRIPTS, *(m for s in REPORT_TEXT_SCRIPTS for m in project_imports(s))})

# Whatever the report can show apart from the data: the font subset covers these (rule report_font).
# Files: the templates, the text catalogue and the reference tables, read by the job. Parameters:
# the characters of the config's strings and of the code writing the report's text and its tables
# (an edit that brings no new character, or a new number such as years.end, reruns nothing).
REPORT_FONT_SOURCES = (
    REPORT_TEMPLATES
    + [p for p in REPORT_CODE if not p.endswith(".py")]
    + sorted(
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
)
REPORT_TEXT = report_characters([p for p in REPORT_CODE if p.endswith(".py")], config_strings(config))


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
    priority: PRIORITY["report_font"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500),
        runtime=10,
    params:
        text=REPORT_TEXT,
    script:
        "../../scripts/report_font.py"


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
        # The region scheme's name in the captions of the figures beyond the paper.
        scheme_names="data/reference/region_scheme_names.csv",
        figures=lambda wildcards: made_by_workflow(REPORT_FIGURES),
        beyond=lambda wildcards: made_by_workflow(REPORT_BEYOND),
        beyond_data=lambda wildcards: made_by_workflow(list(REPORT_BEYOND_DATA.values())),
        province_means=lambda wildcards: made_by_workflow([REPORT_PROVINCE_MEANS]),
        # Data vintages (the clean stage; the revision figure of vintage.smk when drawn)
        vintages=rules.clean.output.vintages,
        vintage_choice=rules.clean.output.choice,
        vintage_revisions=rules.clean.output.revisions,
        panel_by_choice=rules.clean.output.panels,
        panel_sources=rules.clean.output.sources,
        vintage_figure=lambda wildcards: VINTAGE_FIGURES[:1],
        font_css=rules.report_font.output.css,
        font_chars=rules.report_font.output.chars,
        # Every file the rules read (their SHA-256 in the provenance): an edit reruns the report.
        sources=lambda wildcards: workflow_sources(workflow.rules),
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
        scheme=config["beyond"]["region_scheme"],
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
        git=git_state(workflow.basedir),
        # Without git, the report identifies the code by a digest of its files under this root.
        project_root=os.path.relpath(workflow.basedir),
        outputs=lambda wildcards: output_provenance(workflow.rules, workflow.basedir, DEPOSIT_RULES),
        # The software table: the distributions these files import (provenance.imported_distributions).
        code_files=lambda wildcards: rule_code_files(
            output_provenance(workflow.rules, workflow.basedir, DEPOSIT_RULES), project_imports, workflow.basedir
        ),
        # Config files Snakemake read as YTE templates (code run at loading; common.smk).
        yte_configfiles=YTE_CONFIGFILES,
    script:
        "../../scripts/report.py"
