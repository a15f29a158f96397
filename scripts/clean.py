"""Rule clean: tidy long table -> balanced panel in 亿元 (functions: upgrade_repro/clean.py), with
each raw file's data vintage and what config vintage.policy made of them (upgrade_repro/vintage.py)."""

import pandas as pd

from upgrade_repro.clean import clean_stage
from upgrade_repro.files import write_csv, write_text
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.regions import load_regions
from upgrade_repro.registry import load_registry, raw_vintages
from upgrade_repro.vintage import choice_record, choice_record_text, panels_table


def main(snakemake) -> None:
    configure_logging(snakemake)
    params = snakemake.params
    long = pd.read_csv(
        snakemake.input.long, dtype={"unit": str, "region": str}, keep_default_na=False, na_values={"value": [""]}
    )
    notes = pd.read_csv(snakemake.input.notes, dtype={"file": str, "text": str, "vintage": str}, keep_default_na=False)
    # The registry's vintage of each raw file (its row, or a row with its SHA-256), read as a label.
    registry = {r["file"]: r["vintage"] for r in raw_vintages(params.raw, load_registry(snakemake.input.registry))}
    vintage = params.vintage
    result = clean_stage(
        long,
        load_regions(snakemake.input.regions),
        pd.read_csv(snakemake.input.aggregates, dtype=str),
        params.exclude_regions,
        params.years,
        vintage["winner"],
        params.checks,
        params.series,
        params.unit,
        vintage_policy=vintage["policy"],
        link_year=vintage["link_year"],
        registry=registry,
        notes=notes,
        files=params.raw,
        log_file=snakemake.log[0] if snakemake.log else None,
    )
    resolution = result.resolution
    reasons = {c: p for c, p in (result.panels or {}).items() if isinstance(p, str)}
    choices = {c: reasons.get(c, "") for c in (result.panels or {})}
    # Written only once every check has passed: a failing check (or the stop of a panel across
    # data vintages) leaves none of them.
    write_csv(result.panel, snakemake.output.panel)
    write_csv(result.data_checks, snakemake.output.data_checks)
    write_csv(result.accepted, snakemake.output.accepted)
    write_csv(result.sources, snakemake.output.sources)
    write_csv(result.vintages, snakemake.output.vintages)
    write_csv(result.revisions, snakemake.output.revisions)
    write_text(choice_record_text(choice_record(resolution, result.pairs, choices)), snakemake.output.choice)
    write_csv(panels_table(result.panels or {}), snakemake.output.panels)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("clean")
    main(snakemake)
