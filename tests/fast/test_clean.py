"""The clean stage on hand-made tidy tables."""

import logging

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from upgrade_repro.clean import balanced_span, build_panel
from upgrade_repro.errors import (
    ConfigError,
    DuplicateCellError,
    UnbalancedPanelError,
    UnknownRegionError,
    UnknownUnitError,
    VintageConflictError,
)
from upgrade_repro.regions import load_regions, name_lookup

REGIONS = load_regions(ROOT / "data/reference/provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data/reference/aggregates.csv", dtype=str)
IND = {
    "gdp": "地区生产总值（亿元）",
    "primary": "第一产业增加值（亿元）",
    "secondary": "第二产业增加值（亿元）",
    "tertiary": "第三产业增加值（亿元）",
}


def long_table(cells, source="x.csv"):
    """cells: (region, year, indicator, value[, unit])."""
    rows = []
    for i, c in enumerate(cells):
        region, year, ind, value, *unit = c
        rows.append(
            {
                "source": source,
                "line": i + 2,
                "indicator_raw": IND[ind],
                "indicator": ind,
                "unit": unit[0] if unit else "亿元",
                "region": region,
                "year": year,
                "value": value,
            }
        )
    return pd.DataFrame(rows)


LEVELS = {"gdp": 10.0, "primary": 1.0, "secondary": 4.0, "tertiary": 5.0}  # sectors sum to GDP


def full_cells(names_by_code, years, value=lambda code, year, ind: LEVELS[ind]):
    return [(name, y, ind, value(code, y, ind)) for code, name in names_by_code.items() for y in years for ind in IND]


def sample_names(spelling="name_short"):
    """Every in-sample province (mainland without Tibet), by one kind of spelling."""
    t = REGIONS[REGIONS["mainland"] & (REGIONS["code"] != "540000")]
    return dict(zip(t["code"], t[spelling]))


def test_region_table_is_complete_and_unambiguous():
    assert len(REGIONS) == 34 and REGIONS["mainland"].sum() == 31
    lookup = name_lookup(REGIONS)  # raises on a name that maps to two codes
    assert lookup["shaanxi"] == "610000" and lookup["shanxi"] == "140000"
    assert lookup["内蒙古自治区"] == lookup["innermongolia"] == lookup["内蒙古"] == "150000"
    assert lookup["xizang"] == lookup["tibet"] == "540000"


def test_builds_balanced_panel_from_any_spelling(caplog):
    names = sample_names("name_full")
    names["110000"] = "Beijing"
    cells = full_cells(
        names, [2020, 2021], lambda c, y, i: {"gdp": 10.0, "primary": 1.0, "secondary": 4.0, "tertiary": 5.0}[i]
    )
    cells += [("全国", 2020, "gdp", 310.0), ("西藏", 2020, "gdp", 3.0), ("香港", 2020, "gdp", 2.0)]
    with caplog.at_level(logging.INFO):
        panel = build_panel(long_table(cells), REGIONS, AGGREGATES, ["西藏"], {"start": 2020, "end": 2021})
    assert len(panel) == 60 and panel["code"].nunique() == 30
    assert list(panel.columns) == ["code", "province", "year", "gdp", "primary", "secondary", "tertiary"]
    beijing = panel[panel["code"] == "110000"].iloc[0]
    assert (beijing["province"], beijing["gdp"], beijing["tertiary"]) == ("北京", 10.0, 5.0)
    # every dropped row is logged, with why
    assert "aggregate '全国'" in caplog.text
    assert "西藏 (excluded by config exclude_regions)" in caplog.text
    assert "香港 (outside the mainland sample)" in caplog.text


def test_converts_units_to_yi_yuan():
    cells = full_cells(sample_names(), [2020])
    cells = [(r, y, i, 100012.0, "万元") if (r, i) == ("北京", "gdp") else (r, y, i, v) for r, y, i, v in cells]
    panel = build_panel(long_table(cells), REGIONS, AGGREGATES, ["西藏"], {"start": 2020, "end": 2020})
    assert panel.loc[panel["code"] == "110000", "gdp"].item() == pytest.approx(10.0012)


def test_unknown_unit_fails():
    cells = [(r, y, i, v, "美元") for r, y, i, v in full_cells(sample_names(), [2020])]
    with pytest.raises(UnknownUnitError, match="'美元'"):
        build_panel(long_table(cells), REGIONS, AGGREGATES, [], {"start": 2020, "end": 2020})


