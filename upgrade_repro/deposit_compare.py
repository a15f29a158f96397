"""A deposit's outputs against the ones a fresh rerun regenerates, and the verification report
(README, "Verifying a deposit"). Pure functions: upgrade_repro/deposit.py unpacks and reruns, this
module compares two files and renders what it found.

Each output is byte-identical, or else compared by its content at the precision it is printed:
tables (csv, json) cell by cell, text (md, tex, html) number by number at the digits shown, Word and
Excel files by their cell texts, figures by the data they are drawn from (never by pixels), the report
by its text with the run-specific provenance lines set aside (and named).
"""

import csv
import difflib
import hashlib
import io
import json
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath

from upgrade_repro.errors import InputError

# Statuses of compare_output; the first three are matches.
MATCHES = ("identical", "equal at printed precision", "figure data identical")
STATUSES = (*MATCHES, "differs", "missing")
HASH_OK = ("ok", "licensed, not redistributable")

# Two numbers as written are equal when they agree to RELATIVE_DIGITS significant digits: beyond that,
# floating-point results may differ between platforms and BLAS builds (a csv written at full precision,
# 0.30000000000000004 and 0.3). Fewer digits shown are never taken as a coarser precision (pandas writes
# 0.5 for 0.5 exactly, so 0.5 and 0.54 differ); a csv whose table is printed (its layout .json beside it,
# tables.table_layout) is compared at the decimals the printed table shows.
RELATIVE_DIGITS = 10

# The figures of this workflow and the data files each is drawn from (repository paths): a figure
# whose bytes differ (fonts, renderer) matches when its data do.
FIGURE_DATA = {
    "results/figures/figure1_map.png": ["results/data/province_means.csv", "results/static/boundaries.csv"],
    "results/figures/figure1_map.svg": ["results/data/province_means.csv", "results/static/boundaries.csv"],
    "results/figures/figure1_map.pdf": ["results/data/province_means.csv", "results/static/boundaries.csv"],
    "results/figures/figure1_ranking.png": ["results/data/province_means.csv"],
    "results/figures/figure1_ranking.svg": ["results/data/province_means.csv"],
    "results/figures/sigma.png": ["results/data/sigma.csv"],
    "results/figures/sigma.svg": ["results/data/sigma.csv"],
    "results/figures/regional_trends.png": ["results/data/regional_means.csv"],
    "results/figures/regional_trends.svg": ["results/data/regional_means.csv"],
}
FIGURE_SUFFIXES = {".png", ".svg", ".pdf", ".jpg", ".jpeg"}
TEXT_SUFFIXES = {".md", ".tex", ".html", ".htm", ".txt", ".css", ".yaml", ".yml"}
# The reproduction report: compared by its text, run-specific provenance set aside.
REPORT_FOLDER = "results/report/"

