"""Rule claims: the statements of section 1.2.2 (data/published/section_1_2_2.yaml) and Table 1
against the paper, checked once -> results/checks/claims.csv, which the report renders.

One row per statement (kind "statement": the paper's words, whether the data bear it out and the
values that say so), per statistic of Table 1 (kind "table1": published, reproduced and, for a
number not reproduced, what the data show instead) and one row "sample" saying whether this run's
sample (years, provinces, data vintage) is the paper's. A reproduction verdict is given only for
the paper's sample; otherwise every comparison is informational (column verdict).

The data vintage is judged from the clean stage's vintage of each panel cell (results/data/
panel_sources.csv: its file's vintage, from the registry data/raw/versions.csv, a revision note in the
file or the values; upgrade_repro/vintage.py): the sample is of the paper's vintage when every cell
is of the vintage section_1_2_2.yaml names (sample.vintage), compared as canonical labels
(vintage.vintage_from_text). A file of unknown vintage (unregistered or changed, no note, no
common cells with a labelled file) is not of the paper's vintage; a file the vintage policy left
out of the panel plays no part.
"""

import json
from pathlib import Path

import pandas as pd
import yaml

from upgrade_repro.indicators import VARIABLES, compute_indicators
from upgrade_repro.provenance import project_path
from upgrade_repro.regions import (
    aggregate_names,
    display_names,
    load_regions,
    name_lookup,
    normalise_name,
    resolve_codes,
)
from upgrade_repro.tiers import assign_tiers
from upgrade_repro.verify import locate_extremes, read_published
from upgrade_repro.vintage import UNKNOWN, label_text, vintage_from_text


def sample_accounting(
    raw_long: pd.DataFrame,
    panel: pd.DataFrame,
    regions: pd.DataFrame,
    aggregates: pd.DataFrame,
    exclude_regions,
    names: dict[str, str],
) -> dict:
    """Which regions of the extracts are in the panel, which are not and why (clean.py's rules:
    aggregates are not provinces; Hong Kong, Macao, Taiwan are outside the sample; config
    exclude_regions), and the years in the data against the sample's. `names`: display_names."""
    lookup, aggregate_keys = name_lookup(regions), aggregate_names(aggregates)
    exclude_codes = set(resolve_codes(exclude_regions, regions, "exclude_regions"))
    mainland = dict(zip(regions["code"], regions["mainland"]))
    kept_codes = set(panel["code"])
    excluded = []
    for name, rows in raw_long.groupby("region", sort=True).size().items():
        key = normalise_name(name)
        code = None if key in aggregate_keys else lookup.get(key)
        if code in kept_codes:
            continue
        reason = (
            "aggregate"
            if code is None
            else "config"
            if code in exclude_codes
            else "outside_mainland"
            if not mainland[code]
            else "other"
        )
        # name: in the report's language (display_names) when the label is a region's; an aggregate
        # keeps the extract's own label.
        excluded.append(
            {"region": name, "name": name if code is None else names[code], "reason": reason, "rows": int(rows)}
        )
    kept = panel.drop_duplicates("code").sort_values("code")
    in_sample_years = raw_long["year"].between(panel["year"].min(), panel["year"].max())
    return {
        "kept": [{"code": c, "province": names[c]} for c in kept["code"]],
        "n_provinces": len(kept),
        "n_obs": len(panel),
        # Mainland provinces absent from the panel: what "30 provinces" leaves out.
        "missing_mainland": [
            {"code": c, "province": names[c]}
            for c in sorted(regions.loc[regions["mainland"], "code"])
            if c not in kept_codes
        ],
        "excluded": excluded,
        "year_start": int(panel["year"].min()),
        "year_end": int(panel["year"].max()),
        "n_years": panel["year"].nunique(),
        "data_year_min": int(raw_long["year"].min()),
        "data_year_max": int(raw_long["year"].max()),
        "rows_outside_years": int((~in_sample_years).sum()),
    }


# ---------------------------------------------------------------------------------- verification
def shares(panel: pd.DataFrame) -> pd.DataFrame:
    """Sector shares of GDP (p, s, t) and of the sector sum (p1, s1, t1: these sum to exactly one)."""
    out = panel[["code", "province", "year"]].copy()
    total = panel["primary"] + panel["secondary"] + panel["tertiary"]
    for col, name in (("primary", "p"), ("secondary", "s"), ("tertiary", "t")):
        out[name] = panel[col] / panel["gdp"]
        out[name + "1"] = panel[col] / total
    out["sum_gap"] = total / panel["gdp"] - 1
    return out


