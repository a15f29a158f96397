"""Rule table1_files: Table 1 as printed (caption, heads, cells at the configured decimals, the sample
note) in the output language, from table1.csv: its .md, .tex and .json (scripts/table1_files.py)
and its Word and Excel versions (upgrade_repro/manuscript_tables.py); every printed text in the style
of its edition (upgrade_repro/typeset.py)."""

import pandas as pd

from upgrade_repro.tables import PrintedTable, statistic_cells, with_demo_note
from upgrade_repro.texts import texts
from upgrade_repro.typeset import typeset, typeset_all, years


def table1_heads(language: str) -> list[str]:
    """Variable, N, mean, sd, min, max in `language`."""
    heads = texts(language, "tables.table1.heads")
    return [heads[h] for h in ("variable", "n", "mean", "sd", "min", "max")]


def sample_note(indicators: pd.DataFrame, unit: str = "province", language: str = "zh") -> str:
    """The note under Table 1: the panel's units (config unit), years and N."""
    t = texts(language, "tables.table1")
    return t["note"].format(
        n_units=indicators["code"].nunique(),
        unit_name=t[f"unit_names.{unit}"],
        years=years(indicators["year"].min(), indicators["year"].max(), language),
        n_obs=len(indicators),
    )


def table1_table(
    table1: pd.DataFrame,
    indicators: pd.DataFrame,
    decimals: int,
    unit: str,
    language: str,
    demo: bool,
    vintage_note: str = "",
) -> PrintedTable:
    """Table 1 from table1.csv (rule describe): caption, heads, cells and note in `language`;
    `vintage_note`: for a panel across data vintages, the note naming the choice (vintage.vintage_note:
    which vintage, which years linked or spliced), after the sample note."""
    notes = [sample_note(indicators, unit, language)] + ([vintage_note] if vintage_note else [])
    return PrintedTable(
        "table1",
        typeset(texts(language, "tables.table1")["caption"], language),
        typeset_all(table1_heads(language), language),
        [typeset_all(row, language) for row in statistic_cells(table1, decimals)],
        typeset_all(with_demo_note(notes, demo, language), language),
        table1,
        decimals,
    )
