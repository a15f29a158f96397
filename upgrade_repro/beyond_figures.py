"""Rule beyond_figures (beyond the paper): yearly regional means of each indicator and the sigma
convergence by year, as PNG and SVG (one panel per indicator, titled by its catalogue name)."""

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from upgrade_repro.files import save_figure
from upgrade_repro.indicators import VARIABLES
from upgrade_repro.texts import text, texts


def panel_title(variable: str, names: dict[str, str], language: str = "zh") -> str:
    """'cyig：产业结构升级水平系数': the indicator's key and its catalogue name (catalogue.py)."""
    if variable not in names:
        return variable
    return text(language, "figures.panel_title", variable=variable, name=names[variable])


def regional_means(data: pd.DataFrame, variables=VARIABLES) -> pd.DataFrame:
    """Long table region, variable, year, n, mean: unweighted means over each region's provinces."""
    long = data.melt(id_vars=["region", "year"], value_vars=list(variables), var_name="variable")
    out = (
        long.groupby(["region", "variable", "year"], observed=True, sort=False)["value"]
        .agg(n="count", mean="mean")
        .reset_index()
    )
    # Regions in scheme order, indicators in VARIABLES order, years ascending.
    out["variable"] = pd.Categorical(out["variable"], categories=list(variables), ordered=True)
    out = out.sort_values(["region", "variable", "year"], ignore_index=True)
    out["variable"] = out["variable"].astype(str)
    return out


def _finish(fig, title: str | None, demo: bool, language: str) -> None:
    if title:
        fig.suptitle(title)
    if demo:
        # As the figure's x label, so that the constrained layout makes room for it.
        fig.supxlabel(text(language, "demo_data"), fontsize=7, color="0.35")


def plot_regional_trends(
    means: pd.DataFrame,
    scheme: str,
    demo: bool,
    names: dict[str, str],
    language: str = "zh",
    region_names: dict[str, str] | None = None,
    title: bool = True,
):
    """Yearly regional means, one panel per indicator titled by its catalogue name; `scheme`: the
    region scheme's human name (catalogue.scheme_name); `region_names`: region label -> its name in
    the figure's language (catalogue.region_label_names; default the labels); `title`: whether the
    figure's title is drawn in it."""
    words = texts(language, "figures")
    variables = list(dict.fromkeys(means["variable"]))
    # A bare Figure (no pyplot): no global figure state, no GUI backend.
    fig = Figure(figsize=(4.2 * len(variables), 3.8), layout="constrained")
    axes = fig.subplots(1, len(variables), squeeze=False)
    for ax, var in zip(axes[0], variables):
        for region, part in means[means["variable"] == var].groupby("region", observed=True, sort=False):
            label = region_names[str(region)] if region_names is not None else str(region)
            ax.plot(part["year"], part["mean"], marker="o", markersize=3, label=label)
        ax.set_title(panel_title(var, names, language), fontsize=10)
        ax.set_xlabel(words["year"])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(words["regional_ylabel"])
    axes[0][-1].legend(title=words["region"], fontsize=8, title_fontsize=8)
    _finish(fig, words["regional_title"].format(scheme=scheme) if title else None, demo, language)
    return fig


def plot_sigma(sigma: pd.DataFrame, demo: bool, names: dict[str, str], language: str = "zh", title: bool = True):
    """σ convergence by year, panels titled by the indicators' catalogue names."""
    words = texts(language, "figures")
    variables = list(dict.fromkeys(sigma["variable"]))
    fig = Figure(figsize=(4.2 * len(variables), 6), layout="constrained")
    axes = fig.subplots(2, len(variables), sharex=True, squeeze=False)
    for col, var in enumerate(variables):
        part = sigma[sigma["variable"] == var]
        for row, stat in enumerate(("sd", "cv")):
            ax = axes[row][col]
            ax.plot(part["year"], part[stat], marker="o", markersize=3, color=f"C{row}")
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if col == 0:
                ax.set_ylabel(words[stat])
        axes[0][col].set_title(panel_title(var, names, language), fontsize=10)
        axes[1][col].set_xlabel(words["year"])
    _finish(fig, words["sigma_title"] if title else None, demo, language)
    return fig


def save_png_svg(fig, png, svg, dpi: int, title: str | None = None) -> None:
    """The PNG at `dpi` (config figure.dpi); the SVG is vector (dpi only scales its raster parts).
    `title`: the files' metadata title."""
    for path in (png, svg):
        save_figure(fig, path, dpi=dpi, title=title)


def save_titled(draw, png, svg, dpi: int, title_in_image: bool, title: str | None = None) -> None:
    """`draw(title: bool)` -> a figure: the SVG untitled (a manuscript's figure), the PNG titled only
    with `title_in_image` (config figure.title_in_image); `title` in both files' metadata."""
    if not title_in_image:
        save_png_svg(draw(False), png, svg, dpi, title)
        return
    save_figure(draw(False), svg, dpi=dpi, title=title)
    save_figure(draw(True), png, dpi=dpi, title=title)
