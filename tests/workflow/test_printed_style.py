"""Every printed output of four runs, read with its own reader, in the style of its edition (issue 26
points 1, 4, 8, 9): the default run (zh), the English run, the six-indicator run in English and in
Chinese. Tables (.md, .tex, .json), Word (python-docx), Excel's table sheets (openpyxl: texts and
number formats), the report (HTML and Markdown, as text), the figures (the strings each SVG draws,
its metadata title, the PNG's): no hyphen-minus as a minus, one range form per edition
(typeset.style_problems); one name per figure across its files, the report and Word; notes without
file paths; a unit for every indicator in Table A2's note; the report's note code as code, its
checks in its language. Machine files (csv) keep the hyphen-minus.

The runs are the session's (tests/conftest.py): real_run, english_six_run, and their clones in the
other language (english_run, chinese_six_run: only the language's rules rerun)."""

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from PIL import Image

from upgrade_repro.catalogue import indicator_units, load_catalogue
from upgrade_repro.figures import FIGURE_TITLES
from upgrade_repro.indicators import indicator_columns
from upgrade_repro.texts import texts
from upgrade_repro.typeset import MINUS, style_problems

RUNS = {"real_run": "zh", "english_run": "en", "english_six_run": "en", "chinese_six_run": "zh"}
DC_TITLE = ".//{http://purl.org/dc/elements/1.1/}title"
PATH_OR_SELF_NOTE = re.compile(r"\w+/\w+\.(?:csv|yaml|py)\b|data/reference|tools/|README|超出论文|beyond the paper")


@pytest.fixture(scope="module", params=list(RUNS))
def run(request):
    return request.getfixturevalue(request.param), RUNS[request.param]


# ------------------------------------------------------------------------- each output as text
def table_files(results: Path) -> dict[str, str]:
    """The tables' .md, the .tex without LaTeX's own numbers (\\addtocounter{table}{-1}) and code
    (\\texttt), and the layouts' texts."""
    out = {}
    for path in sorted((results / "tables").glob("*.md")):
        out[path.name] = path.read_text(encoding="utf-8")
    for path in sorted((results / "tables").glob("*.tex")):
        tex = path.read_text(encoding="utf-8")
        out[path.name] = re.sub(r"\\addtocounter\{table\}\{-1\}|\\texttt\{[^}]*\}", "", tex)
    for path in sorted((results / "tables").glob("*.json")):
        layout = json.loads(path.read_text(encoding="utf-8"))
        out[path.name] = "\n".join([layout["caption"], *layout["heads"], *sum(layout["rows"], []), *layout["notes"]])
    return out


def docx_texts(path: Path) -> list[str]:
    doc = docx.Document(path)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return [p.text for p in doc.paragraphs] + cells


def xlsx_table_sheets(path: Path, language: str):
    """The table sheets (the panel's and each table's full-precision data sheet are data, in their
    machine form): their text cells and their float cells."""
    book = openpyxl.load_workbook(path)
    words = texts(language, "manuscript")
    data = re.compile(re.escape(words["data_sheet"]).replace(re.escape("{table}"), ".+"))
    tables = [ws for ws in book.worksheets if ws.title != words["panel_sheet"] and not data.fullmatch(ws.title)]
    assert len(tables) == len(book.worksheets) // 2  # as many table sheets as data sheets, the panel aside
    cells = [c for ws in tables for row in ws.iter_rows() for c in row]
    return [c.value for c in cells if isinstance(c.value, str)], [c for c in cells if isinstance(c.value, float)]


def report_text(results: Path) -> dict[str, str]:
    """What the reports show, but what they show verbatim on purpose: the provenance section (paths,
    config values, versions), code, the paper's quoted sentences and the catalogue's bibliographic
    references (GB/T 7714 page ranges)."""
    page = (results / "report/report.html").read_text(encoding="utf-8")
    page = re.sub(r"<style>.*?</style>|<section id=\"provenance\">.*?</section>", "", page, flags=re.S)
    page = re.sub(r"<code>.*?</code>|<td class=\"quote\">.*?</td>|(?:文献|references): [^<]*", "", page)
    # a tag between two texts as a bar, as the Markdown's cells: a cell's "—" is no range
    page = html.unescape(re.sub(r"<[^>]+>", "|", re.sub(r"data:[^\"')]+", "", page)))
    md = (results / "report/report.md").read_text(encoding="utf-8")
    md = re.split(r"^## (?:来源与可复现信息|Provenance)$", md, flags=re.M)[0]
    md = re.sub(r"`[^`]*`|\| “[^”]*” \||(?:文献|references): .*$", "", md, flags=re.M)
    return {"report.html": page, "report.md": md}


def figure_texts(results: Path) -> dict[str, list[str]]:
    """Each SVG's drawn strings (matplotlib writes each beside its glyphs) and its title."""
    out = {}
    for svg in sorted((results / "figures").glob("*.svg")):
        text = svg.read_text(encoding="utf-8")
        out[svg.name] = [*re.findall(r"<!-- (.*?) -->", text), ET.fromstring(text.encode()).find(DC_TITLE).text]
    return out


def problems(texts_by_name: dict, language: str) -> list[str]:
    found = []
    for name, value in texts_by_name.items():
        for text in value if isinstance(value, list) else [value]:
            found += [f"{name}: {p}" for p in style_problems(str(text), language)]
    return found


