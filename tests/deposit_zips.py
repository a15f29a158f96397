"""Crafting hostile zips for the verification's tests: a deposit's members rewritten, added,
duplicated or corrupted in Python (the workflow is never rerun for it), and the verifier run as a
separate process whose peak memory is read from its own resource usage."""

import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

from conftest import ROOT


def rewrite(src, dst, *, change=None, add=(), drop=(), first=()) -> Path:
    """A copy of the zip `src` at `dst`: `change` maps a member name to new bytes (or a function of
    the old bytes); `add` is (name, bytes) pairs appended, `first` pairs written before every member
    (a name already in the zip then appears twice); members named in `drop` left out. Member
    information (times, modes, compression) is kept."""
    change = change or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in first:
            zout.writestr(name, data)
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info)
            if info.filename in change:
                new = change[info.filename]
                data = new(data) if callable(new) else new
            zout.writestr(info, data)
        for name, data in add:
            zout.writestr(name, data)
    return Path(dst)


def zeros_member(zf: zipfile.ZipFile, name: str, size: int) -> None:
    """A member of `size` zero bytes, compressed in blocks (never `size` bytes in memory)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=size >= 1 << 31) as out:
        block = bytes(1 << 20)
        for _ in range(size >> 20):
            out.write(block)


def corrupt(src, dst, member: str) -> Path:
    """A copy of `src` whose member's compressed bytes are damaged in the middle (its directory
    entry unchanged): reading it fails on the data or its CRC."""
    data = bytearray(Path(src).read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    Path(dst).write_bytes(bytes(data))
    return Path(dst)


def lie_about_size(src, dst, member: str, declared: int) -> Path:
    """A copy of `src` whose member declares `declared` uncompressed bytes in its local header and
    in the central directory (fewer than it holds: a directory that lies)."""
    data = bytearray(Path(src).read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(member)
    local = info.header_offset
    data[local + 22 : local + 26] = declared.to_bytes(4, "little")
    name = info.filename.encode()
    central = data.find(b"PK\x01\x02")
    while central != -1:
        if data[central + 46 : central + 46 + len(name)] == name:
            data[central + 24 : central + 28] = declared.to_bytes(4, "little")
            break
        central = data.find(b"PK\x01\x02", central + 4)
    Path(dst).write_bytes(bytes(data))
    return Path(dst)


def deflated(data: bytes) -> bytes:
    return zlib.compress(data, 9)[2:-4]


# Runs the verifier's entry point as __main__ and then writes the peak resident memory of this
# process image (VmHWM of /proc/self/status: since exec, so not the forking test process's memory,
# which wait4's ru_maxrss would include when the child was started by vfork) to the file named by
# the environment variable PEAK_FILE.
_PEAK_WRAPPER = """
import os, runpy, sys
sys.argv = ["upgrade-repro-verify-deposit", *sys.argv[1:]]
try:
    runpy.run_module("upgrade_repro.deposit.verify", run_name="__main__")
finally:
    hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    open(os.environ["PEAK_FILE"], "w").write(str(int(hwm.split()[1]) * 1024))
"""


def run_verifier(*args, cwd, env=None, python=sys.executable, command=None) -> tuple[subprocess.CompletedProcess, int]:
    """The console command's entry point (upgrade_repro.deposit.verify) in a fresh process, this
    checkout's library first on its path (or `command`, an installed console script); returns the
    finished process and its peak resident memory in bytes: the entry point's own (VmHWM, read by
    the process itself at exit); for `command`, wait4's ru_maxrss of that child."""
    peak_file = Path(cwd) / ".peak_rss"
    argv = list(command) if command else [python, "-c", _PEAK_WRAPPER]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "PEAK_FILE": str(peak_file), **(env or {})}
    if command:
        full_env.pop("PYTHONPATH")
    proc = subprocess.Popen(
        [*argv, *map(str, args)], cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = [], []
    import threading

    readers = [
        threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True),
        threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True),
    ]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    done = subprocess.CompletedProcess(proc.args, proc.returncode, "".join(out), "".join(err))
    if command:
        return done, usage.ru_maxrss * 1024
    peak = int(peak_file.read_text())
    peak_file.unlink()
    return done, peak
