"""Rule beyond_figures (beyond the paper): yearly regional means of each indicator, and the
cross-province dispersion (sigma) by year, as png and svg.

Regional means are unweighted means over a region's provinces (each province counts once, as in
Table 1); they are also written as csv, the data behind the figure.
"""

import pandas as pd

from upgrade_repro.catalogue import indicator_names, load_catalogue, scheme_name
from upgrade_repro.figures import plot_regional_trends, plot_sigma, regional_means, save_png_svg
from upgrade_repro.files import write_csv
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.indicators import indicator_columns
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import attach_regions, load_region_scheme


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    scheme, demo = snakemake.params.scheme, snakemake.params.demo
    data = attach_regions(
        indicators, load_region_scheme(snakemake.input.schemes, scheme), source=snakemake.input.schemes
    )
    names = indicator_names(load_catalogue(snakemake.input.catalogue), "zh")
    label = scheme_name(snakemake.input.scheme_names, scheme, "zh")
    means = regional_means(data, indicator_columns(data))
    write_csv(means, snakemake.output.means)
    save_png_svg(
        plot_regional_trends(means, label, demo, names), snakemake.output.trends_png, snakemake.output.trends_svg
    )
    sigma = pd.read_csv(snakemake.input.sigma)
    save_png_svg(plot_sigma(sigma, demo, names), snakemake.output.sigma_png, snakemake.output.sigma_svg)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("beyond_figures")
    main(snakemake)
