"""Rule trends (beyond the paper): FE time trends of each indicator (upgrade_repro/trends.py), as csv
(text files: rule beyond_table_files)."""

from upgrade_repro.files import write_csv
from upgrade_repro.indicators import indicator_columns
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import read_indicators_with_regions
from upgrade_repro.trends import trend_table


def main(snakemake) -> None:
    configure_logging(snakemake)
    data = read_indicators_with_regions(snakemake.input.indicators, snakemake.input.schemes, snakemake.params.scheme)
    write_csv(trend_table(data, indicator_columns(data)), snakemake.output.csv)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("trends")
    main(snakemake)
