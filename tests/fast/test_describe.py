"""Rule describe: Table 1's statistics on numbers small enough to check by hand."""

import math

import pytest
from conftest import HAND_INDICATORS

from upgrade_repro.describe import describe


def test_describe_by_hand():
    t = describe(HAND_INDICATORS).set_index("variable")
    assert t.loc["upgrade"].tolist() == pytest.approx([4, 2.5, math.sqrt(5 / 3), 1.0, 4.0])  # ddof = 1
    assert t.loc["service", "sd"] == 0.0
    assert t.loc["cyig", "mean"] == pytest.approx(2.3)
