"""Rule regional_table: Table 1's statistics by region against group statistics computed by pandas."""

import pytest
from conftest import SLOPES, synthetic

from upgrade_repro.beyond_table_files import region_cells, region_notes
from upgrade_repro.regional_table import describe_by_region

# --- regional Table 1 --------------------------------------------------------------------------


def test_regional_table_against_group_statistics():
    data = synthetic(SLOPES)
    table = describe_by_region(data)
    assert list(dict.fromkeys(table["region"])) == ["东部", "中部", "西部", "东北"]
    for var in ("upgrade", "service", "cyig"):
        by_hand = data.groupby("region", observed=True)[var].agg(["count", "mean", "std", "min", "max"])
        mine = table[table["variable"] == var].set_index("region")
        for region in by_hand.index:
            expected = by_hand.loc[region].to_numpy(float)
            assert mine.loc[region, ["n", "mean", "sd", "min", "max"]].to_numpy(float) == pytest.approx(expected)
    rows = region_cells(table, 3)
    assert [r[0] for r in rows[:4]] == ["东部", "", "", "中部"] and rows[0][1] == "upgrade"
    notes = region_notes(data, "nbs4", demo=True)
    assert "东部 2 个" in notes[0] and "东北 1 个" in notes[0] and "演示数据" in notes[-1]
