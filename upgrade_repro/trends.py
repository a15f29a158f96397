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
from scipy import stats as scipy_stats
from statsmodels.regression.linear_model import OLS  # not statsmodels.api: ~0.4 s less per job

from upgrade_repro.indicators import VARIABLES
from upgrade_repro.region_schemes import provinces_per_region
from upgrade_repro.tables import p_text, stars, with_demo_note

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
CAPTION = "表 A2 产业结构升级指标的时间趋势：省份固定效应模型（超出论文的分析）"
CAPTIONS = {
    "zh": CAPTION,
    "en": "Table A2 Time trends of the upgrading indicators: province fixed effects (beyond the paper)",
}
# Row labels of the regression table.
ROW_LABELS = {
    "zh": {
        "pooled": "年度趋势（全样本）",
        "regional": "年度趋势 × {region}",
        "wald": "区域趋势相等：Wald F",
        "p": "p 值",
        "nobs": "观测值",
        "clusters": "省份（聚类）数",
    },
    "en": {
        "pooled": "Yearly trend (all provinces)",
        "regional": "Yearly trend × {region}",
        "wald": "Equal regional trends: Wald F",
        "p": "p",
        "nobs": "Observations",
        "clusters": "Provinces (clusters)",
    },
}


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


def trend_cells(
    table: pd.DataFrame, decimals: int, language: str = "zh", names: dict | None = None
) -> tuple[list[str], list[list[str]]]:
    """A regression table: one column per indicator; coefficient with stars over (SE). `names`:
    region label -> its name in `language` (catalogue.region_label_names)."""
    words = ROW_LABELS[language]
    variables = list(dict.fromkeys(table["variable"]))
    by = {v: table[table["variable"] == v].set_index("term") for v in variables}
    first = by[variables[0]]
    rows = []
    for term, region in first.loc[first.index != WALD, "region"].items():
        label = (
            words["pooled"] if term == "trend" else words["regional"].format(region=(names or {}).get(region, region))
        )
        rows.append(
            [label, *(f"{by[v].at[term, 'estimate']:.{decimals}f}{stars(by[v].at[term, 'p'])}" for v in variables)]
        )
        rows.append(["", *(f"({by[v].at[term, 'se']:.{decimals}f})" for v in variables)])
    if WALD in first.index:
        rows.append(
            [
                words["wald"],
                *(f"{by[v].at[WALD, 'statistic']:.3f}{stars(by[v].at[WALD, 'p'])}" for v in variables),
            ]
        )
        rows.append([words["p"], *(p_text(by[v].at[WALD, "p"]) for v in variables)])
    rows.append([words["nobs"], *(str(by[v]["nobs"].iloc[0]) for v in variables)])
    rows.append([words["clusters"], *(str(by[v]["clusters"].iloc[0]) for v in variables)])
    return ["", *variables], rows


def xtreg_se_ratio(n_obs: int, n_provinces: int, n_trends: int) -> float:
    """SE of `regress y t i.code, vce(cluster code)` over SE of `xtreg y t, fe vce(cluster code)`:
    both CR1, but regress counts the province dummies in K (K = provinces + trends), xtreg only
    the trends and a constant: sqrt((N - 1 - n_trends) / (N - K))."""
    return float(np.sqrt((n_obs - 1 - n_trends) / (n_obs - n_provinces - n_trends)))


# Fewer provinces than this behind a regional SE: flagged in the note (few-cluster inference).
FEW_CLUSTERS = 10


