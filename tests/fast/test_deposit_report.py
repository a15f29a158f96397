"""What the verification report does with values from a zip (upgrade_repro/deposit/report.py): a
CSV cell a spreadsheet would compute is neutralised; names with HTML stay text once the Markdown is
rendered to HTML (a CommonMark renderer, markdown-it-py), as they do in the reproduction report's
Markdown (reporting.markdown_escape), apostrophes kept; the class of a rerun and the paper's numbers
beside it (verdict.py, paper.py). Fast."""

import csv
import io
import os
import re

import pandas as pd
import pytest
from conftest import ROOT

from upgrade_repro.deposit.compare import compare_output, within_last_digit
from upgrade_repro.deposit.manifest import hash_row
from upgrade_repro.deposit.paper import table1_against_paper
from upgrade_repro.deposit.report import csv_text, neutralise_cell, render_verification
from upgrade_repro.deposit.verdict import reproduction_class, verification_summary
from upgrade_repro.report import make_environment, markdown_escape, report_messages

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<!-- comment -->",
    "&#x3C;script&#x3E;",
    "`code` *em* _em_ | pipe",
]
APOSTROPHE = "Xi'an's table.csv"


def markdown_to_html(text: str) -> str:
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("markdown-it-py is not installed (requirements.lock pins it; CI installs it)")
    return MarkdownIt("commonmark").enable("table").render(text)


@pytest.mark.parametrize("value", [*HOSTILE, APOSTROPHE])
def test_a_value_in_markdown_renders_as_its_text(value):
    html = markdown_to_html(f"| a | {markdown_escape(value)} |\n|---|---|\n| b | {markdown_escape(value)} |\n")
    assert not re.search(r"<(script|img|a|em|code|!--)\b", html), html
    assert "&#39;" not in markdown_escape(value)
    cell = re.findall(r"<td>(.*?)</td>", html)[1]
    unescaped = cell.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    assert unescaped == value


def test_the_reproduction_reports_markdown_keeps_data_values_inert():
    """A region name and a title from config through the report's own environment (m() texts)."""
    env = make_environment(ROOT / "report", report_messages("en"), "md")
    for value in HOSTILE:
        out = env.from_string("# {{ title }}\n\n| {{ region }} | 1 |\n|---|---|\n").render(title=value, region=value)
        assert not re.search(r"<(script|img|a|em|!--)\b", markdown_to_html(out))


def report_with(names):
    rows = [{"path": n, "status": "differs", "detail": "", "facts": [["missing_regenerated", {}]]} for n in names]
    hashes = [hash_row(n, "not in manifest") for n in names]
    meta = {"name": "p", "version": "1", "zip": "p.zip", "zip_sha256": "0" * 64, "unpacked": "u", "command": ""}
    meta.update(exit_code=0, sandbox="bubblewrap", versions=[])
    summary = verification_summary(rows, hashes)
    return render_verification({"rows": rows, "hash_rows": hashes, "summary": summary, "meta": meta}, "en")


def test_names_from_the_zip_stay_text_in_both_reports():
    names = [f"p-1/{h}" for h in HOSTILE] + [f"p-1/{APOSTROPHE}", "p-1/\U0001f600.csv"]
    html, md = report_with(names)
    rendered = markdown_to_html(md)
    for page in (html, rendered):
        assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript' not in page
    assert APOSTROPHE in md and "&#39;" not in md
    assert "\U0001f600" in html and "\U0001f600" in md  # an emoji name: shown, no font error


def test_csv_cells_that_would_be_formulas_are_neutralised():
    for cell in ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise_cell(cell) == "'" + cell
    assert neutralise_cell("results/tables/t.csv") == "results/tables/t.csv"
    rows = [hash_row("=cmd|' /C calc'!A0", "not in manifest")]
    text = csv_text(rows, [], [])
    read = list(csv.DictReader(io.StringIO(text)))
    assert read[0]["path"] == "'=cmd|' /C calc'!A0" and read[0]["kind"] == "hash"
    assert not any(v.startswith(("=", "+", "-", "@")) for r in read for v in r.values())


def test_the_class_of_a_rerun():
    match = {"path": "a", "status": "identical"}
    differs = {"path": "b", "status": "differs"}
    missing = {"path": "c", "status": "missing"}
    assert reproduction_class([match], True, set()) == "reproduced"
    assert reproduction_class([match, differs], True, {"b"}) == "minor discrepancies"
    assert reproduction_class([match, differs, missing], True, {"b"}) == "partially reproduced"
    assert reproduction_class([differs, missing], True, set()) == "not reproduced"
    assert reproduction_class([match], False, set()) == "not reproduced"
    summary = verification_summary([match], [], [{"path": "Snakefile", "status": "modified"}])
    assert summary["verdict"] == "not verified: modified code" and not summary["verified"]
    accepted = verification_summary([match], [], [{"path": "Snakefile", "status": "modified"}], accepted=True)
    assert accepted["verdict"] == "verified, modified code accepted" and accepted["accepted_modified_code"]


