"""Rule convergence: sigma and beta convergence, absolute and conditional, and their table cells,
against a computation done here by hand (numpy / pandas), on small data."""

import numpy as np
import pandas as pd
import pytest
from conftest import CODES, SLOPES, synthetic
from scipy import stats

from upgrade_repro.beyond_table_files import sigma_cells, sigma_notes
from upgrade_repro.convergence import beta_table, growth_on_initial, sigma_table
from upgrade_repro.errors import InputError

# --- convergence -------------------------------------------------------------------------------


def test_sigma_by_hand():
    data = pd.DataFrame(
        {
            "code": ["1", "2", "3"] * 2,
            "year": [2020] * 3 + [2021] * 3,
            "upgrade": [1.0, 2.0, 3.0, 2.0, 2.0, 2.0],
            "service": [0.5] * 6,
            "cyig": [2.0] * 6,
        }
    )
    sigma = sigma_table(data).set_index(["variable", "year"])
    assert sigma.loc[("upgrade", 2020), ["n", "mean", "sd", "cv"]].tolist() == pytest.approx([3, 2.0, 1.0, 0.5])
    assert sigma.loc[("upgrade", 2021), ["sd", "cv"]].tolist() == [0.0, 0.0]


def test_beta_convergence_by_hand():
    data = synthetic(SLOPES)
    first, last = data["year"].min(), data["year"].max()
    wide = data.pivot(index="code", columns="year", values="upgrade")
    x = np.log(wide[first].to_numpy())
    g = np.log(wide[last].to_numpy() / wide[first].to_numpy()) / (last - first)
    X = np.column_stack([np.ones_like(x), x])
    coef = np.linalg.solve(X.T @ X, X.T @ g)
    u = g - X @ coef
    bread = np.linalg.inv(X.T @ X)
    n = len(g)
    hc1 = bread @ (X.T * u**2) @ X @ bread * n / (n - 2)
    row = beta_table(data, "HC1").query("variable == 'upgrade' and model == 'absolute'").iloc[0]
    assert row["beta"] == pytest.approx(coef[1], rel=1e-10)
    assert row["se"] == pytest.approx(np.sqrt(hc1[1, 1]), rel=1e-8)
    assert row["p"] == pytest.approx(2 * stats.t.sf(abs(coef[1]) / np.sqrt(hc1[1, 1]), n - 2), rel=1e-8)
    T = last - first
    assert row["speed"] == pytest.approx(-np.log(1 + coef[1] * T) / T)
    assert row["half_life"] == pytest.approx(np.log(2) / row["speed"])
    # HC0 has no n / (n - k) factor
    hc0 = beta_table(data, "HC0").query("variable == 'upgrade' and model == 'absolute'").iloc[0]
    assert hc0["se"] == pytest.approx(np.sqrt(hc1[1, 1] * (n - 2) / n), rel=1e-8)


def test_conditional_beta_adds_region_dummies():
    data = synthetic(SLOPES)
    growth = growth_on_initial(data, "service")
    dummies = pd.get_dummies(growth["region"], dtype=float).to_numpy()  # full set, no constant
    X = np.column_stack([growth["log_initial"].to_numpy(), dummies])
    coef = np.linalg.lstsq(X, growth["growth"].to_numpy(), rcond=None)[0]
    row = beta_table(data, "HC1").query("variable == 'service' and model == 'conditional'").iloc[0]
    assert row["beta"] == pytest.approx(coef[0], rel=1e-9)


def test_log_growth_needs_positive_values():
    data = synthetic(SLOPES)
    data.loc[0, "upgrade"] = -1.0
    with pytest.raises(InputError, match="upgrade must be positive"):
        growth_on_initial(data, "upgrade")


def test_sigma_table_cells_by_hand():
    # σ was only a figure before issue 15: Table A4 prints each year's sd and cv.
    data = synthetic(SLOPES)
    sigma = sigma_table(data)
    heads, rows = sigma_cells(sigma, 3)
    assert heads[:3] == ["年份", "upgrade 标准差", "upgrade 变异系数"]
    years = sorted(data["year"].unique())
    assert [r[0] for r in rows] == [str(y) for y in years]
    last = data[data["year"] == years[-1]]["cyig"]
    assert rows[-1][-2:] == [f"{last.std(ddof=1):.3f}", f"{last.std(ddof=1) / last.mean():.3f}"]
    assert f"每年 {len(CODES)} 个省份" in sigma_notes(sigma, False)[0]
