"""Logging of a rule's script: to its log file and stderr, input errors as one readable line."""

import logging
import sys
from pathlib import Path

from upgrade_repro.errors import InputError
from upgrade_repro.files import remove_stale_temps

logger = logging.getLogger("workflow")


def configure_logging(snakemake) -> None:
    """Log to the rule's log file and to stderr; report input errors as one readable line."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if snakemake.log:
        Path(snakemake.log[0]).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(snakemake.log[0], mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", handlers=handlers, force=True)
    # Every script starts here: the job's start, where a killed earlier run's temporary files go.
    for tmp in remove_stale_temps(snakemake.output):
        logger.info("removed %s, left by an interrupted earlier run", tmp)

    def report_exception(exc_type, exc, tb):
        if issubclass(exc_type, InputError):
            # The data are at fault: the message says where and what; a traceback would hide it.
            logger.error("%s: %s", exc_type.__name__, exc)
        else:
            logger.error("unexpected error", exc_info=(exc_type, exc, tb))

    sys.excepthook = report_exception
