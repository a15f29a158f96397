"""Benchmarks of the workflow at paper, city and county scale (figures kept in bench/RESULTS.md).

Per scale, on the synthetic extracts of bench/make_synthetic.py, in a copy of the workflow:
  - cold `snakemake --cores N` from an empty results/ (wall time, peak memory of the process tree)
  - the yardstick: bench/yardstick.py, the same jobs run in one Python process
  - both again for the spine alone (ingest -> clean -> indicators -> describe: Table 1), where
    the per-job start-up of Snakemake weighs most
  - no-op rerun, against Snakemake's no-op on the one-rule workflow bench/noop/Snakefile
  - time and peak memory per rule (the rules' `benchmark:` files, results/benchmarks/<rule>.tsv)
  - ingest throughput, long rows per second, of the csv and the xlsx extract
And on the shipped public data (the default config), unless --no-public, in interleaved rounds:
  - the cold `snakemake --cores N` of Table 1 + Figure 1's map against bench/plain.py, the same
    outputs made by one plain Python process calling the library
  - the cold run of Table 1, its check and Figure 1 (map and ranking) against
    bench/plain_reviewer.py, a reviewer's direct pandas/geopandas/matplotlib script of them
  - the cold full default run against bench/plain.py
  - the no-op rerun of the default target against Snakemake's no-op on bench/noop/Snakefile
  - then the rerun after adding a year (years.end 2022): its time and the jobs it reruns; the no-op after
  - each rule script's import time (bench/imports.py)
Each timing keeps wall and CPU seconds (user + system of the whole process tree): CPU seconds are
steadier on a machine shared with others.
Times are medians over --repeat runs. Prints Markdown; also writes <out>/results.json.

    python bench/run.py [--scales paper city county] [--repeat 3] [--cores 4] [--profile] [--no-public]
"""

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import imports  # noqa: E402
import make_synthetic  # noqa: E402

from upgrade_repro.ingest.extracts import read_extract  # noqa: E402

SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
# profiles/: the default profile (its scheduler) is part of the workflow as users run it
WORKFLOW_FILES = ["Snakefile", "config.yaml", "profiles", "workflow", "scripts", "upgrade_repro", "data", "report"]
SPINE_TARGET = "results/tables/table1.csv"
# Table 1 and Figure 1's map: what bench/plain.py makes.
PLAIN_TARGETS = [
    *(f"results/tables/table1.{kind}" for kind in ("csv", "md", "tex", "json")),
    *(f"results/figures/figure1_map.{kind}" for kind in ("png", "svg", "pdf")),
]
# Table 1, its check against the paper and Figure 1 (map and ranking): what bench/plain_reviewer.py makes.
REVIEWER_TARGETS = [
    *(f"results/tables/table1.{kind}" for kind in ("csv", "md", "tex")),
    "results/checks/table1_vs_paper.csv",
    "results/figures/figure1_map.png",
    "results/figures/figure1_ranking.png",
]
TARGETS = {
    "plain_ratio": 2.0,
    "reviewer_ratio": 2.0,
    "full_ratio": 4.0,
    "public_noop_ratio": 1.3,
    "cold_ratio": 2.0,
    "noop_ratio": 1.5,
    "county_cold_s": 30.0,
    "county_peak_mb": 1024.0,
    "xlsx_rows_per_s": 100_000,
}


def machine() -> dict:
    model = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    version = subprocess.run([SNAKEMAKE, "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "snakemake": version,
        "pandas": pd.__version__,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def copy_workflow(dest: Path) -> Path:
    """A fresh copy of the workflow (no results, no .snakemake) to benchmark in."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in WORKFLOW_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


LAST_CPU = [0.0]  # CPU seconds (user + system) of the last timed() command's whole process tree


def timed(cmd: list[str], cwd: Path, log: Path) -> tuple[float, float]:
    """Run `cmd`; wall seconds and peak summed RSS (MB) of its process tree, sampled every 20 ms.
    Its CPU seconds go to LAST_CPU: steadier than wall time on a machine shared with others."""
    peak = 0.0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, "ab") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample():
            nonlocal peak
            root = psutil.Process(proc.pid)
            while not done.is_set():
                try:
                    rss = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
                    peak = max(peak, rss / 2**20)
                except psutil.Error:
                    pass
                done.wait(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        code = proc.wait()
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed in {cwd} (exit {code}); see {log}")
    return wall, peak


def clear_results(workdir: Path) -> None:
    for name in ("results", ".snakemake"):
        shutil.rmtree(workdir / name, ignore_errors=True)


def rule_benchmarks(workdir: Path) -> dict:
    """Per rule run: wall seconds, CPU seconds and peak RSS (MB) from results/benchmarks/<rule>.tsv."""
    out = {}
    for path in sorted((workdir / "results" / "benchmarks").glob("*.tsv")):
        row = pd.read_csv(path, sep="\t").iloc[0]
        out[path.stem] = {"s": float(row["s"]), "cpu_s": float(row["cpu_time"]), "max_rss_mb": float(row["max_rss"])}
    return out


def yardstick_plan(workdir: Path, config: list[str], plan: Path, targets=()) -> list[str]:
    """Write the yardstick's jobs for a cold run of `targets`; their rules, in the order run."""
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "yardstick.py"),
            "plan",
            str(plan),
            *config,
            *(["--targets", *targets] if targets else []),
        ],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    return [line.split(":")[0] for line in proc.stdout.splitlines()]


