"""The printed style of numbers, signs and ranges (upgrade_repro/typeset.py), and what the texts of
the tables and figures say (issue 26 points 1, 4 and 9): the style per edition on small examples,
every text of the catalogues (both languages) in that style, the glyphs in the packaged font, notes
without file paths or notes to self, a unit for every indicator, one name per figure."""

import re

import pandas as pd
import pytest
from conftest import ALL_SIX, CATALOGUE, SLOPES, synthetic
from fontTools.ttLib import TTFont

from upgrade_repro import typeset as ts
from upgrade_repro.beyond_table_files import beta_notes, region_notes, trend_notes
from upgrade_repro.catalogue import indicator_units
from upgrade_repro.figures import FIGURE_TITLES, figure_caption, figure_title, tier_legend_labels, year_span
from upgrade_repro.fonts import cjk_font_path
from upgrade_repro.table1_files import sample_note
from upgrade_repro.texts import LANGUAGES, texts

MINUS, EN_DASH, EM_DASH, WAVE = "\u2212", "\u2013", "\u2014", "\uff5e"


# ------------------------------------------------------------------------------------ the style
@pytest.mark.parametrize(
    ("raw", "zh", "en"),
    [
        ("-0.0117***", "−0.0117***", "−0.0117***"),
        ("(-0.0045)", "(−0.0045)", "(−0.0045)"),
        ("β = -.5", "β = −.5", "β = −.5"),
        ("2008-2021", "2008—2021", "2008–2021"),
        ("2008–2021 年", "2008—2021 年", "2008–2021 年"),
        ("2008 — 2021", "2008—2021", "2008–2021"),
        ("（0–1）", "（0～1）", "（0–1）"),
        ("3~4", "3～4", "3–4"),
        ("0.5-1.25", "0.5～1.25", "0.5–1.25"),
        ("10-400,000", "10～400,000", "10–400,000"),
        # left alone: words, identifiers, dates, versions, exponents, subtraction already typeset
        ("COVID-19 year-on-year", "COVID-19 year-on-year", "COVID-19 year-on-year"),
        ("2024-01-05", "2024-01-05", "2024-01-05"),
        ("v1.2-3 y_2008-2021", "v1.2-3 y_2008-2021", "v1.2-3 y_2008-2021"),
        ("provinces − 1 = 29", "provinces − 1 = 29", "provinces − 1 = 29"),
        ("Half-life", "Half-life", "Half-life"),
    ],
)
def test_typeset_per_edition(raw, zh, en):
    assert ts.typeset(raw, "zh") == zh and ts.typeset(raw, "en") == en
    for language, printed in (("zh", zh), ("en", en)):
        assert ts.typeset(printed, language) == printed  # idempotent
        assert ts.typeset(ts.typeset(raw, "zh" if language == "en" else "en"), language) == printed


def test_code_spans_are_left_as_they_are():
    note = "注：同 Stata `regress y -1 2008-2021`；2008-2021 年，-1。"
    assert ts.typeset(note, "zh") == "注：同 Stata `regress y -1 2008-2021`；2008—2021 年，−1。"


def test_ranges_and_years_made_by_the_helpers():
    assert (ts.years(2008, 2021, "zh"), ts.years(2008, 2021, "en")) == ("2008—2021 年", "2008–2021")
    assert (ts.years(2021, 2021, "zh"), ts.years(2021, 2021, "en")) == ("2021 年", "2021")
    assert (ts.year_range(2008, 2022, "zh"), ts.year_range("2008", "2022", "en")) == ("2008—2022", "2008–2022")
    assert (ts.value_range(3, 4, "zh"), ts.value_range(0.5, 1.25, "en")) == ("3～4", "0.5–1.25")
    assert ts.value_range(-1.0, 1, "en") == "−1–1"
    with pytest.raises(ValueError, match="'fr'"):
        ts.years(2008, 2021, "fr")


