"""Descriptive statistics: Table 1's statistics (N, mean, sample sd, min, max) and its sample note."""

import pandas as pd

from upgrade_repro.indicators import indicator_columns

STATISTICS = ("n", "mean", "sd", "min", "max")


def describe(indicators: pd.DataFrame, variables=None) -> pd.DataFrame:
    """Table 1: one row per indicator (`variables`; default: every indicator the table holds, the
    selected ones); sd with ddof = 1, as Stata's summarize reports it."""
    rows = []
    for var in indicator_columns(indicators) if variables is None else variables:
        x = indicators[var]
        rows.append(
            {
                "variable": var,
                "n": int(x.count()),
                "mean": x.mean(),
                "sd": x.std(ddof=1),
                "min": x.min(),
                "max": x.max(),
            }
        )
    return pd.DataFrame(rows, columns=["variable", *STATISTICS])


# What the units are called in the note under the table (config unit).
UNIT_NAMES = {"province": "省份", "city": "城市", "county": "县级单位"}
UNIT_NAMES_EN = {"province": "provinces", "city": "cities", "county": "county-level units"}


def sample_note(indicators: pd.DataFrame, unit: str = "province", language: str = "zh") -> str:
    years = indicators["year"]
    if language == "en":
        return (
            f"Note: panel of {indicators['code'].nunique()} {UNIT_NAMES_EN[unit]}, {years.min()}–{years.max()} "
            f"(N = {len(indicators)}); sample standard deviation."
        )
    return (
        f"注：{indicators['code'].nunique()} 个{UNIT_NAMES[unit]} {years.min()}—{years.max()} 年的面板数据"
        f"（N = {len(indicators)}）；标准差为样本标准差。"
    )
