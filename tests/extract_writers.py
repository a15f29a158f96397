"""Writers of small raw extracts in every supported layout, from one set of made-up numbers.

The numbers are synthetic (seeded); each writer lays them out the way one platform exports them, so
that reading any of them must give the same panel and the same Table 1.
"""

import csv
import random
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = pd.read_csv(ROOT / "data" / "reference" / "provinces.csv", dtype=str)
MAINLAND = PROVINCES[PROVINCES["mainland"] == "true"].reset_index(drop=True)
YEARS = [2018, 2019, 2020]
SERIES = ["gdp", "primary", "secondary", "tertiary"]
CN = {"gdp": "地区生产总值", "primary": "第一产业增加值", "secondary": "第二产业增加值", "tertiary": "第三产业增加值"}
EN = {
    "gdp": "Gross Regional Product",
    "primary": "Value-added of Primary Industry",
    "secondary": "Value-added of Secondary Industry",
    "tertiary": "Value-added of Tertiary Industry",
}
FOOTER = ["数据来源：测试数据", "版权声明：测试用", "导出时间：2024-01-01"]


def make_numbers(seed: int = 7) -> pd.DataFrame:
    """code, year, gdp, primary, secondary, tertiary in 亿元 with two decimals, all 31 provinces."""
    rng = random.Random(seed)
    rows = []
    for code in MAINLAND["code"]:
        gdp = rng.uniform(1000, 60000)
        p, t = rng.uniform(0.01, 0.25), rng.uniform(0.3, 0.7)
        for year in YEARS:
            rows.append(
                {
                    "code": code,
                    "year": year,
                    "gdp": round(gdp, 2),
                    "primary": round(gdp * p, 2),
                    "secondary": round(gdp * (1 - p - t), 2),
                    "tertiary": round(gdp * t, 2),
                }
            )
            gdp *= rng.uniform(1.01, 1.1)
    return pd.DataFrame(rows)


def names(column: str) -> dict:
    return dict(zip(MAINLAND["code"], MAINLAND[column]))


def long_rows(numbers: pd.DataFrame, region_column="name_short", labels=None, unit="亿元", factor=1.0):
    """(indicator, region, year, value) rows grouped by indicator, as EPS exports them."""
    labels = labels or {s: f"{CN[s]}（{unit}）" for s in SERIES}
    region = names(region_column)
    return [
        (labels[s], region[r.code], r.year, round(getattr(r, s) * factor, 6))
        for s in SERIES
        for r in numbers.itertuples()
    ]


