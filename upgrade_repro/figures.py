"""Rule figure_ranking: the provincial means of upgrade as sorted horizontal bars, coloured by tier,
with the tier breaks drawn: the map's accessible companion (exact values, every province named)."""


import matplotlib.pyplot as plt
import pandas as pd

from _helpers import configure_logging, mock_snakemake, save_figure
from figure_map import figure_notes, year_span
from fonts import use_cjk_font
from tiers import check_tiers, tier_legend_labels

FIG_SIZE_IN = (6.0, 7.2)
FONT_PT = 8


def draw_ranking(means: pd.DataFrame, tiers: list[dict], title: str, notes: list[str]):
    """Bars of mean_upgrade, highest at the top; one bar per province (gid = code)."""
    colours = {t["label"]: t["color"] for t in check_tiers(tiers)}
    texts = tier_legend_labels(tiers, means["mean_upgrade"].max())
    rows = means.sort_values(["rank", "code"], ascending=[False, False], ignore_index=True)
    fig, ax = plt.subplots(figsize=FIG_SIZE_IN, layout="constrained")
    bars = ax.barh(rows.index, rows["mean_upgrade"], height=0.72,
                   color=[colours[t] for t in rows["tier"]], edgecolor="#6e6e6e", linewidth=0.4)
    for bar, row in zip(bars, rows.itertuples()):
        bar.set_gid(f"bar{row.code}")
        # Three decimals, as Table 1: two would print 1.00 for a mean just below the break at 1.
        ax.text(row.mean_upgrade + 0.02, bar.get_y() + bar.get_height() / 2,
                f"{row.mean_upgrade:.3f}", ha="left", va="center", fontsize=FONT_PT - 1,
                bbox=dict(facecolor="white", edgecolor="none", pad=0.4))
    ax.set_yticks(rows.index, rows["province"], fontsize=FONT_PT)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    xmax = rows["mean_upgrade"].max() * 1.1
    ax.set_xlim(min(0, tiers[0]["lower"]), max(xmax, tiers[-1]["lower"] * 1.15))
    # Breaks as lines, and each tier's name over its band.
    top = ax.get_xlim()[1]
    for tier in tiers:
        if ax.get_xlim()[0] < tier["lower"] < top:
            ax.axvline(tier["lower"], color="#3a3a3a", linewidth=0.6, linestyle=(0, (4, 3)),
                       zorder=0.5)
        left, right = max(tier["lower"], ax.get_xlim()[0]), min(tier["upper"], top)
        if tier is tiers[-1]:
            right = top
        if left < right:
            ax.text((left + right) / 2, 1.005, texts[tier["label"]], transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=FONT_PT)
    ax.set_xlabel("产业结构升级指标均值（第三产业增加值 / 第二产业增加值）", fontsize=FONT_PT)
    ax.tick_params(axis="x", labelsize=FONT_PT)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=10, pad=18)
    if notes:
        fig.supxlabel("\n".join(notes), x=0.01, ha="left", fontsize=FONT_PT - 1, color="#3a3a3a")
    return fig


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    means = pd.read_csv(snakemake.input.means, dtype={"code": str})
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    span = year_span(indicators)
    title = f"{span}各省份产业结构升级指标均值（由高到低）"
    fig = draw_ranking(means, snakemake.params.tiers, title,
                       figure_notes(span, snakemake.params.demo, boundaries=False))
    for key in ("png", "svg"):
        save_figure(fig, snakemake.output[key], snakemake.params.dpi, title=title)
    plt.close(fig)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("figure_ranking")
    main(snakemake)
