"""Rule registry: each raw file of the run against the registry data/raw/versions.csv, with its data
vintage as the clean stage established it -> results/checks/registry.csv (upgrade_repro/registry.py),
which the report shows."""

import pandas as pd

from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.registry import load_registry, registry_status


def main(snakemake) -> None:
    configure_logging(snakemake)
    vintages = pd.read_csv(snakemake.input.vintages, dtype=str, keep_default_na=False)
    status = registry_status(list(snakemake.input.raw), load_registry(snakemake.input.registry), vintages=vintages)
    for row in status.itertuples():
        logger.info("%s: %s, vintage %s (%s)", row.file, row.status, row.vintage_label, row.vintage_basis)
    write_csv(status, snakemake.output.status)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("registry")
    main(snakemake)
