"""Rule report_font (the static preparation of the report's font; upgrade_repro/report_font.py): a
font subset that covers what the report shows, deterministic, or stops the report naming the
character."""

import base64
import io

import pytest
from fontTools.ttLib import TTFont

from upgrade_repro import report_font
from upgrade_repro.errors import InputError


def test_font_subset_has_the_glyphs_and_is_deterministic():
    css = report_font.cjk_font_face("北京 cyig")
    assert css == report_font.cjk_font_face("cyig 京北")  # same characters, same bytes
    data = base64.b64decode(css.split("base64,", 1)[1].split(")", 1)[0])
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert {ord(c) for c in "北京cyig"} <= set(cmap)
    assert ord("海") not in cmap


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
