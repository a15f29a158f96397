"""Every raw-extract layout: on the real files where they exist, and on files written here.

Real files are checked against a second, deliberately simple parse written in this test; synthetic
files must all give the panel and Table 1 computed directly from their numbers."""

import csv
import io
import logging

import extract_writers as w
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, shared_file

import upgrade_repro.errors as E
from upgrade_repro.clean import build_panel
from upgrade_repro.describe import describe
from upgrade_repro.errors import BadYearError, NonNumericValueError, VintageConflictError
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.ingest.extracts import read_extract, read_extracts
from upgrade_repro.ingest.names import split_indicator
from upgrade_repro.ingest.tidy import TIDY_COLUMNS
from upgrade_repro.regions import load_regions

REGIONS = load_regions(ROOT / "data" / "reference" / "provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data" / "reference" / "aggregates.csv", dtype=str)
YEARS = {"start": w.YEARS[0], "end": w.YEARS[-1]}


def table1(paths, years=YEARS, **kw):
    panel = build_panel(read_extracts(paths), REGIONS, AGGREGATES, ["西藏"], years, **kw)
    return panel, describe(compute_indicators(panel))


def assert_same_table1(got: pd.DataFrame, expected: pd.DataFrame):
    assert list(got["variable"]) == list(expected["variable"])
    assert list(got["n"]) == list(expected["n"])
    for stat in ("mean", "sd", "min", "max"):
        np.testing.assert_allclose(got[stat], expected[stat], rtol=1e-9, err_msg=stat)


# ---------------------------------------------------------------- the real files
def simple_parse_eps(path):
    """The EPS long export by hand: GB18030 csv, rows of four fields with a year in the third."""
    rows = csv.reader(io.StringIO(path.read_bytes().decode("gb18030")))
    return {(r[0], r[1], int(r[2])): float(r[3]) for r in rows if len(r) == 4 and r[2].isdigit()}


@pytest.mark.parametrize("rel", ["eps/eps_long_2008_2021.csv", "eps/eps_long_2022.csv"])
def test_real_eps_long(rel):
    path = shared_file(rel)
    table = read_extract(path)
    expected = simple_parse_eps(path)
    assert list(table.columns) == TIDY_COLUMNS
    assert len(table) == len(expected)
    # Names are NFKC-normalised: full-width brackets become ASCII ones.
    got = {
        (r.indicator_raw.replace("(", "（").replace(")", "）"), r.region, r.year): r.value for r in table.itertuples()
    }
    assert got == expected
    assert set(table["unit"]) == {"亿元"}
    assert set(table["indicator"]) == {"gdp", "primary", "secondary", "tertiary"}


def test_real_nbs_by_indicator():
    path = shared_file("nbs/nbs_gdp_2006_2024_c5.csv")
    lines = path.read_bytes().decode("gbk").splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("地区,"))
    years = [int(c.rstrip("年")) for c in lines[head].split(",")[1:]]
    expected = {}
    for ln in lines[head + 1 :]:
        if ln.startswith("注"):
            break
        cells = ln.split(",")
        expected.update({(cells[0], y): float(v) for y, v in zip(years, cells[1:])})
    table = read_extract(path)
    assert {(r.region, r.year): r.value for r in table.itertuples()} == expected
    assert set(table["indicator"]) == {"gdp"} and set(table["unit"]) == {"亿元"}


@pytest.mark.parametrize("year", [2020, 2021])
def test_real_nbs_by_year_tab_comma(year):
    path = shared_file(f"nbs/nbs_sectors_{year}_c5.csv")
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    assert f"{year}年" in lines[1]
    heads = [c.strip() for c in lines[2].split("\t,")]
    wanted = {f"{w.CN[s]} (亿元)": s for s in w.SERIES}
    cols = {heads.index(h): s for h, s in wanted.items()}
    expected = {}
    for ln in lines[3:]:
        if ln.startswith("注"):
            break
        cells = [c.strip() for c in ln.split("\t,")]
        expected.update({(cells[0], s): float(cells[i]) for i, s in cols.items()})
    table = read_extract(path)
    assert {(r.region, r.indicator): r.value for r in table.itertuples()} == expected
    assert set(table["year"]) == {year}


