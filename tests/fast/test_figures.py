"""Every figure at the width it is printed (issue 26 point 5), read from the figures' own data: the
grid of panels, the line breaking, and the figures beyond the paper and the ranking chart drawn by
the library on synthetic data, in both languages and for 1 to 6 indicators, each checked by
tests/figure_checks.py (size at most 17 cm and at its design width, every text at least 6 pt, none
cut by the figure's edge, none over another). The map's texts: test_figure_map.py and
test_figure_map_labels.py; the files of a run: tests/workflow/test_figures.py."""

import io

import docx
import numpy as np
import pytest
from conftest import ROOT, SLOPES, synthetic
from docx.shared import Cm
from figure_checks import JOURNAL_WIDTH_CM, drawn_texts, text_problems, width_cm
from matplotlib.figure import Figure
from PIL import Image

import upgrade_repro.manuscript_tables as manuscript
from upgrade_repro.beyond_figures import plot_regional_trends, plot_sigma, regional_means
from upgrade_repro.catalogue import indicator_names, load_catalogue, region_label, region_label_names, scheme_name
from upgrade_repro.convergence import sigma_table
from upgrade_repro.figure_ranking import draw_ranking
from upgrade_repro.figures import (
    COLUMN_WIDTH_CM,
    MAP_WIDTH_CM,
    RANKING_WIDTH_CM,
    TEXT_WIDTH_CM,
    figure_notes,
    grid_width_cm,
    panel_grid,
    tier_names,
    wrap_text,
)
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.province_means import province_means, rank_and_tier
from upgrade_repro.regions import display_names, load_regions
from upgrade_repro.texts import text
from upgrade_repro.typeset import years

SIX = ["upgrade", "service", "cyig", "theil", "deviation", "advancement_lp"]
CATALOGUE = ROOT / "data/reference/indicators.yaml"
REGION_LABELS = ROOT / "data/reference/region_labels.csv"
DPI = 300  # config figure.dpi's default: the texts are measured as the PNG draws them


# ----------------------------------------------------------------------------------- the rules
def test_panels_wrap_into_a_grid_of_at_most_three_a_row():
    by_hand = {1: (1, 1), 2: (1, 2), 3: (1, 3), 4: (2, 2), 5: (2, 3), 6: (2, 3), 7: (3, 3), 9: (3, 3), 10: (4, 3)}
    assert {n: panel_grid(n) for n in by_hand} == by_hand
    for n in range(1, 13):
        rows, cols = panel_grid(n)
        assert cols <= 3 and rows * cols >= n and (rows - 1) * cols < n  # no empty row
    with pytest.raises(ValueError, match="at least one panel"):
        panel_grid(0)
    assert grid_width_cm(1) == COLUMN_WIDTH_CM and grid_width_cm(2) == grid_width_cm(3) == TEXT_WIDTH_CM
    assert max(TEXT_WIDTH_CM, COLUMN_WIDTH_CM, MAP_WIDTH_CM, RANKING_WIDTH_CM) <= JOURNAL_WIDTH_CM


def chars(line: str) -> float:
    """A width by hand: one point a character."""
    return float(len(line))


def test_line_breaking_by_hand():
    # Filled in turn, or as even as the same number of lines allows.
    assert wrap_text("aa bb cc dd ee", 8, chars, balance=False) == "aa bb cc\ndd ee"
    assert wrap_text("aaaa bb cc dd", 10, chars, balance=False) == "aaaa bb cc\ndd"
    assert wrap_text("aaaa bb cc dd", 10, chars) == "aaaa bb\ncc dd"
    assert wrap_text("short", 10, chars) == "short"  # fits: untouched
    # Between Chinese characters, not inside a bracket's edges nor between 2021 and 年.
    assert wrap_text("产业结构升级水平系数", 6, chars) == "产业结构升\n级水平系数"
    assert wrap_text("结构合理化（泰尔指数）", 6, chars, balance=False) == "结构合理化\n（泰尔指数）"
    assert wrap_text("2008—2021年各省份", 9, chars, balance=False) == "2008—2021年\n各省份"
    # Lines already there stay; a word wider than the room stays whole.
    assert wrap_text("a b\nc d", 3, chars) == "a b\nc d"
    assert wrap_text("unbreakableword x", 5, chars) == "unbreakableword\nx"


def test_the_checks_find_small_cut_and_overlapping_texts():
    fig = Figure(figsize=(3, 2))
    fig.text(0.1, 0.5, "fine", fontsize=8)
    assert text_problems(fig, DPI) == []
    fig.text(0.1, 0.2, "tiny", fontsize=5)
    fig.text(0.9, 0.9, "cut by the edge", fontsize=8)
    fig.text(0.12, 0.5, "over fine", fontsize=8)
    problems = text_problems(fig, DPI)
    assert "'tiny' is 5 pt, below 6 pt" in problems
    assert any(p.startswith("'cut by the edge' is cut by the figure's edge") for p in problems)
    assert "'fine' overlaps 'over fine'" in problems
    assert len(problems) == 3


