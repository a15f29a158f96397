"""Rule registry: each raw file of the run against the registry data/raw/versions.csv ->
results/checks/registry.csv (upgrade_repro/registry.py), which the report shows."""

from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.registry import load_registry, registry_status


def main(snakemake) -> None:
    configure_logging(snakemake)
    status = registry_status(list(snakemake.input.raw), load_registry(snakemake.input.registry))
    for row in status.itertuples():
        logger.info("%s: %s", row.file, row.status)
    write_csv(status, snakemake.output.status)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("registry")
    main(snakemake)
