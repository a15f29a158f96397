"""Rule prepare_boundaries (the static preparation of Figure 1's boundaries;
upgrade_repro/boundaries.py): exact storage of the prepared boundaries."""

import pytest
import shapely
from conftest import ROOT

from upgrade_repro import prepare_boundaries
from upgrade_repro.errors import InputError
from upgrade_repro.files import write_csv
from upgrade_repro.regions import load_regions


def test_stored_boundaries_are_the_prepared_ones_exactly(tmp_path):
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    regions = regions[regions["code"].isin(["110000", "120000", "130000", "460000"])]
    shapes, lines = prepare_boundaries.prepare_boundaries(regions, 2)
    path = tmp_path / "boundaries.csv"
    write_csv(prepare_boundaries.static_boundaries_table(shapes, lines), path)
    again, again_lines = prepare_boundaries.read_static_boundaries(path)
    assert again["code"].tolist() == ["110000", "120000", "130000", "460000"]
    # Every coordinate as computed, bit for bit (the map drawn from the file is today's map).
    assert shapely.to_wkb(again.geometry.values).tolist() == shapely.to_wkb(shapes.geometry.values).tolist()
    assert shapely.to_wkb(again_lines.values).tolist() == shapely.to_wkb(lines.values).tolist()
    assert len(lines) == 1 and again.crs == shapes.crs
    # Byte-identical when written again.
    write_csv(prepare_boundaries.static_boundaries_table(again, again_lines), tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == path.read_bytes()


def test_stored_boundaries_of_an_unknown_kind_are_refused(tmp_path):
    path = tmp_path / "boundaries.csv"
    path.write_text("kind,code,wkb\npolygon,110000,00\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown kind\(s\) \['polygon'\]"):
        prepare_boundaries.read_static_boundaries(path)


def test_projection_without_geopandas_gives_geopandas_floats_exactly():
    # project() is geopandas' to_crs without geopandas: same pyproj transformation, same floats,
    # for 2-D and 3-D geometries, and nothing moved when the CRS is already the target.
    import geopandas as gpd
    import numpy as np

    regions = load_regions(ROOT / "data/reference/provinces.csv")
    shapes = prepare_boundaries.read_boundaries(regions["code"][:3])
    extra = np.array([shapely.Point(116.4, 39.9, 50.0), shapely.LineString([(100, 20, 1), (101, 21, 2)])])
    for geometries in (shapes, prepare_boundaries.read_maritime_line(), np.concatenate([shapes, extra])):
        ours = prepare_boundaries.project(geometries, prepare_boundaries.WGS84)
        theirs = gpd.GeoSeries(geometries, crs="EPSG:4326").to_crs(prepare_boundaries.ALBERS_CHINA).values
        assert shapely.to_wkb(ours).tolist() == shapely.to_wkb(theirs).tolist()
    assert shapely.has_z(ours).tolist() == [False] * 3 + [True] * 2
    same = prepare_boundaries.project(ours, prepare_boundaries.ALBERS_CHINA)
    assert same is ours


def test_static_table_equals_the_geopandas_preparation(tmp_path):
    # The rule's shapely-only path and the GeoDataFrame path of the plain script and the tests
    # (geopandas' to_crs, then one coverage simplification) store the same bytes.
    import geopandas as gpd

    regions = load_regions(ROOT / "data/reference/provinces.csv")
    regions = regions[regions["code"].isin(["310000", "320000", "330000", "340000"])]
    codes, shapes, lines = prepare_boundaries.prepared_geometries(regions, 2)
    write_csv(prepare_boundaries.boundaries_table(codes, shapes, lines), tmp_path / "rule.csv")
    raw = gpd.GeoDataFrame(
        {"code": regions["code"].to_list()},
        geometry=[
            prepare_boundaries.read_geojson(prepare_boundaries.BOUNDARY_DIR / "land" / f"{c}.geojson")
            for c in regions["code"]
        ],
        crs="EPSG:4326",
    ).to_crs(prepare_boundaries.ALBERS_CHINA)
    simplified = raw.set_geometry(gpd.GeoSeries(shapely.coverage_simplify(raw.geometry.values, 2000), crs=raw.crs))
    sea = prepare_boundaries.load_maritime_line().to_crs(prepare_boundaries.ALBERS_CHINA)
    write_csv(prepare_boundaries.static_boundaries_table(simplified, sea), tmp_path / "geopandas.csv")
    assert (tmp_path / "rule.csv").read_bytes() == (tmp_path / "geopandas.csv").read_bytes()
    assert codes == ["310000", "320000", "330000", "340000"]
