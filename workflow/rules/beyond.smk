# Beyond the paper: regional heterogeneity, time trends and convergence of the indicators, on the
# same panel (config key beyond; region membership in data/reference/region_schemes.csv).


rule regional_table:
    input:
        indicators=rules.indicators.output.indicators,
        schemes="data/reference/region_schemes.csv",
        scheme_names="data/reference/region_scheme_names.csv",
        region_labels="data/reference/region_labels.csv",
        code=project_imports("scripts/regional_table.py"),
    output:
        csv="results/tables/table_regions.csv",
        md=report(
            "results/tables/table_regions.md",
            caption="../report/table_regions.rst",
            category="Beyond the paper",
        ),
        tex="results/tables/table_regions.tex",
        layout="results/tables/table_regions.json",
    log:
        "results/logs/regional_table.log",
    benchmark:
        "results/benchmarks/regional_table.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        scheme=config["beyond"]["region_scheme"],
        decimals=config["decimals"],
        demo=uses_demo_data(),
        language=config["report"]["language"],
    script:
        "../../scripts/regional_table.py"


rule trends:
    input:
        indicators=rules.indicators.output.indicators,
        schemes="data/reference/region_schemes.csv",
        scheme_names="data/reference/region_scheme_names.csv",
        catalogue="data/reference/indicators.yaml",
        region_labels="data/reference/region_labels.csv",
        code=project_imports("scripts/trends.py"),
    output:
        csv="results/tables/table_trends.csv",
        md=report(
            "results/tables/table_trends.md",
            caption="../report/table_trends.rst",
            category="Beyond the paper",
        ),
        tex="results/tables/table_trends.tex",
        layout="results/tables/table_trends.json",
    log:
        "results/logs/trends.log",
    benchmark:
        "results/benchmarks/trends.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        scheme=config["beyond"]["region_scheme"],
        decimals=config["beyond"]["coef_decimals"],
        demo=uses_demo_data(),
        language=config["report"]["language"],
    script:
        "../../scripts/trends.py"


rule convergence:
    input:
        indicators=rules.indicators.output.indicators,
        schemes="data/reference/region_schemes.csv",
        scheme_names="data/reference/region_scheme_names.csv",
        code=project_imports("scripts/convergence.py"),
    output:
        sigma="results/data/sigma.csv",
        sigma_md="results/tables/table_sigma.md",
        sigma_tex="results/tables/table_sigma.tex",
        sigma_layout="results/tables/table_sigma.json",
        csv="results/tables/table_beta.csv",
        md=report(
            "results/tables/table_beta.md",
            caption="../report/table_beta.rst",
            category="Beyond the paper",
        ),
        tex="results/tables/table_beta.tex",
        layout="results/tables/table_beta.json",
    log:
        "results/logs/convergence.log",
    benchmark:
        "results/benchmarks/convergence.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        scheme=config["beyond"]["region_scheme"],
        cov_type=config["beyond"]["beta_cov"],
        decimals=config["beyond"]["coef_decimals"],
        demo=uses_demo_data(),
        language=config["report"]["language"],
    script:
        "../../scripts/convergence.py"


rule beyond_figures:
    input:
        indicators=rules.indicators.output.indicators,
        sigma=rules.convergence.output.sigma,
        catalogue="data/reference/indicators.yaml",
        schemes="data/reference/region_schemes.csv",
        scheme_names="data/reference/region_scheme_names.csv",
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
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        scheme=config["beyond"]["region_scheme"],
        demo=uses_demo_data(),
    script:
        "../../scripts/beyond_figures.py"
