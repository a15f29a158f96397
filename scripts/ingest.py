"""Rule ingest: every configured raw extract -> results/data/raw_long.csv (tidy, as written)."""

from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.readers import read_extracts


def main(snakemake) -> None:
    configure_logging(snakemake)
    write_csv(read_extracts(snakemake.input.raw), snakemake.output.long)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("ingest")
    main(snakemake)
