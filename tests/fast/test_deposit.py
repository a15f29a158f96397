"""The replication deposit (upgrade_repro/deposit/build.py): file selection and roles, licensed raw
files left out, the manifest, metadata from CITATION.cff, the byte-identical zip, unpacking and the
manifest check on small hand-made projects, the rerun's linked copy, the outputs read from the rules.
Fast tests only: the deposit of the default run and its verification are in tests/workflow/test_deposit.py."""

import csv
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from upgrade_repro.deposit import build as d
from upgrade_repro.deposit.manifest import check_manifest, read_manifest
from upgrade_repro.deposit.metadata import deposit_metadata
from upgrade_repro.deposit.parse import default_target_outputs, figure_sources
from upgrade_repro.deposit.unpack import link_tree, unpack
from upgrade_repro.deposit.verify import main as verify_main
from upgrade_repro.errors import DepositError

REGISTRY_HEAD = "file,source,vintage,export_date,sha256,licence,redistributable\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def small_project(root: Path, raw_rows=()) -> Path:
    """A project with the required files, one script, one shipped raw file, an output, caches and
    run history; `raw_rows` are extra registry lines."""
    files = {
        "Snakefile": "rule all:\n",
        "config.yaml": "raw: [data/raw/public/a.csv]\n",
        "README.md": "# readme\n",
        "LICENSE": "MIT\n",
        "CITATION.cff": "cff-version: 1.2.0\ntitle: T\nversion: 1.2.3\nauthors:\n  - name: Team\nlicense: MIT\n",
        "requirements.lock": "pandas==3.1.1\n",
        "pyproject.toml": '[project]\nname = "proj"\nversion = "0.0.9"\n',
        "scripts/run.py": "print(1)\n",
        "scripts/__pycache__/run.cpython-311.pyc": "x",
        ".ci/run": "#!/bin/sh\n",
        ".hidden/secret.txt": "s\n",
        "data/raw/public/a.csv": "x,y\n1,2\n",
        "data/raw/public/README.md": "# a\n",
        "results/README.md": "outputs\n",
        "results/tables/t.csv": "a\n1\n",
        "results/logs/run.log": "log\n",
        "results/checks/changes.csv": "c\n",
        "bench/out/big.csv": "b\n",
    }
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    os.chmod(root / ".ci/run", 0o755)
    registry = (
        REGISTRY_HEAD + f"data/raw/public/a.csv,s,v,,{sha(b'x,y' + bytes([10]) + b'1,2' + bytes([10]))},public,yes\n"
    )
    (root / "data/raw/versions.csv").write_text(registry + "".join(raw_rows), encoding="utf-8")
    return root


def test_files_roles_and_what_is_left_out(tmp_path):
    root = small_project(tmp_path)
    files = d.project_files(root)
    assert files == [
        ".ci/run",
        "CITATION.cff",
        "LICENSE",
        "README.md",
        "Snakefile",
        "config.yaml",
        "data/raw/public/README.md",
        "data/raw/public/a.csv",
        "data/raw/versions.csv",
        "pyproject.toml",
        "requirements.lock",
        "results/README.md",
        "scripts/run.py",
    ]
    roles = {f: d.role_of(f) for f in files + ["results/tables/t.csv", "tests/data/schema.json"]}
    assert roles["scripts/run.py"] == roles["config.yaml"] == roles[".ci/run"] == "code"
    assert roles["data/raw/public/a.csv"] == roles["tests/data/schema.json"] == "data"
    assert roles["README.md"] == roles["data/raw/public/README.md"] == roles["results/README.md"] == "documentation"
    assert roles["results/tables/t.csv"] == "output"
    members = d.select_members(
        root, ["results/tables/t.csv", "results/logs/run.log", "results/checks/changes.csv"], ["data/raw/public/a.csv"]
    )
    paths = [m["path"] for m in members]
    assert "results/tables/t.csv" in paths and "results/logs/run.log" not in paths
    assert "results/checks/changes.csv" not in paths
    for m in members:
        data = (root / m["path"]).read_bytes()
        assert (m["bytes"], m["sha256"], m["status"]) == (len(data), sha(data), "included")
    (tmp_path / "README.md").unlink()
    with pytest.raises(DepositError, match="README.md"):
        d.project_files(root)