def trend_notes(
    data: pd.DataFrame,
    scheme: str,
    demo: bool,
    units: dict[str, str] | None = None,
    language: str = "zh",
    names: dict | None = None,
) -> list[str]:
    """The table's notes: model, units (`units`: indicator -> unit, catalogue.indicator_units), the
    SE convention and the few-cluster caveat; `scheme` the scheme's human name, `names` region label
    -> name, both in `language`."""
    first = data["year"].min()
    counts = provinces_per_region(data)
    if language == "en":
        return with_demo_note(_trend_notes_en(data, scheme, units, names or {}), demo, language)
    sizes = "，".join(f"{region} {n}" for region, n in counts.items())
    n_obs, n_prov = len(data), data["code"].nunique()
    ratio = xtreg_se_ratio(n_obs, n_prov, 1)
    few = [region for region, n in counts.items() if n < FEW_CLUSTERS]
    unit_text = "；".join(f"{v} 为{u}/年" for v, u in (units or {}).items() if v in set(VARIABLES))
    notes = [
        f"注：每列为一个指标对年度线性趋势（年份 − {first}）的回归，含省份固定效应；"
        f"“年度趋势（全样本）”与各地区趋势分别来自两个模型。系数为每年的变化"
        + (f"（{unit_text}）" if unit_text else "")
        + "。括号内为按省份聚类的稳健标准误（CR1，同 Stata `regress y t i.code, vce(cluster code)`；"
        f"`xtreg y t, fe vce(cluster code)` 不把省份虚拟变量计入 K，标准误小约 {100 * (1 - 1 / ratio):.1f}%）。"
        f"全样本趋势的 t 检验与 Wald F 检验的分母自由度为省份数 − 1 = {n_prov - 1}；"
        f"地区趋势的标准误只来自该地区的省份，其 t 检验用该地区省份数 − 1 的自由度；"
        f"*** p<0.01，** p<0.05，* p<0.1。",
        f"注：Wald 检验的原假设为各地区趋势相等；地区划分为{scheme}（data/reference/region_schemes.csv），"
        f"各地区省份数：{sizes}。"
        + (
            f"{'、'.join(few)}的省份少于 {FEW_CLUSTERS} 个：聚类标准误在这么少的聚类下不可靠，其显著性仅供参考。"
            if few
            else ""
        ),
    ]
    return with_demo_note(notes, demo)


def _trend_notes_en(data: pd.DataFrame, scheme: str, units: dict | None, names: dict) -> list[str]:
    first = data["year"].min()
    counts = provinces_per_region(data)
    sizes = ", ".join(f"{names.get(region, region)} {n}" for region, n in counts.items())
    n_obs, n_prov = len(data), data["code"].nunique()
    ratio = xtreg_se_ratio(n_obs, n_prov, 1)
    few = [names.get(region, region) for region, n in counts.items() if n < FEW_CLUSTERS]
    unit_text = "; ".join(f"{v} in {u} per year" for v, u in (units or {}).items() if v in set(VARIABLES))
    return [
        f"Note: each column regresses one indicator on a linear yearly trend (year − {first}) with province "
        "fixed effects; the trend over all provinces and the regional trends come from two models. A "
        "coefficient is the change per year" + (f" ({unit_text})" if unit_text else "") + ". Standard errors "
        "in parentheses are clustered by province (CR1, as Stata's `regress y t i.code, vce(cluster code)`; "
        "`xtreg y t, fe vce(cluster code)` leaves the province dummies out of K and gives standard errors "
        f"about {100 * (1 - 1 / ratio):.1f}% smaller). The t tests of the trend over all provinces and the "
        f"Wald F test have provinces − 1 = {n_prov - 1} denominator degrees of freedom; a regional trend's "
        "standard error draws on that region's provinces only, and its t test has that region's provinces − 1 "
        "degrees of freedom; *** p<0.01, ** p<0.05, * p<0.1.",
        f"Note: the Wald test's null hypothesis is equal regional trends; regions: {scheme} "
        f"(data/reference/region_schemes.csv), provinces per region: {sizes}."
        + (
            f" {' and '.join(few)} have fewer than {FEW_CLUSTERS} provinces: clustered standard errors are "
            "unreliable with so few clusters, so their significance is indicative only."
            if few
            else ""
        ),
    ]
