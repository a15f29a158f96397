"""Data vintages of the raw extracts, and what a panel joining two of them does (issue 28).

The statistics bureau revises its provincial accounts after each economic census (the 4th: 2018,
revisions published 2019-2020; the 5th: 2023, revisions of 1992-2023 published 2025): the same
province-year then has a first-published figure (the paper's vintage) and one or more revised
figures, several per cent apart. A panel whose years come from two vintages has a break at the seam
that every trend reads as change. This module is the whole logic; the stages only call it.

1. Each file's vintage (`file_vintages`), a canonical label

       "first published"                          (FIRST_PUBLISHED; order 0)
       "revised after the fifth economic census"  (census_label(n); order n)
       "revised (release not named)"              (REVISED_UNNAMED; newer than first published)
       "unknown"                                   (UNKNOWN: nothing says; never stops a run)

   from, in this order: the registry's `vintage` column (data/raw/versions.csv, the file's row or a
   row with its SHA-256: registry.raw_vintages), read by `vintage_from_text`; a revision note in the
   file (`revision_notes`: the bureau's census-revision wording in its variants, e.g. 在第五次全国
   经济普查后，对……历史数据进行了系统修订 / 根据第四次全国经济普查结果修订 / 数据已修订 / revised after the
   fourth national economic census; not a note on preliminary figures that "may be revised");
   and the values where two files give the same province-year and series (`compare_files`): a
   file without registry row or note takes the vintage of a labelled file it agrees with on every
   common cell within rounding, and is "revised (release not named)" where more than half of at
   least MIN_SYSTEMATIC_CELLS common cells differ from a first-published file beyond rounding.
   "Beyond rounding" (`rounding_bounds`) comes from each cell's precision: a published level is
   exact to half a unit of its last decimal (0.05 for 38503.6); a level computed from a share of
   GDP (the composition layout, readers: GDP x share / 100, `indicator_raw` holding the "x") to
   half a unit of the share's last decimal (0.05 point for 15.8 %) times GDP. Two values differ
   beyond rounding when |a - b| exceeds the sum of their bounds. A registry row and a note that
   name different vintages stop the run (VintageConflictError: correct the registry row).

2. Seams (`find_seams`): from the panel's source of every cell (code, year, indicator, source, as
   clean writes results/data/panel_sources.csv) and the files' vintages: the years at which a
   province's series passes from one known vintage to another, with the files on each side. The
   revision on the overlap (`revisions`, summarised by `revision_summary`): each cell both
   vintages give, as 100 x (newer / older - 1) %, summarised by province and series, by series
   and by series and year (n, median, largest in absolute value with its province and year).
   `stop_message` is the short message of the stop.

3. The choices (`resolve_vintages`, config `vintage.policy`; POLICIES). A sample is "across
   vintages" when files of two known vintages give value added (gdp, primary, secondary,
   tertiary) in the sample's years; otherwise (one known vintage, with or without files of
   unknown vintage) the long table is returned unchanged whatever the policy, so a same-vintage
   update runs exactly as before. Across vintages:

   - stop (default): VintageConflictError with `stop_message`.
   - first_published: only first-published files (the paper's figures); revised files left out
     (logged, listed in Resolution.dropped). Every sample year must be covered completely.
   - latest: only the newest known vintage, for every year; every sample year must be covered
     completely (else the message names the years and series the newest vintage lacks).
   - link: each province-year from the newest vintage that gives all four series for it; the
     other province-years (older vintage V) are linked to the newest vintage N at the link year
     Y (`vintage.link_year`; default the latest year in which both give all four series for every
     province), per province p, by linking the shares and taking GDP from N where N gives it:

         share_i(t)   = V_i(t) / V_gdp(t)                          i = primary, secondary, tertiary
         rho_i        = [N_i(Y) / N_gdp(Y)] / [V_i(Y) / V_gdp(Y)]  (the revision of the share at Y)
         s*_i(t)      = share_i(t) rho_i / sum_j share_j(t) rho_j  (linked shares, summing to one)
         GDP*(t)      = N_gdp(t) where N gives GDP for (p, t), else V_gdp(t) N_gdp(Y) / V_gdp(Y)
         X*_i(t)      = s*_i(t) GDP*(t)

     Linking the levels by their own ratios X_i(t) N_i(Y) / V_i(Y) and scaling the three to sum to
     GDP* (pro rata) gives the same X*_i: the two ways of the issue are one here. The sectors sum
     to GDP* exactly, so the clean stage's adding-up check (checks.sector_sum_tolerance_pct)
     passes on every linked province-year, and the ratios do not depend on GDP*: upgrade*(t) =
     upgrade(t) rho_tertiary / rho_secondary, service*(t) = s*_tertiary(t), cyig*(t) = sum_k k s*_k(t).
     At Y the linked values equal N's shares exactly: the break is gone at the seam by construction.
   - splice: each province-year from the newest vintage that gives all four series for it, as
     published (a cell no vintage gives completely: from the newest vintage that gives it). Asked
     for on purpose only; Resolution.seams then names the seams, and `choice_note` the sentence
     every output using the panel shows (Table 1's note, the report's first lines, the change log).

   Series other than value added (employment) are not resolved by vintage: their rows pass through.
   Within one vintage, two files giving one cell differently are left to the clean stage's
   merge_sources (config vintage.winner), as before; the link, which needs one value per cell,
   takes the winner's value or stops naming the cells (VintageConflictError).

4. What the choice does to Table 1 (`panels_by_choice`, `table1_by_choice`): the panel under each
   choice (built by the caller's own function from the resolved long table) and Table 1 (N, mean,
   sd, min, max of upgrade, service, cyig: indicators.compute_indicators, descriptive.describe)
   side by side, with the reason where a choice is not possible.

User-visible texts of the outputs (the vintages' names, the choice notes) are in the text catalogue
(upgrade_repro/texts.yaml, group vintage); error messages are in English like every other error of
the workflow.

API, by stage (the scripts only call them):
    ingest:  notes_table(raw paths) -> file, line, text, vintage of every revision note
             (revision_notes(path), find_revision_notes(lines), revision_note_vintage(text))
    clean:   (clean.clean_stage) file_vintages(files, registry texts, notes, long, pairs) -> each
             file's vintage and evidence; resolve_vintages(long, vintages, policy, link_year, years,
             winner, names) -> Resolution (.long for merge_sources; .vintages, .revisions,
             .assignment, .seams, .link, .cells, .dropped, .spliced), or the stop
             (VintageConflictError) / ConfigError; panels_by_choice(long, vintages, build_panel,
             years, link_year, winner); cell_treatments (each panel cell's vintage and treatment);
             choice_record / choice_record_text (results/checks/vintage_choice.json), panels_table
             (results/data/panel_by_choice.csv)
    outputs: read_choice(path), vintage_note(path, language) (Table 1's note, the change log),
             choice_note(resolution, language); the report (report_vintage.py): revisions /
             revision_summary (per series, per province and series), panels_from_table,
             table1_by_choice(panels, share_denominator), find_seams(panel_sources, vintages)
    labels:  vintage_from_text, census_label, label_order, label_text, is_known; rounding_bounds,
             overlap_cells, compare_files; link_years, link_factors; choice_outcomes, stop_message,
             not_possible, year_ranges (also the clean stage's), SAME_VALUE_RTOL (merge_sources')
"""

import json
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from upgrade_repro.describe import STATISTICS, describe
from upgrade_repro.errors import ConfigError, InputError, VintageConflictError
from upgrade_repro.indicators import VARIABLES, compute_indicators
from upgrade_repro.ingest.sheets import load_sheet
from upgrade_repro.series import VALUE_ADDED
from upgrade_repro.texts import texts

logger = logging.getLogger(__name__)

