"""Rule table1_files: Table 1's text files (results/tables/table1.{md,tex,json}) in the report's
language, from table1.csv (the cells, caption and note of manuscript.table1_table, as in Word)."""

import pandas as pd

from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.table1_files import table1_table
from upgrade_repro.tables import LATEX_LABELS, write_text_files
from upgrade_repro.vintage import vintage_note


def main(snakemake) -> None:
    configure_logging(snakemake)
    params = snakemake.params
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    # a panel across data vintages: the choice named in the note (upgrade_repro/vintage.py)
    note = vintage_note(snakemake.input.vintage, params.language)
    t = table1_table(
        pd.read_csv(snakemake.input.table1),
        indicators,
        params.decimals,
        params.unit,
        params.language,
        params.demo,
        note,
    )
    write_text_files(snakemake.output, t.caption, LATEX_LABELS[t.key], t.heads, t.rows, t.notes, t.left)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("table1_files")
    main(snakemake)
