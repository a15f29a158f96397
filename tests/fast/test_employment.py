"""Employment by sector and the indicators that need it (issue 16): each indicator against a hand
computation on small data (limits included), employment read from every layout and converted to
万人, its integrity checks, and the selection of indicators. Extracts are written by
tests/extract_writers.py."""

import math

import extract_writers as w
import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT

import upgrade_repro.errors as E
from upgrade_repro.checks import DEFAULT_SETTINGS
from upgrade_repro.config_checks import ConfigKeyError, check_indicators
from upgrade_repro.descriptive import describe
from upgrade_repro.indicators import (
    ALL_INDICATORS,
    SERIES_NEEDED,
    VARIABLES,
    advancement_lp,
    compute_indicators,
    load_lp_reference,
    required_series,
    structural_deviation,
    theil_index,
)
from upgrade_repro.panel import clean_stage
from upgrade_repro.readers import read_extracts, require_series
from upgrade_repro.regions import load_regions

REGIONS = load_regions(ROOT / "data" / "reference" / "provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data" / "reference" / "aggregates.csv", dtype=str)
YEARS = {"start": w.YEARS[0], "end": w.YEARS[-1]}
NUMBERS = w.make_numbers()
EMPLOYMENT = w.make_employment(NUMBERS)
ALL_SERIES = required_series(ALL_INDICATORS)


def one_row(y, l_, gdp=None):
    """A panel of one province-year: value added y = (Y1, Y2, Y3), employment l_ = (L1, L2, L3)."""
    return pd.DataFrame(
        [
            {
                "code": "110000",
                "province": "北京",
                "year": 2020,
                "gdp": sum(y) if gdp is None else gdp,
                "primary": y[0],
                "secondary": y[1],
                "tertiary": y[2],
                "employed_primary": l_[0],
                "employed_secondary": l_[1],
                "employed_tertiary": l_[2],
                "employed": sum(l_),
            }
        ]
    )


# ---------------------------------------------------------------- formulas, by hand
def test_equal_productivity_gives_zero_theil_and_deviation_and_one_advancement():
    # every sector produces 2 亿元 per 万人: the economy's productivity; any shares
    panel = one_row((10.0, 60.0, 130.0), (5.0, 30.0, 65.0))
    assert theil_index(panel).item() == pytest.approx(0.0, abs=1e-15)
    assert structural_deviation(panel).item() == pytest.approx(0.0, abs=1e-15)
    assert advancement_lp(panel).item() == pytest.approx(1.0, abs=1e-15)


def test_indicators_on_a_worked_example():
    # Y = (10, 40, 50), Y = 100; L = (50, 30, 20), L = 100; Y/L = 1.
    # productivities 0.2, 4/3, 2.5 = relative productivities r_i (Y/L = 1)
    panel = one_row((10.0, 40.0, 50.0), (50.0, 30.0, 20.0))
    theil = (
        0.1 * math.log(0.2) + 0.4 * math.log(4 / 3) + 0.5 * math.log(2.5)
    )  # -0.160944 + 0.115073 + 0.458145 = 0.412274
    deviation = 0.8 + 1 / 3 + 1.5  # |0.2-1| + |4/3-1| + |2.5-1| = 2.633333...
    advancement = 0.1 * 0.2 + 0.4 * 4 / 3 + 0.5 * 2.5  # = 1.803333...
    out = compute_indicators(panel, indicators=ALL_INDICATORS).iloc[0]
    assert out["theil"] == pytest.approx(0.412274, abs=1e-6)
    assert out["theil"] == pytest.approx(theil, rel=1e-12)
    assert out["deviation"] == pytest.approx(deviation, rel=1e-12)
    assert out["advancement_lp"] == pytest.approx(advancement, rel=1e-12)
    # the paper's three on the same row: 50/40, 50/100, (10 + 80 + 150)/100
    assert (out["upgrade"], out["service"], out["cyig"]) == pytest.approx((1.25, 0.5, 2.4))


def test_rationalisation_uses_the_sectors_sums_not_gdp():
    # GDP off the sectors' sum (rounding of published figures): equal productivity still gives 0
    panel = one_row((10.0, 60.0, 130.0), (5.0, 30.0, 65.0), gdp=200.3)
    assert theil_index(panel).item() == pytest.approx(0.0, abs=1e-15)


