"""Write the shipped public default data, data/raw/public/nbs_gdp_composition_2008_2022.csv, from
the public source file gdpDataByYear.json (see data/raw/public/README.md for its provenance).

The file keeps the numbers as the source gives them: provincial GDP (亿元) and the three-sector
composition (% of GDP), for the 31 provinces and the national row (中国), 2008-2022. Sector levels
are NOT computed here: the workflow's reader does that (upgrade_repro/ingest/layouts.py, layout `composition`).
Rows are ordered by region code (the national row first), then year; numbers are written exactly as
the JSON holds them (Python's shortest repr of each float). Deterministic: rerunning writes the
same bytes (a test checks this when the JSON is at hand).

    python tools/make_public_data.py [path/to/gdpDataByYear.json]
    # default: ../shared/data/source/gdpDataByYear.json beside the repository
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "source" / "gdpDataByYear.json"
OUT = ROOT / "data" / "raw" / "public" / "nbs_gdp_composition_2008_2022.csv"
# The years shipped are those the file's name states: the years of the source checked against the
# first-published yearbooks (earlier ones are of unknown vintage).
_FIRST, _LAST = map(int, re.search(r"(\d{4})_(\d{4})$", OUT.stem).groups())
YEARS = range(_FIRST, _LAST + 1)
NATIONAL = "中国"
SECTORS = ("第一产业", "第二产业", "第三产业")
HEADER = ["地区", "年份", "地区生产总值（亿元）", "第一产业比重（%）", "第二产业比重（%）", "第三产业比重（%）"]


def region_order(provinces_csv: Path) -> dict[str, int]:
    """Full province name -> its rank in GB/T 2260 code order; the national row first."""
    import csv

    with open(provinces_csv, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["mainland"] == "true"]
    order = {r["name_full"]: i + 1 for i, r in enumerate(sorted(rows, key=lambda r: r["code"]))}
    order[NATIONAL] = 0
    return order


def number(value) -> str:
    """A JSON number as written there: 36102.55, 41.0, 26 (never a lost or added decimal)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"not a number: {value!r}")
    return repr(value)


def public_rows(source: dict, order: dict[str, int], years=YEARS) -> list[list[str]]:
    """One row per region and year: name, year, GDP, the three shares, as the source gives them.
    Fails on a region outside `order`, a missing region or sector, or a duplicate."""
    rows = []
    for year in years:
        entry = source[str(year)]
        gdp = {}
        for item in entry["map"]:
            if item["name"] in gdp:
                raise ValueError(f"{year}: {item['name']} twice in map")
            gdp[item["name"]] = item["value"]
        shares = {}
        for item in entry["pie"]:
            by_sector = {v["name"]: v["value"] for v in item["value"]}
            if sorted(by_sector) != sorted(SECTORS) or item["name"] in shares:
                raise ValueError(f"{year}: {item['name']}: sectors {sorted(by_sector)}")
            shares[item["name"]] = [by_sector[s] for s in SECTORS]
        if set(gdp) != set(order) or set(shares) != set(order):
            raise ValueError(
                f"{year}: regions differ from the 31 provinces + {NATIONAL}: "
                f"{sorted(set(gdp) ^ set(order))} {sorted(set(shares) ^ set(order))}"
            )
        rows += [[name, str(year), number(gdp[name]), *map(number, shares[name])] for name in gdp]
    return sorted(rows, key=lambda r: (order[r[0]], int(r[1])))


def render(rows: list[list[str]]) -> bytes:
    """UTF-8 with a BOM (so that Excel opens the Chinese text right), LF line ends."""
    return "\ufeff".encode() + "".join(",".join(r) + "\n" for r in [HEADER, *rows]).encode("utf-8")


def build(source_json: Path) -> bytes:
    source = json.loads(Path(source_json).read_text(encoding="utf-8"))
    return render(public_rows(source, region_order(ROOT / "data" / "reference" / "provinces.csv")))


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build(source))
    print(f"wrote {OUT.relative_to(ROOT)} from {source}")


if __name__ == "__main__":
    main()
