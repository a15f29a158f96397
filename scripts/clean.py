"""Rule clean: tidy long table -> balanced panel in 亿元 (functions: upgrade_repro/clean.py)."""

import pandas as pd

from upgrade_repro.clean import clean_stage
from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.regions import load_regions


def main(snakemake) -> None:
    configure_logging(snakemake)
    long = pd.read_csv(
        snakemake.input.long, dtype={"unit": str, "region": str}, keep_default_na=False, na_values={"value": [""]}
    )
    result = clean_stage(
        long,
        load_regions(snakemake.input.regions),
        pd.read_csv(snakemake.input.aggregates, dtype=str),
        snakemake.params.exclude_regions,
        snakemake.params.years,
        snakemake.params.vintage_winner,
        snakemake.params.checks,
        snakemake.params.series,
        snakemake.params.unit,
    )
    # Written only once every check has passed: a failing check leaves none of them.
    write_csv(result.panel, snakemake.output.panel)
    write_csv(result.data_checks, snakemake.output.data_checks)
    write_csv(result.accepted, snakemake.output.accepted)
    write_csv(result.sources, snakemake.output.sources)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("clean")
    main(snakemake)
