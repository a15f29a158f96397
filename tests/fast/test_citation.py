"""CITATION.cff is valid Citation File Format 1.2.0 (the schema bundled with the PyPI package
cffconvert 2.0.0, copied to tests/data/cff-schema-1.2.0.json: no network at test time)."""

import json

import jsonschema
import yaml
from conftest import ROOT


def load_citation():
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_is_valid_cff_1_2_0():
    schema = json.loads((ROOT / "tests/data/cff-schema-1.2.0.json").read_text(encoding="utf-8"))
    assert schema["$id"].endswith("/1.2.0/schema.json")
    citation = load_citation()
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(citation)


def test_the_schema_catches_a_broken_citation():
    """The validation above can fail: a citation without authors, or with a bad date, does."""
    schema = json.loads((ROOT / "tests/data/cff-schema-1.2.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    broken = {k: v for k, v in load_citation().items() if k != "authors"}
    assert not validator.is_valid(broken)
    assert not validator.is_valid({**load_citation(), "date-released": "2025-13-45"})


def test_citation_names_the_paper_and_matches_the_project():
    citation = load_citation()
    project = __import__("tomllib").loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["version"] == project["version"] and citation["license"] == "MIT"
    paper = next(r for r in citation["references"] if r["type"] == "article")
    assert paper["title"] == "数字经济下产业结构升级的内涵、困境与路径" and paper["year"] == 2025
    assert "1671-1807(2025)04-0122-06" in paper["notes"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
