"""The configuration's checks at start-up, in one call (validate_config, made by
workflow/rules/common.smk before any job): the JSON schema (which also fills in the defaults), then
the checks that need more than a schema and no data: files named by config keys, the raw files
against their registry, cross-key and reference-table checks. Each failure is one ConfigError line
naming the config key (ConfigKeyError), never a traceback at job time."""

import os
from pathlib import Path

import pandas as pd

from upgrade_repro.errors import ConfigError
from upgrade_repro.indicators import VARIABLES, load_lp_reference
from upgrade_repro.provenance import project_path
from upgrade_repro.region_schemes import load_region_scheme
from upgrade_repro.regions import load_regions, name_lookup, resolve_codes
from upgrade_repro.registry import check_raw_files, load_registry
from upgrade_repro.tiers import check_tiers

SCHEMA = "workflow/schemas/config.schema.yaml"
REGION_SCHEMES = "data/reference/region_schemes.csv"
# The code table of a province run (config code_table: null): the 31 provinces plus HK, MO, TW.
PROVINCES = "data/reference/provinces.csv"


class ConfigKeyError(ConfigError):
    """A config value the schema accepts but the workflow cannot use; the message names the key."""

    def __init__(self, key: str, error: ConfigError):
        self.key = key
        prefix = ": ".join(p for p in (error.file, error.where) if p)
        detail = str(error).removeprefix(f"{prefix}: ") if prefix else str(error)
        if error.file not in (None, "config"):
            detail += f" ({error.file})"  # the table at fault, when it is not the config itself
        super().__init__(f"config key {key}: {detail}")


def _as_key(key: str, check, *args):
    try:
        return check(*args)
    except ConfigError as error:
        raise ConfigKeyError(key, error) from None


def check_figure_tiers(config: dict) -> None:
    """figure.tiers: ascending, contiguous, unique labels, valid colours."""
    _as_key("figure.tiers", check_tiers, config["figure"]["tiers"])


def check_region_scheme(config: dict, schemes_path=REGION_SCHEMES) -> None:
    """beyond.region_scheme: a column of the region-scheme table, every province given a region."""
    _as_key("beyond.region_scheme", load_region_scheme, schemes_path, config["beyond"]["region_scheme"])


def check_code_table(region_table):
    """code_table (or the shipped province table): its required columns, one unit per spelling."""
    key = "code_table"
    regions = _as_key(key, load_regions, region_table)
    _as_key(key, name_lookup, regions)
    return regions


def check_exclude_regions(config: dict, regions) -> None:
    """exclude_regions: every name is a unit of the code table."""
    _as_key("exclude_regions", resolve_codes, config["exclude_regions"], regions, "exclude_regions")


def check_indicators(config: dict) -> None:
    """indicators: the paper's three always among them (the check against the paper, its claims
    and Figure 1 reproduce section 1.2.2 on them); advancement_lp.reference, when set, a readable
    table of the three sectors' reference productivities."""
    chosen = config.get("indicators", list(VARIABLES))
    missing = [v for v in VARIABLES if v not in chosen]
    if missing:
        raise ConfigKeyError(
            "indicators",
            ConfigError(
                f"{missing} missing: the paper's three ({', '.join(VARIABLES)}) are always computed, since "
                f"the check against the paper and Figure 1 use them; list them and add others after them"
            ),
        )
    reference = (config.get("advancement_lp") or {}).get("reference")
    if reference is not None:
        try:
            _as_key("advancement_lp.reference", load_lp_reference, reference)
        except FileNotFoundError:
            raise ConfigKeyError("advancement_lp.reference", ConfigError(f"{reference!r} not found")) from None


# ------------------------------------------------------------------ files named by config keys
# Each config key naming a table: the columns its reader needs (a file of another kind, say a YAML
# file or a workbook, otherwise ends in pandas' "Error tokenizing data" at job time).
TABLE_KEYS = {
    "registry.path": ("data/raw/versions.csv", ["file", "source", "vintage", "export_date", "sha256"]),
    "code_table": ("data/reference/provinces.csv", ["code", "name_short"]),
    "advancement_lp.reference": ("a reference-productivity table", ["sector", "lp_start", "lp_end"]),
    "verify.published": ("data/published/table1.csv", ["variable", "n", "mean", "sd", "min", "max"]),
}


def readable_file_problem(path) -> str | None:
    """Why `path` cannot be read as an input file (missing, a folder, no read permission), or None."""
    p = Path(path)
    if not p.exists():
        return f"{str(path)!r} not found"
    if p.is_dir():
        return f"{str(path)!r} is a folder, not a file"
    if not os.access(p, os.R_OK):
        return (
            f"{str(path)!r} cannot be read (permission denied): make it readable (chmod a+r) or point the key elsewhere"
        )
    return None


