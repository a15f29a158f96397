"""Project-level invariants: the shipped demo, the declared dependencies, the config docs."""

import re
import tomllib

import yaml

import make_demo
from conftest import ROOT
from upgrade_repro.regions import load_regions


def test_demo_extract_is_what_its_script_writes():
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    mainland = regions[regions["mainland"]]
    years = range(config["years"]["start"], config["years"]["end"] + 1)
    rows = make_demo.demo_rows(list(zip(mainland["code"], mainland["name_short"])), years)
    assert make_demo.render(rows) == (ROOT / "data/raw/demo/eps_demo.csv").read_bytes()
    # the national row is the sum of the provinces, as in a real export
    gdp = {(r, y): v for i, r, y, v in rows if i.startswith("地区生产总值")}
    first = years[0]
    assert abs(gdp[("全国", first)] - sum(v for (r, y), v in gdp.items() if y == first and r != "全国")) < 0.01


def _names_and_bounds(requirements):
    out = {}
    for req in requirements:
        m = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)", req)
        out[m.group(1).lower()] = m.group(2)
    return out


# conda-forge names of the PyPI packages that are packaged under another name
CONDA_NAMES = {"snakemake-minimal": "snakemake", "matplotlib-base": "matplotlib"}


def test_conda_env_mirrors_pyproject_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip = _names_and_bounds(project["dependencies"])
    env = yaml.safe_load((ROOT / "workflow/envs/upgrade.yaml").read_text(encoding="utf-8"))
    # packages missing from conda-forge go in the env's pip: section
    pip_section = [p for d in env["dependencies"] if isinstance(d, dict) for p in d.get("pip", [])]
    conda = _names_and_bounds([d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python>", "pip"))]
                              + pip_section)
    conda = {CONDA_NAMES.get(k, k): v for k, v in conda.items()}
    # executor plugins serve only the Snakemake that submits jobs, not the jobs' environment
    pip = {k: v for k, v in pip.items() if not k.startswith("snakemake-executor-plugin-")}
    assert conda == pip