def test_licensed_raw_file_is_listed_not_shipped(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    eps = b"\xd6\xb8\xb1\xea,x\n"  # an EPS export (GB18030 bytes)
    (tmp_path / "eps.csv").write_bytes(eps)
    small_project(root, [f"../eps.csv,EPS,v,,{sha(eps)},EPS data platform licence,no\n"])
    (root / "data/raw/eps").mkdir()
    (root / "data/raw/eps/inside.csv").write_bytes(eps)
    with pytest.raises(DepositError, match="data/raw/eps/inside.csv"):  # unregistered: no guessing
        d.select_members(root, [], ["data/raw/public/a.csv", "../eps.csv"])
    with open(root / "data/raw/versions.csv", "a", encoding="utf-8") as fh:
        fh.write(f"data/raw/eps/inside.csv,EPS,v,,{sha(eps)},EPS data platform licence,no\n")
    parts = d.build_deposit(root, outputs=[], raw=["data/raw/public/a.csv", "../eps.csv"], name="p", version="1")
    rows = {r["path"]: r for r in csv.DictReader(io.StringIO(parts["manifest"]))}
    for path in ("../eps.csv", "data/raw/eps/inside.csv"):
        assert rows[path] == {
            "path": path,
            "bytes": str(len(eps)),
            "sha256": sha(eps),
            "role": "data",
            "status": "licensed, not redistributable",
        }
    assert rows["data/raw/public/a.csv"]["status"] == "included"
    assert list(rows) == sorted(rows)
    meta = json.loads(parts["metadata"])
    assert {m["path"] for m in meta["not_included"]} == {"../eps.csv", "data/raw/eps/inside.csv"}
    zip_path = tmp_path / "p.zip"
    d.write_deposit(zip_path, root, parts["manifest"], parts["metadata"], parts["config"], "p-1")
    names = zipfile.ZipFile(zip_path).namelist()
    assert "p-1/data/raw/public/a.csv" in names and not any("eps" in n for n in names)
    # a redistributable extract outside the project must be copied in first
    (tmp_path / "pub.csv").write_bytes(b"1\n")
    with open(root / "data/raw/versions.csv", "a", encoding="utf-8") as fh:
        fh.write(f"../pub.csv,NBS,v,,{sha(b'1' + bytes([10]))},public,yes\n")
    with pytest.raises(DepositError, match=r"outside the project: \.\./pub\.csv"):
        d.select_members(root, [], ["../pub.csv"])


def test_zip_is_byte_identical_whatever_the_files_times(tmp_path):
    root = small_project(tmp_path / "proj")
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    parts = d.build_deposit(
        root, outputs=["results/tables/t.csv"], raw=["data/raw/public/a.csv"], name="p", version="1"
    )
    d.write_deposit(first, root, parts["manifest"], parts["metadata"], parts["config"], "p-1")
    for p in root.rglob("*"):
        os.utime(p, (1_700_000_000, 1_700_000_000))
    parts = d.build_deposit(
        root, outputs=["results/tables/t.csv"], raw=["data/raw/public/a.csv"], name="p", version="1"
    )
    d.write_deposit(second, root, parts["manifest"], parts["metadata"], parts["config"], "p-1")
    assert first.read_bytes() == second.read_bytes()
    infos = zipfile.ZipFile(first).infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in infos}
    assert modes["p-1/.ci/run"] == 0o755 and modes["p-1/README.md"] == 0o644
    # the manifest in the zip lists every other member with its hash (and not itself)
    zf = zipfile.ZipFile(first)
    manifest = {r["path"]: r for r in csv.DictReader(io.StringIO(zf.read("p-1/MANIFEST.csv").decode()))}
    members = {n.removeprefix("p-1/") for n in zf.namelist()} - {"MANIFEST.csv"}
    assert set(manifest) == members
    assert all(sha(zf.read(f"p-1/{p}")) == row["sha256"] for p, row in manifest.items())
    # a changed file changes the zip
    (root / "scripts/run.py").write_text("print(2)\n", encoding="utf-8")
    parts = d.build_deposit(
        root, outputs=["results/tables/t.csv"], raw=["data/raw/public/a.csv"], name="p", version="1"
    )
    d.write_deposit(second, root, parts["manifest"], parts["metadata"], parts["config"], "p-1")
    assert first.read_bytes() != second.read_bytes()


def test_a_file_changed_after_the_manifest_stops_the_zip(tmp_path):
    root = small_project(tmp_path / "proj")
    parts = d.build_deposit(root, outputs=[], raw=["data/raw/public/a.csv"], name="p", version="1")
    (root / "scripts/run.py").write_text("print(3)\n", encoding="utf-8")
    with pytest.raises(DepositError, match="scripts/run.py"):
        d.write_deposit(tmp_path / "p.zip", root, parts["manifest"], parts["metadata"], parts["config"], "p-1")
    assert not (tmp_path / "p.zip").exists()


def test_effective_config_replaces_config_yaml(tmp_path):
    root = small_project(tmp_path / "proj")
    effective = {"raw": ["data/raw/public/a.csv"], "years": {"start": 2010, "end": 2012}}
    parts = d.build_deposit(
        root, outputs=[], raw=["data/raw/public/a.csv"], name="p", version="1", effective_config=effective
    )
    assert yaml.safe_load(parts["config"]) == effective
    row = next(r for r in csv.DictReader(io.StringIO(parts["manifest"])) if r["path"] == "config.yaml")
    assert row["sha256"] == sha(parts["config"].encode())
    same = d.build_deposit(root, outputs=[], raw=["data/raw/public/a.csv"], name="p", version="1")
    assert same["config"] == (root / "config.yaml").read_text(encoding="utf-8")


