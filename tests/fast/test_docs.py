"""The README stays true to the repository: the template's sections are there, the rule graph is
the workflow's, the package versions are the lock's, and CI runs the README's test command."""

import re
import tomllib

import pytest
import rulegraph
from conftest import ROOT
from packaging.requirements import Requirement
from test_project import lock_versions

README = ROOT / "README.md"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def fenced_commands(text: str) -> list[str]:
    return [line for block in re.findall(r"```bash\n(.*?)```", text, re.S) for line in block.splitlines()]


def test_readme_has_the_sections_of_the_data_editors_template():
    headings = re.findall(r"^#{2,3} (.+)$", readme(), re.M)
    for section in (
        "Overview",
        "Data availability and provenance",
        "Statement of rights",
        "Licences",
        "Computational requirements",
        "Software",
        "Hardware",
        "Runtimes (measured)",
        "Instructions",
        "Running on an EPS export",
        "List of reproduced items",
        "References",
    ):
        assert any(h.startswith(section) for h in headings), section


@pytest.mark.workflow
def test_readme_rule_graph_is_the_workflows():
    """Regenerated from Snakemake's rule graph: fails when a rule or an edge changed without
    `python tools/rulegraph.py`."""
    fresh = rulegraph.mermaid_block(rulegraph.snakemake_rulegraph(ROOT))
    assert "r_ingest --> r_clean" in fresh and "r_report --> r_all" in fresh
    assert rulegraph.current_block(readme()) == fresh, "README's rule graph is stale: run python tools/rulegraph.py"


def test_rule_graph_block_is_rebuilt_by_name_and_sorted():
    raw = (
        "flowchart TB\n\tid0[all]\n\tid1[clean]\n\tid2[ingest]\n\tstyle id0 fill:#D95757\n"
        "\tid1 --> id0\n\tid2 --> id1\n"
    )
    shuffled = raw.replace("\tid1 --> id0\n\tid2 --> id1\n", "\tid2 --> id1\n\tid1 --> id0\n")
    block = rulegraph.mermaid_block(raw)
    assert block == rulegraph.mermaid_block(shuffled)
    assert block.splitlines()[-3:] == ["  r_clean --> r_all", "  r_ingest --> r_clean", "```"]
    text = f"a\n{rulegraph.START}\nold\n{rulegraph.END}\nb\n"
    assert rulegraph.current_block(rulegraph.replace_block(text, block)) == block


def test_readme_versions_are_the_locked_ones():
    block = readme().split("<!-- versions:start")[1].split("<!-- versions:end -->")[0]
    listed = dict(re.findall(r"^\| ([\w.-]+) \| ([\w.]+) \|", block, re.M))
    listed.pop("package", None)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [Requirement(r).name for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    pins = lock_versions()
    assert listed == {n: pins[re.sub(r"[-_.]+", "-", n).lower()] for n in declared}


def test_ci_runs_exactly_the_readme_test_command():
    commands = fenced_commands(readme())
    tests = [c for c in commands if "pytest" in c and "requirements.lock" in c]
    assert len(tests) == 1
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert tests[0] in ci
    assert '-m "not workflow"' in tests[0] and "-m workflow" in tests[0]  # both tiers, the fast one first


def test_readme_installs_from_the_lock():
    first = next(c for c in fenced_commands(readme()) if "snakemake --cores 4" in c)
    assert first.startswith("python3 -m venv .venv && .venv/bin/pip install -q -r requirements.lock")
    assert "--no-deps -e ." in first
