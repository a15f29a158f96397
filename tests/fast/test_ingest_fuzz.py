"""Fuzzing the readers: whatever the bytes, read_extract returns the tidy table or raises one of
the reader's own errors (errors.InputError subclasses) -- never a pandas, codec or parser error."""

import string

import extract_writers as w
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upgrade_repro.errors import InputError
from upgrade_repro.ingest.extracts import read_extract
from upgrade_repro.ingest.tidy import TIDY_COLUMNS

HEADS = [
    "指标",
    "地区",
    "时间",
    "数值",
    "indicator",
    "region",
    "time",
    "Val",
    "province",
    "year",
    "gdp",
    "地区生产总值(亿元)",
    "第一产业增加值（万元）",
    "第三产业",
    "单位",
    "2020年",
    "2021",
    "人均地区生产总值",
]
CELLS = HEADS + [
    "北京",
    "北京市",
    "Inner Mongolia",
    "全国",
    "",
    "--",
    "…",
    "NA",
    "1.5",
    "-3",
    "1e400",
    "2020.0",
    "二〇二〇",
    "注：说明",
    "数据来源：国家统计局",
    "时间：2020年",
    "指标：地区生产总值(亿元)",
    '"',
    '"a,b"',
    "北　京",
    "１２",
]
CHINESE = "年元亿万：，（）北京"
cell = st.one_of(st.sampled_from(CELLS), st.text(string.printable + CHINESE, max_size=8))
# Worksheets cannot hold control characters other than tab and newline.
sheet_cell = st.one_of(
    st.sampled_from(CELLS),
    st.text(string.digits + string.ascii_letters + string.punctuation + " \t" + CHINESE, max_size=8),
)
row = st.lists(cell, min_size=0, max_size=6)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(path):
    try:
        table = read_extract(path)
    except InputError:
        return
    assert list(table.columns) == TIDY_COLUMNS
    assert table["indicator"].isin(["gdp", "primary", "secondary", "tertiary"]).all()
    assert pd.api.types.is_integer_dtype(table["year"]) and pd.api.types.is_float_dtype(table["value"])


@SETTINGS
@given(
    rows=st.lists(row, max_size=12),
    sep=st.sampled_from([",", "\t", "\t,", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_fuzz_text(tmp_path, rows, sep, encoding, newline):
    text = newline.join(sep.join(r) for r in rows)
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    check(path)


@SETTINGS
@given(
    data=st.binary(max_size=600),
    prefix=st.sampled_from(
        [
            b"",
            b"PK\x03\x04",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            b"<stata_dta>",
            b"\x72\x02\x01",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            "指标,地区,时间,数值\n".encode("gb18030"),
        ]
    ),
)
def test_fuzz_bytes(tmp_path, data, prefix):
    path = tmp_path / "f.bin"
    path.write_bytes(prefix + data)
    check(path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.lists(st.one_of(sheet_cell, st.floats(allow_nan=False), st.integers(1990, 2030)), max_size=5), max_size=8
    )
)
def test_fuzz_xlsx(tmp_path, rows):
    path = w.write_xlsx(tmp_path / "f.xlsx", rows)
    check(path)
