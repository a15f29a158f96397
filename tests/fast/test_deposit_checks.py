"""The data editor's checks of a deposit (upgrade_repro/deposit/checks.py): each fails on a small
hand-made bad case and passes on a good one; the repository's own files pass them all."""

import hashlib
import subprocess

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from upgrade_repro.deposit.checks import (
    CHECKS,
    DepositCheckError,
    deposit_checks,
    documentation_text,
    expand_braces,
    is_run_history,
    locked_versions,
    path_findings,
    personal_heads,
    reproduced_items,
    require_checks_pass,
)
from upgrade_repro.deposit.manifest import LICENSED

README = """# A package

## Data

| file | what | source and rights |
|---|---|---|
| `data/a.csv` | the data | public, CC-BY-4.0 |

## Licences

- Code: MIT. Reference tables (`data/ref/`): MIT.

## List of reproduced items

| item | rule | output |
|---|---|---|
| Table 1 | `describe` | `tables/t1.{csv,md}` |
| changes | `changes` | `checks/changes.csv` |

## Repository layout

```
scripts/run.py       the script
tools/               helpers: make.py
data/ref/codes.csv   region codes
```
"""
LOCK = "pandas==3.1.1\nPyYAML==6.0.4\n"


def member(root, path, role, content: bytes | None = None, status="included"):
    full = root / path
    if content is not None:
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(content)
    data = full.read_bytes() if full.exists() else b""
    return {
        "path": path,
        "role": role,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "status": status,
    }


def good_members(root):
    return [
        member(root, "scripts/run.py", "code", b"import pandas\nimport yaml\nPATH = 'data/a.csv'\n"),
        member(root, "tools/make.py", "code", b"import os\n"),
        member(root, "data/a.csv", "data", "地区,年份,value\n北京,2020,1\n".encode()),
        member(root, "data/ref/codes.csv", "data", b"code,name\n110000,Beijing\n"),
        member(root, "README.md", "documentation", README.encode()),
        member(root, "results/tables/t1.csv", "output", b"variable,mean\nx,1.0\n"),
        member(root, "results/tables/t1.md", "output", b"| x | 1.0 |\n"),
    ]


def run(root, members, readme=README, lock=LOCK, **kw):
    return deposit_checks(root, members, readme, lock, **kw)


def failing(checks: pd.DataFrame, check: str) -> dict:
    rows = checks[(checks["check"] == check) & (checks["status"] == "fail")]
    return dict(zip(rows["path"], rows["detail"]))


def test_a_good_deposit_passes_every_check_with_a_row_for_each(tmp_path):
    checks = run(tmp_path, good_members(tmp_path))
    assert list(checks.columns) == ["check", "path", "status", "detail"]
    assert set(checks["check"]) == set(CHECKS)
    assert (checks["status"] != "fail").all(), checks[checks["status"] == "fail"]
    require_checks_pass(checks, "results/deposit/checks.csv")  # no error
    # The README's changes.csv is run history, named as such, not required
    row = checks[checks["path"] == "results/checks/changes.csv"].iloc[0]
    assert (row["check"], row["status"]) == ("reproduced_items_present", "not applicable")


def test_a_check_that_examines_nothing_still_has_a_row(tmp_path):
    checks = run(tmp_path, [member(tmp_path, "README.md", "documentation", b"# x\n")], readme="# x\n")
    assert set(checks["check"]) == set(CHECKS)
    assert set(checks[checks["check"] == "no_personal_data"]["status"]) == {"not applicable"}


def test_file_size_flags_a_file_and_the_total_above_the_limits(tmp_path):
    members = good_members(tmp_path)
    sizes = {m["path"]: m["bytes"] for m in members}
    big = max(sizes, key=sizes.get)
    checks = run(tmp_path, members, limits={"file_bytes": sizes[big] - 1, "total_bytes": sum(sizes.values()) - 1})
    failed = failing(checks, "file_size")
    assert set(failed) == {big, "(all files)"}
    assert f"{sizes[big]} bytes" in failed[big]
    assert run(tmp_path, members, limits={"file_bytes": sizes[big]})["status"].ne("fail").all()
    too_many = failing(run(tmp_path, members, limits={"files": len(members) - 1}), "file_size")
    assert list(too_many) == ["(all files)"] and f"in {len(members)} files; limits" in too_many["(all files)"]


