"""Region names -> GB/T 2260 codes, through the explicit tables in data/reference/.

Names are matched after normalisation (NFKC, no spaces, case-folded), so 北　京, 北京, 北京市,
Beijing and BEIJING are one key. Nothing is guessed: a name not in the tables is an error.
"""

import re
import unicodedata

import pandas as pd

from upgrade_repro.errors import ConfigError

_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The matching key of a region or indicator name: NFKC, no whitespace, case-folded."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(name))).casefold()


REQUIRED_COLUMNS = ("code", "name_short")
# Optional in a user's code table (config code_table): spellings default to none, mainland to true
# (a city or county table lists only units of the sample).
OPTIONAL_COLUMNS = {"name_full": "", "name_en": "", "name_pinyin": "", "aliases": "", "mainland": "true"}


def load_regions(path) -> pd.DataFrame:
    """Read the region table; code is a 6-digit string, mainland a bool. Remembers its path
    (attrs["path"]) so that error messages name the table the user configured."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(
            f"missing column(s) {missing}; a code table needs {list(REQUIRED_COLUMNS)}", file=str(path), where="header"
        )
    for column, default in OPTIONAL_COLUMNS.items():
        if column not in table.columns:
            table[column] = default
    table["mainland"] = table["mainland"].map({"true": True, "false": False})
    table.attrs["path"] = str(path)
    return table


def table_name(regions: pd.DataFrame) -> str:
    return regions.attrs.get("path", "the region table")


def name_lookup(regions: pd.DataFrame) -> dict[str, str]:
    """Every spelling (full, short, English, pinyin, aliases) -> code; fails on an ambiguous key."""
    lookup: dict[str, str] = {}
    for row in regions.itertuples(index=False):
        spellings = [row.name_full, row.name_short, row.name_en, row.name_pinyin, row.code]
        spellings += row.aliases.split("|")
        for spelling in filter(None, spellings):  # a code table may leave spellings empty
            key = normalise_name(spelling)
            if lookup.get(key, row.code) != row.code:
                raise ConfigError(
                    f"name {spelling!r} maps to both {lookup[key]} and {row.code}; give each unit spellings of its own",
                    file=table_name(regions),
                )
            lookup[key] = row.code
    return lookup


def display_names(regions: pd.DataFrame, language: str) -> dict[str, str]:
    """Code -> the unit's name in the output language: the short Chinese name in zh; in en the
    English name, else the pinyin, else (a user's table without either) the short name."""
    if language != "en":
        return dict(zip(regions["code"], regions["name_short"]))
    english = regions["name_en"].where(regions["name_en"] != "", regions["name_pinyin"])
    return dict(zip(regions["code"], english.where(english != "", regions["name_short"])))


def aggregate_names(aggregates: pd.DataFrame) -> set[str]:
    return {normalise_name(n) for n in aggregates["name"]}


def resolve_codes(names, regions: pd.DataFrame, what: str) -> list[str]:
    """Codes of region names given in config (e.g. exclude_regions); unknown names are an error."""
    lookup = name_lookup(regions)
    unknown = [n for n in names if normalise_name(n) not in lookup]
    if unknown:
        raise ConfigError(
            f"unknown region name(s) {unknown}; use names from {table_name(regions)}", file="config", where=what
        )
    return [lookup[normalise_name(n)] for n in names]
