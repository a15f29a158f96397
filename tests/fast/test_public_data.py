"""The shipped public default data (data/raw/public/) and the GDP + composition (%) layout that
reads it: the file is what its script writes from the source JSON, the reader turns shares into
levels by hand-checked arithmetic, and a composition that does not sum to about 100 stops the run
naming the cells. The default run on it: tests/workflow/test_public_data.py."""

import csv
import io

import make_public_data as mpd
import pytest
from conftest import HEADER, PUBLIC, parse_public, shared_file

from upgrade_repro.errors import CompositionError, MissingIndicatorError, UnknownUnitError
from upgrade_repro.ingest.extracts import detect_layout, read_extract
from upgrade_repro.ingest.layouts import COMPOSITION_TOLERANCE
from upgrade_repro.ingest.names import share_sector
from upgrade_repro.ingest.sheets import load_sheet


# ---------------------------------------------------------------- the shipped file
def test_shipped_file_is_rebuilt_byte_for_byte_from_the_source_json():
    source = shared_file("source/gdpDataByYear.json")
    assert mpd.build(source) == PUBLIC.read_bytes()


def test_shipped_file_holds_31_provinces_and_the_nation_2008_2022():
    data = parse_public()
    regions = {r for r, _ in data}
    assert len(regions) == 32 and "中国" in regions and "西藏自治区" in regions
    assert {y for _, y in data} == set(range(2008, 2023)) and len(data) == 32 * 15
    # as published: 北京 2020 first-published GDP, shares summing to 100 within rounding
    assert data[("北京市", 2020)][0] == 36102.55
    assert all(abs(sum(v[1:]) - 100) <= 0.1 + 1e-9 for v in data.values())


def test_public_rows_from_a_small_source():
    order = {"中国": 0, "北京市": 1, "天津市": 2}
    source = {
        "2009": {
            "map": [
                {"name": "天津市", "value": 7521.85},
                {"name": "中国", "value": 348517.74},
                {"name": "北京市", "value": 12153},
            ],
            "pie": [
                {
                    "name": n,
                    "value": [
                        {"name": "第三产业", "value": 50.0},
                        {"name": "第一产业", "value": 1.25},
                        {"name": "第二产业", "value": 48.75},
                    ],
                }
                for n in ("天津市", "北京市", "中国")
            ],
        }
    }
    rows = mpd.public_rows(source, order, years=[2009])
    assert rows == [
        ["中国", "2009", "348517.74", "1.25", "48.75", "50.0"],
        ["北京市", "2009", "12153", "1.25", "48.75", "50.0"],
        ["天津市", "2009", "7521.85", "1.25", "48.75", "50.0"],
    ]
    assert mpd.render(rows[:1]).decode("utf-8-sig") == HEADER + "\n中国,2009,348517.74,1.25,48.75,50.0\n"
    source["2009"]["pie"][0]["value"].pop()
    with pytest.raises(ValueError, match="天津市"):
        mpd.public_rows(source, order, years=[2009])


