"""Rule describe: indicators -> Table 1 (N, mean, sample sd, min, max), as csv, Markdown and LaTeX,
in the report's language."""

import pandas as pd

from upgrade_repro.descriptive import describe, sample_note
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.tables import CAPTIONS, HEADS_BY_LANGUAGE, statistic_cells, with_demo_note, write_table_files


def main(snakemake) -> None:
    configure_logging(snakemake)
    params = snakemake.params
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    table = describe(indicators)
    notes = with_demo_note([sample_note(indicators, params.unit, params.language)], params.demo, params.language)
    write_table_files(
        snakemake.output,
        table,
        CAPTIONS[params.language],
        "tab:table1",
        HEADS_BY_LANGUAGE[params.language],
        statistic_cells(table, params.decimals),
        notes,
    )


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("describe")
    main(snakemake)
