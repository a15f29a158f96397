"""Rule regional_table (beyond the paper): Table 1's statistics within each region of a scheme
(results/tables/table_regions.csv; its text files: upgrade_repro/beyond_table_files.py)."""

import pandas as pd

from upgrade_repro.describe import describe


def describe_by_region(data: pd.DataFrame) -> pd.DataFrame:
    """describe() of each region's province-years, regions in scheme order."""
    parts = [
        describe(group).assign(region=region) for region, group in data.groupby("region", observed=True, sort=True)
    ]
    table = pd.concat(parts, ignore_index=True)
    return table[["region", *table.columns.drop("region")]]
