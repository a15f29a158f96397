# Shared set-up: config validation and the helpers the rules use.
import functools
import os
import subprocess
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.utils import min_version, validate

min_version("9.0")

# The schema check (which also fills in the defaults). Its failure is reported as one line naming
# the key, what is allowed and a near miss, in place of Snakemake's dump of schema and config.
try:
    validate(config, schema="../schemas/config.schema.yaml")
except WorkflowError:
    import yaml as _yaml

    sys.path.insert(0, workflow.basedir)
    from upgrade_repro.config_checks import schema_error_message

    _schema = _yaml.safe_load(Path(workflow.basedir, "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    raise WorkflowError(schema_error_message(config, _schema) or "config does not match its schema") from None

# The deposit's settings (deposit.smk) are taken out of `config`, which the report shows and
# depends on: building or verifying a deposit then reruns nothing of the analysis.
DEPOSIT_SETTINGS = config.pop("deposit", None) or {}
if isinstance(DEPOSIT_SETTINGS, str):
    DEPOSIT_SETTINGS = {"verify": DEPOSIT_SETTINGS}

if config["years"] != "auto" and config["years"]["start"] > config["years"]["end"]:
    raise WorkflowError(f"config key years: start {config['years']['start']} is after end {config['years']['end']}")

for i, path in enumerate(config["raw"]):
    if not Path(path).is_file():
        raise WorkflowError(f"config key raw[{i}]: raw extract {path!r} not found")

# The library package upgrade_repro/ of THIS copy of the workflow comes first on the path: here, and
# in every job's process (environment inherited; a cluster job re-parses this file, so it holds there).
if sys.path[:1] != [workflow.basedir]:
    sys.path.insert(0, workflow.basedir)
# (An optional search path, not a required variable: hence no envvars directive.)
_job_path = [workflow.basedir] + [
    p for p in os.environ.get(*["PYTHONPATH", ""]).split(os.pathsep) if p and p != workflow.basedir
]
os.environ.update(PYTHONPATH=os.pathsep.join(_job_path))
from upgrade_repro.registry import check_raw_files, load_registry

# Every file a config key names (raw extracts, registry.path, code_table, advancement_lp.reference,
# verify.published): readable, and a CSV table with its columns; one line naming the key, not a
# pandas traceback at job time.
from upgrade_repro.config_checks import ConfigKeyError, check_input_files

try:
    check_input_files(config)
except ConfigKeyError as error:
    raise WorkflowError(str(error)) from None

# Raw inputs must match their row in the registry (data/raw/versions.csv).

if config["registry"]["check"]:
    for warning in check_raw_files(
        config["raw"], load_registry(config["registry"]["path"]), ".", config["registry"]["path"]
    ):
        logger.warning(f"Warning: {warning}")
if config["vintage_winner"] is not None and Path(config["vintage_winner"]).resolve() not in [
    Path(p).resolve() for p in config["raw"]
]:
    raise WorkflowError(f"config key vintage_winner: {config['vintage_winner']!r} is not one of the raw extracts")

# Security: a config file setting __use_yte__: true is a YTE template, whose Python expressions
# Snakemake ran while loading it (also under -n). Named in the log and the report (README "Security").
from upgrade_repro.config_checks import yte_config_files
from upgrade_repro.provenance import project_path

YTE_CONFIGFILES = [project_path(p) for p in yte_config_files(workflow.configfiles)]
for _path in YTE_CONFIGFILES:
    logger.warning(
        f"Warning: config file {_path} is a YTE template (__use_yte__: true): Snakemake ran the Python "
        "expressions in it while loading it. Use only config files you trust, as you would a Snakefile."
    )

DEMO_DIR = Path("data/raw/demo").resolve()


def uses_demo_data():
    """True when any raw extract is the shipped synthetic demo: outputs are then labelled demo."""
    return any(Path(p).resolve().is_relative_to(DEMO_DIR) for p in config["raw"])


@functools.cache
def _library_imports(path):
    """The library modules that the file `path` imports itself (AST, every import statement
    anywhere in it). Cached: each file is parsed once per Snakemake start, not once per rule."""
    import ast

    base = Path(workflow.basedir)
    package = "upgrade_repro"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == package:
                found.add(base / package / "__init__.py")
                target = base.joinpath(*parts).with_suffix(".py")
                if len(parts) > 1 and target.is_file():
                    found.add(target)
    return frozenset(found)


def project_imports(script):
    """The library modules (upgrade_repro/*.py, with the package's __init__.py) that `script`
    imports, directly or through other library modules: a rule's code inputs, so that editing a
    module reruns the rules using it (Snakemake tracks a rule's own script, not what it imports).
    Read from the source (AST), every import statement anywhere in a file; paths relative to the
    working directory, sorted."""
    seen, todo = set(), [Path(workflow.basedir) / script]
    while todo:
        for found in _library_imports(todo.pop()) - seen:
            seen.add(found)
            todo.append(found)
    return sorted(Path(os.path.relpath(m)).as_posix() for m in seen)


# Unit of observation (config unit). The shipped table covers provinces; a city or county run
# reads the user's code table, which then defines the sample (every unit in it must have data).
if config["unit"] != "province" and not config["code_table"]:
    raise WorkflowError(
        f"config key code_table: unit {config['unit']!r} needs a code table of the units "
        "(columns code, name_short, optionally name_full, name_en, name_pinyin, aliases; "
        "see README 'Unit of observation')"
    )
if config["code_table"] and not Path(config["code_table"]).is_file():
    raise WorkflowError(f"config key code_table: {config['code_table']!r} not found")

REGION_TABLE = config["code_table"] or "data/reference/provinces.csv"

# Indicators (config indicators; data/reference/indicators.yaml) and the series they need.
from upgrade_repro.indicators import EMPLOYMENT, required_series


def lp_reference_input():
    """advancement_lp's reference productivities, an input when configured (else none)."""
    reference = config["advancement_lp"]["reference"]
    return [reference] if reference and "advancement_lp" in config["indicators"] else []


# Every other check that needs no data, now rather than at job time (tiers, region scheme, code
# table, excluded regions): one message naming the key.
from upgrade_repro.config_checks import ConfigKeyError, check_config

try:
    check_config(config, REGION_TABLE)
except ConfigKeyError as error:
    raise WorkflowError(str(error)) from None


def all_targets():
    """Targets of rule all. Stages that only make sense for provinces (the check against the
    paper's provincial Table 1; the map, whose boundaries are provincial) are requested only when
    unit is province: add province-only figure targets to `province_only` below."""
    targets = [
        "results/tables/table1.csv",
        "results/tables/table1.md",
        "results/tables/table1.tex",
        "results/checks/changes.csv",
        "results/checks/registry.csv",
        # Manuscript files (manuscript.smk): Table 1 and the panel for any unit.
        *rules.manuscript_tables.output,
        *rules.stata_panel.output,
    ]
    province_only = [
        "results/checks/table1_vs_paper.csv",
        "results/checks/claims.csv",
        # Beyond the paper (beyond.smk): region schemes are keyed by province code.
        *rules.regional_table.output,
        *rules.trends.output,
        *rules.convergence.output,
        *rules.beyond_table_files.output,
        *rules.beyond_figures.output,
        *rules.report.output,
        # Figure 1 (figures.smk): provincial boundaries.
        *rules.province_means.output,
        *rules.figure_map.output,
        *rules.figure_ranking.output,
    ]
    return targets + (province_only if config["unit"] == "province" else [])


def check_output_paths():
    """Every output and log path of the workflow writable: none occupied by a folder or a
    read-only file (else Snakemake or the atomic writer fails at job time with a traceback).
    Called by the Snakefile once every rule file is included."""
    from upgrade_repro.files import output_path_problems

    # (a directory() output is a folder by design: Snakemake removes it before its job runs)
    paths = sorted(
        {
            str(f)
            for r in workflow.rules
            for f in [*r.output, *r.log]
            if "{" not in str(f) and not getattr(f, "is_directory", False)
        }
    )
    problems = output_path_problems(paths)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise WorkflowError("; ".join(problems[:3]) + more)


def mem_mb(base, per_input_mb=0):
    """Resource mem_mb: a base plus a multiple of the rule's input size, doubled on each retry.
    Factors come from the peak memory measured at county scale (bench/RESULTS.md)."""
    return lambda wildcards, input, attempt: int((base + per_input_mb * input.size_mb) * attempt)


# ---- helpers of the report rule (report.smk). Evaluated when the DAG is built, after every rule
# file is parsed, so the rules they look at may be included in any order.
def made_by_workflow(paths):
    """The paths among `paths` (in order) that some rule of the workflow makes (the report's
    optional inputs, present once the rule making them is included)."""
    return [p for p in paths if any(r.is_producer(p) for r in workflow.rules)]


def output_provenance():
    """(output, rule, script) of every output of every rule but the deposit's, read from the parsed
    workflow, so that the report's 'output <- rule <- script' table cannot drift from the rules
    ('' for a script-less rule, with run: or shell:)."""
    rows = []
    # The deposit's rules make no output of the analysis (and their paths follow config deposit).
    for r in [r for r in workflow.rules if r.name not in DEPOSIT_RULES]:
        script = ""
        if r.script is not None:
            path = os.path.normpath(r.basedir.join(r.script).get_path_or_uri(secret_free=True))
            script = Path(os.path.relpath(path, workflow.basedir)).as_posix()
        rows += [{"output": str(out), "rule": r.name, "script": script} for out in r.output]
    return rows


def rule_code_files():
    """Every rule's script and the library modules it imports (project_imports), sorted: the code
    whose imported distributions make the report's software table."""
    scripts = {row["script"] for row in output_provenance() if row["script"]}
    # Paths relative to the working directory, as project_imports gives the modules.
    here = {Path(os.path.relpath(Path(workflow.basedir) / s)).as_posix() for s in scripts}
    return sorted({*here, *(m for s in scripts for m in project_imports(s))})


def workflow_sources():
    """Every file a rule of the workflow reads that no rule makes and that is not code (a .py
    file): the reference tables, the paper's published values, the report's texts, the registry,
    the raw extracts... Read from the parsed rules (an input given by a function is made by a
    rule), so the report's list of input files cannot drift from them."""
    found = set()
    for r in workflow.rules:
        for item in r.input:
            if not isinstance(item, str) or item.is_callable():
                continue
            path = Path(os.path.relpath(os.path.abspath(str(item)))).as_posix()
            if path.startswith("results/") or path.endswith(".py"):
                continue
            found.add(path)
    return sorted(found)


def git_state():
    """Commit and dirty flag (uncommitted changes to tracked files) of the git repository whose
    root is the workflow's directory; 'unknown' without git or outside such a repository."""

    def git(*args):
        return subprocess.run(
            ["git", "-C", workflow.basedir, *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() != Path(workflow.basedir).resolve():
            raise ValueError("the workflow is not the root of its repository")
        return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
    except (OSError, ValueError, subprocess.CalledProcessError):
        return {"commit": "unknown", "dirty": "unknown"}


def compared_tables(wildcards=None):
    """This run's tables that changes.csv compares: Table 1, and the provincial means (province
    unit only: city and county runs draw no map)."""
    tables = {"table1": rules.describe.output.csv}
    if config["unit"] == "province":
        tables["province_means"] = rules.province_means.output.means
    return tables


# ---- helpers of the deposit rules (deposit.smk)
import copy

import yaml

from upgrade_repro.deposit.build import is_run_history, project_files
from upgrade_repro.deposit.parse import default_target_outputs
from upgrade_repro.errors import DepositError

DEPOSIT_RULES = {"all", "deposit_checks", "deposit", "deposit_verification", "verify_deposit"}


def run_outputs():
    """Every output of the jobs that make the default target, read from the rules (the verifier
    reads a deposit's the same way: upgrade_repro/deposit/parse.py). Run history (logs, benchmarks,
    changes.csv and its snapshot) left out."""
    found = default_target_outputs(workflow.rules, workflow.default_target)
    return [p for p in found if not is_run_history(Path(p).as_posix())]


def deposit_effective_config():
    """None when config.yaml alone (with the schema's defaults) gives this run's configuration;
    else the configuration itself, which the deposit then ships as its config.yaml."""
    try:
        alone = yaml.safe_load(Path("config.yaml").read_text(encoding="utf-8"))
        validate(alone, schema="../schemas/config.schema.yaml")
    except (OSError, yaml.YAMLError, WorkflowError):  # config.yaml alone is not a full configuration
        return copy.deepcopy(config)
    alone.pop("deposit", None)
    return None if alone == config else copy.deepcopy(config)


def deposit_files(wildcards):
    """The project's files of the deposit (upgrade_repro.deposit.project_files)."""
    if DEPOSIT_PROBLEM:
        raise WorkflowError(DEPOSIT_PROBLEM)
    try:
        return project_files(".")
    except DepositError as problem:
        raise WorkflowError(str(problem)) from None


def deposit_to_verify(wildcards):
    """The zip to verify (config deposit=<zip> or deposit.verify); without one, verify_deposit stops."""
    if not DEPOSIT_TO_VERIFY:
        raise WorkflowError(
            "config key deposit: give the deposit to verify, e.g. --config deposit=results/deposit/<name>.zip"
        )
    return DEPOSIT_TO_VERIFY
