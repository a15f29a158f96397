"""MANIFEST.csv against the zip's own files (upgrade_repro/deposit/manifest.py): every member hashed
against its row, the manifest listing exactly the zip's files (plus licensed files left out), and
each way a manifest can lie a named failure; a path outside the folder is never opened (the check
is pure: it is given the members' hashes, not a folder). Fast."""

import pytest

from upgrade_repro.deposit.build import role_of
from upgrade_repro.deposit.manifest import LICENSED, check_manifest, manifest_csv, path_problem, read_manifest
from upgrade_repro.errors import DepositArchiveError

A = {"bytes": 4, "sha256": "a" * 64}
B = {"bytes": 7, "sha256": "b" * 64}


def row(path, member=A, role=None, status="included", **cells):
    return {
        "path": path,
        "bytes": str(member["bytes"]),
        "sha256": member["sha256"],
        "role": role or role_of(path),
        "status": status,
        **cells,
    }


def statuses(rows, members):
    return {(r["path"], r["status"]): r["detail"] for r in check_manifest(rows, members, role_of)}


def test_every_member_matches_its_row():
    members = {"data/a.csv": A, "results/tables/t.csv": B}
    assert set(statuses([row("data/a.csv"), row("results/tables/t.csv", B)], members)) == {
        ("data/a.csv", "ok"),
        ("results/tables/t.csv", "ok"),
    }


@pytest.mark.parametrize(
    "path, reason",
    [
        ("../../../etc/hostname", "'..' in the path"),
        ("/etc/os-release", "absolute path"),
        ("C:/Windows/win.ini", "absolute path"),  # deposit-check: allow-path
        ("data\\a.csv", "backslash in the path"),
        ("data/./a.csv", "empty or '.' part in the path"),
        ("", "empty path"),
    ],
)
def test_a_path_outside_the_folder_is_a_named_failure_never_a_file_read(path, reason):
    assert path_problem(path) == reason
    found = statuses([row(path, role="output")], {})
    assert list(found) == [(path, "outside the folder")] and reason in list(found.values())[0]
    # listed as licensed, an absolute path is still outside; a relative one with '..' is the
    # licensed file the run read beside the project (never opened either)
    licensed = statuses([row(path, role="data", status=LICENSED)], {})
    expected = LICENSED if path == "../../../etc/hostname" else "outside the folder"
    assert [s for _, s in licensed] == [expected]


def test_the_manifest_lists_exactly_the_zips_files():
    members = {"data/a.csv": A, "scripts/extra.py": B, "data/licensed.csv": A}
    rows = [
        row("data/a.csv", B),  # another hash
        row("results/tables/t.csv"),  # listed, not in the zip
        row("data/licensed.csv", status=LICENSED),  # licensed, yet shipped
        row("data/left_out.csv", status=LICENSED),  # licensed and left out: as it should be
    ]
    found = statuses(rows, members)
    assert set(found) == {
        ("data/a.csv", "hash mismatch"),
        ("results/tables/t.csv", "missing"),
        ("data/licensed.csv", "licensed but present"),
        ("data/left_out.csv", LICENSED),
        ("scripts/extra.py", "not in manifest"),
    }
    assert found[("data/a.csv", "hash mismatch")] == f"sha256 {'a' * 64}, manifest {'b' * 64}; 4 bytes, manifest 7"


def test_rows_listed_twice_bad_cells_and_a_role_that_is_not_the_verifiers():
    members = {"results/tables/table1.csv": A, "data/a.csv": A, "data/b.csv": A}
    rows = [
        row("results/tables/table1.csv", role="data"),  # a forged output relabelled as data
        row("data/a.csv"),
        row("data/a.csv"),
        row("data/b.csv", bytes="12abc"),
        row("data/c.csv", sha256="=cmd|' /C calc'!A0"),
    ]
    found = statuses(rows, {**members, "data/c.csv": A})
    assert found[("results/tables/table1.csv", "role differs")] == (
        "role data in the manifest, output by the verifier's rule"
    )
    assert found[("data/a.csv", "listed twice")] == "2 rows of the manifest"
    assert "bytes '12abc' is not a whole number" in found[("data/b.csv", "bad row")]
    assert "is not 64 lower-case hex digits" in found[("data/c.csv", "bad row")]
    assert len(found) == 4


def test_the_manifest_must_be_this_workflows():
    text = manifest_csv([row("data/a.csv")])
    assert read_manifest(text) == [row("data/a.csv")]
    with pytest.raises(DepositArchiveError, match="does not have the columns path,bytes,sha256,role,status"):
        read_manifest("path,size\n")
    short = read_manifest(text + "data/x.csv,1\n")[-1]
    assert short["_problem"] == "line 3: not 5 cells"
    assert [r["status"] for r in check_manifest([short], {}, role_of)] == ["bad row"]