# Lines of the report that depend on where and how it was run, not on the results (each with the
# name the detail gives it). Texts from report/messages.yaml, both languages (a test keeps them in step).
PROVENANCE_LINES = (
    ("git commit", re.compile(r"\bgit\b.*(\b[0-9a-f]{40}\b|\bunknown\b)", re.I)),
    ("code digest", re.compile(r"No git commit is available|没有 git 提交可用")),
    (
        "absolute folder",
        re.compile(r"(?<![\w.:/~<-])/(?:home|Users|root|tmp|work|mnt|media|scratch|opt|srv|var|private)/"),
    ),
    ("run time", re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")),
)
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
_NUMBER = re.compile(r"(?<![\w.])[-+\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])|(?<![\w.])[-+\u2212]?\.\d+(?![\w])")


# A detail is a list of phrases (key, facts): rendered in English for the `detail` of compare_output,
# and again in the report's language by render_verification, from report/verification_messages.yaml
# (`detail.<key>`), so that a Chinese report explains each difference in Chinese.
TEMPLATES = Path(__file__).resolve().parent.parent / "report"


def _phrase(key: str, **facts) -> list:
    return [key, facts]


def render_detail(phrases: list, language: str = "en", templates_dir=None) -> str:
    """The phrases of a detail as text in `language` (joined by '; '); a fact named `inner` is itself
    a list of phrases, rendered in place."""
    import jinja2

    messages = _messages(str(templates_dir or TEMPLATES), language)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    env.globals["st"] = lambda status: messages[f"status.{status}"]
    env.globals["kind"] = lambda name: messages[f"detail.kind.{name}"]

    def one(phrase) -> str:
        key, facts = phrase
        facts = {k: render_detail(v, language, templates_dir) if k == "inner" else v for k, v in facts.items()}
        return env.from_string(messages[f"detail.{key}"]).render(facts)

    return ("；" if language == "zh" else "; ").join(one(p) for p in phrases)


_MESSAGE_CACHE: dict = {}


def _messages(templates_dir: str, language: str) -> dict:
    from upgrade_repro.texts import load_messages

    if (templates_dir, language) not in _MESSAGE_CACHE:
        path = Path(templates_dir) / "verification_messages.yaml"
        if not path.is_file():
            raise InputError(
                "the verification texts are not there: run from the project (pip install -e ., as README says), "
                "whose report/ folder holds them",
                file=path.as_posix(),
            )
        _MESSAGE_CACHE[(templates_dir, language)] = load_messages(path, language)
    return _MESSAGE_CACHE[(templates_dir, language)]


def _result(path, status, phrases=()) -> dict:
    """{'path', 'status', 'detail' (English), 'facts' (the phrases, to render in another language)}."""
    phrases = [list(p) for p in phrases]
    return {"path": path, "status": status, "detail": render_detail(phrases) if phrases else "", "facts": phrases}


HASH_PHRASES = {
    "hash mismatch": "hash_mismatch",
    "missing": "missing_from_archive",
    "not in manifest": "not_in_manifest",
    "licensed, not redistributable": "licensed_left_out",
}


def hash_row(path: str, status: str, **facts) -> dict:
    """A row of the manifest check with its detail as phrases (rendered in the report's language):
    'ok' (no facts); 'hash mismatch' (sha256, manifest_sha256, bytes, manifest_bytes); 'missing';
    'not in manifest'; 'licensed, not redistributable' (sha256)."""
    return _result(path, status, [_phrase(HASH_PHRASES[status], **facts)] if status in HASH_PHRASES else [])


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------------ numbers
def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace("\u2212", "-"))
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def _decimals(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)


def numbers_equal(a: str, b: str, decimals: int | None = None) -> bool:
    """Two numbers as written are equal: the same number, or agreeing to RELATIVE_DIGITS significant
    digits (floating-point noise), or, with `decimals` (the precision a table is printed at), the same
    when rounded to it (0.12340001 and 0.1234 at 4)."""
    x, y = _decimal(a), _decimal(b)
    if x is None or y is None:
        return False
    if x == y or abs(x - y) <= max(abs(x), abs(y)) * Decimal(1).scaleb(-RELATIVE_DIGITS):
        return True
    if decimals is not None:
        quantum = Decimal(1).scaleb(-decimals)
        try:
            return x.quantize(quantum) == y.quantize(quantum)
        except InvalidOperation:  # more digits than the context holds
            return False
    return False


def text_equal(a: str, b: str) -> bool:
    """Two texts equal but for numbers, which are equal at the digits they print."""
    if a == b:
        return True
    na, nb = _NUMBER.findall(a), _NUMBER.findall(b)
    return (
        _NUMBER.sub("#", a) == _NUMBER.sub("#", b)
        and len(na) == len(nb)
        and all(p == q or numbers_equal(p, q) for p, q in zip(na, nb))
    )


def _clip(text: str, width: int = 90) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _clip_pair(a: str, b: str, width: int = 90) -> tuple[str, str]:
    """Two long lines clipped around where they first differ (a font's base64, a long table row)."""
    start = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    if max(len(a), len(b)) <= width or start < width // 2:
        return _clip(a, width), _clip(b, width)
    cut = start - width // 3
    return _clip("…" + a[cut:], width), _clip("…" + b[cut:], width)


