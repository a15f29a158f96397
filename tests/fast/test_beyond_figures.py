"""Rule beyond_figures: the regional means, and the figures beyond the paper (regional trends, sigma)
with the catalogue's names, CJK glyphs, titles only when asked, byte-identical files."""

import io
import warnings
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SLOPES, synthetic
from matplotlib.font_manager import findfont

from upgrade_repro.beyond_figures import plot_regional_trends, plot_sigma, regional_means, save_png_svg
from upgrade_repro.catalogue import indicator_names, load_catalogue, scheme_name
from upgrade_repro.convergence import sigma_table
from upgrade_repro.figures import figure_title
from upgrade_repro.fonts import cjk_font_path, use_cjk_font


def test_regional_means_by_hand():
    data = synthetic(SLOPES)
    means = regional_means(data).set_index(["region", "variable", "year"])
    for (region, year), part in data.groupby(["region", "year"], observed=True):
        assert means.loc[(region, "cyig", year), "mean"] == pytest.approx(part["cyig"].mean())
        assert means.loc[(region, "cyig", year), "n"] == len(part)
    assert list(dict.fromkeys(means.index.get_level_values("region"))) == ["东部", "中部", "西部", "东北"]


CATALOGUE = ROOT / "data" / "reference" / "indicators.yaml"
NAMES = indicator_names(load_catalogue(CATALOGUE), "zh")


def test_figure_titles_name_indicators_and_schemes_as_the_catalogue_does():
    # Before: the σ and regional-trend panels called cyig 产业结构层次系数 (figures.TITLES) and
    # the regional title showed the raw config value nbs4.
    use_cjk_font()  # as the rule does: the titles are broken into lines by their drawn width
    data = synthetic(SLOPES)
    schemes = ROOT / "data" / "reference" / "region_scheme_names.csv"
    label = scheme_name(schemes, "nbs4", "zh")
    assert label != "nbs4" and scheme_name(schemes, "ecw3", "en") != "ecw3"
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for fig in (
        plot_regional_trends(regional_means(data), label, demo=False, names=NAMES),
        plot_sigma(sigma_table(data), demo=False, names=NAMES),
    ):
        # As drawn, less the line breaks of a title longer than its panel (Chinese: no space lost).
        titles = [ax.get_title().replace("\n", "") for ax in fig.axes if ax.get_title()]
        for var in ("upgrade", "service", "cyig"):
            assert f"{var}：{catalogue[var]['name']['zh']}" in titles
        assert not any("层次系数" in t for t in titles)
    assert label in plot_regional_trends(regional_means(data), label, False, NAMES)._suptitle.get_text().replace(
        "\n", ""
    )


def test_figures_draw_real_cjk_glyphs():
    assert Path(findfont(use_cjk_font(), fallback_to_default=False)) == Path(cjk_font_path())
    data = synthetic(SLOPES)
    for fig in (
        plot_regional_trends(regional_means(data), "nbs4", demo=True, names=NAMES),
        plot_sigma(sigma_table(data), demo=True, names=NAMES),
    ):
        # matplotlib warns "Glyph ... missing from font(s)" for each character it draws as a box
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.savefig(io.BytesIO(), format="png")


def test_saved_figure_is_byte_identical(tmp_path):
    use_cjk_font()
    data = synthetic(SLOPES)
    outputs = []
    for run in (1, 2):
        png, svg = tmp_path / f"f{run}.png", tmp_path / f"f{run}.svg"
        save_png_svg(plot_regional_trends(regional_means(data), "nbs4", demo=False, names=NAMES), png, svg, 150)
        outputs.append((png.read_bytes(), svg.read_bytes()))
    assert outputs[0] == outputs[1]
    svg_text = outputs[0][1].decode("utf-8")
    assert "<dc:date>" not in svg_text
    assert 'id="NotoSansCJKsc-Regular-' in svg_text  # glyph outlines embedded: no font needed to view


def test_beyond_figures_title_only_when_asked():
    data = synthetic(SLOPES)
    names = indicator_names(load_catalogue(ROOT / "data/reference/indicators.yaml"), "zh")
    for key, draw in (
        (
            "regional_trends",
            lambda title: plot_regional_trends(regional_means(data), "四大地区", False, names, title=title),
        ),
        ("sigma", lambda title: plot_sigma(sigma_table(data), False, names, title=title)),
    ):
        assert draw(False)._suptitle is None
        # the figure's one name (its caption in the report and Word, its files' metadata title)
        assert draw(True)._suptitle.get_text() == figure_title(key, "zh", scheme="四大地区")
