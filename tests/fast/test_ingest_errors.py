"""A corpus of malformed raw extracts: each stops with its own error class, naming the file and,
where there is one, the line, row or cell (a sample through the workflow:
tests/workflow/test_ingest.py)."""

import zipfile

import extract_writers as w
import pandas as pd
import pytest
from conftest import ROOT

import upgrade_repro.errors as E
from upgrade_repro.clean import build_panel
from upgrade_repro.ingest.extracts import read_extract, read_extracts
from upgrade_repro.regions import load_regions

REGIONS = load_regions(ROOT / "data" / "reference" / "provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data" / "reference" / "aggregates.csv", dtype=str)
HEAD = "指标,地区,时间,数值"
GDP = "地区生产总值（亿元）"


def text(*lines, encoding="utf-8"):
    return ("\n".join(lines) + "\n").encode(encoding)


def full_panel_rows(year=2020, skip=()):
    return [
        f"{w.CN[s]}（亿元）,{r.name_short},{year},{i + 1}"
        for i, s in enumerate(w.SERIES)
        for r in w.MAINLAND.itertuples()
        if (s, r.name_short) not in skip
    ]


def xlsx(rows):
    def make(path):
        w.write_xlsx(path, rows)
        return path.read_bytes()

    return make


def empty_xlsx(path):
    w.write_xlsx(path, [])
    return path.read_bytes()


def fake_zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return path.read_bytes()


NBS_YEARS = ["数据库：分省年度数据", "指标：地区生产总值(亿元)", "时间：最近2年"]

# name -> (file name, bytes or a function of the path returning bytes, error class, place in message)
CORPUS = {
    "empty file": ("a.csv", b"", E.NoDataError, None),
    "only blank lines": ("a.csv", b"\r\n \r\n\t\r\n", E.NoDataError, None),
    "header only": ("a.csv", text(HEAD), E.NoDataError, "line 1"),
    "header and notes only": ("a.csv", text(HEAD, "数据来源：EPS数据平台"), E.NoDataError, "line 1"),
    "binary garbage": ("a.csv", bytes(range(256)) * 40, E.UndecodableFileError, None),
    "garbage without NUL bytes": ("a.csv", b"\x80\xff\xfe\x81" * 100, E.UndecodableFileError, "offset 0"),
    "wrong encoding (Latin-1)": (
        "a.csv",
        "indicator,region,time,Val\nGDP (100 million yuan),Café,2020,1\n".encode("latin-1"),
        E.UndecodableFileError,
        "line 2",
    ),
    "UTF-16 without byte order mark": (
        "a.csv",
        text(HEAD, f"{GDP},北京,2020,1", encoding="utf-16-le"),
        E.UndecodableFileError,
        None,
    ),
    "truncated inside a GBK character": (
        "a.csv",
        text(HEAD, f"{GDP},北京,2020,1", encoding="gbk")[:-5] + "北".encode("gbk")[:1],
        E.UndecodableFileError,
        "line 2",
    ),
    "truncated inside a UTF-8 character": (
        "a.csv",
        text(HEAD, f"{GDP},北京,2020,1")[:-9],
        E.UndecodableFileError,
        "last line 2",
    ),
    "truncated inside a row": (
        "a.csv",
        text(HEAD, f"{GDP},北京,2020,1", f"{GDP},北")[:-1],
        E.TruncatedFileError,
        "line 3",
    ),
    "HTML page saved as .xls": (
        "a.xls",
        b"<html><body><table><tr><td>x</td></tr></table></body></html>",
        E.SavedWebPageError,
        "line 1",
    ),
    "session-expired page starting with a script": (
        "a.csv",
        text("", "<script>window.location.href='/login?expired=1'</script>", "<p>会话已过期</p>"),
        E.SavedWebPageError,
        "line 2",
    ),
    "doctype page saved as .csv": (
        "a.csv",
        "\ufeff<!DOCTYPE html>\n<html><head><title>登录</title></head></html>\n".encode("utf-8"),
        E.SavedWebPageError,
        "'<!DOCTYPE html>'",  # the tag only (issue 21)
    ),
    "zip that is not a workbook": ("a.xlsx", fake_zip, E.UndecodableFileError, None),
    "corrupt xls": ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x01" * 300, E.UndecodableFileError, None),
    "corrupt dta": ("a.dta", b"<stata_dta><header><release>118</release>garbage", E.UndecodableFileError, None),
    "workbook without data": ("a.xlsx", empty_xlsx, E.NoDataError, None),
    "10 MB single line": ("a.csv", b"x" * 10_000_000, E.HeaderNotFoundError, None),
    "10 MB single line of separators": ("a.csv", b"1," * 5_000_000, E.MalformedRowError, "line 1"),
    "no header": ("a.csv", text(f"{GDP},北京,2020,1", f"{GDP},天津,2020,2"), E.HeaderNotFoundError, None),
    "two region columns": (
        "a.csv",
        text("指标,地区,时间,数值,地区", f"{GDP},北京,2020,1,北京"),
        E.HeaderNotFoundError,
        "line 1",
    ),
    "swapped year and value": ("a.csv", text(HEAD, f"{GDP},北京,11115.00,2008"), E.BadYearError, "line 2"),
    "swapped indicator and region": (
        "a.csv",
        text("地区,指标,时间,数值", f"{GDP},北京,2020,1"),
        E.MissingIndicatorError,
        None,
    ),
    "year that is not a year": (
        "a.csv",
        text(HEAD, f"{GDP},北京,2020,1", f"{GDP},天津,二〇二〇,1"),
        E.BadYearError,
        "line 3",
    ),
    "year heading that is not a year": (
        "a.csv",
        text(*NBS_YEARS, "地区,2021年,2O20年", "北京市,1,2"),
        E.BadYearError,
        "line 4",
    ),
    "one-year NBS file without its year": (
        "a.csv",
        text("数据库：分省年度数据", "地区,地区生产总值(亿元)", "北京市,1"),
        E.BadYearError,
        "line 2",
    ),
    "NBS table without its indicator": (
        "a.csv",
        text("地区,2021年,2020年", "北京市,1,2"),
        E.MissingIndicatorError,
        "line 1",
    ),
    "万元 mixed with 亿元": (
        "a.csv",
        text(HEAD, f"{GDP},北京,2020,1", "地区生产总值（万元）,天津,2020,10000"),
        E.UnknownUnitError,
        "line 3",
    ),
    "unknown unit": ("a.csv", text(HEAD, "地区生产总值（亿美元）,北京,2020,1"), E.UnknownUnitError, "line 2"),
    "no unit in an export": ("a.csv", text(HEAD, "地区生产总值,北京,2020,1"), E.UnknownUnitError, "line 2"),
    "non-numeric value": (
        "a.csv",
        text(HEAD, f"{GDP},北京,2020,1", f"{GDP},天津,2020,12a"),
        E.NonNumericValueError,
        "line 3",
    ),
    "infinite value": ("a.csv", text(HEAD, f"{GDP},北京,2020,inf"), E.NonNumericValueError, "line 2"),
    "non-numeric cell in a workbook": (
        "a.xlsx",
        xlsx([["指标", "地区", 2020], ["地区生产总值(亿元)", "北京", "n/a?"]]),
        E.NonNumericValueError,
        "row 2, column '2020.0'",
    ),
    "ambiguous indicator": (
        "a.csv",
        text(HEAD, f"{GDP},北京,2020,1", "国内生产总值（亿元）,北京,2020,1"),
        E.MissingIndicatorError,
        "line 3",
    ),
    "no analysis indicator": ("a.csv", text(HEAD, "人均地区生产总值（元）,北京,2020,1"), E.MissingIndicatorError, None),
    "extra field in a row": ("a.csv", text(HEAD, f"{GDP},北京,2020,11,115.00"), E.MalformedRowError, "line 2"),
    "unclosed quote": ("a.csv", text(HEAD, f'{GDP},"北京,2020,1', f"{GDP},天津,2020,1"), E.MalformedRowError, None),
    "region cell empty": ("a.csv", text(HEAD, f"{GDP},,2020,1"), E.MalformedRowError, "line 2"),
    "wide block without indicator": (
        "a.xlsx",
        xlsx([["指标", "地区", 2020], ["", "北京", 1]]),
        E.MalformedRowError,
        "row 2",
    ),
}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_malformed_extract(case, tmp_path):
    name, content, error, place = CORPUS[case]
    path = tmp_path / name
    path.write_bytes(content(path) if callable(content) else content)
    with pytest.raises(error) as err:
        read_extract(path)
    assert type(err.value) is error  # the specific class, not a parent
    message = str(err.value)
    assert message.startswith(path.as_posix())
    if place:
        assert place in message


