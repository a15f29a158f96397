"""Rule figure_ranking: the provincial means of upgrade as sorted horizontal bars, coloured by tier,
with the tier breaks drawn: the map's accessible companion (exact values, every province named)."""

import matplotlib.pyplot as plt
import pandas as pd

from upgrade_repro.figures import tier_legend_labels
from upgrade_repro.texts import texts
from upgrade_repro.tiers import check_tiers

FIG_SIZE_IN = (6.0, 7.2)
FONT_PT = 8


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
    for tier in tiers:
        if ax.get_xlim()[0] < tier["lower"] < top:
            ax.axvline(tier["lower"], color="#3a3a3a", linewidth=0.6, linestyle=(0, (4, 3)), zorder=0.5)
        left, right = max(tier["lower"], ax.get_xlim()[0]), min(tier["upper"], top)
        if tier is tiers[-1]:
            right = top
        if left < right:
            ax.text(
                (left + right) / 2,
                1.005,
                labels[tier["label"]],
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=FONT_PT,
            )
    ax.set_xlabel(words["ranking_xlabel"], fontsize=FONT_PT)
    ax.tick_params(axis="x", labelsize=FONT_PT)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, fontsize=10, pad=18)
    if notes:
        fig.supxlabel("\n".join(notes), x=0.01, ha="left", fontsize=FONT_PT - 1, color="#3a3a3a")
    return fig
