"""The reference tables that name things: the indicator catalogue (data/reference/indicators.yaml:
each indicator's names, definition, formula, unit, direction and references) and the human names of
the region schemes (data/reference/region_scheme_names.csv). Every table, figure, the report and
the README name an indicator or a scheme through these functions, so that one edit renames it
everywhere (the rules list both files as inputs, so an edit reruns them; tools/indicator_docs.py
rewrites the README's indicator block, and a test checks it is in step)."""

from pathlib import Path

import pandas as pd
import yaml

from upgrade_repro.errors import ConfigError
from upgrade_repro.texts import LANGUAGES

CATALOGUE = "data/reference/indicators.yaml"
README_START = "<!-- indicators:start (python tools/indicator_docs.py; from data/reference/indicators.yaml) -->"
README_END = "<!-- indicators:end -->"


def load_catalogue(path=CATALOGUE) -> dict:
    """indicators.yaml as {indicator: entry}; each entry needs a name in every language."""
    catalogue = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for key, entry in catalogue.items():
        missing = [lang for lang in LANGUAGES if not (entry.get("name") or {}).get(lang)]
        if missing:
            raise ConfigError(f"indicator {key!r} has no name in {missing}", file=str(path), where=f"{key}.name")
    return catalogue


def indicator_names(catalogue: dict, language: str) -> dict[str, str]:
    """Indicator -> its name in `language`."""
    return {key: entry["name"][language] for key, entry in catalogue.items()}


def indicator_units(catalogue: dict, language: str) -> dict[str, str]:
    """Indicator -> its unit in `language` (a trend coefficient is '<unit> per year')."""
    return {key: entry["unit"][language] for key, entry in catalogue.items() if "unit" in entry}


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


def scheme_name(path, scheme: str, language: str) -> str:
    """The human name of region scheme `scheme` (a column of region_schemes.csv) in `language`."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("scheme")
    if scheme not in table.index:
        raise ConfigError(
            f"region scheme {scheme!r} has no name; add a row to {path} (schemes named: {sorted(table.index)})",
            file=str(path),
        )
    return table.loc[scheme, f"name_{language}"]


def region_label_names(path, language: str) -> dict[str, str]:
    """Region label of a scheme (东部, ...) -> its name in `language`, from region_labels.csv
    (label,name_en): the Chinese label itself in zh. A label without a row stays as it is in zh and is
    an error in en, so no English output shows an untranslated region."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if language == "zh":
        return dict(zip(table["label"], table["label"]))
    return dict(zip(table["label"], table[f"name_{language}"]))


def region_label(names: dict[str, str], label: str, path) -> str:
    """One region label in the output language (`names` from region_label_names)."""
    if label not in names:
        raise ConfigError(f"region {label!r} has no translation; add a row to {path}", file=str(path))
    return names[label]


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