FIRST_PUBLISHED = "first published"
REVISED_UNNAMED = "revised (release not named)"
UNKNOWN = "unknown"
POLICIES = ("stop", "first_published", "latest", "link", "splice")
CHOICES = POLICIES[1:]  # the policies that build a panel (Table 1 side by side)
SECTORS = VALUE_ADDED[1:]
KEY = ["code", "year", "indicator"]

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth"}
_ORDINAL_NUMBERS = {word: n for n, word in ORDINALS.items()}
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# More than this share of at least MIN_SYSTEMATIC_CELLS common cells beyond rounding: two files
# differ systematically (a revision), not by a corrected cell or two.
SYSTEMATIC_SHARE = 0.5
MIN_SYSTEMATIC_CELLS = 4
# Two files of one vintage give one cell alike when they differ by less than this (relative), as
# in the clean stage's merge_sources (SAME_VALUE_RTOL there).
SAME_VALUE_RTOL = 5e-4
MAX_DECIMALS = 8  # a value with more decimals is computed, not published
DERIVED_MARK = "×"  # in indicator_raw of a level computed from a share (readers' composition layout)
NOTE_TEXT_CHARS = 120  # a note quoted in the evidence

# The vintages' names (label_text) and the choice notes (choice_note) in each language: the text
# catalogue's group "vintage" (upgrade_repro/texts.yaml), keys vintage.label.* and vintage.note.*.
LABEL_KEYS = {FIRST_PUBLISHED: "first_published", REVISED_UNNAMED: "revised_unnamed", UNKNOWN: "unknown"}

_ZH_CENSUS_NUMERALS = "零一二三四五六七八九十"


# ---------------------------------------------------------------- labels
def census_label(n: int) -> str:
    """'revised after the fifth economic census' for n = 5."""
    return f"revised after the {ORDINALS.get(n, f'{n}th')} economic census"


_CENSUS_LABEL = re.compile(r"revised after the (\w+) economic census")


def label_order(label: str) -> int | None:
    """0 for first published, n for the revision after the n-th census; None for a revision whose
    census is not named and for unknown (no order)."""
    if label == FIRST_PUBLISHED:
        return 0
    m = _CENSUS_LABEL.fullmatch(label or "")
    if m:
        word = m.group(1)
        return _ORDINAL_NUMBERS.get(word, int(word[:-2]) if word[:-2].isdigit() else None)
    return None


def is_known(label: str) -> bool:
    return label not in (None, "", UNKNOWN)


def label_text(label: str, language: str) -> str:
    """A label in `language` (the catalogue's vintage.label.*); a label of no known form as is."""
    words = texts(language, "vintage.label")
    n = label_order(label)
    if label in LABEL_KEYS:
        return words[LABEL_KEYS[label]]
    if n:
        return words["census"].format(n=_ZH_CENSUS_NUMERALS[n] if n <= 10 else n, ordinal=ORDINALS.get(n, f"{n}th"))
    return label


def _newer(a: str, b: str) -> bool | None:
    """Whether vintage a is newer than b; None when the two cannot be ordered."""
    oa, ob = label_order(a), label_order(b)
    if a == b:
        return False
    if oa is not None and ob is not None:
        return oa > ob
    if a == REVISED_UNNAMED and ob == 0:
        return True
    if b == REVISED_UNNAMED and oa == 0:
        return False
    return None


_ZH_CENSUS = re.compile(r"第\s*([一二三四五六七八九十]+|\d+)\s*次\s*(?:全国)?\s*经济普查")
_EN_CENSUS = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|\d+(?:st|nd|rd|th))\s+(?:national\s+)?economic\s+census",
    re.IGNORECASE,
)


def _zh_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _ZH_DIGITS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return 10 * _ZH_DIGITS[tens] + (_ZH_DIGITS[ones] if ones else 0)
    return _ZH_DIGITS[text]


def census_number(text: str) -> int | None:
    """The economic census a text names (第五次全国经济普查, 'fourth national economic census',
    '5th economic census'), or None."""
    m = _ZH_CENSUS.search(text)
    if m:
        return _zh_number(m.group(1))
    m = _EN_CENSUS.search(text)
    if m:
        word = m.group(1).lower()
        return _ORDINAL_NUMBERS.get(word) or int(re.match(r"\d+", word).group())
    return None


_FIRST_WORDS = re.compile(
    r"first[\s-]+published|as\s+first\s+released|初次公布|首次公布|初次发布|首次发布", re.IGNORECASE
)


