"""Write the shipped demo extract, data/raw/demo/eps_demo.csv: synthetic numbers, EPS long layout.

A fixture of the tests and benchmarks only (the default run uses the shipped public data,
data/raw/public/). Its numbers are made up (a seeded pseudo-random walk of GDP and sector shares
per province), shaped like a real export: GB18030, CRLF, header 指标,地区,时间,数值, rows for all 31 provinces plus the national
total 全国, and a non-data footer. Years come from config.yaml. Deterministic: rerunning rewrites
the same bytes (Python's random.Random is stable across versions for a given seed).

    python tools/make_demo.py              # regenerate
"""

import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "raw" / "demo" / "eps_demo.csv"
SEED = 1202
SERIES = [
    ("gdp", "地区生产总值（亿元）"),
    ("primary", "第一产业增加值（亿元）"),
    ("secondary", "第二产业增加值（亿元）"),
    ("tertiary", "第三产业增加值（亿元）"),
]
FOOTER = ["数据来源：演示数据，由 tools/make_demo.py 合成，不是统计数据", "版权声明：合成数据，可自由使用"]


def demo_rows(provinces: list[tuple[str, str]], years: range, seed: int = SEED) -> list[tuple[str, str, int, float]]:
    """(indicator, region, year, value) rows of a synthetic balanced panel plus the national sum."""
    rng = random.Random(seed)
    rows, national = [], {}
    for code, name in provinces:
        gdp = rng.uniform(400, 9000)
        primary = 0.01 if code == "110000" else rng.uniform(0.04, 0.25)
        tertiary = 0.72 if code == "110000" else rng.uniform(0.30, 0.50)
        for year in years:
            secondary = 1 - primary - tertiary
            levels = {"gdp": gdp, "primary": gdp * primary, "secondary": gdp * secondary, "tertiary": gdp * tertiary}
            for key, label in SERIES:
                rows.append((label, name, year, round(levels[key], 2)))
                national[(label, year)] = national.get((label, year), 0.0) + round(levels[key], 2)
            gdp *= 1 + rng.uniform(0.03, 0.12)
            primary = max(0.005, primary - rng.uniform(0.0, 0.006))
            tertiary = min(0.85, tertiary + rng.uniform(0.0, 0.015))
    rows.sort(key=lambda r: [label for _, label in SERIES].index(r[0]))  # EPS groups by indicator
    rows += [(label, "全国", year, round(national[(label, year)], 2)) for _, label in SERIES for year in years]
    return rows


def render(rows, footer=FOOTER) -> bytes:
    lines = ["指标,地区,时间,数值"] + [f"{i},{r},{y},{v:.2f}" for i, r, y, v in rows] + footer
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def main() -> None:
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    years = range(config["years"]["start"], config["years"]["end"] + 1)
    sys.path.insert(0, str(ROOT))
    from upgrade_repro.regions import load_regions

    regions = load_regions(ROOT / "data" / "reference" / "provinces.csv")
    mainland = regions[regions["mainland"]]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(render(demo_rows(list(zip(mainland["code"], mainland["name_short"])), years)))
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
