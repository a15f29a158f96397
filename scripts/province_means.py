"""Rule province_means: indicators -> each province's mean of upgrade over the sample years, its tier
and its rank (1 = highest mean): the numbers behind Figure 1."""

import pandas as pd

from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.province_means import province_means, rank_and_tier


def main(snakemake) -> None:
    configure_logging(snakemake)
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    table = rank_and_tier(province_means(indicators), snakemake.params.tiers)
    first, last = table.iloc[0], table.iloc[-1]
    logger.info(
        "tiers: %s; highest %s %.3f, lowest %s %.3f",
        ", ".join(f"{t} {n}" for t, n in table["tier"].value_counts(sort=False).items()),
        first.province,
        first.mean_upgrade,
        last.province,
        last.mean_upgrade,
    )
    write_csv(table, snakemake.output.means)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("province_means")
    main(snakemake)
