"""Rule deposit_checks: the deposit's files and roles, MANIFEST.csv, metadata.json and config.yaml
(upgrade_repro/deposit/build.py), and the data editor's checks of them (upgrade_repro/deposit/checks.py)
-> results/deposit/checks.csv; each failure and warning logged; rule deposit stops on a failing check."""

from pathlib import Path

from upgrade_repro.deposit.build import build_deposit
from upgrade_repro.deposit.checks import deposit_checks, documentation_text, warnings_of
from upgrade_repro.files import write_csv, write_text
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    parts = build_deposit(
        ".",
        outputs=list(snakemake.input.outputs),
        raw=list(snakemake.input.raw),
        name=snakemake.params.name,
        version=snakemake.params.version,
        effective_config=snakemake.params.effective_config,
        registry=snakemake.input.registry,
        boundaries_output=snakemake.params.boundaries_output,
        boundaries_source=snakemake.params.boundaries_source,
    )
    checks = deposit_checks(
        ".",
        parts["members"],
        documentation_text("."),
        Path("requirements.lock").read_text(encoding="utf-8"),
        limits=snakemake.params.limits,
        citation=parts["citation"],
        derived=parts["derived"],
    )
    for row in checks[checks["status"] == "fail"].itertuples():
        logger.error("deposit check %s failed: %s: %s", row.check, row.path, row.detail)
    for line in warnings_of(checks):
        logger.warning("deposit check %s", line)
    counts = checks["status"].value_counts()
    logger.info(
        "%d files, %d checks failed, %d warned",
        len(parts["members"]),
        int(counts.get("fail", 0)),
        int(counts.get("warn", 0)),
    )
    write_csv(checks, snakemake.output.checks)
    write_text(parts["manifest"], snakemake.output.manifest)
    write_text(parts["metadata"], snakemake.output.metadata)
    write_text(parts["config"], snakemake.output.config)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("deposit_checks")
    main(snakemake)
