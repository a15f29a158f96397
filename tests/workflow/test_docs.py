"""The README's rule graph is the workflow's (Snakemake draws it)."""

import rulegraph
from conftest import ROOT


def test_readme_rule_graph_is_the_workflows():
    """Regenerated from Snakemake's rule graph: fails when a rule or an edge changed without
    `python tools/rulegraph.py`."""
    fresh = rulegraph.mermaid_block(rulegraph.snakemake_rulegraph(ROOT))
    assert "r_ingest --> r_clean" in fresh and "r_report --> r_all" in fresh
    assert rulegraph.current_block((ROOT / "README.md").read_text(encoding="utf-8")) == fresh, (
        "README's rule graph is stale: run python tools/rulegraph.py"
    )