def test_empty_and_duplicate_files_are_named(tmp_path):
    members = good_members(tmp_path) + [
        member(tmp_path, "results/tables/empty.csv", "output", b""),
        member(tmp_path, "data/copy.csv", "data", (tmp_path / "data/a.csv").read_bytes()),
    ]
    checks = run(tmp_path, members)
    assert set(failing(checks, "empty_file")) == {"results/tables/empty.csv"}
    dupes = failing(checks, "duplicate_files")
    assert dupes == {"data/a.csv": "same SHA-256 as data/copy.csv", "data/copy.csv": "same SHA-256 as data/a.csv"}


def test_outputs_identical_to_other_outputs_pass_and_are_named(tmp_path):
    """The workflow writes the map twice alike (results/manuscript/figure1_map.png for the Word file):
    a rerun makes both, so they pass; an output equal to a shipped data file still fails."""
    png = b"\x89PNG same bytes"
    members = good_members(tmp_path) + [
        member(tmp_path, "results/figures/figure1_map.png", "output", png),
        member(tmp_path, "results/manuscript/figure1_map.png", "output", png),
        member(tmp_path, "results/data/copy.csv", "output", (tmp_path / "data/a.csv").read_bytes()),
    ]
    checks = run(tmp_path, members)
    rows = checks[checks["check"] == "duplicate_files"].set_index("path")
    assert rows.loc["results/figures/figure1_map.png", "status"] == "pass"
    assert (
        rows.loc["results/figures/figure1_map.png", "detail"]
        == "output identical to results/manuscript/figure1_map.png"
    )
    assert rows.loc["results/manuscript/figure1_map.png", "status"] == "pass"
    assert set(failing(checks, "duplicate_files")) == {"data/a.csv", "results/data/copy.csv"}


@pytest.mark.parametrize(
    "line, found",
    [
        ("df = read_csv('/home/alice/thesis/data.csv')", "/home/alice/thesis/data.csv"),  # deposit-check: allow-path
        ("path = r'C:\\Users\\li\\data.xlsx'", "C:\\Users\\li\\data.xlsx"),  # deposit-check: allow-path
        ("path = 'D:/work/eps/x.csv'", "D:/work/eps/x.csv"),  # deposit-check: allow-path
        ("raw: data\\raw\\eps.csv", "data\\raw\\eps.csv"),  # deposit-check: allow-path
        ("cd /Users/bob/project", "/Users/bob/project"),  # deposit-check: allow-path
    ],
)
def test_absolute_and_windows_paths_are_found(line, found):
    assert path_findings(line) == ([f"line 1: {found}"], 0)


@pytest.mark.parametrize(
    "line",
    [
        "PATH = 'data/raw/public/x.csv'",
        "assert '/data/raw/' in name",
        "re.sub(r'[\\\\&%$#_{}~^]', f, text)",
        "'rule a:\\n    input:'",  # a colon before an escaped newline is no drive letter
        "print('a:\\tb')",
        "url = 'https://example.org/home/x'",
        "raw: ../shared/data/eps/eps_long_2008_2021.csv",
        "text.replace('\\n', ' ')",
    ],
)
def test_relative_paths_urls_and_escapes_are_not_paths(line):
    assert path_findings(line) == ([], 0)


