"""Rule ingest: every configured raw extract -> results/data/raw_long.csv (tidy, as written)."""


from _helpers import configure_logging, mock_snakemake, write_csv
from readers import read_extracts


def main(snakemake) -> None:
    configure_logging(snakemake)
    write_csv(read_extracts(snakemake.input.raw), snakemake.output.long)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("ingest")
    main(snakemake)
