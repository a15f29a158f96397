"""The tier is where a test lives (tests/conftest.py): pytest run on a small test tree that uses this
conftest gives every test under workflow/ the `workflow` marker, fails a test in fast/ that starts
Snakemake, and refuses a test in fast/ marked `workflow`. No Snakemake is started: the guard stops
run_snakemake before it does."""

import os
import shutil
import subprocess
import sys

from conftest import ROOT, TESTS

FAST = """
from conftest import require_workflow_marker, run_snakemake


def test_plain():
    assert True


def test_starts_snakemake(tmp_path):
    run_snakemake(tmp_path, "--version")
"""
WORKFLOW = """
import pytest
from conftest import require_workflow_marker


def test_may_start_snakemake():
    require_workflow_marker()


@pytest.mark.parametrize("n", [1, 2])
def test_each_case(n):
    require_workflow_marker()
"""
MARKED_IN_FAST = """
import pytest


@pytest.mark.workflow
def test_in_the_wrong_folder():
    pass
"""


def suite(tmp_path, files: dict[str, str]):
    """A copy of the tests' shared helpers with `files` beside them, the project's inputs linked."""
    root = tmp_path / "project"
    tests = root / "tests"
    for folder in ("fast", "workflow"):
        (tests / folder).mkdir(parents=True)
        (tests / folder / "__init__.py").write_text('"""tier"""\n', encoding="utf-8")
    for helper in ("conftest.py", "extract_writers.py"):
        shutil.copy2(TESTS / helper, tests / helper)
    for name in ("config.yaml", "data", "report", "upgrade_repro"):
        (root / name).symlink_to(ROOT / name)
    for path, text in files.items():
        (tests / path).write_text(text, encoding="utf-8")
    return root


def pytest_run(root, *args):
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", "tests", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_folder_sets_the_tier_and_guards_it(tmp_path):
    """`-m "not workflow"` deselects the tests of workflow/ (marked from the folder before -m
    selects), runs those of fast/, and fails the one that starts Snakemake there."""
    root = suite(tmp_path, {"fast/test_a.py": FAST, "workflow/test_b.py": WORKFLOW})
    proc = pytest_run(root, "-m", "not workflow")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "PASSED tests/fast/test_a.py::test_plain" in out
    assert "FAILED tests/fast/test_a.py::test_starts_snakemake" in out
    assert "starts Snakemake: move it to tests/workflow/" in out
    assert "1 failed, 1 passed, 3 deselected" in out


def test_a_test_marked_workflow_in_fast_stops_the_collection(tmp_path):
    root = suite(tmp_path, {"fast/test_c.py": MARKED_IN_FAST})
    proc = pytest_run(root, "-m", "not workflow")
    assert proc.returncode == 4, proc.stdout + proc.stderr  # pytest's usage error
    assert "tests/fast/test_c.py::test_in_the_wrong_folder" in proc.stderr
