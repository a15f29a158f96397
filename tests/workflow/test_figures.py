"""Every figure of a run at the width it is printed (issue 26 point 5), in the session's runs
(conftest english_six_run: six indicators, English, figure.dpi 90; real_run: the default Chinese
run, three indicators, 300 dpi): each PNG is its design width at figure.dpi (the standalone titled
PNG too), each SVG its design width in points, and tables.docx embeds the map at its design width
and in its proportions. The drawings themselves: tests/fast/test_figures.py."""

import xml.etree.ElementTree as ET

import docx
import pandas as pd
import pytest
import yaml
from conftest import ENGLISH_SIX_DPI
from docx.shared import Cm
from PIL import Image

from upgrade_repro.figures import CM_PER_IN, MAP_WIDTH_CM, RANKING_WIDTH_CM, grid_width_cm, panel_grid

RUNS = {"english_six_run": ENGLISH_SIX_DPI, "real_run": None}  # None: config.yaml's figure.dpi


def svg_width_pt(path) -> float:
    return float(ET.parse(path).getroot().get("width").removesuffix("pt"))


def design_widths_cm(results) -> dict[str, float]:
    """Figure name -> its design width, the grid's from the indicators the run drew."""
    indicators = pd.read_csv(results / "data/sigma.csv")["variable"].nunique()
    grid = grid_width_cm(panel_grid(indicators)[1])
    return {"figure1_map": MAP_WIDTH_CM, "figure1_ranking": RANKING_WIDTH_CM, "sigma": grid, "regional_trends": grid}


@pytest.mark.parametrize("run", list(RUNS))
def test_every_figure_is_its_design_width_at_figure_dpi(run, request):
    workdir = request.getfixturevalue(run)
    dpi = RUNS[run] or yaml.safe_load((workdir / "config.yaml").read_text(encoding="utf-8"))["figure"]["dpi"]
    results = workdir / "results"
    widths = design_widths_cm(results)
    if run == "english_six_run":  # issue 26: 7,560 px at 300 dpi, one panel per indicator in a row
        assert widths["sigma"] == widths["regional_trends"] <= 17
    pngs = {f"figures/{name}.png": cm for name, cm in widths.items()} | {"manuscript/figure1_map.png": MAP_WIDTH_CM}
    for png, cm in pngs.items():
        with Image.open(results / png) as image:
            assert abs(image.width - cm / CM_PER_IN * dpi) < 1, (png, image.width, cm, dpi)
    for name, cm in widths.items():
        assert svg_width_pt(results / f"figures/{name}.svg") == pytest.approx(cm / CM_PER_IN * 72, abs=0.01), name


@pytest.mark.parametrize("run", list(RUNS))
def test_tables_docx_embeds_the_map_at_its_design_width(run, request):
    results = request.getfixturevalue(run) / "results"
    doc = docx.Document(results / "manuscript/tables.docx")
    (shape,) = doc.inline_shapes
    assert shape.width == Cm(MAP_WIDTH_CM)  # a point in the figure is a point on the page
    with Image.open(results / "manuscript/figure1_map.png") as image:
        assert shape.height / shape.width == pytest.approx(image.height / image.width, rel=1e-4)
