"""Rule clean, its integrity checks (issue 12; upgrade_repro/checks.py): for each check an extract that
fails it and one that passes, both written here (tests/extract_writers.py); a property test
injecting each corruption at a random cell of a valid extract; the real extracts pass with the
documented margins. The reader-level checks are ingest's (test_ingest.py); a damaged extract
through the workflow: tests/workflow/test_clean.py."""

import re

import extract_writers as w
import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import upgrade_repro.errors as E
from upgrade_repro.checks import DEFAULT_SETTINGS, resolve_accepted
from upgrade_repro.clean import clean_stage
from upgrade_repro.describe import describe
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.ingest.extracts import read_extracts
from upgrade_repro.regions import load_regions

REGIONS = load_regions(ROOT / "data" / "reference" / "provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data" / "reference" / "aggregates.csv", dtype=str)
YEARS = {"start": w.YEARS[0], "end": w.YEARS[-1]}
NUMBERS = w.make_numbers()
NAMES = w.names("name_short")


def pipeline(paths, checks=DEFAULT_SETTINGS):
    """Read, clean (with the checks), indicators, Table 1: what the workflow does up to Table 1."""
    result = clean_stage(read_extracts(paths), REGIONS, AGGREGATES, ["西藏"], YEARS, None, checks)
    return result, describe(compute_indicators(result.panel, "gdp", result.sources))


def line_of(path, region, year, series, encoding="gb18030"):
    """Line number of a value in an EPS long csv, found in the text: a second way to the place."""
    label = f"{w.CN[series]}（亿元）,{region},{year},"
    lines = path.read_bytes().decode(encoding).splitlines()
    return next(i for i, ln in enumerate(lines, 1) if ln.startswith(label))


def value_of(numbers, code, year, series):
    return numbers.loc[(numbers["code"] == code) & (numbers["year"] == year), series].item()


# The magnitude check relaxed out of the way, to reach the checks after it.
WIDE_MAGNITUDE = {
    **DEFAULT_SETTINGS,
    "magnitude": {s: {"min": 1e-3, "max": 1e12} for s in DEFAULT_SETTINGS["magnitude"]},
}


def with_accept(*entries, **overrides):
    return {**DEFAULT_SETTINGS, **overrides, "accept": list(entries)}


# ---------------------------------------------------------------- every level > 0
def test_valid_extract_passes_every_check_and_counts_what_it_examined(tmp_path):
    path = w.eps_long_csv(tmp_path / "ok.csv", NUMBERS)
    result, table1 = pipeline([path])
    checks = result.data_checks.set_index("check")
    n_cells = 30 * 3 * 4  # 30 provinces (no Tibet) x 3 years x 4 series
    assert checks.loc["levels_positive", "examined"] == n_cells
    assert checks.loc["balanced_panel", "examined"] == n_cells
    assert checks.loc["sector_sum", "examined"] == 30 * 3
    assert checks.loc["year_on_year", "examined"] == 30 * 2 * 4  # two year pairs per series
    assert (checks["failed"] == 0).all() and (checks["accepted"] == 0).all() and result.accepted.empty
    assert checks.loc["sector_sum", "threshold"] == "abs(sum / GDP - 1) <= 0.2 %"
    pd.testing.assert_frame_equal(table1, w.expected_table1(NUMBERS), check_dtype=False)
    # every panel cell traced to its raw line
    src = result.sources.set_index(["code", "year", "indicator"])
    assert src.loc[("440000", 2019, "tertiary"), "line"] == line_of(path, "广东", 2019, "tertiary")


@pytest.mark.parametrize("kind", ["zero", "negative"])
def test_level_not_positive_fails_naming_file_line_and_value(tmp_path, kind):
    bad = w.corrupt(NUMBERS, kind, "530000", 2019, "secondary")
    path = w.eps_long_csv(tmp_path / "bad.csv", bad)
    with pytest.raises(E.NonPositiveLevelError) as err:
        pipeline([path])
    message = str(err.value)
    value = value_of(bad, "530000", 2019, "secondary")
    assert message.startswith(path.as_posix() + ": 1 value(s) <= 0")
    assert (
        f"云南 (530000) 2019 secondary = {value:.10g} ({path.as_posix()} line "
        f"{line_of(path, '云南', 2019, 'secondary')})"
    ) in message
    assert "cannot be relaxed" in message
    # nothing in config lets it through: checks.accept has no levels check (schema)
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    accept_checks = schema["properties"]["checks"]["properties"]["accept"]["items"]["properties"]["check"]["enum"]
    assert "levels_positive" not in accept_checks


# ---------------------------------------------------------------- sectors sum to GDP
def test_lost_decimal_in_gdp_fails_the_sector_sum(tmp_path):
    bad = w.corrupt(NUMBERS, "lost_decimal", "650000", 2020, "gdp")
    path = w.eps_long_csv(tmp_path / "bad.csv", bad)
    with pytest.raises(E.SectorSumError) as err:
        pipeline([path])
    message = str(err.value)
    gdp = value_of(bad, "650000", 2020, "gdp")
    total = sum(value_of(bad, "650000", 2020, s) for s in ("primary", "secondary", "tertiary"))
    assert message.startswith(path.as_posix() + ": 1 province-year(s)")
    assert "新疆 (650000) 2020: " in message and f"against GDP {gdp:.10g}: {100 * (total / gdp - 1):+.3f} %" in message
    assert f"gdp {path.as_posix()} line {line_of(path, '新疆', 2020, 'gdp')}" in message
    assert "checks.accept" in message and "checks.sector_sum_tolerance_pct" in message


