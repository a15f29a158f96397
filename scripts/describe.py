"""Rule describe: indicators -> Table 1 (N, mean, sample sd, min, max), as csv, Markdown and LaTeX."""

import pandas as pd

from upgrade_repro.descriptive import describe, sample_note
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.tables import CAPTION, HEADS, statistic_cells, with_demo_note, write_table_files


def main(snakemake) -> None:
    configure_logging(snakemake)
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    table = describe(indicators)
    notes = with_demo_note([sample_note(indicators, snakemake.params.unit)], snakemake.params.demo)
    write_table_files(
        snakemake.output, table, CAPTION, "tab:table1", HEADS, statistic_cells(table, snakemake.params.decimals), notes
    )


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("describe")
    main(snakemake)
