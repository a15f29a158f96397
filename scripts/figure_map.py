"""Rule figure_map: the paper's Figure 1, the map of the provinces' tiers (upgrade_repro/maps.py)."""

import matplotlib.pyplot as plt
import pandas as pd
import shapely

from upgrade_repro.figures import figure_notes, year_span
from upgrade_repro.files import save_figure
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.maps import (
    boundary_source,
    draw_map,
    load_boundaries,
    load_maritime_line,
    load_user_boundaries,
    map_table,
    match_boundaries,
    simplify_boundaries,
)
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.regions import load_regions


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    params = snakemake.params
    means = pd.read_csv(snakemake.input.means, dtype={"code": str})
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    regions = load_regions(snakemake.input.regions)
    if params.boundaries:
        raw, lines = load_user_boundaries(params.boundaries, params.boundaries_code_field)
        regions, raw = match_boundaries(regions, means["code"], raw, params.boundaries)
    else:
        raw, lines = load_boundaries(regions["code"]), load_maritime_line()
    boundaries = simplify_boundaries(raw, params.simplify_km * 1000)
    logger.info(
        "boundaries: %s, %d regions, %d -> %d vertices (tolerance %g km)",
        boundary_source(params.boundaries),
        len(raw),
        shapely.get_num_coordinates(raw.geometry).sum(),
        shapely.get_num_coordinates(boundaries.geometry).sum(),
        params.simplify_km,
    )
    maritime = lines.to_crs(boundaries.crs)
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
