"""indicators, describe and verify on numbers small enough to check by hand."""

import math

import pandas as pd
import pytest

from upgrade_repro.descriptive import describe
from upgrade_repro.errors import ZeroDenominatorError
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.tables import format_latex, format_markdown, latex_escape
from upgrade_repro.verification import compare_with_published, read_published

PANEL = pd.DataFrame(
    {
        "code": ["110000", "110000"],
        "province": ["北京", "北京"],
        "year": [2020, 2021],
        "gdp": [100.0, 200.0],
        "primary": [10.0, 20.0],
        "secondary": [40.0, 60.0],
        "tertiary": [50.0, 118.0],
    }
)


def test_indicators_by_hand():
    ind = compute_indicators(PANEL, "gdp")
    # 2020: 50/40, 50/100, (10 + 80 + 150)/100; 2021: 118/60, 118/200, (20 + 120 + 354)/200
    assert ind["upgrade"].tolist() == pytest.approx([1.25, 118 / 60])
    assert ind["service"].tolist() == pytest.approx([0.5, 0.59])
    assert ind["cyig"].tolist() == pytest.approx([2.4, 2.47])


def test_sector_sum_denominator():
    # 2021's sectors sum to 198, not GDP 200
    ind = compute_indicators(PANEL, "sector_sum")
    assert ind["service"].tolist() == pytest.approx([0.5, 118 / 198])
    assert ind["cyig"].tolist() == pytest.approx([2.4, 494 / 198])
    with pytest.raises(ValueError, match="share_denominator"):
        compute_indicators(PANEL, "population")


def test_zero_secondary_is_an_error_naming_the_raw_file_and_line():
    panel = PANEL.assign(secondary=[0.0, 60.0])
    sources = pd.DataFrame(
        [
            {"code": "110000", "year": y, "indicator": i, "source": "raw/a.csv", "line": 10 * k + y - 2019}
            for k, i in enumerate(["gdp", "primary", "secondary", "tertiary"])
            for y in (2020, 2021)
        ]
    )
    with pytest.raises(ZeroDenominatorError) as err:
        compute_indicators(panel, "gdp", sources)
    assert str(err.value).startswith("raw/a.csv: ")
    assert "北京 (110000) 2020: denominator secondary is 0 from secondary 0 (raw/a.csv line 21)" in str(err.value)
    # a sector-sum denominator of zero names its three cells
    zero = PANEL.assign(primary=[0.0, 20.0], secondary=[0.0, 60.0], tertiary=[0.0, 118.0])
    with pytest.raises(
        ZeroDenominatorError,
        match=r"denominator sector_sum is 0 from primary 0 \(raw/a\.csv line 11\), "
        r"secondary 0 \(raw/a\.csv line 21\), tertiary 0 \(raw/a\.csv line 31\)",
    ):
        compute_indicators(zero, "sector_sum", sources)


INDICATORS = pd.DataFrame(
    {
        "code": ["1", "1", "2", "2"],
        "province": ["甲", "甲", "乙", "乙"],
        "year": [2020, 2021, 2020, 2021],
        "upgrade": [1.0, 2.0, 3.0, 4.0],
        "service": [0.5, 0.5, 0.5, 0.5],
        "cyig": [2.0, 2.1, 2.2, 2.9],
    }
)


def test_describe_by_hand():
    t = describe(INDICATORS).set_index("variable")
    assert t.loc["upgrade"].tolist() == pytest.approx([4, 2.5, math.sqrt(5 / 3), 1.0, 4.0])  # ddof = 1
    assert t.loc["service", "sd"] == 0.0
    assert t.loc["cyig", "mean"] == pytest.approx(2.3)


def test_markdown_and_latex_tables():
    t = describe(INDICATORS)
    md = format_markdown(t, 3, ["注：demo"])
    assert "| 变量 | 观测值 | 平均值 | 标准差 | 最小值 | 最大值 |" in md
    assert "| upgrade | 4 | 2.500 | 1.291 | 1.000 | 4.000 |" in md
    assert md.rstrip().endswith("注：demo")
    tex = format_latex(t, 2, ["50% & more_"])
    assert r"\toprule" in tex and r"\bottomrule" in tex
    assert r"upgrade & 4 & 2.50 & 1.29 & 1.00 & 4.00 \\" in tex
    assert r"50\% \& more\_" in tex
    assert latex_escape("{a}\\") == r"\{a\}\textbackslash{}"


def test_verify_tolerance_from_printed_decimals_and_extremes(tmp_path):
    published = tmp_path / "p.csv"
    published.write_text(
        "variable,n,mean,sd,min,max\nupgrade,4,2.500,1.29,1.0004,4\nservice,4,0.5,0,0.5,0.5\ncyig,4,2.3,0.4,2.0,2.9\n",
        encoding="utf-8",
    )
    p = read_published(published)
    assert p.set_index(["variable", "statistic"]).loc[("upgrade", "mean"), "decimals"] == 3
    checks = compare_with_published(describe(INDICATORS), p, INDICATORS).set_index(["variable", "statistic"])
    row = checks.loc[("upgrade", "sd")]  # 1.29099 vs 1.29, tolerance 0.005
    assert row["tolerance"] == pytest.approx(0.005) and bool(row["within_tolerance"])
    row = checks.loc[("upgrade", "min")]  # 1.0 vs 1.0004: within half of 0.0001? no
    assert row["difference"] == pytest.approx(-0.0004) and not row["within_tolerance"]
    assert checks.loc[("upgrade", "max"), "where"] == "乙 2021"
    assert checks.loc[("service", "min"), "where"] == "甲 2020; 甲 2021; 乙 2020; 乙 2021"  # ties all listed
    assert checks.loc[("cyig", "max"), "tolerance"] == pytest.approx(0.05)
    assert checks.loc[("cyig", "n"), "where"] == "" and not checks["synthetic_data"].any()
    fixed = compare_with_published(describe(INDICATORS), p, INDICATORS, tolerance=0.01, demo=True)
    assert (fixed["tolerance"] == 0.01).all() and fixed["synthetic_data"].all()
