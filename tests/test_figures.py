"""Figure 1: on the real data, the provincial means and the files of the session's real-data run
(conftest real_run); on the shipped demo extract, the map drawn in-process once to inspect its
shapes and colours, Chinese glyphs and labels (so these run without ../shared).
"""

import io
import warnings
import xml.etree.ElementTree as ET
from importlib.resources import files
from itertools import combinations
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import shapely
import yaml
from conftest import ROOT
from matplotlib.colors import to_rgba
from matplotlib.font_manager import findfont

from upgrade_repro import maps
from upgrade_repro.figures import draw_ranking, figure_notes, year_span
from upgrade_repro.fonts import FONT_FILE, use_cjk_font
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.panel import build_panel
from upgrade_repro.readers import read_extracts
from upgrade_repro.regions import load_regions
from upgrade_repro.tiers import province_means, rank_and_tier

CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["figure"]
TIERS, NO_DATA = CONFIG["tiers"], CONFIG["no_data"]
EXCLUDED = {"540000": "西藏", "710000": "台湾", "810000": "香港", "820000": "澳门"}
FIGURES = ["figure1_map.png", "figure1_map.svg", "figure1_map.pdf", "figure1_ranking.png", "figure1_ranking.svg"]


def means_by_hand(raw_path) -> pd.Series:
    """Mean of tertiary/secondary per province straight from the raw EPS file, with pandas only."""
    raw = pd.read_csv(raw_path, encoding="gb18030", dtype=str)
    raw = raw[raw["时间"].str.fullmatch(r"\d{4}", na=False)]  # drop the footer lines
    raw = raw[~raw["地区"].isin(["全国", "西藏"])]
    wide = raw.assign(value=raw["数值"].astype(float)).pivot_table(
        index=["地区", "时间"], columns="指标", values="value"
    )
    ratio = wide["第三产业增加值（亿元）"] / wide["第二产业增加值（亿元）"]
    return ratio.groupby(level="地区").mean()


@pytest.fixture(scope="module")
def map_inputs():
    """The map's inputs from the shipped demo extract, through the workflow's own functions."""
    use_cjk_font()
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    aggregates = pd.read_csv(ROOT / "data/reference/aggregates.csv", dtype=str)
    panel = build_panel(
        read_extracts([ROOT / "data/raw/demo/eps_demo.csv"]),
        regions,
        aggregates,
        config["exclude_regions"],
        config["years"],
    )
    means = rank_and_tier(province_means(compute_indicators(panel)), TIERS)
    boundaries = maps.simplify_boundaries(maps.load_boundaries(regions["code"]), CONFIG["simplify_km"] * 1000)
    maritime = maps.load_maritime_line().to_crs(boundaries.crs)
    table = maps.map_table(regions, means, boundaries, TIERS, NO_DATA)
    return means, table, maritime


@pytest.fixture(scope="module")
def map_figure(map_inputs):
    _, table, maritime = map_inputs
    fig = maps.draw_map(table, maritime, TIERS, NO_DATA, "2008—2021年", ["注"])
    fig.canvas.draw()
    yield fig
    plt.close(fig)


# ----------------------------------------------------------------------------------- the numbers
@pytest.mark.workflow
def test_means_and_tiers_match_an_independent_computation(real_run, eps_2008_2021):
    table = pd.read_csv(real_run / "results/data/province_means.csv", dtype={"code": str})
    assert list(table.columns) == ["code", "province", "mean_upgrade", "tier", "rank"]
    expected = means_by_hand(eps_2008_2021)
    assert len(table) == len(expected) == 30
    got = table.set_index("province")["mean_upgrade"]
    assert got.sort_index().to_numpy() == pytest.approx(expected.sort_index().to_numpy(), rel=1e-12)
    # tiers by the paper's breaks, applied by hand
    by_hand = {p: next(t["label"] for t in reversed(TIERS) if v >= t["lower"]) for p, v in expected.items()}
    assert table.set_index("province")["tier"].to_dict() == by_hand
    assert table["rank"].tolist() == list(range(1, 31))
    assert table["province"].tolist() == expected.sort_values(ascending=False).index.tolist()


