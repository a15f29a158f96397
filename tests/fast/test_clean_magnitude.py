"""Magnitude checks (issue 21, item 3): a level must lie within the plausible range of one province
(config checks.magnitude) and, when an extract has the national row, below the national level with the
provinces summing to about it (checks.national_sum). Damaged copies of the real extracts are written
here; the expected values are read from the files' text, a second way to the numbers."""

import re

import extract_writers as w
import pandas as pd
import pytest
from conftest import ROOT, shared_file

import upgrade_repro.errors as E
from upgrade_repro.checks import DEFAULT_SETTINGS, cell_table, check_magnitude, likely_unit, resolve_accepted
from upgrade_repro.clean import clean_stage, convert_to_yi_yuan, map_region_codes
from upgrade_repro.ingest.extracts import read_extracts
from upgrade_repro.regions import load_regions

REGIONS = load_regions(ROOT / "data" / "reference" / "provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data" / "reference" / "aggregates.csv", dtype=str)
EPS = "eps/eps_long_2008_2021.csv"
EPS_YEARS = {"start": 2008, "end": 2021}


def clean(paths, years=EPS_YEARS, checks=DEFAULT_SETTINGS, series=w.SERIES):
    return clean_stage(read_extracts(paths), REGIONS, AGGREGATES, ["西藏"], years, None, checks, series)


def scaled_eps(src, dest, factor, region=None, years=None):
    """A copy of an EPS long extract with the values of `region` (every region when None) and
    `years` (all when None) multiplied by `factor`; labels unchanged."""
    lines = src.read_bytes().decode("gb18030").split("\r\n")
    out = []
    for ln in lines:
        cells = ln.split(",")
        if len(cells) == 4 and re.fullmatch(r"[\d.]+", cells[3]):
            if (region is None or cells[1] == region) and (years is None or int(cells[2]) in years):
                cells[3] = f"{float(cells[3]) * factor:.2f}"
        out.append(",".join(cells))
    dest.write_bytes("\r\n".join(out).encode("gb18030"))
    return dest


def line_and_value(path, label, region, year):
    lines = path.read_bytes().decode("gb18030").split("\r\n")
    for i, ln in enumerate(lines, 1):
        if ln.startswith(f"{label},{region},{year},"):
            return i, float(ln.split(",")[3])
    raise LookupError((label, region, year))


def test_a_whole_file_in_wan_yuan_labelled_yi_yuan_stops(tmp_path):
    bad = scaled_eps(shared_file(EPS), tmp_path / "wan.csv", 10_000)
    line, value = line_and_value(bad, "地区生产总值（亿元）", "北京", 2008)
    assert value == 111_150_000  # the 北京 2008 GDP
    with pytest.raises(E.MagnitudeError) as err:
        clean([bad])
    message = str(err.value)
    assert message.startswith(f"{bad.as_posix()}: 1680 value(s) outside the plausible range of one province: ")
    assert (
        f"北京 (110000) 2008 gdp = 111150000 亿元 ({bad.as_posix()} line {line}) is 277.9 times the largest "
        "plausible provincial gdp, 400000 亿元 (config checks.magnitude.gdp); the file's values look like 万元, "
        "not 亿元 (divide by 10,000): fix the unit label or the file"
    ) in message
    assert "and 1670 more" in message  # 30 provinces x 14 years x 4 series, ten listed
    assert len(message) < 4000


