"""Rule beyond_figures (beyond the paper): yearly regional means of each indicator and the sigma
convergence by year, as PNG and SVG (one panel per indicator, titled by its catalogue name, in a
grid of at most three a row, drawn at the width printed: figures.py)."""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from upgrade_repro.figures import ROOM_SHARE, fit_text, fit_texts, grid_width_cm, inches, panel_grid, renderer_of
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


# Lettering at the design width (figures.grid_width_cm), points; none below figures.MIN_FONT_PT.
TITLE_PT, PANEL_PT, TEXT_PT, NOTE_PT = 9.0, 8.0, 7.0, 6.5
ROW_CM = 5.2  # height of a row of regional-trend panels
BLOCK_CM = 7.4  # height of a row of sigma panels (sd over cv)
LEGEND_CM, TITLE_CM, NOTE_CM = 1.4, 1.0, 0.6  # room for the regions' legend, a title, the demo note
GAP_PT = 4.0  # between the panels, the legend, the note and the figure's foot


def _grid_figure(columns: int, height_cm: float) -> Figure:
    fig = Figure(figsize=(inches(grid_width_cm(columns)), inches(height_cm)), layout="constrained")
    renderer_of(fig)  # an Agg canvas: texts are measured to break them into lines
    return fig


def _style(ax) -> None:
    # As many years as the panel's width takes without their labels touching.
    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True))
    ax.tick_params(labelsize=TEXT_PT, length=2.5, pad=2)
    ax.yaxis.get_offset_text().set_fontsize(TEXT_PT)  # "1e-6+1.5" over a panel of nearly equal values
    ax.grid(alpha=0.3, linewidth=0.5)
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)


def _finish(fig, title: str | None, demo: bool, language: str, legend: dict | None = None) -> list:
    """The figure's title (in the constrained layout); under the panels, in a band of their own,
    the regions' legend (`legend`: {"title": ..., "handles": {label: artist}}) and the demo note
    (the layout's own outside legend and supxlabel would overlap). Returns the title drawn."""
    renderer = renderer_of(fig)
    pt = renderer.points_to_pixels(1.0)
    height = fig.bbox.height
    foot = GAP_PT * pt  # pixels taken from the figure's foot
    if demo:
        note = fig.text(
            0.5, foot / height, text(language, "demo_data"), ha="center", va="bottom", fontsize=NOTE_PT, color="0.35"
        )
        fit_text(note, fig.bbox.width / pt * ROOM_SHARE, renderer, balance=False)
        foot += note.get_window_extent(renderer).height + GAP_PT * pt
    if legend:
        placed = _legend(fig, legend["handles"], legend["title"], foot / height)
        foot += placed.get_window_extent(renderer).height
    if demo or legend:
        fig.get_layout_engine().set(rect=(0, foot / height, 1, 1 - foot / height))
    return [fig.suptitle(title, fontsize=TITLE_PT)] if title else []


def _fit(fig, titles, ylabels, whole) -> None:
    """Break the panel titles to their panel's width, the y labels to their panel's height and
    the texts `whole` (the title) to the figure's width."""
    fitted = [(ax.title, lambda ax=ax: ax.bbox.width, True) for ax in titles]
    fitted += [(ax.yaxis.label, lambda ax=ax: ax.bbox.height, True) for ax in ylabels]
    fitted += [(text, lambda: fig.bbox.width, True) for text in whole]
    fit_texts(fig, fitted)


def _legend(fig, handles: dict, title: str, bottom: float):
    """The regions' legend centred above `bottom` (a share of the figure's height), in as many
    columns as fit the figure's width."""
    renderer = renderer_of(fig)
    for columns in range(len(handles), 0, -1):
        legend = fig.legend(
            list(handles.values()),
            list(handles),
            title=title,
            loc="lower center",
            bbox_to_anchor=(0.5, bottom),
            bbox_transform=fig.transFigure,
            borderaxespad=0,
            ncols=columns,
            fontsize=TEXT_PT,
            title_fontsize=TEXT_PT,
            frameon=False,
            handlelength=1.8,
            columnspacing=1.2,
        )
        if columns == 1 or legend.get_window_extent(renderer).width <= fig.bbox.width * ROOM_SHARE:
            return legend
        legend.remove()


