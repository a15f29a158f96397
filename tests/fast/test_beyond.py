"""Beyond the paper, across its rules (workflow/rules/beyond.smk): the region schemes every beyond rule
reads (upgrade_repro/region_schemes.py), and the regional table, trends and convergence on the real
data. Each rule's own tests: test_regional_table.py, test_trends.py, test_convergence.py,
test_beyond_figures.py."""

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, SCHEMES, clustered_slope, within

from upgrade_repro.clean import build_panel
from upgrade_repro.convergence import beta_table, sigma_table
from upgrade_repro.errors import ConfigError, UnknownRegionError
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.ingest.extracts import read_extracts
from upgrade_repro.region_schemes import attach_regions, load_region_scheme
from upgrade_repro.regional_table import describe_by_region
from upgrade_repro.regions import load_regions
from upgrade_repro.trends import WALD, trend_table

# --- the region scheme table -------------------------------------------------------------------


def test_region_schemes_cover_the_31_mainland_provinces():
    table = pd.read_csv(SCHEMES, dtype=str)
    provinces = load_regions(ROOT / "data/reference/provinces.csv")
    mainland = provinces[provinces["mainland"]].set_index("code")["name_short"]
    assert len(table) == 31 and not table["code"].duplicated().any()
    assert set(table["code"]) == set(mainland.index)
    # the readable name column agrees with the region table
    assert (table.set_index("code")["province"] == mainland.reindex(table["code"]).to_numpy()).all()


def members(scheme: str) -> dict[str, set[str]]:
    table = pd.read_csv(SCHEMES, dtype=str)
    return {r: set(g["province"]) for r, g in table.groupby(scheme)}


def test_nbs_four_regions():
    m = members("nbs4")
    assert {r: len(p) for r, p in m.items()} == {"东部": 10, "中部": 6, "西部": 12, "东北": 3}
    assert m["东部"] == {"北京", "天津", "河北", "上海", "江苏", "浙江", "福建", "山东", "广东", "海南"}
    assert m["中部"] == {"山西", "安徽", "江西", "河南", "湖北", "湖南"}
    assert m["东北"] == {"辽宁", "吉林", "黑龙江"}
    assert {"内蒙古", "广西", "西藏"} <= m["西部"]


def test_three_region_split():
    m = members("ecw3")
    assert {r: len(p) for r, p in m.items()} == {"东部": 11, "中部": 8, "西部": 12}
    assert m["东部"] == members("nbs4")["东部"] | {"辽宁"}
    assert m["中部"] == members("nbs4")["中部"] | {"吉林", "黑龙江"}
    assert m["西部"] == members("nbs4")["西部"]


def test_scheme_order_and_errors(tmp_path):
    assert list(load_region_scheme(SCHEMES, "nbs4").cat.categories) == ["东部", "中部", "西部", "东北"]
    assert list(load_region_scheme(SCHEMES, "ecw3").cat.categories) == ["东部", "中部", "西部"]
    with pytest.raises(ConfigError, match="region_schemes.csv.*no region scheme 'nbs5'"):
        load_region_scheme(SCHEMES, "nbs5")
    bad = tmp_path / "schemes.csv"
    bad.write_text("code,province,nbs4\n110000,北京,东部\n120000,天津,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="schemes.csv: column nbs4: no region for code.*120000"):
        load_region_scheme(bad, "nbs4")
    data = pd.DataFrame({"code": ["110000", "990000"], "year": [2020, 2020]})
    with pytest.raises(UnknownRegionError, match="990000"):
        attach_regions(data, load_region_scheme(SCHEMES, "nbs4"))


# --- on the real data -----------------------------------------------------------------------------
def real_indicators(raw) -> pd.DataFrame:
    """The spine's functions, in process (the whole workflow: tests/workflow/test_end_to_end.py)."""
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    aggregates = pd.read_csv(ROOT / "data/reference/aggregates.csv", dtype=str)
    panel = build_panel(read_extracts([raw]), regions, aggregates, ["西藏"], {"start": 2008, "end": 2021})
    return compute_indicators(panel)


def test_real_data(eps_2008_2021):
    indicators = real_indicators(eps_2008_2021)
    for scheme, sizes in (
        ("nbs4", {"东部": 10, "中部": 6, "西部": 11, "东北": 3}),
        ("ecw3", {"东部": 11, "中部": 8, "西部": 11}),
    ):
        data = attach_regions(indicators, load_region_scheme(SCHEMES, scheme))
        table = describe_by_region(data)
        n = table.groupby("region", sort=False)["n"].first().to_dict()
        assert n == {r: 14 * k for r, k in sizes.items()}  # Tibet out, 2008-2021
    data = attach_regions(indicators, load_region_scheme(SCHEMES, "nbs4"))
    trends = trend_table(data).set_index(["variable", "term"])
    for var in ("upgrade", "service", "cyig"):
        t_dm, y_dm, groups = within(data, var)
        b, se = clustered_slope(t_dm, y_dm, groups, n_params=31)
        assert trends.loc[(var, "trend"), ["estimate", "se"]].tolist() == pytest.approx([b, se], rel=1e-8)
        assert 0 <= trends.loc[(var, WALD), "p"] <= 1
        assert trends.loc[(var, WALD), ["df_num", "df_den"]].tolist() == [3, 29]
    sigma = sigma_table(data).set_index(["variable", "year"])
    for year in (2008, 2021):
        x = data.loc[data["year"] == year, "upgrade"].to_numpy()
        assert sigma.loc[("upgrade", year), ["sd", "cv"]].tolist() == pytest.approx(
            [np.std(x, ddof=1), np.std(x, ddof=1) / np.mean(x)]
        )
    beta = beta_table(data, "HC1")
    assert len(beta) == 6 and (beta["nobs"] == 30).all()
