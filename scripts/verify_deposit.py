"""Rule deposit_verification: unpack a deposit, check its manifest hashes, rerun the workflow on it
and compare every output (upgrade_repro/deposit.py) -> results/verify/<zip name>/verification.*
(written whatever the verdict: rule verify_deposit then fails on one that is not 'verified')."""

from pathlib import Path

from upgrade_repro.deposit import verify
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    summary = verify(
        snakemake.input.deposit,
        Path(snakemake.output.csv).parent,
        cores=snakemake.threads,
        language=snakemake.params.language,
        templates_dir=snakemake.params.templates,
    )
    logger.info("verdict: %s (%s)", summary["verdict"], snakemake.output.html)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("deposit_verification")
    main(snakemake)
