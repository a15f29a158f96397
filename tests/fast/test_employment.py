"""Employment by sector through ingest and clean (issue 16): employment read from every layout and
converted to 万人, its integrity checks, and the indicators that need it computed from extracts
against a hand computation. Extracts are written by tests/extract_writers.py; the indicators'
formulas on one row: test_indicators.py."""

import extract_writers as w
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import upgrade_repro.errors as E
from upgrade_repro.checks import DEFAULT_SETTINGS
from upgrade_repro.clean import clean_stage
from upgrade_repro.describe import describe
from upgrade_repro.indicators import ALL_INDICATORS, SERIES_NEEDED, VARIABLES, compute_indicators, required_series
from upgrade_repro.ingest.extracts import read_extracts, require_series
from upgrade_repro.regions import load_regions

REGIONS = load_regions(ROOT / "data" / "reference" / "provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data" / "reference" / "aggregates.csv", dtype=str)
YEARS = {"start": w.YEARS[0], "end": w.YEARS[-1]}
NUMBERS = w.make_numbers()
EMPLOYMENT = w.make_employment(NUMBERS)
ALL_SERIES = required_series(ALL_INDICATORS)


# ---------------------------------------------------------------- reading employment
def clean(paths, series=ALL_SERIES, checks=DEFAULT_SETTINGS):
    return clean_stage(read_extracts(paths), REGIONS, AGGREGATES, ["西藏"], YEARS, None, checks, series)


def expected_panel_employment():
    return EMPLOYMENT[EMPLOYMENT["code"] != "540000"].set_index(["code", "year"]).sort_index()


@pytest.mark.parametrize("layout", ["long", "long_in_persons", "wide_xlsx", "nbs", "tidy", "tidy_in_persons"])
def test_employment_is_read_from_every_layout_in_wan_ren(tmp_path, layout):
    va = w.eps_long_csv(tmp_path / "va.csv", NUMBERS)
    if layout == "long":
        files = [w.employment_long_csv(tmp_path / "emp.csv", EMPLOYMENT)]
    elif layout == "long_in_persons":
        files = [w.employment_long_csv(tmp_path / "emp.csv", EMPLOYMENT, unit="人", factor=1e4)]
    elif layout == "wide_xlsx":
        files = [w.employment_wide_xlsx(tmp_path / "emp.xlsx", EMPLOYMENT)]
    elif layout == "nbs":
        files = [w.employment_nbs_csv(tmp_path / f"{s}.csv", EMPLOYMENT, s) for s in w.EMPLOYMENT]
    elif layout == "tidy":
        files = [w.employment_tidy_csv(tmp_path / "emp.csv", EMPLOYMENT)]
    else:
        files = [w.employment_tidy_csv(tmp_path / "emp.csv", EMPLOYMENT, unit="人", factor=1e4)]
    panel = clean([va, *files]).panel.set_index(["code", "year"]).sort_index()
    expected = expected_panel_employment()
    for s in w.EMPLOYMENT:
        np.testing.assert_allclose(panel[s].to_numpy(), expected[s].to_numpy(), rtol=1e-12)


def test_default_series_leave_employment_out_and_panel_unchanged(tmp_path):
    va = w.eps_long_csv(tmp_path / "va.csv", NUMBERS)
    emp = w.employment_long_csv(tmp_path / "emp.csv", EMPLOYMENT)
    alone = clean([va], series=required_series(VARIABLES)).panel
    beside = clean([va, emp], series=required_series(VARIABLES)).panel
    pd.testing.assert_frame_equal(alone, beside)
    assert list(alone.columns) == ["code", "province", "year", "gdp", "primary", "secondary", "tertiary"]


def test_indicators_from_extracts_equal_the_hand_computation(tmp_path):
    va = w.eps_long_csv(tmp_path / "va.csv", NUMBERS)
    emp = w.employment_long_csv(tmp_path / "emp.csv", EMPLOYMENT)
    result = clean([va, emp])
    got = compute_indicators(result.panel, "gdp", result.sources, ALL_INDICATORS).set_index(["code", "year"])
    hand = w.expected_employment_indicators(NUMBERS[NUMBERS["code"] != "540000"], EMPLOYMENT)
    hand = hand.set_index(["code", "year"]).sort_index()
    for var in ("theil", "deviation", "advancement_lp"):
        np.testing.assert_allclose(got[var].sort_index().to_numpy(), hand[var].to_numpy(), rtol=1e-10)
    table = describe(got.reset_index()).set_index("variable")
    assert list(table.index) == list(ALL_INDICATORS)
    assert table.loc["theil", "sd"] == pytest.approx(np.std(hand["theil"], ddof=1), rel=1e-10)


