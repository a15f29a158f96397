"""Rule changes: this run's tables against the previous run's snapshot, which it then replaces by
this run's, in one atomic step after changes.csv (upgrade_repro/changes.py)."""

from pathlib import Path

import pandas as pd

from upgrade_repro.changes import (
    COMPARED,
    compare_tables,
    comparison_base,
    describe_comparison,
    entry_tables,
    input_rows,
    logger,
    read_snapshot,
    run_manifest,
    snapshot_entry,
    snapshot_text,
)
from upgrade_repro.files import write_csv, write_text
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.vintage import vintage_note


def main(snakemake) -> None:
    configure_logging(snakemake)
    names = [name for name in COMPARED if name in snakemake.input.keys()]
    # A panel across data vintages: the choice's note (in English, as the rest of changes.csv).
    note = vintage_note(snakemake.input.vintage, "en")
    manifest = run_manifest(snakemake.input.raw, snakemake.params.config, snakemake.params.demo, vintage_note=note)
    tables = {name: Path(snakemake.input[name]).read_text(encoding="utf-8") for name in names}
    # The update() output: still the previous run's snapshot, read before this job replaces it.
    base, snapshot = comparison_base(read_snapshot(snakemake.output.snapshot), snapshot_entry(tables, manifest))
    previous = entry_tables(base, names)
    previous_manifest = base["manifest"] if base else None
    comparison = describe_comparison(previous_manifest, manifest, any(t is not None for t in previous.values()))
    parts = [input_rows(previous_manifest, manifest, comparison)]
    for name in names:
        current = pd.read_csv(snakemake.input[name], dtype={"code": str})
        parts.append(compare_tables(name, current, previous[name], snakemake.params.decimals, comparison))
    changes = pd.concat(parts, ignore_index=True)
    logger.info("comparison: %s", comparison)
    for status, n in changes["status"].value_counts().sort_index().items():
        logger.info("%d compared value(s): %s", n, status)
    write_csv(changes, snakemake.output.changes)
    # Only now, in one step, this run becomes the previous run of the next one.
    write_text(snapshot_text(snapshot), snakemake.output.snapshot)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("changes")
    main(snakemake)
