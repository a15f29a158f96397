"""Rule changes: this run's tables against the previous successful run's (upgrade_repro/changes.py)."""

from pathlib import Path

import pandas as pd

from upgrade_repro.changes import COMPARED, compare_tables, logger, read_if_exists
from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    previous_dir = Path(snakemake.params.previous_dir)
    parts = []
    for name in COMPARED:
        if name in snakemake.input.keys():
            current = pd.read_csv(snakemake.input[name], dtype={"code": str})
            parts.append(compare_tables(name, current, read_if_exists(previous_dir / f"{name}.csv")))
    changes = pd.concat(parts, ignore_index=True)
    for status, n in changes["status"].value_counts().sort_index().items():
        logger.info("%d compared value(s): %s", n, status)
    write_csv(changes, snakemake.output.changes)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("changes")
    main(snakemake)