@pytest.mark.parametrize(
    ("value", "spec", "printed"),
    [
        (-0.0123456, ".3f", "−0.012"),
        (0.0131, "+.3g", "+0.0131"),
        (-2.15e-07, "+.3g", "−0.000000215"),
        (2.15e-07, "+.3g", "+0.000000215"),
        (5e-05, ".3g", "0.00005"),
        (-45.94, ".1f", "−45.9"),
        (0.0, ".3f", "0.000"),
    ],
)
def test_number_prints_the_minus_and_no_e_notation(value, spec, printed):
    assert ts.number(value, spec) == printed
    assert float(printed.replace(MINUS, "-")) == pytest.approx(value, rel=5e-3, abs=5e-4)


def test_spreadsheet_format_shows_the_minus_in_its_negative_section():
    assert ts.spreadsheet_format(3) == '0.000;"−"0.000'
    assert ts.spreadsheet_format(0) == '0;"−"0'


@pytest.mark.parametrize(
    ("text", "language", "problem"),
    [
        ("-0.012", "zh", "minus"),
        ("(–0.5)", "en", "minus"),
        ("2008–2021 年", "zh", "en dash"),
        ("2008-2021", "zh", "hyphen"),
        ("3~4", "zh", "tilde"),
        ("2008～2021", "zh", "浪纹线 between two years"),
        ("3—4", "zh", "一字线 between two values"),
        ("2008 — 2021", "zh", "spaces"),
        ("2008—2021", "en", "em dash"),
        ("3～4", "en", "full-width tilde"),
        ("2008 – 2021", "en", "spaces"),
    ],
)
def test_style_problems_finds_each_break_of_the_style(text, language, problem):
    found = ts.style_problems(text, language)
    assert found and any(problem in f for f in found), found


def test_style_problems_passes_the_style():
    assert ts.style_problems("注：2008—2021 年；比例（0～1）；−0.012；`y -1`；GB/T 2260；2024-01-05", "zh") == []
    assert ts.style_problems("Note: 2008–2021; share (0–1); −0.012; year-on-year; COVID-19", "en") == []


def test_the_packaged_font_has_every_mark_of_the_style():
    """The figures and the report's font subset draw the minus and the range marks (the subset
    check of the report would stop a run without them)."""
    cmap = TTFont(cjk_font_path()).getBestCmap()
    assert all(ord(c) in cmap for c in (MINUS, EN_DASH, EM_DASH, WAVE, "≥", "≤", "×"))


# ----------------------------------------------------------- every text of the catalogues, in style
# A range typed between two fields ({start}—{end}, {{ a }}–{{ b }}): ranges are made by the helpers.
_FIELD_RANGE = re.compile(r"(?:\}\}|(?<![%}])\}|\d)\s*[-\u2012-\u2015~\uff5e]\s*(?:\{\{|\{(?![%{])|\d)")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_of_the_catalogue_is_in_the_style_of_its_edition(language):
    for key, text in texts(language).items():
        if key.startswith("verification_report."):
            continue  # the deposit's verification report: its own texts (i26d)
        assert ts.style_problems(text, language) == [], key
        assert not _FIELD_RANGE.search(text), (key, _FIELD_RANGE.search(text).group())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_indicator_has_a_unit_in_the_style_of_its_edition(language):
    units = indicator_units(CATALOGUE, language)
    assert set(units) == set(CATALOGUE) and all(units.values())
    for key, entry in CATALOGUE.items():
        for field in ("name", "definition", "unit", "direction"):
            assert ts.style_problems(entry[field][language], language) == [], (key, field)


