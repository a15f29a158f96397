"""Rule trends (beyond the paper): FE time trends of each indicator (upgrade_repro/trends.py), in the
report's language."""

from upgrade_repro.catalogue import indicator_units, load_catalogue, region_label, region_label_names, scheme_name
from upgrade_repro.indicators import indicator_columns
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import read_indicators_with_regions
from upgrade_repro.tables import write_table_files
from upgrade_repro.trends import CAPTIONS, trend_cells, trend_notes, trend_table


def main(snakemake) -> None:
    configure_logging(snakemake)
    inp, params = snakemake.input, snakemake.params
    language = params.language
    data = read_indicators_with_regions(inp.indicators, inp.schemes, params.scheme)
    table = trend_table(data, indicator_columns(data))
    labels = region_label_names(inp.region_labels, language)
    # every region of the data named in the output language (an untranslated one stops the run)
    names = {r: region_label(labels, r, inp.region_labels) for r in data["region"].cat.categories}
    heads, rows = trend_cells(table, params.decimals, language, names)
    units = indicator_units(load_catalogue(inp.catalogue), language)
    scheme = scheme_name(inp.scheme_names, params.scheme, language)
    notes = trend_notes(data, scheme, params.demo, units, language, names)
    write_table_files(snakemake.output, table, CAPTIONS[language], "tab:trends", heads, rows, notes)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("trends")
    main(snakemake)
