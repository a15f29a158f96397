# Shared set-up: the library on the path, the configuration checked once, and what the rules share:
# targets, input functions and resources. (The report's provenance of the rules:
# upgrade_repro/provenance.py, called by report.smk.)
import functools
import os
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.utils import min_version, validate

min_version("9.0")

# The library package upgrade_repro/ of THIS copy of the workflow comes first on the path: here, and
# in every job's process (environment inherited; a cluster job re-parses this file, so it holds there).
if sys.path[:1] != [workflow.basedir]:
    sys.path.insert(0, workflow.basedir)
# (An optional search path, not a required variable: hence no envvars directive.)
_job_path = [workflow.basedir] + [
    p for p in os.environ.get(*["PYTHONPATH", ""]).split(os.pathsep) if p and p != workflow.basedir
]
os.environ.update(PYTHONPATH=os.pathsep.join(_job_path))

from upgrade_repro.config_checks import SCHEMA, region_table, validate_config
from upgrade_repro.errors import ConfigError
from upgrade_repro.indicators import required_series
from upgrade_repro.provenance import ImportScanCache, imported_library_files
from upgrade_repro.series import EMPLOYMENT

# The one check of the configuration (upgrade_repro/config_checks.py): the JSON schema, which also
# fills in the defaults, then everything the schema cannot express (files named by config keys, the
# raw files against their registry, cross-key and reference-table checks); one line naming the key.
# Config files read as YTE templates ran Python expressions while Snakemake loaded them (also under
# -n): named in the log and the report (README "Security").
try:
    YTE_CONFIGFILES = validate_config(config, workflow.configfiles, Path(workflow.basedir, SCHEMA), logger.warning)
except ConfigError as error:
    raise WorkflowError(str(error)) from None

# The deposit's settings (deposit.smk) are taken out of `config`, which the report shows and
# depends on: building or verifying a deposit then reruns nothing of the analysis.
DEPOSIT_SETTINGS = config.pop("deposit", None) or {}
if isinstance(DEPOSIT_SETTINGS, str):
    DEPOSIT_SETTINGS = {"verify": DEPOSIT_SETTINGS}

# Unit of observation (config unit): the shipped table covers provinces; a city or county run
# reads the user's code table, which then defines the sample (every unit in it must have data).
REGION_TABLE = region_table(config)
DEMO_DIR = Path("data/raw/demo").resolve()


def uses_demo_data():
    """True when any raw extract is the shipped synthetic demo: outputs are then labelled demo."""
    return any(Path(p).resolve().is_relative_to(DEMO_DIR) for p in config["raw"])


# ---- inputs
# What each code file imports, kept between starts keyed on the file's bytes (a start parses only
# the files that changed); written by the Snakefile once every rule file is parsed.
IMPORT_SCAN = ImportScanCache(".snakemake/upgrade_repro/import_scan.json")


@functools.cache
def _library_imports(path):
    """The library files the file `path` imports itself (provenance.imported_library_files). Cached:
    each file is read once per Snakemake start, not once per rule."""
    return imported_library_files(path, workflow.basedir, names_of=IMPORT_SCAN.names)


def project_imports(script):
    """The library files (upgrade_repro/**/*.py, each package's __init__.py, a module's package data
    such as the text catalogue upgrade_repro/texts.yaml) that `script` imports, directly or through
    other library modules: a rule's code inputs, so that editing a module reruns the rules using it
    (Snakemake tracks a rule's own script, not what it imports). Paths relative to the working
    directory, sorted."""
    seen, todo = set(), [Path(workflow.basedir) / script]
    while todo:
        for found in _library_imports(todo.pop()) - seen:
            seen.add(found)
            if found.suffix == ".py":
                todo.append(found)
    return sorted(Path(os.path.relpath(m)).as_posix() for m in seen)


def made_by_workflow(paths):
    """The paths among `paths` (in order) that some rule of the workflow makes (optional inputs,
    present once the rule making them is included). Evaluated when the DAG is built, after every
    rule file is parsed, so the rules it looks at may be included in any order."""
    return [p for p in paths if any(r.is_producer(p) for r in workflow.rules)]


def compared_tables(wildcards=None):
    """This run's tables that changes.csv compares: Table 1, and the provincial means (province
    unit only: city and county runs draw no map)."""
    tables = {"table1": rules.describe.output.csv}
    if config["unit"] == "province":
        tables["province_means"] = rules.province_means.output.means
    return tables


def lp_reference_input():
    """advancement_lp's reference productivities, an input when configured (else none)."""
    reference = config["advancement_lp"]["reference"]
    return [reference] if reference and "advancement_lp" in config["indicators"] else []


# ---- targets
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
        # The revision between two data vintages (vintage.smk): with a vintage.policy other than stop.
        *VINTAGE_FIGURES,
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


# ---- scheduling
# When more jobs are ready than free cores, Snakemake starts the one of highest priority first.
# A rule's priority ranks the longest chain of work from its job to the end of the run (its own
# CPU seconds and those of the jobs that wait on it, measured: bench/RESULTS.md, run E), so that the
# two cores start the long chains first: the spine every stage waits on; the boundaries (then the
# map) and convergence (then the regional figures, the longest job); the provincial means before
# Table 1's text files (a cold Table 1 + Figure 1 then waits for nothing but the boundaries); Table
# 1, its check and the claims before the leaves (the report waits on them). Rules not listed: 0.
# Only the order of jobs changes, never a result.
PRIORITY = {
    "ingest": 6,
    "clean": 6,
    "indicators": 6,
    "prepare_boundaries": 5,
    "convergence": 5,
    "beyond_figures": 4,
    "province_means": 4,
    "figure_map": 3,
    "trends": 3,
    "figure_ranking": 2,
    "describe": 2,
    "verify": 2,
    "report_font": 1,
    "regional_table": 1,
    "claims": 1,
    "beyond_table_files": 1,
    "registry": 1,
}


# ---- resources
def mem_mb(base, per_input_mb=0):
    """Resource mem_mb: a base plus a multiple of the rule's input size, doubled on each retry.
    Factors come from the peak memory measured at county scale (bench/RESULTS.md)."""
    return lambda wildcards, input, attempt: int((base + per_input_mb * input.size_mb) * attempt)


# ---- helpers of the deposit rules (deposit.smk)
import copy

import yaml

from upgrade_repro.deposit.build import deposit_identity, is_run_history, project_files
from upgrade_repro.deposit.parse import default_target_outputs
from upgrade_repro.errors import DepositError

# Name and version (deposit.name, deposit.version; else pyproject.toml's name and CITATION.cff's
# version). A copy of the workflow without them still runs: only the deposit then stops.
try:
    DEPOSIT_NAME, DEPOSIT_VERSION = deposit_identity(
        workflow.basedir, DEPOSIT_SETTINGS.get("name"), DEPOSIT_SETTINGS.get("version")
    )
    DEPOSIT_PROBLEM = None
except DepositError as problem:
    DEPOSIT_NAME, DEPOSIT_VERSION, DEPOSIT_PROBLEM = "deposit", "unversioned", str(problem)
DEPOSIT_TOP = f"{DEPOSIT_NAME}-{DEPOSIT_VERSION}"
# The zip to verify (config deposit=<zip> or deposit.verify)
DEPOSIT_TO_VERIFY = DEPOSIT_SETTINGS.get("verify")

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
        validate(alone, schema=str(Path(workflow.basedir, SCHEMA)))
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
