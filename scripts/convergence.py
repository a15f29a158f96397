"""Rule convergence (beyond the paper): sigma and beta convergence (upgrade_repro/convergence.py)."""

from upgrade_repro.catalogue import scheme_name
from upgrade_repro.convergence import CAPTION, beta_cells, beta_notes, beta_table, sigma_table
from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import read_indicators_with_regions
from upgrade_repro.tables import write_table_files


def main(snakemake) -> None:
    configure_logging(snakemake)
    scheme = snakemake.params.scheme
    data = read_indicators_with_regions(snakemake.input.indicators, snakemake.input.schemes, scheme)
    beta = beta_table(data, snakemake.params.cov_type)
    heads, rows = beta_cells(beta, snakemake.params.decimals)
    notes = beta_notes(beta, scheme_name(snakemake.input.scheme_names, scheme, "zh"), snakemake.params.demo)
    write_csv(sigma_table(data), snakemake.output.sigma)
    write_table_files(snakemake.output, beta, CAPTION, "tab:beta", heads, rows, notes, left=2)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("convergence")
    main(snakemake)
