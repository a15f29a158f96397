"""The replication deposit (results/deposit/<name>-<version>.zip) and its verification.

Building: which files go in and in which role (code, data, output, documentation), which raw files
are left out as licensed (data/raw/versions.csv, column redistributable), MANIFEST.csv,
metadata.json from CITATION.cff, and a zip that is byte-identical when rebuilt from the same files
(sorted members, fixed time stamps, modes and compression).
Verifying: unpacking a deposit into a fresh folder, checking every manifest hash, and rerunning the
workflow on a copy of it without its outputs, whose outputs are then compared with the deposited ones
(upgrade_repro/deposit_compare.py)."""

import csv
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path, PurePosixPath

import yaml

from upgrade_repro.errors import DepositArchiveError, DepositError, DepositNotVerifiedError
from upgrade_repro.registry import sha256

logger = logging.getLogger(__name__)

# What a deposit holds besides the outputs (relative to the project root; a folder with all its
# files). Hidden files are left out except .ci/ (the CI script the README's test command mirrors).
DEPOSIT_PATHS = (
    "Snakefile",
    "config.yaml",
    "pyproject.toml",
    "requirements.lock",
    "README.md",
    "LICENSE",
    "CITATION.cff",
    ".ci",
    "workflow",
    "scripts",
    "upgrade_repro",
    "report",
    "tools",
    "tests",
    "bench",
    "data",
    "results/README.md",
)
REQUIRED = ("Snakefile", "config.yaml", "README.md", "LICENSE", "CITATION.cff", "requirements.lock")
# Caches and scratch folders (as in .gitignore) are never part of a deposit.
SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis", ".snakemake", ".ipynb_checkpoints"}
SKIPPED_FOLDERS = ("bench/out/",)
# Run history that a fresh rerun cannot and should not reproduce: not outputs of the deposit.
RUN_HISTORY = (
    "results/logs/",
    "results/benchmarks/",
    "results/checks/previous/",
    "results/checks/changes.csv",
    "results/deposit/",
    "results/verify/",
    ".snakemake/",
)
DOCUMENTATION = ("README.md", "LICENSE", "CITATION.cff")
DATA_FOLDERS = ("data/", "tests/data/")
MANIFEST_COLUMNS = ["path", "bytes", "sha256", "role", "status"]
INCLUDED = "included"
LICENSED = "licensed, not redistributable"
REGISTRY_NAME = "data/raw/versions.csv"
# Zip entries: the earliest time a zip can hold (ZipInfo's default, 1980-01-01), so that no build
# time enters the archive.
ZIP_DATE = zipfile.ZipInfo().date_time


def _posix(path) -> str:
    return Path(path).as_posix()


def is_run_history(path: str) -> bool:
    return any(path == h or (h.endswith("/") and path.startswith(h)) for h in RUN_HISTORY)


def project_files(root) -> list[str]:
    """The project's files under DEPOSIT_PATHS (relative, forward slashes, sorted), caches, hidden
    files (but .ci/) and compiled files left out. A required file missing stops the deposit."""
    root = Path(root)
    missing = [p for p in REQUIRED if not (root / p).is_file()]
    if missing:
        raise DepositError(f"the deposit needs {', '.join(missing)} at the project root", file=str(root))
    found = []
    for name in DEPOSIT_PATHS:
        path = root / name
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for p in candidates:
            rel = p.relative_to(root).as_posix()
            parts = PurePosixPath(rel).parts
            if (
                SKIPPED_PARTS & set(parts)
                or any(part.startswith(".") and part != ".ci" for part in parts)
                or p.suffix in (".pyc", ".pyo")
                or any(part.endswith(".egg-info") for part in parts)
                or rel.startswith(SKIPPED_FOLDERS)
            ):
                continue
            found.append(rel)
    return sorted(set(found))


