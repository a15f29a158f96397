"""Regional statistics (beyond the paper): Table 1's statistics within each region of a scheme."""

import pandas as pd

from upgrade_repro.descriptive import describe
from upgrade_repro.region_schemes import provinces_per_region
from upgrade_repro.tables import statistic_cells, with_demo_note

CAPTION = "表 A1 分地区的产业结构升级指标描述性统计（超出论文的分析）"
CAPTIONS = {
    "zh": CAPTION,
    "en": "Table A1 Descriptive statistics of the upgrading indicators by region (beyond the paper)",
}
REGION_HEAD = {"zh": "地区", "en": "Region"}


def describe_by_region(data: pd.DataFrame) -> pd.DataFrame:
    """describe() of each region's province-years, regions in scheme order."""
    parts = [
        describe(group).assign(region=region) for region, group in data.groupby("region", observed=True, sort=True)
    ]
    table = pd.concat(parts, ignore_index=True)
    return table[["region", *table.columns.drop("region")]]


def region_cells(table: pd.DataFrame, decimals: int, names: dict | None = None) -> list[list[str]]:
    """Table 1's cells behind a region column that names each region once, on its first row
    (`names`: region label -> its name in the output language, catalogue.region_label_names)."""
    cells = statistic_cells(table, decimals)
    shown = table["region"].where(table["region"].ne(table["region"].shift()), "")
    return [[str((names or {}).get(region, region)), *row] for region, row in zip(shown, cells)]


def region_notes(
    data: pd.DataFrame, scheme: str, demo: bool, language: str = "zh", names: dict | None = None
) -> list[str]:
    """`scheme`: the scheme's human name (catalogue.scheme_name) in `language`."""
    counts = provinces_per_region(data)
    years = data["year"]
    if language == "en":
        members = ", ".join(f"{(names or {}).get(region, region)} {n}" for region, n in counts.items())
        notes = [
            f"Note: regions: {scheme} (data/reference/region_schemes.csv), provinces per region: {members}; "
            f"{years.min()}–{years.max()}; sample standard deviation."
        ]
        return with_demo_note(notes, demo, language)
    members = "，".join(f"{region} {n} 个" for region, n in counts.items())
    notes = [
        f"注：地区划分 {scheme}（data/reference/region_schemes.csv）：{members}省份；"
        f"{years.min()}—{years.max()} 年；标准差为样本标准差。"
    ]
    return with_demo_note(notes, demo)
