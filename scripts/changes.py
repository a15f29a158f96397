"""Rule changes: this run's tables against the previous run's snapshot, which it then replaces by
this run's (upgrade_repro/changes.py)."""

from pathlib import Path

import pandas as pd

from upgrade_repro.changes import (
    COMPARED,
    MANIFEST,
    compare_tables,
    describe_comparison,
    input_rows,
    logger,
    manifest_text,
    read_if_exists,
    read_manifest,
    run_manifest,
)
from upgrade_repro.files import write_csv, write_text
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    snapshot = Path(snakemake.output.manifest).parent  # the update() outputs: still the previous run's
    names = [name for name in COMPARED if name in snakemake.input.keys()]
    # The previous run's side, read before this job replaces it (update() outputs).
    previous = {name: read_if_exists(snapshot / f"{name}.csv") for name in names}
    previous_manifest = read_manifest(snapshot / MANIFEST)
    manifest = run_manifest(snakemake.input.raw, snakemake.params.config, snakemake.params.demo)
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
    # This run becomes the previous run of the next one.
    for name in names:
        write_text(Path(snakemake.input[name]).read_text(encoding="utf-8"), snapshot / f"{name}.csv")
    write_text(manifest_text(manifest), snakemake.output.manifest)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("changes")
    main(snakemake)