def test_a_difference_in_the_last_digit_is_minor(tmp_path):
    for side, mean in (("a", "0.1234"), ("b", "0.1235"), ("c", "0.1250")):
        (tmp_path / side / "results").mkdir(parents=True)
        (tmp_path / side / "results/t.csv").write_text(f"variable,mean\nupgrade,{mean}\n", encoding="utf-8")
    a, b, c = (tmp_path / s / "results/t.csv" for s in "abc")
    assert compare_output("results/t.csv", a, b)["status"] == "differs"
    assert within_last_digit("results/t.csv", a, b) and not within_last_digit("results/t.csv", a, c)
    assert compare_output("results/t.csv", a, b)["status"] == "differs"  # the slack does not stay on


def test_table1_against_the_paper_counts_as_the_verify_stage_does(tmp_path):
    """The published Table 1 itself, reproduced: 15 of 15; one mean off by more than half a unit of
    its last decimal: 14, naming it; counted by hand from the published decimals."""
    published = pd.read_csv(ROOT / "data/published/table1.csv", dtype=str)
    (tmp_path / "results/tables").mkdir(parents=True)
    (tmp_path / "results/data").mkdir(parents=True)
    indicators = pd.DataFrame(
        {"code": ["110000"], "province": ["北京"], "year": [2008], "upgrade": [1.0], "service": [0.5], "cyig": [2.0]}
    )
    indicators.to_csv(tmp_path / "results/data/indicators.csv", index=False)
    table = published.copy()
    table.to_csv(tmp_path / "results/tables/table1.csv", index=False)
    assert {k: table1_against_paper(tmp_path)[k] for k in ("n", "n_pass")} == {"n": 15, "n_pass": 15}
    forged = published.copy()
    mean = float(forged.loc[forged["variable"] == "upgrade", "mean"].iloc[0])
    forged.loc[forged["variable"] == "upgrade", "mean"] = str(mean + 0.3)  # the forged 1.468
    forged.to_csv(tmp_path / "results/tables/table1.csv", index=False)
    found = table1_against_paper(tmp_path)
    by_hand = sum(
        abs(float(f) - float(p)) <= 0.5 * 10 ** -len(p.partition(".")[2]) * (1 + 1e-9)
        for (_, fr), (_, pr) in zip(forged.iterrows(), published.iterrows())
        for f, p in zip(fr[1:], pr[1:])
    )
    assert found["n_pass"] == by_hand == 14
    assert found["failed"] == [{"variable": "upgrade", "statistic": "mean"}]
    assert table1_against_paper(tmp_path / "nothing") == {"error": "no_table1"}


@pytest.mark.parametrize("state", ["bubblewrap", "off", "unavailable"])
def test_the_first_lines_say_how_the_deposits_code_ran(state):
    rows = [{"path": "results/t.csv", "status": "identical", "detail": "", "facts": []}]
    meta = {"name": "p", "version": "1", "zip": "p.zip", "zip_sha256": "0" * 64, "unpacked": "u", "command": ""}
    meta.update(exit_code=0, sandbox=state, versions=[])
    summary = verification_summary(rows, [])
    html, md = render_verification({"rows": rows, "hash_rows": [], "summary": summary, "meta": meta}, "en")
    first = md.split("## ")[0]
    expected = {"bubblewrap": "ran in a bubblewrap sandbox", "off": "(--no-sandbox)", "unavailable": "not available"}
    assert expected[state] in first and expected[state] in html.split('<p class="subtitle">')[0]


def test_without_bubblewrap_the_verifier_says_so_in_one_line_before_it_starts(tmp_path, monkeypatch, capsys):
    from upgrade_repro.deposit import sandbox
    from upgrade_repro.deposit.verify import main

    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    assert main([str(tmp_path / "x.zip"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "no sandbox: bubblewrap (bwrap) is not available" in err[0]
    assert err[1].startswith("refused: x.zip: not a zip archive")
    assert main([str(tmp_path / "x.zip"), "--out", str(tmp_path / "out"), "--no-sandbox"]) == 2
    assert capsys.readouterr().err.startswith("--no-sandbox: the deposit's code runs bare")
