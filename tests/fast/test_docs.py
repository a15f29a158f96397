"""The README and docs/ stay true to the repository: the README has the template's sections and links
every page of docs/, every relative link resolves, the package versions are the lock's, CI runs the
README's test command, the indicator block is the catalogue's, every config key of the schema is
documented and the module table names every module of the library once (the rule graph, drawn by
Snakemake: tests/workflow/test_docs.py)."""

import re
import tomllib
import unicodedata

import rulegraph
import yaml
from conftest import ROOT, lock_versions
from packaging.requirements import Requirement

from upgrade_repro.indicators import ALL_INDICATORS

README = ROOT / "README.md"
DOCS = ROOT / "docs"


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
        "List of reproduced items",
        "Documentation",
        "Repository layout",
        "References",
    ):
        assert any(h.startswith(section) for h in headings), section
    # the reference chapters moved to docs/ (the EPS export's how-to among them)
    assert "## Running on an EPS export" in (DOCS / "data.md").read_text(encoding="utf-8")


def slug(title: str) -> str:
    """GitHub's anchor of a heading: lower case, code marks and punctuation out (letters of any
    script, digits, spaces, hyphens and underscores kept), spaces to hyphens."""
    text = title.replace("`", "").lower()
    return "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN").replace(" ", "-")


def headings(text: str) -> set[str]:
    """The anchors of a Markdown file's headings (not of lines in fenced code that start with #)."""
    found, fenced = set(), False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"^#{1,6} (.+)$", line)):
            found.add(slug(m.group(1)))
    return found


def relative_links(text: str) -> list[str]:
    """Targets of the Markdown links that are not web addresses or mail (in text, not in code)."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    text = re.sub(r"`[^`\n]*`", "", text)
    return [t for t in re.findall(r"\]\(([^)\s]+)\)", text) if not re.match(r"[a-z]+:", t)]


def test_readme_links_every_doc_and_every_relative_link_resolves():
    pages = sorted(DOCS.glob("*.md"))
    assert len(pages) >= 12
    linked = {ROOT / t.split("#")[0] for t in relative_links(readme())}
    assert [p.name for p in pages if p not in linked] == []  # each page one step from the README
    broken = []
    for source in [README, *pages]:
        text = source.read_text(encoding="utf-8")
        for target in relative_links(text):
            path, _, anchor = target.partition("#")
            file = (source.parent / path).resolve() if path else source
            if not file.exists():
                broken.append(f"{source.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and (file.suffix != ".md" or anchor not in headings(file.read_text(encoding="utf-8"))):
                broken.append(f"{source.relative_to(ROOT)}: {target} (no such heading)")
    assert broken == []


def test_the_link_check_finds_a_broken_link():
    """The check above can fail: a missing file, a missing heading and a heading in fenced code."""
    text = "# A `b` (c)\n\n```\n# not a heading\n```\n[x](nowhere.md) [y](#a-b-c) [z](#not-a-heading) `[w](code.md)`\n"
    assert relative_links(text) == ["nowhere.md", "#a-b-c", "#not-a-heading"]
    assert headings(text) == {"a-b-c"}
    assert slug("Map boundaries and the 审图号") == "map-boundaries-and-the-审图号"
    assert slug("Data editor's checks") == "data-editors-checks"


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


def test_indicator_block_is_generated_from_the_catalogue():
    from upgrade_repro.catalogue import README_END, README_START, load_catalogue, readme_indicator_block

    page = (DOCS / "indicators.md").read_text(encoding="utf-8")
    shown = README_START + page.split(README_START, 1)[1].split(README_END, 1)[0] + README_END
    assert shown == readme_indicator_block(load_catalogue(ROOT / "data" / "reference" / "indicators.yaml")), (
        "docs/indicators.md's indicator block is out of step: run python tools/indicator_docs.py"
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


def test_every_config_key_is_described_and_documented():
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    keys = schema_keys(schema)
    assert [k for k, sub in keys.items() if not sub.get("description")] == []
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    section = page.split("# Configuration")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `([\w.]+)` \|", section, flags=re.M))
    assert documented == set(keys)


def test_the_module_table_names_every_module_of_the_library_once():
    """docs/workflow.md's table of the library: each module (or subpackage) of upgrade_repro in the first
    column exactly once, and nothing else there (it once listed `catalogue` twice and `provenance` never)."""
    page = (DOCS / "workflow.md").read_text(encoding="utf-8")
    table = page.split("## The library, module by module")[1].split("\n## ")[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    named = [name for cell in rows for name in re.findall(r"`(\w+)`", cell)]
    library = ROOT / "upgrade_repro"
    modules = {p.stem for p in library.glob("*.py") if p.stem != "__init__"}
    modules |= {p.parent.name for p in library.glob("*/__init__.py")}
    assert sorted(named) == sorted(modules)