def throughput(read, path: Path, repeat: int) -> dict:
    """Long rows per second of `read(path)`, best of `repeat` (the least disturbed run)."""
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = len(read(path))
        times.append(time.perf_counter() - start)
    return {"rows": rows, "s": min(times), "rows_per_s": rows / min(times)}


def noop_reference(out: Path, cores: int, repeat: int) -> float:
    """Median no-op rerun time of the one-rule workflow."""
    workdir = out / "noop"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    shutil.copy2(BENCH / "noop" / "Snakefile", workdir / "Snakefile")
    cmd = [SNAKEMAKE, "--cores", str(cores)]
    timed(cmd, workdir, workdir / "run.log")
    return statistics.median(timed(cmd, workdir, workdir / "run.log")[0] for _ in range(repeat))


def bench_scale(name: str, out: Path, cores: int, repeat: int, profile: bool) -> dict:
    paths = make_synthetic.write_scale(name, out)
    workdir = copy_workflow(out / name / "wf")
    log = out / name / "run.log"
    log.unlink(missing_ok=True)
    config = ["--configfile", str(paths["config"])]
    plan, spine_plan = out / name / "plan.pkl", out / name / "spine.pkl"
    rules = yardstick_plan(workdir, config, plan)
    spine = yardstick_plan(workdir, config, spine_plan, [SPINE_TARGET])
    options = ["--cores", str(cores), *config]
    snakemake = [SNAKEMAKE, *options]
    yardstick = [sys.executable, str(BENCH / "yardstick.py"), "run"]
    runs = {key: [] for key in ("cold", "yardstick", "noop", "peak", "spine_cold", "spine_yardstick")}
    for _ in range(repeat):
        clear_results(workdir)
        runs["yardstick"].append(timed([*yardstick, str(plan)], workdir, log)[0])
        clear_results(workdir)
        wall, peak = timed(snakemake, workdir, log)
        runs["cold"].append(wall)
        runs["peak"].append(peak)
        per_rule = rule_benchmarks(workdir)
        runs["noop"].append(timed(snakemake, workdir, log)[0])
        if "Nothing to be done" not in log.read_text(encoding="utf-8")[-3000:]:
            raise RuntimeError(f"the rerun after a complete run was not a no-op; see {log}")
        clear_results(workdir)
        runs["spine_yardstick"].append(timed([*yardstick, str(spine_plan)], workdir, log)[0])
        clear_results(workdir)
        # The target before the options: --configfile takes every argument after it.
        runs["spine_cold"].append(timed([SNAKEMAKE, SPINE_TARGET, *options], workdir, log)[0])
    if profile:
        clear_results(workdir)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pyinstrument",
                "-r",
                "text",
                "-o",
                str(out / name / "profile.txt"),
                str(BENCH / "yardstick.py"),
                "run",
                str(plan),
            ],
            cwd=workdir,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    median = {key: statistics.median(values) for key, values in runs.items()}
    return {
        "long_rows": make_synthetic.long_rows(name),
        "unit": make_synthetic.SCALES[name].unit,
        "jobs": rules,
        "spine_jobs": spine,
        "cold_s": median["cold"],
        "yardstick_s": median["yardstick"],
        "noop_s": median["noop"],
        "spine_cold_s": median["spine_cold"],
        "spine_yardstick_s": median["spine_yardstick"],
        "peak_mb": max(runs["peak"]),
        "runs_s": runs,
        "rules": per_rule,
        "ingest_csv": throughput(read_extract, paths["csv"], repeat),
        "ingest_xlsx": throughput(read_extract, paths["xlsx"], repeat),
    }


