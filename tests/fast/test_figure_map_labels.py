"""Figure 1's names (issue 26 point 6), in both editions, checked from the drawn figure's own data.

Everything is read back from the figure as matplotlib draws it, in display coordinates (pixels):
each name's extent from the renderer, each region's shape and the national border from their
patches, the maritime line and the leaders from their lines, the inset, legend and other texts
from their extents. Every name (not a few named ones) is then checked against the rules:

- it sits inside its own region, or beside it with a leader line from inside the region to it;
- a name beside its region could not have been inside it (no place tried inside is free), and its
  leader crosses no other name and no more regions than the leader of any free place tried
  (figure_map.leader_candidates: the places the map tries, evaluated here independently);
- no two names overlap; no name overlaps the legend, the inset or another text, nor crosses the
  national border or the maritime line; every name is inside the map's frame;
- the inset's title lies inside the inset's frame, clear of its land and lines.

Then the placement itself on small maps whose answer is known by hand.
"""

from itertools import combinations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import shapely
import yaml
from conftest import ROOT
from figure_checks import text_problems, width_cm
from shapely.geometry import box
from shapely.ops import polylabel

from upgrade_repro import figure_map, prepare_boundaries
from upgrade_repro.clean import build_panel
from upgrade_repro.figures import MAP_WIDTH_CM, figure_notes, tier_names, year_span
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.ingest.extracts import read_extracts
from upgrade_repro.province_means import province_means, rank_and_tier
from upgrade_repro.regions import display_names, load_regions

CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
FIGURE = CONFIG["figure"]
EPS = 0.5  # pixels: what two computations of one edge may differ by


# ------------------------------------------------------------------------------ the two maps
@pytest.fixture(scope="module")
def inputs():
    """The default run's map inputs (the shipped public data), through the workflow's functions."""
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    aggregates = pd.read_csv(ROOT / "data/reference/aggregates.csv", dtype=str)
    panel = build_panel(
        read_extracts([ROOT / p for p in CONFIG["raw"]]),
        regions,
        aggregates,
        CONFIG["exclude_regions"],
        CONFIG["years"],
    )
    indicators = compute_indicators(panel)
    means = rank_and_tier(province_means(indicators), FIGURE["tiers"])
    boundaries = prepare_boundaries.simplify_boundaries(
        prepare_boundaries.load_boundaries(regions["code"]), FIGURE["simplify_km"] * 1000
    )
    maritime = prepare_boundaries.load_maritime_line().to_crs(boundaries.crs)
    return regions, indicators, means, boundaries, maritime


def draw(inputs, language, on_canvas=True):
    regions, indicators, means, boundaries, maritime = inputs
    use_cjk_font()
    names = display_names(regions, language)
    table = figure_map.map_table(regions, means, boundaries, FIGURE["tiers"], FIGURE["no_data"], names)
    notes = figure_notes(year_span(indicators, language), False, language=language)
    tiers = tier_names(FIGURE["tiers"], language)
    fig = figure_map.draw_map(
        table, maritime, FIGURE["tiers"], FIGURE["no_data"], None, notes, language=language, tier_names=tiers
    )
    if on_canvas:
        fig.canvas.draw()
    return fig, names


@pytest.fixture(scope="module", params=["zh", "en"])
def drawn(request, inputs):
    fig, names = draw(inputs, request.param)
    yield Drawn(fig, names, request.param)
    plt.close(fig)


# ------------------------------------------------------------- the figure's data, in pixels
def rings_to_shape(path):
    """A (multi)polygon from a patch's path in display coordinates: counter-clockwise rings are
    outlines, clockwise ones holes (figure_map.geometry_path orients them so)."""
    outer, holes = [], []
    for ring in path.to_polygons():
        if len(ring) < 4:
            continue
        x, y = ring[:, 0], ring[:, 1]
        signed = np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])
        (outer if signed > 0 else holes).append(shapely.polygons(ring))
    return shapely.difference(shapely.union_all(outer), shapely.union_all(holes))


def extent(artist, renderer):
    b = artist.get_window_extent(renderer)
    return np.array([b.x0, b.y0, b.x1, b.y1])


def grown(rect, by):
    return np.array([rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by])


def as_box(rect):
    return box(*rect)


