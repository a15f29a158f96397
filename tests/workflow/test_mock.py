"""mock_snakemake (upgrade_repro/mock.py): a rule's job built from the Snakefile outside Snakemake, with
the config's values and the schema's defaults."""


def test_rules_pass_the_config(tmp_path):
    from upgrade_repro.mock import mock_snakemake

    smk = mock_snakemake("trends", beyond={"region_scheme": "ecw3"})
    assert smk.params.scheme == "ecw3"
    smk = mock_snakemake("beyond_table_files", beyond={"region_scheme": "ecw3"})
    assert smk.params.scheme == "ecw3" and smk.params.coef_decimals == 4  # schema default filled in
    assert smk.input.schemes == "data/reference/region_schemes.csv"
    smk = mock_snakemake("convergence")
    assert smk.params.cov_type == "HC1" and smk.output.sigma == "results/data/sigma.csv"


def test_mock_snakemake_builds_the_rule_job():
    from upgrade_repro.mock import mock_snakemake

    smk = mock_snakemake("table1_files")
    assert smk.output.md == "results/tables/table1.md"
    assert smk.params.decimals == 3 and smk.log[0] == "results/logs/table1_files.log"