def test_theil_is_scale_free_and_grows_with_dispersion():
    base = one_row((10.0, 40.0, 50.0), (50.0, 30.0, 20.0))
    scaled = one_row((1e4, 4e4, 5e4), (5e-1, 3e-1, 2e-1))  # other units of value added and persons
    assert theil_index(scaled).item() == pytest.approx(theil_index(base).item(), rel=1e-12)
    more = one_row((10.0, 40.0, 50.0), (70.0, 20.0, 10.0))  # productivities further apart
    assert theil_index(more).item() > theil_index(base).item()
    assert structural_deviation(more).item() > structural_deviation(base).item()


def test_advancement_with_a_reference_table(tmp_path):
    path = tmp_path / "lp.csv"
    path.write_text("sector,lp_start,lp_end\nprimary,0,1\nsecondary,1,3\ntertiary,2,4\n", encoding="utf-8")
    reference = load_lp_reference(path)
    # Y in 亿元, L in 万人: LP = Y/L 万元 per person = (0.2, 4/3, 2.5)
    panel = one_row((10.0, 40.0, 50.0), (50.0, 30.0, 20.0))
    expected = 0.1 * (0.2 - 0) / 1 + 0.4 * (4 / 3 - 1) / 2 + 0.5 * (2.5 - 2) / 2  # = 0.20166...
    assert advancement_lp(panel, reference).item() == pytest.approx(expected, rel=1e-12)


def test_a_bad_reference_table_is_a_config_error(tmp_path):
    path = tmp_path / "lp.csv"
    path.write_text("sector,lp_start,lp_end\nprimary,1,1\nsecondary,1,3\ntertiary,2,4\n", encoding="utf-8")
    with pytest.raises(E.ConfigError, match="primary"):
        load_lp_reference(path)
    with pytest.raises(ConfigKeyError, match="advancement_lp.reference"):
        check_indicators({"indicators": list(ALL_INDICATORS), "advancement_lp": {"reference": str(path)}})


def test_default_selection_gives_the_papers_three_columns_only():
    panel = one_row((10.0, 40.0, 50.0), (50.0, 30.0, 20.0))
    assert list(compute_indicators(panel).columns) == ["code", "province", "year", *VARIABLES]
    chosen = compute_indicators(panel, indicators=["theil", "upgrade", "service", "cyig"])
    assert list(chosen.columns) == ["code", "province", "year", "upgrade", "service", "cyig", "theil"]


def test_required_series():
    assert required_series(VARIABLES) == ["gdp", "primary", "secondary", "tertiary"]
    assert required_series(["upgrade", "service", "cyig", "deviation"])[-4:] == list(w.EMPLOYMENT)


def test_the_papers_three_must_stay_selected():
    with pytest.raises(ConfigKeyError, match="indicators"):
        check_indicators({"indicators": ["upgrade", "theil"], "advancement_lp": {"reference": None}})
    check_indicators({"indicators": list(ALL_INDICATORS), "advancement_lp": {"reference": None}})


def test_catalogue_holds_every_indicator_with_its_series():
    catalogue = yaml.safe_load((ROOT / "data" / "reference" / "indicators.yaml").read_text(encoding="utf-8"))
    assert set(catalogue) == set(ALL_INDICATORS)
    for name, entry in catalogue.items():
        assert set(entry["series"]) | {"gdp"} >= set(SERIES_NEEDED[name]) - {"gdp"}
        assert set(SERIES_NEEDED[name]) == set(entry["series"]), name
        for key in ("name", "definition", "direction", "unit"):
            assert entry[key]["zh"] and entry[key]["en"], (name, key)
        assert entry["formula"] and entry["references"], name


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


def test_readme_indicator_block_is_generated_from_the_catalogue():
    from upgrade_repro.catalogue import README_END, README_START, load_catalogue, readme_indicator_block

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = README_START + readme.split(README_START, 1)[1].split(README_END, 1)[0] + README_END
    assert shown == readme_indicator_block(load_catalogue(ROOT / "data" / "reference" / "indicators.yaml")), (
        "README's indicator block is out of step: run python tools/indicator_docs.py"
    )
    for key in ALL_INDICATORS:
        assert f"| `{key}` |" in shown


def test_catalogue_texts_need_no_escaping_in_the_markdown_report():
    # the md report escapes HTML (an apostrophe would show as &#39;): keep texts free of it
    text = (ROOT / "data" / "reference" / "indicators.yaml").read_text(encoding="utf-8")
    catalogue = yaml.safe_load(text)
    for key in ("theil", "deviation", "advancement_lp"):
        for field in ("definition", "direction", "unit", "name"):
            assert not set("'<>&") & set(catalogue[key][field]["en"] + catalogue[key][field]["zh"]), (key, field)
