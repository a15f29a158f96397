"""A deposit's outputs against the ones a fresh rerun regenerates (docs/verification.md, "How
outputs are compared"). Pure functions: verify.py unpacks and reruns, this module compares two files
and says what it found (as phrases, report.py renders them).

Each output is byte-identical, or else compared by its content at the precision it is printed:
tables (csv, json) cell by cell, text (md, tex, html) number by number at the digits shown, Word and
Excel files by their cell texts, figures by the data they are drawn from (never by pixels), the report
by its text with the run-specific provenance lines set aside (and named).
"""

import csv
import difflib
import io
import json
import re
import zipfile
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath

from upgrade_repro.deposit.findings import phrase, result
from upgrade_repro.deposit.manifest import path_problem
from upgrade_repro.deposit.parse import FIGURE_SUFFIXES
from upgrade_repro.deposit.unpack import LIMITS, check_nested_zip, is_plain_file
from upgrade_repro.errors import DepositArchiveError
from upgrade_repro.registry import sha256, sha256_bytes

# Statuses of compare_output; the first three are matches.
MATCHES = ("identical", "equal at printed precision", "figure data identical")
STATUSES = (*MATCHES, "differs", "missing")

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
    # drawn only with a vintage.policy other than stop (workflow/rules/vintage.smk)
    "results/figures/vintage_revisions.png": ["results/checks/vintage_revisions.csv"],
    "results/figures/vintage_revisions.svg": ["results/checks/vintage_revisions.csv"],
}
# Word and Excel files: zips, checked against the limits of a zip before they are read.
ZIP_SUFFIXES = {".docx", ".xlsx"}
TEXT_SUFFIXES = {".md", ".tex", ".html", ".htm", ".txt", ".css", ".yaml", ".yml"}
# The reproduction report: compared by its text, run-specific provenance set aside.
REPORT_FOLDER = "results/report/"

# Lines of the report that depend on where and how it was run, not on the results (each with the
# name the detail gives it). Texts from the catalogue upgrade_repro/texts.yaml (group report), both languages (a test keeps them in step).
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