def first_line_difference(a: list[str], b: list[str], numbers_a=None, numbers_b=None) -> list | None:
    """None when the two lists of lines are equal at printed precision, else a phrase saying where
    they first differ: the line numbers of the files (numbers_a/numbers_b when lines were left out)."""
    numbers_a = numbers_a or range(1, len(a) + 1)
    numbers_b = numbers_b or range(1, len(b) + 1)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                if not text_equal(a[i1 + k], b[j1 + k]):
                    shown_a, shown_b = _clip_pair(a[i1 + k], b[j1 + k])
                    return _phrase("line", line=numbers_a[i1 + k], a=shown_a, b=shown_b)
            continue
        if i1 < i2:
            if j1 < j2:
                shown_a, shown_b = _clip_pair(a[i1], b[j1])
                return _phrase("line", line=numbers_a[i1], a=shown_a, b=shown_b)
            return _phrase("line_only_deposited", line=numbers_a[i1], a=_clip(a[i1]))
        return _phrase("line_only_regenerated", line=numbers_b[j1], b=_clip(b[j1]))
    return None


# ------------------------------------------------------------------------------- by file type
def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _csv_rows(path: Path) -> list[list[str]]:
    text = _read_text(path)
    first = text.split("\n", 1)[0]
    return list(csv.reader(io.StringIO(text), delimiter="\t" if first.count("\t") > first.count(",") else ","))


def compare_rows(
    a: list[list], b: list[list], heads: bool = True, sheet: str | None = None, decimals: int | None = None
) -> list | None:
    """None when two tables of text cells are equal (numbers by numbers_equal, at `decimals` when the
    table is printed at them), else a phrase naming the first differing cell (row, the row's first cell,
    column head or number, the two values)."""
    if len(a) != len(b):
        return _phrase("rows", sheet=sheet, a=len(a), b=len(b))
    for i, (ra, rb) in enumerate(zip(a, b)):
        if len(ra) != len(rb):
            return _phrase("cells", sheet=sheet, row=i + 1, a=len(ra), b=len(rb))
        for j, (ca, cb) in enumerate(zip(ra, rb)):
            ca, cb = "" if ca is None else str(ca), "" if cb is None else str(cb)
            if ca == cb or numbers_equal(ca, cb, decimals) or (_decimal(ca) is None and text_equal(ca, cb)):
                continue
            return _phrase(
                "cell",
                sheet=sheet,
                row=i + 1,
                label=str(ra[0]) if j > 0 and ra and ra[0] not in ("", None) else "",
                column=str(a[0][j]) if heads and i > 0 and j < len(a[0]) else None,
                column_number=j + 1,
                a=_clip(ca),
                b=_clip(cb),
            )
    return None


def printed_decimals(table: Path) -> tuple[int, str] | None:
    """(the most decimals a number shows in the printed table of `table`, the layout's name), from the
    layout .json beside it (tables.table_layout: caption, heads, rows of text cells); None without one."""
    layout_path = table.with_suffix(".json")
    try:
        layout = json.loads(_read_text(layout_path))
    except (OSError, ValueError):
        return None
    if not isinstance(layout, dict) or not {"heads", "rows"} <= set(layout):
        return None
    shown = [_decimal(n) for row in layout["rows"] for cell in row for n in _NUMBER.findall(str(cell))]
    shown = [_decimals(n) for n in shown if n is not None]
    return (max(shown), layout_path.name) if shown else None


def _compare_csv(deposited: Path, regenerated: Path) -> list | None:
    printed = printed_decimals(deposited)
    return compare_rows(_csv_rows(deposited), _csv_rows(regenerated), decimals=printed[0] if printed else None)


