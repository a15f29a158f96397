"""Rule beyond_figures (beyond the paper): yearly regional means of each indicator, and the
cross-province dispersion (sigma) by year, as png and svg.

Regional means are unweighted means over a region's provinces (each province counts once, as in
Table 1); they are also written as csv, the data behind the figure.
"""


import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from _helpers import configure_logging, mock_snakemake, save_figure, write_csv
from describe import DEMO_NOTE
from fonts import use_cjk_font
from indicators import VARIABLES
from regional import attach_regions, load_region_scheme

TITLES = {"upgrade": "upgrade：第三产业 / 第二产业",
          "service": "service：第三产业 / GDP",
          "cyig": "cyig：产业结构层次系数"}
DPI = 150


def regional_means(data: pd.DataFrame, variables=VARIABLES) -> pd.DataFrame:
    """Long table region, variable, year, n, mean: unweighted means over each region's provinces."""
    long = data.melt(id_vars=["region", "year"], value_vars=list(variables), var_name="variable")
    out = (long.groupby(["region", "variable", "year"], observed=True, sort=False)["value"]
           .agg(n="count", mean="mean").reset_index())
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


def plot_regional_trends(means: pd.DataFrame, scheme: str, demo: bool):
    variables = list(dict.fromkeys(means["variable"]))
    # A bare Figure (no pyplot): no global figure state, no GUI backend.
    fig = Figure(figsize=(4.2 * len(variables), 3.8), layout="constrained")
    axes = fig.subplots(1, len(variables), squeeze=False)
    for ax, var in zip(axes[0], variables):
        for region, part in means[means["variable"] == var].groupby("region", observed=True, sort=False):
            ax.plot(part["year"], part["mean"], marker="o", markersize=3, label=str(region))
        ax.set_title(TITLES.get(var, var), fontsize=10)
        ax.set_xlabel("年份")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("地区内省份平均值")
    axes[0][-1].legend(title="地区", fontsize=8, title_fontsize=8)
    _finish(fig, f"分地区的年度均值（地区划分 {scheme}；超出论文的分析）", demo)
    return fig


def plot_sigma(sigma: pd.DataFrame, demo: bool):
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
        axes[0][col].set_title(TITLES.get(var, var), fontsize=10)
        axes[1][col].set_xlabel("年份")
    _finish(fig, "σ 收敛：各指标的省际离散程度（超出论文的分析）", demo)
    return fig


def save_png_svg(fig, png, svg) -> None:
    for path in (png, svg):
        save_figure(fig, path, dpi=DPI)


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    scheme, demo = snakemake.params.scheme, snakemake.params.demo
    data = attach_regions(indicators, load_region_scheme(snakemake.input.schemes, scheme),
                          source=snakemake.input.schemes)
    means = regional_means(data)
    write_csv(means, snakemake.output.means)
    save_png_svg(plot_regional_trends(means, scheme, demo), snakemake.output.trends_png,
                snakemake.output.trends_svg)
    sigma = pd.read_csv(snakemake.input.sigma)
    save_png_svg(plot_sigma(sigma, demo), snakemake.output.sigma_png, snakemake.output.sigma_svg)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("beyond_figures")
    main(snakemake)