def vintage_from_text(text) -> str | None:
    """A canonical label from a free text such as the registry's vintage column ('first published
    in the following year's China Statistical Yearbook' -> first published, 'revised after the
    5th economic census (2025)' -> revised after the fifth economic census, 'revised' ->
    revised (release not named)); None when the text names no known release ('demo', '')."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    text = unicodedata.normalize("NFKC", str(text))
    if _FIRST_WORDS.search(text):
        return FIRST_PUBLISHED
    n = census_number(text)
    revised = re.search(r"revis|修订|修正|调整", text, re.IGNORECASE)
    if n and (revised or "census" in text.lower() or "普查" in text):
        return census_label(n)
    if revised:
        return REVISED_UNNAMED
    return None


# ---------------------------------------------------------------- revision notes
# A revision verb (修订制度, the revision *system* the NBS note also names, is not one), data revised
# in the past rather than figures that may be revised later.
_ZH_VERB = re.compile(r"修订(?!制度)|修正")
_ZH_CENSUS_VERB = re.compile(r"修订(?!制度)|修正|调整")
_ZH_FUTURE = re.compile(r"将|可能|拟|待|今后|会有|会对|会进行|以后")
_ZH_DONE = re.compile(r"已|了|后|过")
_EN_VERB = re.compile(r"\brevis(?:ed|ion|ions)\b", re.IGNORECASE)
_EN_FUTURE = re.compile(
    r"\b(?:may|might|will|would|could|to)\s+be\s+revised|subject\s+to\s+revision|preliminary", re.IGNORECASE
)
_EN_DONE = re.compile(
    r"\b(?:have|has|had|were|was|been)\s+(?:\w+\s+)?revised|\brevised\s+(?:after|according|following|on|in|to|with|"
    r"based|data|figures|series)\b|\bafter\s+(?:the\s+)?revision",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[,，;；。.!?！？]")


def _zh_revision(text: str) -> bool:
    """A clause holding a revision verb, no word of the future, and a census or a word of the past."""
    for clause in _CLAUSE.split(text):
        if not _ZH_CENSUS_VERB.search(clause) or _ZH_FUTURE.search(clause):
            continue
        census = "普查" in text
        if (_ZH_VERB.search(clause) and (census or _ZH_DONE.search(clause))) or (census and "调整" in clause):
            return True
    return False


def revision_note_vintage(text: str) -> str | None:
    """The vintage a note line states, or None when it states no revision: a census revision
    (第五次全国经济普查后……进行了系统修订, 根据第四次全国经济普查结果修订, 'revised after the fourth national
    economic census') gives census_label(n); a revision without census (数据已修订, 修订后数据,
    'data have been revised') gives REVISED_UNNAMED. Not a revision: preliminary figures that may be
    revised (今后可能会有修订, 'subject to revision'), a census year (2018年为第四次全国经济普查年度), a
    boundary change (行政区划调整), the revision system (修订制度) alone, a source or copyright line."""
    text = unicodedata.normalize("NFKC", str(text))
    zh = _zh_revision(text)
    en = bool(_EN_VERB.search(text)) and not _EN_FUTURE.search(text) and bool(_EN_DONE.search(text))
    if not (zh or en):
        return None
    n = census_number(text)
    return census_label(n) if n else REVISED_UNNAMED


def find_revision_notes(lines) -> list[dict]:
    """The revision notes among (line number, text) pairs: one dict per note, with line, text and
    vintage (revision_note_vintage)."""
    found = []
    for line, text in lines:
        vintage = revision_note_vintage(text)
        if vintage:
            found.append({"line": int(line), "text": str(text).strip(), "vintage": vintage})
    return found


_KEYWORDS = re.compile(r"修订|修正|调整|revis", re.IGNORECASE)


def revision_notes(path) -> list[dict]:
    """The revision notes of a raw file (any container the readers open: text in any of their
    encodings, xlsx/xls, .dta): every line whose cells, joined by commas, state a revision
    (find_revision_notes). A note's line is the file's line (row, observation), as in the readers'
    messages."""
    path = Path(path)
    cells = load_sheet(path, path.as_posix()).cells
    texts = {c: cells[c].map(lambda x: x if isinstance(x, str) else "") for c in cells.columns}
    hit = pd.concat([t.str.contains(_KEYWORDS) for t in texts.values()], axis=1).any(axis=1)
    joined = [",".join(t[line] for t in texts.values() if t[line]) for line in cells.index[hit]]
    return find_revision_notes(zip(cells.index[hit], joined))


def notes_table(paths) -> pd.DataFrame:
    """Every revision note of the raw files (columns file, line, text, vintage), for the ingest
    stage to write beside the long table (the clean stage reads notes from it, not the files)."""
    rows = [{"file": Path(p).as_posix(), **note} for p in paths for note in revision_notes(p)]
    return pd.DataFrame(rows, columns=["file", "line", "text", "vintage"])


# ---------------------------------------------------------------- precision and overlaps
def _decimals(values: np.ndarray) -> np.ndarray:
    """The fewest decimals that write each value (fp noise aside): 38503.6 -> 1, 37767.0 -> 0."""
    values = np.asarray(values, dtype="float64")
    out = np.full(len(values), MAX_DECIMALS, dtype="int64")
    scale = np.maximum(np.abs(values), 1.0)
    for k in range(MAX_DECIMALS, -1, -1):
        exact = np.abs(np.round(values, k) - values) <= 1e-9 * scale
        out = np.where(exact, k, out)
    return out


def rounding_bounds(long: pd.DataFrame) -> pd.Series:
    """Half a unit of the last decimal of each value, in the value's unit (the long table after
    unit conversion: code, year, indicator, indicator_raw, source, value): a value written as
    38503.6 is exact to 0.05. A level computed from a share of GDP (indicator_raw with DERIVED_MARK)
    is exact to half a unit of the share's last decimal times GDP, plus the share times GDP's own
    bound: 15.8 % of 36102.55 to 0.0005 x 36102.55 + 0.158 x 0.005. A value written with a trailing
    zero (37767.0) reads as fewer decimals: its bound is then wider, never narrower."""
    values = long["value"].to_numpy(dtype="float64")
    bound = 0.5 * 10.0 ** -_decimals(values)
    derived = long["indicator_raw"].astype(str).str.contains(DERIVED_MARK, regex=False).to_numpy()
    if derived.any():
        gdp = long[long["indicator"] == "gdp"].drop_duplicates(["source", "code", "year"])
        gdp = gdp.set_index(["source", "code", "year"])["value"]
        rows = long[derived]
        base = gdp.reindex(pd.MultiIndex.from_frame(rows[["source", "code", "year"]])).to_numpy()
        share = 100 * rows["value"].to_numpy(dtype="float64") / base
        base_bound = 0.5 * 10.0 ** -_decimals(base)
        bound[derived] = 0.5 * 10.0 ** -_decimals(share) / 100 * base + share / 100 * base_bound
    return pd.Series(bound, index=long.index)


def _file_order(long: pd.DataFrame) -> dict[str, int]:
    return {s: i for i, s in enumerate(pd.unique(long["source"]))}


def overlap_cells(long: pd.DataFrame, series=VALUE_ADDED) -> pd.DataFrame:
    """Every cell (code, year, indicator) that two files both give (non-missing), one row per pair
    of files in config order (file_a before file_b): value_a, value_b, pct = 100 (value_b / value_a
    - 1), bound (the sum of the two rounding bounds) and beyond (|value_b - value_a| > bound)."""
    rows = long[long["indicator"].isin(list(series)) & long["value"].notna()].copy()
    rows["bound"] = rounding_bounds(rows)
    order = _file_order(long)
    rows["rank"] = rows["source"].map(order)
    keep = [*KEY, "source", "rank", "value", "bound"]
    pairs = rows[keep].merge(rows[keep], on=KEY, suffixes=("_a", "_b"))
    pairs = pairs[pairs["rank_a"] < pairs["rank_b"]]
    out = pd.DataFrame(
        {
            "file_a": pairs["source_a"],
            "file_b": pairs["source_b"],
            **{k: pairs[k] for k in KEY},
            "value_a": pairs["value_a"],
            "value_b": pairs["value_b"],
            "pct": 100 * (pairs["value_b"] / pairs["value_a"] - 1),
            "bound": pairs["bound_a"] + pairs["bound_b"],
        }
    )
    scale = np.maximum(out["value_a"].abs(), out["value_b"].abs())
    out["beyond"] = (out["value_b"] - out["value_a"]).abs() > out["bound"] + 1e-9 * scale
    return out.sort_values(["file_a", "file_b", *KEY]).reset_index(drop=True)


def compare_files(cells: pd.DataFrame) -> pd.DataFrame:
    """Per pair of files (overlap_cells): common cells, cells beyond rounding, their share, the
    median % difference, and whether the two differ systematically (more than SYSTEMATIC_SHARE of
    at least MIN_SYSTEMATIC_CELLS cells beyond rounding) or agree (none beyond)."""
    columns = ["file_a", "file_b", "cells", "beyond", "share_beyond", "median_pct", "systematic", "agree"]
    if cells.empty:
        return pd.DataFrame(columns=columns)
    g = cells.groupby(["file_a", "file_b"], sort=False)
    out = g.agg(cells=("pct", "size"), beyond=("beyond", "sum"), median_pct=("pct", "median")).reset_index()
    out["share_beyond"] = out["beyond"] / out["cells"]
    out["systematic"] = (out["cells"] >= MIN_SYSTEMATIC_CELLS) & (out["share_beyond"] > SYSTEMATIC_SHARE)
    out["agree"] = out["beyond"] == 0
    return out[columns]


# ---------------------------------------------------------------- each file's vintage
VINTAGE_COLUMNS = ["file", "vintage", "basis", "registry", "note_line", "note", "values", "evidence"]


def _pair_text(row, other: str, sign: int) -> str:
    """The values' evidence of one pair of files (compare_files), seen from one of them (`sign`:
    -1 when `other` is the later file: the median is then of this file against the other)."""
    if row.agree:
        return f"agrees with {other} on {row.cells} common cell(s) within rounding"
    return (
        f"differs from {other} beyond rounding in {row.beyond} of {row.cells} common cell(s) "
        f"(median {sign * row.median_pct:+.2f} %)"
    )


def file_vintages(files, registry: dict, notes, long: pd.DataFrame, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each raw file's vintage with its evidence (columns VINTAGE_COLUMNS; one row per file in
    `files`' order). `registry`: file -> the registry's vintage text or None (registry.raw_vintages);
    `notes`: notes_table() or a dict file -> list of revision notes; `long`: the long table (unit
    converted, region codes mapped), for the values. basis is registry, note, registry and note,
    values or none; `pairs`: compare_files of `long` (computed here when not given). A registry
    row and a note naming different vintages stop (VintageConflictError, naming the file, the
    note's line and what to do)."""
    files = [Path(f).as_posix() for f in files]
    if isinstance(notes, pd.DataFrame):
        notes = {f: g.to_dict("records") for f, g in notes.groupby("file")}
    notes = notes or {}
    rows = {}
    for f in files:
        text = registry.get(f)
        by_registry = vintage_from_text(text)
        # several revision notes: the newest release they name (then the first line)
        file_notes = sorted(notes.get(f, []), key=lambda n: (-(label_order(n["vintage"]) or 0), n["line"]))
        note = file_notes[0] if file_notes else None
        by_note = note["vintage"] if note else None
        if by_registry and by_note and _conflicting(by_registry, by_note):
            raise VintageConflictError(
                f"the registry gives this file's vintage as {text!r} ({by_registry}), but its note says "
                f"{by_note}: {note['text'][:NOTE_TEXT_CHARS]!r}. Correct the file's vintage in the registry "
                f"(config registry.path), or check that the file is the one registered",
                file=f,
                where=f"line {note['line']}",
            )
        label = by_registry if by_registry and by_registry != REVISED_UNNAMED else by_note or by_registry
        basis = " and ".join(b for b, v in (("registry", by_registry), ("note", by_note)) if v) or "none"
        rows[f] = {
            "file": f,
            "vintage": label or UNKNOWN,
            "basis": basis,
            "registry": "" if text is None else str(text),
            "note_line": note["line"] if note else None,
            "note": note["text"][:NOTE_TEXT_CHARS] if note else "",
            "values": "",
        }
    if pairs is None:  # the clean stage passes them (it also writes them)
        pairs = compare_files(overlap_cells(long[long["source"].isin(files)]))
    _vintages_from_values(rows, pairs)
    for r in pairs.itertuples():
        rows[r.file_a]["values"] += ("; " if rows[r.file_a]["values"] else "") + _pair_text(r, r.file_b, -1)
        rows[r.file_b]["values"] += ("; " if rows[r.file_b]["values"] else "") + _pair_text(r, r.file_a, 1)
    out = pd.DataFrame([rows[f] for f in files], columns=VINTAGE_COLUMNS[:-1])
    out["note_line"] = out["note_line"].astype("Int64")
    out["evidence"] = [_evidence(r) for r in out.itertuples()]
    return out


