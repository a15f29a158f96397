"""Plumbing shared by the workflow's scripts: logging, atomic writes, running outside Snakemake."""


import logging
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from errors import InputError

ROOT = Path(__file__).resolve().parent.parent
logger = logging.getLogger("workflow")
_UMASK = os.umask(0)
os.umask(_UMASK)


def configure_logging(snakemake) -> None:
    """Log to the rule's log file and to stderr; report input errors as one readable line."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if snakemake.log:
        Path(snakemake.log[0]).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(snakemake.log[0], mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s",
                        handlers=handlers, force=True)

    def report_exception(exc_type, exc, tb):
        if issubclass(exc_type, InputError):
            # The data are at fault: the message says where and what; a traceback would hide it.
            logger.error("%s: %s", exc_type.__name__, exc)
        else:
            logger.error("unexpected error", exc_info=(exc_type, exc, tb))

    sys.excepthook = report_exception


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; move it into place only if the block succeeds.

    A failing stage thus never leaves a half-written output behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; outputs get the usual mode
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(text: str, path) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def write_csv(df, path) -> None:
    """CSV with '\\n' line ends and shortest round-trip floats: byte-identical across runs."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")


def mock_snakemake(rule_name: str, configfiles=(), **config_overrides):
    """The `snakemake` object a rule's script would receive, for running a script by hand.

    Usage, from the repository root:  python scripts/clean.py  (each script calls this when run
    outside Snakemake), or in a debugger / notebook:  snakemake = mock_snakemake("clean").
    Uses Snakemake's own parser, so inputs, outputs, params and logs are exactly the rule's.
    """
    from snakemake.api import SnakemakeApi
    from snakemake.dag import DAG
    from snakemake.io import IOCache
    from snakemake.jobs import Job
    from snakemake.script import Snakemake
    from snakemake.settings.types import (ConfigSettings, DAGSettings, DeploymentSettings, OutputSettings,
                                          Quietness, ResourceSettings, StorageSettings,
                                          WorkflowSettings)

    cwd = os.getcwd()
    try:
        with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
            workflow_api = api.workflow(
                resource_settings=ResourceSettings(cores=1),
                config_settings=ConfigSettings(configfiles=[Path(f).resolve() for f in configfiles],
                                               config=config_overrides),
                storage_settings=StorageSettings(),
                workflow_settings=WorkflowSettings(),
                deployment_settings=DeploymentSettings(),
                snakefile=ROOT / "Snakefile",
                workdir=ROOT,
            )
            workflow = workflow_api._workflow
            # What `snakemake` sets up before building a DAG (the resources read input sizes).
            workflow.dag_settings = DAGSettings()
            workflow.iocache = IOCache(workflow.dag_settings.max_inventory_wait_time)
            rule = workflow.get_rule(rule_name)
            job = Job(rule, DAG(workflow, rules=[rule]), wildcards_dict={})
            smk = Snakemake(job.input, job.output, job.params, job.wildcards, job.threads,
                            job.resources, job.log, workflow.config, rule.name, None)
    finally:
        os.chdir(cwd)
    # Paths in the object are relative to the repository root.
    os.chdir(ROOT)
    return smk


# Dates (and the matplotlib version) are left out of the files, so that same inputs give
# byte-identical figures.
_STABLE_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
                    "pdf": {"CreationDate": None, "Creator": None, "Producer": None}}


def save_figure(fig, path, dpi: int, title: str | None = None) -> None:
    """Write a matplotlib figure atomically and deterministically; the format is the suffix.

    `title` goes into the file's metadata (PNG text chunk, SVG <dc:title>, PDF /Title).
    """
    import matplotlib as mpl  # here, not at the top: most scripts draw nothing

    fmt = Path(path).suffix.lstrip(".").lower()
    metadata = dict(_STABLE_METADATA.get(fmt, {}), **({"Title": title} if title else {}))
    with mpl.rc_context({"svg.hashsalt": "upgrade-repro"}), atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)
