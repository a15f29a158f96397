"""Rule province_means on the real data (conftest real_run): the provincial means and tiers against an
independent computation, and the paper's reading of Figure 1."""

import pandas as pd
import pytest
from conftest import TIERS


def means_by_hand(raw_path) -> pd.Series:
    """Mean of tertiary/secondary per province straight from the raw EPS file, with pandas only."""
    raw = pd.read_csv(raw_path, encoding="gb18030", dtype=str)
    raw = raw[raw["时间"].str.fullmatch(r"\d{4}", na=False)]  # drop the footer lines
    raw = raw[~raw["地区"].isin(["全国", "西藏"])]
    wide = raw.assign(value=raw["数值"].astype(float)).pivot_table(
        index=["地区", "时间"], columns="指标", values="value"
    )
    ratio = wide["第三产业增加值（亿元）"] / wide["第二产业增加值（亿元）"]
    return ratio.groupby(level="地区").mean()


# ----------------------------------------------------------------------------------- the numbers
def test_means_and_tiers_match_an_independent_computation(real_run, eps_2008_2021):
    table = pd.read_csv(real_run / "results/data/province_means.csv", dtype={"code": str})
    assert list(table.columns) == ["code", "province", "mean_upgrade", "tier", "rank"]
    expected = means_by_hand(eps_2008_2021)
    assert len(table) == len(expected) == 30
    got = table.set_index("province")["mean_upgrade"]
    assert got.sort_index().to_numpy() == pytest.approx(expected.sort_index().to_numpy(), rel=1e-12)
    # tiers by the paper's breaks, applied by hand
    by_hand = {p: next(t["label"] for t in reversed(TIERS) if v >= t["lower"]) for p, v in expected.items()}
    assert table.set_index("province")["tier"].to_dict() == by_hand
    assert table["rank"].tolist() == list(range(1, 31))
    assert table["province"].tolist() == expected.sort_values(ascending=False).index.tolist()


def test_the_papers_reading_of_figure_1(real_run):
    table = pd.read_csv(real_run / "results/data/province_means.csv", dtype={"code": str})
    tiers = table.groupby("tier")["province"].apply(set).to_dict()
    assert tiers["强"] == {"北京"}  # Beijing alone is 强 (3~4)
    assert tiers["较强"] == {"海南"}  # then Hainan, 较强 (2~3)
    assert table.loc[table["rank"].idxmax(), "province"] == "河南"  # Henan is the lowest
    assert set(tiers) == {"强", "较强", "中等", "较弱"}
