"""Rewrite the indicator block of docs/indicators.md from data/reference/indicators.yaml (a test
checks that the page is in step): python tools/indicator_docs.py"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from upgrade_repro.catalogue import load_catalogue, readme_indicator_block, replace_readme_block

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    page = ROOT / "docs" / "indicators.md"
    catalogue = load_catalogue(ROOT / "data" / "reference" / "indicators.yaml")
    page.write_text(
        replace_readme_block(page.read_text(encoding="utf-8"), readme_indicator_block(catalogue)), encoding="utf-8"
    )
