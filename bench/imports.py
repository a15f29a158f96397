"""Import time of each rule's script (its module-level imports: what every job pays before its
work), median of --repeat runs of `python -X importtime`, for the workflow in DIR; with --cpu,
the CPU seconds of the whole interpreter (start-up and imports), steadier on a shared machine.
With --before OTHER, the same for another copy of the workflow, each run of a script interleaved
with the other copy's, so that a busy moment weighs on both alike.

    python bench/imports.py [DIR] [--repeat 5] [--cpu] [--before OTHER] [--json]
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

CPU = "; import resource; r = resource.getrusage(resource.RUSAGE_SELF); print(r.ru_utime + r.ru_stime)"


def import_seconds(workdir: Path, script: str, cpu: bool = False) -> float:
    """Cumulative import time (s) of scripts/<script>.py as a module in a fresh interpreter, or
    with `cpu` that interpreter's CPU seconds."""
    code = f"import sys; sys.path[:0] = ['scripts', '.']; import {script}" + (CPU if cpu else "")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], cwd=workdir, capture_output=True, text=True, check=True
    )
    if cpu:
        return float(proc.stdout.split()[-1])
    for line in proc.stderr.splitlines():  # "import time: self [us] | cumulative | name"
        fields = line.split("|")
        if line.startswith("import time:") and fields[-1].strip() == script:
            return int(fields[1]) / 1e6
    raise RuntimeError(f"no import time for {script} in {workdir}")


def import_times(workdir: Path, repeat: int = 5, cpu: bool = False, before: Path | None = None) -> dict:
    """Median per script: {script: seconds}, or with `before` {script: [before, after]} (None for
    a script the other copy lacks)."""
    scripts = sorted(p.stem for p in (workdir / "scripts").glob("*.py"))
    dirs = [before, workdir] if before else [workdir]
    runs = {s: [[] for _ in dirs] for s in scripts}
    for _ in range(repeat):
        for script in scripts:
            for i, d in enumerate(dirs):
                if (d / "scripts" / f"{script}.py").is_file():
                    runs[script][i].append(import_seconds(d, script, cpu))
    medians = {s: [statistics.median(v) if v else None for v in per] for s, per in runs.items()}
    return medians if before else {s: m[0] for s, m in medians.items()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", nargs="?", type=Path, default=Path("."))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cpu", action="store_true")
    parser.add_argument("--before", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    times = import_times(args.workdir.resolve(), args.repeat, args.cpu, args.before and args.before.resolve())
    print(json.dumps(times, indent=1) if args.json else "\n".join(f"{s} {t}" for s, t in times.items()))


if __name__ == "__main__":
    main()