def _where(row) -> str:
    return f"{row.province} {row.year}"


def explain_extreme(
    indicators: pd.DataFrame, variable: str, statistic: str, published: float, tolerance: float, decimals: int
) -> dict:
    """A min or max not reproduced: the observations beyond the published value (which the paper's
    extreme leaves out), or, when there are none, where the data's extreme is."""
    x = indicators[variable]
    beyond = x < published - tolerance if statistic == "min" else x > published + tolerance
    rows = indicators[beyond].sort_values(variable, ascending=statistic == "min")
    at = indicators.loc[x.idxmin() if statistic == "min" else x.idxmax()]
    return {
        "key": "explain.extreme",
        "facts": {
            "statistic": statistic,
            "published": published,
            "decimals": decimals,
            "n_beyond": int(beyond.sum()),
            "beyond": [{"where": _where(r), "value": getattr(r, variable)} for r in rows.head(5).itertuples()],
            "extreme": at[variable],
            "where": f"{at['province']} {at['year']}",
        },
    }


def explain_cyig_min(panel: pd.DataFrame, published: float) -> dict:
    """With shares that sum to one, cyig = p + 2s + 3t = 1 + s + 2t = 2 - p + t: a value below 2
    needs a province-year whose primary share p exceeds its tertiary share t. The smallest value
    the data allow is min(2 - p + t); the published minimum needs p - t = 2 - published."""
    sh = shares(panel)
    floor = 2 - sh["p1"] + sh["t1"]
    at = sh.loc[floor.idxmin()]
    return {
        "key": "explain.cyig_min",
        "facts": {
            "published": published,
            "floor": floor.min(),
            "where": f"{at['province']} {at['year']}",
            "p": at["p1"],
            "t": at["t1"],
            "gap": at["p1"] - at["t1"],
            "needed_gap": 2 - published,
            "n_p_above_t": int((sh["p1"] > sh["t1"]).sum()),
            "n_obs": len(sh),
            "max_sum_gap": sh["sum_gap"].abs().max(),
        },
    }


def explain_cyig_mean(panel: pd.DataFrame, published_cyig_mean: float, published_service_mean: float) -> dict:
    """mean(cyig) = 2 - mean(p) + mean(t) with shares summing to one, and t is service: the
    published means of cyig and service imply a mean primary share, set beside the data's."""
    sh = shares(panel)
    return {
        "key": "explain.cyig_mean",
        "facts": {
            "published": published_cyig_mean,
            "published_service": published_service_mean,
            "implied_p": 2 + published_service_mean - published_cyig_mean,
            "data_p": sh["p"].mean(),
            "data_t": sh["t"].mean(),
            "data_cyig": 2 - sh["p1"].mean() + sh["t1"].mean(),
        },
    }


def share_rounding(panel: pd.DataFrame) -> pd.Series | None:
    """Half the rounding step of each province-year's sector shares, in percentage points, when the
    sector levels are GDP x a share published to 0.1 or 0.01 point (the composition layout): 0.05
    where all three shares sit on the 0.1 grid, else 0.005. None when the shares are not on the
    0.01 grid (levels exported as such, as EPS does): then no rounding of shares is in the data."""
    pct = pd.concat([100 * panel[c] / panel["gdp"] for c in ("primary", "secondary", "tertiary")], axis=1)

    def on_grid(step):
        return ((pct / step - (pct / step).round()).abs() < 1e-6).all(axis=1)

    if not on_grid(0.01).all():
        return None
    return on_grid(0.1).map({True: 0.05, False: 0.005})


def rounding_range(
    panel: pd.DataFrame, half_step: pd.Series, variable: str, statistic: str, share_denominator: str
) -> tuple[float, float]:
    """The range a statistic of `variable` can take when each published share may lie anywhere
    within half a rounding step of its printed value. Each indicator is a ratio of linear functions
    of the shares, so its extremes over that box are at its corners (2^3 of them); min, max and mean
    are monotone in the observations; the sample sd moves by at most sqrt(n/(n-1)) x the largest
    move of one observation."""
    corners = []
    for signs in ((a, b, c) for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)):
        moved = panel.copy()
        for sign, col in zip(signs, ("primary", "secondary", "tertiary")):
            moved[col] = panel["gdp"] * (100 * panel[col] / panel["gdp"] + sign * half_step) / 100
        corners.append(compute_indicators(moved, share_denominator)[variable].to_numpy())
    corners = pd.DataFrame(corners).T
    lo, hi = corners.min(axis=1), corners.max(axis=1)
    if statistic in ("min", "max", "mean"):
        return float(getattr(lo, statistic)()), float(getattr(hi, statistic)())
    x = compute_indicators(panel, share_denominator)[variable].reset_index(drop=True)
    n = len(x)
    move = float(max((hi - x).max(), (x - lo).max())) * (n / (n - 1)) ** 0.5
    return float(x.std() - move), float(x.std() + move)


