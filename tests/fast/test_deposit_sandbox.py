"""The sandbox in which a deposit's code runs (upgrade_repro/deposit/sandbox.py): payloads try to
write outside the writable folder, remount the root writable, open a network socket, read a home
folder or the hidden deposit, and see the verifier's environment; each attempt fails, and the one
writable folder works. Needs bubblewrap (skipped without it, failing under CI). Fast."""

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import listener

from upgrade_repro.deposit import sandbox

PAYLOAD = r"""
import json, os, socket, subprocess, sys
canary, writable, hidden, port, visible = sys.argv[1:6]
found = {}
def attempt(name, action):
    try:
        action()
        found[name] = "succeeded"
    except Exception as error:
        found[name] = type(error).__name__ + ": " + str(error)
def write_outside():
    with open(canary, "w") as fh:
        fh.write("payload was here")
attempt("write_outside", write_outside)
def write_visible():
    with open(visible, "w") as fh:
        fh.write("payload was here")
attempt("write_visible", write_visible)
attempt("write_inside", lambda: open(os.path.join(writable, "ok.txt"), "w").write("ok"))
attempt("write_root", lambda: open("/payload.txt", "w").write("x"))
def remount():
    proc = subprocess.run(["mount", "-o", "remount,rw", "/"], capture_output=True, text=True)
    if proc.returncode:
        raise PermissionError(proc.stderr.strip() or "mount failed")
attempt("remount", remount)
def remount_syscall():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    MS_REMOUNT, MS_BIND = 32, 4096
    if libc.mount(b"none", os.path.dirname(canary).encode(), None, MS_REMOUNT | MS_BIND, None) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
attempt("remount_syscall", remount_syscall)
def connect():
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=3)
    s.sendall(b"payload")
attempt("socket", connect)
attempt("dns", lambda: socket.getaddrinfo("pypi.org", 443))
attempt("read_hidden", lambda: os.listdir(hidden) and open(os.path.join(hidden, "deposited.csv")).read())
home = os.path.expanduser("~root")
attempt("read_home", lambda: os.listdir(home) and 1 / 0 if os.listdir(home) else None)
found["env"] = sorted(os.environ)
found["uid_caps"] = open("/proc/self/status").read().split("CapEff:")[1].split()[0]
print(json.dumps(found))
"""


@pytest.fixture
def bwrap():
    if sandbox.bwrap_path() is None:
        message = "bubblewrap (bwrap) is not available: the sandbox is not tested"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: .ci/run installs it)")
        pytest.skip(message)


def test_payloads_cannot_write_outside_remount_or_reach_the_network(bwrap, tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    canary = outside / "canary.txt"  # under /tmp: private in the sandbox
    canary.write_text("canary", encoding="utf-8")
    before = canary.stat()
    # a canary the sandbox sees (the root file system, read-only there)
    visible_dir = Path(tempfile.mkdtemp(prefix="sandbox-canary-", dir="/var/tmp"))
    visible = visible_dir / "canary.txt"
    visible.write_text("canary", encoding="utf-8")
    verification = tmp_path / "verification"
    writable = verification / "unpacked" / "rerun"
    writable.mkdir(parents=True)
    hidden = verification / "unpacked" / "deposit"
    hidden.mkdir()
    (hidden / "deposited.csv").write_text("deposited output", encoding="utf-8")
    server, received = listener(timeout=10)
    monkeypatch.setenv("UPGRADE_REPRO_SECRET_TOKEN", "s3cr3t")
    proc = sandbox.run(
        [
            sys.executable,
            "-c",
            PAYLOAD,
            str(canary),
            str(writable),
            str(hidden),
            str(server.getsockname()[1]),
            str(visible),
        ],
        cwd=writable,
        sandbox=True,
        writable=[writable],
        hidden=[verification],
    )
    server.close()
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    for attempt in ("write_visible", "write_root"):
        assert "Read-only file system" in found[attempt], found
    assert "FileNotFoundError" in found["write_outside"], found  # /tmp of the host is not there
    assert found["remount"] != "succeeded" and found["remount_syscall"] != "succeeded", found
    assert found["socket"] != "succeeded" and found["dns"] != "succeeded", found
    assert found["read_hidden"] != "succeeded" and "FileNotFoundError" in found["read_hidden"], found
    assert found["write_inside"] == "succeeded" and (writable / "ok.txt").read_text() == "ok"
    assert int(found["uid_caps"], 16) == 0  # no capability left
    assert "UPGRADE_REPRO_SECRET_TOKEN" not in found["env"] and "PYTHONPATH" not in found["env"]
    assert canary.read_text(encoding="utf-8") == "canary" and canary.stat().st_mtime == before.st_mtime
    assert visible.read_text(encoding="utf-8") == "canary"
    shutil.rmtree(visible_dir)
    assert received == [] and not os.path.exists("/payload.txt")


def test_without_the_sandbox_the_same_command_runs_bare_and_says_so(tmp_path):
    assert sandbox.mode(False) == "off"
    assert "--no-sandbox" in sandbox.describe("off")
    assert "not available" in sandbox.describe("unavailable")
    proc = sandbox.run([sys.executable, "-c", "import os; print(os.getcwd())"], cwd=tmp_path, sandbox=False)
    assert proc.stdout.strip() == str(tmp_path)


def test_the_sandbox_command_line(bwrap, tmp_path):
    line = sandbox.command(["true"], cwd=tmp_path, writable=[tmp_path / "w"], hidden=[tmp_path])
    for option in ("--unshare-all", "--new-session", "--die-with-parent", "--clearenv"):
        assert option in line
    assert line[line.index("--cap-drop") + 1] == "ALL"
    assert line[1:4] == ["--ro-bind", "/", "/"]
    # the hidden folder is emptied before the writable one inside it is bound
    assert line.index(str(tmp_path)) < line.index(str(tmp_path / "w"))
