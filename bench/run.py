"""Benchmarks of the workflow at paper, city and county scale (figures kept in bench/RESULTS.md).

Per scale, on the synthetic extracts of bench/make_synthetic.py, in a copy of the workflow:
  - cold `snakemake --cores N` from an empty results/ (wall time, peak memory of the process tree)
  - the yardstick: bench/yardstick.py, the same jobs run in one Python process
  - both again for the spine alone (ingest -> clean -> indicators -> describe: Table 1), where
    the per-job start-up of Snakemake weighs most
  - no-op rerun, against Snakemake's no-op on the one-rule workflow bench/noop/Snakefile
  - time and peak memory per rule (the rules' `benchmark:` files, results/benchmarks/<rule>.tsv)
  - ingest throughput, long rows per second, of the csv and the xlsx extract
And on the shipped public data (the default config), unless --no-public:
  - the cold `snakemake --cores N` of Table 1 + Figure 1's map against bench/plain.py, the same
    outputs made by one plain Python process calling the library (interleaved runs)
  - the rerun after adding a year (years.end 2022): its time and the jobs it reruns; the no-op after
  - each rule script's import time (bench/imports.py)
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
WORKFLOW_FILES = ["Snakefile", "config.yaml", "workflow", "scripts", "upgrade_repro", "data", "report"]
SPINE_TARGET = "results/tables/table1.csv"
# Table 1 and Figure 1's map: what bench/plain.py makes.
PLAIN_TARGETS = [
    *(f"results/tables/table1.{kind}" for kind in ("csv", "md", "tex", "json")),
    *(f"results/figures/figure1_map.{kind}" for kind in ("png", "svg", "pdf")),
]
TARGETS = {
    "plain_ratio": 2.0,
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
    """On the default config (shipped public data): cold run of Table 1 + Figure 1's map against
    bench/plain.py (interleaved), then the rerun after adding a year and the no-op after it."""
    workdir = copy_workflow(out / "public" / "wf")
    log = out / "public" / "run.log"
    log.unlink(missing_ok=True)
    plain = [sys.executable, str(BENCH / "plain.py")]
    # The targets before the options, and no --quiet (it would take the targets as its values).
    cold = [SNAKEMAKE, *PLAIN_TARGETS, "--cores", str(cores)]
    runs = {key: [] for key in ("plain", "cold", "plain_cpu", "cold_cpu", "add_year", "noop")}
    for _ in range(repeat):
        clear_results(workdir)
        runs["plain"].append(timed(plain, workdir, log)[0])
        runs["plain_cpu"].append(LAST_CPU[0])
        clear_results(workdir)
        runs["cold"].append(timed(cold, workdir, log)[0])
        runs["cold_cpu"].append(LAST_CPU[0])
    # The plain script's outputs are the workflow's (tests/workflow/test_bench.py checks it too).
    timed([*plain, "--out", str(out / "public" / "plain")], workdir, log)
    identical = {
        target: (workdir / target).read_bytes() == (out / "public" / "plain" / target.split("/", 1)[1]).read_bytes()
        for target in PLAIN_TARGETS
    }
    # Adding a year to a complete run: years.end 2022 (the shipped file holds 2022), timed each
    # time from the complete 2008-2021 run (the way back, to 2021, is not timed).
    (workdir / "add_year.yaml").write_text("years:\n  start: 2008\n  end: 2022\n", encoding="utf-8")
    full = [SNAKEMAKE, "--cores", str(cores)]
    add_year = [*full, "--configfile", "add_year.yaml"]
    clear_results(workdir)
    timed(full, workdir, log)
    jobs = {}
    for _ in range(year_repeat):
        start = len(log.read_text(encoding="utf-8"))
        runs["add_year"].append(timed(add_year, workdir, log)[0])
        jobs = jobs_run(log.read_text(encoding="utf-8")[start:])
        runs["noop"].append(timed(add_year, workdir, log)[0])
        if "Nothing to be done" not in log.read_text(encoding="utf-8")[-3000:]:
            raise RuntimeError(f"the rerun after the added year was not a no-op; see {log}")
        timed(full, workdir, log)  # back to 2008-2021
    median = {key: statistics.median(values) for key, values in runs.items()}
    return {
        "plain_s": median["plain"],
        "cold_s": median["cold"],
        # Judged on the median of the pairs' ratios: each pair ran back to back, under one load.
        "ratio": statistics.median(c / p for c, p in zip(runs["cold"], runs["plain"])),
        "ratio_of_medians": median["cold"] / median["plain"],
        "ratios": [c / p for c, p in zip(runs["cold"], runs["plain"])],
        "plain_cpu_s": median["plain_cpu"],
        "cold_cpu_s": median["cold_cpu"],
        "identical": identical,
        "add_year_s": median["add_year"],
        "add_year_jobs": jobs,
        "all_rules": sorted(rule_benchmarks(workdir)),
        "noop_s": median["noop"],
        "runs_s": runs,
        "imports_s": imports.import_times(workdir, repeat),
    }


def report_public(results: dict) -> list[str]:
    r = results["public"]
    reused = [rule for rule in r["all_rules"] if rule not in r["add_year_jobs"]]
    return [
        "",
        "Shipped public data (default config):",
        "",
        "| Table 1 + Figure 1 map: cold snakemake s | plain script s | ratio (median of pairs) | ratios per pair "
        "| CPU s cold / plain | outputs identical | add a year s | jobs rerun | no-op s |",
        "|---:|---:|---:|---|---|---|---:|---:|---:|",
        f"| {r['cold_s']:.2f} | {r['plain_s']:.2f} | {r['ratio']:.2f} | "
        + ", ".join(f"{x:.2f}" for x in r["ratios"])
        + f" | {r['cold_cpu_s']:.2f} / {r['plain_cpu_s']:.2f}"
        + f" | {'all' if all(r['identical'].values()) else r['identical']} | {r['add_year_s']:.2f} "
        f"| {sum(r['add_year_jobs'].values())} of {len(r['all_rules'])} | {r['noop_s']:.2f} |",
        "",
        f"Reused when the year is added: {', '.join(reused)}.",
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
        out.append(
            f"public data, Table 1 + Figure 1 cold run / plain script = {ratio:.2f} (<= {TARGETS['plain_ratio']}): "
            f"{verdict(ratio <= TARGETS['plain_ratio'])}"
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