def explain_rounding(
    panel: pd.DataFrame,
    half_step: pd.Series,
    variable: str,
    statistic: str,
    published: float,
    tolerance: float,
    share_denominator: str,
    decimals: int,
) -> dict:
    """Whether the published value is within reach of the data once the shares' rounding is
    undone: the range the statistic can take (`exact`: min, max and mean attain every value of it;
    the sd's is a conservative bound, see rounding_range), and whether the paper's number lies in it."""
    lo, hi = rounding_range(panel, half_step, variable, statistic, share_denominator)
    return {
        "key": "explain.rounding",
        "facts": {
            "lo": lo,
            "hi": hi,
            "published": published,
            "decimals": decimals,
            "inside": lo - tolerance <= published <= hi + tolerance,
            "exact": statistic in ("min", "max", "mean"),
            "coarse": float(half_step.max()) * 2,
            "n_fine": int((half_step < 0.05).sum()),
            "n_obs": len(half_step),
        },
    }


def verification_rows(
    checks: pd.DataFrame,
    published: pd.DataFrame,
    indicators: pd.DataFrame,
    panel: pd.DataFrame,
    share_denominator: str = "gdp",
) -> list[dict]:
    """table1_vs_paper.csv with the published decimals, the reproduced value rounded to them, and
    for each statistic outside tolerance what the data show instead."""
    decimals = published.set_index(["variable", "statistic"])["decimals"]
    pub = published.set_index(["variable", "statistic"])["published"]
    half_step = share_rounding(panel)
    rows = []
    for r in checks.itertuples():
        d = int(decimals[(r.variable, r.statistic)])
        explanations = []
        if not r.within_tolerance:
            if (r.variable, r.statistic) == ("cyig", "min"):
                explanations.append(explain_cyig_min(panel, r.published))
            elif r.statistic in ("min", "max"):
                explanations.append(explain_extreme(indicators, r.variable, r.statistic, r.published, r.tolerance, d))
            if (r.variable, r.statistic) == ("cyig", "mean"):
                explanations.append(explain_cyig_mean(panel, r.published, pub[("service", "mean")]))
            if half_step is not None and r.statistic != "n":
                explanations.append(
                    explain_rounding(
                        panel, half_step, r.variable, r.statistic, r.published, r.tolerance, share_denominator, d
                    )
                )
        rows.append(
            {
                "variable": r.variable,
                "statistic": r.statistic,
                "published": r.published,
                "reproduced": r.reproduced,
                "difference": r.difference,
                "tolerance": r.tolerance,
                "times_tolerance": abs(r.difference) / r.tolerance,
                "passed": bool(r.within_tolerance),
                "where": r.where if isinstance(r.where, str) else "",
                "decimals": d,
                "explanations": explanations,
            }
        )
    return rows


def verdict(rows: list[dict], demo: bool) -> dict:
    n_pass = sum(r["passed"] for r in rows)
    return {
        "n": len(rows),
        "n_pass": n_pass,
        "n_fail": len(rows) - n_pass,
        "all_pass": n_pass == len(rows),
        "demo": demo,
        # Named in the report's language by its templates (stat_word).
        "failed": [{"variable": r["variable"], "statistic": r["statistic"]} for r in rows if not r["passed"]],
    }


# -------------------------------------------------------------------------------------- claims
def tier_entries(means: pd.Series, tiers: list[dict]) -> list[dict]:
    """The tier of each mean as the map and province_means.csv assign it (tiers.assign_tiers, the
    one tier rule: the top tier is open above), as the tier's entry plus `open`: True when the mean
    lies beyond the top tier's upper break (the legend then reads "≥ lower")."""
    tiers = sorted(tiers, key=lambda t: t["lower"])  # the paper lists them from the top
    by_label = {t["label"]: t for t in tiers}
    labels = assign_tiers(means, tiers)
    top = tiers[-1]
    return [{**by_label[label], "open": label == top["label"] and m >= top["upper"]} for label, m in zip(labels, means)]


