"""Opening a deposit from someone else (upgrade_repro/deposit/unpack.py): member names confined to
one folder, limits checked from the zip's directory before a byte is written and again while
streaming, corrupted and truncated members refused, zips inside the deposit (Word, Excel) held to
the same limits, links out of the folder never followed. Small zips made in each test; fast."""

import os
import zipfile
from pathlib import Path

import pytest
from deposit_zips import corrupt, lie_about_size, zeros_member

from upgrade_repro.deposit.compare import compare_output
from upgrade_repro.deposit.unpack import LIMITS, check_nested_zip, inspect_zip, is_plain_file, name_problem, unpack
from upgrade_repro.errors import DepositArchiveError

MANIFEST = b"path,bytes,sha256,role,status\n"


def make_zip(path: Path, members, *, compression=zipfile.ZIP_DEFLATED) -> Path:
    """A zip of (name, bytes) pairs in order (a name may come twice)."""
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def refused(tmp_path, members, match, limits=None, **kw):
    zip_path = make_zip(tmp_path / "d.zip", members, **kw)
    dest = tmp_path / "out" / "deposit"
    with pytest.raises(DepositArchiveError, match=match):
        unpack(zip_path, dest, limits or {})
    assert not dest.exists(), "nothing of a refused deposit stays"
    return zip_path


@pytest.mark.parametrize(
    "name, reason",
    [
        ("p-1/../../evil.txt", "'..'"),
        ("/etc/evil.txt", "absolute path"),
        ("C:/evil.txt", "absolute path"),
        ("p-1\\..\\evil.txt", "backslash"),
        ("p-1/a\nb.txt", "control character"),  # deposit-check: allow-path
        ("p-1//a.txt", "empty or '.' part"),
        ("p-1/./a.txt", "empty or '.' part"),
    ],
)
def test_member_names_outside_the_folder_are_refused(tmp_path, name, reason):
    assert name_problem(name) == reason
    refused(tmp_path, [("p-1/MANIFEST.csv", MANIFEST), (name, b"x")], "outside the folder or not plain")
    assert not (tmp_path / "evil.txt").exists() and not Path("/etc/evil.txt").exists()


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(
    "names, match",
    [
        (["p-1/MANIFEST.csv", "p-1/a.csv", "p-1/a.csv"], "duplicate member name.*p-1/a.csv"),
        (["p-1/MANIFEST.csv", "p-1/A.csv", "p-1/a.csv"], "duplicate member name.*p-1/A.csv / p-1/a.csv"),
        (
            ["p-1/MANIFEST.csv", "p-1/caf" + chr(0xE9) + ".csv", "p-1/cafe" + chr(0x301) + ".csv"],
            "duplicate member name",
        ),
        (["p-1/MANIFEST.csv", "p-1/a", "p-1/a/b.csv"], "inside a path that is also a file: p-1/a/b.csv"),
        (["p-1/MANIFEST.csv", "q-1/a.txt"], "top folders: p-1, q-1"),
        (["p-1/a.txt"], "no p-1/MANIFEST.csv"),
    ],
)
def test_duplicates_clashes_and_what_is_not_a_deposit(tmp_path, names, match):
    refused(tmp_path, [(n, b"x") for n in names], match)


def test_not_a_zip_and_a_truncated_zip(tmp_path):
    (tmp_path / "notzip.zip").write_text("hello", encoding="utf-8")
    with pytest.raises(DepositArchiveError, match="not a zip archive"):
        unpack(tmp_path / "notzip.zip", tmp_path / "out", {})
    whole = make_zip(tmp_path / "whole.zip", [("p-1/MANIFEST.csv", MANIFEST), ("p-1/a.csv", b"1,2\n" * 1000)])
    (tmp_path / "cut.zip").write_bytes(whole.read_bytes()[:-30])
    with pytest.raises(DepositArchiveError, match="not a (readable )?zip archive"):
        unpack(tmp_path / "cut.zip", tmp_path / "out", {})
    assert not (tmp_path / "out").exists()


def test_a_corrupted_member_is_refused_and_nothing_stays(tmp_path):
    data = os.urandom(50_000).hex().encode()  # compressible, so the damage hits deflate data
    good = make_zip(tmp_path / "good.zip", [("p-1/MANIFEST.csv", MANIFEST), ("p-1/a.csv", data)])
    bad = corrupt(good, tmp_path / "bad.zip", "p-1/a.csv")
    with pytest.raises(DepositArchiveError, match="member 'p-1/a.csv' is corrupted or truncated"):
        unpack(bad, tmp_path / "out" / "deposit", {})
    assert not (tmp_path / "out" / "deposit").exists()