def _json_difference(a, b, where="") -> list | None:
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return _phrase("json_keys", where=where or "top", a=", ".join(map(str, a)), b=", ".join(map(str, b)))
        for key in a:
            found = _json_difference(a[key], b[key], f"{where}.{key}" if where else str(key))
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return _phrase("json_items", where=where or "top", a=len(a), b=len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            found = _json_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        equal = numbers_equal(repr(a), repr(b))
    elif isinstance(a, str) and isinstance(b, str):
        equal = text_equal(a, b)
    else:
        equal = a == b
    return (
        None
        if equal
        else _phrase(
            "json_value",
            where=where or "top",
            a=_clip(json.dumps(a, ensure_ascii=False)),
            b=_clip(json.dumps(b, ensure_ascii=False)),
        )
    )


def _compare_json(deposited: Path, regenerated: Path) -> list | None:
    return _json_difference(json.loads(_read_text(deposited)), json.loads(_read_text(regenerated)))


def _docx_lines(path: Path) -> list[str]:
    """A Word file's text in body order: each paragraph, each table row's cells joined by ' | '."""
    import docx

    document = docx.Document(str(path))
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = [c for c in row if c.tag.endswith("}tc")]
                    lines.append(
                        " | ".join("".join(t.text or "" for t in c.iter() if t.tag.endswith("}t")) for c in cells)
                    )
    return lines


def _media_differences(deposited: Path, regenerated: Path) -> list[str]:
    """Embedded images (docx/xlsx members under media/) whose bytes differ."""
    with zipfile.ZipFile(deposited) as za, zipfile.ZipFile(regenerated) as zb:
        ma = {n: sha256_bytes(za.read(n)) for n in za.namelist() if "/media/" in n}
        mb = {n: sha256_bytes(zb.read(n)) for n in zb.namelist() if "/media/" in n}
    return sorted(n for n in set(ma) | set(mb) if ma.get(n) != mb.get(n))


def _compare_docx(deposited: Path, regenerated: Path) -> list | None:
    return first_line_difference(_docx_lines(deposited), _docx_lines(regenerated))


def _xlsx_cells(path: Path) -> dict[str, list[list]]:
    """Each sheet's cells as text: numbers at the decimals of their number format (e.g. '0.000'),
    else as Python prints them."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                value = cell.value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    match = re.fullmatch(r"0(?:\.(0+))?", str(cell.number_format or ""))
                    value = f"{value:.{len(match.group(1) or '')}f}" if match else repr(value)
                cells.append("" if value is None else str(value))
            rows.append(cells)
        sheets[sheet.title] = rows
    book.close()
    return sheets


def _compare_xlsx(deposited: Path, regenerated: Path) -> list | None:
    a, b = _xlsx_cells(deposited), _xlsx_cells(regenerated)
    if list(a) != list(b):
        return _phrase("sheets", a=", ".join(a), b=", ".join(b))
    for name in a:
        found = compare_rows(a[name], b[name], heads=False, sheet=name)
        if found:
            return found
    return None


def _compare_dta(deposited: Path, regenerated: Path) -> list | None:
    import pandas as pd

    def rows(path):
        table = pd.read_stata(path, convert_categoricals=False)
        return [list(table.columns)] + [
            [repr(v) if isinstance(v, float) else str(v) for v in r] for r in table.itertuples(index=False)
        ]

    return compare_rows(rows(deposited), rows(regenerated))


def report_lines(text: str) -> tuple[list[str], dict[str, int], list[int]]:
    """The report's lines (with their line numbers) with the run-specific provenance lines set aside (counted by kind) and
    embedded files (data: URIs: figures, the font subset) replaced by a placeholder: the figures are
    compared by their data, the font is a subset of the report's characters. Blank lines are left out."""
    kept, aside, numbers = [], {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue  # a paragraph set aside leaves its blank line: blank lines carry nothing
        kind = next((name for name, pattern in PROVENANCE_LINES if pattern.search(line)), None)
        if kind:
            aside[kind] = aside.get(kind, 0) + 1
            continue
        kept.append(_DATA_URI.sub("data:…", line))
        numbers.append(number)
    return kept, aside, numbers


def _compare_text(path: str, deposited: Path, regenerated: Path) -> tuple[list | None, list]:
    """(the first difference or None, the notes: what was set aside in the report)."""
    a, b = _read_text(deposited), _read_text(regenerated)
    if not path.startswith(REPORT_FOLDER):
        return first_line_difference(a.splitlines(), b.splitlines()), []
    (la, aside_a, na), (lb, aside_b, nb) = report_lines(a), report_lines(b)
    kinds = [{"kind": k, "a": aside_a.get(k, 0), "b": aside_b.get(k, 0)} for k in sorted(set(aside_a) | set(aside_b))]
    notes = [_phrase("set_aside", kinds=kinds)] if kinds else []
    if _DATA_URI.findall(a) != _DATA_URI.findall(b):
        notes.append(_phrase("embedded_differ"))
    return first_line_difference(la, lb, na, nb), notes


COMPARERS = {
    ".csv": _compare_csv,
    ".tsv": _compare_csv,
    ".json": _compare_json,
    ".docx": _compare_docx,
    ".xlsx": _compare_xlsx,
    ".dta": _compare_dta,
}


def _roots(path: str, deposited: Path, regenerated: Path) -> tuple[Path, Path]:
    """The top folders of the deposit and of the rerun: `deposited` and `regenerated` less `path`."""
    depth = len(PurePosixPath(path).parts)
    da, db = Path(deposited), Path(regenerated)
    if da.as_posix().endswith(path) and db.as_posix().endswith(path):
        return da.parents[depth - 1], db.parents[depth - 1]
    raise ValueError(
        f"{path}: the deposited and regenerated files must end with the output's path to find its figure data"
    )


def _compare_figure(path: str, deposited: Path, regenerated: Path, data: list) -> dict:
    if not data:
        hashes = {"a": sha256_bytes(deposited.read_bytes())[:12], "b": sha256_bytes(regenerated.read_bytes())[:12]}
        return _result(path, "differs", [_phrase("figure_no_data", **hashes)])
    root_a, root_b = _roots(path, deposited, regenerated)
    checked = []
    for item in data:
        item = PurePosixPath(Path(item).as_posix()).as_posix()
        found = compare_output(item, root_a / item, root_b / item)
        if found["status"] not in MATCHES:
            inner = found["facts"]
            return _result(
                path, "differs", [_phrase("figure_data_differs", data=item, status=found["status"], inner=inner)]
            )
        checked.append({"path": item, "status": found["status"]})
    return _result(path, "figure data identical", [_phrase("figure_data_match", data=checked)])


def compare_output(path: str, deposited: Path, regenerated: Path, *, figure_data: dict | None = None) -> dict:
    """One output of the deposit against the rerun's: {'path', 'status', 'detail'}, status one of
    STATUSES. Byte-identical first; else by file type (module docstring). `figure_data` maps a figure's
    path to the data files it is drawn from (repository paths, found under both top folders); None =
    FIGURE_DATA."""
    deposited, regenerated = Path(deposited), Path(regenerated)
    if not deposited.is_file():
        return _result(path, "missing", [_phrase("missing_deposited")])
    if not regenerated.is_file():
        return _result(path, "missing", [_phrase("missing_regenerated")])
    a, b = deposited.read_bytes(), regenerated.read_bytes()
    if a == b:
        return _result(path, "identical")
    suffix = PurePosixPath(path).suffix.lower()
    figure_data = FIGURE_DATA if figure_data is None else figure_data
    if suffix in FIGURE_SUFFIXES:
        return _compare_figure(path, deposited, regenerated, figure_data.get(path, []))
    notes = []
    try:
        if suffix in COMPARERS:
            found = COMPARERS[suffix](deposited, regenerated)
        elif suffix in TEXT_SUFFIXES:
            found, notes = _compare_text(path, deposited, regenerated)
        else:
            hashes = {"a": sha256_bytes(a)[:12], "b": sha256_bytes(b)[:12]}
            return _result(path, "differs", [_phrase("binary", suffix=suffix or "suffix-less", **hashes)])
    except (ValueError, KeyError, OSError, zipfile.BadZipFile, UnicodeDecodeError) as error:
        return _result(path, "differs", [_phrase("unreadable", error=str(error))])
    if suffix in {".csv", ".tsv"} and (printed := printed_decimals(deposited)):
        notes.append(_phrase("printed_at", decimals=printed[0], layout=printed[1]))
    if found:
        return _result(path, "differs", [found, *notes])
    if suffix in {".docx", ".xlsx"}:
        media = _media_differences(deposited, regenerated)
        notes += [_phrase("media_differ", names=media)] if media else []
    return _result(path, "equal at printed precision", [_phrase("equal"), *notes])


# -------------------------------------------------------------------------------- the summary
def verification_summary(rows: list[dict], hash_rows: list[dict]) -> dict:
    """Counts of the outputs by status and of the manifest's files by hash status, the problems, and
    the verdict: 'verified' only when every hash is ok (a licensed file left out counts as expected)
    and every output matches; else 'not verified'."""
    by_status = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    hash_statuses = ("ok", "hash mismatch", "missing", "not in manifest", "licensed, not redistributable")
    by_hash = {s: sum(r["status"] == s for r in hash_rows) for s in hash_statuses}
    unknown = sorted({r["status"] for r in rows} - set(STATUSES)) + sorted(
        {r["status"] for r in hash_rows} - set(hash_statuses)
    )
    if unknown:
        raise ValueError(f"unknown status(es) {unknown}")
    output_problems = [r for r in rows if r["status"] not in MATCHES]
    hash_problems = [r for r in hash_rows if r["status"] not in HASH_OK]
    verified = bool(rows) and not output_problems and not hash_problems
    return {
        "verdict": "verified" if verified else "not verified",
        "verified": verified,
        "n_outputs": len(rows),
        "n_match": len(rows) - len(output_problems),
        "outputs": by_status,
        "n_files": len(hash_rows),
        "hashes": by_hash,
        "output_problems": output_problems,
        "hash_problems": hash_problems,
        "licensed": [r for r in hash_rows if r["status"] == "licensed, not redistributable"],
    }


# ------------------------------------------------------------------------------- the report
def _environment(templates_dir, messages: dict, fmt: str, language: str):
    """The reproduction report's environment (reporting.make_environment: one escaping of values in
    HTML and Markdown, the messages as m()) with the verification's own `detail`."""
    from upgrade_repro.report import make_environment

    env = make_environment(templates_dir, messages, fmt)
    env.globals.update(
        detail=lambda r: render_detail(r["facts"], language, templates_dir) if r.get("facts") else r.get("detail", ""),
    )
    return env


def verification_meta(meta: dict) -> dict:
    """meta with what the templates show: `label` (name-version, or the name alone when it already ends
    with the version or none is given), `versions` as [{name, version}] (from meta['versions'], a list, or
    meta['software'], a mapping), and the optional rerun folder and log (None when not given)."""
    name, version = str(meta["name"]), meta.get("version")
    label = name if not version or name.endswith(f"-{version}") else f"{name}-{version}"
    versions = meta.get("versions")
    if versions is None:
        versions = [{"name": k, "version": v} for k, v in (meta.get("software") or {}).items()]
    return {
        **meta,
        "label": label,
        "versions": list(versions),
        "rerun_folder": meta.get("rerun_folder"),
        "log": meta.get("log"),
    }


def render_verification(rows, hash_rows, summary: dict, meta: dict, language: str, templates_dir) -> tuple[str, str]:
    """(html, markdown) of the verification report, in the reproduction report's style
    (report/style.css, its CJK font embedded as a subset of the page's characters) and language.
    meta: name, zip (the archive, relative), zip_sha256, unpacked (the folder, relative), command, exit_code,
    the verifying machine's software as versions ([{name, version}]) or software ({name: version});
    optional: version, rerun_folder, log (verification_meta)."""
    from markupsafe import Markup

    from upgrade_repro.report_font import CJK_FONT_FAMILY, check_font_coverage, cjk_font_face, font_characters
    from upgrade_repro.texts import load_messages

    templates_dir = Path(templates_dir)
    messages = load_messages(templates_dir / "verification_messages.yaml", language)
    context = {
        "lang": language,
        "rows": list(rows),
        "hash_rows": list(hash_rows),
        "summary": summary,
        "meta": verification_meta(meta),
        # a detail without its phrases (e.g. the manifest check's) is shown as written, in English
        "untranslated": language != "en" and any(r.get("detail") and not r.get("facts") for r in [*rows, *hash_rows]),
        "font_family": CJK_FONT_FAMILY,
        "matches": MATCHES,
    }
    md = _environment(templates_dir, messages, "md", language).get_template("verification.md.j2").render(context)
    html_template = _environment(templates_dir, messages, "html", language).get_template("verification.html.j2")
    draft = html_template.render({**context, "font_face": Markup("")})
    # The font subset holds exactly the characters the page shows (plus ASCII), so it is small and any
    # Chinese text renders with real glyphs on a machine without a CJK font.
    from upgrade_repro.report_font import ALWAYS

    shown = "".join(sorted({c for c in re.sub(r"<[^>]*>", "", draft) + ALWAYS if not c.isspace()}))
    face = cjk_font_face(shown)
    html = html_template.render({**context, "font_face": Markup(face)})
    check_font_coverage(re.sub(r"<[^>]*>", "", draft), font_characters(face), "verification report font subset")
    return html, md
