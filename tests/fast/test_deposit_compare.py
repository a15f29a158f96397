"""A deposit's outputs against a rerun's (upgrade_repro/deposit/compare.py), the verdict
(verdict.py) and the verification report (report.py), on pairs of small hand-made files."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

from upgrade_repro.deposit import compare as dc
from upgrade_repro.deposit.findings import render_detail
from upgrade_repro.deposit.manifest import HASH_STATUSES, hash_row
from upgrade_repro.deposit.report import render_verification, verification_meta
from upgrade_repro.deposit.verdict import CLASSES, CODE_STATUSES, verification_summary
from upgrade_repro.report import make_environment, report_messages
from upgrade_repro.texts import texts

TEMPLATES = ROOT / "report"


def render(rows, hashes, meta, language, **context):
    """(html, md) of the verification report of these output and manifest rows."""
    summary = verification_summary(rows, hashes)
    return render_verification(
        {"rows": rows, "hash_rows": hashes, "summary": summary, "meta": meta, **context}, language
    )


def pair(tmp_path, path: str, deposited, regenerated) -> tuple[Path, Path]:
    """Write the two versions of output `path` under tmp/deposit and tmp/rerun (None = absent)."""
    out = []
    for side, content in (("deposit", deposited), ("rerun", regenerated)):
        full = tmp_path / side / path
        full.parent.mkdir(parents=True, exist_ok=True)
        if content is not None:
            full.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        out.append(full)
    return out[0], out[1]


def compare(tmp_path, path, deposited, regenerated, **kw) -> dict:
    """compare_output's path, status and (English) detail; the phrases behind it are tested apart."""
    found = dc.compare_output(path, *pair(tmp_path, path, deposited, regenerated), **kw)
    assert render_detail(found["facts"], "en") == found["detail"]
    return {k: found[k] for k in ("path", "status", "detail")}


TABLE = "variable,n,mean,sd\nupgrade,420,{mean},0.5\nservice,420,0.46,0.1\n"


def test_identical_bytes(tmp_path):
    text = TABLE.format(mean="0.1234")
    assert compare(tmp_path, "results/tables/t.csv", text, text) == {
        "path": "results/tables/t.csv",
        "status": "identical",
        "detail": "",
    }


def layout(decimals: int) -> str:
    """The printed table (tables.table_layout) beside a csv: its cells at `decimals`."""
    rows = [["upgrade", "420", f"{0.1234:.{decimals}f}"], ["service", "420", f"{0.46:.{decimals}f}"]]
    return json.dumps({"caption": "表 1", "heads": ["变量", "N", "平均值"], "rows": rows, "notes": [], "left": 1})


def test_csv_equal_at_the_precision_its_table_prints_but_not_in_bytes(tmp_path):
    pair(tmp_path, "results/tables/t.json", layout(4), layout(4))
    found = compare(tmp_path, "results/tables/t.csv", TABLE.format(mean="0.12340001"), TABLE.format(mean="0.1234"))
    assert found["status"] == "equal at printed precision"
    assert found["detail"] == (
        "bytes differ; every cell and number equal at the precision printed; "
        "numbers compared at the 4 decimals its printed table (t.json) shows"
    )
    # a difference the printed table shows
    found = compare(tmp_path, "results/tables/t.csv", TABLE.format(mean="0.12340001"), TABLE.format(mean="0.12351"))
    assert found["status"] == "differs"
    assert found["detail"].startswith("row 2 (upgrade), column 'mean': 0.12340001 deposited, 0.12351 regenerated")


@pytest.mark.parametrize(
    "a, b, status",
    [
        ("0.12340001", "0.1234", "differs"),  # no printed table: the csv's own digits count
        ("0.5", "0.54", "differs"),  # pandas writes 0.5 for 0.5 exactly: not a coarser precision
        ("0.30000000000000004", "0.3", "equal at printed precision"),  # floating-point noise
    ],
)
def test_csv_without_a_printed_table_compared_at_its_own_digits(tmp_path, a, b, status):
    assert compare(tmp_path, "results/data/d.csv", TABLE.format(mean=a), TABLE.format(mean=b))["status"] == status


