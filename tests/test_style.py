"""Style: ruff (lint, format) and snakefmt as configured in pyproject.toml. (CI running exactly the
README's test command, both tiers: tests/test_docs.py.)"""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent

# True once the code base has been formatted in one commit (ruff format; ruff check --select I
# --fix; snakefmt), after the branches written in parallel are merged (issue 14). Until then only
# the lint rules that need no reformatting are enforced, and the format checks are skipped.
FORMATTED = False
PENDING = "pending the one-commit mass format (issue 14): set FORMATTED = True in tests/test_style.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint_is_clean():
    proc = run("ruff", "check", *([] if FORMATTED else ["--extend-ignore", "I001"]), ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(not FORMATTED, reason=PENDING)
def test_python_is_formatted():
    proc = run("ruff", "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(not FORMATTED, reason=PENDING)
def test_snakefiles_are_formatted():
    proc = run("snakefmt", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr

