"""Rule verify_deposit: fails, naming the report, when the verification's verdict is not verified
(upgrade_repro/deposit/verify.py require_verified); the report itself stays."""

from upgrade_repro.deposit.verify import require_verified
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    logger.info(require_verified(snakemake.input.summary, snakemake.input.html))


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("verify_deposit")
    main(snakemake)
