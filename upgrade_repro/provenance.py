"""Paths relative to the project, and provenance of the code when git cannot give it (a copy run from an archive, as a journal
deposit is): a SHA-256 over the tracked code files, so that two copies can still be told apart."""

import ast
import functools
import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

from upgrade_repro.registry import sha256, sha256_bytes

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
        "sha256": sha256_bytes(listing.encode("utf-8")),
        "files": len(files),
        "paths": list(paths),
    }


# Calls that locate a package to read its files as data (importlib.resources.files("mplfonts"),
# importlib.util.find_spec("mplfonts")): the package is used, though not imported.
DATA_PACKAGE_CALLS = ("files", "find_spec")


def imported_top_modules(path) -> set[str]:
    """Top-level names of the modules `path` imports (every import statement anywhere in it, and
    the packages located as data: DATA_PACKAGE_CALLS with a string), relative imports left out."""
    source = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    found = {name.split(".")[0] for name in _statement_imports(tree)}
    # Such a call names the function in the source (identifiers are NFKC-normalised): a file
    # without the name needs no walk through its expressions.
    normalised = unicodedata.normalize("NFKC", source)
    if not any(name in normalised for name in DATA_PACKAGE_CALLS):
        return found
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in DATA_PACKAGE_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def imported_names(source: str, filename: str = "<source>") -> frozenset[str]:
    """Every dotted name an import statement anywhere in `source` names (import a.b -> a.b; from a.b
    import c -> a.b and a.b.c), relative imports left out. Only statements are visited: an import is
    a statement, so it sits in some statement list (a module's, a function's, a branch's...), never
    inside an expression; skipping the expressions makes the scan several times faster."""
    return _statement_imports(ast.parse(source, filename))


def _statement_imports(tree: ast.Module) -> frozenset[str]:
    names = set()
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
        else:  # the statement lists nested in this statement
            for field in ("body", "orelse", "finalbody"):
                todo.extend(getattr(node, field, None) or ())
            for part in [*getattr(node, "handlers", ()), *getattr(node, "cases", ())]:
                todo.extend(part.body)
    return frozenset(names)


class ImportScanCache:
    """imported_names of files, kept between Snakemake starts in a JSON file keyed on each file's
    content (SHA-256 of its bytes): a start re-parses only the files whose bytes changed. The whole
    cache is dropped when the scanner (this module's bytes) or Python changes. Unreadable or
    unwritable cache file: the files are parsed, nothing is lost but time."""

    def __init__(self, path):
        self.path = Path(path)
        self.key = f"{sys.version} {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}"
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            self.stored = stored["names"] if stored.get("key") == self.key else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.stored = {}
        self.used = {}

    def names(self, path) -> frozenset[str]:
        """imported_names of the file `path`, from the cache when its bytes are known."""
        data = Path(path).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in self.used:
            known = self.stored.get(digest)
            if not (isinstance(known, list) and all(isinstance(name, str) for name in known)):
                known = imported_names(data, str(path))
            self.used[digest] = sorted(known)
        return frozenset(self.used[digest])

    def save(self) -> None:
        """Write the entries used since loading (those of files gone or changed are dropped), if
        they differ from what was read; atomically, so that parallel starts never read half a file."""
        if self.used == self.stored:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"key": self.key, "names": self.used}), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass


def imported_library_files(path, root, package: str = "upgrade_repro", names_of=None) -> frozenset[Path]:
    """The files of the library `package` (under `root`) that the Python file `path` imports itself
    (imported_names: every import statement anywhere in it): each module, each package's __init__.py
    on the way (upgrade_repro/ingest/__init__.py), and a module's package data of the same stem
    beside it (upgrade_repro/texts.yaml, read by texts.py). A rule's code inputs are these, followed
    through the library (project_imports in workflow/rules/common.smk). `names_of(path)` gives the
    names (an ImportScanCache's names; default: parse the file)."""
    names = names_of(path) if names_of else imported_names(Path(path).read_bytes(), str(path))
    root = os.fspath(root)
    return frozenset(Path(f) for name in names if name.split(".")[0] == package for f in _library_files(root, name))


@functools.cache
def _library_files(root: str, dotted: str) -> tuple[str, ...]:
    """The files behind one dotted name of the library (upgrade_repro.ingest.extracts.read_extracts:
    upgrade_repro/__init__.py, upgrade_repro/ingest/__init__.py, upgrade_repro/ingest/extracts.py).
    Cached: every script imports the same few names (one parse of the workflow checks each once)."""
    parts, found = dotted.split("."), []
    for k in range(1, len(parts) + 1):
        stem = os.path.join(root, *parts[:k])
        if os.path.isfile(os.path.join(stem, "__init__.py")):
            found.append(os.path.join(stem, "__init__.py"))
            continue
        if k > 1 and os.path.isfile(stem + ".py"):
            found.append(stem + ".py")
            if os.path.isfile(stem + ".yaml"):
                found.append(stem + ".yaml")
        break
    return tuple(found)


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


# ------------------------------------------------------------- the report's provenance of the rules
# Read from the parsed workflow's rules (Snakemake's Rule objects: the report rule's params), so
# that the report's tables cannot drift from the rules.
def output_provenance(rules, root, skip=()) -> list[dict]:
    """(output, rule, script) of every output of every rule but those named in `skip` (the
    deposit's: they make no output of the analysis), the script relative to the workflow's
    directory `root` ('' for a script-less rule, with run: or shell:)."""
    rows = []
    for r in [r for r in rules if r.name not in skip]:
        script = ""
        if r.script is not None:
            path = os.path.normpath(r.basedir.join(r.script).get_path_or_uri(secret_free=True))
            script = Path(os.path.relpath(path, root)).as_posix()
        rows += [{"output": str(out), "rule": r.name, "script": script} for out in r.output]
    return rows


def rule_code_files(rows, imports_of, root) -> list[str]:
    """Every rule's script (`rows`: output_provenance) and the library modules it imports
    (`imports_of`: common.smk's project_imports), sorted, relative to the working directory: the
    code whose imported distributions make the report's software table (the Python files: a
    module's package data, such as the text catalogue, imports nothing)."""
    scripts = {row["script"] for row in rows if row["script"]}
    here = {Path(os.path.relpath(Path(root) / s)).as_posix() for s in scripts}
    return sorted({*here, *(m for s in scripts for m in imports_of(s) if m.endswith(".py"))})


def workflow_sources(rules) -> list[str]:
    """Every file a rule reads that no rule makes and that is not code (a .py file): the reference
    tables, the paper's published values, the text catalogue, the registry, the raw extracts...
    (an input given by a function is made by a rule), relative to the working directory."""
    found = set()
    for r in rules:
        for item in r.input:
            if not isinstance(item, str) or item.is_callable():
                continue
            path = Path(os.path.relpath(os.path.abspath(str(item)))).as_posix()
            if path.startswith("results/") or path.endswith(".py"):
                continue
            found.add(path)
    return sorted(found)


def git_state(root) -> dict:
    """Commit and dirty flag (uncommitted changes to tracked files) of the git repository whose
    root is `root` (the workflow's directory); 'unknown' without git or outside such a repository."""

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() != Path(root).resolve():
            raise ValueError("the workflow is not the root of its repository")
        return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
    except (OSError, ValueError, subprocess.CalledProcessError):
        return {"commit": "unknown", "dirty": "unknown"}
