"""Recovery after a crash: the change log's base survives a kill at any write point, temporary
files of killed writes are removed by the rerun, and a run killed at random moments (SIGKILL to
the whole process group, or Ctrl-C) and rerun as Snakemake advises ends byte-identical to an
uninterrupted one."""

import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import threading
import time

from conftest import SNAKEMAKE, clone_run, copy_workflow, overlay, require_workflow_marker, run_snakemake

from upgrade_repro.files import KILL_AT_WRITE

FINISHED = re.compile(r"^Finished jobid: \d+ \(Rule: (\w+)\)$", re.MULTILINE)
STARTED = re.compile(r"^(?:local)?rule (\w+):$", re.MULTILINE)


def snakemake_until_done(workdir, *args, env=None, kill_at=None, sig=signal.SIGKILL):
    """Run Snakemake in its own process group; with kill_at = (n, seconds), send `sig` to the
    group that many seconds after its n-th job finished (n = 0: after Snakemake started).

    Returns (exit code, output, killed by us)."""
    require_workflow_marker()
    proc = subprocess.Popen(
        [str(SNAKEMAKE), "--cores", "2", *args],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    killed = False
    if kill_at is not None:
        n, seconds = kill_at
        while proc.poll() is None and len(FINISHED.findall("".join(lines))) < n:
            time.sleep(0.02)
        time.sleep(seconds)
        if proc.poll() is None:
            killed = True
            os.killpg(proc.pid, sig)
    proc.wait(timeout=600)
    if killed and sig != signal.SIGKILL:  # Ctrl-C: Snakemake has stopped; anything left of its jobs goes
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    reader.join(timeout=60)
    return proc.returncode, "".join(lines), killed


def rerun_as_advised(workdir, *args, kill_at=None, sig=signal.SIGKILL):
    """Run Snakemake; when it refuses to start, follow its advice (--unlock, then the same
    command; --rerun-incomplete) and start again. Returns (output, killed, advice followed)."""
    flags, advice = [], []
    for _ in range(4):
        code, out, killed = snakemake_until_done(workdir, *args, *flags, kill_at=kill_at, sig=sig)
        if killed or code == 0:
            return out, killed, advice
        if "--unlock" in out and "LockException" in out:
            assert run_snakemake(workdir, "--unlock", *args).returncode == 0
            advice.append("--unlock")
        elif "--rerun-incomplete" in out and "--rerun-incomplete" not in flags:
            flags.append("--rerun-incomplete")
            advice.append("--rerun-incomplete")
        else:
            raise AssertionError(f"snakemake failed without advice:\n{out}")
    raise AssertionError(f"no advice made snakemake start:\n{out}")


def tmp_files(workdir):
    return sorted(p.relative_to(workdir) for p in (workdir / "results").rglob("*.tmp"))


def test_a_kill_at_any_write_point_of_changes_keeps_the_change_log(demo_run, tmp_path):
    """Before: the snapshot's tables and manifest were written after changes.csv, one by one; a
    kill after the first left a snapshot of this run, and the rerun compared the run with
    itself ("unchanged, same inputs")."""
    update = tmp_path / "update"
    clone_run(demo_run, update)
    years = overlay(update, years={"start": 2009, "end": 2021})
    # everything but changes (and the report after it) made once, for every kill
    run_snakemake(update, *years, "--omit-from", "changes")
    target = ("results/checks/changes.csv", *years)
    reference = clone_run(update, tmp_path / "reference")
    run_snakemake(reference, *target)
    expected = (reference / "results/checks/changes.csv").read_bytes()
    snapshot = (reference / "results/checks/previous/snapshot.json").read_bytes()
    assert b",changed," in expected and b"same raw data, different configuration" in expected
    killed_at = []
    for k in range(1, 10):
        wf = clone_run(update, tmp_path / f"kill{k}")
        code, out, _ = snakemake_until_done(wf, *target, env={KILL_AT_WRITE: f"{k}:group"})
        if code == 0:  # past the job's last write point
            break
        killed_at.append(k)
        left = tmp_files(wf)
        # a kill between a temporary file's completion and its move (odd points) leaves it
        assert len(left) == k % 2, left
        out, _, advice = rerun_as_advised(wf, *target)
        assert "--rerun-incomplete" in advice, out  # Snakemake died with the job: it says so
        assert (wf / "results/checks/changes.csv").read_bytes() == expected, f"kill at write point {k}"
        assert (wf / "results/checks/previous/snapshot.json").read_bytes() == snapshot
        assert tmp_files(wf) == [], f"kill at write point {k} left {left}"
        shutil.rmtree(wf)
    # two atomic writes (changes.csv, then the snapshot), each with two points: every one killed
    assert killed_at == [1, 2, 3, 4]


def outputs(workdir):
    """Every file under results/ but the logs and the benchmark timings (times, process ids and
    dates by nature), by path relative to results/."""
    results = workdir / "results"
    return {
        p.relative_to(results).as_posix(): p.read_bytes()
        for p in sorted(results.rglob("*"))
        if p.is_file() and p.relative_to(results).parts[0] not in ("logs", "benchmarks")
    }


def test_a_run_killed_anywhere_and_rerun_as_advised_ends_as_an_uninterrupted_run(tmp_path):
    """Twelve kills over a full default run, alternately SIGKILL to the whole process group
    (kill -9) and SIGINT to it (Ctrl-C), at seeded random moments of the measured uninterrupted
    run; each followed by the rerun Snakemake advises, which the next kill interrupts in turn
    (one chain: each recovery run starts from what the kill left). Then every output, the change
    log and its snapshot included, is byte-identical to the uninterrupted run's, and no
    temporary file is left."""
    baseline = copy_workflow(tmp_path / "baseline")
    start = time.monotonic()
    proc = run_snakemake(baseline)
    baseline_out = proc.stdout + proc.stderr
    duration = time.monotonic() - start
    expected = outputs(baseline)
    assert "checks/changes.csv" in expected and "checks/previous/snapshot.json" in expected

    wf = copy_workflow(tmp_path / "killed")
    rng = random.Random(21)
    # Kill points by progress, not by clock (the cores are shared): a moment 0-1.5 s after the m-th
    # job of the whole run finished, m seeded and spread over the run's jobs ("all" aside) but the
    # last two (the run's last jobs are short: a kill seconds after them would come after the end).
    n_jobs = len([r for r in FINISHED.findall(baseline_out) if r != "all"])
    points = [(m, round(rng.uniform(0, 1.5), 2)) for m in sorted(rng.randrange(n_jobs - 2) for _ in range(12))]
    landed, advice, finished = [], [], 0
    for i, (m, seconds) in enumerate(points):
        sig = signal.SIGKILL if i % 2 == 0 else signal.SIGINT
        out, killed, followed = rerun_as_advised(wf, kill_at=(max(m - finished, 0), seconds), sig=sig)
        advice += followed
        done = FINISHED.findall(out)
        running = sorted(set(STARTED.findall(out)) - set(done))
        finished += len(done)
        if killed:
            landed.append((m, seconds, sig.name, finished, running, [p.name for p in tmp_files(wf)]))
    start = time.monotonic()
    out, _, followed = rerun_as_advised(wf)
    advice += followed
    print(
        f"uninterrupted run {duration:.1f} s, {n_jobs} jobs; final rerun {time.monotonic() - start:.1f} s,"
        f" {len(FINISHED.findall(out))} jobs; kills (m-th job, s after, signal, jobs done, jobs running,"
        f" temporary files left): {landed}; advice followed: {advice}"
    )
    assert len(landed) == 12, f"only {len(landed)} kills came before the run was done: {landed}"
    assert landed[-1][3] >= n_jobs // 2  # the kills spread over the run, not only its start
    assert tmp_files(wf) == []
    got = outputs(wf)
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if got[name] != expected[name]] == []