# ----------------------------------------------------------------- the figures beyond the paper
def six_indicators():
    """conftest.synthetic with three more indicators (values of their own size; deviation nearly
    constant, as the tests' employment generator makes it: its axes get an offset text, 1e-7+0.5)."""
    data = synthetic(SLOPES)
    rng = np.random.default_rng(3)
    data["theil"] = 0.2 + rng.normal(0, 0.02, len(data))
    data["deviation"] = 0.5 + rng.normal(0, 1e-7, len(data))
    data["advancement_lp"] = 3 + rng.normal(0, 0.3, len(data))
    return data


def panel_places(fig) -> tuple[int, int]:
    """(rows, columns) in which the titled panels lie."""
    panels = [ax for ax in fig.axes if ax.get_title()]
    return len({round(ax.get_position().y1, 3) for ax in panels}), len(
        {round(ax.get_position().x0, 3) for ax in panels}
    )


def assert_prints(fig, design_cm: float) -> list:
    """The figure prints at `design_cm`; returns its drawn texts (drawn_texts at DPI)."""
    assert width_cm(fig) == pytest.approx(design_cm) and design_cm <= JOURNAL_WIDTH_CM
    drawn = drawn_texts(fig, DPI)
    assert text_problems(fig, DPI, drawn=drawn) == []  # drawn at DPI, as the PNG
    # Issue 26: sigma.png was 7,560 px wide (25.2 in at 300 dpi) with six indicators.
    assert fig.bbox.width == pytest.approx(design_cm / 2.54 * DPI) and fig.bbox.height <= 22 / 2.54 * DPI
    return drawn


# 1 to 6 indicators; each count in one language per figure (the other language for the other
# figure), and all six in both: what the six-indicator run of issue 26 prints.
CASES = [(n, lang) for n in range(1, 6) for lang in [("zh", "en")[n % 2]]] + [(6, "zh"), (6, "en")]


@pytest.mark.parametrize(("n", "language"), CASES)
def test_figures_beyond_the_paper_print_at_their_width(n, language):
    use_cjk_font()
    data = six_indicators()
    variables = SIX[:n]
    names = indicator_names(load_catalogue(CATALOGUE), language)
    scheme = scheme_name(ROOT / "data/reference/region_scheme_names.csv", "nbs4", language)
    regions = None
    if language == "en":
        labels = region_label_names(REGION_LABELS, "en")
        regions = {r: region_label(labels, r, REGION_LABELS) for r in data["region"].astype(str).unique()}
    rows, cols = panel_grid(n)
    # Titled and with the demo note: every text a standalone PNG can carry.
    trends = plot_regional_trends(regional_means(data, variables), scheme, True, names, language, regions, title=True)
    sigma = plot_sigma(sigma_table(data, variables), True, names, language, title=True)
    for fig in (trends, sigma):
        texts = assert_prints(fig, grid_width_cm(cols))
        drawn = " ".join(t.get_text().replace("\n", "" if language == "zh" else " ") for t, _ in texts)
        for var in variables:
            assert text(language, "figures.panel_title", variable=var, name=names[var]) in drawn
    assert panel_places(trends) == (rows, cols)
    assert panel_places(sigma) == (rows, cols)  # each panel titled once, over its sd and cv


# ------------------------------------------------------------------------------ the ranking chart
@pytest.mark.parametrize("language", ["zh", "en"])
def test_ranking_prints_at_its_width(language):
    use_cjk_font()
    tiers = [
        {"label": "较弱", "lower": 0, "upper": 1, "color": "#fef0d9"},
        {"label": "中等", "lower": 1, "upper": 2, "color": "#fdcc8a"},
        {"label": "较强", "lower": 2, "upper": 3, "color": "#fc8d59"},
        {"label": "强", "lower": 3, "upper": 4, "color": "#d7301f"},
    ]
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    data = synthetic(SLOPES).assign(upgrade=lambda d: d["upgrade"] * 2.2)  # means over every tier
    means = rank_and_tier(province_means(data), tiers)
    span = years(2008, 2021, language)
    notes = figure_notes(span, demo=True, boundaries=False, language=language)
    title = text(language, "figures.ranking_title", span=span)
    for heading in (None, title):
        fig = draw_ranking(
            means, tiers, heading, notes, language, tier_names(tiers, language), display_names(regions, language)
        )
        assert_prints(fig, RANKING_WIDTH_CM)


# --------------------------------------------------------------------------- the map in Word
def test_tables_docx_inserts_the_map_at_its_design_width(tmp_path):
    """Issue 26: the map, drawn 7 in wide, went into Word at 15 cm: its 6-pt names printed at 5 pt."""
    png = tmp_path / "map.png"
    Figure(figsize=(MAP_WIDTH_CM / 2.54, 3)).savefig(png, dpi=100)
    doc = docx.Document(io.BytesIO(manuscript.docx_bytes(manuscript.build_document([], "t", (png, "图 1", [])))))
    (shape,) = doc.inline_shapes
    assert shape.width == Cm(MAP_WIDTH_CM)
    with Image.open(png) as image:  # and in its proportions
        assert shape.height / shape.width == pytest.approx(image.height / image.width, rel=1e-4)