def test_real_nbs_panel_keeps_later_vintage(eps_2008_2021):
    """NBS files of one vintage merge (GDP appears in both kinds) and differ from the EPS vintage."""
    files = [
        shared_file(f"nbs/{n}")
        for n in ("nbs_gdp_2006_2024_c5.csv", "nbs_sectors_2020_c5.csv", "nbs_sectors_2021_c5.csv")
    ]
    years = {"start": 2020, "end": 2021}
    nbs, _ = table1(files, years)
    eps, _ = table1([eps_2008_2021], years)
    assert len(nbs) == len(eps) == 60
    assert not np.allclose(nbs["gdp"], eps["gdp"], rtol=1e-3)
    # The two kinds of NBS file agree on GDP: check one cell against the by-indicator file alone.
    gdp_file = read_extract(files[0])
    bj = gdp_file[(gdp_file["region"] == "北京市") & (gdp_file["year"] == 2020)]["value"].item()
    assert nbs[(nbs["code"] == "110000") & (nbs["year"] == 2020)]["gdp"].item() == bj


# ---------------------------------------------------------------- one set of numbers, every layout
NUMBERS = w.make_numbers()
EXPECTED = w.expected_table1(NUMBERS)


def _xlsx(rows):
    return lambda d: [w.write_xlsx(d / "x.xlsx", rows, start_row=3, start_col=2)]


LAYOUT_WRITERS = {
    "eps_long_csv_gb18030": lambda d: [w.eps_long_csv(d / "a.csv", NUMBERS)],
    "eps_long_tab_txt_bom": lambda d: [
        w.eps_long_csv(d / "a.txt", NUMBERS, sep="\t", encoding="utf-8-sig", newline="\n")
    ],
    "eps_long_full_names_wan_yuan": lambda d: [
        w.eps_long_csv(d / "a.csv", NUMBERS, unit="万元", factor=1e4, region_column="name_full")
    ],
    "eps_long_dta": lambda d: [w.eps_long_dta(d / "a.dta", NUMBERS)],
    "eps_long_english": lambda d: [w.eps_long_english(d / "a.csv", NUMBERS)],
    "eps_wide_xlsx": _xlsx(w.eps_wide_rows(NUMBERS)),
    "eps_wide_xlsx_text_years_full_names": _xlsx(w.eps_wide_rows(NUMBERS, "name_full", True)),
    "nbs_by_indicator_csv_gbk": lambda d: [w.nbs_by_indicator_csv(d / f"{s}.csv", NUMBERS, s) for s in w.SERIES],
    "nbs_by_indicator_xlsx_yuan": lambda d: [
        w.write_xlsx(d / f"{s}.xlsx", w.nbs_by_indicator_rows(NUMBERS, s, unit="元", factor=1e8)) for s in w.SERIES
    ],
    "nbs_by_year_tab_comma": lambda d: [w.nbs_by_year_tab_comma(d / f"{y}.csv", NUMBERS, y) for y in w.YEARS],
    "nbs_by_year_xlsx": lambda d: [w.write_xlsx(d / f"{y}.xlsx", w.nbs_by_year_rows(NUMBERS, y)) for y in w.YEARS],
    "tidy_csv_english": lambda d: [w.tidy_csv(d / "t.csv", NUMBERS)],
    "tidy_xlsx_chinese_wan_yuan": _xlsx(
        w.tidy_rows(
            NUMBERS,
            (
                "省份",
                "年份",
                "地区生产总值（万元）",
                "第一产业增加值（万元）",
                "第二产业增加值（万元）",
                "第三产业增加值（万元）",
            ),
            "name_short",
            factor=1e4,
        )
    ),
    "old_file_plus_new_year": lambda d: [
        w.eps_long_csv(d / "old.csv", NUMBERS[NUMBERS["year"] < 2020]),
        w.nbs_by_year_tab_comma(d / "new.csv", NUMBERS, 2020),
    ],
    "overlapping_files_same_values": lambda d: [
        w.eps_long_csv(d / "old.csv", NUMBERS[NUMBERS["year"] < 2020]),
        w.eps_long_csv(d / "new.csv", NUMBERS[NUMBERS["year"] >= 2019]),
    ],
}


