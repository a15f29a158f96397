"""Rule figure_ranking: the provincial means of upgrade as sorted bars, coloured by tier
(upgrade_repro/figures.py)."""

import matplotlib.pyplot as plt
import pandas as pd

from upgrade_repro.figures import draw_ranking, figure_notes, year_span
from upgrade_repro.files import save_figure
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    means = pd.read_csv(snakemake.input.means, dtype={"code": str})
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    span = year_span(indicators)
    title = f"{span}各省份产业结构升级指标均值（由高到低）"
    fig = draw_ranking(
        means, snakemake.params.tiers, title, figure_notes(span, snakemake.params.demo, boundaries=False)
    )
    for key in ("png", "svg"):
        save_figure(fig, snakemake.output[key], snakemake.params.dpi, title=title)
    plt.close(fig)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("figure_ranking")
    main(snakemake)