def test_console_command_is_the_verification_entry_point(tmp_path, capsys):
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"upgrade-repro-verify-deposit": "upgrade_repro.deposit.verify:main"}
    assert verify_main([str(tmp_path / "missing.zip"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("refused: missing.zip: cannot read the file") and len(err) <= 2
    assert not (tmp_path / "out").exists()


def test_metadata_from_the_citation_file():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    meta = deposit_metadata(citation, "upgrade-repro", citation["version"], [])
    assert meta["title"] == citation["title"] and meta["version"] == "0.1.0"
    assert meta["license"] == {"id": "MIT"}
    assert meta["creators"] == [{"name": "The upgrade-repro contributors", "type": "Organizational"}]
    related = {(r["identifier"], r["relation"]) for r in meta["related_identifiers"]}
    assert ("https://github.com/cudavailable/Data_Visualization", "isDerivedFrom") in related
    assert ("https://snakemake.github.io", "requires") in related
    assert meta["references"][0].startswith("杨彩虹. 数字经济下产业结构升级的内涵、困境与路径")
    assert "publication_date" not in meta  # CITATION.cff gives no date-released: none is invented
    assert d.deposit_identity(ROOT) == ("upgrade-repro", "0.1.0")
    assert d.deposit_identity(ROOT, "x", "2") == ("x", "2")


def test_unpacked_members_are_hashed_from_their_bytes_and_checked_against_the_manifest(tmp_path):
    root = small_project(tmp_path / "proj")
    parts = d.build_deposit(
        root, outputs=["results/tables/t.csv"], raw=["data/raw/public/a.csv"], name="p", version="1"
    )
    zip_path = tmp_path / "p.zip"
    d.write_deposit(zip_path, root, parts["manifest"], parts["metadata"], parts["config"], "p-1")
    top, members = unpack(zip_path, tmp_path / "fresh", {})
    assert top == tmp_path / "fresh/p-1"
    for rel, got in members.items():  # each member's hash is that of the bytes in the zip
        data = zipfile.ZipFile(zip_path).read(f"p-1/{rel}")
        assert got == {"bytes": len(data), "sha256": sha(data)}
    rows = read_manifest((top / "MANIFEST.csv").read_text(encoding="utf-8"))
    members.pop("MANIFEST.csv")
    assert {r["status"] for r in check_manifest(rows, members, d.role_of)} == {"ok"}
    assert (top / ".ci/run").stat().st_mode & 0o111 and not (top / "README.md").stat().st_mode & 0o111
    # unpacking again starts from a fresh folder
    (top / "stray.txt").write_text("x", encoding="utf-8")
    top, _ = unpack(zip_path, tmp_path / "fresh", {})
    assert not (top / "stray.txt").exists()


def test_the_rerun_copy_links_without_copying_bytes(tmp_path):
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / "data/a.csv").write_text("1\n", encoding="utf-8")
    (src / "results").mkdir()
    (src / "results/t.csv").write_text("2\n", encoding="utf-8")
    made = link_tree(src, tmp_path / "dst", ["data/a.csv"])
    assert sum(made.values()) == 1 and not (tmp_path / "dst/results").exists()
    copied = tmp_path / "dst/data/a.csv"
    assert copied.read_text(encoding="utf-8") == "1\n"
    if "hard link" in made:  # the same file, not a second copy of its bytes
        assert copied.stat().st_ino == (src / "data/a.csv").stat().st_ino


def test_default_target_outputs_and_figure_sources_are_read_from_the_rules():
    class Rule:
        def __init__(self, name, inputs, outputs):
            self.name, self.input, self.output = name, inputs, outputs

        def is_producer(self, path):
            return path in self.output

    rules = [
        Rule("all", ["results/figures/f.png"], []),
        Rule(
            "figure", ["results/data/m.csv", "upgrade_repro/maps.py", "data/reference/p.csv"], ["results/figures/f.png"]
        ),
        Rule("means", [lambda wildcards: "data/raw/x.csv"], ["results/data/m.csv", "results/data/m.json"]),
        Rule("other", ["results/data/x.csv"], ["results/tables/t.csv"]),
    ]
    assert default_target_outputs(rules, "all") == [
        "results/data/m.csv",
        "results/data/m.json",
        "results/figures/f.png",
    ]
    assert figure_sources(rules) == {"results/figures/f.png": ["data/reference/p.csv", "results/data/m.csv"]}
