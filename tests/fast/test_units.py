"""Unit of observation (config unit, code_table): a user's code table read, its errors naming the file."""

import pytest

from upgrade_repro.errors import ConfigError
from upgrade_repro.regions import load_regions, name_lookup


def test_minimal_code_table_fills_optional_columns(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("code,name_short\n130100,石家庄\n130200,唐山\n", encoding="utf-8")
    regions = load_regions(path)
    assert regions["mainland"].tolist() == [True, True]
    assert name_lookup(regions) == {"石家庄": "130100", "130100": "130100", "唐山": "130200", "130200": "130200"}


def test_code_table_without_names_names_the_file(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("code,name\n130100,石家庄\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"codes\.csv: header: missing column\(s\) \['name_short'\]"):
        load_regions(path)


def test_a_name_shared_by_two_units_is_an_error_naming_the_table(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("code,name_short\n320106,鼓楼区\n350102,鼓楼区\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"codes\.csv: name '鼓楼区' maps to both 320106 and 350102"):
        name_lookup(load_regions(path))