def _conflicting(a: str, b: str) -> bool:
    """Two labels that cannot both be true (an unnamed revision fits any named one)."""
    if a == b or REVISED_UNNAMED in (a, b) and FIRST_PUBLISHED not in (a, b):
        return False
    return True


def _vintages_from_values(rows: dict, pairs: pd.DataFrame) -> None:
    """Files of unknown vintage take one from the values (module docstring, 1.), repeated until
    nothing changes (a file labelled so may label another)."""
    changed = True
    while changed:
        changed = False
        for f, row in rows.items():
            if row["vintage"] != UNKNOWN:
                continue
            for r in pairs[(pairs["file_a"] == f) | (pairs["file_b"] == f)].itertuples():
                other = r.file_b if r.file_a == f else r.file_a
                label = rows[other]["vintage"] if other in rows else UNKNOWN
                if not is_known(label):
                    continue
                if r.agree:
                    found = label
                elif r.systematic and label == FIRST_PUBLISHED:
                    found = REVISED_UNNAMED
                else:
                    continue
                row.update(vintage=found, basis="values")
                changed = True
                break


def _evidence(r) -> str:
    parts = []
    if r.registry:
        parts.append(f"registry: {r.registry}")
    if r.note:
        parts.append(f"note, line {r.note_line}: {r.note}")
    if r.values:
        parts.append(f"values: {r.values}")
    return "; ".join(parts) or "no registry row, no revision note, no common cells with another file"


# ---------------------------------------------------------------- revisions on the overlap
REVISION_COLUMNS = [
    "code",
    "region",
    "year",
    "indicator",
    "older",
    "newer",
    "older_file",
    "newer_file",
    "value_older",
    "value_newer",
    "pct",
    "beyond",
]


def _labels(long: pd.DataFrame, vintages: pd.DataFrame) -> pd.Series:
    return long["source"].map(dict(zip(vintages["file"], vintages["vintage"]))).fillna(UNKNOWN)


def _vintage_values(long: pd.DataFrame, labels: pd.Series, label: str, series=VALUE_ADDED) -> pd.DataFrame:
    """One row per cell of `label`'s files (non-missing value added), the first file in config order."""
    rows = long[(labels == label) & long["indicator"].isin(list(series)) & long["value"].notna()]
    return rows.drop_duplicates(KEY, keep="first")


