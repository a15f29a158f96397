"""Rule regional_table (beyond the paper): Table 1's statistics within each region of the
configured scheme, as csv (full precision), Markdown and LaTeX, in the report's language."""

from upgrade_repro.catalogue import region_label, region_label_names, scheme_name
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import read_indicators_with_regions
from upgrade_repro.regional_stats import CAPTIONS, REGION_HEAD, describe_by_region, region_cells, region_notes
from upgrade_repro.tables import HEADS_BY_LANGUAGE, write_table_files


def main(snakemake) -> None:
    configure_logging(snakemake)
    inp, params = snakemake.input, snakemake.params
    language = params.language
    data = read_indicators_with_regions(inp.indicators, inp.schemes, params.scheme)
    table = describe_by_region(data)
    labels = region_label_names(inp.region_labels, language)
    # every region of the data named in the output language (an untranslated one stops the run)
    names = {r: region_label(labels, r, inp.region_labels) for r in data["region"].cat.categories}
    notes = region_notes(data, scheme_name(inp.scheme_names, params.scheme, language), params.demo, language, names)
    rows = region_cells(table, params.decimals, names)
    heads = (REGION_HEAD[language], *HEADS_BY_LANGUAGE[language])
    write_table_files(snakemake.output, table, CAPTIONS[language], "tab:regions", heads, rows, notes, left=2)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("regional_table")
    main(snakemake)
