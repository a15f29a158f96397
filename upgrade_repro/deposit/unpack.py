"""Opening a deposit that came from someone else (docs/verification.md, "Limits" and "Exit codes"):
its member names confined to one top folder, its size limited before a byte is written and again
while the bytes are streamed, every member written into a fresh folder and hashed there, and the
rerun's copy made by links where the file system allows.

Everything here either succeeds or raises DepositArchiveError naming the reason (the verification
then stops with exit code 2, having run nothing and left no unpacked file behind).
"""

import os
import shutil
import stat
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from upgrade_repro.errors import DepositArchiveError
from upgrade_repro.registry import sha256

# Limits of a zip (the deposit, and every Word or Excel file the comparison opens, which are zips
# too), sized to the largest data platform this project deposits to (docs/verification.md, with the
# sources): Zenodo takes 50 GB per record, so no member and no deposit larger than that can have
# come from one; openICPSR and Dataverse unpack at most 1,000 files of a zip, and a deposit that
# passes the data editor's checks holds at most 1,002 (its 1,000 files, MANIFEST.csv and
# metadata.json): 10,000 entries (files and folders) leave room for a repacked zip's folders while
# no central directory of millions of entries is read. A member compressed more than 100 to 1 is
# refused (Apache POI's default for Office files, ZipSecureFile's minimum inflate ratio 0.01),
# except members under RATIO_GRACE_BYTES, which cannot blow up. The config keys
# deposit.verification.limits.* (and the console command's --limit KEY=VALUE) change them.
LIMITS = {"members": 10_000, "member_bytes": 50 * 10**9, "total_bytes": 50 * 10**9, "ratio": 100}
RATIO_GRACE_BYTES = 100_000
CHUNK = 1 << 20
# Largest central directory read (names and extra fields of every entry): 64 MiB, 6 kB an entry at
# the entry limit, where a deposit's entries take about 150 bytes.
DIRECTORY_BYTES = 64 << 20
# Free disk space kept beyond the unpacked deposit and its rerun (outputs, caches).
DISK_MARGIN = 1 << 30
# Members whose bytes are zips the comparison opens (build.role_of: outputs; checked when unpacked).
NESTED_ZIP_SUFFIXES = (".docx", ".xlsx")


def check_limits(limits: dict) -> dict:
    """LIMITS with `limits` over them; each a positive number (DepositArchiveError otherwise)."""
    merged = {**LIMITS, **{k: v for k, v in (limits or {}).items() if v is not None}}
    unknown = sorted(set(merged) - set(LIMITS))
    bad = [
        k for k in LIMITS if not isinstance(merged[k], (int, float)) or isinstance(merged[k], bool) or merged[k] <= 0
    ]
    if unknown or bad:
        raise DepositArchiveError(
            f"limits: unknown key(s) {', '.join(unknown) or '-'}; not a positive number: {', '.join(bad) or '-'} "
            f"(keys: {', '.join(LIMITS)})"
        )
    return merged


def name_problem(name: str) -> str | None:
    """Why a member name is unsafe, or None: absolute, a drive letter, a backslash, '..', '.' or an
    empty part, a control character (a folder entry ends with '/', which is allowed)."""
    if not name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if "\\" in name:
        return "backslash"
    if any(unicodedata.category(c) == "Cc" for c in name):
        return "control character"
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return "'..'"
    if any(p in ("", ".") for p in parts):
        return "empty or '.' part"
    return None


def _end_record(path) -> tuple[int, int] | None:
    """(entries, bytes) of the central directory as the zip's end record declares them, read before
    the directory is parsed, so that a directory of millions of entries (or of huge names) is refused
    without reading it; None when there is no end record (not a zip)."""
    with open(path, "rb") as fh:
        end = zipfile._EndRecData(fh)  # the standard library's own reader of the end record
    return None if end is None else (int(end[zipfile._ECD_ENTRIES_TOTAL]), int(end[zipfile._ECD_SIZE]))


def _limit(reason: str, zip_name: str) -> DepositArchiveError:
    return DepositArchiveError(f"limit exceeded: {reason}", file=zip_name)


