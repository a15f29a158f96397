"""Rule figure_ranking: the provincial means of upgrade as sorted horizontal bars, coloured by tier,
with the tier breaks drawn: the map's accessible companion (exact values, every province named).
Drawn at the width printed (figures.RANKING_WIDTH_CM); a title, note or tier name longer than its room
is broken into lines."""

import matplotlib.pyplot as plt
import pandas as pd

from upgrade_repro.figures import RANKING_WIDTH_CM, fit_texts, inches, tier_legend_labels
from upgrade_repro.texts import texts
from upgrade_repro.tiers import check_tiers

HEIGHT_CM = 15.5
FIG_SIZE_IN = (inches(RANKING_WIDTH_CM), inches(HEIGHT_CM))
FONT_PT = 8  # province names, tiers, axis; values and notes one point smaller
NOTE_X = 0.01  # the notes' left edge, as a share of the width


def draw_ranking(
    means: pd.DataFrame,
    tiers: list[dict],
    title: str | None,
    notes: list[str],
    language: str = "zh",
    tier_names: dict[str, str] | None = None,
    province_names: dict[str, str] | None = None,
):
    """Bars of mean_upgrade, highest at the top; one bar per province (gid = code). `title`: None
    draws none (the caption is the title); `tier_names` (tiers.tier_names) and `province_names`
    (code -> name, regions.display_names) in the figure's language, default the labels and the
    means' province column."""
    words = texts(language, "figures")
    colours = {t["label"]: t["color"] for t in check_tiers(tiers)}
    labels = tier_legend_labels(tiers, means["mean_upgrade"].max(), tier_names, language)
    rows = means.sort_values(["rank", "code"], ascending=[False, False], ignore_index=True)
    names = rows["code"].map(province_names) if province_names is not None else rows["province"]
    fig, ax = plt.subplots(figsize=FIG_SIZE_IN, layout="constrained")
    bars = ax.barh(
        rows.index,
        rows["mean_upgrade"],
        height=0.72,
        color=[colours[t] for t in rows["tier"]],
        edgecolor="#6e6e6e",
        linewidth=0.4,
    )
    for bar, row in zip(bars, rows.itertuples()):
        bar.set_gid(f"bar{row.code}")
        # Three decimals, as Table 1: two would print 1.00 for a mean just below the break at 1.
        ax.text(
            row.mean_upgrade + 0.02,
            bar.get_y() + bar.get_height() / 2,
            f"{row.mean_upgrade:.3f}",
            ha="left",
            va="center",
            fontsize=FONT_PT - 1,
            bbox=dict(facecolor="white", edgecolor="none", pad=0.4),
        )
    ax.set_yticks(rows.index, names, fontsize=FONT_PT)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    xmax = rows["mean_upgrade"].max() * 1.1
    ax.set_xlim(min(0, tiers[0]["lower"]), max(xmax, tiers[-1]["lower"] * 1.15))
    # Breaks as lines, and each tier's name over its band.
    top = ax.get_xlim()[1]
    bands = []  # (name, its band's width in data units)
    for tier in tiers:
        if ax.get_xlim()[0] < tier["lower"] < top:
            ax.axvline(tier["lower"], color="#3a3a3a", linewidth=0.6, linestyle=(0, (4, 3)), zorder=0.5)
        left, right = max(tier["lower"], ax.get_xlim()[0]), min(tier["upper"], top)
        if tier is tiers[-1]:
            right = top
        if left < right:
            name = ax.text(
                (left + right) / 2,
                1.005,
                labels[tier["label"]],
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                multialignment="center",
                fontsize=FONT_PT,
            )
            bands.append((name, right - left))
    xlabel = ax.set_xlabel(words["ranking_xlabel"], fontsize=FONT_PT)
    ax.tick_params(axis="x", labelsize=FONT_PT)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fitted = [(xlabel, lambda: ax.bbox.width, True)]

    def band(width: float):
        """A tier's band in pixels once laid out, less 2 pt each side."""
        return lambda: ax.transData.transform((width, 0))[0] - ax.transData.transform((0, 0))[0] - 4 * fig.dpi / 72

    fitted += [(name, band(width), True) for name, width in bands]
    if title:
        # The figure's title, which the layout places above the tiers' names.
        fitted.append((fig.suptitle(title, fontsize=10), lambda: fig.bbox.width, True))
    if notes:
        note = fig.supxlabel("\n".join(notes), x=NOTE_X, ha="left", fontsize=FONT_PT - 1, color="#3a3a3a")
        fitted.append((note, lambda: fig.bbox.width * (1 - 2 * NOTE_X), False))
    fit_texts(fig, fitted)
    return fig
