"""Rule convergence (beyond the paper): sigma and beta convergence (upgrade_repro/convergence.py), as
csv (text files: rule beyond_table_files)."""

from upgrade_repro.convergence import beta_table, sigma_table
from upgrade_repro.files import write_csv
from upgrade_repro.indicators import indicator_columns
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import read_indicators_with_regions


def main(snakemake) -> None:
    configure_logging(snakemake)
    data = read_indicators_with_regions(snakemake.input.indicators, snakemake.input.schemes, snakemake.params.scheme)
    write_csv(beta_table(data, snakemake.params.cov_type, indicator_columns(data)), snakemake.output.csv)
    write_csv(sigma_table(data, indicator_columns(data)), snakemake.output.sigma)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("convergence")
    main(snakemake)