@pytest.mark.workflow
def test_the_papers_reading_of_figure_1(real_run):
    table = pd.read_csv(real_run / "results/data/province_means.csv", dtype={"code": str})
    tiers = table.groupby("tier")["province"].apply(set).to_dict()
    assert tiers["强"] == {"北京"}  # Beijing alone is 强 (3~4)
    assert tiers["较强"] == {"海南"}  # then Hainan, 较强 (2~3)
    assert table.loc[table["rank"].idxmax(), "province"] == "河南"  # Henan is the lowest
    assert set(tiers) == {"强", "较强", "中等", "较弱"}


# ------------------------------------------------------------------------------------- the map
def test_every_sample_province_has_one_coloured_shape(map_inputs, map_figure):
    means, _, _ = map_inputs
    colour = {t["label"]: t["color"] for t in TIERS}
    expected = {r.code: to_rgba(colour[r.tier]) for r in means.itertuples()}
    ax = map_figure.axes[0]
    shapes = {}
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid[4:].isdigit():
            assert gid not in shapes, f"{gid} drawn twice"
            shapes[gid[4:]] = patch
    assert set(shapes) == set(expected) | set(EXCLUDED)
    hatches = {c.get_gid()[9:]: c for c in ax.collections if (c.get_gid() or "").startswith("mainhatch")}
    assert set(hatches) == set(EXCLUDED)  # only the no-data regions are hatched
    for code, rgba in expected.items():
        assert shapes[code].get_facecolor() == rgba, code
    for code in EXCLUDED:
        assert shapes[code].get_facecolor() == to_rgba(NO_DATA["color"]), code
        assert len(hatches[code].get_segments()) >= 1, code
        assert tuple(hatches[code].get_color()[0]) == to_rgba(NO_DATA["hatch_color"]), code
    # the no-data style is named in the legend, with the tiers
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["强（3~4）", "较强（2~3）", "中等（1~2）", "较弱（0~1）", "无数据（不在样本内）"]


def test_south_china_sea_inset(map_inputs, map_figure):
    _, table, maritime = map_inputs
    ax = map_figure.axes[0]
    (inset,) = ax.child_axes
    hainan = table.set_index("code").geometry["460000"]
    islands = [p for p in hainan.geoms if p.bounds[3] < ax.get_ylim()[0]]
    assert len(islands) > 100  # the islands are south of the main frame ...
    xmin, xmax, ymin, ymax = (*inset.get_xlim(), *inset.get_ylim())
    assert all(xmin < p.centroid.x < xmax and ymin < p.centroid.y < ymax for p in islands)  # ... in the inset
    line = maritime.iloc[0].bounds
    assert xmin < line[0] and line[2] < xmax and ymin < line[1] and line[3] < ymax
    assert len(inset.lines) >= 10  # the dashes of the maritime line
    assert {p.get_gid() for p in inset.patches} >= {"inset460000", "inset440000"}
    # lower right of the main frame, and clear of land
    box = inset.get_position()
    assert box.x1 > 0.9 and box.y0 < 0.15
    renderer = map_figure.canvas.get_renderer()
    to_data = ax.transData.inverted().transform_bbox(inset.get_window_extent(renderer))
    frame = shapely.box(to_data.x0, to_data.y0, to_data.x1, to_data.y1)
    mainland = table.loc[table["code"] != "460000"].geometry.union_all()
    assert not frame.intersects(shapely.buffer(mainland, -1))
    assert ax.get_ylim()[0] < min(p.bounds[1] for p in hainan.geoms if p.area > 1e10)


def test_labels_do_not_overlap(map_figure):
    ax = map_figure.axes[0]
    renderer = map_figure.canvas.get_renderer()
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label")]
    assert len(labels) == 34
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in labels}
    for (a, box_a), (b, box_b) in combinations(boxes.items(), 2):
        assert not box_a.overlaps(box_b), f"{a} overlaps {b}"
    others = [ax.get_legend(), *ax.child_axes, *(t for t in ax.texts if t not in labels)]
    for other in others:
        extent = other.get_window_extent(renderer)
        for name, box in boxes.items():
            assert not box.overlaps(extent), f"{name} overlaps {other}"
    frame = ax.get_window_extent(renderer)
    assert all(frame.contains(b.x0, b.y0) and frame.contains(b.x1, b.y1) for b in boxes.values())


