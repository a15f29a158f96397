"""Region schemes for the beyond-the-paper analyses: province code -> region, from
data/reference/region_schemes.csv (one column per scheme, keyed by GB/T 2260 code).

Regions are ordered by their first province in code order, which gives the official order of
both shipped schemes (东部, 中部, 西部, 东北 and 东部, 中部, 西部); every table and figure uses it.
"""

import pandas as pd

from upgrade_repro.errors import ConfigError, UnknownRegionError


def load_region_scheme(path, scheme: str) -> pd.Series:
    """code -> region label of one scheme, as an ordered categorical indexed by 6-digit code."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if scheme not in table.columns or scheme in ("code", "province"):
        schemes = [c for c in table.columns if c not in ("code", "province")]
        raise ConfigError(f"no region scheme {scheme!r}; the table has {schemes}", file=str(path), where="header")
    if table["code"].duplicated().any():
        raise ConfigError(
            f"codes listed twice: {sorted(table.loc[table['code'].duplicated(), 'code'])}",
            file=str(path),
            where="column code",
        )
    blank = table.loc[table[scheme].str.strip() == "", "code"]
    if len(blank):
        raise ConfigError(f"no region for code(s) {list(blank)}", file=str(path), where=f"column {scheme}")
    table = table.sort_values("code")
    order = list(dict.fromkeys(table[scheme]))
    return pd.Series(
        pd.Categorical(table[scheme], categories=order, ordered=True), index=table["code"].to_numpy(), name="region"
    )


def attach_regions(indicators: pd.DataFrame, scheme: pd.Series, source: str = "region table") -> pd.DataFrame:
    """The indicators with a `region` column; regions without a province in the sample are dropped
    from the categories, so no table or figure shows an empty region."""
    missing = sorted(set(indicators["code"]) - set(scheme.index))
    if missing:
        raise UnknownRegionError(f"province code(s) {missing} of the sample have no region", file=source)
    out = indicators.copy()
    out["region"] = scheme.reindex(out["code"]).array
    out["region"] = out["region"].cat.remove_unused_categories()
    return out


def provinces_per_region(data: pd.DataFrame) -> pd.Series:
    """Number of provinces in each region, in the scheme's order (for the tables' notes)."""
    return data.groupby("region", observed=True, sort=True)["code"].nunique()


def read_indicators_with_regions(indicators_path, schemes_path, scheme: str) -> pd.DataFrame:
    """indicators.csv with each province's region under `scheme` (the input of every rule
    beyond the paper)."""
    indicators = pd.read_csv(indicators_path, dtype={"code": str})
    return attach_regions(indicators, load_region_scheme(schemes_path, scheme), source=str(schemes_path))