def check_claims(
    spec: dict,
    stats: dict,
    published: dict,
    checks: pd.DataFrame,
    sample: dict,
    means: pd.DataFrame | None,
    regions: pd.DataFrame,
    names: dict[str, str],
) -> list[dict]:
    """Each statement of section 1.2.2 (spec: data/published/section_1_2_2.yaml) with its values
    and whether it holds: True, False, or None when this run has nothing to check it against
    (the tier statements need the provincial means of Figure 1). Provinces the paper names are
    matched by code and shown by `names` (display_names)."""
    claims = []

    def add(cid, holds, **values):
        claims.append({"id": cid, "quote": spec["quotes"][cid], "holds": holds, "facts": values})

    def codes(given, where):
        return resolve_codes(given, regions, f"section_1_2_2.yaml {where}")

    def shown(given, where):
        return [names[c] for c in codes(given, where)]

    within = {(r.variable, r.statistic): bool(r.within_tolerance) for r in checks.itertuples()}
    where = {(r.variable, r.statistic): r.where for r in checks.itertuples() if isinstance(r.where, str)}

    def table_claim(cid, variable, statistic):
        add(
            cid,
            within[(variable, statistic)],
            published=published[variable][statistic],
            reproduced=stats[variable][statistic],
            where=where.get((variable, statistic), ""),
        )

    s = spec["sample"]
    missing = sample["missing_mainland"]
    add(
        "sample",
        sample["n_provinces"] == s["provinces"]
        and [sample["year_start"], sample["year_end"]] == list(s["years"])
        and {m["code"] for m in missing} == set(codes(s["excluded"], "sample.excluded")),
        n_provinces=sample["n_provinces"],
        year_start=sample["year_start"],
        year_end=sample["year_end"],
        n_obs=sample["n_obs"],
        excluded=[m["province"] for m in missing],
        published={**s, "excluded": shown(s["excluded"], "sample.excluded")},
    )
    by_mean = sorted(VARIABLES, key=lambda v: stats[v]["mean"])
    add("upgrade_mean_middle", by_mean[1] == "upgrade", order=by_mean, means={v: stats[v]["mean"] for v in VARIABLES})
    by_sd = sorted(VARIABLES, key=lambda v: stats[v]["sd"], reverse=True)
    add("upgrade_sd_largest", by_sd[0] == "upgrade", order=by_sd, sds={v: stats[v]["sd"] for v in VARIABLES})
    table_claim("upgrade_max", "upgrade", "max")
    table_claim("upgrade_min", "upgrade", "min")
    r = spec["upgrade_max_over_min"]
    ratio = stats["upgrade"]["max"] / stats["upgrade"]["min"]
    add(
        "upgrade_ratio",
        abs(ratio / r["times"] - 1) <= r["about"],
        ratio=ratio,
        published_ratio=published["upgrade"]["max"] / published["upgrade"]["min"],
        times=r["times"],
        about=r["about"],
        low=r["times"] * (1 - r["about"]),
        high=r["times"] * (1 + r["about"]),
    )
    for stat in ("mean", "max", "min"):
        table_claim(f"service_{stat}", "service", stat)
    spread = stats["service"]["max"] - stats["service"]["min"]
    add(
        "service_spread",
        spread > spec["service_spread"]["more_than"],
        spread=spread,
        published_spread=published["service"]["max"] - published["service"]["min"],
        more_than=spec["service_spread"]["more_than"],
    )
    for stat in ("mean", "max", "min", "sd"):
        table_claim(f"cyig_{stat}", "cyig", stat)
    add(
        "cyig_less_dispersed",
        stats["cyig"]["sd"] < stats["upgrade"]["sd"],
        cyig_sd=stats["cyig"]["sd"],
        upgrade_sd=stats["upgrade"]["sd"],
    )

    tiers = spec["tiers"]
    named = [t for t in tiers if t.get("provinces")]
    # What each tier statement says, shown whether or not it can be checked.
    said = {
        "four_tiers": {"n_tiers": len(tiers), "labels": [t["label"] for t in tiers]},
        **{
            t["id"]: {
                "label": t["label"],
                "lower": t["lower"],
                "upper": t["upper"],
                "named": shown(t["provinces"], f"tiers {t['label']}"),
                # The top tier is open above (tiers.assign_tiers), as on the map.
                "top": t["lower"] == max(x["lower"] for x in tiers),
            }
            for t in named
        },
        "others": {"tiers": spec["others_in"]},
        "lowest": {"named": shown([spec["lowest"]], "lowest")[0]},
    }
    if means is None:
        for cid, values in said.items():
            add(cid, None, **values)
        return claims
    ascending = sorted(tiers, key=lambda t: t["lower"])  # the paper lists them from the top
    means = means.assign(tier=assign_tiers(means["mean_upgrade"], ascending, names=means["province"]))
    counts = {t["label"]: int((means["tier"] == t["label"]).sum()) for t in tiers}
    add(
        "four_tiers",
        bool(means["tier"].notna().all()) and all(counts.values()),
        counts=counts,
        n_outside=int(means["tier"].isna().sum()),
        **said["four_tiers"],
    )
    named_codes = set()
    for t in named:
        members = means[means["tier"] == t["label"]].sort_values("mean_upgrade", ascending=False)
        expected = set(codes(t["provinces"], f"tiers {t['label']}"))
        named_codes |= expected
        add(
            t["id"],
            set(members["code"]) == expected,
            **said[t["id"]],
            members=[{"province": m.province, "mean": m.mean_upgrade} for m in members.itertuples()],
        )
    others = means[~means["code"].isin(named_codes)]
    allowed = others["tier"].isin(spec["others_in"])
    add(
        "others",
        bool(allowed.all()),
        n_others=len(others),
        n_in=int(allowed.sum()),
        outliers=[{"province": o.province, "mean": o.mean_upgrade} for o in others[~allowed].itertuples()],
        **said["others"],
    )
    low = means.loc[means["mean_upgrade"].idxmin()]
    add(
        "lowest",
        low["code"] in codes([spec["lowest"]], "lowest"),
        province=low["province"],
        mean=low["mean_upgrade"],
        **said["lowest"],
    )
    return claims


