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
