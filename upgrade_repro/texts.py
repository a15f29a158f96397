"""Language: every text a reader sees, in each of LANGUAGES, in one catalogue (upgrade_repro/texts.yaml,
package data: an installed wheel finds it next to this module), and its one loader.

An entry of the catalogue is either one text for every language or a mapping by language
({zh: ..., en: ...}); entries are grouped by where they are rendered (report, tables, figures,
manuscript, ...) and fetched by their dotted key:

    text("en", "tables.table1.caption")             # one text
    text("zh", "figures.map_title", span="2008—2021年")  # a str.format template, filled in
    texts("en", "figures")                          # a group: {"map_title": ..., ...}

The report's entries (group `report`) are Jinja2 templates, rendered by the report with its
variables through m('key') (upgrade_repro/report.py), and so are the deposit's verification report's
(group `verification_report`, upgrade_repro/deposit/findings.py and report.py); every other entry is plain text or a Python
str.format template ({name} fields). A text wrapped over several lines in the YAML is joined
without a space between Chinese characters (zh) and with one otherwise (load_messages).

Statistics modules return numbers and keys only; the code that renders an output (a table's
cells and notes, a figure, the report, the manuscript files) fetches its texts here.
"""

import functools
import re
from pathlib import Path

import yaml

from upgrade_repro.errors import InputError

LANGUAGES = ("zh", "en")
CATALOGUE = Path(__file__).with_suffix(".yaml")
# libyaml's parser when PyYAML has it (the same documents, about seven times faster: every job that
# renders text reads the catalogue), else PyYAML's own.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_language(language: str) -> str:
    """`language` if it is one of LANGUAGES; else an error naming config report.language."""
    if language not in LANGUAGES:
        raise InputError(f"language {language!r} not in {LANGUAGES}", file="config", where="report.language")
    return language


def load_messages(path, language: str) -> dict[str, str]:
    """A YAML file of texts (the catalogue, or any file in its format) -> {dotted key: text in
    `language`}. An entry is either one text for all languages or a mapping by language; a
    text's line breaks are where the YAML was wrapped (joined without a space in Chinese, with
    one in English)."""
    check_language(language)
    flat = {}

    def walk(node, prefix):
        if isinstance(node, dict) and set(node) & set(LANGUAGES) and not set(node) <= set(LANGUAGES):
            raise InputError(
                f"message {prefix!r} mixes languages with other keys {sorted(node)} "
                "(an unquoted comma in a {zh: ..., en: ...} entry?)",
                file=str(path),
            )
        if isinstance(node, dict) and set(node) <= set(LANGUAGES) and node:
            if language not in node:
                raise InputError(f"message {prefix!r} has no {language!r} text", file=str(path))
            node = node[language]
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else key)
        else:
            lines = [line.strip() for line in str(node).strip("\n").splitlines()]
            text = lines[0] if len(lines) > 1 else str(node)  # one line: kept as written
            for line in lines[1:]:
                text += _line_joiner(text, line, language) + line
            flat[prefix] = text

    walk(yaml.load(Path(path).read_text(encoding="utf-8"), Loader=YAML_LOADER), "")
    return flat


# Chinese characters and CJK punctuation: a text's Chinese (a check that an English output has
# none, a font's coverage, where a line may break); the one definition of it.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# ... and what a Chinese sentence joins without a space (its dash and curly quotes too)
_CJK = re.compile(r"[\u2014\u2018-\u201d\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_CJK_PUNCTUATION = re.compile(r"[\u2014\u2018-\u201d\u3000-\u303f\uff00-\uffef]")


def _line_joiner(before: str, after: str, language: str) -> str:
    """What replaces a wrapped line's break: nothing between Chinese characters or next to Chinese
    punctuation (Chinese has no spaces), a space otherwise (around numbers and Latin words)."""
    a, b = before[-1:], after[:1]
    if language == "zh" and (
        _CJK_PUNCTUATION.match(a) or _CJK_PUNCTUATION.match(b) or (_CJK.match(a) and _CJK.match(b))
    ):
        return ""
    return " "


class Texts(dict):
    """{key: text} of one language; a key it lacks is an error naming the key and the catalogue."""

    def __init__(self, items, where: str):
        super().__init__(items)
        self.where = where

    def __missing__(self, key):
        raise KeyError(f"no text {self.where + key!r} in {CATALOGUE.parent.name}/{CATALOGUE.name}")


@functools.cache
def _catalogue(language: str) -> dict[str, str]:
    return load_messages(CATALOGUE, language)


def texts(language: str, group: str = "") -> Texts:
    """The catalogue's texts in `language` under `group` (a dotted key prefix such as "figures" or
    "tables.table1"), keyed by the rest of their key; the whole catalogue without `group`."""
    every = _catalogue(language)
    if not group:
        return Texts(every, "")
    prefix = group + "."
    found = {key[len(prefix) :]: value for key, value in every.items() if key.startswith(prefix)}
    if not found:
        raise KeyError(f"no texts under {group!r} in {CATALOGUE.parent.name}/{CATALOGUE.name}")
    return Texts(found, prefix)


def text(language: str, key: str, **fields) -> str:
    """One text of the catalogue in `language`; with `fields`, its str.format fields filled in."""
    found = texts(language)[key]
    return found.format(**fields) if fields else found
