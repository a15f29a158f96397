"""Rule describe: Table 1's statistics (N, mean, sample sd, min, max) of each indicator
(results/tables/table1.csv; its text files: upgrade_repro/table1_files.py)."""

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