def test_csv_that_differs_names_the_row_column_and_values(tmp_path):
    found = compare(tmp_path, "results/tables/t.csv", TABLE.format(mean="0.1234"), TABLE.format(mean="0.1235"))
    assert found == {
        "path": "results/tables/t.csv",
        "status": "differs",
        "detail": "row 2 (upgrade), column 'mean': 0.1234 deposited, 0.1235 regenerated",
    }


def test_csv_of_another_shape_or_text_differs(tmp_path):
    short = "variable,n,mean,sd\nupgrade,420,0.1,0.5\n"
    assert compare(tmp_path, "a.csv", TABLE.format(mean="0.1"), short)["detail"] == "3 rows deposited, 2 regenerated"
    renamed = TABLE.format(mean="0.1").replace("service", "cyig")
    assert compare(tmp_path, "b.csv", TABLE.format(mean="0.1"), renamed)["detail"] == (
        "row 3, column 'variable': service deposited, cyig regenerated"
    )


@pytest.mark.parametrize(
    "a, b, decimals, equal",
    [
        ("0.12340001", "0.1234", 4, True),  # at the decimals a table prints
        ("0.12340001", "0.1234", None, False),
        ("0.12345001", "0.1235", 4, True),
        ("0.1234", "0.1235", 4, False),
        ("0.5", "0.54", None, False),
        ("420", "421", None, False),
        ("420", "420.0", None, True),
        ("-0.000", "0.000", None, True),
        ("1e-05", "1.0e-05", None, True),
        # agree to 10 significant digits: floating-point noise
        ("0.45912345678901234", "0.45912345678901289", None, True),
        ("0.45912345678901234", "0.45912345778901234", None, False),  # the 9th significant digit
        ("2.5", "x", None, False),
    ],
)
def test_numbers_equal_at_printed_precision(a, b, decimals, equal):
    assert dc.numbers_equal(a, b, decimals) is equal
    assert dc.numbers_equal(b, a, decimals) is equal


def test_missing_on_either_side(tmp_path):
    assert compare(tmp_path, "a.csv", "x\n", None) == {
        "path": "a.csv",
        "status": "missing",
        "detail": "not made by the rerun",
    }
    assert compare(tmp_path, "b.csv", None, "x\n")["detail"] == "not in the deposit"


def test_text_numbers_compared_at_their_printed_digits(tmp_path):
    deposited = "表 1\n\n| upgrade | 420 | 1.2345 |\n| service | 420 | 0.4600 |\n"
    assert compare(tmp_path, "t.md", deposited, deposited.replace("1.2345", "1.23450"))["status"] == (
        "equal at printed precision"
    )
    assert compare(tmp_path, "w.md", deposited, deposited.replace("1.2345", "1.23450001"))["status"] == "differs"
    found = compare(tmp_path, "u.md", deposited, deposited.replace("0.4600", "0.4601"))
    assert found["status"] == "differs"
    assert found["detail"] == "line 4: '| service | 420 | 0.4600 |' deposited, '| service | 420 | 0.4601 |' regenerated"
    extra = compare(tmp_path, "v.tex", deposited, deposited + "extra\n")
    assert extra["detail"] == "line 5 of the regenerated file: 'extra', not in the deposited one"


def test_json_layout_cells_compared_as_printed(tmp_path):
    layout = {"caption": "表 1", "heads": ["变量", "平均值"], "rows": [["upgrade", "1.234"]], "notes": [], "left": 1}
    other = json.loads(json.dumps(layout))
    other["rows"][0][1] = "1.235"
    assert compare(tmp_path, "t.json", json.dumps(layout), json.dumps(layout, indent=1))["status"] == (
        "equal at printed precision"
    )
    assert compare(tmp_path, "u.json", json.dumps(layout), json.dumps(other))["detail"] == (
        'rows[0][1]: "1.234" deposited, "1.235" regenerated'
    )


def write_figure_pair(tmp_path, means_a: str, means_b: str):
    for side, means in (("deposit", means_a), ("rerun", means_b)):
        data = tmp_path / side / "results/data/province_means.csv"
        data.parent.mkdir(parents=True, exist_ok=True)
        data.write_text(means, encoding="utf-8")
    return pair(tmp_path, "results/figures/f.png", b"\x89PNG one", b"\x89PNG two")


