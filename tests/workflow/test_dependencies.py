"""Code inputs derived from imports (project_imports in workflow/rules/common.smk): editing any
module of the library reruns exactly the rules whose scripts import it, directly or through other
modules, and the rules downstream of those. The expected set is found a second way: each script is
imported in a fresh interpreter and the library modules it loaded are read from sys.modules; the
downstream rules come from Snakemake's rule graph."""

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from conftest import DEPOSIT_RULES, ROOT, clone_run, jobs_to_run, run_snakemake

# Imports each script (its `if __name__ == "__main__"` block does not run) and prints the library
# modules then loaded, by path (upgrade_repro/ingest/cells.py).
LOADED = """
import importlib.util, json, pathlib, sys
root = pathlib.Path.cwd().resolve()
loaded = {}
for script in sorted(pathlib.Path("scripts").glob("*.py")):
    for name in [m for m in sys.modules if m.split(".")[0] == "upgrade_repro"]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location("_script_" + script.stem, script)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    loaded[script.name] = sorted(pathlib.Path(m.__file__).resolve().relative_to(root).as_posix()
                                 for n, m in sys.modules.items() if n.split(".")[0] == "upgrade_repro")
print(json.dumps(loaded))
"""


# Rules that read a package data file as data besides the rules importing its module: the font
# subset covers every character of the text catalogue (REPORT_FONT_SOURCES in report.smk).
DATA_READERS = {"upgrade_repro/texts.yaml": {"report_font"}}


def library_files(root) -> list[str]:
    """The library's modules (subpackages too) and package data (the text catalogue), by path."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in (root / "upgrade_repro").rglob("*")
        if p.suffix in (".py", ".yaml") and "__pycache__" not in p.parts
    )


def modules_loaded_by_scripts(workdir) -> dict[str, set[str]]:
    env = dict(os.environ, PYTHONPATH=str(workdir))
    out = subprocess.run(
        [sys.executable, "-c", LOADED], cwd=workdir, env=env, capture_output=True, text=True, check=True
    ).stdout
    return {script: set(modules) for script, modules in json.loads(out).items()}


def rule_scripts(workdir) -> dict[str, str]:
    """rule -> script file name, read from the rule files' `script:` directives."""
    scripts = {}
    for smk in (workdir / "workflow" / "rules").glob("*.smk"):
        for rule, body in re.findall(r"^rule (\w+):\n(.*?)(?=^rule |\Z)", smk.read_text(encoding="utf-8"), re.M | re.S):
            script = re.search(r'script:\s*\n\s*"[./]*scripts/(\w+\.py)"', body)
            if script:
                scripts[rule] = script.group(1)
    return scripts


def downstream(workdir) -> dict[str, set[str]]:
    """rule -> the rules that use its outputs (directly), from `snakemake --rulegraph`."""
    dot = run_snakemake(workdir, "--rulegraph").stdout
    names = dict(re.findall(r"^\s*(\d+)\[label = \"(\w+)\"", dot, re.M))
    graph = {name: set() for name in names.values()}
    for source, target in re.findall(r"^\s*(\d+) -> (\d+)", dot, re.M):
        graph[names[source]].add(names[target])
    return graph


def with_downstream(rules: set[str], graph: dict[str, set[str]]) -> set[str]:
    todo, seen = list(rules), set(rules)
    while todo:
        for after in graph[todo.pop()] - seen:
            seen.add(after)
            todo.append(after)
    return seen


def test_editing_a_library_module_reruns_exactly_the_rules_importing_it(demo_run, tmp_path):
    loaded = modules_loaded_by_scripts(demo_run)
    graph = downstream(demo_run)
    # every rule of the default target but `all` runs a script; the deposit's rules are not in it
    scripts = rule_scripts(demo_run)
    assert set(scripts) - set(graph) == DEPOSIT_RULES
    scripts = {rule: script for rule, script in scripts.items() if rule in graph}
    assert set(scripts) == set(graph) - {"all"}
    assert jobs_to_run(demo_run) == {}
    files = library_files(demo_run)
    assert files == library_files(ROOT) and "upgrade_repro/ingest/extracts.py" in files

    def module_of(path: str) -> str:
        """A module's package data (upgrade_repro/texts.yaml) is read by its module (texts.py)."""
        return path if path.endswith(".py") else path.rsplit(".", 1)[0] + ".py"

    def expected(path: str) -> set[str]:
        users = {rule for rule, script in scripts.items() if module_of(path) in loaded[script]}
        return with_downstream(users | DATA_READERS.get(path, set()), graph)

    def edits(workdir, paths) -> list:
        """Each file of `paths` edited in `workdir` in turn, dry-run, restored: the files whose
        dry run differs from the expected rules, with both sets."""
        wrong = []
        for path in paths:
            # An edit, not a touch: Snakemake reruns nothing for a newer file with the same content.
            file = workdir / path
            source, stat = file.read_bytes(), file.stat()
            file.write_bytes(source + b"\n# edited\n")
            try:
                got = set(jobs_to_run(workdir))
            finally:
                file.write_bytes(source)
                os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            if got != expected(path):
                wrong.append((path, sorted(got), sorted(expected(path))))
        return wrong

    # Two copies of the finished run, half the files each, side by side (a dry run is one process).
    copies = [clone_run(demo_run, tmp_path / name) for name in ("a", "b")]
    assert [jobs_to_run(c) for c in copies] == [{}, {}]
    with ThreadPoolExecutor(len(copies)) as pool:
        found = list(pool.map(edits, copies, [files[i :: len(copies)] for i in range(len(copies))]))
    assert [w for part in found for w in part] == []
    # the test has teeth: some module is used by a few rules only, and one by none (start-up only)
    counts = [len(with_downstream({r for r, s in scripts.items() if module_of(f) in loaded[s]}, graph)) for f in files]
    assert 0 in counts and any(0 < n < len(graph) for n in counts)
