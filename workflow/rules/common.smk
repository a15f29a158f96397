# Shared set-up: config validation and the helpers the rules use.
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.utils import min_version, validate

min_version("9.0")

validate(config, schema="../schemas/config.schema.yaml")

if config["years"] != "auto" and config["years"]["start"] > config["years"]["end"]:
    raise WorkflowError(
        f"config key years: start {config['years']['start']} is after end {config['years']['end']}"
    )

for i, path in enumerate(config["raw"]):
    if not Path(path).is_file():
        raise WorkflowError(f"config key raw[{i}]: raw extract {path!r} not found")

# Raw inputs must match their row in the registry (data/raw/versions.csv).
sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))
from registry import check_raw_files, load_registry

if config["registry"]["check"]:
    for warning in check_raw_files(config["raw"], load_registry(config["registry"]["path"]), ".",
                                   config["registry"]["path"]):
        logger.warning(f"Warning: {warning}")
if config["vintage_winner"] is not None and Path(config["vintage_winner"]).resolve() not in [
    Path(p).resolve() for p in config["raw"]
]:
    raise WorkflowError(
        f"config key vintage_winner: {config['vintage_winner']!r} is not one of the raw extracts"
    )

DEMO_DIR = Path("data/raw/demo").resolve()


def uses_demo_data():
    """True when any raw extract is the shipped synthetic demo: outputs are then labelled demo."""
    return any(Path(p).resolve().is_relative_to(DEMO_DIR) for p in config["raw"])


# Modules the scripts import: listed as inputs so that editing one reruns the rules using it
# (Snakemake tracks a rule's own script, not what the script imports).
CORE = ["scripts/_helpers.py", "scripts/errors.py"]
READERS = CORE + ["scripts/regions.py", "scripts/readers.py"]
