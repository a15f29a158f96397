"""Rule figure_ranking: the provincial means of upgrade as sorted bars, coloured by tier
(upgrade_repro/figure_ranking.py)."""

import matplotlib.pyplot as plt
import pandas as pd

from upgrade_repro.figure_ranking import draw_ranking
from upgrade_repro.figures import figure_notes, tier_names, year_span
from upgrade_repro.files import save_figure
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.regions import display_names, load_regions
from upgrade_repro.texts import text


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    params = snakemake.params
    language = params.language
    means = pd.read_csv(snakemake.input.means, dtype={"code": str})
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    span = year_span(indicators, language)
    title = text(language, "figures.ranking_title", span=span)

    def draw(with_title: bool):
        return draw_ranking(
            means,
            params.tiers,
            title if with_title else None,
            figure_notes(span, params.demo, boundaries=False, language=language),
            language=language,
            tier_names=tier_names(params.tiers, language),
            province_names=display_names(load_regions(snakemake.input.regions), language),
        )

    # The SVG (placed in a manuscript) has no title in it; the PNG has one only with
    # config figure.title_in_image. The title stays in the files' metadata.
    fig = draw(False)
    save_figure(fig, snakemake.output.svg, params.dpi, title=title)
    if params.title_in_image:
        plt.close(fig)
        fig = draw(True)
    save_figure(fig, snakemake.output.png, params.dpi, title=title)
    plt.close(fig)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("figure_ranking")
    main(snakemake)
