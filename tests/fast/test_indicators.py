"""Rule indicators (upgrade_repro/indicators.py): each indicator against a hand computation on small
data (limits included), the denominators, the selection of indicators and the catalogue that
describes them. Employment read from extracts: test_employment.py."""

import math

import extract_writers as w
import pandas as pd
import pytest
import yaml
from conftest import ROOT

import upgrade_repro.errors as E
from upgrade_repro.config_checks import ConfigKeyError, check_indicators
from upgrade_repro.errors import ZeroDenominatorError
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

PANEL = pd.DataFrame(
    {
        "code": ["110000", "110000"],
        "province": ["北京", "北京"],
        "year": [2020, 2021],
        "gdp": [100.0, 200.0],
        "primary": [10.0, 20.0],
        "secondary": [40.0, 60.0],
        "tertiary": [50.0, 118.0],
    }
)


def test_indicators_by_hand():
    ind = compute_indicators(PANEL, "gdp")
    # 2020: 50/40, 50/100, (10 + 80 + 150)/100; 2021: 118/60, 118/200, (20 + 120 + 354)/200
    assert ind["upgrade"].tolist() == pytest.approx([1.25, 118 / 60])
    assert ind["service"].tolist() == pytest.approx([0.5, 0.59])
    assert ind["cyig"].tolist() == pytest.approx([2.4, 2.47])


def test_sector_sum_denominator():
    # 2021's sectors sum to 198, not GDP 200
    ind = compute_indicators(PANEL, "sector_sum")
    assert ind["service"].tolist() == pytest.approx([0.5, 118 / 198])
    assert ind["cyig"].tolist() == pytest.approx([2.4, 494 / 198])
    with pytest.raises(ValueError, match="share_denominator"):
        compute_indicators(PANEL, "population")


def test_zero_secondary_is_an_error_naming_the_raw_file_and_line():
    panel = PANEL.assign(secondary=[0.0, 60.0])
    sources = pd.DataFrame(
        [
            {"code": "110000", "year": y, "indicator": i, "source": "raw/a.csv", "line": 10 * k + y - 2019}
            for k, i in enumerate(["gdp", "primary", "secondary", "tertiary"])
            for y in (2020, 2021)
        ]
    )
    with pytest.raises(ZeroDenominatorError) as err:
        compute_indicators(panel, "gdp", sources)
    assert str(err.value).startswith("raw/a.csv: ")
    assert "北京 (110000) 2020: denominator secondary is 0 from secondary 0 (raw/a.csv line 21)" in str(err.value)
    # a sector-sum denominator of zero names its three cells
    zero = PANEL.assign(primary=[0.0, 20.0], secondary=[0.0, 60.0], tertiary=[0.0, 118.0])
    with pytest.raises(
        ZeroDenominatorError,
        match=r"denominator sector_sum is 0 from primary 0 \(raw/a\.csv line 11\), "
        r"secondary 0 \(raw/a\.csv line 21\), tertiary 0 \(raw/a\.csv line 31\)",
    ):
        compute_indicators(zero, "sector_sum", sources)


# ---------------------------------------------------------------- the indicators that need employment, by hand
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


def test_catalogue_texts_need_no_escaping_in_the_markdown_report():
    # the md report escapes HTML (an apostrophe would show as &#39;): keep texts free of it
    text = (ROOT / "data" / "reference" / "indicators.yaml").read_text(encoding="utf-8")
    catalogue = yaml.safe_load(text)
    for key in ("theil", "deviation", "advancement_lp"):
        for field in ("definition", "direction", "unit", "name"):
            assert not set("'<>&") & set(catalogue[key][field]["en"] + catalogue[key][field]["zh"]), (key, field)
