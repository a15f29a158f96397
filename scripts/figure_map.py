"""Rule figure_map: the paper's Figure 1, the map of the provinces' tiers (upgrade_repro/maps.py)."""

import matplotlib.pyplot as plt
import pandas as pd

from upgrade_repro.boundaries import boundary_source, match_boundaries, read_static_boundaries
from upgrade_repro.figures import figure_notes, year_span
from upgrade_repro.files import save_figure
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.maps import draw_map, map_table
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.regions import load_regions


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    params = snakemake.params
    means = pd.read_csv(snakemake.input.means, dtype={"code": str})
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    regions = load_regions(snakemake.input.regions)
    # Projected and simplified once by rule prepare_boundaries; here only joined to the sample.
    boundaries, maritime = read_static_boundaries(snakemake.input.static_boundaries)
    if params.boundaries:
        regions, boundaries = match_boundaries(regions, means["code"], boundaries, params.boundaries)
    table = map_table(regions, means, boundaries, params.tiers, params.no_data)
    logger.info(
        "%d regions in the sample, no data for %s",
        table["in_sample"].sum(),
        "、".join(table.loc[~table["in_sample"], "province"]),
    )
    title = f"{year_span(indicators)}各省份产业结构升级指标均值"
    fig = draw_map(
        table,
        maritime,
        params.tiers,
        params.no_data,
        title,
        figure_notes(
            year_span(indicators),
            params.demo,
            source=boundary_source(params.boundaries),
            approval_number=params.approval_number,
        ),
        south_lines_only=bool(params.boundaries),
    )
    for key in ("png", "svg", "pdf"):
        save_figure(fig, snakemake.output[key], params.dpi, title=title)
    plt.close(fig)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("figure_map")
    main(snakemake)
