"""Paths relative to the project, and provenance of the code when git cannot give it (a copy run from an archive, as a journal
deposit is): a SHA-256 over the tracked code files, so that two copies can still be told apart."""

import hashlib
import os
from pathlib import Path

from upgrade_repro.registry import sha256

# What makes the results: the workflow, its scripts and library, the report's texts, the reference
# tables and the default config (relative to the project root; a folder counts with all its files).
CODE_PATHS = ("Snakefile", "config.yaml", "workflow", "scripts", "upgrade_repro", "report", "data/reference")


def project_path(path, root=".") -> str:
    """`path` relative to the project root, forward slashes (an absolute path of a file outside
    the project becomes ../...): no machine's absolute paths in the outputs."""
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()


def code_files(root, paths=CODE_PATHS) -> list[str]:
    """The files under `paths` (relative to `root`, forward slashes, sorted), caches left out."""
    root = Path(root)
    found = []
    for name in paths:
        path = root / name
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        found += [
            p.relative_to(root).as_posix()
            for p in candidates
            if "__pycache__" not in p.parts and p.suffix != ".pyc" and p.exists()
        ]
    return sorted(found)


def code_digest(root, paths=CODE_PATHS) -> dict:
    """SHA-256 over the lines '<relative path>  <SHA-256 of the file>' of code_files (the format of
    `sha256sum`, so it can be recomputed by hand), with the number of files and the paths digested."""
    files = code_files(root, paths)
    listing = "".join(f"{f}  {sha256(Path(root) / f)}\n" for f in files)
    return {
        "sha256": hashlib.sha256(listing.encode("utf-8")).hexdigest(),
        "files": len(files),
        "paths": list(paths),
    }
