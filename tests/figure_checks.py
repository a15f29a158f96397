"""What a printed figure must satisfy (issue 26 point 5), read from the figure as matplotlib draws
it: every text it draws, with its extent from the renderer (tick labels of the ticks shown only),
checked for its size in points, for lying inside the figure (and inside its clip box, if clipped),
and for overlapping no other text. Used by the fast tests of every figure (tests/fast/test_figures.py,
test_figure_map.py, test_figure_map_labels.py)."""

from itertools import combinations
from unittest.mock import patch

from matplotlib.text import Text

from upgrade_repro.figures import CM_PER_IN, MIN_FONT_PT

JOURNAL_WIDTH_CM = 17.0  # the widest a journal prints a figure
EPS = 0.5  # pixels: what two computations of one edge may differ by


def drawn_texts(fig, dpi: float | None = None) -> list:
    """(Text, extent in pixels) of every text `fig` draws at `dpi` (default its own), in drawing order."""
    if dpi is not None:
        fig.set_dpi(dpi)
    seen = []
    draw = Text.draw

    def record(text, renderer):
        draw(text, renderer)
        if text.get_visible() and text.get_text().strip():
            seen.append((text, text.get_window_extent(renderer)))

    with patch.object(Text, "draw", record):
        fig.draw_without_rendering()
    return seen


def inside(box, frame, eps=EPS) -> bool:
    return (
        box.x0 >= frame.x0 - eps and box.y0 >= frame.y0 - eps and box.x1 <= frame.x1 + eps and box.y1 <= frame.y1 + eps
    )


def overlap(a, b, eps=EPS) -> bool:
    """Whether two extents share more than their edges."""
    return a.x0 < b.x1 - eps and b.x0 < a.x1 - eps and a.y0 < b.y1 - eps and b.y0 < a.y1 - eps


def text_problems(fig, dpi: float | None = None, min_pt: float = MIN_FONT_PT, drawn=None) -> list[str]:
    """What is wrong with the texts of `fig` as drawn at `dpi`: below `min_pt`, cut by the
    figure's edge or its clip box, overlapping another text. Empty when it prints. `drawn`: the
    figure's drawn_texts at `dpi` when the caller has them already (not drawn again)."""
    drawn = drawn_texts(fig, dpi) if drawn is None else drawn
    problems = []
    for text, box in drawn:
        name = repr(text.get_text())
        if text.get_fontsize() < min_pt - 1e-9:
            problems.append(f"{name} is {text.get_fontsize():g} pt, below {min_pt:g} pt")
        if not inside(box, fig.bbox):
            problems.append(f"{name} is cut by the figure's edge ({box} outside {fig.bbox})")
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is not None and not inside(box, clip):
            problems.append(f"{name} is cut by its clip box")
    for (a, box_a), (b, box_b) in combinations(drawn, 2):
        if overlap(box_a, box_b):
            problems.append(f"{a.get_text()!r} overlaps {b.get_text()!r}")
    return problems


def width_cm(fig) -> float:
    return fig.get_size_inches()[0] * CM_PER_IN


def smallest_font_pt(fig) -> float:
    return min(text.get_fontsize() for text, _ in drawn_texts(fig))
