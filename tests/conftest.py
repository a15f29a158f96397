"""Shared fixtures and helpers: paths, the real data in ../shared/data, a runner for the workflow,
one workflow run per configuration shared by the whole session, and the helpers several test
modules use. Tests that start Snakemake (subprocess or API) carry @pytest.mark.workflow; the fast
tier is `pytest -m "not workflow"`, and a test that starts Snakemake without the marker fails."""

import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import extract_writers as w
import numpy as np
import pandas as pd
import pytest
import yaml

from upgrade_repro.region_schemes import attach_regions, load_region_scheme

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def shared_file(relative: str) -> Path:
    """A file of ../shared/data; skips the test when it is absent, except under CI (then fails)."""
    path = SHARED_DATA / relative
    if not path.is_file():
        message = f"real data {path} not available"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: the shared data must be present)")
        pytest.skip(message)
    return path


@pytest.fixture
def eps_2008_2021() -> Path:
    return shared_file("eps/eps_long_2008_2021.csv")


@pytest.fixture
def eps_2022() -> Path:
    return shared_file("eps/eps_long_2022.csv")


WORKFLOW_FILES = ["Snakefile", "config.yaml", "workflow", "scripts", "upgrade_repro", "data", "report"]


def copy_workflow(dest: Path) -> Path:
    """A copy of the workflow (no results) in `dest`, to run without touching the checkout."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


DEMO_RAW = "data/raw/demo/eps_demo.csv"  # the synthetic extract: a test fixture only


def use_demo(workdir: Path) -> Path:
    """Point the copy's config.yaml at the synthetic demo extract (whose cells tests edit) in
    place of the shipped public data."""
    config = workdir / "config.yaml"
    text = config.read_text(encoding="utf-8")
    default = "  - data/raw/public/nbs_gdp_composition_2008_2022.csv\n"
    assert default in text, "config.yaml's default raw entry moved: update use_demo"
    config.write_text(text.replace(default, f"  - {DEMO_RAW}\n"), encoding="utf-8")
    return workdir


_CURRENT_TEST: list = [None]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Remember the running test (before its fixtures, session-scoped runs included, are set up),
    so that starting Snakemake can check that the test carries the marker."""
    _CURRENT_TEST[0] = item


def pytest_runtest_teardown(item, nextitem):
    _CURRENT_TEST[0] = None


def require_workflow_marker() -> None:
    node = _CURRENT_TEST[0]
    if node is not None and node.get_closest_marker("workflow") is None:
        raise AssertionError(f"{node.nodeid} starts Snakemake: mark it @pytest.mark.workflow")


def run_snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    require_workflow_marker()
    proc = subprocess.run([str(SNAKEMAKE), "--cores", "2", *args], cwd=workdir, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def workflow_copy(tmp_path) -> Path:
    return copy_workflow(tmp_path / "wf")


@pytest.fixture
def demo_copy(tmp_path) -> Path:
    """A copy of the workflow whose default config runs on the synthetic demo extract."""
    return use_demo(copy_workflow(tmp_path / "wf"))


def overlay(workdir, **config):
    path = workdir / "overlay.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return "--configfile", str(path)


def table1_by_hand(*raw_paths, excluded=("西藏", "全国"), years=range(2008, 2022)):
    """Table 1 straight from raw EPS files with the csv and statistics modules only."""
    values = {}
    for raw_path in raw_paths:
        for row in csv.reader(io.StringIO(raw_path.read_bytes().decode("gb18030"))):
            if len(row) == 4 and row[0] != "指标":
                values[(row[1], int(row[2]), row[0].split("（")[0])] = float(row[3])
    regions = sorted({r for r, _, _ in values} - set(excluded))
    series = {"upgrade": [], "service": [], "cyig": []}
    for r in regions:
        for y in years:
            gdp, p, s, t = (
                values[(r, y, k)] for k in ("地区生产总值", "第一产业增加值", "第二产业增加值", "第三产业增加值")
            )
            series["upgrade"].append(t / s)
            series["service"].append(t / gdp)
            series["cyig"].append((p + 2 * s + 3 * t) / gdp)
    return {v: (len(x), statistics.fmean(x), statistics.stdev(x), min(x), max(x)) for v, x in series.items()}


def unregistered(workdir):
    return overlay(workdir, registry={"check": False})


def failed(workdir, *args):
    proc = run_snakemake(workdir, *args, check=False)
    assert proc.returncode != 0
    return proc.stdout + proc.stderr


def edit_demo(workdir, old, new):
    """Edit the demo extract in a copy (the registry check is turned off by `unregistered`)."""
    path = workdir / "data/raw/demo/eps_demo.csv"
    text = path.read_bytes().decode("gb18030")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("gb18030"))
    line = text[: text.index(old)].count("\n") + 1
    return path, line


SCHEMES = ROOT / "data/reference/region_schemes.csv"


# Two provinces of each nbs4 region but 东北, which gets one (codes from the real table).
CODES = {
    "110000": "东部",
    "120000": "东部",
    "140000": "中部",
    "340000": "中部",
    "150000": "西部",
    "450000": "西部",
    "210000": "东北",
}