def test_a_figure_is_compared_by_its_data_not_its_pixels(tmp_path):
    means = "code,province,mean_upgrade\n110000,北京,3.512\n"
    deposited, regenerated = write_figure_pair(tmp_path, means, means)
    figure_data = {"results/figures/f.png": ["results/data/province_means.csv"]}
    found = dc.compare_output("results/figures/f.png", deposited, regenerated, figure_data=figure_data)
    assert found["status"] == "figure data identical"
    assert (
        found["detail"] == "bytes differ (fonts or renderer); its data: results/data/province_means.csv byte-identical"
    )
    # the same figure with other data
    deposited, regenerated = write_figure_pair(tmp_path, means, means.replace("3.512", "3.612"))
    found = dc.compare_output("results/figures/f.png", deposited, regenerated, figure_data=figure_data)
    assert found["status"] == "differs"
    assert (
        "results/data/province_means.csv" in found["detail"] and "3.512 deposited, 3.612 regenerated" in found["detail"]
    )
    # no data given: bytes differ is all that can be said
    found = dc.compare_output("results/figures/f.png", deposited, regenerated, figure_data={})
    assert found["status"] == "differs" and "no data files are given" in found["detail"]


def test_every_figure_of_the_workflow_has_its_data_named():
    rules = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "workflow" / "rules").glob("*.smk"))
    for figure, data in dc.FIGURE_DATA.items():
        assert Path(figure).suffix in dc.FIGURE_SUFFIXES
        for path in data:
            assert path in rules, f"{figure}: {path} is made by no rule"


def test_docx_compared_by_its_text(tmp_path):
    import docx

    def document(value):
        d = docx.Document()
        d.add_paragraph("表 1 描述性统计")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "变量", "平均值"
        table.cell(1, 0).text, table.cell(1, 1).text = "upgrade", value
        path = tmp_path / f"{value}.docx"
        d.core_properties.title = value  # other bytes for equal text
        d.save(path)
        return path.read_bytes()

    assert compare(tmp_path, "a.docx", document("1.234"), document("1.2340"))["status"] == "equal at printed precision"
    found = compare(tmp_path, "b.docx", document("1.234"), document("1.244"))
    assert found["detail"] == "line 3: 'upgrade | 1.234' deposited, 'upgrade | 1.244' regenerated"


def test_xlsx_numbers_compared_at_their_number_format(tmp_path):
    import openpyxl

    def workbook(value, name):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "table1"
        sheet.append(["variable", "mean"])
        sheet.append(["upgrade", value])
        sheet["B2"].number_format = "0.000"
        path = tmp_path / name
        book.save(path)
        return path.read_bytes()

    # both show 1.234 at the cell's format 0.000
    assert compare(tmp_path, "a.xlsx", workbook(1.23449, "a1.xlsx"), workbook(1.2341, "a2.xlsx"))["status"] == (
        "equal at printed precision"
    )
    found = compare(tmp_path, "b.xlsx", workbook(1.234, "b1.xlsx"), workbook(1.236, "b2.xlsx"))
    assert found["detail"] == "sheet 'table1', row 2 (upgrade), column 2: 1.234 deposited, 1.236 regenerated"


def provenance_texts(language: str) -> dict[str, str]:
    """The report's two run-specific provenance sentences, rendered from the catalogue (group report)."""
    env = make_environment(TEMPLATES, report_messages(language), "md")
    git = {"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": False}
    unknown = {"commit": "unknown", "dirty": "unknown"}
    code = {"paths": ["Snakefile", "upgrade_repro"], "files": 120, "sha256": "ab" * 32}
    render = lambda key, git: env.from_string("{{ m('" + key + "') }}").render(provenance={"git": git, "code": code})  # noqa: E731
    return {
        "git": render("provenance.git", git),
        "git_unknown": render("provenance.git", unknown),
        "digest": render("code_identity.digest", unknown),
    }


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_report_sets_aside_git_commit_and_code_digest_and_names_them(tmp_path, language):
    texts = provenance_texts(language)
    body = "# Report\n\n| upgrade | 0.123 |\n\n"
    with_git = body + texts["git"] + "\n\n## more\n"
    from_archive = body + texts["git_unknown"] + "\n\n" + texts["digest"] + "\n\n## more\n"
    found = compare(tmp_path, f"results/report/report_{language}.md", with_git, from_archive)
    assert found["status"] == "equal at printed precision"
    assert "git commit (1 line(s) deposited, 1 regenerated)" in found["detail"]
    assert "code digest (0 line(s) deposited, 1 regenerated)" in found["detail"]
    # a number of the report still counts
    changed = compare(tmp_path, f"results/report/r2_{language}.md", with_git, from_archive.replace("0.123", "0.124"))
    assert changed["status"] == "differs" and "0.124" in changed["detail"]
    # outside results/report/ nothing is set aside
    assert compare(tmp_path, f"results/other_{language}.md", with_git, from_archive)["status"] == "differs"


