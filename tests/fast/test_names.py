"""Names in the output language: provinces from the code table, region labels from region_labels.csv."""

import pandas as pd
import pytest

from upgrade_repro.catalogue import region_label, region_label_names
from upgrade_repro.errors import ConfigError
from upgrade_repro.regions import display_names


def test_display_names_fall_back_from_english_to_pinyin_to_the_short_name():
    regions = pd.DataFrame(
        {
            "code": ["110000", "500000", "999001"],
            "name_short": ["北京", "重庆", "某县"],
            "name_en": ["Beijing", "", ""],
            "name_pinyin": ["Beijing", "Chongqing", ""],
        }
    )
    assert display_names(regions, "zh") == {"110000": "北京", "500000": "重庆", "999001": "某县"}
    assert display_names(regions, "en") == {"110000": "Beijing", "500000": "Chongqing", "999001": "某县"}


def test_region_labels_in_english_and_an_untranslated_label_is_an_error(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("label,name_en\n东部,East\n东北,Northeast\n", encoding="utf-8")
    en, zh = region_label_names(path, "en"), region_label_names(path, "zh")
    assert region_label(en, "东北", path) == "Northeast" and region_label(zh, "东北", path) == "东北"
    with pytest.raises(ConfigError, match="西部"):
        region_label(en, "西部", path)


def test_every_shipped_scheme_label_has_an_english_name():
    schemes = pd.read_csv("data/reference/region_schemes.csv", dtype=str)
    labels = set(schemes.drop(columns=["code", "province"]).stack())
    assert labels <= set(region_label_names("data/reference/region_labels.csv", "en"))
