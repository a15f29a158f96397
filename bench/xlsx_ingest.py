"""Stand-in xlsx reader for the ingest benchmark, used while scripts/readers.py cannot read xlsx.

python-calamine reads the sheet; the rows then go through readers.py's own parsing (indicator and
unit from the name, years, values, line numbers), so the throughput measured is that of the
conversion the workflow does on text extracts. bench/run.py uses readers.read_extract instead as
soon as it accepts an xlsx file: the figures must then be measured again.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from readers import (EPS_LONG_HEADS, TIDY_COLUMNS, _classify_indicators,  # noqa: E402
                     parse_values, parse_years)
from regions import normalise_name  # noqa: E402


def read_eps_long_xlsx(path) -> pd.DataFrame:
    """First sheet of an EPS long xlsx export (header 指标,地区,时间,数值 in row 1, footer lines in
    column A) -> readers.TIDY_COLUMNS; line is the 1-based spreadsheet row."""
    source = Path(path).as_posix()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    heads = [EPS_LONG_HEADS.get(normalise_name(c), c) for c in rows[0]]
    end = len(rows)
    while end > 1 and any(cell == "" for cell in rows[end - 1][: len(EPS_LONG_HEADS)]):
        end -= 1  # the footer: trailing rows with an empty cell
    df = pd.DataFrame(rows[1:end], columns=heads, dtype=object)  # years and values stay numbers
    df["indicator_raw"] = df["indicator_raw"].astype(str)
    df["line"] = np.arange(len(df), dtype="int64") + 2
    df["indicator"], df["unit"] = _classify_indicators(df["indicator_raw"], source)
    df = df[df["indicator"].notna()].reset_index(drop=True)
    df["year"] = parse_years(df["year"], source, df["line"])
    df["value"] = parse_values(df["value"], source, df["line"])
    df["region"] = df["region"].astype(str).str.strip()
    df["source"] = source
    return df[TIDY_COLUMNS]
