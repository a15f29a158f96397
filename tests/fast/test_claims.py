"""Rule claims (upgrade_repro/claims.py): the sample's accounting, the explanations of the published
extremes and of the rounding, the statements of section 1.2.2 checked against numbers like the
paper's and unlike them, and claims.csv read back; on small data worked out by hand."""

import statistics

import pandas as pd
import pytest
from conftest import CLAIMS_SPEC, REGIONS, ROOT, means_of, raw_long_rows

from upgrade_repro import claims as claim_checks
from upgrade_repro import report as reporting
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.province_means import rank_and_tier
from upgrade_repro.regions import display_names

AGGREGATES = pd.read_csv(ROOT / "data" / "reference" / "aggregates.csv", dtype=str)
ZH_NAMES = display_names(REGIONS, "zh")


def test_sample_accounting_says_why_each_region_is_out():
    long = pd.DataFrame(
        raw_long_rows("北京", [2007, 2008, 2009])
        + raw_long_rows("天津", [2007, 2008, 2009])
        + raw_long_rows("全国", [2008])
        + raw_long_rows("西藏", [2008, 2009])
        + raw_long_rows("香港", [2008])
    )
    panel = pd.DataFrame(
        {
            "code": ["110000", "110000", "120000", "120000"],
            "province": ["北京", "北京", "天津", "天津"],
            "year": [2008, 2009, 2008, 2009],
        }
    )
    sample = claim_checks.sample_accounting(long, panel, REGIONS, AGGREGATES, ["西藏"], ZH_NAMES)
    assert {e["region"]: (e["reason"], e["rows"]) for e in sample["excluded"]} == {
        "全国": ("aggregate", 4),
        "西藏": ("config", 8),
        "香港": ("outside_mainland", 4),
    }
    assert [k["province"] for k in sample["kept"]] == ["北京", "天津"]
    assert (sample["n_provinces"], sample["n_obs"], sample["n_years"]) == (2, 4, 2)
    # 2007 is outside the sample years: 2 provinces x 4 series.
    assert sample["rows_outside_years"] == 8
    assert (sample["data_year_min"], sample["data_year_max"]) == (2007, 2009)
    missing = [m["province"] for m in sample["missing_mainland"]]
    assert len(missing) == 29 and "西藏" in missing and "北京" not in missing


def panel_of(rows):
    """rows: (province, code, primary, secondary, tertiary), GDP = their sum, year 2008."""
    frame = pd.DataFrame(rows, columns=["province", "code", "primary", "secondary", "tertiary"])
    frame["gdp"] = frame[["primary", "secondary", "tertiary"]].sum(axis=1)
    frame["year"] = 2008
    return frame


def test_cyig_floor_is_two_minus_the_largest_primary_tertiary_gap():
    # cyig = 2 - p + t: A 2 - .3 + .4 = 2.1, B 2 - .1 + .5 = 2.4.
    panel = panel_of([("A", "1", 30, 30, 40), ("B", "2", 10, 40, 50)])
    facts = claim_checks.explain_cyig_min(panel, 1.995)["facts"]
    assert facts["floor"] == pytest.approx(2.1)
    assert facts["where"] == "A 2008"
    assert facts["gap"] == pytest.approx(-0.1)
    assert facts["needed_gap"] == pytest.approx(0.005)
    assert facts["n_p_above_t"] == 0
    # The floor is the smallest cyig computed the indicators' way.
    assert facts["floor"] == pytest.approx(compute_indicators(panel)["cyig"].min())


def test_cyig_below_two_needs_primary_above_tertiary():
    panel = panel_of([("A", "1", 30, 30, 40), ("C", "3", 50, 30, 20)])  # C: 2 - .5 + .2 = 1.7
    facts = claim_checks.explain_cyig_min(panel, 1.995)["facts"]
    assert facts["floor"] == pytest.approx(1.7) and facts["where"] == "C 2008"
    assert facts["n_p_above_t"] == 1


def test_cyig_mean_explanation_implies_a_primary_share():
    panel = panel_of([("A", "1", 30, 30, 40), ("B", "2", 10, 40, 50)])
    facts = claim_checks.explain_cyig_mean(panel, 2.354, 0.459)["facts"]
    assert facts["implied_p"] == pytest.approx(0.105)  # 2 + 0.459 - 2.354
    assert facts["data_p"] == pytest.approx(0.2)  # (0.3 + 0.1) / 2
    assert facts["data_t"] == pytest.approx(0.45)
    assert facts["data_cyig"] == pytest.approx(2.25)  # (2.1 + 2.4) / 2