def check_table_file(key: str, path) -> None:
    """The file a config key names is a readable CSV table whose header has the columns its reader
    needs; else one ConfigKeyError naming the key, the file's problem and what to do. The file's
    content is never echoed (a key may name a private file by mistake)."""
    like, columns = TABLE_KEYS[key]
    problem = readable_file_problem(path)
    if problem:
        raise ConfigKeyError(key, ConfigError(problem))
    advice = f"point it at a CSV table with columns {', '.join(columns)} (like {like})"
    try:
        with open(path, "rb") as fh:
            if b"\x00" in fh.read(8192):
                raise ValueError("binary content")
        # the whole file, as its reader will read it (a bad line may be far down)
        comment = "#" if key == "advancement_lp.reference" else None
        header = pd.read_csv(path, comment=comment, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except PermissionError:
        raise ConfigKeyError(key, ConfigError(f"{str(path)!r} cannot be read (permission denied)")) from None
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        kind = "binary" if "binary" in str(exc) else "not a CSV table (or empty)"
        raise ConfigKeyError(key, ConfigError(f"{str(path)!r} is {kind}: {advice}")) from None
    missing = [c for c in columns if c not in header.columns]
    if missing:
        raise ConfigKeyError(
            key, ConfigError(f"{str(path)!r} is not such a table: no column(s) {', '.join(missing)}; {advice}")
        )


def check_input_files(config: dict) -> None:
    """Every file a config key names: raw extracts readable; registry.path, code_table,
    advancement_lp.reference and verify.published readable CSV tables with their columns. Run
    first, before anything reads them."""
    for i, path in enumerate(config.get("raw") or []):
        problem = readable_file_problem(path)
        if problem:
            raise ConfigKeyError(f"raw[{i}]", ConfigError(f"raw extract {problem}"))
    named = {
        "registry.path": (config.get("registry") or {}).get("path"),
        "code_table": config.get("code_table"),
        "advancement_lp.reference": (config.get("advancement_lp") or {}).get("reference"),
        "verify.published": (config.get("verify") or {}).get("published"),
    }
    for key, path in named.items():
        if path:
            check_table_file(key, path)


def check_config(config: dict, region_table, schemes_path=REGION_SCHEMES) -> None:
    """Every check above, in the order a user would fix them."""
    check_indicators(config)
    regions = check_code_table(region_table)
    check_exclude_regions(config, regions)
    check_region_scheme(config, schemes_path)
    check_figure_tiers(config)


def region_table(config: dict) -> str:
    """The code table of the run's units: config code_table, or the shipped province table."""
    return config["code_table"] or PROVINCES


def check_years(config: dict) -> None:
    """years: start not after end (or auto)."""
    years = config["years"]
    if years != "auto" and years["start"] > years["end"]:
        raise ConfigKeyError("years", ConfigError(f"start {years['start']} is after end {years['end']}"))


def check_registered(config: dict, warn) -> None:
    """raw: each extract as registered in registry.path (a changed file stops the run:
    RegistryMismatchError); an unregistered one is a warning (`warn`). Skipped with registry.check
    false."""
    if config["registry"]["check"]:
        path = config["registry"]["path"]
        for warning in check_raw_files(config["raw"], load_registry(path), ".", path):
            warn(f"Warning: {warning}")


def check_vintage(config: dict) -> None:
    """vintage: the former top-level key vintage_winner read as vintage.winner (both set: an error;
    the config then holds vintage.winner only); the winner null or one of the raw extracts;
    link_year only with policy link, within the sample years."""
    vintage = config["vintage"]
    key = "vintage.winner"
    if config.get("vintage_winner") is not None:
        if vintage["winner"] is not None:
            raise ConfigKeyError(
                "vintage_winner",
                ConfigError("set together with vintage.winner, its new name: keep vintage.winner only"),
            )
        vintage["winner"], key = config["vintage_winner"], "vintage_winner"
    config.pop("vintage_winner", None)
    winner = vintage["winner"]
    if winner is not None and Path(winner).resolve() not in [Path(p).resolve() for p in config["raw"]]:
        raise ConfigKeyError(key, ConfigError(f"{winner!r} is not one of the raw extracts"))
    link_year, policy = vintage["link_year"], vintage["policy"]
    if link_year is not None and policy != "link":
        raise ConfigKeyError(
            "vintage.link_year",
            ConfigError(
                f"{link_year} is set, but vintage.policy is {policy}: the link year is used by policy link only"
            ),
        )
    years = config["years"]
    if link_year is not None and years != "auto" and not years["start"] <= link_year <= years["end"]:
        raise ConfigKeyError(
            "vintage.link_year",
            ConfigError(f"{link_year} is outside the sample years {years['start']}-{years['end']}"),
        )


def check_unit_has_code_table(config: dict) -> None:
    """code_table: given when the unit is not province (a city or county run's units)."""
    if config["unit"] != "province" and not config["code_table"]:
        raise ConfigKeyError(
            "code_table",
            ConfigError(
                f"unit {config['unit']!r} needs a code table of the units (columns code, name_short, optionally "
                "name_full, name_en, name_pinyin, aliases; see README 'Unit of observation')"
            ),
        )


def check_schema(config: dict, schema_path=SCHEMA) -> None:
    """The JSON schema, with its defaults filled into `config` (Snakemake's validate); a violation
    is one ConfigError line naming the key (schema_error_message), not Snakemake's dump of schema
    and config."""
    from snakemake.exceptions import WorkflowError  # here: only the start-up check needs Snakemake
    from snakemake.utils import validate

    try:
        validate(config, schema=str(Path(schema_path).resolve()))
    except WorkflowError:
        import yaml

        schema = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))
        raise ConfigError(schema_error_message(config, schema) or "config does not match its schema") from None


