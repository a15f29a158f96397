"""Shared fixtures and helpers: paths, the real data in ../shared/data, a runner for the workflow,
one workflow run per configuration shared by the whole session, and the helpers and test data that
test modules of several stages (or both tiers) use.

A test's tier is where it lives: tests/fast/ (never starts Snakemake; `pytest -m "not workflow"`)
and tests/workflow/ (starts Snakemake: a run, a dry run or its API; `pytest -m workflow`). Each
stage's tests are tests/<tier>/test_<stage>.py (the rule's name; test_<stage>_<aspect>.py where a
stage has several), cross-cutting ones have descriptive names. pytest_collection_modifyitems gives
every test under tests/workflow/ the `workflow` marker; a test that starts Snakemake without it (one
placed in tests/fast/) fails, and a test in tests/fast/ marked `workflow` stops the collection."""

import csv
import io
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
from pathlib import Path

import extract_writers as w
import numpy as np
import pandas as pd
import pytest
import yaml

from upgrade_repro.catalogue import load_catalogue
from upgrade_repro.region_schemes import attach_regions, load_region_scheme
from upgrade_repro.regions import load_regions

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The tier from the folder: every test under tests/workflow/ gets the `workflow` marker (before
    `-m` selects); a test under tests/fast/ marked `workflow` is a usage error (move it)."""
    misplaced = []
    for item in items:
        folder = Path(item.path).resolve().relative_to(TESTS).parts[0]
        if folder == "workflow":
            item.add_marker(pytest.mark.workflow)
        elif folder == "fast" and item.get_closest_marker("workflow") is not None:
            misplaced.append(item.nodeid)
    if misplaced:
        raise pytest.UsageError(
            "tests marked workflow under tests/fast/ (a test that starts Snakemake belongs in tests/workflow/): "
            + ", ".join(misplaced)
        )


def require_workflow_marker() -> None:
    node = _CURRENT_TEST[0]
    if node is not None and node.get_closest_marker("workflow") is None:
        raise AssertionError(f"{node.nodeid} starts Snakemake: move it to tests/workflow/ (the workflow tier)")


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
    for the figures', the report's and the tables' English and format tests (tests/workflow/test_figure_map.py,
    test_report.py, test_table_formats.py)."""
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


def in_language(run: Path, dest: Path, language: str, *configfiles: str) -> Path:
    """A clone of a finished run with report.language switched (overlay <language>.yaml after the
    run's own `configfiles`): only the rules whose texts follow the language run again."""
    workdir = clone_run(run, dest)
    (workdir / f"{language}.yaml").write_text(f"report:\n  language: {language}\n", encoding="utf-8")
    run_snakemake(workdir, "--configfile", *configfiles, f"{language}.yaml")
    return workdir


@pytest.fixture(scope="session")
def english_run(real_run, tmp_path_factory) -> Path:
    """real_run in English: the default configuration on the real extract, report.language en."""
    return in_language(real_run, tmp_path_factory.mktemp("english_run") / "wf", "en", "real.yaml")


@pytest.fixture(scope="session")
def chinese_six_run(english_six_run, tmp_path_factory) -> Path:
    """english_six_run in Chinese: all six indicators, report.language zh."""
    return in_language(english_six_run, tmp_path_factory.mktemp("chinese_six") / "wf", "zh", "overlay.yaml")


# ------------------------------------------------------------ the shipped inputs, read once (do not change them)
CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
TIERS, NO_DATA = CONFIG["figure"]["tiers"], CONFIG["figure"]["no_data"]
REGIONS = load_regions(ROOT / "data/reference/provinces.csv")
SAMPLE = [c for c in pd.read_csv(SCHEMES, dtype=str)["code"] if c != "540000"]  # 30, no Tibet
CATALOGUE = load_catalogue(ROOT / "data/reference/indicators.yaml")
# Chinese characters and CJK punctuation (texts.CJK): what an English output shows only where kept on purpose.
from upgrade_repro.texts import CJK  # noqa: E402, F401 (tests import it from here)