def jobs_run(log_text: str) -> dict[str, int]:
    """Rule -> job count from the last "Job stats" table of a Snakemake log ("all" left out)."""
    block = log_text.rsplit("Job stats:", 1)[-1].splitlines()
    jobs = {}
    for line in block[3:]:
        fields = line.split()
        if len(fields) != 2 or fields[0] == "total":
            break
        jobs[fields[0]] = int(fields[1])
    jobs.pop("all", None)
    return jobs


def bench_public(out: Path, cores: int, repeat: int, year_repeat: int) -> dict:
    """On the default config (shipped public data), `repeat` interleaved rounds of: bench/plain.py and
    the cold run of its targets; bench/plain_reviewer.py and the cold run of its targets; the cold
    full default run; Snakemake's one-rule no-op and the no-op of the default target. Then the rerun
    after adding a year and the no-op after it."""
    workdir = copy_workflow(out / "public" / "wf")
    noop = out / "public" / "noop"
    shutil.rmtree(noop, ignore_errors=True)
    noop.mkdir(parents=True)
    shutil.copy2(BENCH / "noop" / "Snakefile", noop / "Snakefile")
    log = out / "public" / "run.log"
    log.unlink(missing_ok=True)
    plain = [sys.executable, str(BENCH / "plain.py")]
    reviewer = [sys.executable, str(BENCH / "plain_reviewer.py"), "--out", str(out / "public" / "reviewer")]
    # The targets before the options, and no --quiet (it would take the targets as its values).
    full = [SNAKEMAKE, "--cores", str(cores)]
    pairs = {
        "plain": (plain, [SNAKEMAKE, *PLAIN_TARGETS, "--cores", str(cores)]),
        "reviewer": (reviewer, [SNAKEMAKE, *REVIEWER_TARGETS, "--cores", str(cores)]),
        "full": (plain, full),
    }
    runs = {}

    def run(key, cmd, cwd=workdir):
        wall = timed(cmd, cwd, log)[0]
        runs.setdefault(key, []).append(wall)
        runs.setdefault(key + "_cpu", []).append(LAST_CPU[0])

    timed([SNAKEMAKE, "--cores", "1"], noop, noop / "run.log")
    for _ in range(repeat):
        for name, (script, snakemake) in pairs.items():
            clear_results(workdir)
            run(f"{name}_script", script)
            clear_results(workdir)
            run(f"{name}_cold", snakemake)
        # the full run just made: its no-op, beside the one-rule workflow's
        run("noop_reference", [SNAKEMAKE, "--cores", str(cores)], noop)
        run("noop", full)
        if "Nothing to be done" not in log.read_text(encoding="utf-8")[-3000:]:
            raise RuntimeError(f"the rerun after a complete run was not a no-op; see {log}")
    # The plain script's outputs are the workflow's (tests/workflow/test_bench.py checks it too).
    timed([*plain, "--out", str(out / "public" / "plain")], workdir, log)
    identical = {
        target: (workdir / target).read_bytes() == (out / "public" / "plain" / target.split("/", 1)[1]).read_bytes()
        for target in PLAIN_TARGETS
    }
    # Adding a year to a complete run: years.end 2022 (the shipped file holds 2022), timed each
    # time from the complete 2008-2021 run (the way back, to 2021, is not timed).
    (workdir / "add_year.yaml").write_text("years:\n  start: 2008\n  end: 2022\n", encoding="utf-8")
    add_year = [*full, "--configfile", "add_year.yaml"]
    jobs = {}
    for _ in range(year_repeat):
        start = len(log.read_text(encoding="utf-8"))
        run("add_year", add_year)
        jobs = jobs_run(log.read_text(encoding="utf-8")[start:])
        run("add_year_noop", add_year)
        if "Nothing to be done" not in log.read_text(encoding="utf-8")[-3000:]:
            raise RuntimeError(f"the rerun after the added year was not a no-op; see {log}")
        timed(full, workdir, log)  # back to 2008-2021
    median = {key: statistics.median(values) for key, values in runs.items()}

    def ratios(num, den):
        """Per round (each pair ran back to back, under one load): wall and CPU ratios."""
        return {
            kind: [a / b for a, b in zip(runs[num + suffix], runs[den + suffix])]
            for kind, suffix in (("wall", ""), ("cpu", "_cpu"))
        }

    compared = {
        "plain": ratios("plain_cold", "plain_script"),
        "reviewer": ratios("reviewer_cold", "reviewer_script"),
        "full": ratios("full_cold", "full_script"),
        "noop": ratios("noop", "noop_reference"),
    }
    return {
        "median_s": median,
        "ratios": compared,
        # Judged on the median of the rounds' ratios.
        "ratio": {name: {k: statistics.median(v) for k, v in r.items()} for name, r in compared.items()},
        "identical": identical,
        "add_year_jobs": jobs,
        "all_rules": sorted(rule_benchmarks(workdir)),
        "runs_s": runs,
        "imports_s": imports.import_times(workdir, repeat),
    }