def test_absolute_path_check_reads_code_and_config_and_honours_the_marker(tmp_path):
    home = "/ho" + "me/alice/data.csv"  # split so that this file holds no such path
    members = good_members(tmp_path) + [
        member(tmp_path, "config.yaml", "code", f"raw:\n  - {home}\n".encode()),
        member(tmp_path, "scripts/ok.py", "code", f"X = '{home}'  # deposit-check: allow-path\n".encode()),
        member(tmp_path, "docs/notes.md", "documentation", f"{home}\n".encode()),  # not code: not examined
        member(tmp_path, ".ci/run", "code", f"#!/bin/sh\ncd {home}\n".encode()),  # a script without suffix
        member(tmp_path, "data.bin", "code", f"{home}\n".encode()),  # not text code: not examined
    ]
    checks = run(tmp_path, members, readme=README + "\n`scripts/ok.py`\n")
    assert failing(checks, "absolute_or_windows_paths") == {
        "config.yaml": f"line 2: {home}",
        ".ci/run": f"line 2: {home}",
    }
    ok = checks[(checks["check"] == "absolute_or_windows_paths") & (checks["path"] == "scripts/ok.py")].iloc[0]
    assert ok["status"] == "pass" and "1 line(s) marked" in ok["detail"]
    examined = set(checks[checks["check"] == "absolute_or_windows_paths"]["path"])
    assert "docs/notes.md" not in examined and "data.bin" not in examined


def test_every_program_and_data_file_must_be_named_in_the_readme(tmp_path):
    members = good_members(tmp_path) + [
        member(tmp_path, "scripts/extra.py", "code", b"x = 1\n"),
        member(tmp_path, "data/b.csv", "data", b"a\n1\n"),
        member(tmp_path, "report/t.html.j2", "code", b"<p></p>\n"),  # not a program file
        member(tmp_path, "tests/test_x.py", "code", b"x = 2\n"),  # tests: a folder named as a whole
    ]
    failed = failing(run(tmp_path, members), "listed_in_readme")
    assert failed == {
        "scripts/extra.py": "program file not named in README.md",
        "data/b.csv": "data file not named in README.md",
    }
    named = run(tmp_path, members, readme=README + "\n`scripts/*.py` and `data/{a,b}.csv`\n")
    assert failing(named, "listed_in_readme") == {}
    how = named.set_index(["check", "path"]).loc[("listed_in_readme", "tools/make.py"), "detail"]
    assert how == "program file named by file name on the line of tools/"


def test_module_table_names_the_library_modules(tmp_path):
    members = [member(tmp_path, "upgrade_repro/readers.py", "code", b"x = 1\n")]
    table = "| module | holds |\n|---|---|\n| `panel`, `readers` | reading |\n"
    assert failing(run(tmp_path, members, readme=table), "listed_in_readme") == {}
    assert set(failing(run(tmp_path, members, readme=table.replace("`readers`", "`other`")), "listed_in_readme")) == {
        "upgrade_repro/readers.py"
    }


def test_imports_must_be_pinned_in_the_lock(tmp_path):
    members = good_members(tmp_path) + [
        member(tmp_path, "scripts/plot.py", "code", b"import matplotlib.pyplot as plt\nimport run\n"),
    ]
    failed = failing(run(tmp_path, members, readme=README + "`scripts/plot.py`"), "imports_in_lock")
    # matplotlib is installed but not in this lock; `run` is the project's own scripts/run.py
    assert list(failed) == ["scripts/plot.py"]
    assert "imports matplotlib, not pinned" in failed["scripts/plot.py"]
    passed = run(tmp_path, members, readme=README + "`scripts/plot.py`", lock=LOCK + "matplotlib==3.11.2\n")
    assert failing(passed, "imports_in_lock") == {}
    pins = passed[passed["check"] == "imports_in_lock"]["detail"]
    assert any(d.startswith("PyYAML==6.0.4 (imported by scripts/run.py") for d in pins)


def test_an_import_no_distribution_provides_fails(tmp_path):
    members = [member(tmp_path, "scripts/x.py", "code", b"import not_a_real_module_xyz\n")]
    failed = failing(run(tmp_path, members, readme="`scripts/x.py`"), "imports_in_lock")
    assert "imports not_a_real_module_xyz, which no installed distribution provides" in failed["scripts/x.py"]


def test_locked_versions_normalise_names():
    assert locked_versions("# c\nPyYAML==6.0.4\nconnection_pool==0.0.3  # x\n") == {
        "pyyaml": "6.0.4",
        "connection-pool": "0.0.3",
    }


