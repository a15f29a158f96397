"""The configuration's one check at start-up (config_checks.validate_config, called once by
workflow/rules/common.smk), called directly: the schema with its defaults, then each check the
schema cannot express, every failure one line naming the key; warnings go to the caller."""

import copy

import pytest
import yaml
from conftest import ROOT

from upgrade_repro.config_checks import SCHEMA, region_table, validate_config
from upgrade_repro.errors import ConfigError, RegistryMismatchError

CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def at_the_root(monkeypatch):
    """Config paths are relative to the project, as Snakemake runs the checks."""
    monkeypatch.chdir(ROOT)


def validated(config, configfiles=()):
    warnings = []
    yte = validate_config(config, configfiles, ROOT / SCHEMA, warnings.append)
    return yte, warnings


def test_the_shipped_config_passes_and_gets_the_schemas_defaults():
    config = copy.deepcopy(CONFIG)
    del config["exclude_regions"], config["checks"]["magnitude"]
    assert validated(config) == ([], [])
    schema = yaml.safe_load((ROOT / SCHEMA).read_text(encoding="utf-8"))["properties"]
    assert config["exclude_regions"] == schema["exclude_regions"]["default"] == ["西藏"]
    assert config["checks"]["magnitude"]["gdp"] == {"min": 10, "max": 400000}
    assert region_table(config) == "data/reference/provinces.csv"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"decimals": "3"}, "config key decimals: '3' is not integer"),
        ({"years": {"start": 2010, "end": 2008}}, "config key years: start 2010 is after end 2008"),
        ({"raw": ["data/raw/nowhere.csv"]}, "config key raw[0]: raw extract 'data/raw/nowhere.csv' not found"),
        (
            {"vintage_winner": "data/raw/other.csv"},
            "config key vintage_winner: 'data/raw/other.csv' is not one of the raw",
        ),
        (
            {"vintage": {"winner": "data/raw/other.csv"}},
            "config key vintage.winner: 'data/raw/other.csv' is not one of the raw",
        ),
        (
            {"vintage_winner": "data/raw/public/nbs_gdp_composition_2008_2022.csv", "vintage": {"winner": "x.csv"}},
            "config key vintage_winner: set together with vintage.winner, its new name: keep vintage.winner only",
        ),
        ({"vintage": {"policy": "merge"}}, "config key vintage.policy: 'merge' is not allowed"),
        (
            {"vintage": {"link_year": 2020}},
            "config key vintage.link_year: 2020 is set, but vintage.policy is stop: the link year is used by policy link",
        ),
        (
            {"vintage": {"policy": "link", "link_year": 2022}},
            "config key vintage.link_year: 2022 is outside the sample years 2008-2021",
        ),
        ({"unit": "city"}, "config key code_table: unit 'city' needs a code table of the units"),
        ({"code_table": "data/nowhere.csv"}, "config key code_table: 'data/nowhere.csv' not found"),
        ({"indicators": ["upgrade", "cyig"]}, "config key indicators: ['service'] missing"),
        ({"exclude_regions": ["亚特兰蒂斯"]}, "config key exclude_regions: "),
    ],
)
def test_each_bad_value_is_one_line_naming_its_key(change, message):
    config = {**copy.deepcopy(CONFIG), **change}
    with pytest.raises(ConfigError) as error:
        validated(config)
    assert str(error.value).startswith(message) and "\n" not in str(error.value), str(error.value)


def test_the_former_vintage_winner_is_read_as_vintage_winner():
    """vintage_winner (the key before the vintage block) is vintage.winner; the config then holds
    only the new key, so every rule reads one place."""
    shipped = "data/raw/public/nbs_gdp_composition_2008_2022.csv"
    config = {**copy.deepcopy(CONFIG), "vintage_winner": shipped}
    del config["vintage"]
    assert validated(config) == ([], [])
    assert config["vintage"] == {"policy": "stop", "link_year": None, "winner": shipped}
    assert "vintage_winner" not in config
    config = {**copy.deepcopy(CONFIG), "vintage": {"policy": "link", "link_year": 2020}}
    assert validated(config) == ([], []) and config["vintage"]["winner"] is None


def test_the_registry_warns_of_an_unregistered_file_and_stops_on_a_changed_one(tmp_path):
    raw = tmp_path / "extract.csv"
    raw.write_text("指标,地区,时间,数值\n", encoding="utf-8")
    registry = tmp_path / "versions.csv"
    registry.write_text("file,source,vintage,export_date,sha256\n", encoding="utf-8")
    config = {**copy.deepcopy(CONFIG), "raw": [str(raw)], "registry": {"path": str(registry), "check": True}}
    _, warnings = validated(config)
    assert len(warnings) == 1 and warnings[0].startswith(f"Warning: raw file {raw} is not in {registry}")
    registry.write_text(f"file,source,vintage,export_date,sha256\n{raw},s,v,,{'0' * 64}\n", encoding="utf-8")
    with pytest.raises(RegistryMismatchError, match="changed since they were registered"):
        validated(config)
    config["registry"]["check"] = False
    assert validated(config) == ([], [])


def test_a_yte_config_file_is_returned_and_warned_of(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text("__use_yte__: true\ndecimals: 3\n", encoding="utf-8")
    yte, warnings = validated(copy.deepcopy(CONFIG), [template])
    assert len(yte) == 1 and yte[0].endswith("template.yaml")
    assert warnings == [
        f"Warning: config file {yte[0]} is a YTE template (__use_yte__: true): Snakemake ran the Python "
        "expressions in it while loading it. Use only config files you trust, as you would a Snakefile."
    ]
