# Stand-ins for the rules of other branches that the report shows when they exist (Figure 1, the
# analyses beyond the paper). The report's tests append this file to a copy of the workflow (with
# STAND_INS replaced by the path of tests/stand_ins.py). Each stand-in is defined only when no rule
# of the workflow makes its file yet, so that once the real rules are merged, they run instead.


if not made_by_workflow(["results/data/province_means.csv"]):

    rule stand_in_province_means:
        input:
            indicators="results/data/indicators.csv",
        output:
            csv="results/data/province_means.csv",
        script:
            "STAND_INS"


if not made_by_workflow(["results/figures/figure1_map.png"]):

    rule stand_in_figure_map:
        input:
            csv="results/data/province_means.csv",
        output:
            png="results/figures/figure1_map.png",
        script:
            "STAND_INS"


if not made_by_workflow(["results/figures/figure1_ranking.svg"]):

    rule stand_in_figure_ranking:
        input:
            csv="results/data/province_means.csv",
        output:
            svg="results/figures/figure1_ranking.svg",
        script:
            "STAND_INS"


if not made_by_workflow(["results/figures/sigma.png"]):

    rule stand_in_sigma:
        input:
            csv="results/data/province_means.csv",
        output:
            png="results/figures/sigma.png",
        script:
            "STAND_INS"


# Always: a table beyond the paper with markup in it (listed in REPORT_BEYOND by the tests).
rule stand_in_markup:
    input:
        csv="results/data/province_means.csv",
    output:
        table="results/tables/stand_in_markup.md",
    script:
        "STAND_INS"