class Drawn:
    """What the figure shows, read from its artists, in display coordinates."""

    def __init__(self, fig, names, language):
        self.fig, self.names, self.language = fig, names, language
        ax = self.ax = fig.axes[0]
        renderer = self.renderer = fig.canvas.get_renderer()
        self.px_per_pt = fig.dpi / 72
        self.pad = figure_map.LABEL_PAD_PT * self.px_per_pt
        gid = lambda a: a.get_gid() or ""  # noqa: E731
        self.texts = {gid(t)[5:]: t for t in ax.texts if gid(t).startswith("label")}
        self.labels = {code: extent(t, renderer) for code, t in self.texts.items()}
        self.leaders = {
            gid(line)[6:]: line.get_transform().transform(line.get_xydata())
            for line in ax.lines
            if gid(line).startswith("leader")
        }
        self.regions = {
            gid(p)[4:]: rings_to_shape(p.get_transform().transform_path(p.get_path()))
            for p in ax.patches
            if gid(p)[4:].isdigit() and gid(p).startswith("main")
        }
        (outline,) = [p for p in ax.patches if gid(p) == "mainoutline"]
        border = shapely.boundary(rings_to_shape(outline.get_transform().transform_path(outline.get_path())))
        maritime = [
            shapely.linestrings(line.get_transform().transform(line.get_xydata()))
            for line in ax.lines
            if not gid(line).startswith("leader")
        ]
        self.barrier = shapely.union_all([border, *maritime])
        (self.inset,) = ax.child_axes
        self.inset_frame = extent(self.inset, renderer)
        others = [ax.get_legend(), self.inset, *(t for t in ax.texts if not gid(t).startswith("label"))]
        others += [p for p in ax.patches if p.get_gid() is None]  # the scale bar
        self.blocked = np.array([extent(a, renderer) for a in others])
        self.frame = np.array([ax.bbox.x0, ax.bbox.y0, ax.bbox.x1, ax.bbox.y1])
        x0, x1 = ax.get_xlim()
        self.metres_per_pt = (x1 - x0) / (ax.bbox.width / self.px_per_pt)
        self.to_display = ax.transData.transform
        self.tree = shapely.STRtree(list(self.regions.values()))
        self.codes = list(self.regions)

    def padded(self, code):
        return grown(self.labels[code], self.pad)

    def crossings(self, code, leader) -> int:
        """Regions other than `code`'s whose inside the leader runs through, except the region its
        end lies in (the name's)."""
        line = shapely.linestrings(leader)
        end = shapely.points(leader[-1])
        return sum(
            1
            for k in self.tree.query(line, predicate="crosses")
            if self.codes[k] != code and not self.regions[self.codes[k]].intersects(end)
        )

    def free(self, code, rect, leader=None, tolerance=EPS) -> str | None:
        """Why a name of `code` could not be at `rect` (its padded box) with `leader`, or None.
        A positive `tolerance` (pixels) judges strictly (for a place tried: a place at the edge
        of a rule is not free), a negative one leniently (for the place drawn)."""
        r = grown(rect, tolerance)
        if r[0] < self.frame[0] or r[1] < self.frame[1] or r[2] > self.frame[2] or r[3] > self.frame[3]:
            return "out of the frame"
        others = {c: self.padded(c) for c in self.labels if c != code}
        for c, other in others.items():
            if figure_map.overlaps_any(r[None, :], other).any():
                return f"over the name of {self.names[c]}"
        if figure_map.overlaps_any(r[None, :], self.blocked).any():
            return "over the legend, the inset or a text"
        shape = as_box(r)
        if self.barrier.intersects(shape):
            return "across the national border or the maritime line"
        if leader is None:
            return None
        if self.regions[code].distance(shape) < figure_map.LEADER_GAP_PT * self.px_per_pt:
            return "too close to its region"
        line = shapely.linestrings(leader)
        if tolerance > 0:
            line = shapely.buffer(line, tolerance)
        boxes = [as_box(grown(b, min(tolerance, 0))) for b in [*others.values(), *self.blocked]]
        if line.intersects(shapely.union_all(boxes)):
            return "leader across a name, the legend, the inset or a text"
        if any(line.intersects(shapely.linestrings(v)) for c, v in self.leaders.items() if c != code):
            return "leader across another leader"
        return None


# ---------------------------------------------------------------------------- every name
def test_every_region_is_named_once(drawn):
    assert set(drawn.labels) == set(drawn.regions) and len(drawn.labels) == 34
    for code, text in drawn.texts.items():
        assert text.get_text() == drawn.names[code]


def test_no_name_overlaps_another_or_crosses_a_border(drawn):
    problems = []
    for (a, ra), (b, rb) in combinations(drawn.labels.items(), 2):
        if figure_map.overlaps_any(ra[None, :], rb).any():
            problems.append(f"{drawn.names[a]} overlaps {drawn.names[b]}")
    for code, rect in drawn.labels.items():
        name = drawn.names[code]
        if not (drawn.frame[0] <= rect[0] and drawn.frame[1] <= rect[1]):
            problems.append(f"{name} leaves the map's frame")
        if not (rect[2] <= drawn.frame[2] and rect[3] <= drawn.frame[3]):
            problems.append(f"{name} leaves the map's frame")
        if figure_map.overlaps_any(rect[None, :], drawn.inset_frame).any():
            problems.append(f"{name} crosses the inset's frame")
        elif figure_map.overlaps_any(rect[None, :], drawn.blocked).any():
            problems.append(f"{name} lies over the legend, the scale bar or a text")
        if drawn.barrier.intersects(as_box(rect)):
            problems.append(f"{name} crosses the national border or the maritime line")
    assert not problems, "\n".join(problems)