def validate_config(config: dict, configfiles=(), schema_path=SCHEMA, warn=print) -> list[str]:
    """Every check of the configuration at start-up, in the order a user would fix them: the schema
    (defaults filled in), years, the files config keys name, the raw files' registry, vintage,
    the code table of a city or county run, then the checks against the reference tables
    (check_config). Raises ConfigError (one line naming the key) or RegistryMismatchError; `warn`
    gets each warning (an unregistered raw file, a config file read as a YTE template). Returns the
    config files (of `configfiles`, project-relative) that Snakemake read as YTE templates."""
    check_schema(config, schema_path)
    check_years(config)
    check_input_files(config)
    check_registered(config, warn)
    check_vintage(config)
    yte = [project_path(p) for p in yte_config_files(configfiles)]
    for path in yte:
        warn(
            f"Warning: config file {path} is a YTE template (__use_yte__: true): Snakemake ran the Python "
            "expressions in it while loading it. Use only config files you trust, as you would a Snakefile."
        )
    check_unit_has_code_table(config)
    check_config(config, region_table(config))
    return yte


# ------------------------------------------------------------------ schema errors, in one line
def _key_name(path) -> str:
    """('years', 'end') -> 'years.end'; ('raw', 0) -> 'raw[0]'."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "(top level)"


def _subschema(schema: dict, path) -> dict:
    """The schema of the key at `path` (through properties, items and oneOf branches)."""
    node = schema
    for part in path:
        branches = [node] + node.get("oneOf", [])
        if isinstance(part, int):
            node = next((b["items"] for b in branches if "items" in b), {})
        else:
            node = next((b["properties"][part] for b in branches if part in b.get("properties", {})), {})
    return node


def _did_you_mean(word: str, choices) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def schema_error_message(config: dict, schema: dict) -> str | None:
    """The first violation of the JSON schema by `config` as one short message: the key, what is
    wrong, what is allowed, and a "did you mean" for a near miss. None when the config is valid.
    Stands in for Snakemake's report of a failed validation, which prints the whole schema and
    config (some 500 lines) after the one line that matters."""
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is None:
        return None
    path = list(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        unexpected = [k for k in error.instance if k not in allowed]
        key = _key_name([*path, unexpected[0]])
        return (
            f"config key {key}: unknown key{_did_you_mean(unexpected[0], allowed)}; "
            f"allowed {'at the top level' if not path else 'under ' + _key_name(path)}: {', '.join(allowed)}"
        )
    key = _key_name(path)
    description = _subschema(schema, path).get("description", "")
    if kind == "enum":
        allowed = error.validator_value
        return (
            f"config key {key}: {_short(error.instance)} is not allowed"
            f"{_did_you_mean(error.instance, allowed)}; allowed: {', '.join(map(str, allowed))}"
        )
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return f"config key {_key_name([*path, missing[0]])}: missing; {description}".rstrip("; ")
    if kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"config key {key}: {_short(error.instance)} is not {' or '.join(expected)}; {description}".rstrip("; ")
    bounds = {
        "minimum": "is below the minimum {}",
        "maximum": "is above the maximum {}",
        "exclusiveMinimum": "must be above {}",
        "exclusiveMaximum": "must be below {}",
        "minItems": "needs at least {} item(s)",
        "minLength": "needs at least {} character(s)",
    }
    if kind in bounds:
        wrong = bounds[kind].format(error.validator_value)
        return f"config key {key}: {_short(error.instance)} {wrong}; {description}".rstrip("; ")
    # oneOf and the like: name the constants allowed (years: auto), for a "did you mean"
    consts = [b["const"] for b in _subschema(schema, path).get("oneOf", []) if "const" in b]
    hint = _did_you_mean(error.instance, consts) if isinstance(error.instance, str) else ""
    return f"config key {key}: {_short(error.instance)} is not allowed{hint}; {description or error.message[:200]}"


def yte_config_files(paths) -> list[str]:
    """The config files among `paths` that Snakemake read as YTE templates: YAML (not JSON, which
    Snakemake tries first) whose top level sets `__use_yte__` true. Their Python expressions were
    evaluated while Snakemake loaded them, before any check could run (README "Security")."""
    import json

    import yaml

    found = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        try:
            json.loads(text)
            continue
        except ValueError:
            pass
        try:
            doc = yaml.load(text, Loader=yaml.FullLoader)  # the loader YTE uses
        except yaml.YAMLError:
            continue
        if isinstance(doc, dict) and doc.get("__use_yte__"):
            found.append(str(path))
    return found
