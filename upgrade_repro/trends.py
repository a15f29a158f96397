"""Rule trends (beyond the paper): linear time trends of each indicator, within provinces.

For each indicator y, two statsmodels OLS fits with province fixed effects (one dummy per province,
no constant) and standard errors clustered by province (CR1, t and F with G - 1 denominator degrees
of freedom, G = number of provinces; as Stata's `regress y t i.code, vce(cluster code)`):

    pooled:    y_it = a_i + b * t + e_it
    regional:  y_it = a_i + sum_r b_r * t * [i in r] + e_it

with t = year - first sample year, so b is the change per year. The Wald test of the regional fit
has H0: b_1 = ... = b_R (R - 1 restrictions).

A regional trend's clustered SE draws only on that region's G_r provinces, so its t test uses the
region's own G_r - 1 degrees of freedom (df_den, p; the csv keeps the G - 1 p as p_all): a
three-province region gets t with 2 df, not 29. Stata's `xtreg y t, fe vce(cluster code)` counts
the absorbed province effects out of K and gives SEs smaller by sqrt((N - 2) / (N - K)), K the
regress model's columns (about 3.5 % with 30 provinces and 14 years): the note says so.
"""

import numpy as np
import pandas as pd

from upgrade_repro.indicators import VARIABLES

# Keys of the table (csv): the region of the pooled trend and of the Wald test, the Wald test's term.
ALL = "全部"
WALD = "wald_equal_trends"
COLUMNS = [
    "variable",
    "model",
    "term",
    "region",
    "estimate",
    "se",
    "statistic",
    "df_num",
    "df_den",
    "p",
    "p_all",
    "nobs",
    "clusters",
    "clusters_region",
]


def trend_design(data: pd.DataFrame, by_region: bool) -> pd.DataFrame:
    """Province dummies, then the trend (`trend`) or one trend per region (`trend:<region>`)."""
    trend = (data["year"] - data["year"].min()).astype(float)
    dummies = pd.get_dummies(data["code"], prefix="fe", prefix_sep=":", dtype=float)
    if by_region:
        slopes = pd.get_dummies(data["region"], dtype=float).mul(trend, axis=0)
        slopes.columns = [f"trend:{r}" for r in slopes.columns]
    else:
        slopes = trend.rename("trend").to_frame()
    return pd.concat([dummies, slopes], axis=1)


def fit_trend(data: pd.DataFrame, variable: str, by_region: bool):
    """statsmodels results of one trend fit, SEs clustered by province."""
    # Here, not at the top: the tables' text files (beyond_table_files) read this module's keys only.
    from statsmodels.regression.linear_model import OLS  # not statsmodels.api: ~0.4 s less per job

    groups = pd.factorize(data["code"])[0]
    return OLS(data[variable].astype(float), trend_design(data, by_region)).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )


def wald_equal_trends(result, terms: list[str]) -> dict:
    """F test of equal coefficients on `terms` (each minus the first), with the fit's covariance."""
    names = list(result.params.index)
    restrictions = np.zeros((len(terms) - 1, len(names)))
    for row, term in enumerate(terms[1:]):
        restrictions[row, names.index(terms[0])] = 1.0
        restrictions[row, names.index(term)] = -1.0
    test = result.wald_test(restrictions, use_f=True, scalar=True)
    return {
        "statistic": float(test.statistic),
        "df_num": int(test.df_num),
        "df_den": float(test.df_denom),
        "p": float(test.pvalue),
    }


def _coefficient_rows(result, variable: str, model: str, terms: dict[str, str], clusters: dict[str, int]) -> list[dict]:
    """One row per term; the t test with the term's own clusters - 1 df (`clusters`: term ->
    provinces behind its SE)."""
    from scipy import stats as scipy_stats

    rows = []
    for term, region in terms.items():
        t, df = result.tvalues[term], clusters[term] - 1
        rows.append(
            {
                "variable": variable,
                "model": model,
                "term": term,
                "region": region,
                "estimate": result.params[term],
                "se": result.bse[term],
                "statistic": t,
                "df_num": 1,
                "df_den": float(df),
                "p": float(2 * scipy_stats.t.sf(abs(t), df)) if df > 0 else np.nan,
                "p_all": result.pvalues[term],
                "clusters_region": clusters[term],
            }
        )
    return rows


def trend_table(data: pd.DataFrame, variables=VARIABLES) -> pd.DataFrame:
    """Long table: per indicator the pooled trend, the regional trends and (with two or more
    regions) the Wald test of equal regional trends."""
    rows = []
    regions = list(data["region"].cat.categories)
    clusters = data["code"].nunique()
    for var in variables:
        pooled = fit_trend(data, var, by_region=False)
        rows += _coefficient_rows(pooled, var, "pooled", {"trend": ALL}, {"trend": clusters})
        regional = fit_trend(data, var, by_region=True)
        terms = {f"trend:{r}": r for r in regions}
        per_region = data.groupby("region", observed=True)["code"].nunique()
        rows += _coefficient_rows(regional, var, "regional", terms, {f"trend:{r}": int(per_region[r]) for r in regions})
        if len(regions) > 1:
            rows.append(
                {
                    "variable": var,
                    "model": "regional",
                    "term": WALD,
                    "region": ALL,
                    **wald_equal_trends(regional, list(terms)),
                    "clusters_region": clusters,
                }
            )
    table = pd.DataFrame(rows)
    table["nobs"] = len(data)
    table["clusters"] = clusters
    return table.reindex(columns=COLUMNS)
