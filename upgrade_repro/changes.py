"""Rule changes: this run's Table 1 (and provincial means, when drawn) against the previous run's,
so that an author sees what an update moved (results/checks/changes.csv).

The previous run's side is the snapshot results/checks/previous/snapshot.json, written by the
changes rule itself as its `update()` output: it is read first, then replaced by this run's. Only a
run of this rule moves it, so a partial run (say Table 1 alone, with another config) cannot stand
in for "the previous run".

The snapshot is one file, replaced in one atomic step after changes.csv is complete, and holds
both the last run (its compared tables and the manifest of their inputs) and the run that one was
compared against. A job that reproduces the snapshot's last run exactly (same tables, same
inputs) repeats its comparison: so a job killed after the snapshot moved but before Snakemake
recorded it as complete writes, when rerun, the same changes.csv as an uninterrupted run
(comparison_base).

A value counts as changed when it moves at the precision the tables print (config decimals);
the full-precision difference stays beside it, and a difference below float noise
(NOISE_RTOL) never counts, even where it crosses a rounding boundary.
"""

import io
import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from upgrade_repro.provenance import project_path
from upgrade_repro.registry import sha256, sha256_bytes

logger = logging.getLogger(__name__)

# table -> (key column, name column or None, compared fields)
COMPARED = {
    "table1": ("variable", None, ["n", "mean", "sd", "min", "max"]),
    "province_means": ("code", "province", ["mean_upgrade", "tier", "rank"]),
}
# Fields printed at the table's configured decimals; the other fields are counts, ranks or labels.
PRINTED_AT_DECIMALS = {"mean", "sd", "min", "max", "mean_upgrade"}
# Relative size of a difference that is float noise (summation order, a library's rounding).
NOISE_RTOL = 1e-6
CHANGE_COLUMNS = [
    "table",
    "key",
    "name",
    "field",
    "previous",
    "current",
    "difference",
    "decimals",
    "status",
    "comparison",
]
MANIFEST = "manifest.json"  # the snapshot's manifest before it was one file (read, never written)


# ------------------------------------------------------------------------------ the values
def printed(value, decimals: int | None) -> str:
    """A value as the tables print it: `decimals` decimals for a number, else as is."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if decimals is None or not np.isfinite(number):
        return repr(int(number)) if np.isfinite(number) and number == int(number) else repr(number)
    return f"{number:.{decimals}f}"


def is_change(previous, current, decimals: int | None) -> bool:
    """True when the value moves as printed (at `decimals`), and by more than float noise."""
    try:
        a, b = float(previous), float(current)
    except (TypeError, ValueError):
        return str(previous) != str(current)
    if np.isclose(a, b, rtol=NOISE_RTOL, atol=0):
        return False
    return printed(a, decimals) != printed(b, decimals)


def compare_tables(
    name: str, current: pd.DataFrame, previous: pd.DataFrame | None, decimals: int, comparison: str = ""
) -> pd.DataFrame:
    """One row per (key, field): the key's name (a province's beside its code), previous and
    current value, full-precision difference, the decimals the field is printed at, and a status:
    unchanged, changed (at the printed precision), new (absent before), removed (absent now) or
    'no previous run'."""
    key, name_col, fields = COMPARED[name]
    cur = current.set_index(key)[fields].astype(object).stack().rename("current")
    names = {}
    for table in (previous, current):  # the current name wins
        if table is not None and name_col:
            names.update(zip(table[key], table[name_col]))
    if previous is None:
        out = cur.reset_index()
        out["previous"], out["status"] = np.nan, "no previous run"
    else:
        prev = previous.set_index(key)[fields].astype(object).stack().rename("previous")
        out = pd.concat([prev, cur], axis=1).reset_index()
        out.columns = ["key", "field", *out.columns[2:]]
        changed = [
            is_change(p, c, decimals if f in PRINTED_AT_DECIMALS else None)
            for p, c, f in zip(out["previous"], out["current"], out["field"])
        ]
        out["status"] = np.select(
            [out["previous"].isna(), out["current"].isna(), changed], ["new", "removed", "changed"], "unchanged"
        )
    out.columns = ["key", "field", *out.columns[2:]]
    out["name"] = [names.get(k, k) for k in out["key"]]
    out["difference"] = pd.to_numeric(out["current"], errors="coerce") - pd.to_numeric(out["previous"], errors="coerce")
    out["decimals"] = [decimals if f in PRINTED_AT_DECIMALS else "" for f in out["field"]]
    out["comparison"] = comparison
    out.insert(0, "table", name)
    return out[CHANGE_COLUMNS]


def read_if_exists(path) -> pd.DataFrame | None:
    path = Path(path)
    return pd.read_csv(path, dtype={"code": str}) if path.is_file() else None


# ---------------------------------------------------------------------------- the inputs
COMPARED_KEYS = ("raw", "exclude_regions", "years", "share_denominator", "decimals", "checks", "unit", "code_table")


def compared_config(config: dict) -> dict:
    """The configuration the compared tables depend on (digested into the manifest): the analysis
    keys and the tier breaks, not presentation (colours, report language, figures beyond the
    paper). The data vintages: vintage.winner (as vintage_winner, its name before the vintage
    block), and vintage.policy and vintage.link_year only when not the defaults (stop, null), so a
    run of one vintage keeps the digest it had before the policy existed."""
    out = {k: config[k] for k in COMPARED_KEYS}
    vintage = config["vintage"]
    out["vintage_winner"] = vintage["winner"]
    if vintage["policy"] != "stop" or vintage["link_year"] is not None:
        out["vintage_policy"] = {"policy": vintage["policy"], "link_year": vintage["link_year"]}
    out["tiers"] = [{k: t[k] for k in ("label", "lower", "upper")} for t in config["figure"]["tiers"]]
    return out


def config_digest(config) -> str:
    """SHA-256 of a configuration (keys sorted, canonical JSON)."""
    text = json.dumps(config, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256_bytes(text.encode("utf-8"))


def run_manifest(raw_files, config: dict, demo: bool, root=".", vintage_note: str = "") -> dict:
    """What made a run's compared tables: each raw file (project-relative path, SHA-256), the
    configuration of the compared tables and its digest, whether the data are the synthetic demo,
    and, for a panel across data vintages, the note naming what was done with them
    (vintage.choice_note: which vintage, which years linked or spliced; absent otherwise)."""
    manifest = {
        "raw": [{"file": project_path(p, root), "sha256": sha256(p)} for p in raw_files],
        "config_sha256": config_digest(config),
        "config": config,
        "synthetic_data": bool(demo),
    }
    if vintage_note:
        manifest["vintage"] = vintage_note
    return manifest


def describe_comparison(previous: dict | None, current: dict, has_previous_tables: bool) -> str:
    """How the two runs' inputs relate, in one phrase written on every row of changes.csv."""
    if not has_previous_tables:
        return "no previous run"
    if previous is None:
        return "previous inputs unknown (no manifest)"
    if previous["synthetic_data"] != current["synthetic_data"]:
        return "synthetic data vs real data"
    if sorted(r["sha256"] for r in previous["raw"]) != sorted(r["sha256"] for r in current["raw"]):
        return "different raw data"
    if previous["config_sha256"] != current["config_sha256"]:
        return "same raw data, different configuration"
    return "same inputs"