# ------------------------------------------------------------------------- what a note says
def notes_of(language):
    """The notes of every table on a synthetic panel with all six indicators."""
    data = synthetic(SLOPES)
    for v in ALL_SIX[3:]:
        data[v] = data["upgrade"] / 3
    scheme = "国家统计局四大地区（东部、中部、西部、东北）" if language == "zh" else "NBS four regions (East, Central)"
    beta = {"first_year": [2011], "last_year": [2017], "cov_type": ["HC1"]}
    return {
        "table1": [sample_note(data, "province", language)],
        "table_regions": region_notes(data, scheme, False, language),
        "table_trends": trend_notes(data, scheme, False, indicator_units(CATALOGUE, language), language),
        "table_beta": beta_notes(pd.DataFrame(beta), scheme, False, language),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_notes_say_what_a_reader_needs_and_nothing_else(language):
    """Issue 26 point 1: no file path, no '(beyond the paper)', 地区划分为, no bracket in a bracket."""
    notes = notes_of(language)
    captions = [texts(language, f"tables.{k}")["caption"] for k in ("table1", *(k for k in notes if k != "table1"))]
    for text in [*(n for ns in notes.values() for n in ns), *captions]:
        assert not re.search(r"\w+/\w+\.(csv|yaml|py)|data/|tools/|README", text), text
        assert "超出论文" not in text and "beyond the paper" not in text, text
        assert not re.search(r"（[^（）]*（", text), text  # （…（…）） in Chinese
        assert ts.style_problems(text, language) == [], text
    if language == "zh":
        assert "地区划分为国家统计局四大地区" in notes["table_regions"][0]
        assert "地区划分为国家统计局四大地区" in notes["table_beta"][0]
        assert "2011—2017 年" in notes["table1"][0]
    assert len(notes["table_trends"]) == 1  # one note paragraph for A2


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_trend_note_gives_the_unit_of_every_indicator_from_the_catalogue(language):
    """Issue 26 point 4: with six indicators the note named units for upgrade, service, cyig only."""
    [note] = notes_of(language)["table_trends"]
    units = indicator_units(CATALOGUE, language)
    unit = texts(language, "tables.table_trends")["unit"]
    for v in ALL_SIX:
        assert unit.format(variable=v, unit=units[v]) in note, v


# ------------------------------------------------------------------------ one name per figure
@pytest.mark.parametrize("language", LANGUAGES)
def test_one_name_per_figure(language):
    span = year_span(pd.DataFrame({"year": [2008, 2021]}), language)
    assert span == ts.years(2008, 2021, language)
    for key in FIGURE_TITLES:
        title = figure_title(key, language, span, "S")
        assert "超出论文" not in title and "beyond the paper" not in title
        assert ts.style_problems(title, language) == []
        assert figure_caption(key, language, span, "S").endswith(title)
    number = {"zh": "图 1 ", "en": "Figure 1 "}[language]
    assert figure_caption("figure1_map", language, span) == number + figure_title("figure1_map", language, span)
    words = texts(language, "figures")
    if language == "zh":
        assert figure_title("figure1_map", "zh", span) == "2008—2021 年各省份产业结构升级指标均值"
    else:
        # upgrade has one name in the English figures: its key (the catalogue's name beside it elsewhere)
        english = [words[k] for k in ("map_title", "ranking_title", "ranking_xlabel", "legend_title", "note")]
        assert all("upgrade" in t and "upgrading indicator" not in t for t in english)


@pytest.mark.parametrize("language", LANGUAGES)
def test_tier_legends_use_the_editions_range(language):
    tiers = [
        {"label": "较弱", "lower": 0, "upper": 1, "color": "#ffffff"},
        {"label": "强", "lower": 1, "upper": 4, "color": "#000000"},
    ]
    names = {"较弱": "Weak", "强": "Strong"} if language == "en" else None
    labels = tier_legend_labels(tiers, 3.9, names, language)
    assert labels["较弱"] == {"zh": "较弱（0～1）", "en": "Weak (0–1)"}[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_table_in_the_style_compiles_with_every_mark(language, tmp_path):
    """The marks of the style and of the indicators' units in a LaTeX table (xelatex, the README's
    preamble): no missing character (Latin Modern has no ≥ in text: set in math)."""
    from conftest import compile_tables

    from upgrade_repro.tables import latex_table

    [note] = notes_of(language)["table_trends"]
    cells = [["年度趋势" if language == "zh" else "Trend", ts.typeset("-0.0123***", language)]]
    tex = tmp_path / "t.tex"
    tex.write_text(latex_table("表 A2 测试", "tab:t", ["", "theil"], cells, [note]), encoding="utf-8")
    text = compile_tables([tex], tmp_path)
    assert MINUS + "0.0123" in text and "≥" in text
