"""The workflow's work in one Python process: the yardstick for Snakemake's overhead.

Two steps, so that only the work is timed:

    python bench/yardstick.py plan plan.pkl [--configfile overlay.yaml] [--targets FILE ...]
    python bench/yardstick.py run plan.pkl

`plan` parses the workflow with Snakemake's own API and writes every job a cold run of the
targets (default: the workflow's default target) would run, in dependency order, each with the
input, output, params and log Snakemake gives it. `run` executes them in one interpreter without
importing Snakemake: each job is its script's `main(snakemake)` (scripts/*.py), called with a
plain stand-in of the `snakemake` object. Same imports, same functions, same file reads and
writes; no DAG, no job processes, no metadata. The time of `run` against a cold
`snakemake --cores N` is then the cost of orchestration. Run both from the workflow's directory.
"""

import argparse
import importlib
import os
import pickle
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


class Named(list):
    """What a script sees of snakemake.input/output/params/log: the values as a list, each named
    one also an attribute and a key (as Snakemake's Namedlist)."""

    def __init__(self, values, names):
        super().__init__(values)
        self._names = names

    def __getattr__(self, name):
        try:
            return self.__dict__["_names"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key):
        return self._names[key] if isinstance(key, str) else super().__getitem__(key)

    def keys(self):
        return self._names.keys()

    def items(self):
        return self._names.items()


class Job:
    """The `snakemake` object a script's main() receives."""

    def __init__(self, rule, script, input, output, params, log):
        self.rule, self.script = rule, script
        self.input, self.output, self.params, self.log = input, output, params, log


def _plain(named, as_path: bool) -> Named:
    """A Snakemake Namedlist as a Named of plain values (paths as str), picklable without Snakemake."""

    def value(v):
        if not as_path:
            return v
        return [str(x) for x in v] if isinstance(v, list) else str(v)

    return Named([value(v) for v in named], {name: value(v) for name, v in named.items()})


def plan(configfiles, targets) -> list[Job]:
    """The jobs of a forced run of `targets`, in dependency order (ties broken by rule name)."""
    from snakemake.settings.types import DAGSettings

    sys.path.insert(0, str(Path.cwd()))  # the library of the workflow planned (this directory)
    from upgrade_repro.mock import parsed_workflow

    with parsed_workflow(Path.cwd(), configfiles) as workflow:
        # As `snakemake --forceall [targets]` prepares its DAG: every job of the targets needs to run.
        workflow.dag_settings = DAGSettings(targets=set(targets), forceall=True)
        workflow._prepare_dag(forceall=True, ignore_incomplete=True, lock_warn_only=True, nolock=True)
        workflow._build_dag()
        dag = workflow.dag
        jobs = []
        for level in dag.toposorted(list(dag.needrun_jobs())):
            for job in sorted(level, key=lambda j: j.rule.name):
                if job.rule.is_run or not job.rule.script:  # e.g. `all`: nothing to run
                    continue
                jobs.append(
                    Job(
                        job.rule.name,
                        Path(job.rule.script).stem,
                        _plain(job.input, True),
                        _plain(job.output, True),
                        _plain(job.params, False),
                        _plain(job.log, True),
                    )
                )
    return jobs


def run(jobs: list[Job]) -> None:
    """Each job's script main() in turn, in this one process."""
    sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent)]  # the scripts, and their library upgrade_repro
    for job in jobs:
        for path in job.output:
            Path(path).parent.mkdir(parents=True, exist_ok=True)  # as Snakemake does before a job
        importlib.import_module(job.script).main(job)
    # The yardstick must not pay for Snakemake: if a script imported it, the comparison is unfair.
    assert "snakemake" not in sys.modules, "a script imported snakemake"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("plan", help="write the jobs of a cold run")
    p.add_argument("plan", type=Path)
    p.add_argument("--configfile", nargs="*", default=[])
    p.add_argument("--targets", nargs="*", default=[], help="files or rules (default: the default target)")
    r = sub.add_parser("run", help="run the planned jobs in this process")
    r.add_argument("plan", type=Path)
    args = parser.parse_args(argv)
    if args.step == "plan":
        cwd = os.getcwd()
        try:
            jobs = plan(args.configfile, args.targets)
        finally:
            os.chdir(cwd)
        args.plan.write_bytes(pickle.dumps(jobs))
        print("\n".join(f"{j.rule}: {j.script}.py" for j in jobs))
    else:
        run(pickle.loads(args.plan.read_bytes()))


if __name__ == "__main__":
    main()
