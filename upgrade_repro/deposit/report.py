"""The verification report (docs/verification.md, "The report"): verification.{html,md,csv,json},
in the reproduction report's style (report/style.css, its CJK font embedded as a subset of the page's
characters) and language, every text from the catalogue's group `verification_report`
(upgrade_repro/texts.yaml, both languages; package data, so an installed verifier finds it).

A finding is kept as phrases (a key of the texts' `detail` section and its facts), rendered in
English for the `detail` column and again in the report's language. Every value that came from the
zip (names, cells, paths) is inert where it lands: HTML-escaped in the HTML, backslash-escaped in the
Markdown (reporting.markdown_escape: an apostrophe stays an apostrophe), and in verification.csv a
cell that a spreadsheet would read as a formula is neutralised (neutralise_cell).
"""

import json
import logging
import re
from pathlib import Path

from upgrade_repro.deposit.findings import messages, render_detail

# Cells a spreadsheet reads as a formula (or as the start of one: tab and carriage return before
# it), as OWASP's CSV injection advice lists them: given a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ["kind", "path", "status", "detail"]


def templates_dir() -> Path:
    from upgrade_repro.deposit.release import templates_dir as release_templates

    return release_templates()


def neutralise_cell(value):
    """A CSV cell a spreadsheet shows as text: a leading apostrophe before a cell starting with =, +,
    -, @, a tab or a carriage return (a number such as -0.5 too: it is shown, not computed, here)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(hash_rows, rows, code_rows) -> str:
    """verification.csv: kind (hash, code, output), path, status, detail; every cell neutralised."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for kind, group in (("hash", hash_rows), ("code", code_rows), ("output", rows)):
        for r in group:
            writer.writerow([neutralise_cell(str(r.get(c, "") if c != "kind" else kind)) for c in CSV_COLUMNS])
    return out.getvalue()


def verification_meta(meta: dict) -> dict:
    """meta with what the templates show: `label` (name-version, or the name alone when it already ends
    with the version or none is given), `versions` as [{name, version}] (from meta['versions'], a list, or
    meta['software'], a mapping), and the optional keys as None when not given."""
    name, version = str(meta["name"]), meta.get("version")
    label = name if not version or name.endswith(f"-{version}") else f"{name}-{version}"
    versions = meta.get("versions")
    if versions is None:
        versions = [{"name": k, "version": v} for k, v in (meta.get("software") or {}).items()]
    optional = ("rerun_folder", "log", "accept_modified_code", "limits", "release", "release_command")
    return {**{k: None for k in optional}, **meta, "label": label, "versions": list(versions)}


def _environment(folder, texts: dict, fmt: str, language: str):
    """The reproduction report's environment (reporting.make_environment: one escaping of values in
    HTML and Markdown, the texts as m()) with the verification's own `detail`."""
    from upgrade_repro.report import make_environment

    env = make_environment(folder, texts, fmt)
    env.globals.update(
        detail=lambda r: render_detail(r["facts"], language) if r.get("facts") else r.get("detail", ""),
    )
    return env


def render_verification(context: dict, language: str, folder=None) -> tuple[str, str]:
    """(html, markdown) of the verification report. context: rows (outputs), hash_rows, code_rows,
    summary (verdict.verification_summary), meta (verification_meta's input), paper
    (paper.paper_comparison or None)."""
    from markupsafe import Markup

    from upgrade_repro.deposit.compare import MATCHES
    from upgrade_repro.report_font import ALWAYS, CJK_FONT_FAMILY, check_font_coverage, cjk_font_face, font_characters
    from upgrade_repro.texts import CJK  # what the embedded font is for, and must cover

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetting chatter is no finding
    folder = Path(folder or templates_dir())
    texts = messages(language)
    context = {
        "lang": language,
        "rows": [],
        "hash_rows": [],
        "code_rows": [],
        "paper": None,
        **context,
        "meta": verification_meta(context["meta"]),
        # a detail without its phrases is shown as written, in English
        "untranslated": language != "en"
        and any(r.get("detail") and not r.get("facts") for r in [*context.get("rows", []), *context["hash_rows"]]),
        "font_family": CJK_FONT_FAMILY,
        "matches": MATCHES,
    }
    md = _environment(folder, texts, "md", language).get_template("verification.md.j2").render(context)
    html_template = _environment(folder, texts, "html", language).get_template("verification.html.j2")
    draft = html_template.render({**context, "font_face": Markup("")})
    # The font subset holds the page's characters (plus ASCII) that the CJK font has: Chinese renders
    # with real glyphs on a machine without a CJK font. A character of a value from the zip that the
    # font lacks (an emoji in a file name) falls back to the reader's fonts, as any web page's does.
    shown = "".join(sorted({c for c in re.sub(r"<[^>]*>", "", draft) + ALWAYS if not c.isspace()}))
    face = cjk_font_face(shown)
    html = html_template.render({**context, "font_face": Markup(face)})
    cjk = "".join(CJK.findall(re.sub(r"<[^>]*>", "", draft)))
    check_font_coverage(cjk, font_characters(face), "verification report font subset")
    return html, md


def write_reports(out_dir, context: dict, language: str, folder=None) -> None:
    """verification.{csv,json,md,html} in `out_dir`, each written atomically."""
    from upgrade_repro.files import write_text

    out_dir = Path(out_dir)
    html, md = render_verification(context, language, folder)
    write_text(
        csv_text(context["hash_rows"], context["rows"], context.get("code_rows", [])), out_dir / "verification.csv"
    )
    record = {
        "summary": context["summary"],
        "meta": verification_meta(context["meta"]),
        "code": context.get("code_rows", []),
        "paper": context.get("paper"),
    }
    write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n", out_dir / "verification.json")
    write_text(md, out_dir / "verification.md")
    write_text(html, out_dir / "verification.html")