def test_explain_extreme_lists_observations_beyond_the_published_value():
    ind = pd.DataFrame({"province": ["A", "B", "C"], "year": [2008, 2009, 2010], "upgrade": [0.4991, 0.6, 0.4996]})
    facts = claim_checks.explain_extreme(ind, "upgrade", "min", 0.500, 0.0005, 3)["facts"]
    # 0.4996 is within half a unit of 0.500, 0.4991 is not.
    assert facts["n_beyond"] == 1 and facts["beyond"] == [{"where": "A 2008", "value": 0.4991}]
    facts = claim_checks.explain_extreme(ind, "upgrade", "max", 5.297, 0.0005, 3)["facts"]
    assert facts["n_beyond"] == 0 and (facts["extreme"], facts["where"]) == (0.6, "B 2009")


def claims_for(stats, means, within=True):
    published = {
        "upgrade": {"n": 420, "mean": 1.168, "sd": 0.677, "min": 0.5, "max": 5.297},
        "service": {"n": 420, "mean": 0.459, "sd": 0.1, "min": 0.286, "max": 0.839},
        "cyig": {"n": 420, "mean": 2.354, "sd": 0.138, "min": 1.995, "max": 2.836},
    }
    checks = pd.DataFrame(
        [
            {"variable": v, "statistic": s, "within_tolerance": within, "where": ""}
            for v in published
            for s in published[v]
        ]
    )
    kept = [{"code": c} for c in REGIONS.loc[REGIONS["mainland"], "code"] if c != "540000"]
    sample = {
        "n_provinces": 30,
        "year_start": 2008,
        "year_end": 2021,
        "n_obs": 420,
        "kept": kept,
        "missing_mainland": [{"code": "540000", "province": "西藏"}],
    }
    claims = claim_checks.check_claims(CLAIMS_SPEC, stats, published, checks, sample, means, REGIONS, ZH_NAMES)
    return {c["id"]: c for c in claims}


STATS = {
    "upgrade": {"mean": 1.2, "sd": 0.7, "min": 0.499, "max": 5.31},
    "service": {"mean": 0.46, "sd": 0.1, "min": 0.286, "max": 0.839},
    "cyig": {"mean": 2.36, "sd": 0.13, "min": 2.1, "max": 2.836},
}


def test_claims_hold_on_numbers_like_the_papers():
    claims = claims_for(STATS, means_of({"北京": 3.9, "海南": 2.2, "上海": 1.9, "河南": 0.78}))
    assert all(c["holds"] for c in claims.values()), [k for k, c in claims.items() if not c["holds"]]
    assert claims["upgrade_ratio"]["facts"]["ratio"] == pytest.approx(5.31 / 0.499)
    assert claims["service_spread"]["facts"]["spread"] == pytest.approx(0.553)
    assert claims["four_tiers"]["facts"]["counts"] == {"强": 1, "较强": 1, "中等": 1, "较弱": 1}
    assert claims["lowest"]["facts"]["province"] == "河南"


def test_claims_fail_where_the_numbers_say_otherwise():
    stats = {
        **STATS,
        "upgrade": {"mean": 3.0, "sd": 0.1, "min": 0.4, "max": 5.31},  # ratio 13.3
        "service": {"mean": 0.46, "sd": 0.1, "min": 0.35, "max": 0.84},
    }  # spread 0.49
    claims = claims_for(stats, means_of({"北京": 3.9, "海南": 1.5, "上海": 3.1, "河南": 0.9}), within=False)
    failing = {k for k, c in claims.items() if c["holds"] is False}
    assert failing == {
        "upgrade_mean_middle",
        "upgrade_sd_largest",
        "upgrade_ratio",
        "service_spread",
        "cyig_less_dispersed",
        "upgrade_max",
        "upgrade_min",
        "service_mean",
        "service_max",
        "service_min",
        "cyig_mean",
        "cyig_max",
        "cyig_min",
        "cyig_sd",
        # 较强 is empty, 上海 joins 北京 in 强 and is outside 中等/较弱
        "four_tiers",
        "tier_strong",
        "tier_fairly_strong",
        "others",
    }
    assert [m["province"] for m in claims["tier_strong"]["facts"]["members"]] == ["北京", "上海"]
    assert claims["others"]["facts"]["outliers"] == [{"province": "上海", "mean": 3.1}]


def test_tier_claims_are_unchecked_without_province_means():
    claims = claims_for(STATS, None)
    unchecked = {k for k, c in claims.items() if c["holds"] is None}
    assert unchecked == {"four_tiers", "tier_strong", "tier_fairly_strong", "others", "lowest"}
    # What the paper says is still shown.
    assert claims["tier_strong"]["facts"]["named"] == ["北京"]


