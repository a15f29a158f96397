"""Rule manuscript_tables: results/manuscript/tables.docx (Word three-line tables, Figure 1) and
results/manuscript/tables.xlsx (each table as printed, its full-precision data, the indicator panel)."""

import pandas as pd

from upgrade_repro.beyond_table_files import beyond_tables
from upgrade_repro.catalogue import load_catalogue
from upgrade_repro.files import atomic_path
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.manuscript_tables import (
    BEYOND_TABLES,
    build_document,
    docx_bytes,
    figure_block,
    panel_sheet_frame,
    sample_facts,
    xlsx_bytes,
)
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.regions import load_regions
from upgrade_repro.stata_panel import panel_units, provinces_in_language, variable_labels
from upgrade_repro.table1_files import table1_table
from upgrade_repro.texts import texts
from upgrade_repro.typeset import years
from upgrade_repro.vintage import vintage_note


def main(snakemake) -> None:
    configure_logging(snakemake)
    inp, params = snakemake.input, snakemake.params
    language = params.language
    words = texts(language, "manuscript")
    indicators = pd.read_csv(inp.indicators, dtype={"code": str})
    table1 = pd.read_csv(inp.table1)
    note = vintage_note(inp.vintage, language)  # a panel across data vintages: the choice, named
    tables = [table1_table(table1, indicators, params.decimals, params.unit, language, params.demo, note)]
    # the tables beyond the paper: the rule's inputs of their names, empty in a city or county run
    beyond = {key: inp[key][0] for key in BEYOND_TABLES if len(inp[key])}
    references = {k: inp[k] for k in ("schemes", "scheme_names", "region_labels", "catalogue")}
    tables += beyond_tables(
        beyond, inp.indicators, references, params.scheme, params.decimals, params.coef_decimals, language, params.demo
    )
    indicators = provinces_in_language(indicators, load_regions(inp.regions), language)
    facts = sample_facts(indicators)
    figure = figure_block(inp.figure[0], facts, language, params.approval_number) if inp.figure else None
    doc = build_document(tables, words["document_title"], figure)
    with atomic_path(snakemake.output.docx) as tmp:
        tmp.write_bytes(docx_bytes(doc))
    catalogue = load_catalogue(inp.catalogue)
    labels = variable_labels(params.share_denominator, catalogue, language)
    unit_name = texts(language, "tables.table1.unit_names")[params.unit]
    units = panel_units(catalogue, language)
    panel = panel_sheet_frame(indicators, labels, units)
    with atomic_path(snakemake.output.xlsx) as tmp:
        tmp.write_bytes(
            xlsx_bytes(
                tables,
                panel,
                words["panel_sheet"],
                words["panel_caption"].format(
                    unit_name=unit_name, years=years(facts["start"], facts["end"], language), **facts
                ),
                words["data_sheet"],
                units,
            )
        )
    logger.info(
        "manuscript: %d tables (%s)%s, language %s",
        len(tables),
        ", ".join(t.key for t in tables),
        " and Figure 1" if figure else "",
        language,
    )


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("manuscript_tables")
    main(snakemake)