def test_a_missing_employment_series_is_named_on_reading(tmp_path):
    va = w.eps_long_csv(tmp_path / "va.csv", NUMBERS)
    emp = w.employment_long_csv(tmp_path / "emp.csv", EMPLOYMENT, series=w.EMPLOYMENT[:3])
    long = read_extracts([va, emp])
    needed = {i: SERIES_NEEDED[i] for i in ALL_INDICATORS}
    with pytest.raises(E.MissingIndicatorError, match=r"\['employed'\].*advancement_lp.*deviation.*theil"):
        require_series(long, ["employed_primary", "employed_secondary", "employed_tertiary", "employed"], needed)
    with pytest.raises(E.MissingIndicatorError, match="employed_primary"):
        require_series(read_extracts([va]), w.EMPLOYMENT, needed)


def test_employment_without_a_unit_is_refused(tmp_path):
    path = tmp_path / "emp.csv"
    path.write_text("省份,年份,第一产业就业人员\n北京,2020,1\n", encoding="utf-8")
    with pytest.raises(E.UnknownUnitError, match="万人 or 人"):
        read_extracts([path])


def test_employment_in_yuan_is_refused(tmp_path):
    emp = w.employment_long_csv(tmp_path / "emp.csv", EMPLOYMENT, unit="亿元")
    with pytest.raises(E.UnknownUnitError, match="万人 or 人"):
        read_extracts([emp])


# ---------------------------------------------------------------- integrity checks of employment
def test_employment_sum_check_names_the_cell(tmp_path):
    bad = EMPLOYMENT.copy()
    at = (bad["code"] == "330000") & (bad["year"] == 2019)
    bad.loc[at, "employed_secondary"] *= 10  # a lost decimal: far beyond 1 %
    va = w.eps_long_csv(tmp_path / "va.csv", NUMBERS)
    emp = w.employment_long_csv(tmp_path / "emp.csv", bad)
    with pytest.raises(E.SectorSumError, match=r"浙江 \(330000\) 2019: employed_primary") as err:
        clean([va, emp])
    assert "emp.csv" in str(err.value) and "employment_sum_tolerance_pct" in str(err.value)
    accepted = {
        **DEFAULT_SETTINGS,
        "accept": [{"check": "employment_sum", "region": "浙江", "year": 2019, "reason": "test"}],
    }
    bad_yoy = {**accepted, "year_on_year": {"min_ratio": 0.01, "max_ratio": 100}}
    result = clean([va, emp], checks=bad_yoy)
    assert list(result.accepted["check"]) == ["employment_sum"]
    row = result.data_checks.set_index("check").loc["employment_sum"]
    assert (row["examined"], row["failed"], row["accepted"]) == (90, 1, 1)


def test_employment_sum_within_tolerance_passes(tmp_path):
    off = EMPLOYMENT.copy()
    off["employed"] = (off["employed"] * 1.009).round(2)  # 0.9 % off: within the default 1 %
    va = w.eps_long_csv(tmp_path / "va.csv", NUMBERS)
    emp = w.employment_long_csv(tmp_path / "emp.csv", off)
    assert clean([va, emp]).data_checks.set_index("check").loc["employment_sum", "failed"] == 0


@pytest.mark.parametrize("value", [0.0, -12.5])
def test_non_positive_employment_stops_the_run(tmp_path, value):
    bad = EMPLOYMENT.copy()
    bad.loc[(bad["code"] == "110000") & (bad["year"] == 2020), "employed_primary"] = value
    va = w.eps_long_csv(tmp_path / "va.csv", NUMBERS)
    emp = w.employment_long_csv(tmp_path / "emp.csv", bad)
    with pytest.raises(E.NonPositiveLevelError, match="北京 \\(110000\\) 2020 employed_primary"):
        clean([va, emp])


def test_a_missing_employment_cell_is_named(tmp_path):
    gap = EMPLOYMENT[~((EMPLOYMENT["code"] == "420000") & (EMPLOYMENT["year"] == 2019))]
    va = w.eps_long_csv(tmp_path / "va.csv", NUMBERS)
    emp = w.employment_long_csv(tmp_path / "emp.csv", gap)
    with pytest.raises(E.UnbalancedPanelError, match="湖北 \\(420000\\) employed: 2019"):
        clean([va, emp])
