"""Rule report: the workflow's outputs -> results/report/report.html and report.md.

Every number in the report is computed here from the results files and handed to the Jinja2
templates of report/ (no number is typed in a template or message); every sentence is in
report/messages.yaml, in Chinese and English. Templates render with autoescape on and
StrictUndefined: text from data or config (a region name, a title, a path) shows as text, and a
misspelt variable is an error, not a blank. The HTML is self-contained (figures as base64 data
URIs, CSS and a subset of a CJK font inline), the Markdown links figures relatively. Nothing
time-dependent is written: the same inputs give byte-identical reports.
"""

import base64
import json
import os
import platform
import re
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

import jinja2
import pandas as pd
import yaml
from markupsafe import Markup

from upgrade_repro.errors import InputError
from upgrade_repro.indicators import VARIABLES, compute_indicators
from upgrade_repro.regions import aggregate_names, load_regions, name_lookup, normalise_name, resolve_codes
from upgrade_repro.registry import sha256
from upgrade_repro.report_font import CJK_FONT_FAMILY, check_font_coverage
from upgrade_repro.verification import locate_extremes, read_published

LANGUAGES = ("zh", "en")
# Versions listed in the report's provenance (distribution names).
PACKAGES = ("snakemake", "pandas", "numpy", "statsmodels", "matplotlib", "jinja2", "pyyaml", "fonttools", "mplfonts")
IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


# ------------------------------------------------------------------------------- data description
def describe_sources(raw_paths, raw_long: pd.DataFrame) -> list[dict]:
    """Per raw extract: path, SHA-256, size, rows read (of the four series), years, region names."""
    out = []
    for path in raw_paths:
        rows = raw_long[raw_long["source"] == Path(path).as_posix()]
        out.append(
            {
                "path": str(path),
                "sha256": sha256(path),
                "bytes": os.path.getsize(path),
                "rows": len(rows),
                "regions": rows["region"].nunique(),
                "year_min": int(rows["year"].min()) if len(rows) else None,
                "year_max": int(rows["year"].max()) if len(rows) else None,
            }
        )
    return out


def data_check_rows(data_checks: pd.DataFrame, accepted: pd.DataFrame, names: dict) -> dict:
    """The integrity checks as the clean stage ran them (results/checks/data_checks.csv) and the cells
    config checks.accept let through, provinces named in the report's language."""
    accepted = accepted.fillna({"series": ""}).assign(province=accepted["code"].map(names))
    return {
        "checks": data_checks.fillna({"config_key": ""}).to_dict("records"),
        "accepted": accepted.to_dict("records"),
        "n_failed": int(data_checks["failed"].sum()),
        "n_accepted": int(data_checks["accepted"].sum()),
    }


