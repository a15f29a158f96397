"""Shared fixtures: paths, the real data in ../shared/data, a runner for the workflow."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def shared_file(relative: str) -> Path:
    """A file of ../shared/data; skips the test when it is absent, except under CI (then fails)."""
    path = SHARED_DATA / relative
    if not path.is_file():
        message = f"real data {path} not available"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: the shared data must be present)")
        pytest.skip(message)
    return path


@pytest.fixture
def eps_2008_2021() -> Path:
    return shared_file("eps/eps_long_2008_2021.csv")


@pytest.fixture
def eps_2022() -> Path:
    return shared_file("eps/eps_long_2022.csv")


WORKFLOW_FILES = ["Snakefile", "config.yaml", "workflow", "scripts", "upgrade_repro", "data", "report"]


def copy_workflow(dest: Path) -> Path:
    """A copy of the workflow (no results) in `dest`, to run without touching the checkout."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def run_snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(SNAKEMAKE), "--cores", "2", *args], cwd=workdir,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def workflow_copy(tmp_path) -> Path:
    return copy_workflow(tmp_path / "wf")
