"""The static preparation (rules prepare_boundaries and report_font): exact storage of the
boundaries, and a font subset that covers what the report shows or stops it."""

import pytest
import shapely
from conftest import ROOT

from upgrade_repro import boundaries, report_font
from upgrade_repro.errors import InputError
from upgrade_repro.files import write_csv
from upgrade_repro.regions import load_regions


def test_stored_boundaries_are_the_prepared_ones_exactly(tmp_path):
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    regions = regions[regions["code"].isin(["110000", "120000", "130000", "460000"])]
    shapes, lines = boundaries.prepare_boundaries(regions, 2)
    path = tmp_path / "boundaries.csv"
    write_csv(boundaries.static_boundaries_table(shapes, lines), path)
    again, again_lines = boundaries.read_static_boundaries(path)
    assert again["code"].tolist() == ["110000", "120000", "130000", "460000"]
    # Every coordinate as computed, bit for bit (the map drawn from the file is today's map).
    assert shapely.to_wkb(again.geometry.values).tolist() == shapely.to_wkb(shapes.geometry.values).tolist()
    assert shapely.to_wkb(again_lines.values).tolist() == shapely.to_wkb(lines.values).tolist()
    assert len(lines) == 1 and again.crs == shapes.crs
    # Byte-identical when written again.
    write_csv(boundaries.static_boundaries_table(again, again_lines), tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == path.read_bytes()


def test_stored_boundaries_of_an_unknown_kind_are_refused(tmp_path):
    path = tmp_path / "boundaries.csv"
    path.write_text("kind,code,wkb\npolygon,110000,00\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown kind\(s\) \['polygon'\]"):
        boundaries.read_static_boundaries(path)


def test_report_characters_come_from_the_files_the_config_and_ascii(tmp_path):
    source = tmp_path / "messages.yaml"
    source.write_text("title: 产业结构\n# 注释也算\n", encoding="utf-8")
    config = {"raw": ["数据/甲.csv"], "years": {"end": 2021}, "title": None}
    assert report_font.config_strings(config) == "raw数据/甲.csvyearsendtitle"
    text = report_font.report_characters([source], report_font.config_strings(config))
    assert set("产业结构注释也算数据甲0123456789%abcXYZ") <= set(text)
    assert "乙" not in text and " " not in text and "\n" not in text
    assert text == "".join(sorted(set(text)))  # sorted, distinct: same sources, same subset


def test_font_subset_maps_exactly_the_asked_characters():
    css = report_font.cjk_font_face("北京上海 ab")
    assert report_font.font_characters(css) == "".join(sorted("北京上海ab "))


def test_a_character_outside_the_subset_stops_the_report_naming_it():
    covered = "".join(sorted(set("北京上海 abc")))
    report_font.check_font_coverage("北京 abc\n\t上海", covered, "report_font.txt")  # whitespace is no glyph
    with pytest.raises(InputError, match=r"2 character\(s\).*乙 \(U\+4E59\) 甲 \(U\+7532\)") as error:
        report_font.check_font_coverage("北京甲乙甲", covered, "results/static/report_font.txt")
    assert str(error.value).startswith("results/static/report_font.txt: ")