def test_the_report_html_sets_aside_embedded_files(tmp_path):
    html = '<p>x</p>\n<img src="data:image/png;base64,{}">\n<p>1.5</p>\n'
    found = compare(tmp_path, "results/report/report.html", html.format("AAAA"), html.format("BBBB"))
    assert found["status"] == "equal at printed precision"
    assert "embedded files (figures, font) differ, set aside" in found["detail"]


def test_other_binary_files_differ_with_their_hashes(tmp_path):
    found = compare(tmp_path, "results/x.bin", b"\x00\x01", b"\x00\x02")
    assert found["status"] == "differs" and "no comparison by content for .bin files" in found["detail"]


def rows_and_hashes(tampered: bool):
    rows = [
        {"path": "results/tables/table1.csv", "status": "identical", "detail": ""},
        {"path": "results/tables/table1.md", "status": "equal at printed precision", "detail": "bytes differ"},
        {"path": "results/figures/figure1_map.png", "status": "figure data identical", "detail": "data"},
    ]
    hashes = [
        {"path": "README.md", "status": "ok", "detail": ""},
        {"path": "../eps/eps.csv", "status": "licensed, not redistributable", "detail": ""},
    ]
    if tampered:
        rows.append(
            {
                "path": "results/data/panel.csv",
                "status": "differs",
                "detail": "row 2 (110000), column 'gdp': 1 deposited, 2 regenerated",
            }
        )
        hashes.append(
            {
                "path": "data/raw/public/nbs.csv",
                "status": "hash mismatch",
                "detail": "SHA-256 ab… in the manifest, cd… unpacked",
            }
        )
    return rows, hashes


def test_summary_counts_and_verdict():
    summary = verification_summary(*rows_and_hashes(False))
    assert summary["verdict"] == "verified" and summary["n_match"] == 3
    assert summary["outputs"] == {
        "identical": 1,
        "equal at printed precision": 1,
        "figure data identical": 1,
        "differs": 0,
        "missing": 0,
    }
    assert summary["hashes"]["licensed, not redistributable"] == 1 and summary["hashes"]["ok"] == 1
    bad = verification_summary(*rows_and_hashes(True))
    assert bad["verdict"] == "not verified"
    assert [r["path"] for r in bad["output_problems"]] == ["results/data/panel.csv"]
    assert [r["path"] for r in bad["hash_problems"]] == ["data/raw/public/nbs.csv"]
    assert verification_summary([], [])["verdict"] == "not verified"  # nothing compared is nothing verified
    with pytest.raises(ValueError, match="unknown status"):
        verification_summary([{"path": "a", "status": "same", "detail": ""}], [])


META = {
    "sandbox": "bubblewrap",
    "name": "upgrade-repro",
    "version": "0.1.0",
    "zip": "results/deposit/upgrade-repro-0.1.0.zip",
    "zip_sha256": "ab" * 32,
    "unpacked": "results/verify/upgrade-repro-0.1.0",
    "command": "snakemake --cores 2",
    "exit_code": 0,
    "versions": [{"name": "Python", "version": "3.11.7"}, {"name": "snakemake", "version": "9.27.1"}],
}


