"""Rule trends: FE trends pooled and by region, the Wald test of equal trends and their p-values and
table cells, each against a computation done here by hand (numpy / pandas), on small data."""

import re

import numpy as np
import pandas as pd
import pytest
from conftest import CODES, SCHEMES, SLOPES, clustered_slope, synthetic, within
from scipy import stats

from upgrade_repro.beyond_table_files import trend_cells, trend_notes, xtreg_se_ratio
from upgrade_repro.convergence import beta_table
from upgrade_repro.errors import ConfigError
from upgrade_repro.region_schemes import attach_regions, load_region_scheme
from upgrade_repro.tables import p_text, stars
from upgrade_repro.trends import WALD, fit_trend, trend_table

# --- a small synthetic panel -------------------------------------------------------------------


def test_pooled_trend_is_the_within_estimator_with_clustered_se():
    data = synthetic(SLOPES)
    fit = fit_trend(data, "upgrade", by_region=False)
    t_dm, y_dm, groups = within(data, "upgrade")
    b, se = clustered_slope(t_dm, y_dm, groups, n_params=len(CODES) + 1)
    assert fit.params["trend"] == pytest.approx(b, rel=1e-10)
    assert fit.bse["trend"] == pytest.approx(se, rel=1e-8)
    # t inference with G - 1 degrees of freedom, as Stata after vce(cluster)
    assert fit.pvalues["trend"] == pytest.approx(2 * stats.t.sf(abs(b / se), len(CODES) - 1), rel=1e-8)


def hand_regional(data: pd.DataFrame, var: str):
    """Regional within slopes and CR1 SEs: the regions' normal equations do not interact."""
    t_dm, y_dm, groups = within(data, var)
    regions = data["region"].to_numpy()
    n_params = len(CODES) + data["region"].nunique()
    coef, var_ = [], []
    n, G = len(y_dm), len(np.unique(groups))
    for r in data["region"].cat.categories:
        s = regions == r
        b = (t_dm[s] @ y_dm[s]) / (t_dm[s] @ t_dm[s])
        u = y_dm[s] - b * t_dm[s]
        gs = groups[s]
        meat = sum((t_dm[s][gs == g] @ u[gs == g]) ** 2 for g in np.unique(gs))
        coef.append(b)
        var_.append(G / (G - 1) * (n - 1) / (n - n_params) * meat / (t_dm[s] @ t_dm[s]) ** 2)
    return np.array(coef), np.array(var_)


def test_regional_trends_and_wald_test_by_hand():
    data = synthetic(SLOPES)
    table = trend_table(data).query("variable == 'upgrade'").set_index("term")
    b, v = hand_regional(data, "upgrade")
    terms = [f"trend:{r}" for r in ["东部", "中部", "西部", "东北"]]
    assert table.loc[terms, "estimate"].to_numpy() == pytest.approx(b, rel=1e-10)
    assert table.loc[terms, "se"].to_numpy() == pytest.approx(np.sqrt(v), rel=1e-8)
    # Wald: (Rb)'(R V R')^-1 (Rb) / q with R = first minus each other; V diagonal (one region per cluster)
    R = np.column_stack([np.ones(3), -np.eye(3)])
    rb = R @ b
    F = rb @ np.linalg.solve(R @ np.diag(v) @ R.T, rb) / 3
    wald = table.loc[WALD]
    assert wald["statistic"] == pytest.approx(F, rel=1e-8)
    assert (wald["df_num"], wald["df_den"]) == (3, len(CODES) - 1)
    assert wald["p"] == pytest.approx(stats.f.sf(F, 3, len(CODES) - 1), rel=1e-8)
    # the pooled row is the pooled fit, on the same sample
    assert table.loc["trend", "nobs"] == len(data) and table.loc["trend", "clusters"] == len(CODES)


def test_wald_known_cases():
    # Identical trends: every region has two provinces with the same two noise patterns, so the
    # regional slopes (the mean of their provinces' slopes) are exactly equal while each province
    # deviates from them: F = 0 and p = 1.
    years = range(2011, 2017)
    patterns = [np.array([0.03, -0.01, 0.02, -0.04, 0.0, 0.01]), np.array([-0.02, 0.0, 0.05, 0.01, -0.03, 0.04])]
    pairs = [("110000", "120000"), ("140000", "340000"), ("150000", "450000"), ("210000", "220000")]
    rows = [
        {
            "code": c,
            "province": c,
            "year": y,
            "upgrade": 1 + 0.1 * k + 0.05 * i + patterns[j][i],
            "service": 0.5,
            "cyig": 2.0,
        }
        for k, pair in enumerate(pairs)
        for j, c in enumerate(pair)
        for i, y in enumerate(years)
    ]
    data = attach_regions(pd.DataFrame(rows), load_region_scheme(SCHEMES, "nbs4"))
    table = trend_table(data, ["upgrade"]).set_index("term")
    assert table.loc[table["model"] == "regional", "se"].min() > 1e-4  # not a degenerate fit
    assert table.loc[WALD, "statistic"] == pytest.approx(0, abs=1e-12)
    assert table.loc[WALD, "p"] == pytest.approx(1)
    # very different trends with little noise: rejected
    far = synthetic({"东部": 0.3, "中部": 0.0, "西部": -0.2, "东北": 0.1}, noise=0.01)
    assert trend_table(far, ["upgrade"]).set_index("term").loc[WALD, "p"] < 1e-3


