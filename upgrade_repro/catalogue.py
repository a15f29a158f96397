"""The indicator catalogue (data/reference/indicators.yaml): each indicator's names, definition,
formula, unit, direction and references, rendered from this one place into the report's
definitions block and the README's indicator block (tools/indicator_docs.py rewrites it; a test
checks it is in step)."""

from pathlib import Path

import yaml

CATALOGUE = "data/reference/indicators.yaml"
README_START = "<!-- indicators:start (python tools/indicator_docs.py; from data/reference/indicators.yaml) -->"
README_END = "<!-- indicators:end -->"


def load_catalogue(path=CATALOGUE) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def indicator_definitions(catalogue: dict, selected, language: str) -> list[dict]:
    """One entry per selected indicator, in the given order, with its texts in `language`."""
    return [
        {
            "key": key,
            "name": catalogue[key]["name"][language],
            "definition": catalogue[key]["definition"][language],
            "formula": catalogue[key]["formula"],
            "unit": catalogue[key]["unit"][language],
            "direction": catalogue[key]["direction"][language],
            "references": list(catalogue[key]["references"]),
        }
        for key in selected
    ]


def readme_indicator_block(catalogue: dict) -> str:
    """The README's table of every indicator (English texts, Chinese name), between the markers."""
    rows = [
        "| indicator | name | formula | direction | needs employment | reference |",
        "|---|---|---|---|---|---|",
    ]
    for d in indicator_definitions(catalogue, list(catalogue), "en"):
        entry = catalogue[d["key"]]
        employment = "yes" if any(s.startswith("employed") for s in entry["series"]) else "no"
        refs = "; ".join(r.replace("|", "/") for r in d["references"])
        formula = d["formula"].replace("|", "\\|")  # a bar inside a table cell, even in code
        rows.append(
            f"| `{d['key']}` | {entry['name']['zh']} ({d['name']}) | `{formula}` | {d['direction']} "
            f"| {employment} | {refs} |"
        )
    return "\n".join([README_START, *rows, README_END])


def replace_readme_block(readme: str, block: str) -> str:
    head, rest = readme.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    return head + block + tail
