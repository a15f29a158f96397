"""Region names -> GB/T 2260 codes, through the explicit tables in data/reference/.

Names are matched after normalisation (NFKC, no spaces, case-folded), so 北　京, 北京, 北京市,
Beijing and BEIJING are one key. Nothing is guessed: a name not in the tables is an error.
"""


import re
import unicodedata

import pandas as pd

from errors import ConfigError

_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The matching key of a region or indicator name: NFKC, no whitespace, case-folded."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(name))).casefold()


def load_regions(path) -> pd.DataFrame:
    """Read the region table; code is a 6-digit string, mainland a bool."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table["mainland"] = table["mainland"].map({"true": True, "false": False})
    return table


def name_lookup(regions: pd.DataFrame) -> dict[str, str]:
    """Every spelling (full, short, English, pinyin, aliases) -> code; fails on an ambiguous key."""
    lookup: dict[str, str] = {}
    for row in regions.itertuples(index=False):
        spellings = [row.name_full, row.name_short, row.name_en, row.name_pinyin, row.code]
        spellings += [a for a in row.aliases.split("|") if a]
        for spelling in spellings:
            key = normalise_name(spelling)
            if lookup.get(key, row.code) != row.code:
                raise ConfigError(f"name {spelling!r} maps to both {lookup[key]} and {row.code}",
                                  file="region table")
            lookup[key] = row.code
    return lookup


def aggregate_names(aggregates: pd.DataFrame) -> set[str]:
    return {normalise_name(n) for n in aggregates["name"]}


def resolve_codes(names, regions: pd.DataFrame, what: str) -> list[str]:
    """Codes of region names given in config (e.g. exclude_regions); unknown names are an error."""
    lookup = name_lookup(regions)
    unknown = [n for n in names if normalise_name(n) not in lookup]
    if unknown:
        raise ConfigError(f"unknown region name(s) {unknown}; use names from data/reference/provinces.csv",
                          file="config", where=what)
    return [lookup[normalise_name(n)] for n in names]
