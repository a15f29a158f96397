"""Import time of each rule's script (its module-level imports: what every job pays before its
work), median of --repeat runs of `python -X importtime`, for the workflow in DIR.

    python bench/imports.py [DIR] [--repeat 5]     # prints `script seconds` lines; --json for JSON
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path


def import_seconds(workdir: Path, script: str) -> float:
    """Cumulative import time (s) of scripts/<script>.py as a module, in a fresh interpreter."""
    code = f"import sys; sys.path[:0] = ['scripts', '.']; import {script}"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], cwd=workdir, capture_output=True, text=True, check=True
    )
    for line in proc.stderr.splitlines():  # "import time: self [us] | cumulative | name"
        fields = line.split("|")
        if line.startswith("import time:") and fields[-1].strip() == script:
            return int(fields[1]) / 1e6
    raise RuntimeError(f"no import time for {script} in {workdir}")


def import_times(workdir: Path, repeat: int = 5) -> dict[str, float]:
    """Median import time per script, scripts interleaved so that a slow moment hits all alike."""
    scripts = sorted(p.stem for p in (workdir / "scripts").glob("*.py"))
    runs = {s: [] for s in scripts}
    for _ in range(repeat):
        for script in scripts:
            runs[script].append(import_seconds(workdir, script))
    return {s: statistics.median(v) for s, v in runs.items()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", nargs="?", type=Path, default=Path("."))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    times = import_times(args.workdir.resolve(), args.repeat)
    print(json.dumps(times, indent=1) if args.json else "\n".join(f"{s} {t:.3f}" for s, t in times.items()))


if __name__ == "__main__":
    main()
