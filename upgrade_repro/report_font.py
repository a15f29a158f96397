"""The report's CJK font: a subset of the font the figures use (mplfonts' Noto Sans CJK SC, SIL
OFL), embedded in the HTML so that Chinese renders with real glyphs on a machine without CJK
fonts. Made once (rule report_font) from every character the report can contain, so that new data
reuse it; the report then checks that its visible text needs no glyph outside it."""

import base64
import functools
import io
import string
from pathlib import Path

from upgrade_repro.errors import InputError
from upgrade_repro.fonts import cjk_font_path

CJK_FONT_FAMILY = "Report CJK"
# The name records a subset keeps: fontTools' default (family, style, version, full and PostScript
# names, copyright: 0-6) plus the trademark (7) and the licence notice and its URL (13, 14), which the
# SIL Open Font License asks every copy of the font, a subset included, to carry.
NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 7, 13, 14)
# Digits, Latin letters and punctuation: data values, file names and versions use any of them.
ALWAYS = string.printable


def cjk_font_face(text: str) -> str:
    """@font-face with the glyphs of `text` from the CJK font, as an inline OpenType data URI.
    Deterministic: same text, same bytes (the font's timestamp is kept, not recalculated).
    The font-wide bounding boxes (head, hhea, vhea, CFF FontBBox) are kept too, as fontTools'
    pyftsubset keeps them by default: recomputing them from every glyph's outline took half of
    the rule's time, and no glyph, advance or line metric (ascender, descender, line gap)
    depends on them."""
    return _font_face("".join(sorted(set(text))))


@functools.lru_cache(maxsize=16)
def _font_face(characters: str) -> str:
    """cjk_font_face of the sorted distinct `characters`: kept per process (a process that renders
    several reports, such as the verifier's two languages, subsets each character set once)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    buffer = io.BytesIO()
    # Closed when done: a lazily read font keeps its file open (a ResourceWarning when collected).
    with TTFont(cjk_font_path(), recalcTimestamp=False, recalcBBoxes=False, lazy=True) as font:
        subsetter = subset.Subsetter(subset.Options(name_IDs=list(NAME_IDS)))
        subsetter.populate(text=characters)
        subsetter.subset(font)
        font.save(buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'@font-face {{ font-family: "{CJK_FONT_FAMILY}"; '
        f'src: url(data:font/otf;base64,{encoded}) format("opentype"); }}'
    )


def config_strings(node) -> str:
    """Every string (keys and values) of a nested config, concatenated."""
    if isinstance(node, dict):
        return "".join(str(k) + config_strings(v) for k, v in node.items())
    if isinstance(node, (list, tuple)):
        return "".join(config_strings(v) for v in node)
    return node if isinstance(node, str) else ""


def report_characters(paths, extra: str = "") -> str:
    """The sorted distinct characters of the files (whole text, comments included), `extra` and
    ALWAYS: what the report can show, apart from data that none of them holds."""
    text = "".join(Path(p).read_text(encoding="utf-8") for p in paths) + extra + ALWAYS
    return "".join(sorted(c for c in set(text) if not c.isspace()))


def font_data(css: str) -> bytes:
    """The font file embedded in `css` (a cjk_font_face: the first base64 data URI)."""
    return base64.b64decode(css.split("base64,", 1)[1].split(")", 1)[0])


def font_characters(css: str) -> str:
    """The characters the subset embedded in `css` (a cjk_font_face) has glyphs for."""
    from fontTools.ttLib import TTFont

    return "".join(sorted(chr(c) for c in TTFont(io.BytesIO(font_data(css))).getBestCmap()))


def check_font_coverage(text: str, covered: str, font_file: str) -> None:
    """Stop when `text` (the report's visible text) has a character the font subset has no glyph
    for: a browser without a CJK font would show it as an empty box."""
    have = set(covered)
    missing = sorted({c for c in text if not c.isspace() and c not in have})
    if missing:
        raise InputError(
            f"the report shows {len(missing)} character(s) without a glyph in the static font subset: "
            + " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:40])
            + (" ..." if len(missing) > 40 else "")
            + "; they are in none of the subset's sources (report templates, text catalogue, region "
            "tables, indicator catalogue, config strings), or the font lacks them. Add them to one "
            "of those sources (e.g. a comment in upgrade_repro/texts.yaml) so that rule report_font "
            "covers them",
            file=font_file,
        )
