"""Rule regional_table (beyond the paper): Table 1's statistics within each region of the
configured scheme, as csv (full precision), Markdown and LaTeX."""

from upgrade_repro.catalogue import scheme_name
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import read_indicators_with_regions
from upgrade_repro.regional_stats import CAPTION, describe_by_region, region_cells, region_notes
from upgrade_repro.tables import HEADS, write_table_files


def main(snakemake) -> None:
    configure_logging(snakemake)
    scheme = snakemake.params.scheme
    data = read_indicators_with_regions(snakemake.input.indicators, snakemake.input.schemes, scheme)
    table = describe_by_region(data)
    notes = region_notes(data, scheme_name(snakemake.input.scheme_names, scheme, "zh"), snakemake.params.demo)
    rows = region_cells(table, snakemake.params.decimals)
    heads = ("地区", *HEADS)
    write_table_files(snakemake.output, table, CAPTION, "tab:regions", heads, rows, notes, left=2)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("regional_table")
    main(snakemake)
