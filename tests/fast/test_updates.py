"""Updating with new years: no year is hard-coded in the code, the rule files or the templates."""

import re
import tokenize

from conftest import ROOT

YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
YEAR_SPAN = re.compile(r"(19|20)\d\d\s*[—–-]\s*(19|20)\d\d")


def hard_coded_years(path):
    """Year literals in code (1950-2049), and typed year spans in non-docstring strings."""
    hits, previous = [], tokenize.NEWLINE
    with open(path, encoding="utf-8") as f:
        for tok in tokenize.generate_tokens(f.readline):
            docstring = tok.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.NL)
            if (tok.type == tokenize.NUMBER and YEAR.match(tok.string)) or (
                tok.type == tokenize.STRING and not docstring and YEAR_SPAN.search(tok.string)
            ):
                hits.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.line.strip()}")
            if tok.type not in (tokenize.COMMENT,):
                previous = tok.type
    return hits


def test_no_year_is_hard_coded_in_code_or_templates():
    code = [
        ROOT / "Snakefile",
        *ROOT.glob("workflow/**/*.smk"),
        *ROOT.glob("scripts/*.py"),
        *ROOT.glob("upgrade_repro/*.py"),
    ]
    hits = [hit for p in code for hit in hard_coded_years(p)]
    # templates and captions are text: no year at all
    year = re.compile(r"(?<![\d.])(19[5-9]\d|20[0-4]\d)(?!\d)")
    text = [p for p in [*ROOT.glob("report/**/*"), *ROOT.glob("workflow/report/*")] if p.is_file()]
    hits += [
        f"{p.relative_to(ROOT)}:{i}"
        for p in text
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if year.search(line)
    ]
    assert hits == []