def synthetic(slopes: dict[str, float], years=range(2011, 2018), seed=7, noise=0.05) -> pd.DataFrame:
    """Indicators = province level + regional slope * (year - first) + noise, for CODES."""
    rng = np.random.default_rng(seed)
    rows = []
    for code, region in CODES.items():
        level = rng.uniform(0.5, 2.0)
        for year in years:
            t = year - years[0]
            rows.append(
                {
                    "code": code,
                    "province": code,
                    "year": year,
                    "upgrade": level + slopes[region] * t + rng.normal(0, noise),
                    "service": 0.4 + 0.01 * t + rng.normal(0, 0.01),
                    "cyig": 2.2 + 0.02 * t + rng.normal(0, 0.01),
                }
            )
    data = pd.DataFrame(rows)
    return attach_regions(data, load_region_scheme(SCHEMES, "nbs4"))


SLOPES = {"东部": 0.10, "中部": 0.05, "西部": 0.02, "东北": 0.08}


def within(data: pd.DataFrame, var: str):
    """Province-demeaned trend and indicator (the within transformation), by numpy."""
    t = (data["year"] - data["year"].min()).to_numpy(float)
    y = data[var].to_numpy(float)
    groups = data["code"].to_numpy()
    t_dm, y_dm = t.copy(), y.copy()
    for g in np.unique(groups):
        s = groups == g
        t_dm[s] -= t[s].mean()
        y_dm[s] -= y[s].mean()
    return t_dm, y_dm, groups


def clustered_slope(t_dm, y_dm, groups, n_params: int):
    """Within slope and its CR1 SE (Stata's small-sample factor), by hand."""
    b = (t_dm @ y_dm) / (t_dm @ t_dm)
    u = y_dm - b * t_dm
    meat = sum((t_dm[groups == g] @ u[groups == g]) ** 2 for g in np.unique(groups))
    n, G = len(y_dm), len(np.unique(groups))
    factor = G / (G - 1) * (n - 1) / (n - n_params)
    return b, np.sqrt(factor * meat) / (t_dm @ t_dm)


def jobs_to_run(workdir, *args) -> dict[str, int]:
    """Rule -> job count of a dry run (empty when there is nothing to do)."""
    out = run_snakemake(workdir, "-n", *args).stdout
    if "Job stats" not in out:
        return {}
    table = out.split("Job stats:")[1].split("total")[0].splitlines()[3:]
    return {line.split()[0]: int(line.split()[1]) for line in table if line.strip()}


# Rules outside the default target: only `snakemake deposit` and `snakemake verify_deposit` run them.
DEPOSIT_RULES = {"deposit_checks", "deposit", "deposit_verification", "verify_deposit"}


def all_rules(workdir) -> set[str]:
    """The rules of the default target (every rule but the deposit's)."""
    return set(run_snakemake(workdir, "--list-rules").stdout.split()) - DEPOSIT_RULES


# ------------------------------------------------------------ one workflow run per configuration
def clone_run(run: Path, dest: Path) -> Path:
    """A copy of a finished run (workflow, results and Snakemake's metadata, times kept), to go on
    from it without touching the shared run."""
    shutil.copytree(run, dest, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> Path:
    """Every target on the synthetic demo extract (use_demo). Read it, do not change it: clone_run."""
    workdir = use_demo(copy_workflow(tmp_path_factory.mktemp("demo_run")))
    run_snakemake(workdir)
    return workdir


@pytest.fixture(scope="session")
def real_run(tmp_path_factory) -> Path:
    """Every target on the real 2008-2021 extract (config overlay real.yaml in the run's directory)."""
    raw = shared_file("eps/eps_long_2008_2021.csv")
    workdir = copy_workflow(tmp_path_factory.mktemp("real_run"))
    (workdir / "real.yaml").write_text(f"raw:\n  - {raw}\n", encoding="utf-8")
    run_snakemake(workdir, "--configfile", "real.yaml")
    return workdir


@pytest.fixture(scope="session")
def run_2022(real_run, tmp_path_factory) -> Path:
    """real_run, then the 2022 extract added and the end year moved (overlay update.yaml): an
    update as a user makes it, on top of the previous successful run."""
    raw = [str(shared_file("eps/eps_long_2008_2021.csv")), str(shared_file("eps/eps_long_2022.csv"))]
    workdir = clone_run(real_run, tmp_path_factory.mktemp("run_2022") / "wf")
    (workdir / "update.yaml").write_text(
        yaml.safe_dump({"raw": raw, "years": {"start": 2008, "end": 2022}}), encoding="utf-8"
    )
    run_snakemake(workdir, "--configfile", "update.yaml")
    return workdir


ALL_SIX = ["upgrade", "service", "cyig", "theil", "deviation", "advancement_lp"]
ENGLISH_SIX_DPI = 90  # not the default 300, nor the 150 sigma.png and regional_trends.png had


@pytest.fixture(scope="session")
def english_six_run(tmp_path_factory):
    """All six indicators, report.language en, figure.dpi 90 and figure.title_in_image true: one run
    for the figures' and the tables' English and format tests (test_figures, test_table_formats_workflow)."""
    workdir = copy_workflow(tmp_path_factory.mktemp("english_six") / "wf")
    numbers = w.make_numbers()
    va = w.eps_long_csv(workdir / "va.csv", numbers)
    emp = w.employment_long_csv(workdir / "emp.csv", w.make_employment(numbers))
    config = {
        "raw": [va.name, emp.name],
        "years": {"start": w.YEARS[0], "end": w.YEARS[-1]},
        "registry": {"check": False},
        "indicators": ALL_SIX,
        "report": {"language": "en"},
        "figure": {"dpi": ENGLISH_SIX_DPI, "title_in_image": True},
    }
    run_snakemake(workdir, *overlay(workdir, **config))
    return workdir
