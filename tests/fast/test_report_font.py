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
    assert css == report_font.cjk_font_face("cyig 京北")  # same characters, same bytes ...
    report_font._font_face.cache_clear()
    assert css == report_font.cjk_font_face("cyig 京北")  # ... when made again, not only kept
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


def test_font_subset_draws_as_one_with_recalculated_bounds():
    # The subset keeps the whole font's bounding boxes (not recomputed, as pyftsubset does): every
    # glyph's outline and advance and every line metric equal those of a subset whose bounds were
    # recomputed, so the report renders the same.
    from fontTools import subset

    from upgrade_repro.fonts import cjk_font_path

    css = report_font.cjk_font_face("北京上海 ab")
    ours = TTFont(io.BytesIO(base64.b64decode(css.split("base64,", 1)[1].split(")", 1)[0])))
    with TTFont(cjk_font_path(), recalcTimestamp=False, lazy=True) as font:
        subsetter = subset.Subsetter(subset.Options())
        subsetter.populate(text="".join(sorted(set("北京上海 ab"))))
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
    recalculated = TTFont(io.BytesIO(buffer.getvalue()))
    mine, theirs = (f["CFF "].cff.topDictIndex[0].CharStrings for f in (ours, recalculated))
    assert sorted(mine.keys()) == sorted(theirs.keys()) and len(mine.keys()) > 6
    for glyph in mine.keys():
        mine[glyph].compile()
        theirs[glyph].compile()
        assert mine[glyph].bytecode == theirs[glyph].bytecode, glyph
    assert ours["hmtx"].metrics == recalculated["hmtx"].metrics and ours["vmtx"].metrics == recalculated["vmtx"].metrics
    for table, fields in (
        ("hhea", ("ascent", "descent", "lineGap")),
        ("OS/2", ("sTypoAscender", "sTypoDescender", "sTypoLineGap", "usWinAscent", "usWinDescent")),
    ):
        assert [getattr(ours[table], f) for f in fields] == [getattr(recalculated[table], f) for f in fields]
    assert ours.getBestCmap() == recalculated.getBestCmap()
    # what differs: the font-wide extremes, the whole font's rather than the subset's
    assert ours["head"].xMin <= recalculated["head"].xMin


def test_font_file_is_found_without_importing_matplotlib():
    # mplfonts' __init__ imports matplotlib: the report's font rule finds the file without it.
    import subprocess
    import sys
    from importlib.resources import files

    from conftest import ROOT

    from upgrade_repro.fonts import FONT_FILE, cjk_font_path

    assert cjk_font_path() == str(files("mplfonts") / "fonts" / FONT_FILE)
    code = "import sys; from upgrade_repro.fonts import cjk_font_path as p; p(); print(sorted({'matplotlib', 'mplfonts'} & set(sys.modules)))"
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert found.stdout == "[]\n"
