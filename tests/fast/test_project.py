"""Project-level invariants: the shipped demo and the declared dependencies (pyproject, lock, conda)."""

import re
import tomllib

import make_demo
import yaml
from conftest import ROOT, dist_name, lock_versions
from packaging.requirements import Requirement

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


def pyproject_requirements(extras=("test",)) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        Requirement(r)
        for r in project["dependencies"] + [r for e in extras for r in project["optional-dependencies"][e]]
    ]


# conda-forge names of the PyPI packages that are packaged under another name
CONDA_NAMES = {"snakemake-minimal": "snakemake", "matplotlib-base": "matplotlib"}


def test_lock_pins_every_declared_dependency_within_its_range():
    pins = lock_versions()
    for req in pyproject_requirements():
        assert dist_name(req.name) in pins, f"{req.name} is in pyproject.toml but not in requirements.lock"
        assert req.specifier.contains(pins[dist_name(req.name)]), (
            f"{req.name}=={pins[dist_name(req.name)]} outside {req}"
        )


def test_lock_is_the_installed_environment_of_the_tests():
    """The versions the tests run with are the locked ones (for every locked package installed)."""
    from importlib import metadata

    installed = {dist_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    pins = lock_versions()
    assert {n: (v, installed.get(n)) for n, v in pins.items() if installed.get(n) != v} == {}


def test_conda_env_pins_the_locked_versions():
    env = yaml.safe_load((ROOT / "workflow/envs/upgrade.yaml").read_text(encoding="utf-8"))
    entries = [d for d in env["dependencies"] if isinstance(d, str) and d != "pip"]
    entries += [p for d in env["dependencies"] if isinstance(d, dict) for p in d.get("pip", [])]
    conda = {}
    for entry in entries:
        name, sep, version = entry.partition("==")
        assert sep, f"workflow/envs/upgrade.yaml: {entry!r} is not pinned with =="
        conda[dist_name(CONDA_NAMES.get(name, name))] = version
    # the Python the lock was resolved on (its header says which)
    python = re.search(r"resolved on Python ([\d.]+)", (ROOT / "requirements.lock").read_text(encoding="utf-8"))
    assert conda.pop("python") == python.group(1)
    pins = lock_versions()
    # executor plugins serve only the Snakemake that submits jobs, not the jobs' environment
    wanted = {
        dist_name(r.name)
        for r in pyproject_requirements(extras=())
        if not r.name.startswith("snakemake-executor-plugin-")
    }
    assert conda == {n: pins[n] for n in wanted}
