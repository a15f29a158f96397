"""User mistakes that ended in a raw traceback, years beyond the data, and non-data raw files (issue 21,
items 4, 5 and 7): each now one short message naming the config key or path and what to do (the
same through Snakemake: tests/workflow/test_faults.py)."""

import logging
import os

import extract_writers as w
import pandas as pd
import pytest
from conftest import ROOT

import upgrade_repro.errors as E
from upgrade_repro.clean import clean_stage
from upgrade_repro.config_checks import ConfigKeyError, check_input_files, check_table_file
from upgrade_repro.files import output_path_problems, write_csv, write_text
from upgrade_repro.ingest.extracts import read_extract, read_extracts
from upgrade_repro.regions import load_regions

REGIONS = load_regions(ROOT / "data" / "reference" / "provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data" / "reference" / "aggregates.csv", dtype=str)
PASSWD = [
    "root:x:0:0:root:/root:/bin/bash",
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
    "alice:x:1000:1000:Alice Secret,,,:/home/alice:/bin/bash",
]
DEFAULTS = {
    "raw": ["data/raw/public/nbs_gdp_composition_2008_2022.csv"],
    "registry": {"path": "data/raw/versions.csv", "check": True},
    "code_table": None,
    "advancement_lp": {"reference": None},
    "verify": {"published": "data/published/table1.csv"},
}


# ---------------------------------------------------------------- item 7: never echo a non-data file
def test_a_passwd_like_raw_file_is_named_by_its_shape_not_its_content(tmp_path, caplog):
    path = tmp_path / "passwd"
    path.write_text("\n".join(PASSWD) + "\n", encoding="utf-8")
    with caplog.at_level(logging.DEBUG), pytest.raises(E.HeaderNotFoundError) as err:
        read_extracts([path])
    message = str(err.value)
    assert message.startswith(
        f"{path.as_posix()}: a text file of 3 line(s) (3 not empty), up to 4 fields per line; no known header"
    )
    shown = (message + caplog.text).replace(path.as_posix(), "")  # (the path holds "root" under pytest)
    # no line of the file, and no field of it longer than two characters ("x", "0" are everywhere)
    assert not [ln for ln in PASSWD if ln in shown]
    fields = {f for ln in PASSWD for part in ln.split(":") for f in part.split(",") if len(f) > 2}
    assert not [f for f in fields if f in shown]


def test_a_saved_page_is_named_by_its_tag_not_its_content(tmp_path):
    path = tmp_path / "page.csv"
    path.write_text('<script>location.href="/login?token=s3cr3t-abc"</script>\n', encoding="utf-8")
    with pytest.raises(E.SavedWebPageError) as err:
        read_extract(path)
    assert "markup at the top: '<script>'" in str(err.value) and "s3cr3t" not in str(err.value)


def test_a_spreadsheet_of_another_kind_is_described_by_its_shape(tmp_path):
    path = w.write_xlsx(tmp_path / "notes.xlsx", [["password", "hunter2"], ["user", "alice"]])
    with pytest.raises(E.HeaderNotFoundError, match=r"a spreadsheet of 2 row\(s\) x 2 column\(s\)") as err:
        read_extract(path)
    assert "hunter2" not in str(err.value)


# ---------------------------------------------------------------- item 5: years beyond the data
def test_years_beyond_the_data_stop_with_one_line(tmp_path):
    path = w.eps_long_csv(tmp_path / "e.csv", w.make_numbers())  # 2018-2020
    for years, expected in [
        (
            {"start": 2018, "end": 2030},
            "config key years.end: 2030, but the data cover 2018-2020; set years.end to at most 2020 or use years: auto",
        ),
        (
            {"start": 2000, "end": 2020},
            "config key years.start: 2000, but the data cover 2018-2020; set years.start to at least 2018 or use "
            "years: auto",
        ),
    ]:
        with pytest.raises(E.ConfigError) as err:
            clean_stage(read_extracts([path]), REGIONS, AGGREGATES, ["西藏"], years)
        assert str(err.value) == f"{path.as_posix()}: {expected}"
        assert "\n" not in str(err.value) and len(str(err.value)) < 200 + len(path.as_posix())


