"""Synthetic EPS long extracts at paper, city and county scale, for the benchmarks.

Each scale gets, in <out>/<scale>/:
    eps.csv      EPS long layout as exported: GB18030, CRLF, header 指标,地区,时间,数值, one row per
                 value, the national total 全国 (an aggregate the clean stage drops), footer lines
    eps.xlsx     the same rows in one sheet (header, rows, footer lines in column A)
    codes.csv    city and county only: the code table the user would supply (config code_table)
    config.yaml  a config overlay running the workflow on eps.csv (absolute paths)

Numbers are made up (tools/make_demo.py's seeded random walk) and the files are byte-identical
on every run. Unit codes follow GB/T 2260's shape (ppccdd) but are not real codes.

    python bench/make_synthetic.py [--scales paper city county] [--out bench/out]
"""

import argparse
import datetime
import sys
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

from make_demo import demo_rows, render  # noqa: E402

from upgrade_repro.regions import load_regions  # noqa: E402

SEED = 2260
FOOTER = [
    "数据来源：基准测试用合成数据，由 bench/make_synthetic.py 生成，不是统计数据",
    "版权声明：合成数据，可自由使用",
    "导出时间：2000-01-01",
]
# Fixed document date: xlsxwriter otherwise stamps the current time into the file.
XLSX_DATE = datetime.datetime(2000, 1, 1)


@dataclass(frozen=True)
class Scale:
    unit: str
    n_units: int
    years: range


SCALES = {
    "paper": Scale("province", 31, range(2008, 2022)),
    "city": Scale("city", 300, range(2002, 2022)),
    "county": Scale("county", 2900, range(1992, 2022)),
}


def provinces() -> list[tuple[str, str]]:
    """(code, short name) of the 31 mainland provinces, from the shipped table."""
    table = load_regions(ROOT / "data" / "reference" / "provinces.csv")
    return list(table.loc[table["mainland"], ["code", "name_short"]].itertuples(index=False, name=None))


def synthetic_units(unit: str, n: int) -> list[tuple[str, str]]:
    """(code, name) of `n` units: the provinces themselves, or cities spread evenly over the
    provinces and counties spread evenly over 300 cities."""
    provs = provinces()
    if unit == "province":
        if n != len(provs):
            raise ValueError(f"province scale has {len(provs)} units, not {n}")
        return provs
    if unit == "city":
        return spread_over(provs, n, 2, "市")
    return spread_over(spread_over(provs, SCALES["city"].n_units, 2, "市"), n, 4, "县")


def spread_over(parents, n: int, level: int, suffix: str) -> list[tuple[str, str]]:
    """`n` units dealt round-robin to `parents`: a parent's k-th unit has the parent's code with k in
    digits level+1..level+2, and the parent's name followed by k and `suffix` (e.g. 河北03市)."""
    units = []
    for j in range(n):
        code, name = parents[j % len(parents)]
        k = j // len(parents) + 1
        units.append((f"{code[:level]}{k:02d}{code[level + 2 :]}", f"{name}{k:02d}{suffix}"))
    return units


def write_code_table(units, path: Path) -> None:
    """The documented subset of the code table: code, name_short, name_full."""
    lines = ["code,name_short,name_full"] + [f"{c},{n},{n}" for c, n in units]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_xlsx(rows, path: Path, footer=FOOTER) -> None:
    """One sheet like an EPS Excel export: header, one row per value (year and value as numbers),
    then the footer lines in column A."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": XLSX_DATE})
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["指标", "地区", "时间", "数值"])
    for i, (indicator, region, year, value) in enumerate(rows, start=1):
        sheet.write_string(i, 0, indicator)
        sheet.write_string(i, 1, region)
        sheet.write_number(i, 2, year)
        sheet.write_number(i, 3, value)
    for j, line in enumerate(footer, start=len(rows) + 1):
        sheet.write_string(j, 0, line)
    book.close()


def write_scale(name: str, out: Path) -> dict[str, Path]:
    """Write one scale's files; returns their paths (keys csv, xlsx, codes, config) and row count."""
    scale = SCALES[name]
    folder = (out / name).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    units = synthetic_units(scale.unit, scale.n_units)
    rows = demo_rows(units, scale.years, seed=SEED)
    paths = {"csv": folder / "eps.csv", "xlsx": folder / "eps.xlsx", "config": folder / "config.yaml"}
    paths["csv"].write_bytes(render(rows, footer=FOOTER))
    write_xlsx(rows, paths["xlsx"])
    config = {
        "raw": [str(paths["csv"])],
        "unit": scale.unit,
        "years": {"start": scale.years.start, "end": scale.years.stop - 1},
    }
    if scale.unit != "province":
        paths["codes"] = folder / "codes.csv"
        write_code_table(units, paths["codes"])
        config |= {"code_table": str(paths["codes"]), "exclude_regions": []}
    paths["config"].write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return paths


def long_rows(name: str) -> int:
    """Data rows in a scale's extract: units x years x 4 series, plus the national total."""
    scale = SCALES[name]
    return (scale.n_units + 1) * len(scale.years) * 4


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", choices=list(SCALES), default=list(SCALES))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args(argv)
    for name in args.scales:
        paths = write_scale(name, args.out)
        print(f"{name}: {long_rows(name):,} long rows -> {paths['csv'].parent}")


if __name__ == "__main__":
    main()
