"""Tiers of the provincial mean of upgrade (the paper's Figure 1: 较弱, 中等, 较强, 强).

Tiers come from config figure.tiers, ascending and contiguous. A value v belongs to the tier with
lower <= v < upper (a value on a break goes to the upper tier); the top tier is open above, so a
value beyond its upper joins it and its legend label then reads "≥ lower". A value below the lowest
break is an error rather than a silent extra class: the breaks are meant to cover every value.
"""

from pathlib import Path

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


def tier_legend_labels(
    tiers: list[dict], max_value: float, names: dict[str, str] | None = None, language: str = "zh"
) -> dict[str, str]:
    """Label -> legend text, e.g. '中等（1~2）' or 'Medium (1–2)'; the top tier reads '强（≥3）' when a
    value exceeds it. `names`: label -> the tier's name in `language` (tier_names; default the label)."""
    check_tiers(tiers)
    names = names or {t["label"]: t["label"] for t in tiers}
    form, open_form = ("{}（{:g}~{:g}）", "{}（≥{:g}）") if language == "zh" else ("{} ({:g}–{:g})", "{} (≥ {:g})")
    texts = {t["label"]: form.format(names[t["label"]], t["lower"], t["upper"]) for t in tiers}
    top = tiers[-1]
    if max_value > top["upper"]:
        texts[top["label"]] = open_form.format(names[top["label"]], top["lower"])
    return texts


# The names of the tiers in each language: report/messages.yaml's tier_name (the report's too).
MESSAGES = "report/messages.yaml"


def tier_names(tiers: list[dict], language: str, messages=MESSAGES) -> dict[str, str]:
    """Label -> the tier's name in `language`: the label itself in zh; in en report/messages.yaml's
    tier_name.<label>.en, capitalised (a legend entry). A tier without one is an error in en, so
    no English figure shows an untranslated tier."""
    if language == "zh":
        return {t["label"]: t["label"] for t in tiers}
    import yaml  # here: province_means needs none of this

    catalogue = yaml.safe_load(Path(messages).read_text(encoding="utf-8"))["tier_name"]
    missing = [t["label"] for t in tiers if language not in (catalogue.get(t["label"]) or {})]
    if missing:
        raise ConfigError(
            f"tier(s) {missing} have no {language} name; add tier_name.<label>: {{zh: ..., {language}: ...}} to {messages}",
            file="config",
            where=WHERE,
        )
    return {t["label"]: _capitalised(catalogue[t["label"]][language]) for t in tiers}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


COLUMNS = ["code", "province", "mean_upgrade", "tier", "rank"]


def province_means(indicators: pd.DataFrame) -> pd.DataFrame:
    """code, province, mean_upgrade: the mean over all years present (the configured sample years)."""
    means = (
        indicators.groupby(["code", "province"], as_index=False, sort=True)["upgrade"]
        .mean()
        .rename(columns={"upgrade": "mean_upgrade"})
    )
    return means


def rank_and_tier(means: pd.DataFrame, tiers: list[dict]) -> pd.DataFrame:
    """Add tier and rank (1 = highest; ties share the best rank); rows in rank order, then code."""
    out = means.copy()
    out["tier"] = assign_tiers(out["mean_upgrade"], tiers, names=out["province"])
    out["rank"] = out["mean_upgrade"].rank(ascending=False, method="min").astype(int)
    return out.sort_values(["rank", "code"], ignore_index=True)[COLUMNS]


def _is_color_like(value) -> bool:
    # matplotlib only here, when a tier has a colour: province_means need not import it.
    from matplotlib.colors import is_color_like

    return is_color_like(value)
