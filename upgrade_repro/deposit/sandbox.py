"""Running a deposit's code in a sandbox (docs/verification.md, "The sandbox"): every parse of a
deposit's workflow and every rerun goes through `run`, under bubblewrap (Debian's package bubblewrap,
command bwrap) where it is present.

Inside: the root file system read-only; a private /tmp, /run and /dev; no home folder (/home, /root
and $HOME are empty); the interpreter's prefix and the verifier's own library bound back read-only;
the folders given as writable (inside the verification folder) the only places it can write, and the
folders given as hidden (the rest of the verification folder: the deposited outputs) not visible at
all; no network (new network namespace), its own process, IPC and UTS namespaces; every capability
dropped (a process run as root otherwise keeps them and could remount a read-only bind writable); a
new session (no terminal to inject keystrokes into); killed with the verifier; a clean environment.

Not protected: files readable by the user outside home, /tmp and /run (the root file system is
visible read-only, so the deposit's code can read them, though it cannot send them anywhere); CPU,
memory and disk inside the writable folders (no quota); the kernel itself. `--no-sandbox` (config
deposit.verification.sandbox: false) runs the same commands bare, and the report says so.
"""

import os
import shutil
import subprocess
import sys
from functools import cache

BWRAP = "bwrap"
# The sandbox's fixed options (namespaces, capabilities, session, parent): `command` adds the mounts.
ISOLATION = ("--unshare-all", "--cap-drop", "ALL", "--new-session", "--die-with-parent")
# Variables kept from the verifier's environment (language and encoding of the rerun's text).
KEPT_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ")


@cache
def bwrap_path() -> str | None:
    """bwrap when it is installed and can make a sandbox here (user namespaces allowed), else None."""
    found = shutil.which(BWRAP)
    if not found:
        return None
    probe = subprocess.run(
        [found, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", *ISOLATION, "--", "/bin/true"],
        capture_output=True,
        check=False,
    )
    return found if probe.returncode == 0 else None


def mode(sandbox: bool) -> str:
    """'bubblewrap' (the deposit's code runs in the sandbox), 'off' (--no-sandbox) or 'unavailable'
    (asked for, but bwrap is missing or cannot run here: the code runs bare)."""
    if not sandbox:
        return "off"
    return "bubblewrap" if bwrap_path() else "unavailable"


def _readable() -> list[str]:
    """What a sandboxed interpreter needs to see although it may lie in a hidden folder (home,
    /tmp): the interpreter's prefixes and every folder on the verifier's own import path."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    found.update(p for p in sys.path if p and os.path.isabs(p) and os.path.isdir(p))
    return sorted(p for p in found if os.path.isdir(p))


def environment(home: str = "/tmp") -> dict[str, str]:
    """The clean environment of sandboxed commands: PATH (this interpreter's folder first), HOME in
    the private /tmp, TMPDIR, and the locale (KEPT_ENV); nothing else of the verifier's (no
    PYTHONPATH, no Snakemake profile, no credentials)."""
    env = {
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": home,
        "TMPDIR": "/tmp",
        "PYTHONNOUSERSITE": "1",
    }
    env.update({k: os.environ[k] for k in KEPT_ENV if k in os.environ})
    return env


def command(argv: list[str], *, cwd, writable=(), hidden=(), readable=()) -> list[str]:
    """The bwrap command line running `argv` in `cwd` (module docstring). Mounts are made in order:
    the root read-only; /dev, /proc, private /tmp and /run; home folders emptied; `hidden` folders
    emptied; the interpreter and `readable` folders bound back read-only; `writable` folders bound
    read-write last (so a writable folder inside a hidden one is visible)."""
    args = [bwrap_path() or BWRAP, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    if os.path.isdir("/run"):
        args += ["--tmpfs", "/run"]
    homes = {"/home", "/root", os.path.expanduser("~")}
    args += [a for h in sorted(homes) if os.path.isdir(h) and h != "/" for a in ("--tmpfs", h)]
    args += [a for h in hidden for a in ("--tmpfs", os.path.abspath(h))]
    for path in [*_readable(), *map(os.path.abspath, readable)]:
        args += ["--ro-bind", path, path]
    for path in writable:
        args += ["--bind", os.path.abspath(path), os.path.abspath(path)]
    args += [*ISOLATION, "--clearenv"]
    for key, value in environment().items():
        args += ["--setenv", key, value]
    return [*args, "--chdir", os.path.abspath(cwd), "--", *argv]


def run(argv, *, cwd, sandbox: bool, writable=(), hidden=(), readable=(), log=None, timeout=None):
    """Run `argv` in `cwd`: in the sandbox (command) when `sandbox` and bwrap works, else bare with
    the same clean environment. Output to the open file `log` (else captured). Returns the
    CompletedProcess."""
    if mode(sandbox) == "bubblewrap":
        full, env = command(list(argv), cwd=cwd, writable=writable, hidden=hidden, readable=readable), None
    else:
        full, env = list(argv), {**environment(home=os.environ.get("HOME", "/tmp"))}
    out = {"stdout": log, "stderr": subprocess.STDOUT} if log is not None else {"capture_output": True}
    return subprocess.run(full, cwd=cwd, env=env, text=True, check=False, timeout=timeout, **out)


def describe(state: str) -> str:
    """One line saying how the deposit's code runs (printed before the verification starts when
    there is no sandbox)."""
    return {
        "bubblewrap": "the deposit's code runs in a bubblewrap sandbox (docs/verification.md)",
        "off": "--no-sandbox: the deposit's code runs bare, with your permissions",
        "unavailable": "no sandbox: bubblewrap (bwrap) is not available here, so the deposit's code runs with "
        "your permissions (install the package bubblewrap, or say --no-sandbox to accept it)",
    }[state]