# ------------------------------------------------------------------------------------ numbers
# Set by within_last_digit: numbers that differ by one unit of their last shown digit count as equal.
_LAST_DIGIT: ContextVar[bool] = ContextVar("last_digit", default=False)


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
    when rounded to it (0.12340001 and 0.1234 at 4). Under within_last_digit also when they differ by
    at most one unit of the last digit the less precise of them shows."""
    x, y = _decimal(a), _decimal(b)
    if x is None or y is None:
        return False
    if x == y or abs(x - y) <= max(abs(x), abs(y)) * Decimal(1).scaleb(-RELATIVE_DIGITS):
        return True
    if _LAST_DIGIT.get():
        shown = min(_decimals(x), _decimals(y), decimals if decimals is not None else 10**6)
        if abs(x - y) <= Decimal(1).scaleb(-shown):
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
                    return phrase("line", line=numbers_a[i1 + k], a=shown_a, b=shown_b)
            continue
        if i1 < i2:
            if j1 < j2:
                shown_a, shown_b = _clip_pair(a[i1], b[j1])
                return phrase("line", line=numbers_a[i1], a=shown_a, b=shown_b)
            return phrase("line_only_deposited", line=numbers_a[i1], a=_clip(a[i1]))
        return phrase("line_only_regenerated", line=numbers_b[j1], b=_clip(b[j1]))
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
        return phrase("rows", sheet=sheet, a=len(a), b=len(b))
    for i, (ra, rb) in enumerate(zip(a, b)):
        if len(ra) != len(rb):
            return phrase("cells", sheet=sheet, row=i + 1, a=len(ra), b=len(rb))
        for j, (ca, cb) in enumerate(zip(ra, rb)):
            ca, cb = "" if ca is None else str(ca), "" if cb is None else str(cb)
            if ca == cb or numbers_equal(ca, cb, decimals) or (_decimal(ca) is None and text_equal(ca, cb)):
                continue
            return phrase(
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
            return phrase("json_keys", where=where or "top", a=", ".join(map(str, a)), b=", ".join(map(str, b)))
        for key in a:
            found = _json_difference(a[key], b[key], f"{where}.{key}" if where else str(key))
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return phrase("json_items", where=where or "top", a=len(a), b=len(b))
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
        else phrase(
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
        return phrase("sheets", a=", ".join(a), b=", ".join(b))
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
    notes = [phrase("set_aside", kinds=kinds)] if kinds else []
    if _DATA_URI.findall(a) != _DATA_URI.findall(b):
        notes.append(phrase("embedded_differ"))
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


def _compare_figure(path: str, deposited: Path, regenerated: Path, data: list, limits: dict) -> dict:
    if not data:
        hashes = {"a": sha256(deposited)[:12], "b": sha256(regenerated)[:12]}
        return result(path, "differs", [phrase("figure_no_data", **hashes)])
    root_a, root_b = _roots(path, deposited, regenerated)
    checked = []
    for item in data:
        item = PurePosixPath(Path(item).as_posix()).as_posix()
        if path_problem(item):
            return result(path, "differs", [phrase("figure_data_outside", data=item)])
        found = compare_output(item, root_a / item, root_b / item, limits=limits)
        if found["status"] not in MATCHES:
            inner = found["facts"]
            return result(
                path, "differs", [phrase("figure_data_differs", data=item, status=found["status"], inner=inner)]
            )
        checked.append({"path": item, "status": found["status"]})
    return result(path, "figure data identical", [phrase("figure_data_match", data=checked)])


def compare_output(
    path: str, deposited: Path, regenerated: Path, *, figure_data: dict | None = None, limits: dict | None = None
) -> dict:
    """One output of the deposit against the rerun's: {'path', 'status', 'detail', 'facts'}, status
    one of STATUSES. Byte-identical first (by SHA-256: neither file is read whole for that); else by
    file type (module docstring). `figure_data` maps a figure's path to the data files it is drawn from
    (repository paths, found under both top folders); None = FIGURE_DATA. The regenerated file is the
    deposit's code's output: one larger than a member may be (`limits`, unpack.LIMITS), and a Word or
    Excel file (a zip) beyond the limits of a zip, are not read (status differs, saying why). A file
    that cannot be read is `differs`, naming the error: nothing here raises for a file's content."""
    deposited, regenerated = Path(deposited), Path(regenerated)
    limits = {**LIMITS, **(limits or {})}
    for side in (deposited, regenerated):
        if (side.exists() or side.is_symlink()) and not is_plain_file(side, path):
            return result(path, "differs", [phrase("not_plain", file=side.name)])
    if not deposited.is_file():
        return result(path, "missing", [phrase("missing_deposited")])
    if not regenerated.is_file():
        return result(path, "missing", [phrase("missing_regenerated")])
    size_a, size_b = deposited.stat().st_size, regenerated.stat().st_size
    if size_b > limits["member_bytes"]:
        return result(path, "differs", [phrase("too_large", bytes=size_b, limit=limits["member_bytes"])])
    if size_a == size_b and sha256(deposited) == sha256(regenerated):
        return result(path, "identical")
    suffix = PurePosixPath(path).suffix.lower()
    figure_data = FIGURE_DATA if figure_data is None else figure_data
    if suffix in FIGURE_SUFFIXES:
        return _compare_figure(path, deposited, regenerated, figure_data.get(path, []), limits)
    notes = []
    try:
        if suffix in ZIP_SUFFIXES:
            for side in (deposited, regenerated):
                check_nested_zip(side, limits)
        if suffix in COMPARERS:
            found = COMPARERS[suffix](deposited, regenerated)
        elif suffix in TEXT_SUFFIXES:
            found, notes = _compare_text(path, deposited, regenerated)
        else:
            hashes = {"a": sha256(deposited)[:12], "b": sha256(regenerated)[:12]}
            return result(path, "differs", [phrase("binary", suffix=suffix or "suffix-less", **hashes)])
        if suffix in {".csv", ".tsv"} and (printed := printed_decimals(deposited)):
            notes.append(phrase("printed_at", decimals=printed[0], layout=printed[1]))
        if found:
            return result(path, "differs", [found, *notes])
        if suffix in ZIP_SUFFIXES:
            media = _media_differences(deposited, regenerated)
            notes += [phrase("media_differ", names=media)] if media else []
    except DepositArchiveError as error:
        return result(path, "differs", [phrase("zip_limits", error=str(error))])
    except Exception as error:  # noqa: BLE001 - any content of an untrusted file: a difference, named
        return result(path, "differs", [phrase("unreadable", error=f"{type(error).__name__}: {error}"[:300])])
    return result(path, "equal at printed precision", [phrase("equal"), *notes])


def within_last_digit(path: str, deposited: Path, regenerated: Path, **options) -> bool:
    """A differing output is a minor discrepancy: compare_output finds it equal when numbers may
    differ by one unit of the last digit shown (rounding), nothing else differing (verdict.py)."""
    token = _LAST_DIGIT.set(True)
    try:
        return compare_output(path, deposited, regenerated, **options)["status"] in MATCHES
    finally:
        _LAST_DIGIT.reset(token)
