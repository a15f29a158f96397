"""The report's vintage section (report/vintage.{html,md}.j2): each raw file's data vintage and what
says so, which years come from which vintage and what config vintage.policy did with them, the
revision measured on the overlap (by series, by province and series, the figure per province) and
Table 1 under each choice side by side. Every number comes from the clean stage's files
(results/checks/vintages.csv, vintage_choice.json, vintage_revisions.csv, results/data/
panel_by_choice.csv) through upgrade_repro/vintage.py; every sentence is in the text catalogue
(upgrade_repro/texts.yaml, group vintage)."""

import pandas as pd

from upgrade_repro.describe import STATISTICS
from upgrade_repro.indicators import VARIABLES
from upgrade_repro.provenance import project_path
from upgrade_repro.series import VALUE_ADDED
from upgrade_repro.texts import texts
from upgrade_repro.vintage import (
    CHOICES,
    choice_note,
    is_known,
    label_text,
    panels_from_table,
    read_choice,
    revision_summary,
    table1_by_choice,
    year_ranges,
)

BASIS_KEYS = {"registry": "registry", "note": "note", "registry and note": "registry_and_note", "values": "values"}


def file_rows(vintages: pd.DataFrame, pairs: list[dict], language: str, root=".") -> list[dict]:
    """Each raw file: its path (project-relative), vintage in `language`, the key of its evidence
    (vintage.report.basis.*), the revision note's line, and its comparisons with the other files
    giving common cells (the clean stage's compare_files)."""
    rows = []
    for f in vintages.to_dict("records"):
        compared = []
        for p in pairs:
            if f["file"] not in (p["file_a"], p["file_b"]):
                continue
            first = p["file_a"] == f["file"]
            other = p["file_b"] if first else p["file_a"]
            median = p["median_pct"] if p["median_pct"] is not None else float("nan")
            compared.append(
                {
                    "other": project_path(other, root),
                    "cells": p["cells"],
                    "beyond": p["beyond"],
                    "agree": p["agree"],
                    # of this file against the other (compare_files gives file_b against file_a)
                    "median_pct": -median if first else median,
                }
            )
        line = f["note_line"]
        rows.append(
            {
                "path": project_path(f["file"], root),
                "vintage": label_text(f["vintage"], language),
                "known": is_known(f["vintage"]),
                "basis": BASIS_KEYS.get(f["basis"], "none"),
                "note_line": int(float(line)) if str(line) not in ("", "nan", "<NA>") else None,
                "compared": compared,
            }
        )
    return rows


def year_rows(record: dict, language: str) -> list[dict]:
    """Which years come from which vintage under the run's policy: per vintage (as published, or
    the older vintage of a link), the sample years, the provinces and the treatment."""
    dash = texts(language, "vintage.note")["dash"]
    assignment = pd.DataFrame(record["assignment"], columns=["code", "year", "vintage"]).dropna(subset=["vintage"])
    link = pd.DataFrame(record["link"])
    rows = []
    for label, g in assignment.groupby("vintage", sort=False):
        linked = link[link["older"] == label] if len(link) else link
        rows.append(
            {
                "vintage": label_text(label, language),
                "years": year_ranges(g["year"], dash),
                "provinces": g["code"].nunique(),
                "treatment": "linked" if record["policy"] == "link" and len(linked) else "as_published",
                "newer": label_text(linked["newer"].iloc[0], language) if len(linked) else "",
                "link_year": int(linked["link_year"].iloc[0]) if len(linked) else None,
                "first": int(g["year"].min()),
            }
        )
    return sorted(rows, key=lambda r: r["first"])


