# Shared set-up: config validation and the helpers the rules use.
import os
import subprocess
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

min_version("9.0")

validate(config, schema="../schemas/config.schema.yaml")

if config["years"]["start"] > config["years"]["end"]:
    raise WorkflowError(
        f"config key years: start {config['years']['start']} is after end {config['years']['end']}"
    )

for i, path in enumerate(config["raw"]):
    if not Path(path).is_file():
        raise WorkflowError(f"config key raw[{i}]: raw extract {path!r} not found")

DEMO_DIR = Path("data/raw/demo").resolve()


def uses_demo_data():
    """True when any raw extract is the shipped synthetic demo: outputs are then labelled demo."""
    return any(Path(p).resolve().is_relative_to(DEMO_DIR) for p in config["raw"])


# Modules the scripts import: listed as inputs so that editing one reruns the rules using it
# (Snakemake tracks a rule's own script, not what the script imports).
CORE = ["scripts/_helpers.py", "scripts/errors.py"]
READERS = CORE + ["scripts/regions.py", "scripts/readers.py"]


# ---- helpers of the report rule (report.smk). Evaluated when the DAG is built, after every rule
# file is parsed, so the rules they look at may be included in any order.
def made_by_workflow(paths):
    """The paths among `paths` (in order) that some rule of the workflow makes (the report's
    optional inputs, present once the rule making them is included)."""
    return [p for p in paths if any(r.is_producer(p) for r in workflow.rules)]


def output_provenance():
    """(output, rule, script) of every output of every rule, read from the parsed workflow, so that
    the report's 'output <- rule <- script' table cannot drift from the rules ('' for a rule with
    run: or shell: instead of a script)."""
    rows = []
    for r in workflow.rules:
        script = ""
        if r.script is not None:
            path = os.path.normpath(r.basedir.join(r.script).get_path_or_uri(secret_free=True))
            script = Path(os.path.relpath(path, workflow.basedir)).as_posix()
        rows += [{"output": str(out), "rule": r.name, "script": script} for out in r.output]
    return rows


def git_state():
    """Commit and dirty flag (uncommitted changes to tracked files) of the git repository whose
    root is the workflow's directory; 'unknown' without git or outside such a repository."""
    def git(*args):
        return subprocess.run(["git", "-C", workflow.basedir, *args], capture_output=True,
                              text=True, check=True).stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() != Path(workflow.basedir).resolve():
            raise ValueError("the workflow is not the root of its repository")
        return {"commit": git("rev-parse", "HEAD"),
                "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
    except (OSError, ValueError, subprocess.CalledProcessError):
        return {"commit": "unknown", "dirty": "unknown"}
