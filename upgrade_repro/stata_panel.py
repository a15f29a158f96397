"""Rule stata_panel: the indicator panel's labels and units (the keys' from the text catalogue, every
indicator's from the indicator catalogue) and its Stata file (format 118, every variable labelled,
the code with value labels); the labels and units serve the manuscript's Excel panel too. Kept
apart from manuscript_tables.py so that the Stata rule imports no table or Word code."""

import re
from datetime import datetime, timezone

import pandas as pd

from upgrade_repro.indicators import indicator_columns
from upgrade_repro.regions import display_names
from upgrade_repro.texts import texts

# A fixed date for every date field of the files (the Unix epoch: no run time in a file).
FIXED_DATE = datetime.fromtimestamp(0, tz=timezone.utc).replace(tzinfo=None)

STATA_LABEL_MAX = 80  # characters of a Stata variable label


# ----------------------------------------------------------------------------------------- texts
def variable_labels(share_denominator: str, catalogue: dict, language: str = "zh") -> dict[str, str]:
    """Variable -> label of the indicator panel's columns (Stata variable labels, Excel heads): the
    catalogue's labels of the panel's keys (code, province, year: texts group manuscript.variables)
    and, for every indicator, its name and formula from the indicator catalogue (the one place an
    indicator is named), with the configured share denominator where the formula divides by Y."""
    words = texts(language, "manuscript")
    labels = dict(texts(language, "manuscript.variables"))
    sep = words["label_sep"]
    denominator = words["denominator_note"].format(denominator=words[f"denominator.{share_denominator}"])
    for key, entry in catalogue.items():
        formula, name = entry["formula"], entry["name"][language]
        label = f"{name}{sep}{formula}" + (denominator if re.search(r"/\s*Y\b", formula) else "")
        labels[key] = label if len(label) <= STATA_LABEL_MAX else name  # Stata's limit
    return labels


def panel_units(catalogue: dict, language: str = "zh") -> dict[str, str]:
    """Column -> unit of the indicator panel: the catalogue's units of the keys (texts group
    manuscript.units), the indicator catalogue's of every indicator (one unit name per indicator:
    the report's, the tables' and the panel's)."""
    return {**texts(language, "manuscript.units"), **{key: entry["unit"][language] for key, entry in catalogue.items()}}


def provinces_in_language(indicators: pd.DataFrame, regions: pd.DataFrame, language: str) -> pd.DataFrame:
    """The panel with its province column in the output language (regions.display_names: the short
    Chinese name, or the English name / pinyin), for the Excel panel and Stata's value labels."""
    names = display_names(regions, language)
    return indicators.assign(province=indicators["code"].map(names).fillna(indicators["province"]))


# ------------------------------------------------------------------------------------------ Stata
def stata_frame(indicators: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, str]]:
    """The panel for Stata: code as int32 (with its names as value labels), year as int16, so that
    `xtset code year` works at once. Each (code, year) pair occurs once (else an error)."""
    variables = indicator_columns(indicators)  # every indicator the run computed
    frame = indicators[["code", "province", "year", *variables]].copy()
    frame["code"] = frame["code"].astype("int32")
    frame["year"] = frame["year"].astype("int16")
    for var in variables:
        frame[var] = frame[var].astype("float64")
    duplicated = frame.duplicated(["code", "year"])
    if duplicated.any():
        pairs = frame.loc[duplicated, ["code", "year"]].to_records(index=False).tolist()
        raise ValueError(f"indicators: (code, year) pairs listed twice: {pairs}")
    names = frame.drop_duplicates("code").set_index("code")["province"]
    return frame.sort_values(["code", "year"], ignore_index=True), {int(c): str(n) for c, n in names.items()}


def write_stata(
    frame: pd.DataFrame, value_labels: dict[int, str], labels: dict[str, str], data_label: str, path
) -> None:
    """Stata 14+ format (118: UTF-8, so Chinese text survives), every variable labelled, a fixed
    time stamp (byte-identical files)."""
    frame.to_stata(
        path,
        write_index=False,
        version=118,
        time_stamp=FIXED_DATE,
        data_label=data_label,
        variable_labels={c: labels[c] for c in frame.columns},
        value_labels={"code": value_labels},
    )