def dist_name(text: str) -> str:
    """A distribution's normalised name (PEP 503)."""
    return re.sub(r"[-_.]+", "-", text).lower()


def lock_versions() -> dict[str, str]:
    """requirements.lock: normalised name -> exact version."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version, f"not an exact pin: {line!r}"
            pins[dist_name(name)] = version
    return pins


# ------------------------------------------------------------ the shipped public data (fast and workflow tests)
PUBLIC = ROOT / "data/raw/public/nbs_gdp_composition_2008_2022.csv"
HEADER = "地区,年份,地区生产总值（亿元）,第一产业比重（%）,第二产业比重（%）,第三产业比重（%）"


def parse_public(path=PUBLIC) -> dict:
    """The shipped file by hand: {(region, year): (gdp, p, s, t)}."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert ",".join(rows[0]) == HEADER
    return {(r[0], int(r[1])): tuple(map(float, r[2:])) for r in rows[1:]}


# ------------------------------------------------------------ the shared revised NBS exports (fast and workflow tests)
NBS_EXPORTS = ["nbs/nbs_gdp_2006_2024_c5.csv", "nbs/nbs_sectors_2020_c5.csv", "nbs/nbs_sectors_2021_c5.csv"]


def parse_nbs() -> dict:
    """The three NBS exports of ../shared/data/nbs (revised after the fifth economic census) by
    hand: {(short name, year, series): value}; GDP every year (one row per province, a column per
    year), the sectors of 2020 and 2021 (one file per year, cells separated by a tab and a comma)."""
    short = dict(zip(REGIONS["name_full"], REGIONS["name_short"]))
    out = {}
    lines = shared_file(NBS_EXPORTS[0]).read_bytes().decode("gb18030").splitlines()
    years = [int(h.rstrip("年")) for h in lines[3].split(",")[1:]]
    for line in lines[4:]:
        cells = line.split(",")
        if cells[0] in short:
            out.update({(short[cells[0]], y, "gdp"): float(x) for y, x in zip(years, cells[1:])})
    for path in NBS_EXPORTS[1:]:
        lines = shared_file(path).read_bytes().decode("utf-8-sig").splitlines()
        year = int(lines[1].split("：")[1].strip().rstrip("年"))
        for line in lines[3:]:
            cells = [c.strip() for c in line.split(",")]
            if cells[0] in short:
                for series, x in zip(("gdp", "primary", "secondary", "tertiary"), cells[1:5]):
                    out[(short[cells[0]], year, series)] = float(x)
    return out


def parse_eps(*paths) -> dict:
    """EPS long extracts (GB18030, 指标,地区,时间,数值) by hand: {(short name, year, series): value}."""
    series = {
        "地区生产总值": "gdp",
        "第一产业增加值": "primary",
        "第二产业增加值": "secondary",
        "第三产业增加值": "tertiary",
    }
    out = {}
    for path in paths:
        for row in csv.reader(io.StringIO(Path(path).read_bytes().decode("gb18030"))):
            if len(row) == 4 and row[0] != "指标":
                out[(row[1], int(row[2]), series[row[0].split("（")[0]])] = float(row[3])
    return out


def table1_from_cells(cells: dict) -> dict:
    """Table 1 (N, mean, sd, min, max of upgrade, service, cyig) by plain arithmetic from a panel's
    cells {key: (gdp, primary, secondary, tertiary)}."""
    x = {"upgrade": [], "service": [], "cyig": []}
    for g, p, s, t in cells.values():
        x["upgrade"].append(t / s)
        x["service"].append(t / g)
        x["cyig"].append((p + 2 * s + 3 * t) / g)
    return {k: [len(a), statistics.fmean(a), statistics.stdev(a), min(a), max(a)] for k, a in x.items()}


