"""Rule registry (upgrade_repro/registry.py; item 7 of issue 15): each raw file's status against
data/raw/versions.csv, the shipped rows match their files, and every program a row names exists."""

import hashlib
import re

import pandas as pd
from conftest import ROOT

from upgrade_repro.registry import (
    REGISTRY_COLUMNS,
    check_raw_files,
    load_registry,
    raw_vintages,
    registry_status,
    sha256,
)
from upgrade_repro.report import registry_problems


def test_registry_status_of_registered_changed_and_unregistered_files(tmp_path):
    (tmp_path / "data").mkdir()
    for name, content in (("same.csv", b"a\n"), ("edited.csv", b"b, edited\n"), ("new.csv", b"c\n")):
        (tmp_path / "data" / name).write_bytes(content)
    registry = pd.DataFrame(
        [
            ["data/same.csv", "S1", "v1", "2024-01-01", hashlib.sha256(b"a\n").hexdigest()],
            ["data/edited.csv", "S2", "v2", "", hashlib.sha256(b"b\n").hexdigest()],
        ],
        columns=REGISTRY_COLUMNS,
    )
    raw = [str(tmp_path / "data" / n) for n in ("same.csv", "edited.csv", "new.csv")]  # absolute, as a config may hold
    status = registry_status(raw, registry, tmp_path).set_index("file")
    assert list(status.index) == ["data/same.csv", "data/edited.csv", "data/new.csv"]
    assert status["status"].tolist() == ["registered", "changed", "unregistered"]
    assert status.loc["data/edited.csv", "sha256"] == hashlib.sha256(b"b, edited\n").hexdigest()
    assert status.loc["data/edited.csv", "registered_sha256"] == hashlib.sha256(b"b\n").hexdigest()
    assert status.loc["data/same.csv", ["source", "vintage"]].tolist() == ["S1", "v1"]
    problems = registry_problems(status.reset_index())
    assert [p["file"] for p in problems] == ["data/edited.csv", "data/new.csv"]


def test_registry_rows_match_files_and_unregistered_files_warn(tmp_path):
    registry = load_registry(ROOT / "data/raw/versions.csv")
    demo = registry[registry["file"] == "data/raw/demo/eps_demo.csv"]
    assert demo["sha256"].item() == sha256(ROOT / "data/raw/demo/eps_demo.csv")
    other = tmp_path / "mine.csv"
    other.write_text("x", encoding="utf-8")
    warnings = check_raw_files([str(other)], registry, ROOT)
    assert len(warnings) == 1 and sha256(other) in warnings[0]


def test_every_program_the_registry_names_exists():
    """A source in versions.csv that names a program (tools/x.py, scripts/x.py) names a file that exists."""
    registry = load_registry(ROOT / "data/raw/versions.csv")
    programs = {p for source in registry["source"] for p in re.findall(r"[\w./-]+\.py\b", source)}
    assert "tools/make_public_data.py" in programs
    assert [p for p in sorted(programs) if not (ROOT / p).is_file()] == []


def test_raw_vintages_come_from_the_registry_only_for_unchanged_files(tmp_path):
    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("y\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("z\n", encoding="utf-8")
    registry = pd.DataFrame(
        [
            {
                "file": "a.csv",
                "source": "",
                "vintage": "v1",
                "export_date": "",
                "sha256": sha256(tmp_path / "a.csv"),
            },
            {"file": "b.csv", "source": "", "vintage": "v1", "export_date": "", "sha256": "0" * 64},
        ]
    )
    got = raw_vintages(["a.csv", "b.csv", "c.csv"], registry, tmp_path)
    assert [g["vintage"] for g in got] == ["v1", None, None]
    # a.csv's content under another path: the same data, the same vintage.
    (tmp_path / "copy.csv").write_text("x\n", encoding="utf-8")
    assert raw_vintages(["copy.csv"], registry, tmp_path)[0]["vintage"] == "v1"


def test_registry_csv_shows_each_file_s_vintage_from_the_clean_stage(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"a\n")
    (tmp_path / "b.csv").write_bytes(b"b\n")
    registry = pd.DataFrame(columns=REGISTRY_COLUMNS)
    vintages = pd.DataFrame(
        {
            "file": ["a.csv", "b.csv"],
            "vintage": ["first published", "unknown"],
            "basis": ["note", "none"],
            "evidence": [
                "note, line 3: 初次公布",
                "no registry row, no revision note, no common cells with another file",
            ],
        }
    )
    status = registry_status(["a.csv", "b.csv"], registry, tmp_path, vintages=vintages)
    assert status[["vintage_label", "vintage_basis"]].values.tolist() == [
        ["first published", "note"],
        ["unknown", "none"],
    ]
    assert status["vintage_evidence"].tolist() == vintages["evidence"].tolist()
    assert (
        list(registry_status(["a.csv"], registry, tmp_path).columns)[-1] == "export_date"
    )  # without the clean stage's