def test_shipped_file_matches_the_eps_style_extract_of_the_same_vintage():
    """A second route to the same numbers: ../shared's EPS-style extract holds sector levels made
    from the same source (rounded to 0.01 亿元); the reader's levels agree to that rounding."""
    eps = shared_file("eps/eps_long_2008_2021.csv")
    rows = csv.reader(io.StringIO(eps.read_bytes().decode("gb18030")))
    names = {
        "地区生产总值（亿元）": "gdp",
        "第一产业增加值（亿元）": "primary",
        "第二产业增加值（亿元）": "secondary",
        "第三产业增加值（亿元）": "tertiary",
    }
    expected = {(names[r[0]], r[1], int(r[2])): float(r[3]) for r in rows if len(r) == 4 and r[2].isdigit()}
    got = read_extract(PUBLIC)
    got["short"] = got["region"].str.replace(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", regex=True)
    got["short"] = got["short"].replace({"中国": "全国"})
    got = {(r.indicator, r.short, r.year): r.value for r in got.itertuples() if r.year <= 2021}
    assert got.keys() == expected.keys()
    assert max(abs(got[k] - expected[k]) for k in got) <= 0.005 + 1e-9


# ---------------------------------------------------------------- the composition layout
def write(tmp_path, lines, name="c.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_composition_layout_turns_shares_into_levels(tmp_path):
    path = write(
        tmp_path,
        [
            "省份,年份,第三产业比重(%),地区生产总值(万元),第一产业比重(%),第二产业比重(%)",
            "北京,2020,83.9,361025500,0.3,15.8",
            "河南,2010,28.6,230922000,14.1,57.3",
        ],
        encoding="gb18030",
    )
    assert detect_layout(load_sheet(path, path.as_posix())) == "composition"
    table = read_extract(path).set_index(["region", "indicator"])
    assert table.loc[("北京", "gdp"), "value"] == 361025500 and table.loc[("北京", "gdp"), "unit"] == "万元"
    # 361025500 x 83.9 / 100 by hand
    assert table.loc[("北京", "tertiary"), "value"] == pytest.approx(302900394.5, rel=1e-12)
    assert table.loc[("河南", "primary"), "value"] == pytest.approx(32560002.0, rel=1e-12)
    assert table.loc[("河南", "secondary"), "line"] == 3
    assert set(table["unit"]) == {"万元"}
    assert "× 第二产业比重(%) / 100" in table.loc[("河南", "secondary"), "indicator_raw"]


@pytest.mark.parametrize(
    "head, sector",
    [
        ("第一产业比重（%）", "primary"),
        ("第三产业增加值比重", "tertiary"),
        ("第二产业（%）", "secondary"),
        ("Share of tertiary industry (%)", "tertiary"),
        ("第一产业", None),
        ("地区生产总值（亿元）", None),
        ("第一产业增加值（亿元）", None),
        ("人均地区生产总值比重", None),
    ],
)
def test_share_heads(head, sector):
    assert share_sector(head) == sector


def test_a_composition_off_100_names_file_line_region_year_and_shares(tmp_path):
    path = write(tmp_path, [HEADER, "北京市,2020,36102.55,0.3,15.8,83.9", "天津市,2020,14083.73,1.5,34.1,63.9"])  # 99.5
    with pytest.raises(CompositionError) as err:
        read_extract(path)
    msg = str(err.value)
    assert msg.startswith(path.as_posix()) and "line 3 (天津市, 2020)" in msg
    assert "第一产业比重(%) 1.5 + 第二产业比重(%) 34.1 + 第三产业比重(%) 63.9 = 99.5" in msg
    assert "北京" not in msg


def test_the_tolerance_admits_published_rounding_and_nothing_more(tmp_path):
    ok = write(tmp_path, [HEADER, "北京市,2020,100,0.3,15.8,84.0"], "ok.csv")  # 100.1, as published
    assert len(read_extract(ok)) == 4
    off = 100 + COMPOSITION_TOLERANCE + 0.05
    bad = write(tmp_path, [HEADER, f"北京市,2020,100,0.3,15.8,{off - 16.1:.2f}"], "bad.csv")
    with pytest.raises(CompositionError, match="line 2"):
        read_extract(bad)


def test_fractions_instead_of_percent_are_an_error(tmp_path):
    path = write(tmp_path, [HEADER, "北京市,2020,36102.55,0.003,0.158,0.839"])
    with pytest.raises(CompositionError, match="= 1"):
        read_extract(path)


def test_a_share_column_in_yuan_is_not_a_share(tmp_path):
    path = write(
        tmp_path,
        [
            "地区,年份,地区生产总值（亿元）,第一产业比重（亿元）,第二产业比重（%）,第三产业比重（%）",
            "北京市,2020,36102.55,0.3,15.8,83.9",
        ],
    )
    with pytest.raises(UnknownUnitError, match="第一产业比重"):
        read_extract(path)


def test_a_table_with_sector_levels_is_read_for_its_levels(tmp_path):
    """Levels beside shares: the levels are taken (tidy layout), the shares ignored as elsewhere."""
    path = write(
        tmp_path,
        [
            "地区,年份,地区生产总值（亿元）,第一产业增加值（亿元）,第二产业增加值（亿元）,"
            "第三产业增加值（亿元）,第三产业比重（%）",
            "北京市,2020,36102.55,107.6,5716.4,30278.6,83.9",
        ],
    )
    assert detect_layout(load_sheet(path, path.as_posix())) == "tidy"
    table = read_extract(path).set_index("indicator")
    assert table.loc["tertiary", "value"] == 30278.6 and len(table) == 4


def test_a_composition_without_a_gdp_level_is_refused(tmp_path):
    path = write(
        tmp_path, ["地区,年份,第一产业比重（%）,第二产业比重（%）,第三产业比重（%）", "北京市,2020,0.3,15.8,83.9"]
    )
    with pytest.raises(MissingIndicatorError, match="0 GDP column"):
        read_extract(path)


def test_a_percent_series_in_a_long_extract_is_never_a_level(tmp_path):
    """Elsewhere than the composition layout a share is ignored (比重) or refused (a % unit)."""
    path = write(
        tmp_path, ["指标,地区,时间,数值", "地区生产总值（亿元）,北京,2020,36102.55", "第一产业（%）,北京,2020,0.3"]
    )
    with pytest.raises(UnknownUnitError, match="'%'"):
        read_extract(path)
    path = write(
        tmp_path,
        ["指标,地区,时间,数值", "地区生产总值（亿元）,北京,2020,36102.55", "第一产业比重（%）,北京,2020,0.3"],
        "b.csv",
    )
    assert set(read_extract(path)["indicator"]) == {"gdp"}