# ---------------------------------------------------------------- item 4: files named by config keys
@pytest.mark.parametrize("key", ["registry.path", "code_table", "advancement_lp.reference", "verify.published"])
def test_a_config_key_naming_a_non_csv_file_is_one_line(tmp_path, key):
    yaml_file = tmp_path / "c.yaml"
    yaml_file.write_bytes((ROOT / "config.yaml").read_bytes())  # a comma on line 25: "Error tokenizing data"
    short_yaml = tmp_path / "s.yaml"
    short_yaml.write_text("a: 1\nb: 2\n", encoding="utf-8")
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    section, _, leaf = key.rpartition(".")
    for path, says in [
        (yaml_file, "is not a CSV table (or empty)"),  # pandas: "Error tokenizing data"
        (binary, "is binary"),
        (short_yaml, "is not such a table: no column(s)"),  # parses as one column
        (tmp_path, "is a folder, not a file"),
        (tmp_path / "none.csv", "not found"),
    ]:
        config = {**DEFAULTS, **({section: {leaf: str(path)}} if section else {key: str(path)})}
        with pytest.raises(ConfigKeyError) as err:
            check_input_files(config)
        message = str(err.value)
        assert message.startswith(f"config key {key}: {str(path)!r}") and says in message, message
        assert "\n" not in message and "Error tokenizing" not in message and "choice of the analysis" not in message


def test_the_shipped_files_pass_and_an_unreadable_one_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    check_input_files(DEFAULTS)
    check_table_file("code_table", "data/reference/provinces.csv")
    # as root no chmod makes a file unreadable: the check asks os.access, so ask it to say no
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.R_OK else real(p, mode))
    with pytest.raises(ConfigKeyError) as err:
        check_input_files(DEFAULTS)
    assert str(err.value) == (
        f"config key raw[0]: raw extract {DEFAULTS['raw'][0]!r} cannot be read (permission denied): make it "
        "readable (chmod a+r) or point the key elsewhere"
    )


def test_a_raw_file_raising_permission_error_is_one_input_error(tmp_path, monkeypatch):
    path = w.eps_long_csv(tmp_path / "e.csv", w.make_numbers())

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("upgrade_repro.ingest.sheets.open", denied, raising=False)
    with pytest.raises(E.UnreadableFileError, match=r"e\.csv: cannot be read \(permission denied\)"):
        read_extract(path)


def test_output_paths_occupied_by_a_folder_or_read_only_are_named(tmp_path, monkeypatch):
    folder = tmp_path / "results" / "table1.csv"
    (folder / "x").parent.mkdir(parents=True)
    (folder / "x").write_text("x", encoding="utf-8")
    locked = tmp_path / "results" / "panel.csv"
    locked.write_text("a\n", encoding="utf-8")
    under_file = locked / "inside.csv"
    fine = tmp_path / "results" / "new.csv"
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if mode == os.W_OK and str(p) == str(locked) else real(p, mode)
    )
    assert output_path_problems([folder, locked, under_file, fine]) == [
        f"output {folder.as_posix()} is a folder: move or delete it (the workflow writes a file there)",
        f"output {locked.as_posix()} is read-only: make it writable (chmod u+w) or delete it",
        f"output {under_file.as_posix()}: {locked.as_posix()} is a file, not a folder: move or delete it",
    ]
    # the atomic writer: one OutputPathError (was IsADirectoryError from os.replace), nothing left behind
    with pytest.raises(E.OutputPathError, match="is a folder: move or delete it"):
        write_csv(pd.DataFrame({"a": [1]}), folder)
    with pytest.raises(E.OutputPathError, match="is a file, not a folder"):
        write_text("x", under_file)
    assert sorted(p.name for p in folder.parent.iterdir()) == ["panel.csv", "table1.csv"]