def test_reproduced_items_come_from_the_readme_table_and_must_be_outputs(tmp_path):
    assert reproduced_items(README) == ["results/tables/t1.csv", "results/tables/t1.md", "results/checks/changes.csv"]
    members = [m for m in good_members(tmp_path) if m["path"] != "results/tables/t1.md"]
    members.append(member(tmp_path, "results/tables/t1.md", "documentation"))  # present, but not as an output
    failed = failing(run(tmp_path, members), "reproduced_items_present")
    assert list(failed) == ["results/tables/t1.md"]


def test_expand_braces_and_run_history():
    assert expand_braces("t.{csv,md}") == ["t.csv", "t.md"]
    assert expand_braces("{a,b}/{c,d}") == ["a/c", "a/d", "b/c", "b/d"]
    assert is_run_history("results/logs/clean.log") and is_run_history("results/checks/previous/table1.csv")
    assert not is_run_history("results/checks/claims.csv")


@pytest.mark.parametrize(
    "head",
    [
        "姓名",
        "身份证号码",
        "联系电话",
        "手机号",
        "Email",
        "e-mail",
        "home_address",
        "住址",
        "出生日期",
        "dateOfBirth",
        "FirstName",
        "id_number",
    ],
)
def test_personal_data_heads_are_found(head):
    assert len(personal_heads([head])) == 1


@pytest.mark.parametrize(
    "head",
    [
        "name",
        "name_short",
        "name_en",
        "地区",
        "年份",
        "province",
        "code",
        "GDP",
        "mobile_subscribers",
        "telephone_lines_per_100",
    ],
)
def test_region_and_statistics_heads_are_not_personal(head):
    assert personal_heads([head]) == []


def test_personal_data_columns_fail_the_shipped_data(tmp_path):
    members = good_members(tmp_path) + [
        member(tmp_path, "data/survey.csv", "data", "编号,姓名,手机\n1,张三,138\n".encode())
    ]
    failed = failing(run(tmp_path, members, readme=README + "`data/survey.csv`"), "no_personal_data")
    assert failed == {"data/survey.csv": "personal-data column(s): 姓名 (姓名), 手机 (手机)"}


def test_every_shipped_data_file_states_its_licence(tmp_path):
    members = good_members(tmp_path) + [
        member(tmp_path, "data/b.csv", "data", b"x,licence\n1,CC0\n"),  # a licence column
        member(tmp_path, "data/c.csv", "data", b"x\n1\n"),  # nothing
        member(tmp_path, "../eps/export.csv", "data", status=LICENSED),  # left out: its status says so
    ]
    checks = run(tmp_path, members, readme=README + "\n`data/b.csv`, `data/c.csv`\n")
    assert failing(checks, "data_licence_stated") == {
        "data/c.csv": "no licence stated (README Licences section, a data table's rights column, or a licence column)"
    }
    detail = checks.set_index(["check", "path"])["detail"]
    assert detail[("data_licence_stated", "data/a.csv")] == "stated in README data table: public, CC-BY-4.0"
    assert detail[("data_licence_stated", "data/ref/codes.csv")] == "stated in README, Licences"
    assert detail[("data_licence_stated", "data/b.csv")] == "stated in a licence column in the file"
    # the licensed file is in no other check (it is not shipped)
    assert set(checks[checks["path"] == "../eps/export.csv"]["check"]) == {"data_licence_stated"}


def test_require_checks_pass_names_each_failing_file_and_reason(tmp_path):
    members = good_members(tmp_path) + [member(tmp_path, "results/tables/empty.csv", "output", b"")]
    checks = run(tmp_path, members)
    with pytest.raises(DepositCheckError) as error:
        require_checks_pass(checks, "results/deposit/checks.csv")
    message = str(error.value)
    assert message.startswith("results/deposit/checks.csv: 1 data editor's check(s) fail")
    assert "  results/tables/empty.csv: empty_file: 0 bytes: an empty file" in message.splitlines()


