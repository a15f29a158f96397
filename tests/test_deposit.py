"""The replication deposit and its verification (upgrade_repro/deposit.py, workflow/rules/deposit.smk):
file selection and roles, licensed raw files left out, the manifest, metadata from CITATION.cff,
the byte-identical zip, unpacking and hash checks on small hand-made projects; then, through
Snakemake, the deposit of the default run, its rebuild, its verification in a fresh folder and a
tampered copy caught file by file."""

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SHARED_DATA, clone_run, require_workflow_marker, run_snakemake, shared_file

from upgrade_repro import deposit as d
from upgrade_repro.errors import DepositArchiveError, DepositError

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


def test_console_command_is_the_verification_entry_point(tmp_path):
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"upgrade-repro-verify-deposit": "upgrade_repro.deposit:main"}
    assert d.main([str(tmp_path / "missing.zip"), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_metadata_from_the_citation_file():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    meta = d.deposit_metadata(citation, "upgrade-repro", citation["version"], [])
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


def test_hash_check_names_changed_missing_and_extra_files(tmp_path):
    root = small_project(tmp_path / "proj")
    parts = d.build_deposit(
        root, outputs=["results/tables/t.csv"], raw=["data/raw/public/a.csv"], name="p", version="1"
    )
    zip_path = tmp_path / "p.zip"
    d.write_deposit(zip_path, root, parts["manifest"], parts["metadata"], parts["config"], "p-1")
    top = d.unpack(zip_path, tmp_path / "fresh")
    assert top == tmp_path / "fresh/p-1"
    assert {r["status"] for r in d.check_hashes(top)} == {"ok"}
    (top / "data/raw/public/a.csv").write_text("x,y\n1,3\n", encoding="utf-8")
    (top / "results/tables/t.csv").unlink()
    (top / "scripts/extra.py").write_text("", encoding="utf-8")
    rows = {r["path"]: r for r in d.check_hashes(top) if r["status"] != "ok"}
    assert rows["data/raw/public/a.csv"]["status"] == "hash mismatch"
    assert sha(b"x,y\n1,3\n") in rows["data/raw/public/a.csv"]["detail"]
    assert rows["results/tables/t.csv"]["status"] == "missing"
    assert rows["scripts/extra.py"]["status"] == "not in manifest"
    assert len(rows) == 3
    # unpacking again starts from a fresh folder
    assert {r["status"] for r in d.check_hashes(d.unpack(zip_path, tmp_path / "fresh"))} == {"ok"}
    # the rerun copy has everything but the outputs
    rerun = d.rerun_copy(top, tmp_path / "rerun")
    assert (rerun / "scripts/run.py").is_file() and not (rerun / "results/tables").exists()
    assert (rerun / "results/README.md").is_file()


@pytest.mark.parametrize(
    "names, message",
    [
        (["p-1/MANIFEST.csv", "p-1/../../evil.txt"], "without '..'"),
        (["p-1/MANIFEST.csv", "q-1/a.txt"], "top folders: p-1, q-1"),
        (["p-1/a.txt"], "no p-1/MANIFEST.csv"),
    ],
)
def test_unpack_refuses_what_is_not_a_deposit(tmp_path, names, message):
    zip_path = tmp_path / "bad.zip"
    with zipfile.ZipFile(zip_path, "w") as zf:
        for name in names:
            zf.writestr(name, "path,bytes,sha256,role,status\n")
    with pytest.raises(DepositArchiveError, match=message):
        d.unpack(zip_path, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()
    (tmp_path / "notzip.zip").write_text("hello", encoding="utf-8")
    with pytest.raises(DepositArchiveError, match="not a zip"):
        d.unpack(tmp_path / "notzip.zip", tmp_path / "out")


def test_figure_sources_are_the_figure_rules_data_inputs():
    class Rule:
        def __init__(self, inputs, outputs):
            self.input, self.output = inputs, outputs

    rules = [
        Rule(["results/data/m.csv", "upgrade_repro/maps.py", "data/reference/p.csv"], ["results/figures/f.png"]),
        Rule(["results/data/x.csv"], ["results/tables/t.csv"]),
    ]
    assert d.figure_sources(rules) == {"results/figures/f.png": ["data/reference/p.csv", "results/data/m.csv"]}


# ---------------------------------------------------------------- through the workflow
# What a deposit of the real project holds: the whole project (README, licence, citation, lock,
# tools, tests, bench), not only the workflow files that copy_workflow takes.
def copy_project(dest: Path) -> Path:
    for rel in d.project_files(ROOT):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    return dest


@pytest.fixture(scope="module")
def deposited(tmp_path_factory) -> Path:
    """The default run and its deposit, in a copy of the project."""
    project = copy_project(tmp_path_factory.mktemp("deposit") / "project")
    run_snakemake(project, "deposit")
    return project


ZIP = "results/deposit/upgrade-repro-0.1.0.zip"
RUN_HISTORY = ("results/logs/", "results/benchmarks/", "results/checks/previous/", "results/deposit/")


@pytest.mark.workflow
def test_deposit_holds_the_project_and_every_output_and_rebuilds_byte_identically(deposited, tmp_path):
    zf = zipfile.ZipFile(deposited / ZIP)
    top = "upgrade-repro-0.1.0/"
    assert all(n.startswith(top) for n in zf.namelist())
    manifest = list(csv.DictReader(io.StringIO(zf.read(top + "MANIFEST.csv").decode("utf-8"))))
    assert [r["path"] for r in manifest] == sorted(r["path"] for r in manifest)
    assert {r["status"] for r in manifest} == {"included"}  # the shipped public data only
    listed = {r["path"]: r for r in manifest}
    # every file the run wrote under results/ (walked here), run history aside, is an output
    written = {
        p.relative_to(deposited).as_posix()
        for p in (deposited / "results").rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    expected = {p for p in written if not p.startswith(RUN_HISTORY) and p != "results/checks/changes.csv"}
    assert {p for p, r in listed.items() if r["role"] == "output"} == expected
    assert "results/report/report.html" in expected and "results/manuscript/tables.docx" in expected
    # every file of the project copy is there, with its role
    for rel in ("README.md", "LICENSE", "CITATION.cff", "requirements.lock", "upgrade_repro/deposit.py"):
        assert rel in listed
    assert listed["data/raw/public/nbs_gdp_composition_2008_2022.csv"]["role"] == "data"
    assert listed["README.md"]["role"] == "documentation" and listed["Snakefile"]["role"] == "code"
    for path, row in listed.items():
        data = zf.read(top + path)
        assert (len(data), sha(data)) == (int(row["bytes"]), row["sha256"]), path
        if path not in ("config.yaml", "metadata.json"):
            assert data == (deposited / path).read_bytes(), path
    assert zf.read(top + "config.yaml") == (deposited / "config.yaml").read_bytes()  # the run's own config
    checks = list(csv.DictReader(open(deposited / "results/deposit/checks.csv", encoding="utf-8")))
    assert checks and {c["status"] for c in checks} <= {"pass", "not applicable"}
    # rebuilt from the same inputs: the same bytes
    before = (deposited / ZIP).read_bytes()
    run_snakemake(deposited, "deposit", "--forcerun", "deposit_checks", "deposit")
    assert (deposited / ZIP).read_bytes() == before


@pytest.mark.workflow
def test_a_failing_check_stops_the_deposit_naming_the_file(deposited, tmp_path):
    project = clone_run(deposited, tmp_path / "project")
    (project / "tools/unlisted_tool.py").write_text("print('not in the README')\n", encoding="utf-8")
    proc = run_snakemake(project, "deposit", check=False)
    assert proc.returncode != 0
    assert "tools/unlisted_tool.py" in proc.stderr and "listed_in_readme" in proc.stderr
    assert not (project / ZIP).exists()  # the previous zip is not left behind as if current
    checks = list(csv.DictReader(open(project / "results/deposit/checks.csv", encoding="utf-8")))
    failed = [(c["check"], c["path"]) for c in checks if c["status"] == "fail"]
    assert failed == [("listed_in_readme", "tools/unlisted_tool.py")]
    # a repository's limit from the config (deposit.limits): 100 files, fewer than the deposit holds
    (project / "tools/unlisted_tool.py").unlink()
    (project / "limits.yaml").write_text("deposit: {limits: {files: 100}}\n", encoding="utf-8")
    proc = run_snakemake(project, "deposit", "--configfile", "limits.yaml", check=False)
    assert proc.returncode != 0 and "file_size" in proc.stderr
    checks = list(csv.DictReader(open(project / "results/deposit/checks.csv", encoding="utf-8")))
    assert {c["check"] for c in checks if c["status"] == "fail"} == {"file_size"}
    assert not (project / ZIP).exists()


@pytest.mark.workflow
def test_verify_deposit_in_a_fresh_folder_every_output_matches(deposited, tmp_path):
    downloaded = tmp_path / "upgrade-repro-0.1.0.zip"  # as a reviewer downloads it
    shutil.copy(deposited / ZIP, downloaded)
    project = clone_run(deposited, tmp_path / "reviewer")
    run_snakemake(project, "verify_deposit", "--config", f"deposit={downloaded}")
    out = project / "results/verify/upgrade-repro-0.1.0"
    rows = list(csv.DictReader(open(out / "verification.csv", encoding="utf-8")))
    manifest = zipfile.ZipFile(downloaded).read("upgrade-repro-0.1.0/MANIFEST.csv").decode()
    outputs = [r["path"] for r in csv.DictReader(io.StringIO(manifest)) if r["role"] == "output"]
    assert sorted(r["path"] for r in rows if r["kind"] == "output") == sorted(outputs)
    assert {r["status"] for r in rows if r["kind"] == "hash"} == {"ok"}
    matched = {"identical", "equal at printed precision", "figure data identical"}
    assert {r["status"] for r in rows if r["kind"] == "output"} <= matched
    summary = json.loads((out / "verification.json").read_text(encoding="utf-8"))
    assert summary["summary"]["verdict"] == "verified" and summary["meta"]["exit_code"] == 0
    assert summary["meta"]["zip_sha256"] == sha(downloaded.read_bytes())
    # the rerun really ran in the fresh folder: it made every output itself
    rerun = out / "unpacked/rerun/upgrade-repro-0.1.0"
    assert all((rerun / p).is_file() for p in outputs)
    assert (rerun / ".snakemake").is_dir() and (rerun / "results/logs/report.log").is_file()
    assert "已核验" in (out / "verification.md").read_text(encoding="utf-8")


@pytest.mark.workflow
def test_tampered_deposit_names_the_data_file_and_the_output(deposited, tmp_path):
    """One data file (a number of the paper's Table 1) and one output (Table 1 as reproduced) changed
    in a copy of the zip: the console command names both, says not verified and exits 1."""
    top = "upgrade-repro-0.1.0/"
    data_file, output = "data/published/table1.csv", "results/tables/table1.csv"
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(deposited / ZIP) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == top + data_file:
                assert b"2.354" in data
                data = data.replace(b"2.354", b"2.359")  # the published mean of cyig
            elif info.filename == top + output:
                assert data.count(b"upgrade,420,1.16") == 1
                data = data.replace(b"upgrade,420,1.16", b"upgrade,420,1.26")  # the mean of upgrade
            dst.writestr(info, data)
    out = tmp_path / "verification"
    # the console command's entry point (pyproject [project.scripts]), run with the copy's library
    require_workflow_marker()
    proc = subprocess.run(
        [sys.executable, "-m", "upgrade_repro.deposit", str(tampered), "--out", str(out), "--cores", "2"],
        cwd=deposited,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stderr
    assert "not verified" in proc.stdout
    rows = {(r["kind"], r["path"]): r for r in csv.DictReader(open(out / "verification.csv", encoding="utf-8"))}
    assert rows[("hash", data_file)]["status"] == "hash mismatch"
    assert rows[("hash", output)]["status"] == "hash mismatch"
    assert rows[("output", output)]["status"] == "differs"
    # the changed published number reaches the comparison with the paper, which the rerun remakes
    assert rows[("output", "results/checks/table1_vs_paper.csv")]["status"] == "differs"
    assert sum(r["status"] not in ("ok", "identical") for r in rows.values()) >= 3
    report = (out / "verification.md").read_text(encoding="utf-8")
    assert data_file in report and output in report
    html = (out / "verification.html").read_text(encoding="utf-8")
    assert data_file in html and output in html


@pytest.mark.workflow
def test_a_run_on_an_eps_extract_deposits_without_it(tmp_path):
    """The licensed EPS extract (registered with redistributable no) is read by the run, left out of
    the zip and listed as licensed with its SHA-256; the deposit's config.yaml is the run's."""
    eps = shared_file("eps/eps_long_2008_2021.csv")
    project = copy_project(tmp_path / "work" / "project")
    (tmp_path / "work" / "shared").symlink_to(SHARED_DATA.parent)  # ../shared as beside the repository
    relative = "../shared/data/eps/eps_long_2008_2021.csv"
    (project / "eps.yaml").write_text(f"raw:\n  - {relative}\n", encoding="utf-8")
    run_snakemake(project, "deposit", "--configfile", "eps.yaml")
    zf = zipfile.ZipFile(project / ZIP)
    top = "upgrade-repro-0.1.0/"
    assert not any("eps_long" in n for n in zf.namelist())
    rows = {r["path"]: r for r in csv.DictReader(io.StringIO(zf.read(top + "MANIFEST.csv").decode("utf-8")))}
    data = eps.read_bytes()
    assert rows[relative] == {
        "path": relative,
        "bytes": str(len(data)),
        "sha256": sha(data),
        "role": "data",
        "status": "licensed, not redistributable",
    }
    assert [p for p, r in rows.items() if r["status"] != "included"] == [relative]
    meta = json.loads(zf.read(top + "metadata.json"))
    assert meta["not_included"] == [{"path": relative, "reason": "licensed, not redistributable", "sha256": sha(data)}]
    shipped = yaml.safe_load(zf.read(top + "config.yaml"))
    assert shipped["raw"] == [relative] and shipped["years"] == {"start": 2008, "end": 2021}
    assert zf.read(top + "config.yaml") != (project / "config.yaml").read_bytes()
    # the outputs are the EPS run's: Table 1 of the deposit is the one the run wrote
    assert zf.read(top + "results/tables/table1.csv") == (project / "results/tables/table1.csv").read_bytes()
