# Stand-ins for the rules of other branches that the report shows when they exist (Figure 1 and
# the analyses beyond the paper). The report's tests append this file to a copy of the workflow
# (with STAND_INS replaced by the path of tests/stand_ins.py): the report must then pick the
# files up with no edit of report.smk.


rule province_means:
    input:
        indicators="results/data/indicators.csv",
    output:
        csv="results/data/province_means.csv",
    script:
        "STAND_INS"


rule figure_map:
    input:
        csv="results/data/province_means.csv",
    output:
        png="results/figures/figure1_map.png",
    script:
        "STAND_INS"


rule figure_ranking:
    input:
        csv="results/data/province_means.csv",
    output:
        png="results/figures/figure1_ranking.png",
        svg="results/figures/figure1_ranking.svg",
    script:
        "STAND_INS"


rule beyond_stand_in:
    input:
        csv="results/data/province_means.csv",
    output:
        table="results/tables/table_regions.md",
        figure="results/figures/sigma.png",
    script:
        "STAND_INS"