def test_a_single_province_scaled_stops(tmp_path):
    # x 10,000: beyond the provincial range (NBS export, which has no national row)
    nbs = shared_file("nbs/nbs_sectors_2020_c5.csv")
    text = nbs.read_text(encoding="utf-8-sig").split("\n")
    row = next(i for i, ln in enumerate(text) if ln.startswith("北京市"))
    cells = text[row].split("\t,")
    gdp = float(cells[1])
    cells[1:5] = [f"{float(c) * 10_000:.1f}" for c in cells[1:5]]
    text[row] = "\t,".join(cells)
    bad = tmp_path / "nbs.csv"
    bad.write_text("\n".join(text), encoding="utf-8-sig")
    with pytest.raises(E.MagnitudeError) as err:
        clean([bad], {"start": 2020, "end": 2020})
    assert str(err.value).startswith(f"{bad.as_posix()}: 4 value(s) outside the plausible range")
    assert f"北京 (110000) 2020 gdp = {gdp * 10_000:.10g} 亿元 ({bad.as_posix()} line {row + 1})" in str(err.value)
    # x 10 (a lost decimal in a whole province): still inside the range, but above the national level
    bad = scaled_eps(shared_file(EPS), tmp_path / "gd.csv", 10, "广东", {2008})
    line, value = line_and_value(bad, "地区生产总值（亿元）", "广东", 2008)
    nat_line, national = line_and_value(bad, "地区生产总值（亿元）", "全国", 2008)
    assert value < 400_000 and value > national
    with pytest.raises(E.MagnitudeError) as err:
        clean([bad])
    message = str(err.value)
    assert (
        f"广东 (440000) 2008 gdp = {value:.10g} 亿元 ({bad.as_posix()} line {line}) is not below the national "
        f"level {national:.10g} ({bad.as_posix()} line {nat_line})"
    ) in message


def test_provinces_summing_far_above_the_national_total_stop(tmp_path):
    # 北京 x 8 in 2013 (its GDP stays in range and below the national level): the 30 provinces then
    # sum to more than 1.25 times the national GDP
    src = shared_file(EPS)
    bad = scaled_eps(src, tmp_path / "bj.csv", 8, "北京", {2013})
    long = read_extracts([src])
    year = long[(long["year"] == 2013) & (long["indicator"] == "gdp")].set_index("region")["value"]
    total = year.drop(["全国", "西藏"]).sum() + 7 * year["北京"]
    with pytest.raises(E.MagnitudeError) as err:
        clean([bad])
    assert (
        f"2013 gdp: the sample's provinces sum to {total:.10g}, {total / year['全国']:.4g} times the national "
        f"{year['全国']:.10g} (config checks.national_sum [0.9, 1.25])"
    ) in str(err.value)


@pytest.mark.parametrize(
    "files,years",
    [
        (["eps/eps_long_2008_2021.csv"], EPS_YEARS),
        (["eps/eps_long_2008_2021.csv", "eps/eps_long_2022.csv"], {"start": 2008, "end": 2022}),
        (["nbs/nbs_sectors_2020_c5.csv", "nbs/nbs_sectors_2021_c5.csv"], {"start": 2020, "end": 2021}),
    ],
)
def test_the_real_files_pass(files, years):
    result = clean([shared_file(f) for f in files], years)
    checks = result.data_checks.set_index("check")
    n_cells = 30 * (years["end"] - years["start"] + 1) * 4
    assert checks.loc["magnitude", "examined"] == n_cells and checks.loc["magnitude", "failed"] == 0
    has_national = files[0].startswith("eps")
    assert checks.loc["national_total", "examined"] == (n_cells if has_national else 0)
    assert checks.loc["national_sum", "failed"] == 0 and checks.loc["national_total", "failed"] == 0


def test_the_real_gdp_series_2006_2024_and_the_shipped_data_pass():
    long = convert_to_yi_yuan(read_extracts([shared_file("nbs/nbs_gdp_2006_2024_c5.csv")]))
    long = map_region_codes(long, REGIONS, AGGREGATES)
    long = long[REGIONS.set_index("code").loc[long["code"], "mainland"].to_numpy()]
    row, records = check_magnitude(cell_table(long), {}, DEFAULT_SETTINGS["magnitude"], resolve_accepted([], REGIONS))
    assert (row["examined"], row["failed"], records) == (31 * 19, 0, [])
    result = clean([ROOT / "data/raw/public/nbs_gdp_composition_2008_2022.csv"], {"start": 2008, "end": 2022})
    checks = result.data_checks.set_index("check")
    assert checks.loc["national_total", "examined"] == 30 * 15 * 4 and checks.loc["national_sum", "examined"] == 60


