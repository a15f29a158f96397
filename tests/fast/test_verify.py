"""Rule verify: the tolerance from the printed decimals, the extremes located, and the strict mode
naming every statistic out of tolerance; on numbers small enough to check by hand."""

import pandas as pd
import pytest
from conftest import HAND_INDICATORS

from upgrade_repro.describe import describe
from upgrade_repro.errors import ToleranceError
from upgrade_repro.verify import compare_with_published, read_published, require_within_tolerance


def test_strict_verification_names_every_statistic_out_of_tolerance():
    checks = pd.DataFrame(
        {
            "variable": ["upgrade", "cyig"],
            "statistic": ["mean", "min"],
            "published": [1.168, 1.995],
            "reproduced": [1.1677, 2.102],
            "difference": [-0.0003, 0.107],
            "tolerance": [0.0005, 0.0005],
            "within_tolerance": [True, False],
            "synthetic_data": [False, False],
        }
    )
    with pytest.raises(ToleranceError, match=r"1 of 2 statistics.*cyig min: published 1.995, reproduced 2.102000"):
        require_within_tolerance(checks, "t1 vs paper")
    require_within_tolerance(checks[checks["within_tolerance"]], "t1 vs paper")  # all within: no error


def test_verify_tolerance_from_printed_decimals_and_extremes(tmp_path):
    published = tmp_path / "p.csv"
    published.write_text(
        "variable,n,mean,sd,min,max\nupgrade,4,2.500,1.29,1.0004,4\nservice,4,0.5,0,0.5,0.5\ncyig,4,2.3,0.4,2.0,2.9\n",
        encoding="utf-8",
    )
    p = read_published(published)
    assert p.set_index(["variable", "statistic"]).loc[("upgrade", "mean"), "decimals"] == 3
    checks = compare_with_published(describe(HAND_INDICATORS), p, HAND_INDICATORS).set_index(["variable", "statistic"])
    row = checks.loc[("upgrade", "sd")]  # 1.29099 vs 1.29, tolerance 0.005
    assert row["tolerance"] == pytest.approx(0.005) and bool(row["within_tolerance"])
    row = checks.loc[("upgrade", "min")]  # 1.0 vs 1.0004: within half of 0.0001? no
    assert row["difference"] == pytest.approx(-0.0004) and not row["within_tolerance"]
    assert checks.loc[("upgrade", "max"), "where"] == "乙 2021"
    assert checks.loc[("service", "min"), "where"] == "甲 2020; 甲 2021; 乙 2020; 乙 2021"  # ties all listed
    assert checks.loc[("cyig", "max"), "tolerance"] == pytest.approx(0.05)
    assert checks.loc[("cyig", "n"), "where"] == "" and not checks["synthetic_data"].any()
    fixed = compare_with_published(describe(HAND_INDICATORS), p, HAND_INDICATORS, tolerance=0.01, demo=True)
    assert (fixed["tolerance"] == 0.01).all() and fixed["synthetic_data"].all()
