"""Rule figure_map's files in the session's runs (conftest real_run, english_six_run): small, carrying
the data's years, every PNG at figure.dpi, the manuscript's map untitled."""

import xml.etree.ElementTree as ET

import docx
import pandas as pd
import pytest
from conftest import ENGLISH_SIX_DPI as DPI
from conftest import TIERS
from PIL import Image

from upgrade_repro.figures import year_span

FIGURES = ["figure1_map.png", "figure1_map.svg", "figure1_map.pdf", "figure1_ranking.png", "figure1_ranking.svg"]


# ---------------------------------------------------------------------------------- the files
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
    span = f"{years.min()}—{years.max()} 年"  # typeset.years
    assert svg.find(".//{http://purl.org/dc/elements/1.1/}title").text == f"{span}各省份产业结构升级指标均值"
    ranking = ET.parse(figures / "figure1_ranking.svg").getroot()
    assert ranking.find(".//{http://purl.org/dc/elements/1.1/}title").text.startswith(span)
    assert year_span(pd.DataFrame({"year": [2015, 2015]})) == "2015 年"


def svg_size_pt(path) -> tuple[float, float]:
    root = ET.parse(path).getroot()
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


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


def test_the_manuscripts_figure_is_untitled_and_the_standalone_png_titled(english_six_run):
    results = english_six_run / "results"
    with (
        Image.open(results / "figures/figure1_map.png") as titled,
        Image.open(results / "manuscript/figure1_map.png") as plain,
    ):
        # The same width (the design width: tests/workflow/test_figures.py), and the title's band
        # more than the margin it replaces (0.06 in): at least an 11-pt line.
        assert titled.width == plain.width and titled.height - plain.height >= (11 / 72 + 0.08) * DPI
    doc = docx.Document(results / "manuscript/tables.docx")
    (shape,) = doc.inline_shapes
    blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob == (results / "manuscript/figure1_map.png").read_bytes()
    svg = (results / "figures/figure1_map.svg").read_text(encoding="utf-8")
    title = ET.fromstring(svg.encode()).find(".//{http://purl.org/dc/elements/1.1/}title").text
    assert title.startswith("Mean of upgrade by province")
    assert f"<!-- {title} -->" not in svg  # in the metadata, not drawn