def input_rows(previous: dict | None, current: dict, comparison: str) -> pd.DataFrame:
    """The first rows of changes.csv: each side's raw files (by path, their SHA-256), config
    digest and kind of data, with a status as for the values."""
    prev = previous or {"raw": [], "config_sha256": np.nan, "synthetic_data": np.nan}
    rows = []
    before = {r["file"]: r["sha256"] for r in prev["raw"]}
    after = {r["file"]: r["sha256"] for r in current["raw"]}
    for file in list(after) + [f for f in before if f not in after]:
        rows.append((file, "raw file", "sha256", before.get(file, np.nan), after.get(file, np.nan)))
    rows.append(
        ("config", "configuration of the compared tables", "sha256", prev["config_sha256"], current["config_sha256"])
    )
    rows.append(("data", "synthetic data", "synthetic_data", prev["synthetic_data"], current["synthetic_data"]))
    if prev.get("vintage") or current.get("vintage"):  # a panel across data vintages, on either side
        rows.append(("vintage", "data vintages", "note", prev.get("vintage", np.nan), current.get("vintage", np.nan)))
    out = pd.DataFrame(rows, columns=["key", "name", "field", "previous", "current"])
    if previous is None:
        status = ["no previous run" if comparison == "no previous run" else "unknown"] * len(out)
    else:
        status = [
            "new" if pd.isna(p) else "removed" if pd.isna(c) else "unchanged" if str(p) == str(c) else "changed"
            for p, c in zip(out["previous"], out["current"])
        ]
    out["status"] = status
    out["difference"], out["decimals"], out["comparison"] = np.nan, "", comparison
    out.insert(0, "table", "inputs")
    return out[CHANGE_COLUMNS]


def read_manifest(path) -> dict | None:
    path = Path(path)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def manifest_text(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------- the snapshot
def snapshot_entry(tables: dict[str, str], manifest: dict) -> dict:
    """One run in the snapshot: its compared tables (CSV text, by name) and its manifest."""
    return {"manifest": manifest, "tables": dict(sorted(tables.items()))}


def entry_tables(entry: dict | None, names) -> dict[str, pd.DataFrame | None]:
    """The entry's tables as data frames (None for a table it lacks, or for no entry)."""
    tables = (entry or {}).get("tables", {})
    return {n: pd.read_csv(io.StringIO(tables[n]), dtype={"code": str}) if n in tables else None for n in names}


def read_snapshot(path) -> dict | None:
    """The snapshot: {"run": the last run, "base": what that run was compared against, or None}.

    Without the file, the layout before it (the tables and manifest.json beside it) is read as
    a last run of unknown base, so the first run after an upgrade still compares.
    """
    path = Path(path)
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    tables = {
        n: (path.parent / f"{n}.csv").read_text(encoding="utf-8")
        for n in COMPARED
        if (path.parent / f"{n}.csv").is_file()
    }
    if not tables:
        return None
    return {"run": snapshot_entry(tables, read_manifest(path.parent / MANIFEST)), "base": None}


def comparison_base(snapshot: dict | None, current: dict) -> tuple[dict | None, dict]:
    """What this run compares against, and the snapshot to write after changes.csv.

    Normally the snapshot's last run, which this run then replaces (becoming its base). A run
    identical to the snapshot's last run (same tables, same manifest) is that run again (a
    rerun after a kill that came after the snapshot moved, or a forced rerun): it compares
    against that run's base, and the snapshot stays as it is, so changes.csv is the same
    however often, or wherever interrupted, the job ran.
    """
    current = json.loads(json.dumps(current))  # as read back from the file (tuples as lists)
    if snapshot is None:
        return None, {"run": current, "base": None}
    if snapshot["run"] == current:
        return snapshot["base"], snapshot
    return snapshot["run"], {"run": current, "base": snapshot["run"]}


def snapshot_text(snapshot: dict) -> str:
    return json.dumps(snapshot, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
