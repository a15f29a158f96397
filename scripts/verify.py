"""Rule verify: reproduced Table 1 against the paper's published numbers (upgrade_repro/verify.py)."""

import logging

import pandas as pd

from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.verify import compare_with_published, logger, read_published, require_within_tolerance


def main(snakemake) -> None:
    configure_logging(snakemake)
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    checks = compare_with_published(
        pd.read_csv(snakemake.input.table1),
        read_published(snakemake.input.published),
        indicators,
        snakemake.params.tolerance,
        snakemake.params.demo,
    )
    # Off-tolerance numbers are news on real data; on the synthetic demo they are expected.
    level = logging.INFO if snakemake.params.demo else logging.WARNING
    for r in checks[~checks["within_tolerance"]].itertuples():
        logger.log(
            level,
            "%s %s: published %g, reproduced %.6f (difference %+.6f)",
            r.variable,
            r.statistic,
            r.published,
            r.reproduced,
            r.difference,
        )
    logger.info(
        "%d of %d statistics within tolerance%s",
        checks["within_tolerance"].sum(),
        len(checks),
        " (demo data: not comparable)" if snakemake.params.demo else "",
    )
    if snakemake.params.strict:
        require_within_tolerance(checks, f"{snakemake.input.table1} vs {snakemake.input.published}")
    write_csv(checks, snakemake.output.checks)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("verify")
    main(snakemake)