def panel(paths, years=(2020, 2020)):
    return build_panel(read_extracts(paths), REGIONS, AGGREGATES, ["西藏"], {"start": years[0], "end": years[1]})


def write(tmp_path, rows, name="a.csv"):
    return w.write_text(tmp_path / name, [HEAD] + rows)


def test_duplicate_row(tmp_path):
    path = write(tmp_path, full_panel_rows() + [f"{GDP},北京市,2020,1"])
    with pytest.raises(E.DuplicateCellError, match=r"北京 2020 gdp \(line 2\).*北京市 2020 gdp \(line 126\)"):
        panel([path])


def test_unknown_regions_all_listed(tmp_path):
    rows = full_panel_rows() + [f"{GDP},北平,2020,1", f"{GDP},Shanxii,2020,1", f"{GDP},北平,2020,2"]
    with pytest.raises(E.UnknownRegionError, match=r"2 region name\(s\).*'北平' .*line 126.*'Shanxii'"):
        panel([write(tmp_path, rows)])


def test_missing_value_marker_named_by_balanced_check(tmp_path):
    rows = full_panel_rows(skip={("tertiary", "广东")}) + ["第三产业增加值（亿元）,广东,2020,--"]
    with pytest.raises(E.UnbalancedPanelError, match=r"广东 \(440000\) tertiary: 2020"):
        panel([write(tmp_path, rows)])


def test_indicator_missing_from_every_file(tmp_path):
    rows = [r for r in full_panel_rows() if not r.startswith("第三产业")]
    with pytest.raises(E.MissingIndicatorError, match=r"\['tertiary'\]"):
        panel([write(tmp_path, rows)])


def test_same_file_listed_twice(tmp_path):
    path = write(tmp_path, full_panel_rows())
    with pytest.raises(E.ConfigError, match="listed more than once"):
        read_extracts([path, tmp_path / "." / "a.csv"])
