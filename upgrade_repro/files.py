"""Writing outputs: atomic, deterministic files (text, csv, figures); a failing stage leaves none."""

import os
import re
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

from upgrade_repro.errors import OutputPathError

_UMASK = os.umask(0)
os.umask(_UMASK)

# Test hook (tests/test_recovery.py): "k" kills this process with SIGKILL at its k-th write
# point, "k:group" kills its whole process group (Snakemake too, as kill -9 of a run would).
# Each atomic write has two points: its temporary file complete, then moved into place.
KILL_AT_WRITE = "UPGRADE_REPRO_TEST_KILL_AT_WRITE"
_write_points = [0]


def _write_point() -> None:
    spec = os.environ.get(KILL_AT_WRITE)
    if not spec:
        return
    _write_points[0] += 1
    k, _, scope = spec.partition(":")
    if _write_points[0] == int(k):
        if scope == "group":
            os.killpg(os.getpgrp(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)


def temp_files(path) -> list[Path]:
    """The temporary files atomic_path makes for `path` (".<name>.<8 random characters>.tmp")."""
    path = Path(path)
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    if not path.parent.is_dir():
        return []
    return sorted(p for p in path.parent.iterdir() if pattern.fullmatch(p.name))


def remove_stale_temps(paths) -> list[Path]:
    """Remove the temporary files a killed earlier job left beside these outputs; returns them.

    Called when a job starts: Snakemake runs one job per output at a time, so any such file
    is stale (a kill -9 between a temporary file's creation and its move leaves it).
    """
    removed = [tmp for path in paths for tmp in temp_files(path)]
    for tmp in removed:
        tmp.unlink(missing_ok=True)
    return removed


def output_path_problem(path) -> str | None:
    """Why the workflow cannot write the output `path`: a folder there (Snakemake would not remove
    a non-empty one; os.replace cannot replace any), a read-only file (Snakemake refuses to
    overwrite it), or a parent that is a file; None if writable."""
    p = Path(path)
    if p.is_dir():
        return f"output {p.as_posix()} is a folder: move or delete it (the workflow writes a file there)"
    if p.exists() and not os.access(p, os.W_OK):
        return f"output {p.as_posix()} is read-only: make it writable (chmod u+w) or delete it"
    for parent in p.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"output {p.as_posix()}: {parent.as_posix()} is a file, not a folder: move or delete it"
            break
    return None


def output_path_problems(paths) -> list[str]:
    """output_path_problem of each path, the problems only."""
    return [m for m in map(output_path_problem, paths) if m]


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; move it into place only if the block succeeds.

    A failing stage thus never leaves a half-written output behind; an output path the workflow
    cannot write (a folder, a file as parent) is one OutputPathError naming it.
    """
    path = Path(path)
    problem = output_path_problem(path)
    if problem and not path.is_file():  # a read-only file is replaced atomically all the same
        raise OutputPathError(problem)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; outputs get the usual mode
        _write_point()
        os.replace(tmp, path)
        _write_point()
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(text: str, path) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def write_csv(df, path) -> None:
    """CSV with '\\n' line ends and shortest round-trip floats: byte-identical across runs."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")


# Dates (and the matplotlib version) are left out of the files, so that same inputs give
# byte-identical figures.
_STABLE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


def save_figure(fig, path, dpi: int, title: str | None = None) -> None:
    """Write a matplotlib figure atomically and deterministically; the format is the suffix.

    `title` goes into the file's metadata (PNG text chunk, SVG <dc:title>, PDF /Title).
    """
    import matplotlib as mpl  # here, not at the top: most scripts draw nothing

    fmt = Path(path).suffix.lstrip(".").lower()
    metadata = dict(_STABLE_METADATA.get(fmt, {}), **({"Title": title} if title else {}))
    with mpl.rc_context({"svg.hashsalt": "upgrade-repro"}), atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)
        if fmt == "svg":
            text = Path(tmp).read_text(encoding="utf-8")
            Path(tmp).write_text(numbered_clip_ids(text), encoding="utf-8", newline="")


_CLIP_ID = re.compile(r'<clipPath id="(p[0-9a-f]{10})"')


def numbered_clip_ids(svg: str) -> str:
    """The SVG with each clip path's id replaced by clip1, clip2, ... in the order the clip paths
    are defined. matplotlib names a clip rectangle by a hash of its corners at full precision,
    where the constrained layout's solver leaves differences of a last bit from run to run (the
    drawing, at the SVG's six decimals, is the same): numbered, the file is byte-identical."""
    ids = {old: f"clip{n}" for n, old in enumerate(dict.fromkeys(_CLIP_ID.findall(svg)), start=1)}
    if not ids:
        return svg
    return re.sub(r'(id="|url\(#)(p[0-9a-f]{10})\b', lambda m: m.group(1) + ids.get(m.group(2), m.group(2)), svg)