def test_wan_yuan_series_fails_every_year_of_the_province(tmp_path):
    bad = w.corrupt(NUMBERS, "wan_yuan", "440000", 2020, "secondary")
    path = w.eps_long_csv(tmp_path / "bad.csv", bad)
    # the magnitude check runs before the sums and names the unit (issue 21)
    with pytest.raises(E.MagnitudeError, match=r"3 value\(s\) outside the plausible range") as err:
        pipeline([path])
    assert all(f"广东 (440000) {y} secondary = " in str(err.value) for y in w.YEARS)
    assert "look like 万元, not 亿元 (divide by 10,000)" in str(err.value)
    # with the magnitude check widened, the sector sums still catch it
    with pytest.raises(E.SectorSumError, match=r"3 province-year\(s\)") as err:
        pipeline([path], WIDE_MAGNITUDE)
    assert all(f"广东 (440000) {y}: " in str(err.value) for y in w.YEARS)


def test_sector_sum_within_tolerance_passes_and_accepted_cell_is_recorded(tmp_path):
    numbers = NUMBERS.copy()
    at = (numbers["code"] == "110000") & (numbers["year"] == 2019)
    numbers.loc[at, "gdp"] = numbers.loc[at, ["primary", "secondary", "tertiary"]].sum(axis=1) * 1.0015  # 0.15 %
    path = w.eps_long_csv(tmp_path / "ok.csv", numbers.round(2))
    result, _ = pipeline([path])
    assert result.data_checks.set_index("check").loc["sector_sum", "failed"] == 0
    # 1 % off: fails by default, passes once accepted with a reason, and the acceptance is recorded
    numbers.loc[at, "gdp"] = numbers.loc[at, ["primary", "secondary", "tertiary"]].sum(axis=1) * 1.01
    path = w.eps_long_csv(tmp_path / "off.csv", numbers.round(2))
    with pytest.raises(E.SectorSumError, match=r"北京 \(110000\) 2019"):
        pipeline([path])
    result, _ = pipeline(
        [path], with_accept({"check": "sector_sum", "region": "北京市", "year": 2019, "reason": "published so"})
    )
    row = result.data_checks.set_index("check").loc["sector_sum"]
    assert (row["failed"], row["accepted"]) == (1, 1)
    accepted = result.accepted.iloc[0]
    assert (accepted["check"], accepted["code"], accepted["year"], accepted["reason"]) == (
        "sector_sum",
        "110000",
        2019,
        "published so",
    )
    assert "-0.990 %" in accepted["detail"]
    # a wider tolerance is the other relaxation; its value is the threshold recorded
    result, _ = pipeline([path], with_accept(sector_sum_tolerance_pct=1.5))
    assert result.data_checks.set_index("check").loc["sector_sum", "threshold"] == "abs(sum / GDP - 1) <= 1.5 %"


def test_accepted_region_must_exist():
    with pytest.raises(E.ConfigError, match=r"checks\.accept\[1\].*'Narnia'"):
        resolve_accepted(
            [
                {"check": "sector_sum", "region": "110000", "year": 2019, "reason": "x"},
                {"check": "sector_sum", "region": "Narnia", "year": 2019, "reason": "x"},
            ],
            REGIONS,
        )


# ---------------------------------------------------------------- year-on-year band
def test_province_year_in_wan_yuan_fails_year_on_year_with_neighbouring_years(tmp_path):
    bad = w.corrupt(NUMBERS, "year_in_wan", "370000", 2019, "gdp")  # the sectors still sum to GDP
    path = w.eps_long_csv(tmp_path / "bad.csv", bad)
    with pytest.raises(E.MagnitudeError, match=r"山东 \(370000\) 2019 gdp = "):
        pipeline([path])  # the magnitude check comes first (issue 21)
    with pytest.raises(E.YearOnYearError) as err:
        pipeline([path], WIDE_MAGNITUDE)
    message = str(err.value)
    assert message.startswith(path.as_posix() + ": 8 year-on-year ratio(s) outside [0.5, 2]")
    v18, v19, v20 = (value_of(bad, "370000", y, "tertiary") for y in (2018, 2019, 2020))
    line19 = line_of(path, "山东", 2019, "tertiary")
    assert (
        f"山东 (370000) tertiary 2018 -> 2019: {v18:.10g} ({path.as_posix()} line {line19 - 1}) -> "
        f"{v19:.10g} ({path.as_posix()} line {line19}), ratio {v19 / v18:.4g}; neighbouring years "
        f"2020: {v20:.10g}"
    ) in message


