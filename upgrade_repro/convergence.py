"""Rule convergence (beyond the paper): sigma and beta convergence of each indicator across provinces.

sigma: per indicator and year, the cross-province mean, sample sd (ddof = 1) and coefficient of
variation cv = sd / mean; falling dispersion over the years is sigma convergence.

beta: per indicator, statsmodels OLS across provinces of the average yearly log growth over the
sample on the log initial level,

    ln(y_iT / y_i0) / T = a + beta * ln y_i0 [+ region dummies] + e_i,   T = last - first year,

with heteroskedasticity-robust SEs (config; HC1 = Stata's `robust`) and t inference. beta < 0 is
convergence; the implied speed is lambda = -ln(1 + beta T) / T and the half-life ln 2 / lambda.
"absolute" has no controls, "conditional" adds region dummies (first region as the base).
"""

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS  # not statsmodels.api: ~0.4 s less per job
from statsmodels.tools.tools import add_constant

from upgrade_repro.errors import InputError
from upgrade_repro.indicators import VARIABLES

SIGMA_COLUMNS = ["variable", "year", "n", "mean", "sd", "cv"]
BETA_COLUMNS = [
    "variable",
    "model",
    "beta",
    "se",
    "t",
    "p",
    "nobs",
    "r2",
    "speed",
    "half_life",
    "first_year",
    "last_year",
    "cov_type",
]


def sigma_table(data: pd.DataFrame, variables=VARIABLES) -> pd.DataFrame:
    """Cross-province n, mean, sd (ddof = 1) and cv of each indicator in each year."""
    parts = []
    for var in variables:
        stats = data.groupby("year")[var].agg(n="count", mean="mean", sd=lambda x: x.std(ddof=1))
        parts.append(stats.assign(cv=stats["sd"] / stats["mean"], variable=var).reset_index())
    return pd.concat(parts, ignore_index=True)[SIGMA_COLUMNS]


def growth_on_initial(data: pd.DataFrame, variable: str) -> pd.DataFrame:
    """Per province: region, log initial level and average yearly log growth, first to last year."""
    first, last = data["year"].min(), data["year"].max()
    if first == last:
        raise InputError(f"beta convergence needs two or more years; the sample has only {first}", file="indicators")
    wide = data.pivot(index="code", columns="year", values=variable)[[first, last]]
    gaps = wide.index[wide.isna().any(axis=1)]
    if len(gaps):
        raise InputError(f"no {variable} in {first} or {last} for province(s) {list(gaps)}", file="indicators")
    if (wide <= 0).any(axis=None):
        raise InputError(f"{variable} must be positive for log growth", file="indicators")
    out = pd.DataFrame(
        {"log_initial": np.log(wide[first]), "growth": np.log(wide[last] / wide[first]) / (last - first)}
    )
    out["region"] = data.drop_duplicates("code").set_index("code")["region"].reindex(out.index)
    return out


def fit_beta(growth: pd.DataFrame, cov_type: str, conditional: bool):
    """statsmodels results of growth on a constant, log initial level and (conditional) region dummies."""
    exog = add_constant(growth[["log_initial"]])
    if conditional:
        regions = pd.get_dummies(growth["region"], drop_first=True, dtype=float)
        exog = pd.concat([exog, regions], axis=1)
    return OLS(growth["growth"], exog).fit(cov_type=cov_type, use_t=True)


def beta_table(data: pd.DataFrame, cov_type: str, variables=VARIABLES) -> pd.DataFrame:
    """Absolute and (with two or more regions) conditional beta convergence per indicator."""
    first, last = int(data["year"].min()), int(data["year"].max())
    span = last - first
    models = ["absolute"] + (["conditional"] if data["region"].nunique() > 1 else [])
    rows = []
    for var in variables:
        growth = growth_on_initial(data, var)
        for model in models:
            fit = fit_beta(growth, cov_type, conditional=model == "conditional")
            beta = fit.params["log_initial"]
            # The speed is defined only while 1 + beta T > 0 (no overshooting of the mean).
            speed = -np.log1p(beta * span) / span if beta * span > -1 else np.nan
            rows.append(
                {
                    "variable": var,
                    "model": model,
                    "beta": beta,
                    "se": fit.bse["log_initial"],
                    "t": fit.tvalues["log_initial"],
                    "p": fit.pvalues["log_initial"],
                    "nobs": int(fit.nobs),
                    "r2": fit.rsquared,
                    "speed": speed,
                    "half_life": np.log(2) / speed if speed > 0 else np.nan,
                    "first_year": first,
                    "last_year": last,
                    "cov_type": cov_type,
                }
            )
    return pd.DataFrame(rows, columns=BETA_COLUMNS)