# -------------------------------------------------------------------------- the paper's sample
def panel_vintages(sources: pd.DataFrame) -> list[dict]:
    """Each raw file giving cells of the panel, once per vintage of its cells (clean's
    panel_sources.csv: file, vintage; a linked cell is of the vintage it was linked to), in the
    files' order; paths relative to the project root."""
    used = sources[["source", "vintage"]].fillna({"vintage": UNKNOWN}).drop_duplicates()
    return [{"file": project_path(r.source), "vintage": r.vintage} for r in used.itertuples()]


def paper_sample(
    sample: dict, spec_sample: dict, vintages: list[dict], regions: pd.DataFrame, language: str | None = None
) -> dict:
    """Whether this run's sample is the paper's: its years, its provinces (the mainland less the
    ones the paper leaves out) and data of the paper's vintage (`vintages`: panel_vintages, each
    file's canonical label; the paper's from its text by vintage_from_text); each difference
    named, the vintages in `language` when given (the report's)."""
    differences = []
    years, paper_years = [sample["year_start"], sample["year_end"]], list(spec_sample["years"])
    if years != paper_years:
        differences.append({"what": "years", "paper": paper_years, "run": years})
    paper_out = set(resolve_codes(spec_sample["excluded"], regions, "section_1_2_2.yaml sample.excluded"))
    run_out = {m["code"] for m in sample["missing_mainland"]}
    if sample["n_provinces"] != spec_sample["provinces"] or run_out != paper_out:
        differences.append(
            {
                "what": "provinces",
                "paper": spec_sample["provinces"],
                "run": sample["n_provinces"],
                "missing": sorted(run_out - paper_out),
                "extra": sorted(paper_out - run_out),
            }
        )
    paper = vintage_from_text(spec_sample["vintage"]) or spec_sample["vintage"]
    other = [v for v in vintages if (v["vintage"] or UNKNOWN) != paper]
    if other:

        def shown(label):
            return label_text(label or UNKNOWN, language) if language else label

        files = [{"file": v["file"], "vintage": shown(v["vintage"])} for v in other]
        differences.append({"what": "vintage", "paper": shown(paper), "files": files})
    return {"is_paper": not differences, "differences": differences}


# ----------------------------------------------------------------------------- claims.csv
CLAIM_COLUMNS = ["kind", "id", "quote", "published", "reproduced", "holds", "verdict", "explanation", "facts"]


def _json(value) -> str:
    """JSON text of numbers and names as computed (numpy scalars as Python ones, floats exact)."""
    return json.dumps(value, ensure_ascii=False, default=lambda o: o.item())