def test_a_mean_above_the_top_break_is_in_the_top_tier_everywhere():
    # 2008-2022 on the public data: 北京's mean is 4.001, which the map and province_means.csv put
    # in 强 (the top tier is open above). The claims and the ranking use the same rule.
    means = means_of({"北京": 4.001, "海南": 2.2, "上海": 1.9, "河南": 0.78})
    claims = claims_for(STATS, means)
    assert claims["four_tiers"]["facts"]["counts"] == {"强": 1, "较强": 1, "中等": 1, "较弱": 1}
    assert claims["tier_strong"]["holds"] and claims["four_tiers"]["holds"]
    ranking = reporting.province_ranking(means, CLAIMS_SPEC["tiers"])
    top = ranking["rows"][0]["tier"]
    assert (top["label"], top["open"]) == ("强", True)
    assert ranking["rows"][1]["tier"]["open"] is False
    ascending = sorted(CLAIMS_SPEC["tiers"], key=lambda t: t["lower"])
    expected = rank_and_tier(means, ascending).set_index("province")["tier"]
    assert {r["province"]: r["tier"]["label"] for r in ranking["rows"]} == expected.to_dict()


def paper_like_sample(**changes):
    kept = [{"code": c} for c in REGIONS.loc[REGIONS["mainland"], "code"] if c != "540000"]
    sample = {
        "n_provinces": 30,
        "year_start": 2008,
        "year_end": 2021,
        "kept": kept,
        "missing_mainland": [{"code": "540000", "province": "西藏"}],
    }
    return {**sample, **changes}


PAPER_VINTAGE = "first published in the following year's China Statistical Yearbook"


def test_paper_sample_names_each_difference():
    spec = {**CLAIMS_SPEC["sample"], "vintage": PAPER_VINTAGE}
    same = [{"file": "a.csv", "vintage": "first published"}]  # the canonical label of PAPER_VINTAGE
    assert claim_checks.paper_sample(paper_like_sample(), spec, same, REGIONS) == {"is_paper": True, "differences": []}
    # 2022 added, 上海 left out, one file of unknown vintage (unregistered or changed, no note), one revised.
    shanghai = {"code": "310000", "province": "上海"}
    sample = paper_like_sample(
        year_end=2022, n_provinces=29, missing_mainland=[*paper_like_sample()["missing_mainland"], shanghai]
    )
    revised = "revised after the fifth economic census"
    files = [*same, {"file": "b.csv", "vintage": "unknown"}, {"file": "c.csv", "vintage": revised}]
    status = claim_checks.paper_sample(sample, spec, files, REGIONS)
    assert not status["is_paper"]
    assert status["differences"] == [
        {"what": "years", "paper": [2008, 2021], "run": [2008, 2022]},
        {"what": "provinces", "paper": 30, "run": 29, "missing": ["310000"], "extra": []},
        {
            "what": "vintage",
            "paper": "first published",
            "files": [{"file": "b.csv", "vintage": "unknown"}, {"file": "c.csv", "vintage": revised}],
        },
    ]
    # in the report's language: the canonical labels' names (the text catalogue's vintage.label)
    named = claim_checks.paper_sample(paper_like_sample(), spec, files, REGIONS, "zh")["differences"][0]
    assert named == {
        "what": "vintage",
        "paper": "初次公布数",
        "files": [
            {"file": "b.csv", "vintage": "版本未知的数据"},
            {"file": "c.csv", "vintage": "第五次全国经济普查后的修订数"},
        ],
    }


def test_the_panel_s_vintages_are_those_of_its_cells():
    """Each file giving panel cells, once per vintage of its cells: a linked cell is of the vintage
    it was linked to; a file left out of the panel is not listed."""
    sources = pd.DataFrame(
        {
            "code": ["110000"] * 3,
            "year": [2019, 2020, 2020],
            "indicator": ["gdp", "gdp", "secondary"],
            "source": ["old.csv", "new.csv", "old.csv"],
            "line": [2, 3, 4],
            "vintage": ["first published", "revised after the fifth economic census", "first published"],
        }
    )
    assert claim_checks.panel_vintages(sources) == [
        {"file": "old.csv", "vintage": "first published"},
        {"file": "new.csv", "vintage": "revised after the fifth economic census"},
    ]