def report_public(results: dict) -> list[str]:
    r = results["public"]
    m, ratio, per_round = r["median_s"], r["ratio"], r["ratios"]
    reused = [rule for rule in r["all_rules"] if rule not in r["add_year_jobs"]]
    rows = [
        ("Table 1 + Figure 1's map / bench/plain.py", "plain_cold", "plain_script", "plain"),
        ("Table 1, check, map and ranking / bench/plain_reviewer.py", "reviewer_cold", "reviewer_script", "reviewer"),
        ("full default run / bench/plain.py", "full_cold", "full_script", "full"),
        ("no-op of the default target / one-rule no-op", "noop", "noop_reference", "noop"),
    ]
    lines = [
        "",
        "Shipped public data (default config), medians of the interleaved rounds:",
        "",
        "| comparison | workflow s (CPU s) | reference s (CPU s) | wall ratio | CPU ratio | wall ratios per round |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, ours, theirs, key in rows:
        lines.append(
            f"| {label} | {m[ours]:.2f} ({m[ours + '_cpu']:.2f}) | {m[theirs]:.2f} ({m[theirs + '_cpu']:.2f}) "
            f"| {ratio[key]['wall']:.2f} | {ratio[key]['cpu']:.2f} | "
            + ", ".join(f"{x:.2f}" for x in per_round[key]["wall"])
            + " |"
        )
    return lines + [
        "",
        f"bench/plain.py's outputs identical to the workflow's: {'all' if all(r['identical'].values()) else r['identical']}.",
        f"Adding a year: {m['add_year']:.2f} s ({m['add_year_cpu']:.2f} CPU s), "
        f"{sum(r['add_year_jobs'].values())} of {len(r['all_rules'])} jobs rerun; "
        f"the no-op after it {m['add_year_noop']:.2f} s. Reused: {', '.join(reused)}.",
        "",
        "Import time per script (s, median): "
        + ", ".join(f"{s} {t:.2f}" for s, t in sorted(r["imports_s"].items(), key=lambda item: -item[1])),
    ]


def report(results: dict) -> str:
    """The figures as Markdown, with each target met or missed."""
    m, scales = results["machine"], results["scales"]
    lines = [
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB; Python {m['python']}, "
        f"Snakemake {m['snakemake']}, pandas {m['pandas']}; load average at start {m['load_average_at_start']}, "
        f"at end {m.get('load_average_at_end')}; "
        f"--cores {results['cores']}, median of {results['repeat']} run(s).",
        "",
        f"Snakemake no-op on the one-rule workflow (bench/noop): {results['noop_reference_s']:.2f} s",
        "",
        "| scale | long rows | jobs | cold run s | yardstick s | cold / yardstick | spine cold s "
        "| spine yardstick s | spine ratio | no-op s | no-op / one-rule no-op | peak MB (process tree) "
        "| csv ingest rows/s | xlsx ingest rows/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in scales.items():
        lines.append(
            f"| {name} ({r['unit']}) | {r['long_rows']:,} | {len(r['jobs'])} | {r['cold_s']:.2f} "
            f"| {r['yardstick_s']:.2f} | {r['cold_s'] / r['yardstick_s']:.2f} | {r['spine_cold_s']:.2f} "
            f"| {r['spine_yardstick_s']:.2f} | {r['spine_cold_s'] / r['spine_yardstick_s']:.2f} "
            f"| {r['noop_s']:.2f} | {r['noop_s'] / results['noop_reference_s']:.2f} | {r['peak_mb']:.0f} "
            f"| {r['ingest_csv']['rows_per_s']:,.0f} | {r['ingest_xlsx']['rows_per_s']:,.0f} |"
        )
    rules = max((r["jobs"] for r in scales.values()), key=len, default=[])
    lines += [
        "",
        "Per rule (last cold run; Snakemake `benchmark:` files): wall s / CPU s / peak RSS MB",
        "",
        "| rule | " + " | ".join(scales) + " |",
        "|---|" + "---:|" * len(scales),
    ]
    for rule in rules:
        cells = [
            f"{b['s']:.2f} / {b['cpu_s']:.2f} / {b['max_rss_mb']:.0f}" if (b := r["rules"].get(rule)) else "—"
            for r in scales.values()
        ]
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    if "public" in results:
        lines += report_public(results)
    lines += ["", "Targets:"] + [f"- {t}" for t in targets(results)]
    return "\n".join(lines)


def targets(results: dict) -> list[str]:
    def verdict(ok):
        return "met" if ok else "MISSED"

    out, scales = [], results["scales"]
    if "public" in results:
        ratio = results["public"]["ratio"]
        for name, label, target in (
            ("plain", "Table 1 + Figure 1 cold run / bench/plain.py", "plain_ratio"),
            ("reviewer", "Table 1 + check + Figure 1 cold run / bench/plain_reviewer.py", "reviewer_ratio"),
            ("full", "full default cold run / bench/plain.py", "full_ratio"),
            ("noop", "no-op of the default target / one-rule no-op", "public_noop_ratio"),
        ):
            wall = ratio[name]["wall"]
            out.append(
                f"public data, {label} = {wall:.2f} (CPU {ratio[name]['cpu']:.2f}; <= {TARGETS[target]}): "
                f"{verdict(wall <= TARGETS[target])}"
            )
    if "paper" in scales:
        r = scales["paper"]
        ratio = r["cold_s"] / r["yardstick_s"]
        out.append(
            f"paper cold run / yardstick = {ratio:.2f} (<= {TARGETS['cold_ratio']}): "
            f"{verdict(ratio <= TARGETS['cold_ratio'])} (spine alone: "
            f"{r['spine_cold_s'] / r['spine_yardstick_s']:.2f}, not a target)"
        )
    for name, r in scales.items():
        ratio = r["noop_s"] / results["noop_reference_s"]
        out.append(
            f"{name} no-op / one-rule no-op = {ratio:.2f} (<= {TARGETS['noop_ratio']}): "
            f"{verdict(ratio <= TARGETS['noop_ratio'])}"
        )
    if "county" in scales:
        r = scales["county"]
        out.append(
            f"county cold run {r['cold_s']:.1f} s (< {TARGETS['county_cold_s']:.0f} s): "
            f"{verdict(r['cold_s'] < TARGETS['county_cold_s'])}"
        )
        out.append(
            f"county peak memory {r['peak_mb']:.0f} MB (< {TARGETS['county_peak_mb']:.0f} MB): "
            f"{verdict(r['peak_mb'] < TARGETS['county_peak_mb'])}"
        )
    if not scales:
        return out
    # A throughput is judged on the largest extract: on 1,792 rows fixed costs dominate.
    name, r = max(scales.items(), key=lambda item: item[1]["long_rows"])
    rate = r["ingest_xlsx"]["rows_per_s"]
    out.append(
        f"xlsx ingest at {name} scale {rate:,.0f} rows/s (>= {TARGETS['xlsx_rows_per_s']:,}): "
        f"{verdict(rate >= TARGETS['xlsx_rows_per_s'])}"
    )
    return out


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="*", choices=list(make_synthetic.SCALES), default=list(make_synthetic.SCALES))
    parser.add_argument("--no-public", action="store_true", help="skip the runs on the shipped public data")
    parser.add_argument("--year-repeat", type=int, help="runs of the added year (default: --repeat)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cores", type=int, default=4)
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also write <out>/<scale>/profile.txt (pyinstrument profile of the yardstick)",
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    results = {
        "machine": machine(),
        "cores": args.cores,
        "repeat": args.repeat,
        "noop_reference_s": noop_reference(out, args.cores, args.repeat),
        "scales": {},
    }
    if not args.no_public:
        results["public"] = bench_public(out, args.cores, args.repeat, args.year_repeat or args.repeat)
    for name in args.scales:
        results["scales"][name] = bench_scale(name, out, args.cores, args.repeat, args.profile)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    (out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results))
    return results


if __name__ == "__main__":
    main()