def display_names(regions: pd.DataFrame, language: str) -> dict[str, str]:
    """Code -> the province's name in the report's language (short Chinese name, or English)."""
    return dict(zip(regions["code"], regions["name_en" if language == "en" else "name_short"]))


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
        excluded.append({"region": name, "reason": reason, "rows": int(rows)})
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
    undone: the range the statistic can take, and whether the paper's number lies in it."""
    lo, hi = rounding_range(panel, half_step, variable, statistic, share_denominator)
    return {
        "key": "explain.rounding",
        "facts": {
            "lo": lo,
            "hi": hi,
            "published": published,
            "decimals": decimals,
            "inside": lo - tolerance <= published <= hi + tolerance,
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
        "failed": [f"{r['variable']} {r['statistic']}" for r in rows if not r["passed"]],
    }


# -------------------------------------------------------------------------------------- claims
def tier_of(mean: float, tiers: list[dict]) -> dict | None:
    """The published tier whose [lower, upper) holds `mean`."""
    return next((t for t in tiers if t["lower"] <= mean < t["upper"]), None)


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
    means = means.assign(tier=[(tier_of(m, tiers) or {}).get("label") for m in means["mean_upgrade"]])
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


def province_ranking(means: pd.DataFrame, tiers: list[dict]) -> dict:
    """Provinces by mean upgrade, highest first, with the published tier each mean falls in, and
    the figures the narrative of Figure 1 quotes (the top two, the rest, the lowest)."""
    ranked = means.sort_values(["mean_upgrade", "code"], ascending=[False, True])
    rows = [
        {
            "rank": i,
            "code": r.code,
            "province": r.province,
            "mean": r.mean_upgrade,
            "tier": tier_of(r.mean_upgrade, tiers),
        }
        for i, r in enumerate(ranked.itertuples(), start=1)
    ]
    return {
        "rows": rows,
        "first": rows[0],
        "second": rows[1],
        "lowest": rows[-1],
        "n_rest": len(rows) - 2,
        "rest_max": rows[2]["mean"],
        "rest_min": rows[-1]["mean"],
    }


# ---------------------------------------------------------------------------- figures and tables
def data_uri(path) -> str:
    """A file as a data: URI, so the HTML report needs no other file."""
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_TYPES:
        raise InputError(
            f"cannot embed a {suffix or 'suffix-less'} file; expected one of {sorted(IMAGE_TYPES)}", file=str(path)
        )
    return f"data:{IMAGE_TYPES[suffix]};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def _split_row(line: str) -> list[str]:
    """'| a | b \\| c |' -> ['a', 'b | c']: cells split on unescaped pipes."""
    body = line.strip()[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def markdown_blocks(text: str) -> list[dict]:
    """A Markdown table file of the workflow (headings, paragraphs, pipe tables) -> blocks, so that
    both reports re-render it with their own escaping."""
    blocks, para = [], []

    def flush():
        if para:
            blocks.append({"kind": "para", "text": " ".join(para)})
            para.clear()

    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("|"):
            flush()
            table = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                table.append(_split_row(lines[i]))
                i += 1
            has_rule = len(table) > 1 and all(re.fullmatch(r":?-+:?", c) for c in table[1])
            align = (
                [
                    "right"
                    if c.endswith(":") and not c.startswith(":")
                    else "center"
                    if c.startswith(":") and c.endswith(":")
                    else "left"
                    for c in table[1]
                ]
                if has_rule
                else ["left"] * len(table[0])
            )
            blocks.append(
                {"kind": "table", "header": table[0], "align": align, "rows": table[2:] if has_rule else table[1:]}
            )
            continue
        if line.startswith("#"):
            flush()
            blocks.append({"kind": "heading", "text": line.lstrip("#").strip()})
        elif line:
            para.append(line)
        else:
            flush()
        i += 1
    flush()
    return blocks


def relative_url(path, md_dir) -> Markup:
    """The link from the Markdown report to `path`, percent-encoded (so safe as it stands)."""
    return Markup(quote(Path(os.path.relpath(path, md_dir)).as_posix()))


def report_item(path, key: str, md_dir) -> dict:
    """A figure or table file of the report: embedded (HTML), linked relatively (Markdown)."""
    item = {"path": str(path), "key": key, "href": relative_url(path, md_dir)}
    if Path(path).suffix.lower() == ".md":
        item.update(kind="table", blocks=markdown_blocks(Path(path).read_text(encoding="utf-8")))
    else:
        item.update(kind="figure", src=data_uri(path))
    return item


# ---------------------------------------------------------------------------------- provenance
def software_versions() -> list[dict]:
    rows = [{"name": "Python", "version": platform.python_version()}]
    for name in PACKAGES:
        try:
            rows.append({"name": name, "version": metadata.version(name)})
        except metadata.PackageNotFoundError:
            rows.append({"name": name, "version": "not installed"})
    return rows


def flatten_config(config, prefix: str = "") -> list[dict]:
    """{'years': {'start': 2008}} -> [{'key': 'years.start', 'value': '2008'}] (YAML spellings)."""
    rows = []
    items = config.items() if isinstance(config, dict) else enumerate(config)
    for key, value in items:
        name = f"{prefix}[{key}]" if isinstance(config, list) else f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, (dict, list)) and value:
            rows += flatten_config(value, name)
        else:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            rows.append({"key": name, "value": text})
    return rows


# ------------------------------------------------------------------------------------ rendering
def load_messages(path, language: str) -> dict:
    """report/messages.yaml -> {dotted key: text in `language`}. An entry is either one text for
    all languages or a mapping by language; a text's line breaks are where the YAML was wrapped
    (joined without a space in Chinese, with one in English)."""
    if language not in LANGUAGES:
        raise InputError(f"language {language!r} not in {LANGUAGES}", file="config", where="report.language")
    flat = {}

    def walk(node, prefix):
        if isinstance(node, dict) and set(node) & set(LANGUAGES) and not set(node) <= set(LANGUAGES):
            raise InputError(
                f"message {prefix!r} mixes languages with other keys {sorted(node)} "
                "(an unquoted comma in a {zh: ..., en: ...} entry?)",
                file=str(path),
            )
        if isinstance(node, dict) and set(node) <= set(LANGUAGES) and node:
            if language not in node:
                raise InputError(f"message {prefix!r} has no {language!r} text", file=str(path))
            node = node[language]
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else key)
        else:
            lines = [line.strip() for line in str(node).strip("\n").splitlines()]
            text = lines[0] if len(lines) > 1 else str(node)  # one line: kept as written
            for line in lines[1:]:
                text += _line_joiner(text, line, language) + line
            flat[prefix] = text

    walk(yaml.safe_load(Path(path).read_text(encoding="utf-8")), "")
    return flat


