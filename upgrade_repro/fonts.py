"""CJK glyphs in matplotlib: register Noto Sans CJK SC, shipped by the PyPI package mplfonts.

Without it matplotlib's default DejaVu Sans draws Chinese labels as empty boxes. The font comes
from an installed package, so figures need no system font and no network.
"""

from importlib.resources import files

FONT_FILE = "NotoSansCJKsc-Regular.otf"


def cjk_font_path() -> str:
    """The font file (also embedded, as a subset, in the HTML report)."""
    return str(files("mplfonts") / "fonts" / FONT_FILE)


def use_cjk_font() -> str:
    """Register the font and make it matplotlib's sans-serif default; returns its family name."""
    import matplotlib  # here: the report imports this module for the font path only
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, *matplotlib.rcParams["font.sans-serif"]]
    # Draw axis minus signs as ASCII hyphens, which every font has (not all CJK fonts have U+2212).
    matplotlib.rcParams["axes.unicode_minus"] = False
    # The font has CFF outlines: matplotlib's Type 42 PDF embedding of those shows no glyphs in
    # some viewers (MuPDF), while Type 3 draws each glyph used and keeps the text searchable.
    matplotlib.rcParams["pdf.fonttype"] = 3
    return name
