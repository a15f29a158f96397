"""The workflow's work in one Python process: the yardstick for Snakemake's overhead.

Runs each stage's own `main(snakemake)` (scripts/*.py) in sequence, in one interpreter, with the
inputs, outputs and params the rules give it: the same imports, the same pure functions and the
same file reads and writes, without Snakemake (no DAG, no job processes, no metadata). The time of
`python bench/yardstick.py` against a cold `snakemake --cores 4` is then the cost of orchestration.

    cd <workflow copy> && python bench/yardstick.py [--configfile overlay.yaml]

Mirrors workflow/rules/*.smk: keep the two in step when a rule's inputs, outputs or params change.
"""

import argparse
import sys
from pathlib import Path
from types import SimpleNamespace

import yaml

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import clean  # noqa: E402
import describe  # noqa: E402
import indicators  # noqa: E402
import ingest  # noqa: E402
import verify  # noqa: E402


def load_config(configfiles) -> dict:
    """config.yaml updated by each overlay, key by key, as Snakemake's --configfile does."""
    def update(base, new):
        for key, value in new.items():
            base[key] = update(base.get(key, {}), value) if isinstance(value, dict) else value
        return base
    config = yaml.safe_load(Path("config.yaml").read_text(encoding="utf-8"))
    for path in configfiles:
        update(config, yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    return config


def job(rule: str, input: dict, output: dict, params: dict | None = None) -> SimpleNamespace:
    """The `snakemake` object a script receives: attribute access to named inputs/outputs/params."""
    return SimpleNamespace(input=SimpleNamespace(**input), output=SimpleNamespace(**output),
                           params=SimpleNamespace(**(params or {})), log=[f"results/logs/{rule}.log"])


def run(config: dict) -> None:
    demo_dir = Path("data/raw/demo").resolve()
    demo = any(Path(p).resolve().is_relative_to(demo_dir) for p in config["raw"])
    long, panel = "results/data/raw_long.csv", "results/data/panel.csv"
    ind, table1 = "results/data/indicators.csv", "results/tables/table1.csv"
    ingest.main(job("ingest", {"raw": config["raw"]}, {"long": long}))
    clean.main(job("clean",
                   {"long": long, "regions": config.get("code_table") or "data/reference/provinces.csv",
                    "aggregates": "data/reference/aggregates.csv"},
                   {"panel": panel},
                   {"exclude_regions": config["exclude_regions"], "years": config["years"],
                    "vintage_winner": config["vintage_winner"]}))
    indicators.main(job("indicators", {"panel": panel}, {"indicators": ind},
                        {"share_denominator": config["share_denominator"]}))
    describe.main(job("describe", {"indicators": ind},
                      {"csv": table1, "md": "results/tables/table1.md", "tex": "results/tables/table1.tex"},
                      {"demo": demo, "decimals": config["decimals"], "unit": config.get("unit", "province")}))
    if config.get("unit", "province") == "province":
        verify.main(job("verify",
                        {"table1": table1, "indicators": ind, "published": config["verify"]["published"]},
                        {"checks": "results/checks/table1_vs_paper.csv"},
                        {"tolerance": config["verify"]["tolerance"], "demo": demo,
                         "strict": config["verify"]["strict"]}))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configfile", nargs="*", default=[])
    run(load_config(parser.parse_args(argv).configfile))


if __name__ == "__main__":
    main()
