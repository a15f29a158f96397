"""The paper beside the deposit (docs/verification.md, "The paper"): the Table 1 and the statements
of section 1.2.2 that a run made, against the paper's published numbers as the verifying release
knows them (its own data/published/), in the same terms as the reproduction report: the verify
stage's comparison (verification.compare_with_published: within half a unit of the last published
decimal) and the claims stage's counts (claims.verdict, claims.build_claims), never recomputed
another way.

Made for each run the verification has: the deposited outputs, the rerun (the deposit's code) and
the verifying release's own code on the same data (the rerun itself when the code is the same). A
deposit whose data were changed together with its outputs reproduces itself; this is where it shows.
"""

import contextlib
import json
from pathlib import Path

import pandas as pd
import yaml

from upgrade_repro.deposit.manifest import path_problem
from upgrade_repro.deposit.release import release_root
from upgrade_repro.deposit.unpack import is_plain_file, read_small, yaml_size_ok
from upgrade_repro.registry import sha256

PUBLISHED = "data/published/table1.csv"
STATEMENTS = "data/published/section_1_2_2.yaml"
# What the verifier knows of the paper, shipped with the release (pyproject.toml's package data).
PAPER_FILES = (PUBLISHED, STATEMENTS)
TABLE1 = "results/tables/table1.csv"
INDICATORS = "results/data/indicators.csv"
# The claims stage's inputs a run makes (workflow/rules/claims.smk, rule claims).
RUN_FILES = {
    "raw_long": "results/data/raw_long.csv",
    "panel": "results/data/panel.csv",
    "sources": "results/data/panel_sources.csv",
    "indicators": INDICATORS,
    "table1": TABLE1,
    "province_means": "results/data/province_means.csv",
}


def _file(folder, rel, members: dict | None = None) -> Path | None:
    """folder/rel when it is a plain file inside `folder` (is_plain_file) and, given the deposit's
    `members`, one of them still with the SHA-256 it was unpacked with (a hard-linked file a rerun
    changed is not read); else None."""
    if rel is None or path_problem(str(rel)):
        return None
    full = Path(folder, rel)
    if not is_plain_file(full, str(rel)):
        return None
    if members is not None and (str(rel) not in members or sha256(full) != members[str(rel)]["sha256"]):
        return None
    return full


def table1_against_paper(folder) -> dict:
    """{n, n_pass, n_fail, all_pass, failed, rows} for the Table 1 in `folder` (a run's folder) against
    the release's published Table 1; {'error': ...} when the run has no readable Table 1."""
    from upgrade_repro.claims import verdict
    from upgrade_repro.verify import compare_with_published, read_published

    table1, indicators = _file(folder, TABLE1), _file(folder, INDICATORS)
    if table1 is None or indicators is None:
        return {"error": "no_table1"}
    try:
        checks = compare_with_published(
            pd.read_csv(table1),
            read_published(release_root() / PUBLISHED),
            pd.read_csv(indicators, dtype={"code": str}),
        )
    except Exception as error:  # noqa: BLE001 - a run's files are untrusted content: named, not raised
        return {"error": "unreadable", "detail": f"{type(error).__name__}: {error}"[:300]}
    rows = [
        {
            "variable": r.variable,
            "statistic": r.statistic,
            "published": float(r.published),
            "reproduced": None if pd.isna(r.reproduced) else float(r.reproduced),
            "passed": bool(r.within_tolerance),
        }
        for r in checks.itertuples()
    ]
    return {**verdict(rows, demo=False), "rows": rows}


def _config(folder) -> dict:
    """The run's configuration: its config.yaml with the release's schema defaults filled in."""
    from snakemake.utils import validate

    text = read_small(Path(folder, "config.yaml"))
    if not yaml_size_ok(text):
        raise ValueError("config.yaml: too large a YAML graph")
    config = yaml.safe_load(text) or {}
    config.pop("deposit", None)
    validate(config, str(release_root() / "workflow/schemas/config.schema.yaml"))
    return config


