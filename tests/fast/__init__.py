"""The fast tier: tests that never start Snakemake (`pytest -m "not workflow"`; see tests/conftest.py)."""
