"""Rule ingest: every configured raw extract -> results/data/raw_long.csv (tidy, as written), and
the revision notes the extracts hold (results/data/raw_notes.csv: upgrade_repro/vintage.py)."""

from upgrade_repro.files import write_csv
from upgrade_repro.indicators import SERIES_NEEDED
from upgrade_repro.ingest.extracts import read_extracts, require_series
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.vintage import notes_table


def main(snakemake) -> None:
    configure_logging(snakemake)
    long = read_extracts(snakemake.input.raw)
    # employment series the selected indicators need (none by default): missing ones stop here
    require_series(long, snakemake.params.employment, {i: SERIES_NEEDED[i] for i in snakemake.params.indicators})
    notes = notes_table(snakemake.input.raw)
    for note in notes.itertuples():
        logger.info("%s line %d: revision note (%s): %s", note.file, note.line, note.vintage, note.text)
    write_csv(long, snakemake.output.long)
    write_csv(notes, snakemake.output.notes)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("ingest")
    main(snakemake)
