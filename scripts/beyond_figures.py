"""Rule beyond_figures (beyond the paper): yearly regional means of each indicator, and the
cross-province dispersion (sigma) by year, as png and svg.

Regional means are unweighted means over a region's provinces (each province counts once, as in
Table 1); they are also written as csv, the data behind the figure. The SVGs have no title drawn
in them, the PNGs only with config figure.title_in_image.
"""

import pandas as pd

from upgrade_repro.beyond_figures import plot_regional_trends, plot_sigma, regional_means, save_titled
from upgrade_repro.catalogue import indicator_names, load_catalogue, region_label, region_label_names, scheme_name
from upgrade_repro.files import write_csv
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.indicators import indicator_columns
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.region_schemes import attach_regions, load_region_scheme
from upgrade_repro.texts import text


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    params = snakemake.params
    language, dpi, titled = params.language, params.dpi, params.title_in_image
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    scheme, demo = params.scheme, params.demo
    data = attach_regions(
        indicators, load_region_scheme(snakemake.input.schemes, scheme), source=snakemake.input.schemes
    )
    names = indicator_names(load_catalogue(snakemake.input.catalogue), language)
    label = scheme_name(snakemake.input.scheme_names, scheme, language)
    # The regions' names in the figure's language (a region without one stops an English run).
    region_names = None
    if language != "zh":
        translations = region_label_names(snakemake.input.region_labels, language)
        region_names = {
            r: region_label(translations, r, snakemake.input.region_labels) for r in data["region"].astype(str).unique()
        }
    means = regional_means(data, indicator_columns(data))
    write_csv(means, snakemake.output.means)
    save_titled(
        lambda title: plot_regional_trends(means, label, demo, names, language, region_names, title=title),
        snakemake.output.trends_png,
        snakemake.output.trends_svg,
        dpi,
        titled,
        title=text(language, "figures.regional_title", scheme=label),
    )
    sigma = pd.read_csv(snakemake.input.sigma)
    save_titled(
        lambda title: plot_sigma(sigma, demo, names, language, title=title),
        snakemake.output.sigma_png,
        snakemake.output.sigma_svg,
        dpi,
        titled,
        title=text(language, "figures.sigma_title"),
    )


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("beyond_figures")
    main(snakemake)
