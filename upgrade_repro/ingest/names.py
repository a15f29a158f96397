"""What the extracts call things: the names each series goes by (matching keys of GDP, the sectors'
value added, employment), a sector's share of GDP, the heads of the columns the layouts are
recognised by, and a name's unit in brackets."""

import re
import unicodedata

from upgrade_repro.regions import normalise_name
from upgrade_repro.series import SECTORS

# Matching keys (normalise_name, hyphens removed) of the names each series goes by. Matching is
# exact, so look-alikes (地区生产总值指数, 人均地区生产总值, 第三产业增加值比重, ...) are not taken.
INDICATOR_ALIASES = {
    "gdp": ("地区生产总值", "国内生产总值", "生产总值", "gdp", "grossregionalproduct", "grossdomesticproduct"),
    "primary": (
        "第一产业增加值",
        "第一产业",
        "primary",
        "valueaddedofprimaryindustry",
        "valueaddedofthefirstindustry",
        "primaryindustry",
        "primaryindustryvalueadded",
    ),
    "secondary": (
        "第二产业增加值",
        "第二产业",
        "secondary",
        "valueaddedofsecondaryindustry",
        "valueaddedofthesecondindustry",
        "secondaryindustry",
        "secondaryindustryvalueadded",
    ),
    "tertiary": (
        "第三产业增加值",
        "第三产业",
        "tertiary",
        "valueaddedoftertiaryindustry",
        "valueaddedofthethirdindustry",
        "tertiaryindustry",
        "tertiaryindustryvalueadded",
    ),
    # Employment: 就业人员 (the yearbooks' name since 2003; 从业人员 before), also 年末 (year-end).
    **{
        f"employed_{sector}": tuple(
            f"{pre}{zh}产业{word}" for pre in ("", "年末") for word in ("就业人员", "就业人数", "从业人员")
        )
        + (f"{sector}employment", f"employment{sector}", f"employed{sector}", f"employedpersonsin{sector}industry")
        for sector, zh in (("primary", "第一"), ("secondary", "第二"), ("tertiary", "第三"))
    },
    "employed": (
        "就业人员",
        "就业人数",
        "从业人员",
        "年末就业人员",
        "年末从业人员",
        "就业人员合计",
        "employed",
        "employment",
        "totalemployment",
        "employedpersons",
    ),
}
_ALIAS_TO_INDICATOR = {alias: ind for ind, aliases in INDICATOR_ALIASES.items() for alias in aliases}


# A sector's share of GDP in % (the composition layout): a sector name (as in INDICATOR_ALIASES)
# followed by one of these words, or 'shareof' + a sector name, or a bare sector name whose unit is
# '%' (第一产业（%）). Only the composition layout reads shares; every other layout ignores them,
# so a % series is never taken for a level.
SHARE_WORDS = ("占地区生产总值比重", "占国内生产总值比重", "占gdp比重", "比重", "构成", "占比", "份额", "share")
SHARE_UNITS = {"%", "", "percent"}

# Heads (matching keys) of the columns the layouts are recognised by.
INDICATOR_HEADS = {"指标", "指标名称", "indicator", "indicators"}
REGION_HEADS = {"地区", "地区名称", "省份", "省份名称", "省", "省区市", "region", "province", "provincename", "prov"}
YEAR_HEADS = {"时间", "年份", "年度", "年", "year", "time"}
VALUE_HEADS = {"数值", "值", "value", "val"}
UNIT_HEADS = {"单位", "计量单位", "unit"}

_UNIT_IN_NAME = re.compile(r"[(（]([^()（）]*)[)）]\s*$")


def split_unit(name: str) -> tuple[str, str]:
    """'地区生产总值（亿元）' -> ('地区生产总值', '亿元'): the last bracket is the unit."""
    text = unicodedata.normalize("NFKC", str(name)).strip()
    m = _UNIT_IN_NAME.search(text)
    return (text[: m.start()].strip(), m.group(1).strip()) if m else (text, "")


_CURRENT_PRICES = re.compile(r"\((当年价格?|现价|atcurrentprices|currentprices)\)")


def indicator_key(base: str) -> str:
    """Matching key of an indicator name without its unit: 'Value-added' and 'Value added' alike,
    a '(当年价格)' (current prices) qualifier dropped ('(不变价)' is kept, so it matches nothing)."""
    return _CURRENT_PRICES.sub("", re.sub(r"[-_‐–]", "", normalise_name(base)))


def split_indicator(name: str) -> tuple[str | None, str]:
    """'地区生产总值（亿元）' -> ('gdp', '亿元'); an unknown series gives (None, unit)."""
    base, unit = split_unit(name)
    return _ALIAS_TO_INDICATOR.get(indicator_key(base)), unit


def share_sector(name: str) -> str | None:
    """'第一产业比重（%）' -> 'primary'; None for anything that is not a sector's share of GDP."""
    base, unit = split_unit(name)
    key = indicator_key(base)
    stem = None
    if key.startswith("shareof"):
        stem = key[len("shareof") :]
    else:
        stem = next(
            (key[: -len(w)] for w in SHARE_WORDS if key.endswith(w) and len(key) > len(w)),
            key if normalise_name(unit) == "%" else None,
        )
    sector = _ALIAS_TO_INDICATOR.get(stem) if stem else None
    return sector if sector in SECTORS else None
