"""Rule trends (beyond the paper): FE time trends of each indicator (upgrade_repro/trends.py)."""

from upgrade_repro.catalogue import indicator_units, load_catalogue, scheme_name
from upgrade_repro.indicators import indicator_columns
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import read_indicators_with_regions
from upgrade_repro.tables import write_table_files
from upgrade_repro.trends import CAPTION, trend_cells, trend_notes, trend_table


def main(snakemake) -> None:
    configure_logging(snakemake)
    scheme = snakemake.params.scheme
    data = read_indicators_with_regions(snakemake.input.indicators, snakemake.input.schemes, scheme)
    table = trend_table(data, indicator_columns(data))
    heads, rows = trend_cells(table, snakemake.params.decimals)
    units = indicator_units(load_catalogue(snakemake.input.catalogue), "zh")
    notes = trend_notes(data, scheme_name(snakemake.input.scheme_names, scheme, "zh"), snakemake.params.demo, units)
    write_table_files(snakemake.output, table, CAPTION, "tab:trends", heads, rows, notes)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("trends")
    main(snakemake)