def test_each_name_is_inside_its_region_or_led_to_from_it(drawn):
    problems = []
    inside = [c for c in drawn.labels if c not in drawn.leaders]
    for code in inside:
        if not drawn.regions[code].contains(as_box(drawn.labels[code])):
            problems.append(f"{drawn.names[code]} leaves its region, with no leader")
    for code, leader in drawn.leaders.items():
        name = drawn.names[code]
        if not drawn.regions[code].contains(shapely.points(leader[0])):
            problems.append(f"{name}'s leader starts outside its region")
        # The leader ends on the name's white ground, and crosses no other name or leader.
        ground = drawn.padded(code)
        if as_box(ground).boundary.distance(shapely.points(leader[-1])) > EPS:
            problems.append(f"{name}'s leader does not end at the edge of its name")
        why = drawn.free(code, ground, leader, tolerance=-EPS)
        if why:
            problems.append(f"{name}: {why}")
    assert not problems, "\n".join(problems)
    # The default map: most names inside, the small regions' beside (both editions).
    assert len(inside) >= 20 and {"110000", "810000", "820000"} <= set(drawn.leaders)


def test_a_name_beside_its_region_has_no_place_inside_it(drawn):
    """None of the places the map tries inside a region (figure_map.inside_candidates) holds the name
    of a region named beside it."""
    to_data = drawn.metres_per_pt / drawn.px_per_pt
    margin = figure_map.INSIDE_MARGIN_PT * drawn.px_per_pt
    problems = []
    for code in drawn.leaders:
        rect = drawn.labels[code]
        half_w, half_h = (rect[2] - rect[0]) / 2, (rect[3] - rect[1]) / 2
        # The region as drawn, in the map's coordinates (its patch's path).
        patch = next(p for p in drawn.ax.patches if p.get_gid() == f"main{code}")
        region = rings_to_shape(patch.get_path())
        centres = figure_map.inside_candidates(region, half_w * to_data, half_h * to_data, drawn.metres_per_pt)
        for centre in drawn.to_display(centres):
            place = np.array([centre[0] - half_w, centre[1] - half_h, centre[0] + half_w, centre[1] + half_h])
            fits = drawn.regions[code].contains(as_box(grown(place, margin + EPS)))
            if fits and drawn.free(code, grown(place, drawn.pad)) is None:
                problems.append(f"{drawn.names[code]} fits inside its region at {centre} but is beside it")
                break
    assert not problems, "\n".join(problems)


