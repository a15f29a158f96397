"""The checks a data editor runs on a replication deposit before a reviewer reruns it
(docs/deposit.md, "Data editor's checks"): sizes, empty and duplicate files, absolute or Windows
paths in code and config, every program and data file named in the README (or a chapter of docs/ it
links), every imported distribution pinned in the lock, every reproduced item of the README present,
no personal-data columns in the shipped data, every shipped data file's licence stated, every
derived output's licence known, carried and stated, the authors named as persons with valid ORCIDs,
the paper the deposit supplements fully referenced. Pure functions: the caller (build.py) chooses
the files and their roles; this module reads them under `root` and says what fails (the deposit
stops), warns (it is written, the warning logged) and why.
"""

import csv
import fnmatch
import io
import re
import sys
from pathlib import Path, PurePosixPath

import pandas as pd

from upgrade_repro.deposit.build import is_run_history
from upgrade_repro.deposit.manifest import LICENSED
from upgrade_repro.deposit.metadata import (
    SUPPLEMENT_SCOPE,
    creator,
    orcid_valid,
    pages,
    persons,
    reference_text,
    supplemented_paper,
)
from upgrade_repro.errors import InputError
from upgrade_repro.provenance import imported_distributions

# Repositories' documented limits (README, "Data editor's checks", with sources): openICPSR takes up
# to 30 GB and 1,000 files per deposit (its FAQ; a zip imported is unpacked into at most 1,000 files),
# Zenodo 50 GB and 100 files per record (the zip is one file there); Dataverse installations set their own
# per-file limit, Harvard's was 2 GB per file (Dataverse guide 4.3). Defaults: the strictest of these.
REPOSITORY_LIMITS = {"file_bytes": 2 * 10**9, "total_bytes": 30 * 10**9, "files": 1000}

CHECKS = (
    "file_size",
    "empty_file",
    "duplicate_files",
    "absolute_or_windows_paths",
    "listed_in_readme",
    "imports_in_lock",
    "reproduced_items_present",
    "no_personal_data",
    "data_licence_stated",
    "derived_licence_stated",
    "citation_authors",
    "paper_reference",
)

# Program files: code files with these suffixes (or names). Tests are not programs that make
# results: they are named in the README as a folder (`tests/`), so they are not required one by one.
PROGRAM_SUFFIXES = {".py", ".smk", ".sh", ".r", ".do", ".ado", ".jl", ".ipynb", ".m", ".sas", ".sps"}
PROGRAM_NAMES = {"Snakefile", "Makefile"}
FOLDERS_LISTED_AS_A_WHOLE = ("tests/",)

# Text files of code and config scanned for absolute or Windows paths.
SCANNED_SUFFIXES = PROGRAM_SUFFIXES | {".yaml", ".yml", ".toml", ".cfg", ".ini", ".json", ".cff", ".j2", ".txt"}
# A line carrying this marker is skipped (a test's deliberately bad path, a pattern's example), and counted in the detail.
ALLOW_MARKER = "deposit-check: allow-path"
# Absolute paths of a machine: a Unix home or scratch folder, a drive letter with a backslash (then a
# folder and a separator, or a file with a suffix: not an escape such as "a:" followed by a newline's
# backslash-n) or a slash, a network share (two backslashes, server, share), a relative path with backslashes.
ABSOLUTE_PATH = re.compile(
    r"(?<![\w.:/~-])/(?:home|Users|root|mnt|media|scratch|tmp|var/folders|private/var|opt|srv|work|Volumes)/[^\s'\"]+"
    r"|(?<![\w])[A-Za-z]:\\{1,2}[\w .$-]+(?:(?:\\{1,2}|/)[^\s'\"]*|\.\w{1,5}\b)"
    r"|(?<![\w])[A-Za-z]:/(?:[\w .-]+/)+[^\s'\"]*"
    r"|\\\\[\w.-]+\\[\w$.-]+"
    r"|(?<![\w\\])(?:\.\.?\\)?(?:[\w.-]+\\)+[\w.-]+\.(?:csv|xlsx?|dta|txt|ya?ml|json|py|do|r|smk|shp|geojson|parquet|pdf|png)\b",
    re.IGNORECASE,
)