@pytest.mark.parametrize("layout", sorted(LAYOUT_WRITERS))
def test_every_layout_gives_the_same_table1(layout, tmp_path):
    panel, got = table1(LAYOUT_WRITERS[layout](tmp_path))
    expected_panel = NUMBERS[NUMBERS["code"] != "540000"].reset_index(drop=True)
    np.testing.assert_allclose(panel[w.SERIES].to_numpy(), expected_panel[w.SERIES].to_numpy(), rtol=1e-12)
    assert list(panel["code"]) == list(expected_panel["code"])
    assert_same_table1(got, EXPECTED)


# ---------------------------------------------------------------- details of reading
def eps(tmp_path, rows, name="a.csv", encoding="utf-8", head="指标,地区,时间,数值"):
    return w.write_text(tmp_path / name, [head] + rows, encoding)


def test_nfkc_spaces_and_fullwidth(tmp_path):
    rows = ["地区生产总值(亿元),北　京,２０２０,１２３.５", "地区生产总值（亿元）, 天 津 ,2020年,7"]
    t = read_extract(eps(tmp_path, rows))
    assert list(t["region"]) == ["北京", "天津"]
    assert list(t["year"]) == [2020, 2020]
    assert list(t["value"]) == [123.5, 7.0]
    assert list(t["line"]) == [2, 3]


@pytest.mark.parametrize("marker", ["", "--", "—", "-", "…", "...", "NA", "na", "－－"])
def test_missing_markers_read_as_missing(tmp_path, marker):
    t = read_extract(eps(tmp_path, [f"地区生产总值（亿元）,北京,2020,{marker}", "地区生产总值（亿元）,天津,2020,1"]))
    assert t["value"].isna().tolist() == [True, False]


@pytest.mark.parametrize("year", ["2021", "2021年", "2021.0", " 2021 "])
def test_year_forms(tmp_path, year):
    assert read_extract(eps(tmp_path, [f"地区生产总值（亿元）,北京,{year},1"]))["year"].tolist() == [2021]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings(tmp_path, encoding):
    t = read_extract(eps(tmp_path, ["第三产业增加值（亿元）,内蒙古,2020,5"], encoding=encoding))
    assert (t["region"].item(), t["indicator"].item(), t["value"].item()) == ("内蒙古", "tertiary", 5.0)


@pytest.mark.parametrize(
    "name",
    [
        "地区生产总值指数(上年=100)",
        "人均地区生产总值(元)",
        "地区生产总值(不变价)(亿元)",
        "地区生产总值增长率(%)",
        "第三产业增加值比重(%)",
        "第三产业构成(%)",
        "第一产业增加值指数(上年=100)",
        "Per Capita Gross Regional Product (yuan)",
    ],
)
def test_look_alikes_are_not_taken(tmp_path, name, caplog):
    rows = ["地区生产总值（亿元）,北京,2020,10", f"{name},北京,2020,99"]
    with caplog.at_level(logging.INFO):
        t = read_extract(eps(tmp_path, rows))
    assert t["value"].tolist() == [10.0]
    assert name in caplog.text  # the ignored series is named in the log


@pytest.mark.parametrize(
    "name, indicator, unit",
    [
        ("地区生产总值（亿元）", "gdp", "亿元"),
        ("地区生产总值(万元)", "gdp", "万元"),
        ("Gross Regional Product (100 million yuan)", "gdp", "100 million yuan"),
        ("Value Added of Tertiary Industry(100 million yuan)", "tertiary", "100 million yuan"),
        ("第二产业 (亿元)", "secondary", "亿元"),
        ("GDP", "gdp", ""),
        ("地区生产总值(当年价格)(亿元)", "gdp", "亿元"),
        ("地区生产总值(不变价)(亿元)", None, "亿元"),
        ("第二产业增加值比重(%)", None, "%"),
        ("人均地区生产总值", None, ""),
    ],
)
def test_split_indicator(name, indicator, unit):
    assert split_indicator(name) == (indicator, unit)


