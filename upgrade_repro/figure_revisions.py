"""Rule figure_revisions: the revision between two data vintages on their overlap, one small panel
per province (results/figures/vintage_revisions.{png,svg}; the report's vintage section).

Each panel shows, for one province, the revision of each series (GDP and the three sectors' value
added) in every year both vintages give: 100 x (newer / older - 1) %, from the clean stage's
results/checks/vintage_revisions.csv (upgrade_repro/vintage.py revisions). The panels share their
axes, so that provinces compare at a glance; a zero line marks "no revision".
"""

import math

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from upgrade_repro.series import VALUE_ADDED
from upgrade_repro.texts import texts
from upgrade_repro.vintage import label_text

COLUMNS = 6  # panels per row
PANEL_SIZE = (1.9, 1.45)  # inches per panel (width, height)
MARKERS = {"gdp": "o", "primary": "^", "secondary": "s", "tertiary": "D"}


def _pair(rev: pd.DataFrame) -> tuple[str, str] | None:
    """(older, newer) the figure shows: the oldest against the newest vintage; None without any."""
    pairs = rev[["older", "newer"]].drop_duplicates()
    return (pairs.iloc[0]["older"], pairs.iloc[-1]["newer"]) if len(pairs) else None


def figure_title(rev: pd.DataFrame, language: str = "zh") -> str:
    """The figure's title (drawn in the PNG with config figure.title_in_image; in both files' metadata)."""
    pair = _pair(rev)
    if pair is None:
        return texts(language, "vintage.figure")["none"]
    older, newer = pair
    return texts(language, "vintage.figure")["title"].format(
        newer=label_text(newer, language), older=label_text(older, language)
    )


def plot_revisions(rev: pd.DataFrame, names: dict, language: str = "zh", title: bool = True) -> Figure:
    """The small multiples of `rev` (vintage.REVISION_COLUMNS; one pair of vintages: the newest
    against the oldest when there are more), provinces in code order, named by `names` (code ->
    name in `language`). Without a revision (no cell two vintages give) a figure saying so."""
    words = texts(language, "vintage.figure")
    series_names = texts(language, "vintage.series")
    if rev.empty:
        fig = Figure(figsize=(6, 1.5), layout="constrained")
        fig.text(0.5, 0.5, words["none"], ha="center", va="center")
        return fig
    older, newer = _pair(rev)
    rev = rev[(rev["older"] == older) & (rev["newer"] == newer)]
    codes = sorted(rev["code"].unique())
    rows = math.ceil(len(codes) / COLUMNS)
    width, height = PANEL_SIZE
    fig = Figure(figsize=(width * COLUMNS, height * rows + 0.9), layout="constrained")
    axes = fig.subplots(rows, COLUMNS, sharex=True, sharey=True, squeeze=False).ravel()
    for ax, code in zip(axes, codes):
        part = rev[rev["code"] == code]
        ax.axhline(0, color="0.6", linewidth=0.6)
        for i, series in enumerate(VALUE_ADDED):
            s = part[part["indicator"] == series].sort_values("year")
            if len(s):
                ax.plot(
                    s["year"],
                    s["pct"],
                    marker=MARKERS[series],
                    markersize=2.5,
                    linewidth=0.8,
                    color=f"C{i}",
                    label=series_names[series],
                )
        ax.set_title(names.get(code, code), fontsize=8, pad=2)
        ax.tick_params(labelsize=6)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
        ax.grid(alpha=0.3, linewidth=0.4)
    for ax in axes[len(codes) :]:
        ax.set_axis_off()
    handles = {}
    for ax in axes[: len(codes)]:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    order = [series_names[s] for s in VALUE_ADDED if series_names[s] in handles]
    fig.legend([handles[k] for k in order], order, loc="outside lower center", ncols=len(order), fontsize=7)
    fig.supylabel(words["ylabel"], fontsize=8)
    if title:
        fig.suptitle(figure_title(rev, language), fontsize=10)
    return fig