# --------------------------------------------------------------------------------- the tests
def test_every_printed_output_is_in_the_style_of_its_edition(run):
    workdir, language = run
    results = workdir / "results"
    found = problems(table_files(results), language)
    found += problems({"tables.docx": docx_texts(results / "manuscript/tables.docx")}, language)
    strings, floats = xlsx_table_sheets(results / "manuscript/tables.xlsx", language)
    found += problems({"tables.xlsx": strings}, language)
    found += problems(report_text(results), language)
    found += problems(figure_texts(results), language)
    assert found == []
    # Excel keeps numbers and prints their minus through the format (typeset.spreadsheet_format)
    shown = {c.number_format for c in floats}
    assert shown and all(f'"{MINUS}"' in f.split(";")[1] for f in shown), shown
    # a negative β of Table A3 (its csv: hyphen-minus) printed with the true minus everywhere
    beta = (results / "tables/table_beta.csv").read_text(encoding="utf-8")
    layout = json.loads((results / "tables/table_beta.json").read_text(encoding="utf-8"))
    cell = next(c for row in layout["rows"] for c in row if c.startswith(MINUS))
    assert ",-" in beta and MINUS not in beta
    for name, text in (*report_text(results).items(), ("table_beta.md", table_files(results)["table_beta.md"])):
        assert cell.replace("*", "\\*" if name.endswith(".md") else "*") in text, name
    assert cell in docx_texts(results / "manuscript/tables.docx")
    # machine files keep the hyphen-minus
    for csv in [*(results / "tables").glob("*.csv"), *(results / "data").glob("*.csv")]:
        assert MINUS not in csv.read_text(encoding="utf-8"), csv.name


def figure_metadata(results: Path, key: str) -> set[str]:
    """The title of a figure's SVG and PNG."""
    with Image.open(results / f"figures/{key}.png") as png:
        title = png.info.get("Title")
    svg = ET.parse(results / f"figures/{key}.svg").getroot().find(DC_TITLE).text
    return {title, svg}


def test_one_name_per_figure_across_its_files_the_report_and_word(run):
    workdir, language = run
    results = workdir / "results"
    page = (results / "report/report.html").read_text(encoding="utf-8")
    md = (results / "report/report.md").read_text(encoding="utf-8")
    captions = dict(re.findall(r'<figure id="(\w+)">.*?<figcaption>(.*?)</figcaption>', page, re.S))
    assert set(captions) == set(FIGURE_TITLES)
    number = texts(language, "figures")["number.figure1_map"] + " "
    for key in FIGURE_TITLES:
        [title] = figure_metadata(results, key)  # SVG and PNG say the same
        caption = html.unescape(captions[key])
        assert caption == (number + title if key == "figure1_map" else title), key
        assert f"*{caption}*" in md
    word = [p.text for p in docx.Document(results / "manuscript/tables.docx").paragraphs]
    assert captions["figure1_map"] in word
    if language == "en":  # upgrade has one name in the English figures: "upgrade"
        drawn = " ".join(sum(figure_texts(results).values(), []))
        assert "upgrade" in captions["figure1_map"] and not re.search(r"upgrading indicator\b", drawn + page)


def test_notes_say_what_a_reader_needs(run):
    """No file path and no '(beyond the paper)' in any table, caption or figure title; a unit from
    the catalogue for every indicator of Table A2; one note paragraph under A2."""
    workdir, language = run
    results = workdir / "results"
    printed = {**table_files(results), "tables.docx": "\n".join(docx_texts(results / "manuscript/tables.docx"))}
    printed["tables.xlsx"] = "\n".join(xlsx_table_sheets(results / "manuscript/tables.xlsx", language)[0])
    for name, text in {**printed, **{k: "\n".join(v) for k, v in figure_texts(results).items()}}.items():
        assert not PATH_OR_SELF_NOTE.search(text), (name, PATH_OR_SELF_NOTE.search(text).group())
    layout = json.loads((results / "tables/table_trends.json").read_text(encoding="utf-8"))
    [note] = [n for n in layout["notes"] if n.startswith(("注：", "Note:"))]
    variables = list(dict.fromkeys(pd.read_csv(results / "tables/table_trends.csv")["variable"]))
    units = indicator_units(load_catalogue(workdir / "data/reference/indicators.yaml"), language)
    unit = texts(language, "tables.table_trends")["unit"]
    for v in variables:
        assert unit.format(variable=v, unit=units[v]) in note, v
    assert variables == indicator_columns(pd.read_csv(results / "data/indicators.csv"))


def test_the_reports_note_code_thresholds_and_counts(run):
    """Issue 26 point 8: Table A2's Stata command was shown with backticks in the HTML and with
    escaped backticks in the Markdown; the Chinese checks table had English thresholds; '1 files'."""
    workdir, language = run
    results = workdir / "results"
    page = (results / "report/report.html").read_text(encoding="utf-8")
    md = (results / "report/report.md").read_text(encoding="utf-8")
    notes = re.findall(r'<p class="note">(.*?)</p>', page, re.S)
    [a2] = [n for n in notes if "vce(cluster code)" in n]
    assert "<code>regress y t i.code, vce(cluster code)</code>" in a2 and "`" not in a2
    assert "`regress y t i.code, vce(cluster code)`" in md and "\\`" not in md
    checks = re.search(r'<table id="data-checks">.*?</table>', page, re.S).group()
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>.*?</td><td class=\"num\">(.*?)</td>", checks)
    assert len(rows) >= 10
    for check, threshold, examined in rows:
        if language == "zh":  # Chinese words, numbers and formulas: no English word but GDP and HTML
            assert not re.search(r"[A-Za-z]{3,}", re.sub(r"GDP|HTML", "", threshold)), (check, threshold)
            assert re.fullmatch(r"\d+ (个|对)\S+", examined), examined
        else:
            n, noun = examined.split(" ", 1)
            assert noun.endswith("s") != (n == "1") or noun == "year-series", examined
    assert not re.search(r"\b1 (files|cells|province-years|year pairs)\b", page + md)
