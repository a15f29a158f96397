"""The registry of raw inputs (data/raw/versions.csv): which file, from where, which data vintage,
and its SHA-256, so that a silently replaced or re-exported file cannot slip into a run."""

import hashlib
import logging
import os
from pathlib import Path

import pandas as pd

from upgrade_repro.errors import RegistryMismatchError

logger = logging.getLogger(__name__)
REGISTRY_COLUMNS = ["file", "source", "vintage", "export_date", "sha256"]


def sha256(path) -> str:
    """SHA-256 of a file (hex), read in blocks: the one file hash of the project."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """SHA-256 of bytes in memory (hex): the one bytes hash of the project."""
    return hashlib.sha256(data).hexdigest()


def load_registry(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)[REGISTRY_COLUMNS]


def registry_rows(raw_paths, registry: pd.DataFrame, root) -> list[dict]:
    """One dict per raw file: its registry row (matched on the resolved path) or None, and its hash."""
    root = Path(root)
    by_path = {os.path.normpath(root / f): row for f, row in zip(registry["file"], registry.to_dict("records"))}
    return [{"file": p, "sha256": sha256(root / p), "row": by_path.get(os.path.normpath(root / p))} for p in raw_paths]


def check_raw_files(raw_paths, registry: pd.DataFrame, root, registry_name="data/raw/versions.csv") -> list[str]:
    """Fail on a registered file whose hash changed; return a warning for each unregistered file."""
    warnings, mismatched = [], []
    for entry in registry_rows(raw_paths, registry, root):
        row = entry["row"]
        if row is None:
            warnings.append(
                f"raw file {entry['file']} is not in {registry_name}: add the row "
                f"'{entry['file']},<source>,<vintage>,<export date>,{entry['sha256']},<licence>,<redistributable: yes or no>'"
            )
        elif row["sha256"] != entry["sha256"]:
            mismatched.append(
                f"{entry['file']} (registered {row['sha256'][:12]}…, "
                f"now {entry['sha256'][:12]}…; vintage: {row['vintage'] or 'unknown'})"
            )
    if mismatched:
        raise RegistryMismatchError(
            "raw file(s) changed since they were registered: "
            + "; ".join(mismatched)
            + ". If the new content is intended, update its row (sha256, vintage, export_date); "
            "for a quick experiment set registry.check: false",
            file=registry_name,
        )
    return warnings


def raw_vintages(raw_paths, registry: pd.DataFrame, root=".") -> list[dict]:
    """Each raw file's data vintage from the registry (its row, or a row with the same SHA-256), or
    None when its content is not registered (then nothing says which vintage it holds): the text
    the clean stage reads as the file's vintage (vintage.vintage_from_text)."""
    by_hash = dict(zip(registry["sha256"], registry["vintage"]))
    out = []
    for entry in registry_rows(raw_paths, registry, root):
        row = entry["row"]
        known = row is not None and row["sha256"] == entry["sha256"]
        # A registered content read from another path (a copy, an absolute path) is the same data.
        vintage = row["vintage"] if known else by_hash.get(entry["sha256"])
        out.append({"file": Path(entry["file"]).as_posix(), "vintage": vintage})
    return out


REGISTRY_STATUS_COLUMNS = ["file", "sha256", "status", "registered_sha256", "source", "vintage", "export_date"]
# Each file's vintage as the clean stage established it (results/checks/vintages.csv: the registry's
# vintage read as a label, a revision note in the file, or the values; upgrade_repro/vintage.py).
VINTAGE_STATUS_COLUMNS = {"vintage_label": "vintage", "vintage_basis": "basis", "vintage_evidence": "evidence"}


def registry_status(raw_paths, registry: pd.DataFrame, root=".", vintages: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per raw file of the run: its path relative to the project root, SHA-256 and status
    against the registry: registered (the row's SHA-256 matches), changed (it does not: only
    possible with registry.check false, which otherwise stops the run) or unregistered (no row);
    with the registered SHA-256, source, vintage and export date when there is a row; and, given
    the clean stage's `vintages` (vintages.csv), the file's vintage label, its basis and evidence."""
    rows = []
    found = {} if vintages is None else {f: r for f, r in zip(vintages["file"], vintages.to_dict("records"))}
    for entry in registry_rows(raw_paths, registry, root):
        row = entry["row"] or {}
        status = "unregistered" if not row else "registered" if row["sha256"] == entry["sha256"] else "changed"
        vintage = found.get(Path(entry["file"]).as_posix(), {})
        rows.append(
            {
                "file": Path(os.path.relpath(Path(root, entry["file"]).absolute(), Path(root).absolute())).as_posix(),
                "sha256": entry["sha256"],
                "status": status,
                **{k: row.get(k, "") for k in ("source", "vintage", "export_date")},
                "registered_sha256": row.get("sha256", ""),
                **{k: vintage.get(c, "") for k, c in VINTAGE_STATUS_COLUMNS.items()},
            }
        )
    columns = REGISTRY_STATUS_COLUMNS + (list(VINTAGE_STATUS_COLUMNS) if vintages is not None else [])
    return pd.DataFrame(rows, columns=columns)