def revision_blocks(rev: pd.DataFrame, names: dict, language: str) -> list[dict]:
    """The revision on the overlap, per pair of vintages: by series (cells, median, mean, largest
    with its province and year, beyond rounding) and by province and series (median, largest and
    its year); vintage.revision_summary."""
    dash = texts(language, "vintage.note")["dash"]
    series_names = texts(language, "vintage.series")
    blocks = []
    for (older, newer), part in rev.groupby(["older", "newer"], sort=False):
        summary = revision_summary(part, by=("indicator",))
        by_series = [
            {
                "series": series_names[s.indicator],
                "years": year_ranges(part.loc[part["indicator"] == s.indicator, "year"], dash),
                "cells": s.cells,
                "median": s.median_pct,
                "mean": s.mean_pct,
                "largest": s.largest_pct,
                "where": f"{names.get(s.largest_code, s.largest_code)} {s.largest_year}",
                "beyond": s.beyond,
            }
            for s in summary.itertuples()
        ]
        cells = revision_summary(part, by=("code", "indicator")).set_index(["code", "indicator"])
        series = [s for s in VALUE_ADDED if s in set(part["indicator"])]
        by_province = []
        for code in sorted(part["code"].unique()):
            row = {"province": names.get(code, code), "code": code, "cells": []}
            for s in series:
                if (code, s) in cells.index:
                    c = cells.loc[(code, s)]
                    row["cells"].append(
                        {"median": c["median_pct"], "largest": c["largest_pct"], "year": int(c["largest_year"])}
                    )
                else:
                    row["cells"].append(None)
            by_province.append(row)
        blocks.append(
            {
                "older": label_text(older, language),
                "newer": label_text(newer, language),
                "by_series": by_series,
                "series": [series_names[s] for s in series],
                "by_province": by_province,
            }
        )
    return blocks


def table1_rows(panels: pd.DataFrame, record: dict, share_denominator: str, language: str) -> dict:
    """Table 1 under each choice side by side (vintage.table1_by_choice of the clean stage's
    panels), the run's choice marked, the reason of each choice that is not possible."""
    by_choice = panels_from_table(panels, record["choices"])
    table = table1_by_choice(by_choice, share_denominator)
    heads = texts(language, "tables.table1.heads")
    choices = [c for c in CHOICES if c in by_choice]
    rows = [
        {"variable": r["variable"], "statistic": heads[r["statistic"]], "is_n": r["statistic"] == "n"}
        | {"cells": [None if pd.isna(r[c]) else float(r[c]) for c in choices]}
        for r in table.to_dict("records")
        if r["variable"] in VARIABLES and r["statistic"] in STATISTICS
    ]
    return {
        "choices": [
            {"key": c, "chosen": c == record["policy"], "reason": table.attrs["reasons"].get(c, "")} for c in choices
        ],
        "rows": rows,
    }


def vintage_section(inputs: dict, params: dict, names: dict, language: str, figure=None) -> dict:
    """What the vintage section and the report's first lines show (module docstring). `figure`:
    the revision figure as the report embeds it (report.report_item), when the run drew one."""
    root = params["project_root"]
    vintages = pd.read_csv(inputs["vintages"], dtype=str, keep_default_na=False)
    resolution, record = read_choice(inputs["vintage_choice"])
    rev = pd.read_csv(inputs["vintage_revisions"], dtype={"code": str})
    sources = pd.read_csv(inputs["panel_sources"], dtype={"code": str, "vintage": str}, keep_default_na=False)
    used = [v for v in pd.unique(sources["vintage"]) if is_known(v)]
    section = {
        "registry_file": project_path(params["config"]["registry"]["path"], root),
        "files": file_rows(vintages, record["pairs"], language, root),
        "any_unknown": not all(is_known(v) for v in vintages["vintage"]),
        "across": record["across"],
        "policy": record["policy"],
        "note": choice_note(resolution, language),
        "sample_vintages": [label_text(v, language) for v in used],
        "years": [],
        "seam_years": [],
        "dropped": [],
        "revisions": [],
        "table1": None,
        "figure": figure,
    }
    if record["across"]:
        dash = texts(language, "vintage.note")["dash"]
        series_names = texts(language, "vintage.series")
        separator = texts(language, "vintage.note")["list"]
        section["years"] = year_rows(record, language)
        section["seam_years"] = sorted({int(s["year"]) for s in record["seams"]})
        section["dropped"] = [
            {
                "path": project_path(d["file"], root),
                "vintage": label_text(d["vintage"], language),
                "series": separator.join(series_names[x] for x in str(d["series"]).split(", ")),
                "years": str(d["years"]).replace("-", dash),  # year_ranges' text
                "rows": d["rows"],
            }
            for d in record["dropped"]
        ]
        section["revisions"] = revision_blocks(rev, names, language)
        section["table1"] = table1_rows(
            pd.read_csv(inputs["panel_by_choice"], dtype={"code": str}), record, params["share_denominator"], language
        )
    return section