def test_units_converted_to_yi_yuan(tmp_path):
    rows = [
        f"{w.CN[s]}（万元）,{r.name_short},2020,{10000 * v}"
        for s, v in zip(w.SERIES, (900, 200, 300, 400))
        for r in w.MAINLAND.itertuples()
    ]
    panel, _ = table1([eps(tmp_path, rows)], {"start": 2020, "end": 2020})
    assert (panel[w.SERIES].to_numpy() == np.array([900.0, 200.0, 300.0, 400.0])).all()


def test_eps_wide_forward_fills_indicator_blocks(tmp_path):
    rows = [
        ["指标", "地区", 2020, "2021年"],
        ["地区生产总值(亿元)", "北京", 1, 2],
        ["", "天津", 3, "--"],
        ["第一产业增加值(亿元)", "北京", 5, 6],
    ]
    t = read_extract(w.write_xlsx(tmp_path / "w.xlsx", rows))
    got = [(r.indicator, r.region, r.year, r.value) for r in t.itertuples()]
    assert got[:3] == [("gdp", "北京", 2020, 1.0), ("gdp", "北京", 2021, 2.0), ("gdp", "天津", 2020, 3.0)]
    assert got[3][:3] == ("gdp", "天津", 2021) and np.isnan(got[3][3])
    assert got[4:] == [("primary", "北京", 2020, 5.0), ("primary", "北京", 2021, 6.0)]
    assert t["line"].tolist() == [2, 2, 3, 3, 4, 4]  # rows of the sheet


def test_worksheet_numbers_text_and_other_cells_read_alike(tmp_path):
    """A worksheet's numbers stay numbers; text cells holding numbers, markers, padded names and
    year texts read as in a text file; a boolean is neither a number nor a year."""
    rows = [
        ["指标", "地区", "时间", "数值"],
        ["地区生产总值(亿元)", "北京", 2020, 1.5],
        ["地区生产总值(亿元)", "天津", "2020年", "1,234.5"],
        ["地区生产总值(亿元)", " 河 北 ", 2020.0, "--"],
        ["地区生产总值(亿元)", "山西", 2021, 7],
        ["数据来源：EPS", None, None, None],
    ]
    t = read_extract(w.write_xlsx(tmp_path / "k.xlsx", rows))
    assert t["region"].tolist() == ["北京", "天津", "河北", "山西"]
    assert t["year"].tolist() == [2020, 2020, 2020, 2021]
    np.testing.assert_array_equal(t["value"], [1.5, 1234.5, np.nan, 7.0])
    assert t["line"].tolist() == [2, 3, 4, 5]
    with pytest.raises(NonNumericValueError, match="row 2: 'True'"):
        read_extract(w.write_xlsx(tmp_path / "b.xlsx", [rows[0], [*rows[1][:3], True]]))
    with pytest.raises(BadYearError, match="row 2"):
        read_extract(w.write_xlsx(tmp_path / "y.xlsx", [rows[0], [rows[1][0], "北京", True, 1]]))


def test_nbs_by_indicator_found_by_content_without_metadata(tmp_path):
    """Re-saved without metadata lines: the corner cell names the indicator; notes quoted over lines."""
    lines = [
        "",
        "地区生产总值(亿元),2021年,2020年",
        "北京市,2,1",
        "天津市,4,3",
        '"注：第一行',
        '第二行，仍是注释"',
        "数据来源：国家统计局",
    ]
    t = read_extract(w.write_text(tmp_path / "n.csv", lines, "gbk"))
    assert [(r.region, r.year, r.value) for r in t.itertuples()] == [
        ("北京市", 2021, 2.0),
        ("北京市", 2020, 1.0),
        ("天津市", 2021, 4.0),
        ("天津市", 2020, 3.0),
    ]
    assert t["line"].tolist() == [3, 3, 4, 4]


def test_tidy_without_units_assumes_yi_yuan_with_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        t = read_extract(w.tidy_csv(tmp_path / "t.csv", NUMBERS.head(2)))
    assert set(t["unit"]) == {"亿元"}
    assert "assuming 亿元" in caplog.text