def role_of(path: str) -> str:
    """code, data, output or documentation: outputs live under results/ (but its README); the
    README, licence, citation and every other Markdown note are documentation; data under data/
    (and the tests' data files); everything else (programs, templates, config, lock) is code."""
    if path.startswith("results/") and path != "results/README.md":
        return "output"
    if path in DOCUMENTATION or path.endswith(".md"):
        return "documentation"
    if path.startswith(DATA_FOLDERS):
        return "data"
    return "code"


def licence_table(registry_path) -> dict[str, dict]:
    """Registered raw file (normalised path) -> {licence, redistributable (bool)} from the registry;
    a row without a yes/no in redistributable stops the deposit."""
    rows = {}
    with open(registry_path, encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            flag = (row.get("redistributable") or "").strip().lower()
            if flag not in ("yes", "no"):
                raise DepositError(
                    f"{row['file']}: column redistributable is {flag or 'empty'!r}, not yes or no "
                    "(say whether the file's licence lets it be redistributed)",
                    file=_posix(registry_path),
                    where=f"line {line}",
                )
            rows[os.path.normpath(row["file"])] = {
                "licence": (row.get("licence") or "").strip(),
                "redistributable": flag == "yes",
            }
    return rows


def raw_status(paths, licences: dict[str, dict], registry_name=REGISTRY_NAME) -> dict[str, bool]:
    """Raw file -> redistributable, for each of `paths` (relative to the project). A raw file not in
    the registry stops the deposit: its licence is unknown, and neither shipping nor leaving it out
    may be guessed."""
    unknown = [p for p in paths if os.path.normpath(p) not in licences]
    if unknown:
        raise DepositError(
            "raw file(s) without a row (and licence) in the registry: "
            + ", ".join(unknown)
            + "; add each with its licence and redistributable yes/no",
            file=registry_name,
        )
    return {p: licences[os.path.normpath(p)]["redistributable"] for p in paths}


def select_members(root, outputs, raw, registry_path=REGISTRY_NAME) -> list[dict]:
    """Every file of the deposit, one dict {path, role, bytes, sha256, status} each, sorted by path:
    the project's files (project_files), the run's outputs (`outputs`, run history left out) and the
    run's raw extracts (`raw`, config raw). Raw data whose registry row says redistributable no are
    listed with status 'licensed, not redistributable' (with their bytes and SHA-256, so that a
    licensed reviewer can check a copy) and are not shipped; an extract outside the project keeps
    its relative path (../...). A redistributable extract outside the project stops the deposit
    (copy it under data/raw/ and point raw at it: the deposit must hold what the run read)."""
    root = Path(root)
    files = set(project_files(root))
    files |= {_posix(o) for o in outputs if not is_run_history(_posix(o))}
    raw_rel = [Path(os.path.relpath(os.path.abspath(root / p), os.path.abspath(root))).as_posix() for p in raw]
    # Raw data shipped in the project: every file under data/raw/ but its notes and the registry.
    in_raw_folder = [f for f in files if f.startswith("data/raw/") and f != REGISTRY_NAME and not f.endswith(".md")]
    redistributable = raw_status(sorted(set(in_raw_folder) | set(raw_rel)), licence_table(root / registry_path))
    outside = [p for p in raw_rel if p.startswith("../") and redistributable[p]]
    if outside:
        raise DepositError(
            f"raw extract(s) outside the project: {', '.join(outside)}; copy them under data/raw/, "
            "register them and point config raw at the copies, so that the deposit holds what the run read",
            file="config.yaml",
        )
    files |= set(raw_rel)
    members = []
    for path in sorted(files):
        full = root / path
        if not full.is_file():
            raise DepositError("an output of the run is missing: run the workflow first", file=path)
        members.append(
            {
                "path": path,
                "role": role_of(path) if not path.startswith("../") else "data",
                "bytes": full.stat().st_size,
                "sha256": sha256(full),
                "status": INCLUDED if redistributable.get(path, True) else LICENSED,
            }
        )
    return members


def manifest_csv(members) -> str:
    """MANIFEST.csv: path, bytes, sha256, role, status; sorted by path; '\\n' line ends."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(sorted(members, key=lambda m: m["path"]))
    return out.getvalue()


def read_manifest(text: str) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or list(rows[0]) != MANIFEST_COLUMNS:
        raise DepositArchiveError(f"MANIFEST.csv does not have the columns {','.join(MANIFEST_COLUMNS)}")
    return rows


def deposit_identity(root, name=None, version=None) -> tuple[str, str]:
    """(name, version) of the deposit: the configured values, else the name in pyproject.toml and
    the version in CITATION.cff (else pyproject's)."""
    root = Path(root)
    project = {}
    if (root / "pyproject.toml").is_file():
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
    citation = {}
    if (root / "CITATION.cff").is_file():
        citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    name = name or project.get("name")
    version = version or str(citation.get("version") or project.get("version") or "")
    if not name or not version:
        raise DepositError("no deposit name or version: set deposit.name and deposit.version", file="config.yaml")
    for value in (name, version):
        if not all(c.isalnum() or c in "-_." for c in value):
            raise DepositError(f"deposit name or version {value!r}: use letters, digits, '-', '_', '.' only")
    return name, version


# CFF reference type -> (DataCite relation of the deposit to it, resource type)
_RELATIONS = {
    "article": ("references", "publication-article"),
    "data": ("isDerivedFrom", "dataset"),
    "software": ("requires", "software"),
}


def _person(author: dict) -> dict:
    if "name" in author:
        person = {"name": author["name"], "type": "Organizational"}
    else:
        family, given = author.get("family-names", ""), author.get("given-names", "")
        # Chinese names are written family name first, without a separator (杨彩虹)
        cjk = any("\u4e00" <= c <= "\u9fff" for c in family + given)
        person = {"name": family + given if cjk else ", ".join(p for p in (family, given) if p)}
        person["type"] = "Personal"
    for key, target in (("affiliation", "affiliation"), ("orcid", "orcid")):
        if author.get(key):
            person[target] = author[key]
    return person


def _reference_text(ref: dict) -> str:
    authors = "; ".join(_person(a)["name"] for a in ref.get("authors", []))
    parts = [authors, ref.get("title", ""), ref.get("journal", ""), str(ref.get("year", ""))]
    return ". ".join(p for p in parts if p)


def deposit_metadata(citation: dict, name: str, version: str, members) -> dict:
    """metadata.json in the style of Zenodo's deposit metadata and DataCite: title, creators,
    version, licence, description, keywords, related identifiers (each reference's DOI, URL or
    code repository, with the relation of the deposit to it) and the references as text, all from
    CITATION.cff; plus the deposit's name, the date of release only when CITATION.cff gives one, and
    the files left out as licensed."""
    related = []
    for ref in citation.get("references", []):
        relation, resource = _RELATIONS.get(ref.get("type"), ("references", "other"))
        for key, scheme in (("doi", "doi"), ("url", "url"), ("repository-code", "url")):
            if ref.get(key):
                related.append(
                    {"identifier": str(ref[key]), "scheme": scheme, "relation": relation, "resource_type": resource}
                )
    for key, scheme in (("doi", "doi"), ("repository-code", "url"), ("url", "url")):
        if citation.get(key):
            related.append({"identifier": str(citation[key]), "scheme": scheme, "relation": "isIdenticalTo"})
    meta = {
        "name": name,
        "upload_type": "software",
        "resource_type": "software",
        "title": citation["title"],
        "creators": [_person(a) for a in citation.get("authors", [])],
        "version": version,
        "license": {"id": citation.get("license", "")},
        "description": " ".join(str(citation.get("abstract", "")).split()),
        "keywords": list(citation.get("keywords", [])),
        "related_identifiers": related,
        "references": [_reference_text(r) for r in citation.get("references", [])],
        "not_included": [
            {"path": m["path"], "reason": m["status"], "sha256": m["sha256"]}
            for m in members
            if m["status"] != INCLUDED
        ],
    }
    if citation.get("date-released"):
        meta["publication_date"] = str(citation["date-released"])
    return meta


def _zip_info(arcname: str, executable: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever the building machine: the modes below are Unix modes
    info.external_attr = ((0o100755 if executable else 0o100644) & 0xFFFF) << 16
    return info


def write_zip(zip_path, root, members, extra: dict[str, bytes], top: str) -> None:
    """The deposit zip at `zip_path`, atomically: every included member (read from `root`, its
    SHA-256 checked against the member's) and the `extra` files (MANIFEST.csv, metadata.json, the
    deposit's config.yaml), under the top folder `top`, sorted by path, with fixed times
    (1980-01-01), modes (644, or 755 for an executable file) and compression (deflate, level 9):
    the same files give the same bytes."""
    from upgrade_repro.files import atomic_path

    entries = {m["path"]: m for m in members if m["status"] == INCLUDED}
    with atomic_path(zip_path) as tmp, zipfile.ZipFile(tmp, "w", compresslevel=9) as zf:
        for name in sorted({*entries, *extra}):
            if name in extra:
                data, executable = extra[name], False
            else:
                full = Path(root, name)
                data, executable = full.read_bytes(), os.access(full, os.X_OK)
            if name in entries and _sha256_bytes(data) != entries[name]["sha256"]:
                raise DepositError(
                    "changed since the deposit's checks and manifest were made: build the deposit again", file=name
                )
            zf.writestr(_zip_info(f"{top}/{name}", executable), data)


def config_text(project_config: str, effective: dict | None) -> str:
    """The deposit's config.yaml: the project's file as it is when it alone made the run
    (`effective` None), else the run's effective configuration (config files and --config merged),
    so that `snakemake` in the unpacked deposit makes the deposited outputs."""
    if effective is None:
        return project_config
    header = (
        "# The configuration that produced the deposited outputs: the run's effective configuration\n"
        "# (config.yaml with the config files and --config values of the run merged in), written by\n"
        "# the deposit rule. The keys are documented in README.md, 'Configuration'.\n"
    )
    return header + yaml.safe_dump(effective, allow_unicode=True, sort_keys=False)


def _sha256_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def build_deposit(root, *, outputs, raw, name, version, effective_config=None, registry=REGISTRY_NAME) -> dict:
    """The deposit's parts, writing nothing: members (the project's files and outputs, which the
    data editor's checks examine; the deposit's config.yaml in place of the project's), the texts of
    MANIFEST.csv (the members and metadata.json), metadata.json and the deposit's config.yaml."""
    root = Path(root)
    members = select_members(root, outputs, raw, registry)
    config = config_text((root / "config.yaml").read_text(encoding="utf-8"), effective_config)
    for m in members:
        if m["path"] == "config.yaml":
            m.update(bytes=len(config.encode("utf-8")), sha256=_sha256_bytes(config.encode("utf-8")))
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    metadata = json.dumps(deposit_metadata(citation, name, version, members), ensure_ascii=False, indent=2) + "\n"
    # metadata.json is listed too (so that its hash is checked); MANIFEST.csv cannot list itself.
    listed = members + [
        {
            "path": "metadata.json",
            "role": "documentation",
            "bytes": len(metadata.encode("utf-8")),
            "sha256": _sha256_bytes(metadata.encode("utf-8")),
            "status": INCLUDED,
        }
    ]
    return {"members": members, "manifest": manifest_csv(listed), "metadata": metadata, "config": config}


def write_deposit(zip_path, root, manifest: str, metadata: str, config: str, top: str) -> None:
    """The zip of the files MANIFEST.csv lists as included (config.yaml: the deposit's own), with
    MANIFEST.csv and metadata.json at the top."""
    members = [m for m in read_manifest(manifest) if m["path"] not in ("config.yaml", "metadata.json")]
    extra = {
        "MANIFEST.csv": manifest.encode("utf-8"),
        "metadata.json": metadata.encode("utf-8"),
        "config.yaml": config.encode("utf-8"),
    }
    write_zip(zip_path, root, members, extra, top)


# ---------------------------------------------------------------- verification
def unpack(zip_path, dest) -> Path:
    """Unpack the deposit into the fresh folder `dest` (removed first when present); returns its
    top folder. Every member must lie under one top folder, without '..' or an absolute path."""
    dest = Path(dest)
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as error:
        raise DepositArchiveError(f"not a zip archive: {error}", file=_posix(zip_path)) from None
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with zf:
        names = [i.filename for i in zf.infolist() if not i.is_dir()]
        tops = {PurePosixPath(n).parts[0] for n in names if PurePosixPath(n).parts}
        unsafe = [n for n in names if n.startswith("/") or "\\" in n or ".." in PurePosixPath(n).parts]
        if unsafe or len(tops) != 1:
            raise DepositArchiveError(
                "members must lie under one top folder, without '..' or absolute paths"
                + (
                    f" (offending: {', '.join(unsafe[:5])})" if unsafe else f" (top folders: {', '.join(sorted(tops))})"
                ),
                file=_posix(zip_path),
            )
        (top,) = tops
        if f"{top}/MANIFEST.csv" not in names:
            raise DepositArchiveError(f"no {top}/MANIFEST.csv: not a deposit of this workflow", file=_posix(zip_path))
        for info in zf.infolist():
            if info.is_dir():
                continue
            target = dest / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))
            if (info.external_attr >> 16) & 0o111:
                target.chmod(0o755)
    return dest / top


def check_hashes(folder) -> list[dict]:
    """Each file of the manifest against the unpacked deposit `folder`: {path, status, detail, facts}
    (deposit_compare.hash_row: the detail in English, its facts for the report's language) with
    status ok, hash mismatch, missing or licensed, not redistributable; then every file present but
    not in the manifest (status not in manifest). Sorted by path."""
    from upgrade_repro.deposit_compare import hash_row

    folder = Path(folder)
    rows = []
    manifest = read_manifest((folder / "MANIFEST.csv").read_text(encoding="utf-8"))
    listed = set()
    for m in manifest:
        listed.add(m["path"])
        target = folder / m["path"]
        if m["status"] == LICENSED:
            rows.append(hash_row(m["path"], LICENSED, sha256=m["sha256"]))
        elif not target.is_file():
            rows.append(hash_row(m["path"], "missing"))
        else:
            digest = sha256(target)
            if digest == m["sha256"]:
                rows.append(hash_row(m["path"], "ok"))
            else:
                rows.append(
                    hash_row(
                        m["path"],
                        "hash mismatch",
                        sha256=digest,
                        manifest_sha256=m["sha256"],
                        bytes=target.stat().st_size,
                        manifest_bytes=int(m["bytes"]),
                    )
                )
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and rel not in listed and rel != "MANIFEST.csv":
            rows.append(hash_row(rel, "not in manifest"))
    return sorted(rows, key=lambda r: r["path"])


def rerun_copy(deposit_folder, rerun_folder) -> Path:
    """A copy of the unpacked deposit without its outputs (the files of role output), to rerun the
    workflow in: the regenerated outputs are then compared with the deposited ones."""
    deposit_folder, rerun_folder = Path(deposit_folder), Path(rerun_folder)
    if rerun_folder.exists():
        shutil.rmtree(rerun_folder)
    outputs = {
        m["path"]
        for m in read_manifest((deposit_folder / "MANIFEST.csv").read_text(encoding="utf-8"))
        if m["role"] == "output"
    }
    for p in sorted(deposit_folder.rglob("*")):
        rel = p.relative_to(deposit_folder).as_posix()
        if p.is_file() and rel not in outputs:
            target = rerun_folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, target)
    return rerun_folder


