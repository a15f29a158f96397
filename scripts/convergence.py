"""Rule convergence (beyond the paper): sigma and beta convergence (upgrade_repro/convergence.py), in
the report's language."""

from types import SimpleNamespace

from upgrade_repro.catalogue import scheme_name
from upgrade_repro.convergence import (
    CAPTIONS,
    SIGMA_CAPTIONS,
    beta_cells,
    beta_notes,
    beta_table,
    sigma_cells,
    sigma_notes,
    sigma_table,
)
from upgrade_repro.indicators import indicator_columns
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import read_indicators_with_regions
from upgrade_repro.tables import write_table_files


def main(snakemake) -> None:
    configure_logging(snakemake)
    scheme, language = snakemake.params.scheme, snakemake.params.language
    data = read_indicators_with_regions(snakemake.input.indicators, snakemake.input.schemes, scheme)
    beta = beta_table(data, snakemake.params.cov_type, indicator_columns(data))
    heads, rows = beta_cells(beta, snakemake.params.decimals, language)
    name = scheme_name(snakemake.input.scheme_names, scheme, language)
    notes = beta_notes(beta, name, snakemake.params.demo, language)
    sigma = sigma_table(data, indicator_columns(data))
    sigma_files = SimpleNamespace(
        csv=snakemake.output.sigma,
        md=snakemake.output.sigma_md,
        tex=snakemake.output.sigma_tex,
        layout=snakemake.output.sigma_layout,
    )
    sigma_heads, sigma_rows = sigma_cells(sigma, 3, language)
    write_table_files(
        sigma_files,
        sigma,
        SIGMA_CAPTIONS[language],
        "tab:sigma",
        sigma_heads,
        sigma_rows,
        sigma_notes(sigma, snakemake.params.demo, language),
    )
    write_table_files(snakemake.output, beta, CAPTIONS[language], "tab:beta", heads, rows, notes, left=2)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("convergence")
    main(snakemake)