def test_vintage_conflict_lists_cells_and_both_files(tmp_path):
    old = w.eps_long_csv(tmp_path / "old.csv", NUMBERS)
    revised = NUMBERS.copy()
    revised.loc[(revised["code"] == "110000") & (revised["year"] == 2019), "gdp"] *= 1.05
    new = w.eps_long_csv(tmp_path / "new.csv", revised[revised["year"] == 2019])
    with pytest.raises(VintageConflictError) as err:
        table1([old, new])
    message = str(err.value)
    assert "1 cell(s)" in message and "北京 (110000) 2019 gdp" in message
    assert old.as_posix() in message and new.as_posix() in message
    # Within rounding (5e-4 relative) is not a conflict.
    nudged = NUMBERS.copy()
    nudged["gdp"] *= 1.0001
    table1([old, w.eps_long_csv(tmp_path / "nudged.csv", nudged)])


@pytest.mark.parametrize("winner", ["old", "new"])
def test_vintage_winner_decides(tmp_path, winner, caplog):
    old = w.eps_long_csv(tmp_path / "old.csv", NUMBERS)
    revised = NUMBERS.copy()
    revised[w.SERIES] *= 1.05  # a revised vintage: the sectors still sum to GDP
    new = w.eps_long_csv(tmp_path / "new.csv", revised[revised["year"] == 2020])
    chosen = {"old": old, "new": new}[winner]
    with caplog.at_level(logging.WARNING):
        panel, _ = table1([old, new], vintage_winner=str(chosen))
    source = {"old": NUMBERS, "new": revised}[winner]
    expected = source[(source["year"] == 2020) & (source["code"] != "540000")]["gdp"].to_numpy()
    np.testing.assert_allclose(panel[panel["year"] == 2020]["gdp"].to_numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(
        panel[panel["year"] == 2019]["gdp"].to_numpy(),
        NUMBERS[(NUMBERS["year"] == 2019) & (NUMBERS["code"] != "540000")]["gdp"],
        rtol=1e-12,
    )
    assert "120 cell(s) differ between files; kept the values of" in caplog.text


def test_aggregates_dropped_with_a_warning(tmp_path, caplog):
    rows = [
        f"{w.CN[s]}（亿元）,{r.name_short},2020,{v}"
        for s, v in zip(w.SERIES, (900, 200, 300, 400))
        for r in w.MAINLAND.itertuples()
    ] + [f"{w.CN[s]}（亿元）,全国,2020,{31 * v}" for s, v in zip(w.SERIES, (900, 200, 300, 400))]
    with caplog.at_level(logging.WARNING):
        table1([eps(tmp_path, rows)], {"start": 2020, "end": 2020})
    assert "aggregate '全国'" in caplog.text


def test_dta_float32_values_keep_their_decimals(tmp_path):
    df = pd.DataFrame(
        {
            "指标": ["地区生产总值（亿元）"],
            "地区": ["北京"],
            "时间": [2008],
            "数值": np.array([12153.03], dtype="float32"),
        }
    )
    df.to_stata(tmp_path / "a.dta", write_index=False, version=118)
    assert read_extract(tmp_path / "a.dta")["value"].item() == 12153.03


def test_implausible_values_stop_the_run(tmp_path):
    """Sectors 1 % off GDP, and a zero, were once only warnings: now each stops the run naming the
    cell, its file and line (upgrade_repro/checks.py; more in test_clean_checks.py)."""
    numbers = NUMBERS[NUMBERS["year"] == 2020].copy()
    off = numbers["code"] == "320000"
    numbers.loc[off, "gdp"] = (numbers.loc[off, ["primary", "secondary", "tertiary"]].sum(axis=1) / 1.01).round(2)
    path = w.eps_long_csv(tmp_path / "a.csv", numbers)
    with pytest.raises(E.SectorSumError, match=r"江苏 \(320000\) 2020: .*\+1\.00\d %.*gdp .*a\.csv line \d+"):
        table1([path], {"start": 2020, "end": 2020})
    numbers = NUMBERS[NUMBERS["year"] == 2020].copy()
    qh = numbers["code"] == "630000"
    numbers.loc[qh, "secondary"] += numbers.loc[qh, "primary"]  # the sum stays GDP
    numbers.loc[qh, "primary"] = 0.0
    path = w.eps_long_csv(tmp_path / "b.csv", numbers)
    with pytest.raises(E.NonPositiveLevelError, match=r"青海 \(630000\) 2020 primary = 0 \(.*b\.csv line \d+\)"):
        table1([path], {"start": 2020, "end": 2020})


# ---------------------------------------------------------------- reader-level checks (issue 12)
def test_truncated_download_is_named(tmp_path):
    path = w.cut_off(w.eps_long_csv(tmp_path / "cut.csv", NUMBERS), 1)
    last = len(path.read_bytes().decode("gb18030").split("\n"))
    with pytest.raises(E.TruncatedFileError, match=rf"cut\.csv: line {last}: .*last cell '\d'"):
        read_extract(path)
    # a user's table has no notes: the cut is seen in the number, shorter than its column's others
    tidy = w.tidy_csv(tmp_path / "tidy.csv", NUMBERS)
    full = tidy.read_text(encoding="utf-8").rstrip("\r\n").rpartition(",")[2]
    w.cut_off(tidy, 1, "utf-8")  # e.g. 新疆 2021 tertiary read as 7
    with pytest.raises(E.TruncatedFileError, match=rf"tidy\.csv: line 94: .*the number '{full[0]}', shorter"):
        read_extract(tidy)
    # a padded column (every number with two decimals) also shows a cut after the decimal point
    padded = tmp_path / "padded.csv"
    rows = w.tidy_rows(NUMBERS)
    padded.write_text(
        "\n".join(
            [",".join(rows[0])] + [",".join([str(r[0]), str(r[1])] + [f"{v:.2f}" for v in r[2:]]) for r in rows[1:]]
        )[:-1],
        encoding="utf-8",
    )
    with pytest.raises(E.TruncatedFileError, match=r"padded\.csv: line 94: .*all with 2 decimals"):
        read_extract(padded)


def test_complete_file_without_final_line_end_passes(tmp_path):
    tidy = w.tidy_csv(tmp_path / "tidy.csv", NUMBERS)
    tidy.write_bytes(tidy.read_bytes().rstrip(b"\r\n"))  # every number whole
    assert len(read_extract(tidy)) == len(NUMBERS) * 4


def test_consistent_decimal_commas_are_read_as_decimals(tmp_path, caplog):
    path = w.eps_long_decimal_comma(tmp_path / "dc.csv", NUMBERS)
    with caplog.at_level("INFO"):
        _, got = table1([path])
    pd.testing.assert_frame_equal(got, w.expected_table1(NUMBERS), check_dtype=False)
    assert "decimal commas" in caplog.text


def test_comma_that_is_no_thousands_grouping_stops_the_run(tmp_path):
    lines = w.eps_long_decimal_comma(tmp_path / "mixed.csv", NUMBERS).read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].replace(",", ".")  # one number with a decimal point: the file is mixed
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(E.DecimalCommaError) as err:
        read_extract(path)
    first = lines[1].split("\t")[-1]
    assert str(err.value).startswith(path.as_posix() + ": ") and f"line 2: '{first}'" in str(err.value)
    # a valid thousands grouping is read as one
    ok = w.write_text(
        tmp_path / "k.csv",
        [
            "指标\t地区\t时间\t数值",
            "地区生产总值（亿元）\t北京\t2020\t36,102.55",
            "地区生产总值（亿元）\t天津\t2020\t14,083",
        ]
        + w.FOOTER,
    )
    assert read_extract(ok)["value"].tolist() == [36102.55, 14083.0]


def test_saved_web_page_is_named(tmp_path):
    with pytest.raises(
        E.SavedWebPageError, match=r"page\.csv: line 1: a saved web page \(markup at the top: '<script>'\)"
    ):
        read_extract(w.saved_web_page(tmp_path / "page.csv"))


def test_second_export_block_names_its_line(tmp_path):
    first, second = NUMBERS[NUMBERS["year"] < 2020], NUMBERS[NUMBERS["year"] == 2020]
    path = w.pasted_exports(tmp_path / "two.csv", first, second)
    second_header = 1 + len(first) * 4 + len(w.FOOTER) + 1
    with pytest.raises(E.SecondExportBlockError, match=rf"two\.csv: line {second_header}: a second export block"):
        read_extract(path)
    # one export with its notes reads
    assert len(read_extract(w.eps_long_csv(tmp_path / "one.csv", first))) == len(first) * 4
