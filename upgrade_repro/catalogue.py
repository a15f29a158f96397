"""The reference tables that name things: the indicator catalogue (data/reference/indicators.yaml,
one name per indicator and language) and the human names of the region schemes
(data/reference/region_scheme_names.csv). Every table, figure and report names an indicator or a
scheme through these functions, so that one edit renames it everywhere (the rules list both files
as inputs, so an edit reruns them)."""

from pathlib import Path

import pandas as pd
import yaml

from upgrade_repro.errors import ConfigError

LANGUAGES = ("zh", "en")


def load_catalogue(path) -> dict:
    """indicators.yaml as {indicator: entry}; each entry needs a name in every language."""
    catalogue = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for key, entry in catalogue.items():
        missing = [lang for lang in LANGUAGES if not (entry.get("name") or {}).get(lang)]
        if missing:
            raise ConfigError(f"indicator {key!r} has no name in {missing}", file=str(path), where=f"{key}.name")
    return catalogue


def indicator_names(catalogue: dict, language: str) -> dict[str, str]:
    """Indicator -> its name in `language`."""
    return {key: entry["name"][language] for key, entry in catalogue.items()}


def indicator_units(catalogue: dict, language: str) -> dict[str, str]:
    """Indicator -> its unit in `language` (a trend coefficient is '<unit> per year')."""
    return {key: entry["unit"][language] for key, entry in catalogue.items() if "unit" in entry}


def scheme_name(path, scheme: str, language: str) -> str:
    """The human name of region scheme `scheme` (a column of region_schemes.csv) in `language`."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("scheme")
    if scheme not in table.index:
        raise ConfigError(
            f"region scheme {scheme!r} has no name; add a row to {path} (schemes named: {sorted(table.index)})",
            file=str(path),
        )
    return table.loc[scheme, f"name_{language}"]
