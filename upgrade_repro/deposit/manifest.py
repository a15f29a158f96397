"""MANIFEST.csv: written by the deposit (build.py) and, on verification, checked against the zip's
own files (docs/verification.md, "What is checked").

The check is pure: it takes the manifest's rows and the members actually unpacked (their sizes and
SHA-256, computed from the bytes written: unpack.py) and never opens a path the manifest gives, so a
row such as ../../etc/hostname or /etc/os-release is a named failure, not a file read. The manifest
must list exactly the zip's files (MANIFEST.csv aside), plus the licensed files left out.
"""

import csv
import io
import re
import unicodedata
from collections import Counter

from upgrade_repro.deposit.findings import phrase, result
from upgrade_repro.errors import DepositArchiveError

MANIFEST = "MANIFEST.csv"
MANIFEST_COLUMNS = ["path", "bytes", "sha256", "role", "status"]
INCLUDED = "included"
LICENSED = "licensed, not redistributable"
ROLES = ("code", "data", "output", "documentation")

# Statuses of a manifest check row; the first two are as they should be.
HASH_OK = ("ok", LICENSED)
HASH_STATUSES = (
    *HASH_OK,
    "hash mismatch",
    "missing",
    "not in manifest",
    "licensed but present",
    "outside the folder",
    "listed twice",
    "bad row",
    "role differs",
)
# The phrase (upgrade_repro/texts.yaml, verification_report.detail.<key>) of each status.
HASH_PHRASES = {
    "hash mismatch": "hash_mismatch",
    "missing": "missing_from_archive",
    "not in manifest": "not_in_manifest",
    LICENSED: "licensed_left_out",
    "licensed but present": "licensed_present",
    "outside the folder": "outside_folder",
    "listed twice": "listed_twice",
    "bad row": "bad_row",
    "role differs": "role_differs",
}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DRIVE = re.compile(r"^[A-Za-z]:")


def manifest_csv(members) -> str:
    """MANIFEST.csv: path, bytes, sha256, role, status; sorted by path; '\\n' line ends."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(sorted(members, key=lambda m: m["path"]))
    return out.getvalue()


def read_manifest(text: str) -> list[dict]:
    """The rows of MANIFEST.csv (each cell a string); DepositArchiveError when its head is not
    MANIFEST_COLUMNS or it is not CSV (a file that is not this workflow's manifest)."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        head = next(reader, None)
        if head != MANIFEST_COLUMNS:
            raise DepositArchiveError(f"{MANIFEST} does not have the columns {','.join(MANIFEST_COLUMNS)}")
        rows = []
        for line, cells in enumerate(reader, start=2):
            if len(cells) != len(MANIFEST_COLUMNS):
                cells = (cells + [""] * len(MANIFEST_COLUMNS))[: len(MANIFEST_COLUMNS)]
                rows.append({**dict(zip(MANIFEST_COLUMNS, cells)), "_problem": f"line {line}: not 5 cells"})
                continue
            rows.append(dict(zip(MANIFEST_COLUMNS, cells)))
    except csv.Error as error:
        raise DepositArchiveError(f"{MANIFEST} is not a CSV file: {error}") from None
    return rows


def hash_row(path: str, status: str, **facts) -> dict:
    """A row of the manifest check, its detail as phrases (rendered in the report's language)."""
    return result(path, status, [phrase(HASH_PHRASES[status], **facts)] if status in HASH_PHRASES else [])


def path_problem(path: str) -> str | None:
    """Why a path of the manifest (or a member name, less its top folder) is not a plain relative
    path inside the folder, or None: empty, absolute, a drive letter, a backslash, '..', '.' or an
    empty part, a control character."""
    if not path:
        return "empty path"
    if any(unicodedata.category(c) == "Cc" for c in path):
        return "control character in the path"
    if path.startswith("/") or _DRIVE.match(path):
        return "absolute path"
    if "\\" in path:
        return "backslash in the path"
    parts = path.split("/")
    if ".." in parts:
        return "'..' in the path"
    if any(p in ("", ".") for p in parts):
        return "empty or '.' part in the path"
    return None


def _bad_cells(row: dict) -> list[str]:
    problems = [row["_problem"]] if row.get("_problem") else []
    if not re.fullmatch(r"\d{1,15}", row["bytes"]):
        problems.append(f"bytes {row['bytes']!r} is not a whole number")
    if not _SHA256.fullmatch(row["sha256"]):
        problems.append(f"sha256 {row['sha256']!r} is not 64 lower-case hex digits")
    if row["role"] not in ROLES:
        problems.append(f"role {row['role']!r} is not one of {', '.join(ROLES)}")
    if row["status"] not in (INCLUDED, LICENSED):
        problems.append(f"status {row['status']!r} is not {INCLUDED!r} or {LICENSED!r}")
    return problems


def check_manifest(rows: list[dict], members: dict[str, dict], role_of) -> list[dict]:
    """The manifest's rows against the members of the zip (`members`: path below the top folder ->
    {bytes, sha256} of the bytes unpacked; MANIFEST.csv itself not among them). One row per path,
    sorted: ok; hash mismatch; missing (listed as included, not in the zip); not in manifest;
    licensed, not redistributable (left out, as it should be); licensed but present; outside the
    folder (absolute, '..', ...: never opened); listed twice; bad row (a cell that is not what the
    column holds); role differs (the manifest's role is not the verifier's, role_of). A licensed
    row may name a file outside the deposit by a relative path with '..' (the run read it there:
    docs/deposit.md); it is never opened either."""
    out, counts, reported = [], Counter(row["path"] for row in rows), set()
    for row in rows:
        path = row["path"]
        if counts[path] > 1:
            if path not in reported:
                out.append(hash_row(path, "listed twice", times=counts[path]))
                reported.add(path)
            continue
        problem = path_problem(path)
        leading = re.fullmatch(r"((?:\.\./)+)(.+)", path)
        licensed_outside = bool(
            row["status"] == LICENSED and problem == "'..' in the path" and leading and not path_problem(leading[2])
        )
        if problem and not licensed_outside:
            out.append(hash_row(path, "outside the folder", reason=problem))
            continue
        bad = _bad_cells(row)
        if bad:
            out.append(hash_row(path, "bad row", problems="; ".join(bad)))
            continue
        if not licensed_outside and row["role"] != role_of(path):
            out.append(hash_row(path, "role differs", role=row["role"], expected=role_of(path)))
            continue
        if row["status"] == LICENSED:
            if path in members:
                out.append(hash_row(path, "licensed but present", sha256=members[path]["sha256"]))
            else:
                out.append(hash_row(path, LICENSED, sha256=row["sha256"], outside=licensed_outside))
            continue
        if path not in members:
            out.append(hash_row(path, "missing"))
            continue
        got = members[path]
        if (got["sha256"], got["bytes"]) == (row["sha256"], int(row["bytes"])):
            out.append(hash_row(path, "ok"))
        else:
            out.append(
                hash_row(
                    path,
                    "hash mismatch",
                    sha256=got["sha256"],
                    manifest_sha256=row["sha256"],
                    bytes=got["bytes"],
                    manifest_bytes=int(row["bytes"]),
                )
            )
    out += [hash_row(path, "not in manifest") for path in members if path not in counts and path != MANIFEST]
    return sorted(out, key=lambda r: (r["path"], r["status"]))