def statements_against_paper(folder, data_folder, members: dict, scratch, language: str) -> dict:
    """{n, holds, fails, unchecked, is_paper} for the statements of section 1.2.2 (the release's
    copy) checked on the run in `folder`, with the reference tables, registry and configuration of
    `data_folder` (the deposit's, its files as unpacked: `members`), by claims.build_claims, the
    comparison with the paper written to `scratch`; {'error': ...} when a file is missing, not plain,
    changed, or named by the configuration outside the folder (it is not opened)."""
    from upgrade_repro.claims import build_claims
    from upgrade_repro.verify import compare_with_published, read_published

    if _file(data_folder, "config.yaml", members) is None:
        return {"error": "outside"}
    try:
        config = _config(data_folder)
    except Exception as error:  # noqa: BLE001
        return {"error": "config", "detail": f"{type(error).__name__}: {error}"[:300]}
    named = {
        "regions": config.get("code_table") or "data/reference/provinces.csv",
        "aggregates": "data/reference/aggregates.csv",
        "registry": (config.get("registry") or {}).get("path"),
    }
    raw = [str(p) for p in config.get("raw", [])]
    paths = {k: _file(data_folder, v, members) for k, v in named.items()}
    runs = {k: _file(folder, v) for k, v in RUN_FILES.items()}
    if any(p is None for p in paths.values()) or any(_file(data_folder, r, members) is None for r in raw):
        return {"error": "outside"}
    if any(runs[k] is None for k in RUN_FILES if k != "province_means"):
        return {"error": "no_run_files"}
    try:
        checks = compare_with_published(
            pd.read_csv(runs["table1"]),
            read_published(release_root() / PUBLISHED),
            pd.read_csv(runs["indicators"], dtype={"code": str}),
        )
        Path(scratch).mkdir(parents=True, exist_ok=True)
        checks_file = Path(scratch, "table1_vs_paper.csv")
        checks.to_csv(checks_file, index=False)
        inputs = {
            **{k: str(v) for k, v in runs.items() if v is not None and k != "province_means"},
            **{k: str(v) for k, v in paths.items()},
            "checks": str(checks_file),
            "published": str(release_root() / PUBLISHED),
            "claims": str(release_root() / STATEMENTS),
            "province_means": [str(runs["province_means"])] if runs["province_means"] else [],
        }
        params = {
            "language": language,
            "raw": raw,
            "exclude_regions": config.get("exclude_regions", []),
            "share_denominator": config.get("share_denominator", "gdp"),
        }
        with contextlib.chdir(data_folder):  # raw files are registered by their path in the run's folder
            table = build_claims(inputs, params)
    except Exception as error:  # noqa: BLE001 - untrusted content: named, not raised
        return {"error": "unreadable", "detail": f"{type(error).__name__}: {error}"[:300]}
    statements = table[table["kind"] == "statement"]
    holds = statements["holds"].astype(str)
    sample = json.loads(table.loc[table["kind"] == "sample", "facts"].iloc[0])
    return {
        "n": len(statements),
        "holds": int((holds == "True").sum()),
        "fails": int((holds == "False").sum()),
        "unchecked": int((holds == "").sum()),
        "is_paper": bool(sample["is_paper"]),
    }


def paper_comparison(sides: dict, data_folder, members: dict, scratch, language: str) -> dict:
    """For each run in `sides` (name -> folder or None): table1 and statements against the paper;
    plus `differ`: whether the rerun and the release count or fail different numbers."""
    out = {}
    data_folder, scratch = Path(data_folder).resolve(), Path(scratch).resolve()  # build_claims runs in data_folder
    for name, folder in sides.items():
        if folder is None:
            continue
        folder = Path(folder).resolve()
        out[name] = {
            "table1": table1_against_paper(folder),
            "statements": statements_against_paper(folder, data_folder, members, Path(scratch) / name, language),
        }
    a, b = out.get("rerun", {}).get("table1", {}), out.get("release", {}).get("table1", {})
    out["differ"] = bool(a and b) and (a.get("n_pass"), a.get("failed")) != (b.get("n_pass"), b.get("failed"))
    out["published"] = PUBLISHED
    return out
