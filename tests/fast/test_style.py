"""Style: ruff (lint, format) and snakefmt as configured in pyproject.toml. (CI running exactly the
README's test command, both tiers: test_docs.py; `snakemake --lint`: tests/workflow/test_style.py.)"""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint_is_clean():
    proc = run("ruff", "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_python_is_formatted():
    proc = run("ruff", "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_snakefiles_are_formatted():
    proc = run("snakefmt", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr
