"""Rule ingest: every configured raw extract -> results/data/raw_long.csv (tidy, as written)."""

from upgrade_repro.files import write_csv
from upgrade_repro.indicators import SERIES_NEEDED
from upgrade_repro.ingest.extracts import read_extracts, require_series
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    long = read_extracts(snakemake.input.raw)
    # employment series the selected indicators need (none by default): missing ones stop here
    require_series(long, snakemake.params.employment, {i: SERIES_NEEDED[i] for i in snakemake.params.indicators})
    write_csv(long, snakemake.output.long)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("ingest")
    main(snakemake)
