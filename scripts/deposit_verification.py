"""Rule deposit_verification: verify a deposit (upgrade_repro/deposit/verify.py): refuse an unsafe
zip, check its manifest and code, rerun its workflow in a sandbox and compare every output ->
results/verify/<zip name>/verification.{csv,json,html,md} (written whatever the verdict: rule
verify_deposit then fails on one that is not verified)."""

from pathlib import Path

from upgrade_repro.deposit.sandbox import describe, mode
from upgrade_repro.deposit.verify import verify
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    state = mode(snakemake.params.sandbox)
    (logger.info if state == "bubblewrap" else logger.warning)(describe(state))
    summary = verify(
        snakemake.input.deposit,
        Path(snakemake.output.csv).parent,
        cores=snakemake.threads,
        language=snakemake.params.language,
        limits=snakemake.params.limits,
        accept_modified_code=snakemake.params.accept_modified_code,
        sandbox=snakemake.params.sandbox,
    )
    logger.info("verdict: %s, class: %s (%s)", summary["verdict"], summary["class"], snakemake.output.html)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("deposit_verification")
    main(snakemake)
