"""The workflow tier: tests that start Snakemake (a run, a dry run or its API; `pytest -m workflow`).
Each gets the marker `workflow` from this folder (tests/conftest.py)."""