def rerun_workflow(folder, cores: int, log_path) -> dict:
    """`snakemake --cores <cores>` in `folder` (a fresh interpreter of this Python, the project's
    own library first on the path, as the workflow sets it), its output kept in `log_path`.
    Returns {command, exit_code, log}."""
    command = [sys.executable, "-m", "snakemake", "--cores", str(cores)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.run(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    return {
        "command": f"snakemake --cores {cores}",
        "exit_code": proc.returncode,
        "log": _posix(log_path),
    }


def deposited_outputs(folder) -> list[str]:
    """Paths of the deposit's outputs (role output, included), from its MANIFEST.csv."""
    manifest = read_manifest((Path(folder) / "MANIFEST.csv").read_text(encoding="utf-8"))
    return [m["path"] for m in manifest if m["role"] == "output" and m["status"] == INCLUDED]


FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def figure_sources(rules) -> dict[str, list[str]]:
    """Figure (an output of a rule in png, svg or pdf) -> the data files its rule draws it from:
    the rule's inputs that are data (under results/ or data/), not code; read from the parsed
    workflow's rules, so that a new figure rule brings its own data."""
    found = {}
    for rule in rules:
        figures = [str(o) for o in rule.output if str(o).endswith(FIGURE_SUFFIXES)]
        if not figures:
            continue
        sources = sorted(
            {
                _posix(i)
                for i in rule.input
                if isinstance(i, str) and _posix(i).startswith(("results/", "data/")) and not str(i).endswith(".py")
            }
        )
        for figure in figures:
            found[_posix(figure)] = sources
    return found


_FIGURE_SOURCES = (
    "import json\n"
    "from upgrade_repro.deposit import figure_sources\n"
    "from upgrade_repro.mock import parsed_workflow\n"
    "with parsed_workflow('.', config={'registry': {'check': False}}) as workflow:\n"
    "    print(json.dumps(figure_sources(workflow.rules)))\n"
)


def deposit_figure_sources(folder) -> dict[str, list[str]] | None:
    """figure_sources of the workflow in `folder` (the unpacked deposit), read by Snakemake's parser
    in a fresh interpreter with that folder's library first on the path (the raw files' registry
    check off: a changed raw file is the hash check's to report); None when the deposit's workflow
    cannot be parsed (its rerun then fails too, and the report says so)."""
    env = dict(os.environ, PYTHONPATH=str(Path(folder).resolve()))
    proc = subprocess.run(
        [sys.executable, "-c", _FIGURE_SOURCES], cwd=folder, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def verify(zip_path, out_dir, *, cores: int, language: str | None, templates_dir) -> dict:
    """The whole verification of the deposit `zip_path` into `out_dir`: unpack it into
    out_dir/unpacked/deposit, check every manifest hash, copy it without its outputs to
    out_dir/unpacked/rerun and run `snakemake --cores <cores>` there (log out_dir/rerun.log), compare
    every deposited output with the regenerated one (deposit_compare.compare_output, figures by the
    data they are drawn from), and write out_dir/verification.{csv,html,md,json}. Returns the summary
    (verification_summary: the verdict and the counts)."""
    import pandas as pd

    from upgrade_repro.deposit_compare import compare_output, render_verification, verification_summary
    from upgrade_repro.files import write_csv, write_text
    from upgrade_repro.provenance import project_path

    out_dir = Path(out_dir)
    work = out_dir / "unpacked"
    deposited = unpack(zip_path, work / "deposit")
    hash_rows = check_hashes(deposited)
    rerun = rerun_copy(deposited, work / "rerun" / deposited.name)
    run = rerun_workflow(rerun, cores, out_dir / "rerun.log")
    sources = deposit_figure_sources(rerun)
    if sources is None:
        logger.warning("the deposit's workflow cannot be parsed: figures are compared by their bytes only")
    figure_data = {figure: [Path(d) for d in data] for figure, data in (sources or {}).items()}
    if language is None:  # the deposited report's language
        deposited_config = yaml.safe_load((deposited / "config.yaml").read_text(encoding="utf-8")) or {}
        language = (deposited_config.get("report") or {}).get("language", "zh")
    rows = []
    for path in deposited_outputs(deposited):
        rows.append(compare_output(path, deposited / path, rerun / path, figure_data=figure_data))
    summary = verification_summary(rows, hash_rows)
    identity = {"name": deposited.name, "version": ""}
    if (deposited / "metadata.json").is_file():
        described = json.loads((deposited / "metadata.json").read_text(encoding="utf-8"))
        identity = {"name": described.get("name", deposited.name), "version": described.get("version", "")}
    meta = {
        **identity,
        "zip": Path(zip_path).name,
        "zip_sha256": sha256(zip_path),
        "unpacked": project_path(deposited),
        "rerun_folder": project_path(rerun),
        "command": run["command"],
        "exit_code": run["exit_code"],
        "log": project_path(run["log"]),
        "versions": [{"name": k, "version": v} for k, v in software_versions().items()],
    }
    html, markdown = render_verification(rows, hash_rows, summary, meta, language, templates_dir)
    table = pd.DataFrame(
        [{"kind": "hash", **r} for r in hash_rows] + [{"kind": "output", **r} for r in rows],
        columns=["kind", "path", "status", "detail"],
    )
    write_csv(table, out_dir / "verification.csv")
    write_text(html, out_dir / "verification.html")
    write_text(markdown, out_dir / "verification.md")
    write_text(
        json.dumps({"summary": summary, "meta": meta}, ensure_ascii=False, indent=2) + "\n",
        out_dir / "verification.json",
    )
    return summary


def software_versions() -> dict[str, str]:
    """Python and the main packages of the verifying machine (shown in the verification report)."""
    import platform
    from importlib import metadata

    versions = {"python": platform.python_version(), "platform": platform.platform()}
    for dist in ("snakemake", "pandas", "numpy", "matplotlib"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return versions


def require_verified(summary_path, report_path) -> str:
    """The verdict line when verification.json's verdict is 'verified'; else DepositNotVerifiedError
    naming the report (which the reviewer keeps)."""
    summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))["summary"]
    if summary["verdict"] != "verified":
        raise DepositNotVerifiedError(
            f"verdict {summary['verdict']!r}: see the verification report {_posix(report_path)}",
            file=_posix(summary_path),
        )
    return f"verdict: verified ({_posix(report_path)})"


def main(argv=None) -> int:
    """Console command upgrade-repro-verify-deposit: the verification without the workflow around
    it. Exit code 0 when verified, 1 when not (the report is written either way), 2 when the file is
    not a deposit or the verification cannot be carried out."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="upgrade-repro-verify-deposit",
        description="Unpack a deposit into a fresh folder, check every manifest hash, rerun its workflow and "
        "compare every output; writes verification.{html,md,csv,json} (README: Verifying a deposit).",
    )
    parser.add_argument("deposit", help="the deposit zip (results/deposit/<name>-<version>.zip)")
    parser.add_argument("--out", help="folder of the verification (default: results/verify/<zip name>)")
    parser.add_argument("--cores", type=int, default=4, help="cores of the rerun (default 4)")
    parser.add_argument("--language", choices=["zh", "en"], help="language of the report (default: the deposit's)")
    parser.add_argument("--templates", help="folder of verification.{html,md}.j2 (default: this package's report/)")
    args = parser.parse_args(argv)
    templates = Path(args.templates) if args.templates else Path(__file__).resolve().parent.parent / "report"
    out = Path(args.out) if args.out else Path("results/verify") / Path(args.deposit).stem
    try:
        if not (templates / "verification.html.j2").is_file():
            raise DepositArchiveError("no verification templates: give --templates <folder>", file=_posix(templates))
        summary = verify(args.deposit, out, cores=args.cores, language=args.language, templates_dir=templates)
    except (DepositArchiveError, DepositError, OSError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 2
    print(f"verdict: {summary['verdict']}; report: {_posix(out / 'verification.html')}")
    return 0 if summary["verdict"] == "verified" else 1


if __name__ == "__main__":
    sys.exit(main())