def repository_members() -> list[dict]:
    """The repository's files (tracked and new, not ignored) with the roles a deposit gives them, and
    the README's reproduced items as outputs (a real run's outputs are checked by the deposit's
    workflow test)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the repository's files cannot be listed")
    members = []
    for path in sorted({p for p in listed if p and (ROOT / p).is_file()}):
        if path.startswith("data/") and not path.endswith("README.md") or path.startswith("tests/data/"):
            role = "data"
        elif path.endswith(".md") or path in ("LICENSE", "CITATION.cff"):
            role = "documentation"
        else:
            role = "code"
        data = (ROOT / path).read_bytes()
        members.append(
            {
                "path": path,
                "role": role,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "status": "included",
            }
        )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for i, path in enumerate(reproduced_items(readme)):
        digest = hashlib.sha256(f"output {i}".encode()).hexdigest()
        members.append({"path": path, "role": "output", "bytes": 1, "sha256": digest, "status": "included"})
    return members


def test_the_repository_passes_every_deposit_check():
    members = repository_members()
    readme = documentation_text(ROOT)  # README and the docs/ chapters it links, as rule deposit_checks reads them
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    checks = deposit_checks(ROOT, members, readme, lock, citation=citation)
    failed = checks[checks["status"] == "fail"]
    assert failed.empty, "\n".join(f"{r.check} {r.path}: {r.detail}" for r in failed.itertuples())
    examined = checks.groupby("check")["path"].nunique()
    # every kind of file was looked at: a check that silently examined nothing would pass too
    assert examined["listed_in_readme"] > 80 and examined["imports_in_lock"] > 15
    assert examined["no_personal_data"] >= 8 and examined["data_licence_stated"] >= 10
    assert examined["reproduced_items_present"] >= 30
    assert "results/tables/table1.csv" in set(checks["path"])


def test_personal_data_heads_of_excel_and_stata_files(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["地区", "gdp"])
    book.create_sheet("contacts").append(["province", "联系电话"])
    book.save(tmp_path / "a.xlsx")
    pd.DataFrame({"code": [110000], "email": ["x"]}).to_stata(tmp_path / "b.dta", write_index=False)
    (tmp_path / "data").mkdir()
    for name in ("a.xlsx", "b.dta"):
        (tmp_path / name).rename(tmp_path / "data" / name)
    members = [member(tmp_path, "data/a.xlsx", "data"), member(tmp_path, "data/b.dta", "data")]
    failed = failing(run(tmp_path, members, readme="`data/a.xlsx` `data/b.dta`"), "no_personal_data")
    assert failed == {
        "data/a.xlsx": "personal-data column(s): 联系电话 (电话)",
        "data/b.dta": "personal-data column(s): email (email)",
    }


def test_workflow_files_imports_are_checked_too(tmp_path):
    from upgrade_repro.deposit.checks import workflow_imports

    smk = "import os, yaml\nfrom snakemake.utils import min_version\n    import jinja2 as j\nfrom .local import x\nrule a:\n    shell: 'import nothing'\n"
    assert workflow_imports(smk) == {"os", "yaml", "snakemake", "jinja2"}
    members = [member(tmp_path, "workflow/rules/a.smk", "code", smk.encode())]
    failed = failing(
        run(tmp_path, members, readme="`workflow/rules/a.smk`", lock="PyYAML==6.0.4\nsnakemake==9.27.1\n"),
        "imports_in_lock",
    )
    assert failed == {
        "workflow/rules/a.smk": "imports Jinja2, not pinned in the lock file (imported by workflow/rules/a.smk)"
    }


def test_the_checks_read_readme_and_the_chapters_it_links(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# R\n\nSee [the deposit](docs/deposit.md#x).\n", encoding="utf-8")
    (tmp_path / "docs/deposit.md").write_text("`tools/make.py` makes it\n", encoding="utf-8")
    (tmp_path / "docs/unlinked.md").write_text("`tools/other.py`\n", encoding="utf-8")
    text = documentation_text(tmp_path)
    assert "`tools/make.py`" in text and "tools/other.py" not in text
