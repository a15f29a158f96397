"""Rule regional_table (beyond the paper): Table 1's statistics within each region of the
configured scheme, as csv at full precision (text files: rule beyond_table_files)."""

from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import read_indicators_with_regions
from upgrade_repro.regional_table import describe_by_region


def main(snakemake) -> None:
    configure_logging(snakemake)
    data = read_indicators_with_regions(snakemake.input.indicators, snakemake.input.schemes, snakemake.params.scheme)
    write_csv(describe_by_region(data), snakemake.output.csv)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("regional_table")
    main(snakemake)
