"""Checks that need no data run when the workflow starts (upgrade_repro/config_checks.py, called by
workflow/rules/common.smk): each bad value stops the run with one message naming the config key."""

import copy

import pytest
import yaml
from conftest import CONFIG, ROOT

from upgrade_repro.config_checks import (
    ConfigKeyError,
    check_code_table,
    check_config,
    check_exclude_regions,
    check_figure_tiers,
    check_region_scheme,
    yte_config_files,
)

PROVINCES = ROOT / "data/reference/provinces.csv"
SCHEMES = ROOT / "data/reference/region_schemes.csv"


def config_with(**changes) -> dict:
    config = copy.deepcopy(CONFIG)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = config
        for key in parents:
            node = node[key]
        node[last] = value
    return config


def test_the_shipped_config_passes():
    check_config(CONFIG, PROVINCES, SCHEMES)


@pytest.mark.parametrize(
    "tiers, problem",
    [
        ([], "no tiers given"),
        ([{"label": "a", "lower": 0, "upper": 1}, {"label": "a", "lower": 1, "upper": 2}], "unique"),
        ([{"label": "a", "lower": 1, "upper": 1}], "lower 1 is not below upper 1"),
        ([{"label": "a", "lower": 0, "upper": 1}, {"label": "b", "lower": 1.5, "upper": 2}], "without gaps"),
        ([{"label": "a", "lower": 0, "upper": 1, "color": "#12345"}], "'#12345' is not a colour"),
    ],
)
def test_bad_tiers_name_the_key(tiers, problem):
    with pytest.raises(ConfigKeyError) as error:
        check_figure_tiers(config_with(figure__tiers=tiers))
    assert error.value.key == "figure.tiers"
    assert str(error.value).startswith("config key figure.tiers: ") and problem in str(error.value)


def test_region_scheme_must_be_a_column_of_the_scheme_table(tmp_path):
    check_region_scheme(config_with(beyond__region_scheme="ecw3"), SCHEMES)
    # a scheme table without the configured column (the schema's enum cannot know the file)
    table = tmp_path / "schemes.csv"
    table.write_text("code,province,nbs4\n110000,北京,东部\n", encoding="utf-8")
    with pytest.raises(ConfigKeyError) as error:
        check_region_scheme(config_with(beyond__region_scheme="ecw3"), table)
    message = str(error.value)
    assert message.startswith("config key beyond.region_scheme: no region scheme 'ecw3'")
    assert "['nbs4']" in message and str(table) in message


def test_excluded_regions_must_be_in_the_code_table():
    regions = check_code_table(PROVINCES)
    check_exclude_regions(config_with(exclude_regions=["西藏", "Xizang"]), regions)  # any spelling
    with pytest.raises(ConfigKeyError) as error:
        check_exclude_regions(config_with(exclude_regions=["西藏", "南海"]), regions)
    assert str(error.value).startswith("config key exclude_regions: unknown region name(s) ['南海']")


def test_code_table_needs_its_columns_and_one_unit_per_spelling(tmp_path):
    no_names = tmp_path / "no_names.csv"
    no_names.write_text("code\n110100\n", encoding="utf-8")
    with pytest.raises(ConfigKeyError) as error:
        check_code_table(no_names)
    assert str(error.value).startswith("config key code_table: missing column(s) ['name_short']")
    assert str(no_names) in str(error.value)
    shared = tmp_path / "shared_name.csv"
    shared.write_text("code,name_short\n320106,鼓楼区\n350102,鼓楼区\n", encoding="utf-8")
    with pytest.raises(ConfigKeyError, match=r"^config key code_table: name '鼓楼区' maps to both"):
        check_code_table(shared)


SCHEMA = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"year": {"start": 2008, "end": 2022}},
            "config key year: unknown key (did you mean years?); allowed at the top level: raw, exclude_regions, years,",
        ),
        (
            {"report__langauge": "en"},
            "config key report.langauge: unknown key (did you mean language?); allowed under report: language, title",
        ),
        (
            {"share_denominator": "gpd"},
            "config key share_denominator: 'gpd' is not allowed (did you mean gdp?); allowed: gdp, sector_sum",
        ),
        ({"years": "aut"}, "config key years: 'aut' is not allowed (did you mean auto?); Sample years, inclusive"),
        ({"years": {"start": 2008, "end": "2021"}}, "config key years.end: '2021' is not integer; Last sample year."),
        ({"decimals": -1}, "config key decimals: -1 is below the minimum 0; Decimals shown in table1.md"),
        ({"raw": []}, "config key raw: [] needs at least 1 item(s); Raw extracts to read"),
        ({"years": {"start": 2008}}, "config key years.end: missing;"),
    ],
)
def test_a_schema_error_is_one_short_message_with_a_near_miss(change, message):
    from upgrade_repro.config_checks import schema_error_message

    text = schema_error_message(config_with(**change), SCHEMA)
    assert text.startswith(message) and "\n" not in text and len(text) < 400


def test_a_valid_config_has_no_schema_message():
    from upgrade_repro.config_checks import schema_error_message

    assert schema_error_message(CONFIG, SCHEMA) is None


# ------------------------------------------------------------------ config files that run code
def test_yte_templates_are_told_apart_from_plain_config_files(tmp_path):
    files = {
        "yte.yaml": "__use_yte__: true\ndecimals: ?1 + 2\n",
        "off.yaml": "__use_yte__: false\ndecimals: 3\n",
        "plain.yaml": "decimals: 3  # __use_yte__: true in a comment\n",
        "nested.yaml": "report:\n  __use_yte__: true\n",  # YTE reads the top level only
        "yte.json": '{"__use_yte__": true, "decimals": 3}',  # JSON: Snakemake never templates it
        "list.yaml": "- __use_yte__\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert yte_config_files([tmp_path / n for n in files]) == [str(tmp_path / "yte.yaml")]
