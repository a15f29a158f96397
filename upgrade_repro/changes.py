"""Rule changes: this run's Table 1 (and provincial means, when drawn) against the previous
successful run's, so that an author sees what an update moved (results/checks/changes.csv).

The previous run's tables are the snapshot that the workflow's onsuccess handler copies to
results/checks/previous/ at the end of every successful run (see workflow/rules/changes.smk).
"""

import logging
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

# table -> (key column, compared fields)
COMPARED = {
    "table1": ("variable", ["n", "mean", "sd", "min", "max"]),
    "province_means": ("code", ["mean_upgrade", "tier", "rank"]),
}
CHANGE_COLUMNS = ["table", "key", "field", "previous", "current", "difference", "status"]


def compare_tables(name: str, current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """One row per (key, field): previous and current value, numeric difference, and a status:
    unchanged, changed, new (absent before), removed (absent now) or 'no previous run'."""
    key, fields = COMPARED[name]
    cur = current.set_index(key)[fields].stack().rename("current")
    if previous is None:
        out = cur.reset_index()
        out["previous"], out["status"] = np.nan, "no previous run"
    else:
        prev = previous.set_index(key)[fields].stack().rename("previous")
        out = pd.concat([prev, cur], axis=1).reset_index()
        same = [_same(p, c) for p, c in zip(out["previous"], out["current"])]
        out["status"] = np.select(
            [out["previous"].isna(), out["current"].isna(), same], ["new", "removed", "unchanged"], "changed"
        )
    out.columns = ["key", "field", *out.columns[2:]]
    out["difference"] = pd.to_numeric(out["current"], errors="coerce") - pd.to_numeric(out["previous"], errors="coerce")
    out.insert(0, "table", name)
    return out[CHANGE_COLUMNS]


def _same(a, b) -> bool:
    try:
        return bool(np.isclose(float(a), float(b), rtol=1e-12, atol=0))
    except (TypeError, ValueError):
        return a == b


def read_if_exists(path) -> pd.DataFrame | None:
    path = Path(path)
    return pd.read_csv(path, dtype={"code": str}) if path.is_file() else None
