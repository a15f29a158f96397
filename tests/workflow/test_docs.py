"""The rule graph in docs/workflow.md is the workflow's (Snakemake draws it)."""

import rulegraph
from conftest import ROOT


def test_the_documented_rule_graph_is_the_workflows():
    """Regenerated from Snakemake's rule graph: fails when a rule or an edge changed without
    `python tools/rulegraph.py`."""
    fresh = rulegraph.mermaid_block(rulegraph.snakemake_rulegraph(ROOT))
    assert "r_ingest --> r_clean" in fresh and "r_report --> r_all" in fresh
    assert rulegraph.current_block(rulegraph.DOC.read_text(encoding="utf-8")) == fresh, (
        "docs/workflow.md's rule graph is stale: run python tools/rulegraph.py"
    )
