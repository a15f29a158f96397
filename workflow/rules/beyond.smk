# Beyond the paper: regional heterogeneity, time trends and convergence of the indicators, on the
# same panel (config key beyond; region membership in data/reference/region_schemes.csv).


rule regional_table:
    input:
        indicators=rules.indicators.output.indicators,
        schemes="data/reference/region_schemes.csv",
        code=project_imports("scripts/regional_table.py"),
    output:
        csv="results/tables/table_regions.csv",
    log:
        "results/logs/regional_table.log",
    benchmark:
        "results/benchmarks/regional_table.tsv"
    priority: PRIORITY["regional_table"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        scheme=config["beyond"]["region_scheme"],
    script:
        "../../scripts/regional_table.py"


rule trends:
    input:
        indicators=rules.indicators.output.indicators,
        schemes="data/reference/region_schemes.csv",
        code=project_imports("scripts/trends.py"),
    output:
        csv="results/tables/table_trends.csv",
    log:
        "results/logs/trends.log",
    benchmark:
        "results/benchmarks/trends.tsv"
    priority: PRIORITY["trends"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        scheme=config["beyond"]["region_scheme"],
    script:
        "../../scripts/trends.py"


rule convergence:
    input:
        indicators=rules.indicators.output.indicators,
        schemes="data/reference/region_schemes.csv",
        code=project_imports("scripts/convergence.py"),
    output:
        sigma="results/data/sigma.csv",
        csv="results/tables/table_beta.csv",
    log:
        "results/logs/convergence.log",
    benchmark:
        "results/benchmarks/convergence.tsv"
    priority: PRIORITY["convergence"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        scheme=config["beyond"]["region_scheme"],
        cov_type=config["beyond"]["beta_cov"],
    script:
        "../../scripts/convergence.py"


# The tables' text files (md, tex, and the layout the report reads) in the report's language: a
# rule of its own, so that switching report.language reruns no regression.
rule beyond_table_files:
    input:
        regions=rules.regional_table.output.csv,
        trends=rules.trends.output.csv,
        beta=rules.convergence.output.csv,
        sigma=rules.convergence.output.sigma,
        indicators=rules.indicators.output.indicators,
        schemes="data/reference/region_schemes.csv",
        scheme_names="data/reference/region_scheme_names.csv",
        region_labels="data/reference/region_labels.csv",
        catalogue="data/reference/indicators.yaml",
        code=project_imports("scripts/beyond_table_files.py"),
    output:
        regions_md=report(
            "results/tables/table_regions.md",
            caption="../report/table_regions.rst",
            category="Beyond the paper",
        ),
        regions_tex="results/tables/table_regions.tex",
        regions_layout="results/tables/table_regions.json",
        trends_md=report(
            "results/tables/table_trends.md",
            caption="../report/table_trends.rst",
            category="Beyond the paper",
        ),
        trends_tex="results/tables/table_trends.tex",
        trends_layout="results/tables/table_trends.json",
        beta_md=report(
            "results/tables/table_beta.md",
            caption="../report/table_beta.rst",
            category="Beyond the paper",
        ),
        beta_tex="results/tables/table_beta.tex",
        beta_layout="results/tables/table_beta.json",
        sigma_md="results/tables/table_sigma.md",
        sigma_tex="results/tables/table_sigma.tex",
        sigma_layout="results/tables/table_sigma.json",
    log:
        "results/logs/beyond_table_files.log",
    benchmark:
        "results/benchmarks/beyond_table_files.tsv"
    priority: PRIORITY["beyond_table_files"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        scheme=config["beyond"]["region_scheme"],
        decimals=config["decimals"],
        coef_decimals=config["beyond"]["coef_decimals"],
        demo=uses_demo_data(),
        language=config["report"]["language"],
    script:
        "../../scripts/beyond_table_files.py"


rule beyond_figures:
    input:
        indicators=rules.indicators.output.indicators,
        sigma=rules.convergence.output.sigma,
        catalogue="data/reference/indicators.yaml",
        schemes="data/reference/region_schemes.csv",
        scheme_names="data/reference/region_scheme_names.csv",
        region_labels="data/reference/region_labels.csv",
        code=project_imports("scripts/beyond_figures.py"),
    output:
        means="results/data/regional_means.csv",
        trends_png=report(
            "results/figures/regional_trends.png",
            caption="../report/regional_trends.rst",
            category="Beyond the paper",
        ),
        trends_svg="results/figures/regional_trends.svg",
        sigma_png=report(
            "results/figures/sigma.png",
            caption="../report/sigma.rst",
            category="Beyond the paper",
        ),
        sigma_svg="results/figures/sigma.svg",
    log:
        "results/logs/beyond_figures.log",
    benchmark:
        "results/benchmarks/beyond_figures.tsv"
    priority: PRIORITY["beyond_figures"]
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        scheme=config["beyond"]["region_scheme"],
        language=config["report"]["language"],
        dpi=config["figure"]["dpi"],
        title_in_image=config["figure"]["title_in_image"],
        demo=uses_demo_data(),
    script:
        "../../scripts/beyond_figures.py"