_CJK = re.compile(r"[\u2014\u2018-\u201d\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_CJK_PUNCTUATION = re.compile(r"[\u2014\u2018-\u201d\u3000-\u303f\uff00-\uffef]")


def _line_joiner(before: str, after: str, language: str) -> str:
    """What replaces a wrapped line's break: nothing between Chinese characters or next to Chinese
    punctuation (Chinese has no spaces), a space otherwise (around numbers and Latin words)."""
    a, b = before[-1:], after[:1]
    if language == "zh" and (
        _CJK_PUNCTUATION.match(a) or _CJK_PUNCTUATION.match(b) or (_CJK.match(a) and _CJK.match(b))
    ):
        return ""
    return " "


def num(value, decimals: int = 3) -> str:
    return f"{value:.{decimals}f}"


def pct(value, decimals: int = 1) -> str:
    return f"{100 * value:.{decimals}f}%"


def pp(value, decimals: int = 1) -> str:
    """A difference of two shares in percentage points (without the unit)."""
    return f"{100 * value:.{decimals}f}"


def sig(value) -> str:
    """Three significant digits: 0.0005, 0.5."""
    return f"{value:.3g}"


def diff(value) -> str:
    """A signed difference to three significant digits: +0.0131, -2.15e-07."""
    return f"{value:+.3g}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def markdown_escape(value):
    """Markdown's own specials (after which autoescape turns < > & ' " into entities, which
    Markdown shows as text): so a value never becomes markup or breaks a table row."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return _MD_SPECIAL.sub(r"\\\1", value).replace("\r", " ").replace("\n", " ")


def make_environment(template_dir, messages: dict, fmt: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=markdown_escape if fmt == "md" else None,
    )
    env.filters.update(num=num, pct=pct, pp=pp, sig=sig, diff=diff)
    compiled = {}

    @jinja2.pass_context
    def m(context, key, **values):
        """The message `key`, rendered with the template's variables plus `values` (escaped)."""
        if key not in messages:
            raise KeyError(f"no message {key!r} in report/messages.yaml")
        if key not in compiled:
            compiled[key] = env.from_string(messages[key])
        return Markup(compiled[key].render({**context.get_all(), **values}))

    env.globals.update(m=m, has_message=lambda key: key in messages)
    return env


def render_reports(
    context: dict, template_dir, language: str, font_face: str, font_chars: str, font_file: str = "font subset"
) -> tuple[str, str]:
    """(HTML, Markdown). The HTML embeds `font_face`, the static font subset (rule report_font),
    whose glyphs (`font_chars`) must cover every character the HTML shows."""
    messages = load_messages(Path(template_dir) / "messages.yaml", language)
    context = {**context, "font_family": CJK_FONT_FAMILY}
    md = make_environment(template_dir, messages, "md").get_template("report.md.j2").render(context)
    html_env = make_environment(template_dir, messages, "html")
    template = html_env.get_template("report.html.j2")
    html = template.render({**context, "font_face": Markup(font_face)})
    check_font_coverage(_visible_text(html), font_chars, font_file)
    return html, md


def _visible_text(html: str) -> str:
    """Characters a page can show: everything but data URIs (tags included: close enough for a
    check that the font subset holds every glyph, which errs on the side of too many)."""
    return re.sub(r"data:[^\"')]+", "", html)


# --------------------------------------------------------------------------------------- main
def build_context(inputs: dict, params: dict, md_dir, language: str) -> dict:
    """Everything the templates show, from the rule's input files and params. Provinces are named
    in the report's language throughout (display_names)."""
    regions = load_regions(inputs["regions"])
    names = display_names(regions, language)

    def read(key):
        table = pd.read_csv(key if isinstance(key, str) else key[0], dtype={"code": str})
        return table.assign(province=table["code"].map(names)) if "province" in table else table

    raw_long = pd.read_csv(inputs["raw_long"], dtype={"region": str}, keep_default_na=False, na_values={"value": [""]})
    panel, indicators, table1 = read(inputs["panel"]), read(inputs["indicators"]), read(inputs["table1"])
    checks = read(inputs["checks"])
    # Where each min and max occurs, with the names of the report's language.
    checks["where"] = [
        locate_extremes(indicators, v, s) if s in ("min", "max") else ""
        for v, s in zip(checks["variable"], checks["statistic"])
    ]
    aggregates = pd.read_csv(inputs["aggregates"], dtype=str)
    published_long = read_published(inputs["published"])
    spec = yaml.safe_load(Path(inputs["claims"]).read_text(encoding="utf-8"))
    # Optional input: an empty list when no rule of the workflow makes province_means.csv.
    means_file = list(inputs.get("province_means", []))
    means = read(means_file)[["code", "province", "mean_upgrade"]] if means_file else None

    stats = {r.variable: {s: getattr(r, s) for s in ("n", "mean", "sd", "min", "max")} for r in table1.itertuples()}
    published = {v: dict(zip(g["statistic"], g["published"])) for v, g in published_long.groupby("variable")}
    sample = sample_accounting(raw_long, panel, regions, aggregates, params["exclude_regions"], names)
    integrity = data_check_rows(
        pd.read_csv(inputs["data_checks"]), pd.read_csv(inputs["accepted"], dtype={"code": str}), names
    )
    verification = verification_rows(checks, published_long, indicators, panel, params["share_denominator"])
    claims = check_claims(spec, stats, published, checks, sample, means, regions, names)
    where = {v: {r["statistic"]: r["where"] for r in verification if r["variable"] == v} for v in VARIABLES}
    return {
        "lang": language,
        "title": params["title"],
        "demo": params["demo"],
        "decimals": params["decimals"],
        "share_denominator": params["share_denominator"],
        "sources": describe_sources(inputs["raw"], raw_long),
        "sample": sample,
        "integrity": integrity,
        "variables": list(VARIABLES),
        "stats": stats,
        "published": published,
        "where": where,
        "mean_rank": {v: i for i, v in enumerate(sorted(VARIABLES, key=lambda v: -stats[v]["mean"]), 1)},
        "sd_rank": {v: i for i, v in enumerate(sorted(VARIABLES, key=lambda v: -stats[v]["sd"]), 1)},
        "verification": verification,
        "verdict": verdict(verification, params["demo"]),
        "claims": claims,
        "claims_by_id": {c["id"]: c for c in claims},
        "claim_counts": {
            k: sum(c["holds"] is v for c in claims) for k, v in (("holds", True), ("fails", False), ("unchecked", None))
        },
        "tiers": spec["tiers"],
        "ranking": province_ranking(means, spec["tiers"]) if means is not None else None,
        "figures": [report_item(p, params["figures"][p], md_dir) for p in inputs["figures"]],
        "beyond": [report_item(p, params["beyond"][p], md_dir) for p in inputs["beyond"]],
        "provenance": {
            "versions": software_versions(),
            "git": params["git"],
            "config": flatten_config(params["config"]),
            "outputs": [{**o, "href": relative_url(o["output"], md_dir)} for o in params["outputs"]],
            "inputs": [
                {"path": inputs[k], "sha256": sha256(inputs[k])}
                for k in ("published", "claims", "regions", "aggregates")
            ],
        },
    }
