"""Paths relative to the project, and provenance of the code when git cannot give it (a copy run from an archive, as a journal
deposit is): a SHA-256 over the tracked code files, so that two copies can still be told apart."""

import ast
import functools
import hashlib
import os
import sys
from importlib import metadata
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


def imported_top_modules(path) -> set[str]:
    """Top-level names of the modules `path` imports (every import statement anywhere in it, and
    importlib.resources' files("pkg") of a package read as data), relative imports left out."""
    found = set()
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "files"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def imported_library_files(path, root, package: str = "upgrade_repro") -> frozenset[Path]:
    """The files of the library `package` (under `root`) that the Python file `path` imports itself
    (AST: every import statement anywhere in it): each module, each package's __init__.py on the
    way (upgrade_repro/ingest/__init__.py), and a module's package data of the same stem beside it
    (upgrade_repro/texts.yaml, read by texts.py). A rule's code inputs are these, followed through
    the library (project_imports in workflow/rules/common.smk)."""
    root = Path(root)
    found = set()
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] != package:
                continue
            for k in range(1, len(parts) + 1):
                stem = root.joinpath(*parts[:k])
                if (stem / "__init__.py").is_file():
                    found.add(stem / "__init__.py")
                elif k > 1 and stem.with_suffix(".py").is_file():
                    found.add(stem.with_suffix(".py"))
                    if stem.with_suffix(".yaml").is_file():
                        found.add(stem.with_suffix(".yaml"))
                    break
                else:
                    break
    return frozenset(found)


# Scanning every installed distribution takes about half a second; what is installed does not change during a run.
_packages_distributions = functools.cache(metadata.packages_distributions)


def imported_distributions(paths, own=("upgrade_repro",)) -> dict[str, list[str]]:
    """Distribution (as installed, e.g. python-docx) -> the files of `paths` importing it; the
    standard library and the project's own package left out. A module that no installed
    distribution provides is listed under its module name prefixed with '?', so a caller can
    report it rather than lose it."""
    providers = _packages_distributions()
    users: dict[str, set[str]] = {}
    for path in paths:
        for module in imported_top_modules(path) - set(sys.stdlib_module_names) - set(own) - {"__future__"}:
            for dist in providers.get(module, [f"?{module}"]):
                users.setdefault(dist, set()).add(Path(path).as_posix())
    return {dist: sorted(files) for dist, files in sorted(users.items(), key=lambda kv: kv[0].lower())}