@pytest.mark.parametrize(
    "limits, members, match",
    [
        ({"members": 2}, [("p-1/MANIFEST.csv", MANIFEST), ("p-1/a", b"1"), ("p-1/b", b"2")], "3 entries, more than 2"),
        (
            {"member_bytes": 100},
            [("p-1/MANIFEST.csv", MANIFEST), ("p-1/a", os.urandom(101))],
            "101 bytes, more than 100",
        ),
        (
            {"total_bytes": 150},
            [("p-1/MANIFEST.csv", MANIFEST), ("p-1/a", os.urandom(70)), ("p-1/b", os.urandom(70))],
            "add up to more than 150 bytes",
        ),
        ({}, [("p-1/MANIFEST.csv", MANIFEST), ("p-1/zeros", bytes(2_000_000))], r"compressed \d+ to 1, more than 100"),
        ({"ratio": 2}, [("p-1/MANIFEST.csv", MANIFEST), ("p-1/t.csv", b"1,2\n" * 50_000)], "more than 2 to 1"),
    ],
)
def test_limits_are_checked_from_the_directory_before_anything_is_written(tmp_path, limits, members, match):
    zip_path = refused(tmp_path, members, "limit exceeded: .*" + match, limits)
    # the same zip within higher limits unpacks
    unpack(zip_path, tmp_path / "ok", {k: v * 1000 for k, v in limits.items()} or {"ratio": 10**6})


def test_small_members_are_never_refused_for_their_ratio(tmp_path):
    zip_path = make_zip(tmp_path / "d.zip", [("p-1/MANIFEST.csv", MANIFEST), ("p-1/spaces.txt", b" " * 90_000)])
    top, members = unpack(zip_path, tmp_path / "out", {})
    assert members["spaces.txt"]["bytes"] == 90_000


def test_a_directory_that_lies_is_caught_while_streaming(tmp_path):
    """The member holds 3 MB of zeros but its headers say 1,000 bytes (a ratio the directory
    check lets through): the stream stops at the declared size and the CRC fails."""
    with zipfile.ZipFile(tmp_path / "honest.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("p-1/MANIFEST.csv", MANIFEST)
        zeros_member(zf, "p-1/zeros.bin", 3 << 20)
    liar = lie_about_size(tmp_path / "honest.zip", tmp_path / "liar.zip", "p-1/zeros.bin", 1000)
    zf, infos = inspect_zip(liar, LIMITS)
    zf.close()
    assert {i.filename: i.file_size for i in infos}["p-1/zeros.bin"] == 1000  # the directory's word
    with pytest.raises(DepositArchiveError, match="zeros.bin"):
        unpack(liar, tmp_path / "out" / "deposit", {})
    assert not (tmp_path / "out" / "deposit").exists()


def docx_like(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zeros_member(zf, "word/document.xml", size)
    return path


def test_a_word_file_beyond_the_limits_is_never_opened(tmp_path):
    bomb = docx_like(tmp_path / "bomb.docx", 4 << 20)
    with pytest.raises(DepositArchiveError, match="more than 100 to 1"):
        check_nested_zip(bomb, {})
    # inside a deposit: refused when unpacking, nothing run
    with zipfile.ZipFile(tmp_path / "d.zip", "w") as zf:
        zf.writestr("p-1/MANIFEST.csv", MANIFEST)
        zf.writestr("p-1/results/manuscript/tables.docx", bomb.read_bytes())
    with pytest.raises(DepositArchiveError, match="results/manuscript/tables.docx \\(a zip inside the deposit\\)"):
        unpack(tmp_path / "d.zip", tmp_path / "out" / "deposit", {})
    assert not (tmp_path / "out" / "deposit").exists()
    # a rerun's output: compared as differing, not read
    (tmp_path / "a/results").mkdir(parents=True)
    (tmp_path / "b/results").mkdir(parents=True)
    docx_like(tmp_path / "a/results/t.docx", 1000)
    docx_like(tmp_path / "b/results/t.docx", 4 << 20)
    row = compare_output("results/t.docx", tmp_path / "a/results/t.docx", tmp_path / "b/results/t.docx")
    assert row["status"] == "differs" and "beyond the limits" in row["detail"]


def test_links_out_of_the_folder_are_never_followed(tmp_path):
    secret = tmp_path / "outside" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text("x\nSECRET-CONTENT-4711\n", encoding="utf-8")
    for side in ("deposit", "rerun"):
        (tmp_path / side / "results/tables").mkdir(parents=True)
    (tmp_path / "deposit/results/tables/t.csv").write_text("x\n1\n", encoding="utf-8")
    (tmp_path / "rerun/results/tables/t.csv").symlink_to(secret)
    (tmp_path / "rerun/results/data").symlink_to(secret.parent, target_is_directory=True)
    assert not is_plain_file(tmp_path / "rerun/results/tables/t.csv", "results/tables/t.csv")
    assert not is_plain_file(tmp_path / "rerun/results/data/secret.csv", "results/data/secret.csv")
    assert is_plain_file(tmp_path / "deposit/results/tables/t.csv", "results/tables/t.csv")
    for rel in ("results/tables/t.csv", "results/data/secret.csv"):
        (tmp_path / "deposit" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "deposit" / rel).write_text("x\n1\n", encoding="utf-8")
        row = compare_output(rel, tmp_path / "deposit" / rel, tmp_path / "rerun" / rel)
        assert row["status"] == "differs" and "not a plain file" in row["detail"]
        assert "SECRET" not in str(row)


def test_limits_must_be_positive_numbers(tmp_path):
    zip_path = make_zip(tmp_path / "d.zip", [("p-1/MANIFEST.csv", MANIFEST)])
    for bad in ({"ratio": 0}, {"members": "many"}, {"size": 1}):
        with pytest.raises(DepositArchiveError, match="limits:"):
            unpack(zip_path, tmp_path / "out", bad)