def test_one_region_has_no_wald_row_and_no_conditional_beta(tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("code,province,all\n" + "".join(f"{c},{c},全国\n" for c in CODES), encoding="utf-8")
    data = attach_regions(synthetic(SLOPES).drop(columns="region"), load_region_scheme(one, "all"))
    assert WALD not in set(trend_table(data)["term"])
    assert set(beta_table(data, "HC1")["model"]) == {"absolute"}


# --- issue 15: inference and presentation of the trends --------------------------------------
def test_regional_trend_p_uses_the_regions_own_degrees_of_freedom():
    # Before: every regional t test had G - 1 df (a three-province region got t with 29 df).
    data = synthetic(SLOPES)
    table = trend_table(data).query("variable == 'upgrade' and model == 'regional' and term != @WALD")
    sizes = pd.Series(CODES).value_counts()
    b, v = hand_regional(data, "upgrade")
    for (term, row), coef, var_ in zip(table.set_index("term").iterrows(), b, v):
        g = sizes[row["region"]]
        assert row["clusters_region"] == g and row["df_den"] == g - 1
        t = coef / np.sqrt(var_)
        if g > 1:
            assert row["p"] == pytest.approx(2 * stats.t.sf(abs(t), g - 1), rel=1e-8)
            assert row["p"] > row["p_all"]  # fewer df: a larger p than with G - 1
        else:
            assert np.isnan(row["p"])  # one province: no t test at all
        assert row["p_all"] == pytest.approx(2 * stats.t.sf(abs(t), len(CODES) - 1), rel=1e-8)


def test_p_values_are_printed_on_the_right_side_of_every_threshold():
    # Before: Table A2 printed the Wald p 0.0495 as 0.050 (f"{p:.3f}").
    assert p_text(0.0495) == "0.0495"
    assert p_text(0.049996) == "0.049996"  # four decimals would print 0.0500
    assert p_text(0.10004) == "0.1000"  # not below 0.1: four decimals are on the right side
    assert p_text(0.0999996) == "0.0999996"
    assert p_text(0.00099) == "< 0.001" and p_text(0.5) == "0.5000"
    for p in np.linspace(0.0005, 0.2, 4001):
        shown = float(p_text(p).replace("< ", ""))
        for c in (0.01, 0.05, 0.1):
            assert (p < c) == (shown < c), (p, p_text(p))


def test_trend_table_stars_the_wald_test_and_notes_units_and_se_convention():
    data = synthetic({"东部": 0.10, "中部": 0.05, "西部": 0.02, "东北": 0.08})
    table = trend_table(data)
    _, rows = trend_cells(table, 4)
    wald = next(r for r in rows if r[0].startswith("区域趋势相等"))
    p_row = rows[rows.index(wald) + 1]
    for v, cell, p_cell in zip(["upgrade", "service", "cyig"], wald[1:], p_row[1:]):
        p = table.query("variable == @v and term == @WALD")["p"].iloc[0]
        assert cell.endswith(stars(p)) and p_cell == p_text(p)
    units = {"upgrade": "比值", "service": "比例（0～1）", "cyig": "系数（1～3）"}
    [note] = trend_notes(data, "国家统计局四大地区", False, units)  # one paragraph, one 注
    assert note.count("注：") == 1
    assert "单位：upgrade 为比值，service 为比例（0～1），cyig 为系数（1～3）。" in note
    assert "CR1" in note and "`regress y t i.code, vce(cluster code)`" in note
    assert "东部、中部、西部、东北的省份少于 10 个" in note  # every synthetic region is small
    # a note says what a reader needs: no file path, no note to self, no bracket inside a bracket
    assert "data/" not in note and ".csv" not in note and "超出论文" not in note
    assert not re.search(r"（[^（）]*（", note)
    # an indicator of the table without a unit stops the run, naming the catalogue
    with pytest.raises(ConfigError, match="'cyig'.*no unit"):
        trend_notes(data, "国家统计局四大地区", False, {"upgrade": "比值", "service": "比例（0～1）"})


def test_xtreg_se_ratio_by_hand():
    # regress with province dummies vs xtreg, fe: both CR1, K differs (dummies counted or not).
    data = synthetic(SLOPES)
    t_dm, y_dm, groups = within(data, "upgrade")
    _, se_regress = clustered_slope(t_dm, y_dm, groups, n_params=len(CODES) + 1)
    _, se_xtreg = clustered_slope(t_dm, y_dm, groups, n_params=2)
    assert se_regress / se_xtreg == pytest.approx(xtreg_se_ratio(len(data), len(CODES), 1), rel=1e-12)
