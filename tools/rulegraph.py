"""The rule graph of the workflow, drawn by Snakemake, as the Mermaid block between the markers
in docs/workflow.md (GitHub renders it). Snakemake's `--rulegraph mermaid-js` numbers the rules and
lists the edges in no fixed order; this names the nodes by rule and sorts the edges, so that the
block changes only when the workflow does (tests/workflow/test_docs.py fails when the block is out
of step).

    python tools/rulegraph.py            # rewrite docs/workflow.md's block from the workflow
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "workflow.md"  # the page that shows the rule graph
START, END = "<!-- rulegraph:start (python tools/rulegraph.py) -->", "<!-- rulegraph:end -->"


def snakemake_rulegraph(root=ROOT) -> str:
    snakemake = Path(sys.executable).with_name("snakemake")
    return subprocess.run(
        [str(snakemake), "--rulegraph", "mermaid-js"], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def mermaid_block(rulegraph: str) -> str:
    """Snakemake's mermaid output -> a fenced block: rules by name, edges sorted."""
    names = dict(re.findall(r"^\s*(id\d+)\[(\w+)\]\s*$", rulegraph, re.M))
    edges = sorted({(names[a], names[b]) for a, b in re.findall(r"^\s*(id\d+) --> (id\d+)\s*$", rulegraph, re.M)})
    if not names or not edges:
        raise ValueError("no rules or no edges in Snakemake's rule graph")
    lines = ["```mermaid", "flowchart LR"]
    lines += [f"  r_{n}[{n}]" for n in sorted(names.values())]
    lines += [f"  r_{a} --> r_{b}" for a, b in edges]
    return "\n".join(lines + ["```"])


def replace_block(text: str, block: str) -> str:
    start, end = text.index(START) + len(START), text.index(END)
    return text[:start] + "\n" + block + "\n" + text[end:]


def current_block(text: str) -> str:
    return text[text.index(START) + len(START) : text.index(END)].strip("\n")


def main() -> None:
    path = DOC
    path.write_text(
        replace_block(path.read_text(encoding="utf-8"), mermaid_block(snakemake_rulegraph())), encoding="utf-8"
    )
    print(f"updated the rule graph in {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