def test_year_on_year_inside_the_band_passes_and_an_accepted_break_is_recorded(tmp_path):
    numbers = NUMBERS.copy()
    at = (numbers["code"] == "210000") & (numbers["year"] == 2020)
    numbers.loc[at, w.SERIES] = numbers.loc[at, w.SERIES] * 1.8  # a jump, but inside [0.5, 2]
    result, _ = pipeline([w.eps_long_csv(tmp_path / "ok.csv", numbers.round(2))])
    assert result.data_checks.set_index("check").loc["year_on_year", "failed"] == 0
    numbers.loc[at, w.SERIES] = numbers.loc[at, w.SERIES] * 2  # now x 3.6
    path = w.eps_long_csv(tmp_path / "jump.csv", numbers.round(2))
    with pytest.raises(E.YearOnYearError, match=r"4 year-on-year ratio"):
        pipeline([path])
    accept = [
        {"check": "year_on_year", "region": "辽宁", "year": 2020, "series": s, "reason": "boundary change"}
        for s in w.SERIES
    ]
    result, _ = pipeline([path], with_accept(*accept))
    row = result.data_checks.set_index("check").loc["year_on_year"]
    assert (row["failed"], row["accepted"]) == (4, 4)
    assert sorted(result.accepted["series"]) == sorted(w.SERIES)
    # or a wider band
    result, _ = pipeline([path], with_accept(year_on_year={"min_ratio": 0.2, "max_ratio": 5}))
    assert result.data_checks.set_index("check").loc["year_on_year", "failed"] == 0


# ---------------------------------------------------------------- property: every corruption stops
CELL_CORRUPTIONS = {
    "zero": E.NonPositiveLevelError,
    "negative": E.NonPositiveLevelError,
    # x 100 may or may not take the value beyond the plausible provincial range (issue 21)
    "lost_decimal": (E.MagnitudeError, E.SectorSumError),
    "wan_yuan": E.MagnitudeError,
    "year_in_wan": E.MagnitudeError,
}
SAMPLE = [c for c in w.MAINLAND["code"] if c != "540000"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(sorted(CELL_CORRUPTIONS) + ["cut_off"]),
    code=st.sampled_from(SAMPLE),
    year=st.sampled_from(w.YEARS),
    series=st.sampled_from(w.SERIES),
    keep=st.integers(0, 20),
)
def test_any_corruption_anywhere_stops_before_table1(tmp_path, kind, code, year, series, keep):
    path = tmp_path / f"{kind}.csv"
    if kind == "cut_off":
        expected = E.TruncatedFileError
        w.cut_off(w.eps_long_csv(path, NUMBERS), keep)
    else:
        expected = CELL_CORRUPTIONS[kind]
        w.eps_long_csv(path, w.corrupt(NUMBERS, kind, code, year, series))
    with pytest.raises(expected) as err:
        pipeline([path])
    message = str(err.value)
    assert message.startswith(path.as_posix())
    if kind != "cut_off":
        assert f"{NAMES[code]} ({code})" in message and re.search(r"line \d+", message)


def test_defaults_are_the_schemas():
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    props = schema["properties"]["checks"]["properties"]
    assert DEFAULT_SETTINGS == {
        "sector_sum_tolerance_pct": props["sector_sum_tolerance_pct"]["default"],
        "employment_sum_tolerance_pct": props["employment_sum_tolerance_pct"]["default"],
        "year_on_year": {k: v["default"] for k, v in props["year_on_year"]["properties"].items()},
        "magnitude": props["magnitude"]["default"],
        "national_sum": {k: v["default"] for k, v in props["national_sum"]["properties"].items()},
        "accept": props["accept"]["default"],
    }
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    assert config["checks"] == DEFAULT_SETTINGS


def test_real_extracts_pass_with_the_documented_margins(eps_2008_2021, eps_2022):
    """The defaults' justification (config.yaml, docs/report.md): on the real EPS extracts the largest gap
    between the sectors' sum and GDP is 0.1003 % and the year-on-year ratios lie in 0.644-1.486,
    computed here straight from the raw table, not by upgrade_repro/checks.py."""
    long = read_extracts([eps_2008_2021, eps_2022])
    result = clean_stage(long, REGIONS, AGGREGATES, [], {"start": 2008, "end": 2022})
    assert (result.data_checks["failed"] == 0).all()
    wide = long[long["region"] != "全国"].pivot(index=["region", "year"], columns="indicator", values="value")
    gap = 100 * (wide[["primary", "secondary", "tertiary"]].sum(axis=1) / wide["gdp"] - 1).abs()
    assert round(gap.max(), 4) == 0.1003 and gap.idxmax() == ("宁夏", 2019)
    ratios = np.concatenate(
        [(s / s.groupby(level="region").shift(1)).dropna().to_numpy() for _, s in wide.sort_index().items()]
    )
    assert (round(ratios.min(), 3), round(ratios.max(), 3)) == (0.644, 1.486)
    assert DEFAULT_SETTINGS["sector_sum_tolerance_pct"] > gap.max()
    assert DEFAULT_SETTINGS["year_on_year"]["min_ratio"] < ratios.min()
    assert ratios.max() < DEFAULT_SETTINGS["year_on_year"]["max_ratio"]
