"""Building the replication deposit (results/deposit/<name>-<version>.zip; docs/deposit.md): which
files go in and in which role (code, data, output, documentation), which raw files are left out as
licensed (data/raw/versions.csv, column redistributable), MANIFEST.csv (manifest.py), metadata.json
(metadata.py, from CITATION.cff and the derived outputs of licences.py), and a zip that is
byte-identical when rebuilt from the same files (sorted members, fixed time stamps, modes and
compression)."""

import csv
import json
import os
import tomllib
import zipfile
from pathlib import Path, PurePosixPath

import yaml

from upgrade_repro.deposit.licences import derived_outputs
from upgrade_repro.deposit.manifest import INCLUDED, LICENSED, manifest_csv, read_manifest
from upgrade_repro.deposit.metadata import deposit_metadata
from upgrade_repro.errors import DepositError
from upgrade_repro.registry import sha256, sha256_bytes

# What a deposit holds besides the outputs (relative to the project root; a folder with all its
# files). Hidden files are left out except .ci/ (the CI script the README's test command mirrors).
DEPOSIT_PATHS = (
    "Snakefile",
    "config.yaml",
    "pyproject.toml",
    "requirements.lock",
    "README.md",
    "docs",
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
DOCUMENTATION = ("README.md", "LICENSE", "CITATION.cff", "metadata.json")
DATA_FOLDERS = ("data/", "tests/data/")
REGISTRY_NAME = "data/raw/versions.csv"
# Zip entries: the earliest time a zip can hold (ZipInfo's default, 1980-01-01), so that no build
# time enters the archive.
ZIP_DATE = zipfile.ZipInfo().date_time


def _posix(path) -> str:
    return Path(path).as_posix()


def is_run_history(path: str) -> bool:
    return any(path == h or (h.endswith("/") and path.startswith(h)) for h in RUN_HISTORY)


def is_skipped(rel: str) -> bool:
    """A file never part of a deposit: caches, hidden files (but .ci/), compiled files, packaging
    metadata, bench/out/."""
    parts = PurePosixPath(rel).parts
    return bool(
        SKIPPED_PARTS & set(parts)
        or any(part.startswith(".") and part != ".ci" for part in parts)
        or PurePosixPath(rel).suffix in (".pyc", ".pyo")
        or any(part.endswith(".egg-info") for part in parts)
        or rel.startswith(SKIPPED_FOLDERS)
    )


def walk_project(root, names=DEPOSIT_PATHS) -> list[str]:
    """The files under `names` (files or folders relative to `root`), relative, forward slashes,
    sorted, is_skipped files left out."""
    root = Path(root)
    found = set()
    for name in names:
        path = root / name
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        found.update(rel for p in candidates if not is_skipped(rel := p.relative_to(root).as_posix()))
    return sorted(found)


def project_files(root) -> list[str]:
    """The project's files under DEPOSIT_PATHS (walk_project). A required file missing stops the
    deposit."""
    root = Path(root)
    missing = [p for p in REQUIRED if not (root / p).is_file()]
    if missing:
        raise DepositError(f"the deposit needs {', '.join(missing)} at the project root", file=str(root))
    return walk_project(root)


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
            if name in entries and sha256_bytes(data) != entries[name]["sha256"]:
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


def build_deposit(
    root,
    *,
    outputs,
    raw,
    name,
    version,
    effective_config=None,
    registry=REGISTRY_NAME,
    boundaries_output=None,
    boundaries_source=None,
) -> dict:
    """The deposit's parts, writing nothing: members (the project's files and outputs, which the
    data editor's checks examine; the deposit's config.yaml in place of the project's), the texts of
    MANIFEST.csv (the members and metadata.json), metadata.json and the deposit's config.yaml, and
    what the checks read besides the files: CITATION.cff (`citation`) and the derived outputs
    (`derived`, licences.derived_outputs; `boundaries_output`: rule prepare_boundaries' output,
    `boundaries_source`: config figure.boundaries)."""
    root = Path(root)
    members = select_members(root, outputs, raw, registry)
    config = config_text((root / "config.yaml").read_text(encoding="utf-8"), effective_config)
    for m in members:
        if m["path"] == "config.yaml":
            m.update(bytes=len(config.encode("utf-8")), sha256=sha256_bytes(config.encode("utf-8")))
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    derived = derived_outputs(root, members, boundaries_output=boundaries_output, boundaries_source=boundaries_source)
    metadata = (
        json.dumps(deposit_metadata(citation, name, version, members, derived), ensure_ascii=False, indent=2) + "\n"
    )
    # metadata.json is listed too (so that its hash is checked); MANIFEST.csv cannot list itself.
    listed = members + [
        {
            "path": "metadata.json",
            "role": "documentation",
            "bytes": len(metadata.encode("utf-8")),
            "sha256": sha256_bytes(metadata.encode("utf-8")),
            "status": INCLUDED,
        }
    ]
    return {
        "members": members,
        "manifest": manifest_csv(listed),
        "metadata": metadata,
        "config": config,
        "citation": citation,
        "derived": derived,
    }


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