def test_relaxations_let_the_cells_through_and_are_listed(tmp_path):
    bad = scaled_eps(shared_file(EPS), tmp_path / "gd.csv", 10, "广东", {2008})
    accept = [
        {"check": "national_total", "region": "广东", "year": 2008, "series": s, "reason": "test"} for s in w.SERIES
    ]
    # the sector sums are fine (all four x 10), the jump to 2009 is not: accept it too
    accept += [
        {"check": "year_on_year", "region": "广东", "year": 2008, "series": s, "reason": "test"} for s in w.SERIES
    ]
    wide_sum = {"min_ratio": 0.9, "max_ratio": 2.5}
    result = clean([bad], checks={**DEFAULT_SETTINGS, "national_sum": wide_sum, "accept": accept})
    checks = result.data_checks.set_index("check")
    # the series whose x 10 value exceeds the national one, read from the file's text
    above = [
        s
        for s in w.SERIES
        if line_and_value(bad, f"{w.CN[s]}（亿元）", "广东", 2008)[1]
        >= line_and_value(bad, f"{w.CN[s]}（亿元）", "全国", 2008)[1]
    ]
    assert 0 < len(above) < 4
    assert tuple(checks.loc["national_total", ["failed", "accepted"]]) == (len(above), len(above))
    assert checks.loc["national_sum", "threshold"] == "0.9 <= sum / national <= 2.5"
    assert checks.loc["national_sum", "config_key"] == "checks.national_sum"
    rows = result.accepted[result.accepted["check"] == "national_total"]
    assert list(rows["series"]) == above and set(rows["province"]) == {"广东"}
    # a wider range lets a x 10,000 file through, and the threshold says so
    wan = scaled_eps(shared_file(EPS), tmp_path / "wan.csv", 10_000)
    wide = {s: {"min": 1, "max": 1e10} for s in DEFAULT_SETTINGS["magnitude"]}
    result = clean([wan], checks={**DEFAULT_SETTINGS, "magnitude": wide})
    row = result.data_checks.set_index("check").loc["magnitude"]
    assert row["config_key"] == "checks.magnitude" and "gdp 1-1e+10 亿元" in row["threshold"]
    # an accepted magnitude cell is recorded with its reason
    result = clean(
        [scaled_eps(shared_file(EPS), tmp_path / "one.csv", 10_000, "宁夏", {2008})],
        checks={
            **DEFAULT_SETTINGS,
            "national_sum": {"min_ratio": 0.9, "max_ratio": 100},
            "accept": [
                {"check": c, "region": "宁夏", "year": 2008, "series": s, "reason": "known"}
                for c in ("magnitude", "national_total", "year_on_year")
                for s in w.SERIES
            ],
        },
    )
    rows = result.accepted[result.accepted["check"] == "magnitude"]
    assert len(rows) == 4 and rows["detail"].str.contains("look like 万元, not 亿元").all()


def test_likely_unit_names_the_unit_that_brings_a_value_into_range():
    assert "look like 万元, not 亿元 (divide by 10,000)" in likely_unit(1.2e8, "亿元", "gdp", 10, 4e5)
    assert "look like 元, not 亿元 (divide by 100,000,000)" in likely_unit(1.2e12, "亿元", "gdp", 10, 4e5)
    # 亿元 figures under a 万元 label: the panel value (after conversion) is 10^4 too small
    assert "look like 亿元, not 万元 (multiply by 10,000)" in likely_unit(1.2, "万元", "gdp", 10, 4e5)
    assert "look like 人, not 万人 (divide by 10,000)" in likely_unit(4.5e7, "万人", "employed", 10, 2e4)
    assert likely_unit(5, "亿元", "gdp", 10, 4e5).startswith("no unit brings it into range")