def inspect_zip(path, limits: dict, *, nested: bool = False) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """Open the zip at `path` and check, from its central directory only, before anything is
    written: the number of entries, each member's size and compression ratio, the total size, no
    encrypted member; for a deposit (not `nested`) also every member name (name_problem), no name
    twice (also as the same file on a case-insensitive or Unicode-normalising file system), no file
    also used as a folder. Returns (the open ZipFile, the file members)."""
    shown = Path(path).name
    try:
        end = _end_record(path)
    except OSError as error:
        raise DepositArchiveError(f"cannot read the file: {error.strerror or error}", file=shown) from None
    if end is None:
        raise DepositArchiveError("not a zip archive (no end of central directory record)", file=shown)
    if end[0] > limits["members"]:
        raise _limit(f"{end[0]} entries, more than {limits['members']}", shown)
    if end[1] > DIRECTORY_BYTES:
        raise _limit(f"a central directory of {end[1]} bytes, more than {DIRECTORY_BYTES}", shown)
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise DepositArchiveError(f"not a readable zip archive: {error}", file=shown) from None
    try:
        if len(infos) > limits["members"]:
            raise _limit(f"{len(infos)} entries, more than {limits['members']}", shown)
        files = [i for i in infos if not i.is_dir()]
        total = 0
        for info in files:
            if info.flag_bits & 0x1:
                raise DepositArchiveError(f"member {info.filename!r} is encrypted", file=shown)
            if info.file_size > limits["member_bytes"]:
                raise _limit(
                    f"member {info.filename!r} is {info.file_size} bytes, more than {limits['member_bytes']}", shown
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_GRACE_BYTES and ratio > limits["ratio"]:
                raise _limit(
                    f"member {info.filename!r} is compressed {ratio:.0f} to 1, more than {limits['ratio']} to 1 "
                    f"({info.file_size} bytes from {info.compress_size})",
                    shown,
                )
            total += info.file_size
            if total > limits["total_bytes"]:
                raise _limit(f"the members add up to more than {limits['total_bytes']} bytes", shown)
        if not nested:
            _check_names(infos, shown)
    except BaseException:
        zf.close()
        raise
    return zf, files


def _check_names(infos, shown: str) -> None:
    unsafe = [(i.filename, p) for i in infos if (p := name_problem(i.filename))]
    if unsafe:
        listed = "; ".join(f"{n!r} ({p})" for n, p in unsafe[:5])
        raise DepositArchiveError(f"member name(s) outside the folder or not plain: {listed}", file=shown)
    seen, folded, duplicates = set(), {}, []
    for info in infos:
        name = info.filename.rstrip("/")
        key = unicodedata.normalize("NFC", name).casefold()
        if name in seen or (key in folded and folded[key] != name):
            duplicates.append(name if name in seen else f"{folded[key]} / {name}")
        seen.add(name)
        folded.setdefault(key, name)
    if duplicates:
        raise DepositArchiveError(
            f"duplicate member name(s): {', '.join(repr(d) for d in sorted(set(duplicates))[:5])} "
            "(archive tools disagree on which copy is the member)",
            file=shown,
        )
    files = {i.filename for i in infos if not i.is_dir()}
    clashes = sorted(
        f
        for f in files
        if any(
            PurePosixPath(*PurePosixPath(f).parts[:k]).as_posix() in files
            for k in range(1, len(PurePosixPath(f).parts))
        )
    )
    if clashes:
        raise DepositArchiveError(f"member(s) inside a path that is also a file: {', '.join(clashes[:5])}", file=shown)
    tops = {PurePosixPath(i.filename).parts[0] for i in infos}
    if len(tops) != 1 or not files:
        raise DepositArchiveError(
            f"members must lie under one top folder (top folders: {', '.join(sorted(tops)) or 'none'})", file=shown
        )
    (top,) = tops
    if f"{top}/MANIFEST.csv" not in files:
        raise DepositArchiveError(f"no {top}/MANIFEST.csv: not a deposit of this workflow", file=shown)


def _stream(zf, info, limits: dict, budget: list[int], sink=None) -> int:
    """Stream one member in chunks (to `sink`, or nowhere), counting its bytes against its
    declared size, the member limit and what is left of the total (`budget`); the member's CRC is
    checked by zipfile at its end. Returns the bytes streamed."""
    count = 0
    try:
        with zf.open(info) as src:
            while chunk := src.read(CHUNK):
                count += len(chunk)
                budget[0] -= len(chunk)
                if count > info.file_size or count > limits["member_bytes"] or budget[0] < 0:
                    raise _limit(f"member {info.filename!r} streams more bytes than its directory says or allows", "")
                if sink is not None:
                    sink.write(chunk)
    except DepositArchiveError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
        raise DepositArchiveError(f"member {info.filename!r} is corrupted or truncated: {error}") from None
    if count != info.file_size:
        raise DepositArchiveError(f"member {info.filename!r} is truncated: {count} of {info.file_size} bytes")
    return count


def unpack(zip_path, dest, limits: dict) -> tuple[Path, dict[str, dict]]:
    """Unpack the deposit into the fresh folder `dest` (removed first when present): inspect_zip,
    free disk space for it, then each member streamed into dest/<top>/<path> (mode 644, or 755 for a
    member with an executable bit), counted while streamed, and hashed from the file written.
    Returns (dest/<top>, {path below the top folder: {bytes, sha256}}). On any refusal `dest` is
    removed: nothing of a refused deposit stays."""
    dest = Path(dest)
    limits = check_limits(limits)
    zf, infos = inspect_zip(zip_path, limits)
    with zf:
        top = PurePosixPath(infos[0].filename).parts[0]
        declared = sum(i.file_size for i in infos)
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        free = shutil.disk_usage(dest).free
        if free < declared + DISK_MARGIN:
            shutil.rmtree(dest)
            raise DepositArchiveError(
                f"not enough disk space: the deposit unpacks to {declared} bytes, {free} bytes are free in "
                f"{dest.as_posix()} (and its rerun needs as much again)"
            )
        members, budget = {}, [limits["total_bytes"]]
        try:
            for info in infos:
                target = dest.joinpath(*PurePosixPath(info.filename).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "xb") as sink:
                    size = _stream(zf, info, limits, budget, sink)
                target.chmod(0o755 if (info.external_attr >> 16) & 0o111 else 0o644)
                rel = PurePosixPath(info.filename).relative_to(top).as_posix()
                members[rel] = {"bytes": size, "sha256": sha256(target)}
            for rel in members:
                if rel.lower().endswith(NESTED_ZIP_SUFFIXES):
                    try:
                        check_nested_zip(dest / top / rel, limits)
                    except DepositArchiveError as error:
                        raise DepositArchiveError(f"{rel} (a zip inside the deposit): {error}") from None
        except BaseException:
            shutil.rmtree(dest, ignore_errors=True)
            raise
    return dest / top, members


def check_nested_zip(path, limits: dict) -> None:
    """A Word or Excel file (a zip) within the limits before anything reads it: its directory
    (inspect_zip), then every member streamed and counted (DepositArchiveError otherwise). A file
    that is not a zip at all is left to the reader that opens it."""
    limits = check_limits(limits)
    if not zipfile.is_zipfile(path):
        return
    zf, infos = inspect_zip(path, limits, nested=True)
    with zf:
        budget = [limits["total_bytes"]]
        for info in infos:
            _stream(zf, info, limits, budget)


def is_plain_file(full, rel: str) -> bool:
    """`full` (a folder/… + `rel`) is a regular file reached without a symbolic link anywhere below
    that folder: what a rerun wrote at its path, not a link out of the verification folder."""
    full = Path(full)
    parts = PurePosixPath(rel).parts
    root = full.parents[len(parts) - 1] if full.as_posix().endswith("/" + "/".join(parts)) else full.parent
    inside = os.path.join(os.path.realpath(root), *full.relative_to(root).parts)
    try:
        mode = os.lstat(full).st_mode
    except OSError:
        return False
    return os.path.realpath(full) == inside and stat.S_ISREG(mode)


FICLONE = 0x40049409  # ioctl of Linux: a copy-on-write clone of a whole file (btrfs, xfs, ...)


def _clone(src: Path, dst: Path) -> str:
    """dst as a copy of src without copying its bytes where the file system allows: a reflink
    (copy on write), else a hard link, else a copy. Returns which."""
    try:
        import fcntl

        with open(src, "rb") as s, open(dst, "xb") as d:
            fcntl.ioctl(d.fileno(), FICLONE, s.fileno())
        shutil.copymode(src, dst)
        return "reflink"
    except (OSError, ImportError):
        dst.unlink(missing_ok=True)
    try:
        os.link(src, dst)
        return "hard link"
    except OSError:
        shutil.copy2(src, dst)
        return "copy"


def link_tree(src, dst, paths) -> dict[str, int]:
    """dst/<path> for each of `paths` (relative to src): _clone of src/<path>. dst is made afresh.
    Returns how many files were made each way. A hard link shares the file with the deposit's
    copy: verify.py reads nothing of the deposit's but its outputs (never linked) once the rerun
    has started."""
    src, dst = Path(src), Path(dst)
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    made: dict[str, int] = {}
    for rel in sorted(paths):
        target = dst.joinpath(*PurePosixPath(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        how = _clone(src.joinpath(*PurePosixPath(rel).parts), target)
        made[how] = made.get(how, 0) + 1
    return made


# Largest text file of a deposit the verifier reads whole (MANIFEST.csv, metadata.json, config.yaml):
# 64 MiB, some 400,000 manifest rows. Largest YAML graph walked in config.yaml (nodes visited,
# aliases followed): a config of aliases of aliases ("billion laughs") is refused before anything
# walks it.
TEXT_BYTES = 64 << 20
YAML_NODES = 100_000


def read_small(path) -> str:
    """The UTF-8 text of `path`, a file the verifier reads whole; ValueError when it is larger than
    TEXT_BYTES (UnicodeDecodeError when it is not UTF-8)."""
    size = Path(path).stat().st_size
    if size > TEXT_BYTES:
        raise ValueError(f"{Path(path).name} is {size} bytes, more than the {TEXT_BYTES} read whole")
    return Path(path).read_text(encoding="utf-8")


def yaml_size_ok(text: str) -> bool:
    """`text` is YAML whose node graph, aliases followed, has at most YAML_NODES nodes."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return True  # not YAML: whoever reads it says so
    todo, seen = [root], 0
    while todo:
        node = todo.pop()
        seen += 1
        if seen > YAML_NODES:
            return False
        if isinstance(node, yaml.SequenceNode):
            todo += node.value
        elif isinstance(node, yaml.MappingNode):
            todo += [x for pair in node.value for x in pair]
    return True
