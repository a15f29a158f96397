"""Tiers of the provincial mean of upgrade (the paper's Figure 1: 较弱, 中等, 较强, 强).

Tiers come from config figure.tiers, ascending and contiguous. A value v belongs to the tier with
lower <= v < upper (a value on a break goes to the upper tier); the top tier is open above, so a
value beyond its upper joins it and its legend label then reads "≥ lower". A value below the lowest
break is an error rather than a silent extra class: the breaks are meant to cover every value.
"""

import re

import numpy as np
import pandas as pd

from upgrade_repro.errors import ConfigError

WHERE = "figure.tiers"


def check_tiers(tiers: list[dict]) -> list[dict]:
    """The tiers if they are ascending, contiguous, with unique labels and valid colours (where
    given: the provincial means need only the breaks)."""
    if not tiers:
        raise ConfigError("no tiers given", file="config", where=WHERE)
    labels = [t["label"] for t in tiers]
    if len(set(labels)) != len(labels):
        raise ConfigError(f"tier labels must be unique, got {labels}", file="config", where=WHERE)
    for i, tier in enumerate(tiers):
        if not tier["lower"] < tier["upper"]:
            raise ConfigError(
                f"tier {tier['label']!r}: lower {tier['lower']} is not below upper {tier['upper']}",
                file="config",
                where=WHERE,
            )
        if "color" in tier and not _is_color_like(tier["color"]):
            raise ConfigError(f"tier {tier['label']!r}: {tier['color']!r} is not a colour", file="config", where=WHERE)
        if i and tier["lower"] != tiers[i - 1]["upper"]:
            raise ConfigError(
                f"tiers must be listed from lowest to highest without gaps: "
                f"{tiers[i - 1]['label']!r} ends at {tiers[i - 1]['upper']} but "
                f"{tier['label']!r} starts at {tier['lower']}",
                file="config",
                where=WHERE,
            )
    return tiers


def assign_tiers(values: pd.Series, tiers: list[dict], names: pd.Series | None = None) -> pd.Series:
    """The tier label of each value (see the module docstring for the rule on breaks).

    `names` (same index) only serves the error message for a value no tier covers.
    """
    check_tiers(tiers)
    lowers = np.array([t["lower"] for t in tiers], dtype=float)
    v = values.to_numpy(dtype=float)
    index = np.searchsorted(lowers, v, side="right") - 1
    uncovered = (index < 0) | np.isnan(v)
    if uncovered.any():
        who = names if names is not None else values.index.to_series()
        cells = "; ".join(f"{n} = {x}" for n, x in zip(who[uncovered], v[uncovered]))
        raise ConfigError(
            f"value(s) not covered by the tiers (lowest break {lowers[0]:g}): {cells}", file="config", where=WHERE
        )
    labels = np.array([t["label"] for t in tiers], dtype=object)
    return pd.Series(labels[index], index=values.index, name="tier")


# The hex forms matplotlib reads as a colour (#rgb, #rgba, #rrggbb, #rrggbbaa; matplotlib.colors
# to_rgba): the config's usual colours, checked without importing matplotlib (the check runs at
# every start of the workflow, and matplotlib costs 0.2 s there).
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def _is_color_like(value) -> bool:
    if isinstance(value, str) and _HEX_COLOUR.fullmatch(value):
        return True
    # matplotlib only here, for other forms (names, grey levels, tuples): province_means need not import it.
    from matplotlib.colors import is_color_like

    return is_color_like(value)