# Column heads that identify a person (exact heads after normalisation, or the terms inside a head).
# A bare `name` is not among them: the reference tables name provinces and aggregates with it.
PERSONAL_TERMS_CJK = (
    "姓名",
    "身份证",
    "证件号",
    "护照",
    "电话",
    "手机",
    "邮箱",
    "电子邮件",
    "住址",
    "家庭地址",
    "通讯地址",
    "联系地址",
    "出生日期",
    "生日",
    "银行卡",
    "微信号",
    "联系人",
)
# Latin terms: found anywhere in a head (its words, camelCase split) ...
PERSONAL_TERMS_LATIN = (
    ("person", "name"),
    ("full", "name"),
    ("first", "name"),
    ("last", "name"),
    ("given", "name"),
    ("family", "name"),
    ("respondent", "name"),
    ("surname",),
    ("id", "number"),
    ("id", "card"),
    ("national", "id"),
    ("ssn",),
    ("passport",),
    ("phone", "number"),
    ("mobile", "number"),
    ("cellphone",),
    ("email",),
    ("e", "mail"),
    ("home", "address"),
    ("street", "address"),
    ("postal", "address"),
    ("birth", "date"),
    ("date", "of", "birth"),
    ("birthdate",),
    ("birthday",),
    ("dob",),
)
# ... or the whole head (a word that is also a statistic's name, e.g. mobile_subscribers, is left alone).
PERSONAL_HEADS_LATIN = ("phone", "telephone", "mobile", "address", "tel")
TABULAR_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".dta"}
LICENCE_HEADS = ("licence", "license", "rights", "许可", "版权")


_DOC_LINK = re.compile(r"\]\((docs/[\w./-]+\.md)(?:#[\w-]*)?\)")


def documentation_text(root) -> str:
    """README.md followed by every chapter of docs/ it links to (`[...](docs/x.md)`): the README of
    the checks, whose reference chapters live in docs/ (README's map of the documentation)."""
    root = Path(root)
    readme = (root / "README.md").read_text(encoding="utf-8")
    chapters = dict.fromkeys(_DOC_LINK.findall(readme))
    texts = [readme] + [(root / c).read_text(encoding="utf-8") for c in chapters if (root / c).is_file()]
    return "\n\n".join(texts)


class DepositCheckError(InputError):
    """A data editor's check of the deposit fails: the deposit is not written."""


def _row(check, path, status, detail) -> dict:
    return {"check": check, "path": path, "status": status, "detail": detail}


def _shipped(members) -> list[dict]:
    return [m for m in members if m.get("status", "included") != LICENSED]