def verdict_of(holds, is_paper: bool) -> str:
    """reproduced / not reproduced on the paper's sample; informational on any other sample;
    unchecked when this run has nothing to check the statement against."""
    if holds is None:
        return "unchecked"
    if not is_paper:
        return "informational"
    return "reproduced" if holds else "not reproduced"


def claims_table(verification: list[dict], claims: list[dict], sample_status: dict) -> pd.DataFrame:
    """The rows of results/checks/claims.csv (module docstring)."""
    is_paper = sample_status["is_paper"]
    rows = [
        {
            "kind": "sample",
            "id": "sample",
            "quote": "",
            "published": "",
            "reproduced": "",
            "holds": is_paper,
            "verdict": "paper's sample" if is_paper else "not the paper's sample",
            "explanation": _json(sample_status["differences"]),
            "facts": _json(sample_status),
        }
    ]
    for r in verification:
        rows.append(
            {
                "kind": "table1",
                "id": f"{r['variable']}.{r['statistic']}",
                "quote": "",
                "published": _json(r["published"]),
                "reproduced": _json(r["reproduced"]),
                "holds": r["passed"],
                "verdict": verdict_of(r["passed"], is_paper),
                "explanation": _json(r["explanations"]),
                "facts": _json({k: v for k, v in r.items() if k != "explanations"}),
            }
        )
    for c in claims:
        facts = c["facts"]
        rows.append(
            {
                "kind": "statement",
                "id": c["id"],
                "quote": c["quote"],
                "published": _json(facts.get("published", "")),
                "reproduced": _json(facts.get("reproduced", "")),
                "holds": "" if c["holds"] is None else c["holds"],
                "verdict": verdict_of(c["holds"], is_paper),
                "explanation": "",
                "facts": _json(facts),
            }
        )
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def read_claims(path) -> dict:
    """results/checks/claims.csv back as the report uses it: the sample's status, Table 1 against
    the paper (verification rows with their explanations) and the statements."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    sample = json.loads(table.loc[table["kind"] == "sample", "facts"].iloc[0])
    verification = [
        {**json.loads(r.facts), "explanations": json.loads(r.explanation), "verdict": r.verdict}
        for r in table[table["kind"] == "table1"].itertuples()
    ]
    claims = [
        {
            "id": r.id,
            "quote": r.quote,
            "holds": {"True": True, "False": False, "": None}[r.holds],
            "verdict": r.verdict,
            "facts": json.loads(r.facts),
        }
        for r in table[table["kind"] == "statement"].itertuples()
    ]
    return {"sample": sample, "verification": verification, "claims": claims}


def build_claims(inputs: dict, params: dict) -> pd.DataFrame:
    """claims.csv from the rule's input files and params (names in the report's language)."""
    regions = load_regions(inputs["regions"])
    names = display_names(regions, params["language"])

    def read(path):
        table = pd.read_csv(path, dtype={"code": str})
        return table.assign(province=table["code"].map(names)) if "province" in table else table

    raw_long = pd.read_csv(inputs["raw_long"], dtype={"region": str}, keep_default_na=False, na_values={"value": [""]})
    panel, indicators, table1 = read(inputs["panel"]), read(inputs["indicators"]), read(inputs["table1"])
    checks = read(inputs["checks"])
    checks["where"] = [
        locate_extremes(indicators, v, s) if s in ("min", "max") else ""
        for v, s in zip(checks["variable"], checks["statistic"])
    ]
    published_long = read_published(inputs["published"])
    spec = yaml.safe_load(Path(inputs["claims"]).read_text(encoding="utf-8"))
    means_file = list(inputs.get("province_means", []))
    means = read(means_file[0])[["code", "province", "mean_upgrade"]] if means_file else None
    stats = {r.variable: {s: getattr(r, s) for s in ("n", "mean", "sd", "min", "max")} for r in table1.itertuples()}
    published = {v: dict(zip(g["statistic"], g["published"])) for v, g in published_long.groupby("variable")}
    aggregates = pd.read_csv(inputs["aggregates"], dtype=str)
    sample = sample_accounting(raw_long, panel, regions, aggregates, params["exclude_regions"], names)
    sources = pd.read_csv(inputs["sources"], dtype={"code": str, "vintage": str}, keep_default_na=False)
    status = paper_sample(sample, spec["sample"], panel_vintages(sources), regions, params["language"])
    verification = verification_rows(checks, published_long, indicators, panel, params["share_denominator"])
    claims = check_claims(spec, stats, published, checks, sample, means, regions, names)
    return claims_table(verification, claims, status)
