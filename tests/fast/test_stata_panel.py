"""Rule stata_panel: indicators.dta opened with pandas' Stata reader, its values, labels and value
labels against the indicators, and a selected indicator beyond the paper's three in Stata and Excel."""

import numpy as np
import pandas as pd
import pytest
from conftest import CATALOGUE, REGIONS, ROOT, SAMPLE

import upgrade_repro.manuscript_tables as manuscript
import upgrade_repro.stata_panel as stata_panel
from upgrade_repro.catalogue import load_catalogue
from upgrade_repro.indicators import VARIABLES


# ------------------------------------------------------------------------------------------ Stata
def test_dta_values_labels_and_xtset(run_dir, tmp_path):
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    frame, names = stata_panel.stata_frame(indicators)
    path = tmp_path / "indicators.dta"
    stata_panel.write_stata(frame, names, stata_panel.variable_labels("gdp", CATALOGUE), "面板", path)
    with pd.io.stata.StataReader(path) as reader:
        data = reader.read(convert_categoricals=False)
        variable_labels, value_labels = reader.variable_labels(), reader.value_labels()
        assert reader.data_label == "面板"
    assert list(data.columns) == ["code", "province", "year", *VARIABLES]
    assert all(variable_labels[c] for c in data.columns)
    assert variable_labels["service"] == "服务业水平：Y_3 / Y（Y = GDP）"
    # xtset code year: numeric panel id, integer time, unique pairs
    assert pd.api.types.is_integer_dtype(data["code"]) and pd.api.types.is_integer_dtype(data["year"])
    assert not data.duplicated(["code", "year"]).any()
    expected = indicators.assign(code=indicators["code"].astype(int)).sort_values(["code", "year"])
    assert data["code"].tolist() == expected["code"].tolist()
    assert data["province"].tolist() == expected["province"].tolist()  # Chinese survives
    for var in VARIABLES:
        assert data[var].tolist() == expected[var].tolist()
    labels = value_labels[next(iter(value_labels))]
    assert {int(k): v for k, v in labels.items()} == {
        110000: "北京",
        **{int(c): n for c, n in zip(REGIONS["code"], REGIONS["name_short"]) if c in SAMPLE},
    }
    with pd.io.stata.StataReader(path) as reader:
        assert reader.read()["code"].iloc[0] == "北京"  # the value labels apply to code


def test_selected_indicators_beyond_the_papers_three_reach_stata_and_excel(run_dir, tmp_path):
    """A run that selects theil (issue 16) puts it in the dta and the Excel panel, labelled with its
    catalogue name and unit; nothing the run computed is left out of the files for Stata and Excel."""
    catalogue = load_catalogue(ROOT / "data/reference/indicators.yaml")
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    indicators["theil"] = np.linspace(0.01, 0.5, len(indicators))  # any numbers: only their path matters
    labels = stata_panel.variable_labels("gdp", catalogue, "en")
    frame, names = stata_panel.stata_frame(indicators)
    path = tmp_path / "theil.dta"
    stata_panel.write_stata(frame, names, labels, "panel", path)
    with pd.io.stata.StataReader(path) as reader:
        data = reader.read(convert_categoricals=False)
        # name and formula, or the name alone where the two pass Stata's 80 characters
        label = catalogue["theil"]["name"]["en"] + ": " + catalogue["theil"]["formula"]
        got = reader.variable_labels()["theil"]
        assert got == catalogue["theil"]["name"]["en"] or (got.startswith(label) and len(got) <= 80)
    assert list(data.columns) == ["code", "province", "year", *VARIABLES, "theil"]
    assert (
        data["theil"].tolist()
        == indicators.assign(code=indicators["code"].astype(int)).sort_values(["code", "year"])["theil"].tolist()
    )
    units = stata_panel.panel_units(catalogue, "en")
    panel = manuscript.panel_sheet_frame(indicators, labels, units)
    assert panel.columns[-1] == manuscript.head_with_unit("theil", labels, units)
    assert catalogue["theil"]["unit"]["en"] in panel.columns[-1]


def test_dta_stops_on_a_duplicated_pair(run_dir):
    indicators = pd.read_csv(run_dir / "indicators.csv", dtype={"code": str})
    with pytest.raises(ValueError, match=r"\(110000, 2010\)"):
        stata_panel.stata_frame(pd.concat([indicators, indicators.head(1)]))
