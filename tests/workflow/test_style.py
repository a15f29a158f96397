"""Style of the workflow: `snakemake --lint` is clean (ruff and snakefmt: tests/fast/test_style.py)."""

from conftest import ROOT, run_snakemake


def test_lint_is_clean():
    proc = run_snakemake(ROOT, "--lint")
    assert "Congratulations" in proc.stdout + proc.stderr