def revisions(long: pd.DataFrame, vintages: pd.DataFrame) -> pd.DataFrame:
    """Every cell two known, ordered vintages both give, older against newer (REVISION_COLUMNS):
    pct = 100 (newer / older - 1); beyond: the difference exceeds the two values' rounding bounds.
    One value per vintage and cell (the first file in config order)."""
    labels = _labels(long, vintages)
    known = [v for v in pd.unique(labels) if is_known(v)]
    frames = []
    for a in known:
        for b in known:
            if _newer(b, a) is not True:
                continue
            old, new = _vintage_values(long, labels, a), _vintage_values(long, labels, b)
            both = old.merge(new, on=KEY, suffixes=("_o", "_n"))
            if both.empty:
                continue
            bound_o = rounding_bounds(old).set_axis(pd.MultiIndex.from_frame(old[KEY]))
            bound_n = rounding_bounds(new).set_axis(pd.MultiIndex.from_frame(new[KEY]))
            index = pd.MultiIndex.from_frame(both[KEY])
            bound = bound_o.reindex(index).to_numpy() + bound_n.reindex(index).to_numpy()
            diff = (both["value_n"] - both["value_o"]).abs().to_numpy()
            frames.append(
                pd.DataFrame(
                    {
                        "code": both["code"],
                        "region": both["region_o"],
                        "year": both["year"],
                        "indicator": both["indicator"],
                        "older": a,
                        "newer": b,
                        "older_file": both["source_o"],
                        "newer_file": both["source_n"],
                        "value_older": both["value_o"],
                        "value_newer": both["value_n"],
                        "pct": 100 * (both["value_n"] / both["value_o"] - 1),
                        "beyond": diff > bound + 1e-9 * np.maximum(both["value_o"].abs(), both["value_n"].abs()),
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=REVISION_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["indicator"] = pd.Categorical(out["indicator"], VALUE_ADDED, ordered=True)
    out = out.sort_values(["older", "newer", "indicator", "code", "year"]).reset_index(drop=True)
    out["indicator"] = out["indicator"].astype(str)
    return out[REVISION_COLUMNS]


def revision_summary(rev: pd.DataFrame, by=("indicator",)) -> pd.DataFrame:
    """The revision summarised over groups `by` (a list of REVISION_COLUMNS, e.g. indicator; code
    and indicator; indicator and year): cells, median %, mean %, largest % (signed, largest in
    absolute value) with its code, region and year, and the cells beyond rounding."""
    by = ["older", "newer", *by]
    columns = [*by, "cells", "median_pct", "mean_pct", "largest_pct", "largest_code", "largest_region", "largest_year"]
    if rev.empty:
        return pd.DataFrame(columns=[*columns, "beyond"])
    rows = []
    for key, g in rev.groupby(by, sort=False):
        top = g.loc[g["pct"].abs().idxmax()]
        rows.append(
            {
                **dict(zip(by, key)),
                "cells": len(g),
                "median_pct": float(g["pct"].median()),
                "mean_pct": float(g["pct"].mean()),
                "largest_pct": float(top["pct"]),
                "largest_code": top["code"],
                "largest_region": top["region"],
                "largest_year": int(top["year"]),
                "beyond": int(g["beyond"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=[*columns, "beyond"])


# ---------------------------------------------------------------- seams
SEAM_COLUMNS = ["year", "kind", "from_vintage", "to_vintage", "provinces", "codes", "series", "from_files", "to_files"]


def find_seams(sources: pd.DataFrame, vintages: pd.DataFrame | None = None) -> pd.DataFrame:
    """The seams of a panel. `sources`: the panel's cells with their file (code, year, indicator,
    source, as clean's panel_sources.csv), labelled by `vintages` (file_vintages), or by a column
    `vintage` of their own. A seam is a year at which a province's series comes from another known
    vintage than in the panel's previous year (kind "between years"), or a province-year whose
    series come from two known vintages (kind "within a year"); files of unknown vintage join any.
    One row per (year, kind, from, to) (SEAM_COLUMNS): the provinces, their codes, the series, and
    the files on each side."""
    cells = sources[sources["indicator"].isin(list(VALUE_ADDED))].copy()
    if vintages is not None or "vintage" not in cells:
        cells["vintage"] = _labels(cells, vintages)
    cells = cells[cells["vintage"].map(is_known)].sort_values(["code", "indicator", "year"])
    previous = cells.groupby(["code", "indicator"])[["vintage", "source"]].shift()
    change = previous["vintage"].notna() & (previous["vintage"] != cells["vintage"])
    hits = [
        cells[change].assign(
            kind="between years", from_vintage=previous["vintage"][change], from_file=previous["source"][change]
        )
    ]
    per_year = cells.groupby(["code", "year"])["vintage"].transform("nunique") > 1
    if per_year.any():
        mixed = cells[per_year]
        order = _ordered(pd.unique(mixed["vintage"]))
        oldest = mixed.groupby(["code", "year"])["vintage"].transform(lambda v: min(v, key=order.index))
        first_file = mixed[mixed["vintage"] == oldest].groupby(["code", "year"])["source"].first()
        newer = mixed[mixed["vintage"] != oldest]
        hits.append(
            newer.assign(
                kind="within a year",
                from_vintage=oldest[newer.index],
                from_file=first_file.reindex(pd.MultiIndex.from_frame(newer[["code", "year"]])).to_numpy(),
            )
        )
    hits = pd.concat(hits)
    rows = []
    for (year, kind, a, b), g in hits.groupby(["year", "kind", "from_vintage", "vintage"], sort=True):
        rows.append(
            {
                "year": int(year),
                "kind": kind,
                "from_vintage": a,
                "to_vintage": b,
                "provinces": g["code"].nunique(),
                "codes": sorted(g["code"].unique()),
                "series": [s for s in VALUE_ADDED if s in set(g["indicator"])],
                "from_files": sorted(g["from_file"].unique()),
                "to_files": sorted(g["source"].unique()),
            }
        )
    return pd.DataFrame(rows, columns=SEAM_COLUMNS)


def year_ranges(years, dash: str = "-") -> str:
    """'2008-2019, 2022' from the years (`dash`: the catalogue's vintage.note.dash in the outputs)."""
    years, out = sorted({int(y) for y in years}), []
    for y in years:
        if out and out[-1][1] == y - 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}{dash}{b}" for a, b in out)


def stop_message(
    vintages: pd.DataFrame, seams: pd.DataFrame, rev: pd.DataFrame, assignment: pd.DataFrame, choices: dict, names=None
) -> str:
    """The stop's short message: the vintages with their files and years, the seams, the revision
    on the overlap per series (median and largest with province and year), and the choices, each
    with what it would do or why it is not possible (`choices`: policy -> text)."""
    names = names or {}
    used = []
    for label, g in assignment.groupby("vintage", sort=False):
        files = vintages.loc[vintages["vintage"] == label, ["file", "basis", "note_line"]]
        listed = ", ".join(
            f"{r.file} ({r.basis}"
            + (f", line {r.note_line}" if pd.notna(r.note_line) and "note" in r.basis else "")
            + ")"
            for r in files.itertuples()
        )
        used.append((label_order(label) or 0, f"{label}: {listed} for {year_ranges(g['year'])}"))
    text = "the panel would join data vintages: " + "; ".join(t for _, t in sorted(used, key=lambda x: x[0])) + ". "
    if len(seams):
        text += (
            "Seam"
            + ("s" if len(seams) > 1 else "")
            + " at "
            + ", ".join(
                f"{s.year} ({s.from_vintage} -> {s.to_vintage}"
                + (f" within the year, {', '.join(s.series)}" if s.kind == "within a year" else "")
                + f", {s.provinces} province(s))"
                for s in seams.itertuples()
            )
            + ". "
        )
    else:
        text += "Both vintages give the same province-years (no seam, but the figures differ). "
    summary = revision_summary(rev)
    if len(summary):
        parts = []
        for s in summary.itertuples():
            where = names.get(s.largest_code, s.largest_region)
            pair = (rev["indicator"] == s.indicator) & (rev["older"] == s.older) & (rev["newer"] == s.newer)
            span = year_ranges(rev.loc[pair, "year"])
            parts.append(
                f"{s.indicator} ({span}, {s.cells} cells) median {s.median_pct:+.1f} %, largest "
                f"{s.largest_pct:+.1f} % ({where} {s.largest_year})"
            )
        pairs = summary[["older", "newer"]].drop_duplicates()
        text += (
            "Revision on the overlap ("
            + "; ".join(f"{p.newer} against {p.older}" for p in pairs.itertuples())
            + "): "
            + "; ".join(parts)
            + ". "
        )
    else:
        text += "No common cells: the revision cannot be measured (a revised file covering an earlier year would). "
    text += (
        "Choose with config vintage.policy: "
        + "; ".join(f"{c} ({choices[c]})" for c in CHOICES if c in choices)
        + ". See docs/updating.md."
    )
    return text


# ---------------------------------------------------------------- the choices
@dataclass
class Resolution:
    """What resolve_vintages made of the long table."""

    long: pd.DataFrame  # the rows the panel is built from (unchanged when not across vintages)
    policy: str
    across: bool  # files of two known vintages give value added in the sample
    vintages: pd.DataFrame  # file_vintages
    revisions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REVISION_COLUMNS))
    seams: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SEAM_COLUMNS))  # left in the result
    assignment: pd.DataFrame | None = None  # code, year, vintage: each sample province-year's vintage as published
    link: pd.DataFrame | None = None  # LINK_COLUMNS: the link factors (policy link)
    cells: pd.DataFrame | None = None  # CELL_COLUMNS: the value-added cells the link changed (policy link)
    dropped: pd.DataFrame | None = None  # DROPPED_COLUMNS: value-added rows of the sample years left out

    @property
    def spliced(self) -> bool:
        """The panel joins vintages as published: every output using it must say so."""
        return len(self.seams) > 0


LINK_COLUMNS = ["code", "older", "newer", "link_year", "indicator", "older_value", "newer_value", "ratio"]
CELL_COLUMNS = ["code", "year", "indicator", "vintage", "treatment", "source", "line", "published", "value"]


def _value_added(long: pd.DataFrame) -> pd.Series:
    return long["indicator"].isin(list(VALUE_ADDED)) & long["value"].notna()


def _complete(rows: pd.DataFrame) -> pd.MultiIndex:
    """(code, year) pairs for which `rows` hold all four value-added series."""
    n = rows[_value_added(rows)].groupby(["code", "year"])["indicator"].nunique()
    return n.index[n == len(VALUE_ADDED)]


def _ordered(labels) -> list[str]:
    """Known labels oldest first; two that cannot be ordered stop (name the release in the registry)."""
    labels = list(labels)
    for a in labels:
        for b in labels:
            if a != b and _newer(a, b) is None:
                raise VintageConflictError(
                    f"cannot tell which of the vintages {a!r} and {b!r} is newer: name the release "
                    f"(first published, or revised after which economic census) in the registry's vintage column",
                    file="config registry.path",
                )
    return sorted(labels, key=lambda v: sum(_newer(v, o) is True for o in labels))


def _assignment(long: pd.DataFrame, labels: pd.Series, order: list[str]) -> pd.DataFrame:
    """Each (code, year) the data give value added for, with the newest vintage giving all four
    series for it (None where none does)."""
    keys = long.loc[_value_added(long), ["code", "year"]].drop_duplicates().set_index(["code", "year"])
    vintage = pd.Series(None, index=keys.index, dtype=object)
    for label in order:  # oldest first: newer ones overwrite
        vintage[keys.index.isin(_complete(long[labels == label]))] = label
    return vintage.rename("vintage").reset_index().sort_values(["code", "year"]).reset_index(drop=True)


def _spliced_rows(long: pd.DataFrame, labels: pd.Series, order: list[str]) -> pd.Series:
    """The rows of a splice: each province-year's value added from its assigned vintage
    (_assignment); where none gives all four series, each cell from the newest vintage giving it;
    rows of unknown vintage and of other series all kept."""
    known = labels.map(is_known) & long["indicator"].isin(list(VALUE_ADDED))
    assignment = _assignment(long, labels, order).set_index(["code", "year"])["vintage"]
    assigned = assignment.reindex(pd.MultiIndex.from_frame(long[["code", "year"]])).to_numpy()
    rank = labels.map({v: i for i, v in enumerate(order)})
    newest = rank.where(known & long["value"].notna()).groupby([long[k] for k in KEY]).transform("max")
    unassigned = pd.isna(assigned) & (rank == newest)
    return ~known | (labels.to_numpy() == assigned) | unassigned


def _missing(rows: pd.DataFrame, codes, years) -> str:
    """What `rows` (one vintage's) lack of codes x years x value added, '2008-2019 (primary,
    secondary, tertiary)'; '' when nothing."""
    have = pd.MultiIndex.from_frame(rows.loc[_value_added(rows), KEY])
    full = pd.MultiIndex.from_product([codes, range(years[0], years[1] + 1), VALUE_ADDED], names=KEY)
    lack = full[~full.isin(have)].to_frame(index=False)
    if lack.empty:
        return ""
    per_year = lack.groupby("year")["indicator"].agg(lambda s: tuple(x for x in VALUE_ADDED if x in set(s)))
    return "; ".join(
        f"{year_ranges(ys.index)} ({', '.join(series)})" for series, ys in per_year.groupby(per_year, sort=False)
    )


def _one_value(long: pd.DataFrame, labels: pd.Series, label: str, winner) -> pd.DataFrame:
    """One row per value-added cell of `label`'s files: vintage.winner's row first, then config
    order. Files of the vintage giving a cell differently (beyond SAME_VALUE_RTOL) with no winner
    stop, as in the clean stage's merge_sources: the link needs each value once."""
    rows = long[(labels == label) & _value_added(long)]
    if winner is not None:
        loses = rows["source"].map(lambda s: Path(s).resolve() != Path(winner).resolve())
        rows = rows.loc[loses.sort_values(kind="stable").index]
    spread = rows.groupby(KEY)["value"].agg(["min", "max", "size"])
    differ = spread[(spread["size"] > 1) & ((spread["max"] - spread["min"]).abs() > SAME_VALUE_RTOL * spread["max"])]
    if len(differ) and winner is None:
        raise VintageConflictError(
            f"{len(differ)} cell(s) that files of the vintage {label!r} give differently, which the link needs "
            f"once: {'; '.join(f'{c} {y} {i}' for c, y, i in differ.index[:10])}; set config vintage.winner to "
            f"the file whose values should win",
            file=", ".join(sorted(rows["source"].unique())),
        )
    return rows.drop_duplicates(KEY, keep="first")


def link_years(old: pd.DataFrame, new: pd.DataFrame, codes, years=None) -> list[int]:
    """The years in which both vintages (one row per cell each) give all four series for every
    province of `codes` (within `years`, (start, end), when given): the possible link years."""
    both = _complete(old).intersection(_complete(new))
    both = both[both.get_level_values("code").isin(codes)]
    per_year = pd.Series(1, index=both).groupby(level="year").sum()
    return sorted(
        int(y) for y, n in per_year.items() if n == len(codes) and (years is None or years[0] <= y <= years[1])
    )


def link_factors(old: pd.DataFrame, new: pd.DataFrame, link_year: int, codes) -> pd.DataFrame:
    """Per province of `codes`, at the link year: GDP's ratio newer / older and each sector's
    ratio of shares of GDP (rho_i, module docstring), LINK_COLUMNS (without older and newer)."""

    def wide(rows):
        at = rows[(rows["year"] == link_year) & rows["code"].isin(codes)]
        return at.pivot(index="code", columns="indicator", values="value").reindex(columns=list(VALUE_ADDED))

    o, n = wide(old), wide(new).reindex(wide(old).index)
    for s in SECTORS:  # shares of GDP
        o[s], n[s] = o[s] / o["gdp"], n[s] / n["gdp"]
    out = pd.DataFrame({"older_value": o.stack(), "newer_value": n.stack(), "ratio": (n / o).stack()}).reset_index()
    out["link_year"] = link_year
    return out


def _link(long, labels, order, link_year, years, winner):
    """Policy link (module docstring): the long table with the value added of every province-year
    assigned to an older vintage replaced by the linked values (the older vintage's rows keep their
    file and line; GDP from the newest vintage where it gives GDP, with its own rows), the link
    factors and the changed cells."""
    newest = order[-1]
    keep = _spliced_rows(long, labels, order)
    out = long[keep].copy()
    out_labels = labels[keep]
    assignment = _assignment(long, labels, order)
    if years is not None:
        assignment = assignment[assignment["year"].between(*years)]
    new = _one_value(long, labels, newest, winner)
    new_gdp = new[new["indicator"] == "gdp"].set_index(["code", "year"])["value"]
    factors, cells = [], []
    for older in order[:-1]:
        targets = assignment[assignment["vintage"] == older]
        if targets.empty:
            continue
        old = _one_value(long, labels, older, winner)
        codes = sorted(targets["code"].unique())
        year = _choose_link_year(old, new, codes, link_year, years, older, newest)
        f = link_factors(old, new, year, codes).assign(older=older, newer=newest)
        factors.append(f[LINK_COLUMNS])
        ratio = f.set_index(["code", "indicator"])["ratio"].unstack()
        at = pd.MultiIndex.from_frame(targets[["code", "year"]])
        v = old.set_index(KEY)["value"].unstack("indicator").reindex(at)
        r = ratio.reindex(at.get_level_values("code")).set_axis(at)
        weight = pd.DataFrame({s: v[s] / v["gdp"] * r[s] for s in SECTORS})
        gdp_new = new_gdp.reindex(at)
        gdp = gdp_new.fillna(v["gdp"] * r["gdp"])
        linked = pd.concat(
            [gdp.rename("gdp"), *(weight[s].div(weight.sum(axis=1)).mul(gdp).rename(s) for s in SECTORS)], axis=1
        )
        from_new = gdp_new.notna()
        values = linked.stack().rename("value")
        values = values.drop(index=[(c, y, "gdp") for c, y in at[from_new.to_numpy()]])
        # the older vintage's rows of these cells take the linked values
        where = pd.MultiIndex.from_frame(out[KEY])
        mine = (out_labels == older).to_numpy() & where.isin(values.index)
        out.loc[mine, "value"] = values.reindex(where[mine]).to_numpy()
        published = old.set_index(KEY).reindex(values.index)
        treatment = f"linked to {newest} at {year}"
        cells += [
            [c, y, s, newest, treatment, p.source, p.line, p.value, x]
            for (c, y, s), x, p in zip(values.index, values, published.itertuples())
        ]
        # GDP of the newest vintage where it gives GDP: its rows replace the older vintage's
        pairs = set(at[from_new.to_numpy()])
        in_pairs = pd.Series([(c, y) in pairs for c, y in zip(out["code"], out["year"])], index=out.index)
        drop = in_pairs & (out["indicator"] == "gdp") & (out_labels == older)
        out, out_labels = out[~drop], out_labels[~drop]
        in_long = pd.Series([(c, y) in pairs for c, y in zip(long["code"], long["year"])], index=long.index)
        add = long[in_long & (long["indicator"] == "gdp") & (labels == newest) & long["value"].notna()]
        out, out_labels = pd.concat([out, add]), pd.concat([out_labels, labels[add.index]])
        first = add.drop_duplicates(["code", "year"]).set_index(["code", "year"])
        cells += [
            [c, y, "gdp", newest, f"GDP of {newest}", first.at[(c, y), "source"], first.at[(c, y), "line"], g, g]
            for (c, y), g in gdp_new[from_new].items()
        ]
    out = out.sort_index(kind="stable")
    link = pd.concat(factors, ignore_index=True) if factors else pd.DataFrame(columns=LINK_COLUMNS)
    cells = pd.DataFrame(cells, columns=CELL_COLUMNS).sort_values(KEY).reset_index(drop=True)
    return out, out_labels.loc[out.index], link, cells


def _choose_link_year(old, new, codes, link_year, years, older, newer) -> int:
    """config vintage.link_year (a possible link year, link_years) or the latest possible one."""
    possible = link_years(old, new, codes, years)
    if link_year is not None and int(link_year) in possible:
        return int(link_year)
    if link_year is not None:
        raise ConfigError(
            f"config key vintage.link_year: {link_year}: the link year needs all four series of both the "
            f"{label_text(older, 'en')} and the {label_text(newer, 'en')} for every province; "
            + (f"possible: {year_ranges(possible)}" if possible else "no year has them"),
            file="config",
        )
    if not possible:
        raise ConfigError(
            f"config key vintage.policy: link: no year in which both the {label_text(older, 'en')} and the "
            f"{label_text(newer, 'en')} give all four series (GDP, primary, secondary, tertiary) for every "
            f"province; add the {label_text(newer, 'en')} of a year the {label_text(older, 'en')} cover (e.g. "
            f"an NBS export by year, 分省年度数据); choose another vintage.policy",
            file="config",
        )
    return possible[-1]


def _sample_seams(rows: pd.DataFrame, row_labels: pd.Series, years) -> pd.DataFrame:
    """find_seams on the value added of `rows` in the sample years, each cell labelled by
    `row_labels` (the first row of a cell, as merge_sources keeps it)."""
    va = rows[_value_added(rows)]
    if years is not None:
        va = va[va["year"].between(*years)]
    return find_seams(va.assign(vintage=row_labels[va.index]).drop_duplicates(KEY))


def not_possible(error: InputError, choice: str) -> str:
    """Why `choice` is not possible, from its error: the message without its file prefix, its
    config key and its advice on what else to choose."""
    return bare_message(error).split("; choose")[0].removeprefix(f"config key vintage.policy: {choice}: ")


def bare_message(error: InputError) -> str:
    """An error's message without its 'file: where: ' prefix."""
    prefix = ": ".join(p for p in (error.file, error.where) if p)
    text = str(error)
    return text[len(prefix) + 2 :] if prefix and text.startswith(prefix + ": ") else text


def resolve_vintages(
    long: pd.DataFrame,
    vintages: pd.DataFrame,
    policy: str = "stop",
    link_year: int | None = None,
    years=None,
    winner: str | None = None,
    names: dict | None = None,
) -> Resolution:
    """The long table a panel is built from under `policy` (POLICIES; module docstring, 3.).
    `long`: the clean stage's long table after region mapping and unit conversion, before
    merge_sources; `vintages`: file_vintages(); `years`: (start, end) of the sample, or None / 'auto'
    (the coverage checks are then left to the balanced span); `winner`: config vintage.winner;
    `names`: code -> province name for the stop message. Not across vintages: `long` unchanged,
    whatever the policy. Stops with VintageConflictError (policy stop: stop_message) or ConfigError
    (a choice the files cannot serve, saying what is missing and what else to choose)."""
    if policy not in POLICIES:
        raise ConfigError(f"config key vintage.policy: {policy!r}; expected one of {list(POLICIES)}", file="config")
    if isinstance(years, dict):
        years = (years["start"], years["end"])
    years = None if years is None or years == "auto" else (int(years[0]), int(years[1]))
    labels = _labels(long, vintages)
    in_sample = _value_added(long) & (long["year"].between(*years) if years else True)
    relevant = [v for v in pd.unique(labels[in_sample]) if is_known(v)]
    if len(relevant) < 2:
        return Resolution(long, policy, False, vintages)
    order = _ordered([v for v in pd.unique(labels[_value_added(long)]) if is_known(v)])
    assignment = _assignment(long, labels, order)
    if years is not None:
        assignment = assignment[assignment["year"].between(*years)].reset_index(drop=True)
    rev = revisions(long, vintages)
    if policy == "stop":
        keep = _spliced_rows(long, labels, order)
        seams = _sample_seams(long[keep], labels[keep], years)
        span = years or (int(long.loc[in_sample, "year"].min()), int(long.loc[in_sample, "year"].max()))
        choices = choice_outcomes(long, vintages, span, link_year, winner)
        raise VintageConflictError(
            stop_message(vintages, seams, rev, assignment.dropna(subset=["vintage"]), choices, names),
            file=", ".join(vintages.loc[vintages["vintage"].isin(relevant), "file"]),
        )
    link = cells = None
    if policy in ("first_published", "latest"):
        label = FIRST_PUBLISHED if policy == "first_published" else order[-1]
        problem = _one_vintage_problem(long, labels, order, label, in_sample, years)
        if problem:
            other = "link or splice" if policy == "first_published" else "link, splice or first_published"
            raise ConfigError(
                f"config key vintage.policy: {policy}: {problem}; choose vintage.policy {other}, or set years to "
                f"what the {label_text(label, 'en')} cover",
                file=", ".join(vintages.loc[vintages["vintage"] == label, "file"]) or "config",
            )
        keep = ~(labels.map(is_known) & (labels != label) & long["indicator"].isin(list(VALUE_ADDED)))
        out, out_labels = long[keep], labels[keep]
        assignment = assignment.assign(vintage=label)
    elif policy == "splice":
        keep = _spliced_rows(long, labels, order)
        out, out_labels = long[keep], labels[keep]
    else:
        out, out_labels, link, cells = _link(long, labels, order, link_year, years, winner)
        changed = pd.MultiIndex.from_frame(cells[KEY]) if len(cells) else pd.MultiIndex.from_tuples([], names=KEY)
        is_linked = pd.MultiIndex.from_frame(out[KEY]).isin(changed)
        out_labels = out_labels.where(~is_linked, order[-1])  # linked cells are of the newest vintage
    gone = long[~long.index.isin(out.index) & long["indicator"].isin(list(VALUE_ADDED))]
    if years is not None:  # rows outside the sample years leave nothing out of the panel
        gone = gone[gone["year"].between(*years)]
    dropped = _left_out(gone.assign(vintage=labels[gone.index]))
    for r in dropped.itertuples():
        logger.info(
            "vintage.policy %s: left out %d row(s) of %s (%s): %s, years %s",
            policy,
            r.rows,
            r.file,
            r.vintage,
            r.series,
            r.years,
        )
    seams = _sample_seams(out, out_labels, years)
    return Resolution(out, policy, True, vintages, rev, seams, assignment, link, cells, dropped)


DROPPED_COLUMNS = ["file", "vintage", "series", "years", "rows"]


def _left_out(gone: pd.DataFrame) -> pd.DataFrame:
    """The value-added rows a policy left out, per file and vintage, the series of the same years
    together (DROPPED_COLUMNS): 'gdp' 2008-2021, 'primary, secondary, tertiary' 2020-2021."""
    rows = []
    for (file, vintage), g in gone.groupby(["source", "vintage"], sort=False):
        spans = {s: year_ranges(g.loc[g["indicator"] == s, "year"]) for s in VALUE_ADDED if (g["indicator"] == s).any()}
        for span in dict.fromkeys(spans.values()):
            series = [s for s, y in spans.items() if y == span]
            n = int(g["indicator"].isin(series).sum())
            rows.append({"file": file, "vintage": vintage, "series": ", ".join(series), "years": span, "rows": n})
    return pd.DataFrame(rows, columns=DROPPED_COLUMNS)


def _one_vintage_problem(long, labels, order, label, in_sample, years) -> str:
    """Why the panel cannot be of `label` alone ('' when it can): no such file, or years and
    series it lacks (only with sample years: with years auto the balanced span decides)."""
    if label not in order:
        return f"no raw file has {label_text(label, 'en')} (vintages: {', '.join(order)})"
    if years is None:
        return ""
    codes = sorted(long.loc[in_sample, "code"].unique())
    missing = _missing(long[labels == label], codes, years)
    return f"the {label_text(label, 'en')} lack, for some province, {missing}" if missing else ""


def choice_outcomes(long, vintages, years, link_year=None, winner=None) -> dict:
    """Each choice (CHOICES) -> what it would do with these files over the sample `years` ((start,
    end)), or 'not possible: why' (for stop_message; resolve_vintages' arguments)."""
    labels = _labels(long, vintages)
    order = _ordered([x for x in pd.unique(labels[_value_added(long)]) if is_known(x)])
    out = {}
    for choice in CHOICES:
        try:
            r = resolve_vintages(long, vintages, choice, link_year, years, winner)
        except InputError as error:
            out[choice] = "not possible: " + not_possible(error, choice)
            continue
        if choice == "first_published":
            left = sorted({v for v in r.dropped["vintage"]}) if len(r.dropped) else []
            out[choice] = "the paper's figures" + (
                f"; leaves out the {', '.join(label_text(v, 'en') for v in left)}" if left else ""
            )
        elif choice == "latest":
            out[choice] = f"the {label_text(order[-1], 'en')} only"
        elif choice == "link":
            linked = r.cells[~r.cells["treatment"].str.startswith("GDP of")]
            at = ", ".join(str(y) for y in sorted(r.link["link_year"].unique()))
            out[choice] = (
                f"rescales {year_ranges(linked['year'])} to the {label_text(order[-1], 'en')} at {at} (vintage.link_year)"
            )
        else:
            out[choice] = "joins them as published, named in Table 1's note, the report and the change log"
    return out


# ---------------------------------------------------------------- notes for the outputs
def choice_note(resolution: Resolution, language: str = "zh") -> str:
    """The sentence every output using the panel shows (Table 1's note, the report's first lines,
    the change log; the catalogue's vintage.note.*) when the panel is across vintages: which vintage, which files left out,
    which years linked or spliced. '' when not across vintages."""
    r = resolution
    if not r.across:
        return ""
    words = texts(language, "vintage.note")
    dash = words["dash"]
    dropped = ", ".join(dict.fromkeys(Path(f).name for f in r.dropped["file"])) if r.dropped is not None else ""
    if r.policy == "first_published":
        return words["first_published"].format(files=dropped)
    if r.policy == "latest":
        return words["latest"].format(vintage=label_text(r.assignment["vintage"].iloc[0], language), files=dropped)
    if r.policy == "link":
        linked = r.cells[~r.cells["treatment"].str.startswith("GDP of")]
        vintage_of = r.assignment.set_index(["code", "year"])["vintage"]
        linked = linked.assign(older=vintage_of.reindex(pd.MultiIndex.from_frame(linked[["code", "year"]])).to_numpy())
        parts = [
            words["link_part"].format(
                years=year_ranges(g["year"], dash),
                older=label_text(older, language),
                newer=label_text(r.link["newer"].iloc[0], language),
                link_year=int(r.link.loc[r.link["older"] == older, "link_year"].iloc[0]),
            )
            for older, g in linked.groupby("older", sort=False)
        ]
        return words["link"].format(parts=words["separator"].join(parts)) if parts else ""
    parts = [
        words["splice_part"].format(years=year_ranges(g["year"], dash), vintage=label_text(v, language))
        for v, g in r.assignment.dropna(subset=["vintage"]).groupby("vintage", sort=False)
    ]
    seams = ", ".join(str(y) for y in sorted(r.seams["year"].unique()))
    return words["splice"].format(parts=words["separator"].join(parts), seams=seams)


# ---------------------------------------------------------------- Table 1 under each choice
def panels_by_choice(long, vintages, build_panel, years=None, link_year=None, winner=None) -> dict:
    """The panel under each choice (CHOICES): build_panel(resolved long table) -> panel (the
    clean stage passes its own merge + balanced-panel steps and checks), or the reason the choice
    is not possible (str: not_possible)."""
    panels = {}
    for choice in CHOICES:
        try:
            panels[choice] = build_panel(resolve_vintages(long, vintages, choice, link_year, years, winner).long)
        except InputError as error:
            panels[choice] = not_possible(error, choice)
    return panels


def table1_by_choice(panels: dict, share_denominator: str = "gdp", variables=VARIABLES) -> pd.DataFrame:
    """Table 1 (descriptive.describe of indicators.compute_indicators) under each choice, side by
    side: one row per variable and statistic (STATISTICS), one column per choice (NaN where the
    choice is not possible; its reason is in attrs['reasons'])."""
    index = pd.MultiIndex.from_product([list(variables), list(STATISTICS)], names=["variable", "statistic"])
    out = pd.DataFrame(index=index)
    reasons = {}
    for choice, panel in panels.items():
        if isinstance(panel, str):
            out[choice] = np.nan
            reasons[choice] = panel
            continue
        table = describe(compute_indicators(panel, share_denominator, indicators=variables), list(variables))
        out[choice] = table.set_index("variable")[list(STATISTICS)].stack().reindex(index).to_numpy()
    out = out.reset_index()
    out.attrs["reasons"] = reasons
    return out


# ---------------------------------------------------------------- what the clean stage records
AS_PUBLISHED = "as published"
CHOICE_RECORD_PARTS = {  # part of the record -> its columns (results/checks/vintage_choice.json)
    "pairs": ["file_a", "file_b", "cells", "beyond", "share_beyond", "median_pct", "systematic", "agree"],
    "assignment": ["code", "year", "vintage"],
    "seams": SEAM_COLUMNS,
    "link": LINK_COLUMNS,
    "cells": CELL_COLUMNS,
    "dropped": DROPPED_COLUMNS,
}


def cell_treatments(sources: pd.DataFrame, vintages: pd.DataFrame, resolution: Resolution | None = None):
    """The panel's cells (`sources`: code, year, indicator, source, line) with each cell's vintage
    (its file's, from `vintages`; the newest vintage for a cell the link changed) and treatment
    (AS_PUBLISHED, or the link's: 'linked to <vintage> at <year>', 'GDP of <vintage>')."""
    out = sources.copy()
    out["vintage"] = _labels(out, vintages).to_numpy()
    out["treatment"] = AS_PUBLISHED
    cells = resolution.cells if resolution is not None else None
    if cells is not None and len(cells):
        by = cells.set_index(KEY)
        at = pd.MultiIndex.from_frame(out[KEY])
        hit = at.isin(by.index)
        out.loc[hit, "vintage"] = by["vintage"].reindex(at[hit]).to_numpy()
        out.loc[hit, "treatment"] = by["treatment"].reindex(at[hit]).to_numpy()
    return out


def _plain(value):
    """A cell as JSON has it: numpy scalars as Python ones, NaN and NA as null, lists kept."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _records(frame: pd.DataFrame | None, columns) -> list[dict]:
    if frame is None or frame.empty:
        return []
    return [{k: _plain(r[k]) for k in columns} for r in frame.to_dict("records")]


def choice_record(resolution: Resolution, pairs: pd.DataFrame, choices: dict | None = None) -> dict:
    """What the clean stage made of the vintages, for the outputs that name them (Table 1's note,
    the report, the change log): the policy, whether the sample is across vintages, the files
    compared (compare_files), each sample province-year's vintage as published, the seams left in
    the panel, the link factors and linked cells, the rows left out, and each choice's outcome
    (`choices`: choice -> '' when possible, else why not). read_choice reads it back."""
    r = resolution
    record = {"policy": r.policy, "across": bool(r.across), "choices": dict(choices or {})}
    parts = {"pairs": pairs, "assignment": r.assignment, "seams": r.seams, "link": r.link, "cells": r.cells}
    parts["dropped"] = r.dropped
    for name, columns in CHOICE_RECORD_PARTS.items():
        record[name] = _records(parts[name], columns)
    return record


def choice_record_text(record: dict) -> str:
    """The record as written (results/checks/vintage_choice.json): sorted keys, exact floats."""
    return json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def read_choice(path) -> tuple[Resolution, dict]:
    """results/checks/vintage_choice.json back: the Resolution its notes need (choice_note; no long
    table, no revisions: those are in vintage_revisions.csv) and the record itself."""
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    frames = {name: pd.DataFrame(record[name], columns=columns) for name, columns in CHOICE_RECORD_PARTS.items()}
    resolution = Resolution(
        None,
        record["policy"],
        record["across"],
        None,
        seams=frames["seams"],
        assignment=frames["assignment"],
        link=frames["link"],
        cells=frames["cells"],
        dropped=frames["dropped"],
    )
    return resolution, record


def vintage_note(path, language: str) -> str:
    """choice_note of the clean stage's record `path` (vintage_choice.json) in `language`: '' when
    the panel is of one vintage. Table 1's note, the report's first lines and the change log."""
    return choice_note(read_choice(path)[0], language)


PANEL_CHOICE_COLUMN = "choice"


def panels_table(panels: dict) -> pd.DataFrame:
    """panels_by_choice's panels in one table (results/data/panel_by_choice.csv): a column choice
    first, then each panel's columns; a choice that is not possible has no rows (its reason is
    in the choice record)."""
    frames = [p.assign(**{PANEL_CHOICE_COLUMN: c}) for c, p in panels.items() if not isinstance(p, str)]
    if not frames:
        return pd.DataFrame(columns=[PANEL_CHOICE_COLUMN])
    out = pd.concat(frames, ignore_index=True)
    return out[[PANEL_CHOICE_COLUMN, *(c for c in out.columns if c != PANEL_CHOICE_COLUMN)]]


def panels_from_table(table: pd.DataFrame, reasons: dict) -> dict:
    """panels_table's table and the record's reasons back as panels_by_choice gives them: choice ->
    panel, or the reason (str) the choice is not possible; in CHOICES order."""
    panels = {}
    for choice in CHOICES:
        if reasons.get(choice):
            panels[choice] = reasons[choice]
        elif (table[PANEL_CHOICE_COLUMN] == choice).any():
            panels[choice] = table[table[PANEL_CHOICE_COLUMN] == choice].drop(columns=PANEL_CHOICE_COLUMN)
    return panels
