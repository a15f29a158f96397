"""CJK glyphs in matplotlib: Noto Sans CJK SC, shipped by the PyPI package mplfonts, used by its file.

Without it matplotlib's default DejaVu Sans draws Chinese labels as empty boxes. The font comes
from an installed package, so figures need no system font and no network; and it is registered
under a family name of its own (FAMILY), so that a machine with its own "Noto Sans CJK SC" (Debian's
fonts-noto-cjk, another version of the font) draws the same figures, byte for byte: matplotlib
resolves a family name to whichever file of that name it listed first.
"""

import dataclasses
from importlib.util import find_spec
from pathlib import Path

FONT_FILE = "NotoSansCJKsc-Regular.otf"
# Matched by name only, and no installed font is called this.
FAMILY = "UpgradeRepro Noto Sans CJK SC"


def cjk_font_path() -> str:
    """The font file (also embedded, as a subset, in the HTML report). Found from mplfonts' package
    folder without importing mplfonts, whose __init__ imports matplotlib (0.25 s): the report's
    font rule draws nothing."""
    return str((Path(find_spec("mplfonts").submodule_search_locations[0]) / "fonts" / FONT_FILE).resolve())


def register_cjk_font() -> str:
    """Make the packaged font file known to matplotlib as FAMILY (once); returns FAMILY."""
    from matplotlib import font_manager, ft2font  # here: the report imports this module for the path only

    manager = font_manager.fontManager
    if not any(entry.name == FAMILY for entry in manager.ttflist):
        entry = font_manager.ttfFontProperty(ft2font.FT2Font(cjk_font_path()))
        # matplotlib caches its lookups by family name and font settings: none named FAMILY
        # before this line, so no cached answer is stale.
        manager.ttflist.append(dataclasses.replace(entry, name=FAMILY))
    return FAMILY


def use_cjk_font() -> str:
    """Register the font and make it matplotlib's sans-serif default; returns its family name."""
    import matplotlib

    name = register_cjk_font()
    matplotlib.rcParams["font.family"] = "sans-serif"
    others = [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    matplotlib.rcParams["font.sans-serif"] = [name, *others]
    # Axis minus signs as U+2212, the printed minus of both editions (upgrade_repro/typeset.py): the
    # packaged font has the glyph (tests/fast/test_typeset.py checks).
    matplotlib.rcParams["axes.unicode_minus"] = True
    # The font has CFF outlines: matplotlib's Type 42 PDF embedding of those shows no glyphs in
    # some viewers (MuPDF), while Type 3 draws each glyph used and keeps the text searchable.
    matplotlib.rcParams["pdf.fonttype"] = 3
    return name