def _read_text(root, path) -> str | None:
    try:
        return (Path(root) / path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        try:
            return (Path(root) / path).read_text(encoding="gb18030")
        except UnicodeDecodeError:
            return None


def _human(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


# ------------------------------------------------------------------------------------ the checks
def check_file_size(members, limits) -> list[dict]:
    shipped = _shipped(members)
    rows = [
        _row(
            "file_size",
            m["path"],
            "fail" if m["bytes"] > limits["file_bytes"] else "pass",
            f"{_human(m['bytes'])}; limit {_human(limits['file_bytes'])} per file",
        )
        for m in shipped
    ]
    total = sum(m["bytes"] for m in shipped)
    too_big, too_many = total > limits["total_bytes"], len(shipped) > limits["files"]
    rows.append(
        _row(
            "file_size",
            "(all files)",
            "fail" if too_big or too_many else "pass",
            f"{_human(total)} in {len(shipped)} files; limits {_human(limits['total_bytes'])} and {limits['files']} files"
            " per deposit",
        )
    )
    return rows


def check_empty_files(members) -> list[dict]:
    return [
        _row(
            "empty_file",
            m["path"],
            "fail" if m["bytes"] == 0 else "pass",
            "0 bytes: an empty file" if m["bytes"] == 0 else "",
        )
        for m in _shipped(members)
    ]


def check_duplicates(members) -> list[dict]:
    by_hash: dict[str, list[str]] = {}
    for m in _shipped(members):
        by_hash.setdefault(m["sha256"], []).append(m["path"])
    roles = {m["path"]: m["role"] for m in _shipped(members)}
    rows = []
    for m in _shipped(members):
        others = [p for p in by_hash[m["sha256"]] if p != m["path"]]
        if others and m["bytes"] > 0 and all(roles[p] == "output" for p in [m["path"], *others]):
            # outputs the workflow writes twice alike (the map for the Word file and the standalone
            # one): a rerun makes both, so neither is a stray copy; said in the detail
            rows.append(_row("duplicate_files", m["path"], "pass", "output identical to " + ", ".join(others)))
        elif others and m["bytes"] > 0:
            rows.append(_row("duplicate_files", m["path"], "fail", "same SHA-256 as " + ", ".join(others)))
        else:
            rows.append(_row("duplicate_files", m["path"], "pass", "" if m["bytes"] else "empty (see empty_file)"))
    return rows


def path_findings(text: str) -> tuple[list[str], int]:
    """('line N: match' for every absolute or Windows path in `text`, lines allowed by the marker)."""
    found, allowed = [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        matches = [m.group(0) for m in ABSOLUTE_PATH.finditer(line)]
        if matches and ALLOW_MARKER in line:
            allowed += 1
        elif matches:
            found += [f"line {number}: {m}" for m in matches]
    return found, allowed


def check_paths(root, members) -> list[dict]:
    rows = []
    for m in _shipped(members):
        name = PurePosixPath(m["path"])
        if m["role"] != "code":
            continue
        # Files with a text suffix, Snakefile/Makefile, and suffix-less scripts (a '#!' line: .ci/run).
        if name.suffix.lower() not in SCANNED_SUFFIXES and name.name not in PROGRAM_NAMES:
            if name.suffix or not (Path(root) / m["path"]).read_bytes()[:2] == b"#!":
                continue
        text = _read_text(root, m["path"])
        if text is None:
            rows.append(_row("absolute_or_windows_paths", m["path"], "fail", "not UTF-8 or GB18030 text"))
            continue
        found, allowed = path_findings(text)
        note = f"; {allowed} line(s) marked '{ALLOW_MARKER}' skipped" if allowed else ""
        if found:
            shown = "; ".join(found[:5]) + (f"; ... ({len(found)} in all)" if len(found) > 5 else "")
            rows.append(_row("absolute_or_windows_paths", m["path"], "fail", shown + note))
        else:
            rows.append(_row("absolute_or_windows_paths", m["path"], "pass", note.lstrip("; ")))
    return rows


def is_program_file(path: str) -> bool:
    name = PurePosixPath(path)
    return name.suffix.lower() in PROGRAM_SUFFIXES or name.name in PROGRAM_NAMES


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def expand_braces(text: str) -> list[str]:
    """'a.{csv,md}' -> ['a.csv', 'a.md'] (one level per group, groups expanded left to right)."""
    match = re.search(r"\{([^{}]*)\}", text)
    if not match:
        return [text]
    out = []
    for alternative in match.group(1).split(","):
        out += expand_braces(text[: match.start()] + alternative.strip() + text[match.end() :])
    return out


def readme_names(readme_text: str) -> dict:
    """What the README names: its code spans expanded (braces), the words of the Repository layout
    block, and the module names of the library's module table (README, "Data editor's checks")."""
    spans = set()
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", readme_text, re.S | re.M)
    for span in _CODE_SPAN.findall(readme_text) + [w for block in fenced for w in block.split()]:
        for token in re.split(r"\s+|,(?![^{}]*\})", span):
            spans.update(expand_braces(token.strip("()")))
    lines = readme_text.splitlines()
    modules = set()
    for line in lines:
        if line.startswith("| `") and line.count("|") >= 3:
            first_cell = line.split("|")[1]
            modules.update(_CODE_SPAN.findall(first_cell))
    return {"spans": spans, "lines": lines, "modules": modules}


def named_in_readme(path: str, names: dict) -> str | None:
    """How the README names `path` (a reason), or None. Named: its path (in a code span, or anywhere in
    the text), a glob or brace pattern in a code span that matches it, its file name on a line that names
    its folder (`tools/ ... make_demo.py`), or for a module of the library, its module name in the first
    column of a README table."""
    text = "\n".join(names["lines"])
    if path in names["spans"] or re.search(rf"(?<![\w/.-]){re.escape(path)}(?![\w/-])", text):
        return "path"
    for span in names["spans"]:
        if any(c in span for c in "*?[") and fnmatch.fnmatch(path, span):
            return f"pattern {span}"
    parent, name = PurePosixPath(path).parent.as_posix(), PurePosixPath(path).name
    for line in names["lines"]:
        if re.search(rf"(?<![\w/.-]){re.escape(parent)}/", line) and re.search(
            rf"(?<![\w/.-]){re.escape(name)}(?![\w-])", line
        ):
            return f"file name on the line of {parent}/"
    if parent == "upgrade_repro" and PurePosixPath(path).stem in names["modules"]:
        return "module table"
    if name == "__init__.py" and re.search(rf"(?<![\w/.-]){re.escape(parent)}/", text):
        return f"its package {parent}/"
    return None


def check_listed(members, readme_text: str) -> list[dict]:
    names = readme_names(readme_text)
    rows = []
    for m in members:
        program = m["role"] == "code" and is_program_file(m["path"])
        if not (program or m["role"] == "data") or m.get("status") == LICENSED:
            continue
        kind = "program file" if program else "data file"
        if any(m["path"].startswith(f) for f in FOLDERS_LISTED_AS_A_WHOLE):
            rows.append(_row("listed_in_readme", m["path"], "pass", f"{kind} of a folder named as a whole"))
            continue
        how = named_in_readme(m["path"], names)
        rows.append(
            _row(
                "listed_in_readme",
                m["path"],
                "pass" if how else "fail",
                f"{kind} named by {how}" if how else f"{kind} not named in README.md",
            )
        )
    return rows


def _normalise_distribution(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(lock_text: str) -> dict[str, str]:
    """requirements.lock -> {normalised distribution name: version} (`name==version` lines)."""
    pins = {}
    for line in lock_text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_normalise_distribution(name.split("[")[0].strip())] = version.strip().split(";")[0].strip()
    return pins


_IMPORT_LINE = re.compile(r"^\s*(?:import\s+([\w.]+(?:\s*,\s*[\w.]+)*)|from\s+([\w.]+)\s+import\b)", re.M)


def workflow_imports(text: str) -> set[str]:
    """Top-level modules imported by a Snakefile or .smk file (Snakemake's syntax is not Python's, so
    its import statements are read line by line; relative imports left out)."""
    found = set()
    for names, module in _IMPORT_LINE.findall(text):
        for name in [module] if module else names.split(","):
            name = name.strip()
            if name and not name.startswith("."):
                found.add(name.split(".")[0])
    return found


def _workflow_distributions(root, paths, own) -> dict[str, list[str]]:
    """imported_distributions for Snakefile/.smk files: distribution -> the files importing it."""
    from upgrade_repro.provenance import _packages_distributions

    providers = _packages_distributions()
    users: dict[str, set[str]] = {}
    for path in paths:
        text = (Path(root) / path).read_text(encoding="utf-8")
        for module in workflow_imports(text) - set(sys.stdlib_module_names) - set(own) - {"__future__"}:
            for dist in providers.get(module, [f"?{module}"]):
                users.setdefault(dist, set()).add(path)
    return {d: sorted(f) for d, f in users.items()}


def check_imports(root, members, lock_text: str) -> list[dict]:
    code = [m["path"] for m in _shipped(members) if m["role"] == "code"]
    sources = [p for p in code if p.endswith(".py")]
    workflow_files = [p for p in code if p.endswith(".smk") or PurePosixPath(p).name == "Snakefile"]
    pins = locked_versions(lock_text)
    # The project's own modules (the library, the tests' and tools' helpers imported by name) are not distributions.
    own = {"upgrade_repro"} | {PurePosixPath(p).stem for p in sources}
    used = imported_distributions([Path(root) / p for p in sources], own=tuple(own))
    for dist, files in _workflow_distributions(root, workflow_files, own).items():
        used[dist] = sorted({*used.get(dist, []), *files})
    rows = []
    for dist, files in used.items():
        files = sorted(Path(f).relative_to(Path(root)).as_posix() if Path(f).is_absolute() else f for f in files)
        files = [Path(f).as_posix().removeprefix(Path(root).as_posix() + "/") for f in files]
        by = files[0] + (f" and {len(files) - 1} other file(s)" if len(files) > 1 else "")
        if dist.startswith("?"):
            rows.append(
                _row(
                    "imports_in_lock",
                    files[0],
                    "fail",
                    f"imports {dist[1:]}, which no installed distribution provides (imported by {by})",
                )
            )
        elif _normalise_distribution(dist) in pins:
            rows.append(
                _row(
                    "imports_in_lock",
                    files[0],
                    "pass",
                    f"{dist}=={pins[_normalise_distribution(dist)]} (imported by {by})",
                )
            )
        else:
            rows.append(
                _row(
                    "imports_in_lock",
                    files[0],
                    "fail",
                    f"imports {dist}, not pinned in the lock file (imported by {by})",
                )
            )
    return rows


def reproduced_items(readme_text: str) -> list[str]:
    """The output paths of the README's 'List of reproduced items' table (column `output`, relative to
    results/, braces expanded), as repository paths under results/."""
    section = re.search(r"^## List of reproduced items\n(.*?)(?=^## )", readme_text + "\n## ", re.S | re.M)
    if not section:
        return []
    paths, column = [], None
    for line in section.group(1).splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if column is None:
            column = cells.index("output") if "output" in cells else -1
            continue
        if column < 0 or column >= len(cells) or set(cells[column]) <= set("-: "):
            continue
        for span in _CODE_SPAN.findall(cells[column]):
            paths += [f"results/{p}" for p in expand_braces(span)]
    return list(dict.fromkeys(paths))


def check_reproduced(members, readme_text: str) -> list[dict]:
    outputs = {m["path"] for m in _shipped(members) if m["role"] == "output"}
    rows = []
    for path in reproduced_items(readme_text):
        if is_run_history(path):
            rows.append(
                _row("reproduced_items_present", path, "not applicable", "run history, not an output of a deposit")
            )
        elif path in outputs:
            rows.append(_row("reproduced_items_present", path, "pass", "in the deposit as an output"))
        else:
            rows.append(
                _row(
                    "reproduced_items_present",
                    path,
                    "fail",
                    "named in README's List of reproduced items, not among the deposit's outputs",
                )
            )
    return rows


def column_heads(root, path) -> list[str] | None:
    """The first row of a tabular data file (csv/tsv/txt: its first non-empty line; xlsx: each sheet's
    first row; dta: the variable names), or None when it cannot be read."""
    full = Path(root) / path
    suffix = full.suffix.lower()
    if suffix in {".xlsx", ".xls"}:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(full))
        heads = []
        for sheet in book.sheet_names:
            rows = book.get_sheet_by_name(sheet).to_python(nrows=1)
            heads += [str(c) for c in (rows[0] if rows else [])]
        return heads
    if suffix == ".dta":
        with pd.read_stata(full, iterator=True) as reader:
            return list(reader.variable_labels())  # variable name -> label, for every variable
    text = _read_text(root, path)
    if text is None:
        return None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return next(csv.reader(io.StringIO(first), delimiter=delimiter), [])


def personal_heads(heads) -> list[str]:
    """The heads that name personal data (PERSONAL_TERMS_*), each with the term it matches."""
    found = []
    for head in heads:
        text = str(head).strip()
        cjk = next((t for t in PERSONAL_TERMS_CJK if t in text), None)
        tokens = re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower())
        latin = next(
            (
                " ".join(t)
                for t in PERSONAL_TERMS_LATIN
                if any(tokens[i : i + len(t)] == list(t) for i in range(len(tokens) - len(t) + 1))
            ),
            None,
        )
        if not latin and " ".join(tokens) in PERSONAL_HEADS_LATIN:
            latin = " ".join(tokens)
        if cjk or latin:
            found.append(f"{text} ({cjk or latin})")
    return found


def check_personal_data(root, members) -> list[dict]:
    rows = []
    for m in _shipped(members):
        if m["role"] != "data" or PurePosixPath(m["path"]).suffix.lower() not in TABULAR_SUFFIXES:
            continue
        heads = column_heads(root, m["path"])
        if heads is None:
            rows.append(_row("no_personal_data", m["path"], "fail", "cannot read the column heads"))
            continue
        found = personal_heads(heads)
        rows.append(
            _row(
                "no_personal_data",
                m["path"],
                "fail" if found else "pass",
                ("personal-data column(s): " + ", ".join(found)) if found else f"{len(heads)} column heads checked",
            )
        )
    return rows


def _licence_section(readme_text: str) -> str:
    match = re.search(r"^## Licen[cs]es?\n(.*?)(?=^## )", readme_text + "\n## ", re.S | re.M)
    return match.group(1) if match else ""


def licence_statement(path: str, readme_text: str, root=None) -> str | None:
    """Where the licence of data file `path` is stated, or None: a line of the README's Licences
    section naming the file or a folder holding it (`data/reference/`), a row of a README table with a
    licence or rights column (non-empty) naming the file, or a licence column in the file itself."""
    section = _licence_section(readme_text)
    names = {"spans": set(), "lines": section.splitlines(), "modules": set()}
    folders = [p.as_posix() + "/" for p in PurePosixPath(path).parents if p.as_posix() != "."]
    if named_in_readme(path, names) or any(
        re.search(rf"(?<![\w/.-]){re.escape(f)}(?![\w.-])", section) for f in folders
    ):
        return "README, Licences"
    head = None
    for line in readme_text.splitlines():
        if not line.startswith("|"):
            head = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if head is None:
            head = cells
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        rights = [i for i, h in enumerate(head) if any(k in h.lower() for k in LICENCE_HEADS)]
        row_names = {"spans": set(), "lines": [line], "modules": set()}
        if rights and named_in_readme(path, row_names) and any(i < len(cells) and cells[i] for i in rights):
            return "README data table: " + "; ".join(cells[i] for i in rights if i < len(cells))
    if root is not None and PurePosixPath(path).suffix.lower() in TABULAR_SUFFIXES:
        heads = column_heads(root, path) or []
        if any(any(k in str(h).lower() for k in LICENCE_HEADS) for h in heads):
            return "a licence column in the file"
    return None


def check_licences(root, members, readme_text: str) -> list[dict]:
    rows = []
    for m in members:
        if m["role"] != "data":
            continue
        if m.get("status") == LICENSED:
            rows.append(_row("data_licence_stated", m["path"], "pass", f"{LICENSED}: left out, listed in MANIFEST.csv"))
            continue
        where = licence_statement(m["path"], readme_text, root)
        rows.append(
            _row(
                "data_licence_stated",
                m["path"],
                "pass" if where else "fail",
                f"stated in {where}"
                if where
                else "no licence stated (README Licences section, a data table's rights column, or a licence column)",
            )
        )
    return rows


def check_derived_licences(root, derived, readme_text: str) -> list[dict]:
    """One row per derived output (licences.derived_outputs): fails when its licence is not known
    (a user's boundary file whose licence the README does not state), when an embedded font lacks its
    licence notice, or when README's Licences section does not name the output."""
    rows = []
    for d in derived:
        problems, facts = [], []
        if d.get("font_notice") is False:
            problems.append(
                "the embedded font carries no licence notice (name ID 13), which its licence asks every copy "
                "to carry: keep the name records when subsetting (upgrade_repro/report_font.py NAME_IDS)"
            )
        elif d.get("source_file"):
            where = licence_statement(d["source_file"], readme_text, root)
            if where:
                facts.append(f"licence of {d['source_file']} stated in {where}")
            else:
                problems.append(f"the licence of its source {d['source_file']} is not stated")
        elif d.get("license"):
            facts.append(
                d["license"] if d.get("font_notice") else "; ".join(filter(None, (d["license"], d.get("terms"))))
            )
        else:
            problems.append(f"its licence is not known from the source (no SPDX licence in {d.get('terms')!r})")
        if d.get("font_notice"):
            facts.append("licence notice kept in the embedded font")
        statement = licence_statement(d["path"], readme_text)
        if statement:
            facts.append(f"stated in {statement}")
        else:
            problems.append(f"README's Licences section does not name {d['path']} and its licence")
        origin = f"derived from {d['derived_from']}"
        rows.append(
            _row(
                "derived_licence_stated",
                d["path"],
                "fail" if problems else "pass",
                "; ".join([*problems, origin] if problems else [origin, *facts]),
            )
        )
    return rows


def check_citation_authors(citation: dict | None) -> list[dict]:
    """CITATION.cff's authors as a data editor reads them: an ORCID with a wrong check digit fails
    (it would credit someone else); no person among the authors (only an organisation) warns, since
    repositories and data editors ask for the authors by name."""
    if citation is None:
        return []
    rows = []
    for author in citation.get("authors") or []:
        if author.get("orcid") and not orcid_valid(author["orcid"]):
            rows.append(
                _row(
                    "citation_authors",
                    "CITATION.cff",
                    "fail",
                    f"author {creator(author)['name']}: {author['orcid']} is not a valid ORCID (its check digit "
                    "does not match): correct it, a wrong one credits someone else",
                )
            )
    named = [creator(a) for a in persons(citation)]
    others = [creator(a)["name"] for a in citation.get("authors") or [] if creator(a)["type"] != "Personal"]
    if not named:
        rows.append(
            _row(
                "citation_authors",
                "CITATION.cff",
                "warn",
                "names no person among the authors (only " + ", ".join(others or ["nobody"]) + "): a data editor "
                "and the repository ask for the authors by name; add each author (family-names, given-names, "
                "orcid, affiliation) under authors in CITATION.cff (docs/deposit.md, 'Authors')",
            )
        )
    elif not rows:
        shown = [p["name"] + (f" (ORCID {p['orcid']})" if p.get("orcid") else "") for p in named]
        extra = f"; and {', '.join(others)}" if others else ""
        rows.append(
            _row("citation_authors", "CITATION.cff", "pass", f"{len(named)} person(s): " + "; ".join(shown) + extra)
        )
    return rows


def check_paper_reference(citation: dict | None) -> list[dict]:
    """The paper the deposit supplements (the reference whose scope is SUPPLEMENT_SCOPE): warns when
    none is marked, when its journal, year, issue or pages are missing, or when it has no DOI or
    URL (metadata.json then relates the deposit to it by its bibliographic data only)."""
    if citation is None:
        return []
    paper = supplemented_paper(citation)
    if paper is None:
        return [
            _row(
                "paper_reference",
                "CITATION.cff",
                "warn",
                f"no reference has scope '{SUPPLEMENT_SCOPE}': metadata.json names no paper the deposit "
                "is a supplement to (isSupplementTo)",
            )
        ]
    missing = [k for k in ("journal", "year", "issue") if not paper.get(k)] + ([] if pages(paper) else ["pages"])
    problems = [f"missing {', '.join(missing)}"] if missing else []
    if not (paper.get("doi") or paper.get("url")):
        problems.append(
            "no DOI or URL, so metadata.json relates the deposit to the paper by its bibliographic data only "
            "(related_items, isSupplementTo); add doi: (or url:) to the reference when one is known"
        )
    return [
        _row(
            "paper_reference",
            "CITATION.cff",
            "warn" if problems else "pass",
            "; ".join([*problems, reference_text(paper)]),
        )
    ]


def deposit_checks(
    root, members, readme_text: str, lock_text: str, *, limits=None, citation=None, derived=()
) -> pd.DataFrame:
    """The data editor's checks of a deposit (docs/deposit.md, "Data editor's checks").

    members: one dict per file {path (relative to `root`, '/'), role (code, data, output,
    documentation), bytes, sha256, status ('included' or 'licensed, not redistributable')};
    citation: CITATION.cff as read (None: its checks examine nothing); derived: the derived outputs
    (licences.derived_outputs). Returns one row per (check, path) examined, columns check, path,
    status ('pass', 'warn', 'fail' (stops the deposit), 'not applicable'), detail; a check that examined
    nothing has one 'not applicable' row."""
    limits = {**REPOSITORY_LIMITS, **(limits or {})}
    members = sorted(members, key=lambda m: m["path"])
    rows = (
        check_file_size(members, limits)
        + check_empty_files(members)
        + check_duplicates(members)
        + check_paths(root, members)
        + check_listed(members, readme_text)
        + check_imports(root, members, lock_text)
        + check_reproduced(members, readme_text)
        + check_personal_data(root, members)
        + check_licences(root, members, readme_text)
        + check_derived_licences(root, derived, readme_text)
        + check_citation_authors(citation)
        + check_paper_reference(citation)
    )
    seen = {r["check"] for r in rows}
    rows += [_row(c, "", "not applicable", "nothing to examine") for c in CHECKS if c not in seen]
    order = {c: i for i, c in enumerate(CHECKS)}
    rows.sort(key=lambda r: order[r["check"]])
    return pd.DataFrame(rows, columns=["check", "path", "status", "detail"])


def require_checks_pass(checks: pd.DataFrame, checks_path: str) -> None:
    """Raise DepositCheckError naming each failing file and the reason, one line each (a warning
    does not stop the deposit)."""
    failed = checks[checks["status"] == "fail"]
    if failed.empty:
        return
    lines = [f"  {r.path or '(deposit)'}: {r.check}: {r.detail}" for r in failed.itertuples()]
    raise DepositCheckError(
        f"{len(failed)} data editor's check(s) fail; the deposit is not written (fix each file, or the "
        "README, and run again):\n" + "\n".join(lines),
        file=checks_path,
    )


def warnings_of(checks: pd.DataFrame) -> list[str]:
    """One line per warn row: 'check: path: detail' (what the rules log)."""
    return [f"{r.check}: {r.path or '(deposit)'}: {r.detail}" for r in checks[checks["status"] == "warn"].itertuples()]
