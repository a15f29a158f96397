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
from upgrade_repro.tables import p_text, stars, with_demo_note

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
CAPTION = "表 A3 产业结构升级指标的 β 收敛（超出论文的分析）"
SIGMA_CAPTION = "表 A4 产业结构升级指标的 σ 收敛：各年的省际标准差与变异系数（超出论文的分析）"
MODELS = {"absolute": "绝对收敛", "conditional": "条件收敛（地区虚拟变量）"}
CAPTIONS = {"zh": CAPTION, "en": "Table A3 β convergence of the upgrading indicators (beyond the paper)"}
SIGMA_CAPTIONS = {
    "zh": SIGMA_CAPTION,
    "en": "Table A4 σ convergence of the upgrading indicators: cross-province SD and coefficient of variation "
    "by year (beyond the paper)",
}
MODELS_BY_LANGUAGE = {"zh": MODELS, "en": {"absolute": "absolute", "conditional": "conditional (region dummies)"}}
BETA_HEADS = {
    "zh": ["变量", "模型", "β", "标准误", "p 值", "R²", "收敛速度 λ", "半衰期（年）", "省份数"],
    "en": ["Variable", "Model", "β", "SE", "p", "R²", "Speed λ", "Half-life (years)", "Provinces"],
}
SIGMA_WORDS = {"zh": ("年份", "标准差", "变异系数"), "en": ("Year", "SD", "CV")}


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


def _number(x: float, decimals: int) -> str:
    return "—" if pd.isna(x) else f"{x:.{decimals}f}"


def beta_cells(table: pd.DataFrame, decimals: int, language: str = "zh") -> tuple[list[str], list[list[str]]]:
    heads = list(BETA_HEADS[language])
    rows = [
        [
            r.variable,
            MODELS_BY_LANGUAGE[language][r.model],
            f"{r.beta:.{decimals}f}{stars(r.p)}",
            f"{r.se:.{decimals}f}",
            p_text(r.p),
            f"{r.r2:.3f}",
            _number(r.speed, decimals),
            _number(r.half_life, 1),
            str(r.nobs),
        ]
        for r in table.itertuples()
    ]
    return heads, rows


def sigma_cells(sigma: pd.DataFrame, decimals: int, language: str = "zh") -> tuple[list[str], list[list[str]]]:
    """One row per year: each indicator's cross-province sd and cv (sigma_table)."""
    variables = list(dict.fromkeys(sigma["variable"]))
    by = sigma.set_index(["variable", "year"])
    year, sd, cv = SIGMA_WORDS[language]
    heads = [year, *(f"{v} {what}" for v in variables for what in (sd, cv))]
    rows = [
        [str(year), *(f"{by.at[(v, year), c]:.{decimals}f}" for v in variables for c in ("sd", "cv"))]
        for year in sorted(sigma["year"].unique())
    ]
    return heads, rows


def sigma_notes(sigma: pd.DataFrame, demo: bool, language: str = "zh") -> list[str]:
    n = int(sigma["n"].max())
    if language == "en":
        notes = [
            f"Note: each year's sample standard deviation (ddof = 1) across {n} provinces and coefficient of "
            "variation (SD / mean); falling over the years means σ convergence (provinces grow more alike)."
        ]
        return with_demo_note(notes, demo, language)
    notes = [
        f"注：每年 {n} 个省份的样本标准差（ddof = 1）与变异系数（标准差 / 均值）；"
        "随年份下降表示 σ 收敛（省际差异缩小）。"
    ]
    return with_demo_note(notes, demo)


def beta_notes(table: pd.DataFrame, scheme: str, demo: bool, language: str = "zh") -> list[str]:
    """`scheme`: the scheme's human name (catalogue.scheme_name) in `language`."""
    first, last, cov = table["first_year"].iloc[0], table["last_year"].iloc[0], table["cov_type"].iloc[0]
    if language == "en":
        notes = [
            f"Note: the dependent variable is the indicator's average yearly log growth {first}–{last}, "
            f"ln(y_{last}/y_{first})/{last - first}; the regressor is the log of its {first} level; β < 0 means "
            f"convergence. Heteroskedasticity-robust standard errors ({cov}); *** p<0.01, ** p<0.05, * p<0.1. "
            f"Speed of convergence λ = −ln(1 + βT)/T, half-life = ln2/λ; conditional convergence adds region "
            f"dummies (regions: {scheme})."
        ]
        return with_demo_note(notes, demo, language)
    notes = [
        f"注：被解释变量为 {first}—{last} 年指标的年均对数增长率 ln(y_{last}/y_{first})/{last - first}，"
        f"解释变量为 {first} 年水平的对数；β < 0 表示收敛。标准误为异方差稳健标准误（{cov}），"
        f"*** p<0.01，** p<0.05，* p<0.1。收敛速度 λ = −ln(1 + βT)/T，半衰期 = ln2/λ；"
        f"条件收敛加入地区虚拟变量（地区划分 {scheme}）。"
    ]
    return with_demo_note(notes, demo)