def test_claims_csv_round_trips_and_is_informational_off_the_papers_sample(tmp_path):
    means = means_of({"北京": 4.001, "海南": 2.2, "上海": 1.9, "河南": 0.78})
    statements = list(claims_for(STATS, means).values())
    verification = [
        {
            "variable": "upgrade",
            "statistic": "max",
            "published": 5.297,
            "reproduced": 5.31,
            "difference": 0.013,
            "tolerance": 0.0005,
            "times_tolerance": 26.0,
            "passed": False,
            "where": "北京 2020",
            "decimals": 3,
            "explanations": [{"key": "explain.extreme", "facts": {"n_beyond": 2, "statistic": "max"}}],
        }
    ]
    for status, verdicts in (
        ({"is_paper": True, "differences": []}, {"not reproduced", "reproduced"}),
        ({"is_paper": False, "differences": [{"what": "years"}]}, {"informational"}),
    ):
        table = claim_checks.claims_table(verification, statements, status)
        table.to_csv(tmp_path / "claims.csv", index=False)
        back = claim_checks.read_claims(tmp_path / "claims.csv")
        assert back["sample"] == status
        assert {c["id"]: c["holds"] for c in back["claims"]} == {c["id"]: c["holds"] for c in statements}
        assert back["claims"][0]["facts"] == statements[0]["facts"]
        assert back["verification"][0]["explanations"] == verification[0]["explanations"]
        assert back["verification"][0]["reproduced"] == 5.31
        assert set(table.loc[table["kind"] != "sample", "verdict"]) == verdicts


def test_the_rounding_explanation_marks_the_sd_range_as_a_bound():
    panel = pd.DataFrame(
        {
            "code": ["110000", "120000", "130000"],
            "province": ["北京", "天津", "河北"],
            "year": [2008, 2008, 2008],
            "gdp": [100.0, 100.0, 100.0],
            "primary": [10.0, 20.0, 5.1],
            "secondary": [40.0, 45.0, 30.2],
            "tertiary": [50.0, 35.0, 64.7],
        }
    )
    half = claim_checks.share_rounding(panel)
    for statistic, exact in (("mean", True), ("min", True), ("max", True), ("sd", False)):
        facts = claim_checks.explain_rounding(panel, half, "cyig", statistic, 2.0, 0.0005, "gdp", 3)["facts"]
        assert facts["exact"] is exact, statistic


# ---------------------------------------------------------------- the report's rounding explanation
def test_rounding_range_by_hand():
    """Two province-years, shares on the 0.1 grid (half step 0.05 point): upgrade = t/s spans
    [(t-0.05)/(s+0.05), (t+0.05)/(s-0.05)] per observation, worked out here by hand."""
    from upgrade_repro.claims import explain_rounding, rounding_range, share_rounding

    panel = pd.DataFrame(
        {"code": ["110000", "410000"], "province": ["北京", "河南"], "year": [2020, 2010], "gdp": [1000.0, 2000.0]}
    )
    shares = {"primary": [0.3, 14.1], "secondary": [15.8, 57.3], "tertiary": [83.9, 28.6]}
    for col, pct in shares.items():
        panel[col] = panel["gdp"] * pd.Series(pct) / 100
    half = share_rounding(panel)
    assert half.tolist() == [0.05, 0.05]
    assert rounding_range(panel, half, "upgrade", "max", "gdp") == pytest.approx((83.85 / 15.85, 83.95 / 15.75))
    assert rounding_range(panel, half, "upgrade", "min", "gdp") == pytest.approx((28.55 / 57.35, 28.65 / 57.25))
    lo, hi = rounding_range(panel, half, "service", "mean", "gdp")
    assert (lo, hi) == pytest.approx(((83.85 + 28.55) / 200, (83.95 + 28.65) / 200))
    # cyig = (p + 2s + 3t)/100 moves by at most 6 x 0.05 / 100 per observation
    sd = statistics.stdev([(0.3 + 2 * 15.8 + 3 * 83.9) / 100, (14.1 + 2 * 57.3 + 3 * 28.6) / 100])
    lo, hi = rounding_range(panel, half, "cyig", "sd", "gdp")
    assert (lo, hi) == pytest.approx((sd - 0.003 * 2**0.5, sd + 0.003 * 2**0.5))
    facts = explain_rounding(panel, half, "upgrade", "min", 0.500, 0.0005, "gdp", 3)["facts"]
    assert (
        facts["inside"]
        and not explain_rounding(panel, half, "upgrade", "min", 0.510, 0.0005, "gdp", 3)["facts"]["inside"]
    )
    # a share on the 0.01 grid only: half step 0.005; levels off any grid (an EPS export): None
    panel.loc[0, "primary"], panel.loc[0, "tertiary"] = 2.5, 836.5  # 0.25 % and 83.65 %
    assert share_rounding(panel).tolist() == [0.005, 0.05]
    panel.loc[0, "primary"] = 2.5123
    assert share_rounding(panel) is None