def test_unknown_regions_are_all_listed_with_file_and_line():
    cells = full_cells(sample_names(), [2020]) + [("北平", 2020, "gdp", 1.0), ("Atlantis", 2020, "gdp", 1.0)]
    with pytest.raises(UnknownRegionError, match=r"2 region name\(s\).*'北平' \(x\.csv line 122\).*'Atlantis'"):
        build_panel(long_table(cells), REGIONS, AGGREGATES, ["西藏"], {"start": 2020, "end": 2020})


def test_unknown_excluded_region_is_a_config_error():
    with pytest.raises(ConfigError, match="exclude_regions"):
        build_panel(
            long_table(full_cells(sample_names(), [2020])),
            REGIONS,
            AGGREGATES,
            ["Narnia"],
            {"start": 2020, "end": 2020},
        )


def test_every_missing_cell_is_listed():
    cells = [
        c
        for c in full_cells(sample_names(), [2019, 2020, 2021])
        if not (c[0] == "河北" and c[2] == "secondary" and c[1] != 2020)
    ]
    cells = [(r, y, i, np.nan if (r, y, i) == ("山西", 2020, "gdp") else v) for r, y, i, v in cells]
    with pytest.raises(UnbalancedPanelError) as err:
        build_panel(long_table(cells), REGIONS, AGGREGATES, ["西藏"], {"start": 2019, "end": 2021})
    message = str(err.value)
    assert "3 missing cell(s)" in message
    assert "河北 (130000) secondary: 2019, 2021" in message
    assert "山西 (140000) gdp: 2020" in message


def test_a_whole_missing_province_is_named():
    cells = [c for c in full_cells(sample_names(), [2020]) if c[0] != "河南"]
    with pytest.raises(UnbalancedPanelError, match=r"河南 \(410000\) gdp: 2020"):
        build_panel(long_table(cells), REGIONS, AGGREGATES, ["西藏"], {"start": 2020, "end": 2020})


def test_duplicates_within_a_file_fail():
    cells = full_cells(sample_names(), [2020]) + [("北京", 2020, "gdp", 1.0)]
    with pytest.raises(DuplicateCellError, match="北京 2020 gdp"):
        build_panel(long_table(cells), REGIONS, AGGREGATES, ["西藏"], {"start": 2020, "end": 2020})


def test_same_cell_in_two_files_is_kept_once_or_conflicts():
    old = long_table(full_cells(sample_names(), [2020, 2021]), source="old.csv")
    new = long_table(full_cells(sample_names(), [2021, 2022]), source="new.csv")
    panel = build_panel(pd.concat([old, new]), REGIONS, AGGREGATES, ["西藏"], {"start": 2020, "end": 2022})
    assert len(panel) == 90
    new.loc[(new["region"] == "北京") & (new["year"] == 2021) & (new["indicator"] == "gdp"), "value"] = 2.0
    with pytest.raises(
        VintageConflictError, match=r"北京 \(110000\) 2021 gdp: 10 in old\.csv line \d+, 2 in new\.csv line \d+"
    ):
        build_panel(pd.concat([old, new]), REGIONS, AGGREGATES, ["西藏"], {"start": 2020, "end": 2022})


def test_years_auto_takes_longest_balanced_span(caplog):
    cells = full_cells(sample_names(), range(2005, 2013))
    # 2007 incomplete (a missing value); 2012 incomplete (no row): the longest run is 2008-2011
    cells = [
        (r, y, i, np.nan if (r, y, i) == ("天津", 2007, "primary") else v)
        for r, y, i, v in cells
        if not (r == "广东" and y == 2012)
    ]
    with caplog.at_level(logging.INFO):
        panel = build_panel(long_table(cells), REGIONS, AGGREGATES, ["西藏"], "auto")
    assert sorted(panel["year"].unique()) == [2008, 2009, 2010, 2011]
    assert "years: auto -> 2008-2011" in caplog.text


def test_balanced_span_prefers_the_longest_run():
    codes = ["110000"]
    years = [2001, 2002, 2004, 2005, 2006]
    long = pd.DataFrame(
        [{"code": "110000", "year": y, "indicator": i, "value": 1.0, "source": "s"} for y in years for i in IND]
    )
    assert balanced_span(long, codes) == (2004, 2006)