def test_each_leader_crosses_the_fewest_regions(drawn):
    """Among the places the map tries for a name beside its region (figure_map.leader_candidates), none
    free gives a leader across fewer regions than the one drawn; and the drawn one is one of them."""
    problems, crossed = [], {}
    for code, leader in drawn.leaders.items():
        name = drawn.names[code]
        rect = drawn.padded(code)
        half_w, half_h = (rect[2] - rect[0]) / 2, (rect[3] - rect[1]) / 2
        anchor_data = drawn.ax.transData.inverted().transform(leader[:1])[0]
        centres = drawn.to_display(figure_map.leader_candidates(anchor_data, drawn.metres_per_pt))
        centre = np.array([(rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2])
        if np.hypot(*(centres - centre).T).min() > EPS:
            problems.append(f"{name} is at no place the map tries")
        crossed[name] = drawn.crossings(code, leader)
        if crossed[name] == 0:
            continue  # none can cross fewer
        ends = figure_map.leader_ends(leader[0], centres, half_w, half_h)
        fewest = None
        for c, end in zip(centres, ends, strict=True):
            if np.isnan(end[0]):
                continue
            candidate = np.array([c[0] - half_w, c[1] - half_h, c[0] + half_w, c[1] + half_h])
            line = np.array([leader[0], end])
            if drawn.free(code, candidate, line) is None:
                n = drawn.crossings(code, line)
                fewest = n if fewest is None else min(fewest, n)
        if fewest is not None and fewest < crossed[name]:
            problems.append(f"{name}'s leader crosses {crossed[name]} regions; a free place needs {fewest}")
    assert not problems, "\n".join(problems)
    assert crossed  # the small regions have leaders


def test_the_inset_title_is_inside_the_inset_and_clear(drawn):
    (title,) = drawn.inset.texts
    rect = extent(title, drawn.renderer)
    frame = drawn.inset_frame
    assert frame[0] < rect[0] and rect[2] < frame[2] and frame[1] < rect[1] and rect[3] < frame[3], title.get_text()
    shapes = figure_map.display_shapes(drawn.inset)
    assert not shapely.intersects(np.array(shapes), as_box(rect)).any(), "the inset's title covers land or a line"


def test_every_text_prints_at_the_map_width(drawn):
    """Issue 26 point 5: the map as tables.docx prints it (at figures.MAP_WIDTH_CM), in both
    editions: every text at least 6 pt, none cut by the figure's edge nor over another."""
    assert width_cm(drawn.fig) == pytest.approx(MAP_WIDTH_CM)
    dpi = drawn.fig.dpi
    try:
        assert text_problems(drawn.fig, FIGURE["dpi"]) == []
    finally:
        drawn.fig.set_dpi(dpi)


def test_the_placement_is_deterministic(inputs, drawn):
    """Drawn again, every name and leader is at the same place, to the bit."""

    def places(fig):
        ax = fig.axes[0]
        found = {t.get_gid(): t.get_position() for t in ax.texts if t.get_gid()}
        return found | {line.get_gid(): line.get_xydata().tobytes() for line in ax.lines if line.get_gid()}

    again, _ = draw(inputs, drawn.language, on_canvas=False)
    assert len(places(again)) > 34 and places(again) == places(drawn.fig)
    plt.close(again)


# ---------------------------------------------------------------- small maps, known by hand
def by_hand(shapes: dict, sizes: dict):
    """label_positions on regions {code: shape}, in points (1 map unit = 1 pt), names of the
    given (width, height), in a frame from -100 to 100, nothing else on the map."""
    table = gpd.GeoDataFrame({"code": list(shapes), "province": list(shapes)}, geometry=list(shapes.values()))
    positions = figure_map.label_positions(table, sizes, 1.0, (-100, -100, 100, 100), blocked=np.empty((0, 4)))
    return positions.set_index("code")


def test_a_name_goes_where_it_fits_inside_not_only_at_the_pole():
    # An L: a long tall arm (10 wide) and a long low arm (10 high). A name 40 x 6 fits only in
    # the low arm; the pole of inaccessibility lies in the tall one.
    ell = shapely.union(box(-90, -90, -80, 90), box(-90, -90, 50, -80))
    pole = polylabel(ell, tolerance=1)
    assert not ell.contains(box(pole.x - 20, pole.y - 3, pole.x + 20, pole.y + 3))
    got = by_hand({"L": ell}, {"L": (40, 6)}).loc["L"]
    assert np.isnan(got.anchor_x)  # inside, no leader
    m = figure_map.INSIDE_MARGIN_PT
    assert ell.contains(box(got.x - 20 - m, got.y - 3 - m, got.x + 20 + m, got.y + 3 + m))
    assert -90 < got.y < -80  # in the low arm


def test_a_leader_avoids_a_region_even_when_crossing_it_is_nearer():
    # A, a flat diamond 24 x 6 (too small for its 20 x 6 name), lies near the bottom of the frame
    # in the band B; 0.5 pt above A a thin strip C (its own name fits in its bulge, far east) runs
    # across the map, E above it. Below A there is no room (the frame). The nearest free places
    # are above A, with a leader of about 5 pt across C; the name goes beside A instead, over B,
    # with a longer leader that crosses no region.
    a = shapely.Polygon([(-12, -92), (0, -89), (12, -92), (0, -95)])
    c = shapely.union(box(-100, -88.5, 100, -87.1), box(80, -88.5, 100, -80))
    e = box(-100, -87.1, 100, 100).difference(c)
    # (B's top edge has C's corner at x = 80 too: the regions share their edges, as a map's do.)
    b = shapely.Polygon([(-100, -100), (100, -100), (100, -88.5), (80, -88.5), (-100, -88.5)]).difference(a)
    got = by_hand({"A": a, "B": b, "C": c, "E": e}, {"A": (20, 6), "B": (2, 2), "C": (0.5, 0.5), "E": (2, 2)})
    assert got["anchor_x"].notna().tolist() == [True, False, False, False]  # A alone beside
    row = got.loc["A"]
    leader = shapely.LineString([(row.anchor_x, row.anchor_y), (row.end_x, row.end_y)])
    assert leader.coords[0] == pytest.approx((0, -92), abs=0.1)  # A's pole
    assert not leader.intersects(c) and b.contains(shapely.Point(leader.coords[-1]))
    # The leader ends on the edge of the name's white ground (its box and LABEL_PAD_PT around
    # it), which keeps LEADER_GAP_PT from A.
    half_w, half_h = 10 + figure_map.LABEL_PAD_PT, 3 + figure_map.LABEL_PAD_PT
    name = box(row.x - half_w, row.y - half_h, row.x + half_w, row.y + half_h)
    assert name.distance(a) >= figure_map.LEADER_GAP_PT
    assert name.exterior.distance(shapely.Point(leader.coords[-1])) < 1e-9
    assert leader.length > 12  # beside A, not above it