def _bottom_of_column(slots: list[tuple[int, int]], row: int, col: int) -> bool:
    return (row + 1, col) not in slots


def plot_regional_trends(
    means: pd.DataFrame,
    scheme: str,
    demo: bool,
    names: dict[str, str],
    language: str = "zh",
    region_names: dict[str, str] | None = None,
    title: bool = True,
):
    """Yearly regional means, one panel per indicator titled by its catalogue name, in a grid of
    at most figures.MAX_COLUMNS a row, the regions' legend below; `scheme`: the region scheme's
    human name (catalogue.scheme_name); `region_names`: region label -> its name in the figure's
    language (catalogue.region_label_names; default the labels); `title`: whether the figure's
    title is drawn in it."""
    words = texts(language, "figures")
    variables = list(dict.fromkeys(means["variable"]))
    rows, cols = panel_grid(len(variables))
    extra = LEGEND_CM + (TITLE_CM if title else 0) + (NOTE_CM if demo else 0)
    # A bare Figure (no pyplot): no global figure state, no GUI backend.
    fig = _grid_figure(cols, rows * ROW_CM + extra)
    axes = fig.subplots(rows, cols, squeeze=False)
    slots = [divmod(k, cols) for k in range(len(variables))]
    handles = {}
    for (row, col), var in zip(slots, variables, strict=True):
        ax = axes[row][col]
        for region, part in means[means["variable"] == var].groupby("region", observed=True, sort=False):
            label = region_names[str(region)] if region_names is not None else str(region)
            (line,) = ax.plot(part["year"], part["mean"], marker="o", markersize=2.5, linewidth=1.0, label=label)
            handles.setdefault(label, line)
        ax.set_title(panel_title(var, names, language), fontsize=PANEL_PT)
        _style(ax)
        if _bottom_of_column(slots, row, col):
            ax.set_xlabel(words["year"], fontsize=TEXT_PT)
        if col == 0:
            ax.set_ylabel(words["regional_ylabel"], fontsize=TEXT_PT)
    for row, col in sorted(set(np.ndindex(rows, cols)) - set(slots)):
        axes[row][col].remove()
    whole = _finish(
        fig,
        words["regional_title"].format(scheme=scheme) if title else None,
        demo,
        language,
        legend={"title": words["region"], "handles": handles},
    )
    _fit(fig, [axes[row][col] for row, col in slots], [axes[row][0] for row in range(rows)], whole)
    return fig


def plot_sigma(sigma: pd.DataFrame, demo: bool, names: dict[str, str], language: str = "zh", title: bool = True):
    """σ convergence by year: for each indicator its standard deviation over its coefficient of
    variation, titled by the indicator's catalogue name, in a grid of at most figures.MAX_COLUMNS a row."""
    words = texts(language, "figures")
    variables = list(dict.fromkeys(sigma["variable"]))
    rows, cols = panel_grid(len(variables))
    extra = (TITLE_CM if title else 0) + (NOTE_CM if demo else 0)
    fig = _grid_figure(cols, rows * BLOCK_CM + extra)
    axes = fig.subplots(2 * rows, cols, squeeze=False)
    slots = [divmod(k, cols) for k in range(len(variables))]
    for (row, col), var in zip(slots, variables, strict=True):
        part = sigma[sigma["variable"] == var]
        upper, lower = axes[2 * row][col], axes[2 * row + 1][col]
        for k, (ax, stat) in enumerate(((upper, "sd"), (lower, "cv"))):
            ax.plot(part["year"], part[stat], marker="o", markersize=2.5, linewidth=1.0, color=f"C{k}")
            _style(ax)
            if col == 0:
                ax.set_ylabel(words[stat], fontsize=TEXT_PT)
        upper.sharex(lower)
        upper.tick_params(labelbottom=False)
        upper.set_title(panel_title(var, names, language), fontsize=PANEL_PT)
        if _bottom_of_column(slots, row, col):
            lower.set_xlabel(words["year"], fontsize=TEXT_PT)
    for row, col in sorted(set(np.ndindex(rows, cols)) - set(slots)):
        axes[2 * row][col].remove()
        axes[2 * row + 1][col].remove()
    whole = _finish(fig, words["sigma_title"] if title else None, demo, language)
    _fit(fig, [axes[2 * row][col] for row, col in slots], [axes[r][0] for r in range(2 * rows)], whole)
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