def write_text(path: Path, lines, encoding="utf-8", newline="\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def csv_line(cells, sep=",") -> str:
    return sep.join(str(c) for c in cells)


def eps_long_csv(path, numbers, sep=",", encoding="gb18030", newline="\r\n", **kw) -> Path:
    lines = [csv_line(["指标", "地区", "时间", "数值"], sep)]
    lines += [csv_line(r, sep) for r in long_rows(numbers, **kw)] + FOOTER
    return write_text(path, lines, encoding, newline)


def eps_long_english(path, numbers) -> Path:
    rows = long_rows(numbers, "name_en", {s: f"{EN[s]} (100 million yuan)" for s in SERIES})
    return write_text(
        path, ["indicator,region,time,Val"] + [csv_line(r) for r in rows] + ["Source: EPS DATA"], "utf-8-sig"
    )


def eps_long_dta(path, numbers) -> Path:
    df = pd.DataFrame(long_rows(numbers), columns=["指标", "地区", "时间", "数值"])
    df.to_stata(path, write_index=False, version=118)
    return path


def write_xlsx(path: Path, rows, start_row=1, start_col=1) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if cell is not None and cell != "":
                sheet.cell(row=start_row + i, column=start_col + j, value=cell)
    book.save(path)
    return path


def eps_wide_rows(numbers, region_column="name_short", year_as_text=False):
    region = names(region_column)
    head = ["指标", "地区"] + [f"{y}年" if year_as_text else y for y in YEARS]
    rows = [head]
    wide = {s: numbers.pivot(index="code", columns="year", values=s) for s in SERIES}
    for s in SERIES:
        for i, code in enumerate(wide[s].index):
            label = f"{CN[s]}(亿元)" if i == 0 else ""  # written on the first row of a block only
            rows.append([label, region[code]] + [float(v) for v in wide[s].loc[code, YEARS]])
    return rows


def nbs_by_indicator_rows(numbers, series, unit="亿元", factor=1.0, metadata=True):
    region = names("name_full")
    wide = numbers.pivot(index="code", columns="year", values=series) * factor
    years = sorted(YEARS, reverse=True)  # newest first
    rows = [["数据库：分省年度数据"], [f"指标：{CN[series]}({unit})"], ["时间：最近3年"]] if metadata else []
    rows.append(["地区"] + [f"{y}年" for y in years])
    rows += [[region[c]] + [round(float(wide.loc[c, y]), 6) for y in years] for c in wide.index]
    rows += [["注：测试数据，第一行说明，", "第二行"], ["数据来源：国家统计局"]]
    return rows


def nbs_by_indicator_csv(path, numbers, series, **kw) -> Path:
    rows = nbs_by_indicator_rows(numbers, series, **kw)
    return write_text(path, [csv_line(r) for r in rows], "gbk", "\r\n")


def nbs_by_year_rows(numbers, year, extra=True):
    region = names("name_full")
    rows = [["数据库：分省年度数据"], [f"时间：{year}年"]]
    heads = ["地区"] + [f"{CN[s]} (亿元)" for s in SERIES]
    if extra:
        heads += ["工业增加值 (亿元)", "人均地区生产总值 (元/人)"]
    rows.append(heads)
    for r in numbers[numbers["year"] == year].itertuples():
        cells = [region[r.code]] + [getattr(r, s) for s in SERIES]
        rows.append(cells + ([round(r.secondary * 0.8, 1), 12345] if extra else []))
    rows += [["注：1. 测试数据。"], ["数据来源：国家统计局"]]
    return rows


def nbs_by_year_tab_comma(path, numbers, year) -> Path:
    """Cells ended by a tab before each comma, and a trailing separator (an NBS variant)."""
    lines = []
    for row in nbs_by_year_rows(numbers, year):
        lines.append(row[0] + " " if len(row) == 1 else "".join(f"{c}\t," for c in row))
    return write_text(path, lines, "utf-8-sig")


def tidy_rows(
    numbers, heads=("province", "year", "gdp", "primary", "secondary", "tertiary"), region_column="name_en", factor=1.0
):
    region = names(region_column)
    rows = [list(heads)]
    rows += [
        [region[r.code], r.year] + [round(getattr(r, s) * factor, 6) for s in SERIES] for r in numbers.itertuples()
    ]
    return rows


def tidy_csv(path, numbers, **kw) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(tidy_rows(numbers, **kw))
    return path


def expected_table1(numbers: pd.DataFrame, exclude=("540000",)) -> pd.DataFrame:
    """Table 1 straight from the numbers with numpy: a second computation, not the pipeline's."""
    d = numbers[~numbers["code"].isin(exclude)]
    gdp, p, s, t = (d[c].to_numpy(float) for c in SERIES)
    out = {"upgrade": t / s, "service": t / gdp, "cyig": (p + 2 * s + 3 * t) / gdp}
    return pd.DataFrame(
        [
            {
                "variable": k,
                "n": len(v),
                "mean": np.mean(v),
                "sd": np.std(v, ddof=1),
                "min": np.min(v),
                "max": np.max(v),
            }
            for k, v in out.items()
        ]
    )


# ---------------------------------------------------------------- damaged extracts (issue 12)
# Each corruption changes the numbers of a valid extract at one place, the way a damaged export
# does; the integrity checks (upgrade_repro/checks.py) must stop every one of them.
def corrupt(numbers: pd.DataFrame, kind: str, code: str, year: int, series: str) -> pd.DataFrame:
    """A copy of `numbers` with one corruption at (code, year, series):
    zero          the value exported as 0 (a missing value);
    negative      a sign error;
    lost_decimal  the decimal point lost (x 100, 12153.03 -> 1215303);
    wan_yuan      the province's whole series in 万元 under a 亿元 heading (x 10,000, every year);
    year_in_wan   the province-year's four values in 万元 (x 10,000: the sectors still sum to GDP)."""
    out = numbers.copy()
    at = (out["code"] == code) & (out["year"] == year)
    if kind == "zero":
        out.loc[at, series] = 0.0
    elif kind == "negative":
        out.loc[at, series] = -out.loc[at, series]
    elif kind == "lost_decimal":
        out.loc[at, series] = (out.loc[at, series] * 100).round(2)
    elif kind == "wan_yuan":
        out.loc[out["code"] == code, series] = (out.loc[out["code"] == code, series] * 10_000).round(2)
    elif kind == "year_in_wan":
        out.loc[at, SERIES] = (out.loc[at, SERIES] * 10_000).round(2)
    else:
        raise ValueError(kind)
    return out


def eps_long_decimal_comma(path, numbers, footer=True) -> Path:
    """An EPS long extract with decimal commas (12153,03), tab-separated as such exports are."""
    rows = [(i, r, y, f"{v:.2f}".replace(".", ",")) for i, r, y, v in long_rows(numbers)]
    return write_text(
        path,
        [csv_line(["指标", "地区", "时间", "数值"], "\t")]
        + [csv_line(r, "\t") for r in rows]
        + (FOOTER if footer else []),
        "utf-8",
    )


def cut_off(path: Path, keep_chars_of_last_value: int, encoding: str = "gb18030") -> Path:
    """The file as a download cut off in the last data line's last number: notes and final line end
    gone, `keep_chars_of_last_value` characters of that number left."""
    lines = path.read_bytes().decode(encoding).splitlines()
    notes = tuple(f.split("：")[0] for f in FOOTER)
    data = [ln for ln in lines if ln and not ln.startswith(notes)]
    head, _, number = data[-1].rpartition(",")
    data[-1] = f"{head},{number[:keep_chars_of_last_value]}"
    path.write_bytes("\n".join(data).encode(encoding))
    return path


def pasted_exports(path, first: pd.DataFrame, second: pd.DataFrame) -> Path:
    """Two EPS long exports pasted into one file: the second's header follows the first's notes."""
    one = [csv_line(["指标", "地区", "时间", "数值"])] + [csv_line(r) for r in long_rows(first)] + FOOTER
    two = [csv_line(["指标", "地区", "时间", "数值"])] + [csv_line(r) for r in long_rows(second)] + FOOTER
    return write_text(path, one + two, "gb18030", "\r\n")


def saved_web_page(path) -> Path:
    """What a browser saves when the export session has expired: a script, then a page."""
    return write_text(
        path,
        [
            "<script>window.location.href='/login?expired=1';</script>",
            "<html><head><title>会话已过期</title></head><body>请重新登录</body></html>",
        ],
    )


# ---------------------------------------------------------------- employment (issue 16)
EMPLOYMENT = ["employed_primary", "employed_secondary", "employed_tertiary", "employed"]
EMP_CN = {
    "employed_primary": "第一产业就业人员",
    "employed_secondary": "第二产业就业人员",
    "employed_tertiary": "第三产业就业人员",
    "employed": "就业人员",
}


def make_employment(numbers: pd.DataFrame, seed: int = 11) -> pd.DataFrame:
    """code, year, employment by sector and in total in 万人 with two decimals (the total is the sum
    of the rounded sectors), for the provinces and years of `numbers`."""
    rng = random.Random(seed)
    rows = []
    for code in sorted(numbers["code"].unique()):
        total = rng.uniform(300, 7000)
        a, s = rng.uniform(0.05, 0.5), rng.uniform(0.15, 0.4)
        for year in YEARS:
            sectors = [round(total * a, 2), round(total * s, 2), round(total * (1 - a - s), 2)]
            rows.append(dict(zip(["code", "year", *EMPLOYMENT], [code, year, *sectors, round(sum(sectors), 2)])))
            total *= rng.uniform(0.98, 1.03)
            a *= rng.uniform(0.9, 1.0)
    return pd.DataFrame(rows)


def employment_long_csv(path, employment, unit="万人", factor=1.0, series=EMPLOYMENT) -> Path:
    """EPS long layout (GB18030, CRLF, footer) of the employment series, values x `factor`."""
    region = names("name_short")
    lines = [csv_line(["指标", "地区", "时间", "数值"])]
    lines += [
        csv_line([f"{EMP_CN[s]}（{unit}）", region[r.code], r.year, round(getattr(r, s) * factor, 6)])
        for s in series
        for r in employment.itertuples()
    ]
    return write_text(path, lines + FOOTER, "gb18030", "\r\n")


def employment_wide_xlsx(path, employment) -> Path:
    """EPS wide layout (指标 | 地区 | 2018 | ...), the series named on the first row of its block."""
    region = names("name_short")
    rows = [["指标", "地区", *YEARS]]
    for s in EMPLOYMENT:
        wide = employment.pivot(index="code", columns="year", values=s)
        for i, code in enumerate(wide.index):
            rows.append([f"{EMP_CN[s]}(万人)" if i == 0 else "", region[code], *map(float, wide.loc[code, YEARS])])
    return write_xlsx(path, rows)


def employment_nbs_csv(path, employment, series, unit="万人", factor=1.0) -> Path:
    """NBS export of one employment series (metadata lines, newest year first, notes)."""
    region = names("name_full")
    wide = employment.pivot(index="code", columns="year", values=series) * factor
    years = sorted(YEARS, reverse=True)
    rows = [
        ["数据库：分省年度数据"],
        [f"指标：{EMP_CN[series]}({unit})"],
        ["时间：最近3年"],
        ["地区"] + [f"{y}年" for y in years],
    ]
    rows += [[region[c]] + [round(float(wide.loc[c, y]), 6) for y in years] for c in wide.index]
    rows += [["注：测试数据"], ["数据来源：国家统计局"]]
    return write_text(path, [csv_line(r) for r in rows], "gbk", "\r\n")


def employment_tidy_csv(path, employment, unit="万人", factor=1.0) -> Path:
    """A user's tidy table: 省份,年份,第一产业就业人员（万人）,..."""
    region = names("name_short")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["省份", "年份", *(f"{EMP_CN[s]}（{unit}）" for s in EMPLOYMENT)])
        for r in employment.itertuples():
            writer.writerow([region[r.code], r.year, *(round(getattr(r, s) * factor, 6) for s in EMPLOYMENT)])
    return path


def expected_employment_indicators(numbers: pd.DataFrame, employment: pd.DataFrame) -> pd.DataFrame:
    """theil, deviation and advancement_lp (economy normalisation) written out term by term with
    plain floats: a second computation, not the pipeline's vectorised one."""
    import math

    emp = employment.set_index(["code", "year"])
    rows = []
    for r in numbers.itertuples():
        y = [r.primary, r.secondary, r.tertiary]
        e = emp.loc[(r.code, r.year)]
        l_ = [e["employed_primary"], e["employed_secondary"], e["employed_tertiary"]]
        big_y, big_l = sum(y), sum(l_)
        theil = deviation = adv = 0.0
        for yi, li in zip(y, l_):
            rel = (yi / li) / (big_y / big_l)
            theil += yi / big_y * math.log(rel)
            deviation += abs(rel - 1)
            adv += yi / big_y * rel
        rows.append({"code": r.code, "year": r.year, "theil": theil, "deviation": deviation, "advancement_lp": adv})
    return pd.DataFrame(rows)
