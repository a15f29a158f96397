"""The README stays true to the repository: the template's sections are there, the package versions
are the lock's, CI runs the README's test command, the indicator block is the catalogue's and every
config key of the schema is documented (the rule graph, drawn by Snakemake: tests/workflow/test_docs.py)."""

import re
import tomllib

import rulegraph
import yaml
from conftest import ROOT, lock_versions
from packaging.requirements import Requirement

from upgrade_repro.indicators import (
    ALL_INDICATORS,
)

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


def test_readme_indicator_block_is_generated_from_the_catalogue():
    from upgrade_repro.catalogue import README_END, README_START, load_catalogue, readme_indicator_block

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = README_START + readme.split(README_START, 1)[1].split(README_END, 1)[0] + README_END
    assert shown == readme_indicator_block(load_catalogue(ROOT / "data" / "reference" / "indicators.yaml")), (
        "README's indicator block is out of step: run python tools/indicator_docs.py"
    )
    for key in ALL_INDICATORS:
        assert f"| `{key}` |" in shown


def schema_keys(schema, prefix=""):
    """Dotted leaf keys of the config schema (objects inside oneOf included)."""
    keys = {}
    branches = [schema] + schema.get("oneOf", [])
    props = {k: v for b in branches for k, v in b.get("properties", {}).items()}
    for name, sub in props.items():
        key = f"{prefix}{name}"
        nested = [b for b in [sub] + sub.get("oneOf", []) if "properties" in b]
        keys[key] = sub
        if nested:
            keys.update(schema_keys(sub, key + "."))
            if "oneOf" not in sub:
                del keys[key]
    return keys


def test_every_config_key_is_described_and_in_the_readme():
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    keys = schema_keys(schema)
    assert [k for k, sub in keys.items() if not sub.get("description")] == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `([\w.]+)` \|", section, flags=re.M))
    assert documented == set(keys)