class Balanced(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


from upgrade_repro.texts import CJK  # noqa: E402


@pytest.mark.parametrize("language", ["zh", "en"])
def test_render_verification_in_both_languages(language):
    rows, hashes = rows_and_hashes(True)
    html, md = render(rows, hashes, META, language)
    parser = Balanced()
    parser.feed(html)
    assert parser.stack == []
    assert "@font-face" in html and 'font-family: "Report CJK"' in html
    for text in (html, md):
        # both name the tampered data file and output, with the reason
        assert "data/raw/public/nbs.csv" in text.replace("\\_", "_") and "results/data/panel.csv" in text
        assert ("未通过核验" if language == "zh" else "Not verified") in text
    assert "row 2 (110000), column &#39;gdp&#39;: 1 deposited, 2 regenerated" in html
    assert "row 2 (110000), column 'gdp': 1 deposited, 2 regenerated" in md
    assert not re.search(r"&(#\d+|[a-z]+);", md), "the Markdown shows HTML entities"
    if language == "en":
        visible = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
        assert not CJK.search(visible) and not CJK.search(md)
    else:
        assert "核验结论" in html and "核验结论" in md


def test_render_verification_of_a_verified_deposit():
    rows, hashes = rows_and_hashes(False)
    html, md = render(rows, hashes, META, "en")
    assert "Verified: all 1 files match the SHA-256 of the manifest" in md
    assert (
        "3 regenerated outputs match the deposited ones (1 byte-identical, 1 equal at printed precision, 1 figures"
        in md
    )
    assert "What does not match" not in md and 'id="problems"' not in html
    assert "licensed data, not redistributable" in md and "../eps/eps.csv" in md


def test_every_verification_message_exists_in_both_languages():
    zh, en = texts("zh", "verification_report"), texts("en", "verification_report")
    assert set(zh) == set(en)
    for status in (*dc.STATUSES, *HASH_STATUSES):
        assert f"status.{status}" in zh
    for status in CODE_STATUSES:
        assert f"code_status.{status}" in zh
    for klass in CLASSES:
        assert f"class.{klass}" in zh


def test_meta_with_software_as_a_mapping_and_the_version_in_the_name():
    meta = {
        "sandbox": "off",
        "name": "upgrade-repro-0.1.0",
        "zip": "results/deposit/upgrade-repro-0.1.0.zip",
        "zip_sha256": "cd" * 32,
        "unpacked": "results/verify/unpacked/deposit/upgrade-repro-0.1.0",
        "rerun_folder": "results/verify/unpacked/rerun/upgrade-repro-0.1.0",
        "command": "snakemake --cores 2",
        "exit_code": 1,
        "log": "results/verify/rerun.log",
        "software": {"python": "3.11.7", "snakemake": "9.27.1"},
    }
    assert verification_meta(meta)["label"] == "upgrade-repro-0.1.0"
    assert verification_meta({**meta, "name": "upgrade-repro", "version": "0.1.0"})["label"] == "upgrade-repro-0.1.0"
    rows, hashes = rows_and_hashes(False)
    html, md = render(rows, hashes, meta, "en")
    assert "# Verification of the deposit upgrade-repro-0.1.0\n" in md
    assert "| python | 3.11.7 |" in md and "<tr><td>snakemake</td><td>9.27.1</td></tr>" in html
    assert "| Exit code | 1 (failed: outputs below may not have been regenerated) |" in md
    assert "| Log of the rerun | results/verify/rerun.log |" in md
    assert "results/verify/unpacked/rerun/upgrade-repro-0.1.0" in html


def test_verification_report_in_a_browser_draws_chinese_with_the_embedded_font(tmp_path):
    """Chromium loads the zh report with its embedded font, no error, and draws no Chinese with
    another font (empty boxes on a machine without a CJK font)."""
    from browser import find_chromium, font_fallbacks, open_in_chromium

    find_chromium()
    rows, hashes = rows_and_hashes(True)
    html, _ = render(rows, hashes, META, "zh")
    page = tmp_path / "verification.html"
    page.write_text(html, encoding="utf-8")
    seen = open_in_chromium(page, tmp_path)
    assert seen["problems"] == [] and seen["console"] == [], seen
    assert seen["fonts"] and all(f["status"] == "loaded" for f in seen["fonts"]), seen["fonts"]
    assert font_fallbacks(page, tmp_path) == []


def test_details_in_chinese_from_the_same_phrases(tmp_path):
    found = dc.compare_output(
        "results/tables/t.csv",
        *pair(tmp_path, "results/tables/t.csv", TABLE.format(mean="0.1234"), TABLE.format(mean="0.1235")),
    )
    assert render_detail(found["facts"], "zh") == "第 2 行（upgrade），“mean”列：复现包中为 0.1234，重新生成的为 0.1235"
    report = "# R\n\n" + provenance_texts("zh")["git"] + "\n| x | 1.5 |\n"
    aside = dc.compare_output(
        "results/report/r.md", *pair(tmp_path, "results/report/r.md", report, report.replace("1.5", "1.6"))
    )
    assert render_detail(aside["facts"], "zh") == (
        "第 4 行：复现包中为“| x | 1.5 |”，重新生成的为“| x | 1.6 |”；"
        "依赖运行环境、不参与比较的行：git 提交（复现包中 1 行，重新生成的 1 行）"
    )
    rows = [found, {"path": "results/x.csv", "status": "identical", "detail": "", "facts": []}]
    hashes = [{"path": "README.md", "status": "hash mismatch", "detail": "sha256 ab, manifest cd"}]
    html, md = render(rows, hashes, META, "zh")
    assert (
        "| results/tables/t.csv | 不同 | 第 2 行（upgrade），“mean”列：复现包中为 0.1234，重新生成的为 0.1235 |" in md
    )
    # the manifest check's detail has no phrases: shown as written, and said to be in English
    assert "sha256 ab, manifest cd" in md and "清单核对的说明为英文。" in md
    html_en, md_en = render(rows, hashes, META, "en")
    assert "row 2 (upgrade), column 'mean': 0.1234 deposited, 0.1235 regenerated" in md_en


def test_the_verification_texts_come_from_the_catalogue_not_the_templates_folder(tmp_path):
    """Every m('key') of the verification templates is a text of the catalogue's group
    verification_report in both languages, and a templates folder holding only the templates and
    the style renders the report: no texts file beside them (an installed verifier reads the
    catalogue, package data)."""
    used = set()
    for template in TEMPLATES.glob("verification.*.j2"):
        used |= set(re.findall(r"m\('([\w.]+)'\)", template.read_text(encoding="utf-8")))
    assert len(used) > 30
    for language in ("zh", "en"):
        assert used <= set(texts(language, "verification_report")), used - set(texts(language, "verification_report"))
    for name in ("verification.html.j2", "verification.md.j2", "style.css"):
        (tmp_path / name).write_bytes((TEMPLATES / name).read_bytes())
    rows = [dc.compare_output("results/tables/t.csv", *pair(tmp_path, "t.csv", "a\n1\n", "a\n1\n"))]
    html, md = render_verification(
        {"rows": rows, "hash_rows": [], "summary": verification_summary(rows, []), "meta": META}, "zh", tmp_path
    )
    assert md.startswith("# 复现包核验报告") and "复现包核验报告" in html


def test_hash_rows_render_in_both_languages():
    row = hash_row("data/a.csv", "hash mismatch", sha256="ab", manifest_sha256="cd", bytes=10, manifest_bytes=11)
    assert row["detail"] == "sha256 ab, manifest cd; 10 bytes, manifest 11"
    assert render_detail(row["facts"], "zh") == "解压后的 SHA-256 为 ab，清单中为 cd；10 字节，清单中为 11 字节"
    assert hash_row("README.md", "ok")["detail"] == ""
    assert hash_row("x", "not in manifest")["detail"] == "in the archive, not in MANIFEST.csv"
    rows = [{"path": "results/t.csv", "status": "identical", "detail": "", "facts": []}]
    _, md = render(rows, [row], META, "zh")
    assert "| data/a.csv | SHA-256 不符 | 解压后的 SHA-256 为 ab，清单中为 cd；10 字节，清单中为 11 字节 |" in md
    assert "清单核对的说明为英文" not in md  # every detail has its phrases


def test_a_long_line_is_shown_around_its_first_difference(tmp_path):
    line = "font: " + "A" * 300 + "{}" + "B" * 50 + "\n"
    found = compare(tmp_path, "results/static/f.css", line.format("x"), line.format("y"))
    assert found["status"] == "differs"
    shown = re.findall(r"'(…A+[xy]B+…?)'", found["detail"])
    assert len(shown) == 2 and shown[0].replace("x", "y") == shown[1]


def test_verification_markdown_shows_a_value_as_written_once_escaped():
    # A path with < and & shows as text: no HTML entity, no backslash doubled (it had both).
    from upgrade_repro.deposit.report import _environment

    env = _environment(TEMPLATES, {}, "md", "en")
    out = env.from_string("{{ x }}").render(x="a<b & c<0.001")
    assert "&lt;" not in out and "&amp;" not in out and "\\\\" not in out
    assert out.replace("\\", "") == "a<b & c<0.001"
