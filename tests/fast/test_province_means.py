"""Tier assignment and province means, on values worked out by hand."""

import pandas as pd
import pytest
from conftest import ROOT

from upgrade_repro.errors import ConfigError
from upgrade_repro.figures import tier_legend_labels
from upgrade_repro.province_means import province_means, rank_and_tier
from upgrade_repro.tiers import assign_tiers, check_tiers

PAPER = [
    {"label": "较弱", "lower": 0, "upper": 1, "color": "#fef0d9"},
    {"label": "中等", "lower": 1, "upper": 2, "color": "#fdcc8a"},
    {"label": "较强", "lower": 2, "upper": 3, "color": "#fc8d59"},
    {"label": "强", "lower": 3, "upper": 4, "color": "#d7301f"},
]


@pytest.mark.parametrize(
    "value, tier",
    [
        (0.0, "较弱"),  # on the lowest break
        (0.999999, "较弱"),
        (1.0, "中等"),  # a value on a break goes to the upper tier
        (1.5, "中等"),
        (2.0, "较强"),
        (2.9999999, "较强"),
        (3.0, "强"),
        (4.0, "强"),  # the top tier's upper ...
        (5.297, "强"),  # ... and beyond it: the top tier is open above
    ],
)
def test_assign_tiers_on_and_between_breaks(value, tier):
    assert assign_tiers(pd.Series([value]), PAPER).tolist() == [tier]


def test_assign_tiers_keeps_order_and_index():
    values = pd.Series([3.2, 0.5, 2.0, 1.0], index=[10, 11, 12, 13])
    tiers = assign_tiers(values, PAPER)
    assert tiers.to_dict() == {10: "强", 11: "较弱", 12: "较强", 13: "中等"}


def test_value_below_the_lowest_break_is_an_error_naming_the_province():
    shifted = [dict(t, lower=t["lower"] + 0.5, upper=t["upper"] + 0.5) for t in PAPER]
    with pytest.raises(ConfigError, match=r"figure\.tiers.*河南 = 0\.4"):
        assign_tiers(pd.Series([0.4, 1.2]), shifted, names=pd.Series(["河南", "北京"]))


def test_missing_value_is_an_error():
    with pytest.raises(ConfigError, match="not covered"):
        assign_tiers(pd.Series([1.0, float("nan")]), PAPER)


@pytest.mark.parametrize(
    "tiers, problem",
    [
        ([], "no tiers"),
        ([PAPER[0], PAPER[2]], "without gaps"),  # a gap 1..2
        ([PAPER[1], PAPER[0]], "without gaps"),  # descending
        ([PAPER[0], dict(PAPER[1], label="较弱")], "unique"),
        ([dict(PAPER[0], upper=0)], "not below"),
        ([dict(PAPER[0], color="reddish")], "not a colour"),
    ],
)
def test_bad_tiers_are_rejected(tiers, problem):
    with pytest.raises(ConfigError, match=problem):
        check_tiers(tiers)


def test_legend_labels_say_when_the_top_tier_is_open():
    closed = tier_legend_labels(PAPER, max_value=3.91)
    assert closed == {"较弱": "较弱（0～1）", "中等": "中等（1～2）", "较强": "较强（2～3）", "强": "强（3～4）"}
    assert tier_legend_labels(PAPER, max_value=4.0)["强"] == "强（3～4）"
    assert tier_legend_labels(PAPER, max_value=4.01)["强"] == "强（≥ 3）"
    halves = [
        dict(label="低", lower=0.5, upper=1.25, color="white"),
        dict(label="高", lower=1.25, upper=2.5, color="black"),
    ]
    assert tier_legend_labels(halves, 2.0) == {"低": "低（0.5～1.25）", "高": "高（1.25～2.5）"}


def test_province_means_ranks_and_tiers_by_hand():
    indicators = pd.DataFrame(
        {
            "code": ["110000"] * 3 + ["410000"] * 3 + ["460000"] * 3,
            "province": ["北京"] * 3 + ["河南"] * 3 + ["海南"] * 3,
            "year": [2019, 2020, 2021] * 3,
            "upgrade": [3.0, 3.5, 4.3, 0.6, 0.9, 1.2, 2.0, 2.0, 2.3],
        }
    )
    table = rank_and_tier(province_means(indicators), PAPER)
    assert list(table.columns) == ["code", "province", "mean_upgrade", "tier", "rank"]
    assert table["code"].tolist() == ["110000", "460000", "410000"]
    assert table["mean_upgrade"].tolist() == pytest.approx([10.8 / 3, 6.3 / 3, 0.9])
    assert table["tier"].tolist() == ["强", "较强", "较弱"]
    assert table["rank"].tolist() == [1, 2, 3]


def test_ties_share_the_best_rank():
    means = pd.DataFrame({"code": ["1", "2", "3"], "province": ["a", "b", "c"], "mean_upgrade": [1.5, 2.5, 1.5]})
    table = rank_and_tier(means, PAPER)
    assert table[["code", "rank"]].values.tolist() == [["2", 1], ["1", 2], ["3", 2]]


def test_colour_check_reads_hex_without_matplotlib_and_agrees_with_it():
    # The config's hex colours are checked at every start without importing matplotlib; every
    # answer is matplotlib's (hex or not: other forms are passed on to it).
    import subprocess
    import sys

    from matplotlib.colors import is_color_like

    from upgrade_repro.tiers import _is_color_like

    values = ["#fff", "#FFFA", "#fef0d9", "#d7301f80", "#fffff", "#fffffff", "#ggg", "#１２３", "#abc\n", "fef0d9"]
    values += ["red", "tab:blue", "C1", "0.5", "none", (1, 0, 0), "nonsense", ""]
    assert [_is_color_like(v) for v in values] == [is_color_like(v) for v in values]
    code = "import sys; from upgrade_repro.tiers import _is_color_like as c; c('#fef0d9'); print('matplotlib' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert found.stdout == "False\n"
