"""Rule deposit: results/deposit/<name>-<version>.zip from the manifest of rule deposit_checks
(upgrade_repro/deposit/build.py), once no check has failed (else it stops naming each failing file);
the checks' warnings are logged again, so that the command that writes the zip shows them."""

from pathlib import Path

import pandas as pd

from upgrade_repro.deposit.build import write_deposit
from upgrade_repro.deposit.checks import require_checks_pass, warnings_of
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    checks = pd.read_csv(snakemake.input.checks, dtype=str, keep_default_na=False)
    require_checks_pass(checks, snakemake.input.checks)
    for line in warnings_of(checks):
        logger.warning("deposit check %s", line)
    write_deposit(
        snakemake.output.zip,
        ".",
        Path(snakemake.input.manifest).read_text(encoding="utf-8"),
        Path(snakemake.input.metadata).read_text(encoding="utf-8"),
        Path(snakemake.input.config).read_text(encoding="utf-8"),
        snakemake.params.top,
    )
    logger.info("wrote %s", snakemake.output.zip)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("deposit")
    main(snakemake)