def test_a_name_without_room_is_left_out_not_overlapped(map_inputs, map_figure):
    _, table, _ = map_inputs
    ax = map_figure.axes[0]
    frame = (*ax.get_xlim(), *ax.get_ylim())
    frame = (frame[0], frame[2], frame[1], frame[3])
    long_name = table.assign(province=table["province"].where(table["code"] != "110000", "北京" * 40))
    metres_per_pt = (frame[2] - frame[0]) / (maps.FIG_WIDTH_IN * 72)
    positions = maps.label_positions(long_name, metres_per_pt, frame, blocked=shapely.Point())
    assert set(positions["code"]) == set(table["code"]) - {"110000"}


# ------------------------------------------------------------------------------------- glyphs
def is_packaged_font(path) -> bool:
    return Path(str(path)).resolve() == Path(str(files("mplfonts") / "fonts" / FONT_FILE)).resolve()


def render_all_formats(fig):
    for fmt in ("png", "svg", "pdf"):
        fig.savefig(io.BytesIO(), format=fmt)


def test_chinese_glyphs_never_fall_back(map_inputs):
    means, table, maritime = map_inputs
    assert is_packaged_font(findfont("Noto Sans CJK SC", fallback_to_default=False))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a warning
        figures = [
            maps.draw_map(
                table,
                maritime,
                TIERS,
                NO_DATA,
                "2008—2021年各省份产业结构升级指标均值",
                figure_notes("2008—2021年", demo=True),
            ),
            draw_ranking(
                means,
                TIERS,
                "2008—2021年各省份产业结构升级指标均值（由高到低）",
                figure_notes("2008—2021年", demo=True),
            ),
        ]
        for fig in figures:
            render_all_formats(fig)
            for text in fig.findobj(lambda a: hasattr(a, "get_fontproperties")):
                assert is_packaged_font(findfont(text.get_fontproperties())), text
            plt.close(fig)


def test_the_glyph_check_catches_a_missing_glyph():
    use_cjk_font()
    fig = plt.figure()
    fig.text(0.5, 0.5, "北京 \U0001f600")  # an emoji: not in Noto Sans CJK SC
    with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing from"):
        warnings.simplefilter("error")
        render_all_formats(fig)
    plt.close(fig)


# ---------------------------------------------------------------------------------- the files
@pytest.mark.workflow
def test_figure_files_are_small_and_carry_the_data_years(real_run, eps_2008_2021):
    figures = real_run / "results/figures"
    for name in FIGURES:
        assert (figures / name).stat().st_size > 10_000, name
    assert (figures / "figure1_map.svg").stat().st_size < 2 * 2**20
    assert (figures / "figure1_map.pdf").stat().st_size < 2 * 2**20
    # every region is a group in the SVG, filled as the tiers say
    svg = ET.parse(figures / "figure1_map.svg").getroot()
    groups = {
        g.get("id")[4:]: g
        for g in svg.iter("{http://www.w3.org/2000/svg}g")
        if (g.get("id") or "").startswith("main") and g.get("id")[4:].isdigit()
    }
    assert len(groups) == 34
    means = pd.read_csv(real_run / "results/data/province_means.csv", dtype={"code": str})
    colour = {t["label"]: t["color"] for t in TIERS}
    for row in means.itertuples():
        assert f"fill: {colour[row.tier]}" in ET.tostring(groups[row.code], encoding="unicode")
    # the titles carry the data's years (the title is also the files' metadata)
    years = pd.read_csv(eps_2008_2021, encoding="gb18030", dtype=str)["时间"]
    years = years[years.str.fullmatch(r"\d{4}", na=False)].astype(int)
    span = f"{years.min()}—{years.max()}年"
    assert svg.find(".//{http://purl.org/dc/elements/1.1/}title").text == f"{span}各省份产业结构升级指标均值"
    ranking = ET.parse(figures / "figure1_ranking.svg").getroot()
    assert ranking.find(".//{http://purl.org/dc/elements/1.1/}title").text.startswith(span)
    assert year_span(pd.DataFrame({"year": [2015, 2015]})) == "2015年"


def test_hatch_lines_by_hand():
    # 45° lines x - y = c, 10 apart, through the square's centre (c = 0): c = -90, ..., 90
    segments = maps.hatch_segments(shapely.box(0, 0, 100, 100), 10)
    assert sorted(round(s[0, 0] - s[0, 1]) for s in segments) == list(range(-90, 100, 10))
    assert all(abs((s[1, 1] - s[0, 1]) - (s[1, 0] - s[0, 0])) < 1e-9 for s in segments)
    # a region smaller than the spacing still gets one line
    assert len(maps.hatch_segments(shapely.box(0, 0, 1, 1), 10)) == 1
