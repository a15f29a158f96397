"""Checks of the configuration that need no data, run by workflow/rules/common.smk when the workflow
starts (after the JSON schema, before any job): the cross-key and reference-table checks the schema
cannot express. Each failure is one ConfigKeyError naming the config key."""

from upgrade_repro.errors import ConfigError
from upgrade_repro.indicators import VARIABLES, load_lp_reference
from upgrade_repro.region_schemes import load_region_scheme
from upgrade_repro.regions import load_regions, name_lookup, resolve_codes
from upgrade_repro.tiers import check_tiers

REGION_SCHEMES = "data/reference/region_schemes.csv"


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


def check_config(config: dict, region_table, schemes_path=REGION_SCHEMES) -> None:
    """Every check above, in the order a user would fix them."""
    check_indicators(config)
    regions = check_code_table(region_table)
    check_exclude_regions(config, regions)
    check_region_scheme(config, schemes_path)
    check_figure_tiers(config)