# ------------------------------------------------------------ small data worked out by hand
# Four province-years of the paper's indicators (describe, Table 1's text files, verify).
HAND_INDICATORS = pd.DataFrame(
    {
        "code": ["1", "1", "2", "2"],
        "province": ["甲", "甲", "乙", "乙"],
        "year": [2020, 2021, 2020, 2021],
        "upgrade": [1.0, 2.0, 3.0, 4.0],
        "service": [0.5, 0.5, 0.5, 0.5],
        "cyig": [2.0, 2.1, 2.2, 2.9],
    }
)


def raw_long_rows(region, years, indicators=("gdp", "primary", "secondary", "tertiary"), source="a.csv"):
    """Rows of raw_long.csv (value 1.0) for the report's and the claims' accounting of the sample."""
    return [
        {"source": source, "region": region, "year": y, "indicator": i, "value": 1.0} for y in years for i in indicators
    ]


# The statements of section 1.2.2 as data/published/section_1_2_2.yaml words them, for the claims'
# checks and the report's ranking (tests/fast/test_claims.py, test_report.py).
CLAIMS_SPEC = {
    "sample": {"provinces": 30, "years": [2008, 2021], "excluded": ["西藏"]},
    "upgrade_max_over_min": {"times": 10, "about": 0.1},
    "service_spread": {"more_than": 0.5},
    "tiers": [
        {"label": "强", "lower": 3, "upper": 4, "provinces": ["北京"], "id": "tier_strong"},
        {"label": "较强", "lower": 2, "upper": 3, "provinces": ["海南"], "id": "tier_fairly_strong"},
        {"label": "中等", "lower": 1, "upper": 2},
        {"label": "较弱", "lower": 0, "upper": 1},
    ],
    "others_in": ["中等", "较弱"],
    "lowest": "河南",
}
CLAIMS_SPEC["quotes"] = {
    k: k
    for k in [
        "sample",
        "upgrade_mean_middle",
        "upgrade_sd_largest",
        "upgrade_max",
        "upgrade_min",
        "upgrade_ratio",
        "service_mean",
        "service_max",
        "service_min",
        "service_spread",
        "cyig_mean",
        "cyig_max",
        "cyig_min",
        "cyig_sd",
        "cyig_less_dispersed",
        "four_tiers",
        "tier_strong",
        "tier_fairly_strong",
        "others",
        "lowest",
    ]
}


def means_of(values):
    """province_means.csv's columns for {province: mean of upgrade} (four provinces named in the paper)."""
    codes = {"北京": "110000", "海南": "460000", "河南": "410000", "上海": "310000"}
    return pd.DataFrame(
        {"code": [codes[k] for k in values], "province": list(values), "mean_upgrade": list(values.values())}
    )


# ------------------------------------------------------------ the manuscript files' inputs (manuscript_tables, stata_panel)
@pytest.fixture(scope="session")
def run_dir(tmp_path_factory):
    """Indicators of a synthetic panel (30 provinces x 2010-2013) and the five tables' csv, made by
    the stage functions, as the workflow would write them. Read it, do not change it."""
    import matplotlib.pyplot as plt

    from upgrade_repro import convergence, regional_table, trends
    from upgrade_repro.describe import describe
    from upgrade_repro.indicators import compute_indicators
    from upgrade_repro.region_schemes import read_indicators_with_regions

    d = tmp_path_factory.mktemp("manuscript")
    rng = np.random.default_rng(17)
    names = dict(zip(REGIONS["code"], REGIONS["name_short"]))
    rows = []
    for code in SAMPLE:
        level = rng.uniform(0.5, 3)
        for t, year in enumerate(range(2010, 2014)):
            secondary = rng.uniform(500, 5000)
            rows.append(
                {
                    "code": code,
                    "province": names[code],
                    "year": year,
                    "primary": rng.uniform(50, 800),
                    "secondary": secondary,
                    "tertiary": secondary * level * (1 + 0.05 * t) * rng.uniform(0.9, 1.1),
                }
            )
    panel = pd.DataFrame(rows)
    panel["gdp"] = panel[["primary", "secondary", "tertiary"]].sum(axis=1) * 1.001
    compute_indicators(panel).to_csv(d / "indicators.csv", index=False)
    indicators = pd.read_csv(d / "indicators.csv", dtype={"code": str})
    describe(indicators).to_csv(d / "table1.csv", index=False)
    data = read_indicators_with_regions(d / "indicators.csv", SCHEMES, "nbs4")
    regional_table.describe_by_region(data).to_csv(d / "table_regions.csv", index=False)
    trends.trend_table(data).to_csv(d / "table_trends.csv", index=False)
    convergence.beta_table(data, "HC1").to_csv(d / "table_beta.csv", index=False)
    convergence.sigma_table(data).to_csv(d / "sigma.csv", index=False)
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    fig.savefig(d / "figure.png", dpi=50, metadata={"Software": None})
    plt.close(fig)
    return d


