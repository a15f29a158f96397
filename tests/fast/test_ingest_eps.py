"""The EPS long reader on small files written here, numbers checked by hand."""

import math

import pytest

from upgrade_repro.errors import (
    BadYearError,
    HeaderNotFoundError,
    MissingFileError,
    NoDataError,
    NonNumericValueError,
    UndecodableFileError,
)
from upgrade_repro.ingest.extracts import read_extract
from upgrade_repro.ingest.names import split_indicator

FOOTER = ["数据来源：EPS数据平台", "版权声明：本数据仅供授权用户使用", "导出时间：2024-09-01"]


def write_eps(path, rows, footer=FOOTER, encoding="gb18030", newline="\r\n"):
    lines = ["指标,地区,时间,数值"] + [",".join(map(str, r)) for r in rows] + footer
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def test_reads_values_units_and_lines(tmp_path):
    f = write_eps(
        tmp_path / "x.csv",
        [
            ("地区生产总值（亿元）", "北京", 2020, "36102.55"),
            ("第一产业增加值（万元）", "北 京", "2020年", "1073000"),
            ("人均地区生产总值（元）", "北京", 2020, "164889"),
        ],
    )
    t = read_extract(f)
    # the per-capita look-alike is left out; the rest keep their line numbers in the file
    assert list(t["line"]) == [2, 3]
    assert list(t["indicator"]) == ["gdp", "primary"]
    assert list(t["unit"]) == ["亿元", "万元"]
    assert list(t["year"]) == [2020, 2020]
    assert t["value"].tolist() == [36102.55, 1073000.0]
    assert list(t["region"]) == ["北京", "北京"]  # spaces inside Chinese names removed; mapped in clean


def test_missing_markers_become_nan(tmp_path):
    f = write_eps(
        tmp_path / "x.csv",
        [("地区生产总值（亿元）", "北京", y, v) for y, v in [(2008, "--"), (2009, "…"), (2010, ""), (2011, "1.5")]],
    )
    values = read_extract(f)["value"].tolist()
    assert [math.isnan(v) for v in values[:3]] == [True, True, True] and values[3] == 1.5


def test_utf8_with_bom_and_tabs(tmp_path):
    f = tmp_path / "x.txt"
    f.write_bytes("\ufeff指标\t地区\t时间\t数值\n第三产业增加值（亿元）\t上海\t2021\t31665.56\n".encode("utf-8"))
    t = read_extract(f)
    assert t.loc[0, "indicator"] == "tertiary" and t.loc[0, "value"] == 31665.56


def test_non_numeric_value_names_file_and_line(tmp_path):
    f = write_eps(
        tmp_path / "bad.csv",
        [("地区生产总值（亿元）", "北京", 2008, "1"), ("地区生产总值（亿元）", "北京", 2009, "12x")],
    )
    with pytest.raises(NonNumericValueError, match=r"bad\.csv.*line 3: '12x'"):
        read_extract(f)


def test_bad_year_names_line(tmp_path):
    f = write_eps(tmp_path / "bad.csv", [("地区生产总值（亿元）", "北京", "二〇〇八", "1")])
    with pytest.raises(BadYearError, match="line 2"):
        read_extract(f)


def test_missing_file_empty_file_binary_and_unknown_header(tmp_path):
    with pytest.raises(MissingFileError, match="nope.csv"):
        read_extract(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(NoDataError, match="empty"):
        read_extract(tmp_path / "empty.csv")
    (tmp_path / "bin.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(UndecodableFileError):
        read_extract(tmp_path / "bin.csv")
    (tmp_path / "other.csv").write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(HeaderNotFoundError, match=r"a text file of 2 line\(s\) \(2 not empty\), up to 3 fields"):
        read_extract(tmp_path / "other.csv")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("地区生产总值（亿元）", ("gdp", "亿元")),
        ("地区生产总值(亿元)", ("gdp", "亿元")),
        ("第二产业增加值 （万元）", ("secondary", "万元")),
        ("Value-added of Tertiary Industry (100 million yuan)", ("tertiary", "100 million yuan")),
        ("地区生产总值指数（上年=100）", (None, "上年=100")),
        ("第三产业增加值比重（%）", (None, "%")),
    ],
)
def test_split_indicator(name, expected):
    assert split_indicator(name) == expected