def table1_cells_by_hand(indicators: pd.DataFrame, decimals: int) -> list[list[str]]:
    """Table 1's printed rows (variable, N, mean, sd, min, max) from the indicators, by numpy."""
    from upgrade_repro.indicators import VARIABLES

    rows = []
    for var in VARIABLES:
        x = indicators[var].to_numpy()
        stats = [x.sum() / len(x), np.sqrt(((x - x.mean()) ** 2).sum() / (len(x) - 1)), x.min(), x.max()]
        rows.append([var, str(len(x)), *(f"{v:.{decimals}f}" for v in stats)])
    return rows


# ------------------------------------------------------------ LaTeX tables compiled (fast and workflow tests)
def require_xelatex():
    """xelatex, or a skip; under CI (env CI set) its absence fails."""
    if shutil.which("xelatex") and shutil.which("pdftotext"):
        return
    if os.environ.get("CI"):
        pytest.fail("CI: xelatex and pdftotext are required (Debian: texlive-xetex texlive-lang-chinese ...)")
    pytest.skip("xelatex or pdftotext not installed")


def compile_tables(tex_files, workdir: Path, language: str = "zh") -> str:
    """The .tex tables \\input in ONE document with the preamble of their language (docs/manuscript.md:
    ctex in Chinese, none in English), compiled by xelatex; the PDF's text (pdftotext). A LaTeX error
    or an overfull box fails."""
    from upgrade_repro.tables import latex_preamble

    require_xelatex()
    page_break = "\n\\clearpage\n"  # deposit-check: allow-path (a LaTeX command, not a network path)
    body = "".join(rf"\input{{{Path(f).resolve().as_posix()}}}" + page_break for f in tex_files)
    doc = workdir / "tables_doc.tex"
    doc.write_text(latex_preamble(language) + "\\begin{document}\n" + body + "\\end{document}\n", encoding="utf-8")
    proc = subprocess.run(
        ["xelatex", "-interaction=nonstopmode", "-halt-on-error", doc.name], cwd=workdir, capture_output=True, text=True
    )
    log = (workdir / "tables_doc.log").read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, log[-3000:]
    assert "Overfull \\hbox" not in log and "Missing character" not in log, re.findall(
        r"(Overfull.*|Missing char.*)", log
    )
    return subprocess.run(
        ["pdftotext", "-layout", "tables_doc.pdf", "-"], cwd=workdir, capture_output=True, text=True, check=True
    ).stdout


def listener(timeout: float):
    """A TCP server on the host's loopback that records what it receives (a sandboxed payload must
    reach nothing): (server, received). Its thread ends quietly when nothing comes in `timeout`
    seconds or the server is closed."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(timeout)
    got = []

    def serve():
        try:
            conn, _ = server.accept()
            got.append(conn.recv(100))
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    return server, got
