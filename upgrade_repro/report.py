"""Rule report: the workflow's outputs -> results/report/report.html and report.md.

Every number in the report is computed here from the results files and handed to the Jinja2
templates of report/ (no number is typed in a template or message); every sentence is in the text
catalogue (upgrade_repro/texts.yaml, group report), in Chinese and English. Templates render with autoescape on and
StrictUndefined: text from data or config (a region name, a title, a path) shows as text, and a
misspelt variable is an error, not a blank. The HTML is self-contained (figures as base64 data
URIs, CSS and a subset of a CJK font inline), the Markdown links figures relatively. Nothing
time-dependent is written: the same inputs give byte-identical reports. Numbers, signs and ranges
are printed in the style of the report's language (upgrade_repro/typeset.py: the filters num, diff,
... and the templates' years(), year_range(), value_range()); a table's note is rendered per format
(tables.render_note: code spans as code, the rest escaped once).
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

from upgrade_repro.beyond_table_files import xtreg_se_ratio
from upgrade_repro.catalogue import (
    indicator_definitions,
    indicator_names,
    indicator_units,
    load_catalogue,
    region_label,
    region_label_names,
    scheme_name,
)
from upgrade_repro.claims import read_claims, sample_accounting, tier_entries, verdict
from upgrade_repro.errors import InputError
from upgrade_repro.figures import figure_caption, has_figure_title
from upgrade_repro.indicators import VARIABLES
from upgrade_repro.provenance import code_digest, imported_distributions, project_path
from upgrade_repro.regions import display_names, load_regions
from upgrade_repro.registry import sha256
from upgrade_repro.report_font import CJK_FONT_FAMILY, check_font_coverage
from upgrade_repro.report_vintage import vintage_section
from upgrade_repro.tables import markdown_text, p_text, render_note, stars
from upgrade_repro.texts import check_language, texts
from upgrade_repro.typeset import number, typeset, value_range, year_range, years
from upgrade_repro.verify import read_published

# The runner, listed with the distributions the rules' code imports (software_versions).
RUNNER = "snakemake"
IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


# ------------------------------------------------------------------------------- data description
def describe_sources(raw_paths, raw_long: pd.DataFrame, root=".") -> list[dict]:
    """Per raw extract: path (relative to the project root `root`), SHA-256, size, rows read (of
    the four series), years, region names."""
    out = []
    for path in raw_paths:
        rows = raw_long[raw_long["source"] == Path(path).as_posix()]
        out.append(
            {
                "path": project_path(path, root),
                "sha256": sha256(path),
                "bytes": os.path.getsize(path),
                "rows": len(rows),
                "regions": rows["region"].nunique(),
                "year_min": int(rows["year"].min()) if len(rows) else None,
                "year_max": int(rows["year"].max()) if len(rows) else None,
            }
        )
    return out


# The forms of each check's threshold in results/checks/data_checks.csv (upgrade_repro/checks.py
# writes them): (pattern, the key of its wording, report.check.threshold.<key>). The pattern's
# named groups are the wording's values. A check's threshold of any other form stops the report
# (add its form here and its wording in the catalogue): the report never shows a threshold in
# another language than its own.
_NUMBER = r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?"  # checks.num: format .10g
_BOUND = rf"\w+ {_NUMBER}-{_NUMBER} [^\s;]+"  # magnitude: series low-high unit
THRESHOLD_FORMS = {
    "web_page": [(r".+", "web_page")],
    "truncated": [(r".+", "truncated")],
    "decimal_comma": [(r".+", "decimal_comma")],
    "second_block": [(r".+", "second_block")],
    "balanced_panel": [(r"every cell present", "balanced_panel")],
    "levels_positive": [(r"> 0", "levels_positive")],
    "magnitude": [(rf"{_BOUND}(?:; {_BOUND})*", "magnitude")],
    "national_total": [(r"level < national level", "national_total"), (r"no national row .*", "no_national")],
    "national_sum": [
        (rf"(?P<low>{_NUMBER}) <= sum / national <= (?P<high>{_NUMBER})", "national_sum"),
        (rf"sum / national <= (?P<high>{_NUMBER})", "national_sum_upper"),
        (r"no national row .*", "no_national"),
    ],
    "sector_sum": [(rf"abs\(sum / GDP - 1\) <= (?P<tolerance>{_NUMBER}) %", "sector_sum")],
    "employment_sum": [(rf"abs\(sum / employed - 1\) <= (?P<tolerance>{_NUMBER}) %", "employment_sum")],
    "year_on_year": [(rf"(?P<low>{_NUMBER}) <= ratio <= (?P<high>{_NUMBER})", "year_on_year")],
}
_BOUNDS = re.compile(rf"(?P<series>\w+) (?P<low>{_NUMBER})-(?P<high>{_NUMBER}) (?P<unit>[^\s;]+)")


def threshold_wording(check: str, threshold: str) -> dict:
    """A check's threshold as data_checks.csv states it -> {key: its wording's key in the
    catalogue (report.check.threshold.<key>), facts: the values the wording shows}; magnitude's
    facts are its bounds per series (series, low, high, unit). An unknown check or form is an
    InputError naming both."""
    for pattern, key in THRESHOLD_FORMS.get(check, []):
        found = re.fullmatch(pattern, str(threshold))
        if found:
            facts = found.groupdict()
            if check == "magnitude":
                facts = {"bounds": [b.groupdict() for b in _BOUNDS.finditer(threshold)]}
            return {"key": key, "facts": facts}
    raise InputError(
        f"the report has no wording for the threshold {threshold!r} of check {check!r}: add its form to "
        "THRESHOLD_FORMS in upgrade_repro/report.py and its wording (report.check.threshold) to "
        "upgrade_repro/texts.yaml",
        file="results/checks/data_checks.csv",
        where=check,
    )


def data_check_rows(data_checks: pd.DataFrame, accepted: pd.DataFrame, names: dict) -> dict:
    """The integrity checks as the clean stage ran them (results/checks/data_checks.csv), each with
    its threshold's wording (threshold_wording: the templates say it in the report's language), and
    the cells config checks.accept let through, provinces named in the report's language."""
    accepted = accepted.fillna({"series": ""}).assign(province=accepted["code"].map(names))
    checks = data_checks.fillna({"config_key": ""})
    checks["wording"] = [threshold_wording(c, t) for c, t in zip(checks["check"], checks["threshold"])]
    return {
        "checks": checks.to_dict("records"),
        "accepted": accepted.to_dict("records"),
        "n_failed": int(data_checks["failed"].sum()),
        "n_accepted": int(data_checks["accepted"].sum()),
    }


def province_ranking(means: pd.DataFrame, tiers: list[dict]) -> dict:
    """Provinces by mean upgrade, highest first, with the published tier each mean falls in, and
    the figures the narrative of Figure 1 quotes (the top two, the rest, the lowest)."""
    ranked = means.sort_values(["mean_upgrade", "code"], ascending=[False, True])
    entries = tier_entries(ranked["mean_upgrade"], tiers)
    rows = [
        {
            "rank": i,
            "code": r.code,
            "province": r.province,
            "mean": r.mean_upgrade,
            "tier": tier,
        }
        for i, (r, tier) in enumerate(zip(ranked.itertuples(), entries), start=1)
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


# ------------------------------------------------------------------------------ beyond the paper
def region_namer(path, language: str):
    """A region label of a scheme (东部) -> its name in `language` (region_labels.csv); a label
    already in that language stays; one without a translation stops the run naming the file."""
    names = region_label_names(path, language)
    translated = set(names.values())
    return lambda label: label if label in translated and label not in names else region_label(names, label, path)


def beyond_summary(
    trends: pd.DataFrame | None,
    beta: pd.DataFrame | None,
    sigma: pd.DataFrame | None,
    region_name=lambda label: label,
) -> dict:
    """What the analyses beyond the paper show, per indicator, for the report's commentary: the
    pooled trend and its p, the Wald test of equal regional trends, the fastest and slowest regional
    trend, how much smaller Stata's `xtreg, fe vce(cluster)` standard errors are than the table's
    (`xtreg_smaller`, percent: beyond_table_files.xtreg_se_ratio), absolute β convergence (β, p)
    and σ (the cross-province sd, first and last year). Any
    part whose table this run does not make is None. `region_name`: a region's label -> its name
    in the report's language."""
    out = {"trends": None, "beta": None, "sigma": None, "xtreg_smaller": None}
    if trends is not None:
        pooled_rows = trends[trends["model"] == "pooled"]
        n_obs, n_provinces = int(pooled_rows["nobs"].iloc[0]), int(pooled_rows["clusters"].iloc[0])
        out["xtreg_smaller"] = 100 * (1 - 1 / xtreg_se_ratio(n_obs, n_provinces, 1))
        rows = {}
        for var, part in trends.groupby("variable", sort=False):
            pooled = part[part["model"] == "pooled"].iloc[0]
            regional = part[(part["model"] == "regional") & part["term"].str.startswith("trend:")]
            wald = part[part["term"] == "wald_equal_trends"]
            fast, slow = regional.loc[regional["estimate"].idxmax()], regional.loc[regional["estimate"].idxmin()]
            rows[var] = {
                "estimate": pooled["estimate"],
                "p": pooled["p"],
                "wald_f": wald["statistic"].iloc[0] if len(wald) else None,
                "wald_p": wald["p"].iloc[0] if len(wald) else None,
                "fastest": {"region": region_name(fast["region"]), "estimate": fast["estimate"]},
                "slowest": {"region": region_name(slow["region"]), "estimate": slow["estimate"]},
            }
        out["trends"] = rows
    if beta is not None:
        absolute = beta[beta["model"] == "absolute"]
        out["beta"] = {
            r.variable: {"beta": r.beta, "p": r.p, "converges": bool(r.beta < 0 and r.p < 0.05)}
            for r in absolute.itertuples()
        }
    if sigma is not None:
        rows = {}
        for var, part in sigma.groupby("variable", sort=False):
            part = part.sort_values("year")
            first, last = part.iloc[0], part.iloc[-1]
            rows[var] = {
                "first_year": int(first["year"]),
                "last_year": int(last["year"]),
                "sd_first": first["sd"],
                "sd_last": last["sd"],
                "cv_first": first["cv"],
                "cv_last": last["cv"],
            }
        out["sigma"] = rows
    return out


# ---------------------------------------------------------------------------- figures and tables
def data_uri(path) -> str:
    """A file as a data: URI, so the HTML report needs no other file."""
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_TYPES:
        raise InputError(
            f"cannot embed a {suffix or 'suffix-less'} file; expected one of {sorted(IMAGE_TYPES)}", file=str(path)
        )
    return f"data:{IMAGE_TYPES[suffix]};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def layout_blocks(layout: dict) -> list[dict]:
    """A table's layout (tables.table_layout, read from its .json) -> the report's blocks: the table
    (the first `left` columns left-aligned, the others right), each note (its caption is the
    table's heading: report_item)."""
    n, left = len(layout["heads"]), layout["left"]
    table = {
        "kind": "table",
        "header": layout["heads"],
        "align": ["left"] * left + ["right"] * (n - left),
        "rows": layout["rows"],
    }
    return [table, *({"kind": "note", "text": t} for t in layout["notes"])]


def relative_url(path, md_dir) -> Markup:
    """The link from the Markdown report to `path`, percent-encoded (so safe as it stands)."""
    return Markup(quote(Path(os.path.relpath(path, md_dir)).as_posix()))


def report_item(path, key: str, md_dir, language: str = "zh", span: str = "", scheme: str = "") -> dict:
    """A figure or table file of the report: embedded (HTML), linked relatively (Markdown), with
    its caption: a table's own (its layout's), a figure's its one name (figures.figure_caption, the
    title in its files and in Word; `span`: the years, typeset.years; `scheme`: the region scheme's
    name, catalogue.scheme_name); the path for a figure without
    a name in the catalogue."""
    item = {"path": str(path), "key": key, "href": relative_url(path, md_dir)}
    if Path(path).suffix.lower() == ".json":
        layout = json.loads(Path(path).read_text(encoding="utf-8"))
        item.update(kind="table", caption=layout["caption"], blocks=layout_blocks(layout))
    else:
        caption = figure_caption(key, language, span, scheme) if has_figure_title(key) else str(path)
        item.update(kind="figure", caption=caption, src=data_uri(path))
    return item


# ------------------------------------------------------------------ registry, paths, code digest
def registry_problems(status: pd.DataFrame) -> list[dict]:
    """The raw files of results/checks/registry.csv that are not registered as they are
    (unregistered, or changed since registered), for the report's data section."""
    return status[status["status"] != "registered"].fillna("").to_dict("records")


def relative_config_paths(rows: list[dict], root=".") -> list[dict]:
    """flatten_config rows with every absolute path made relative to the project root: the report
    holds no machine's absolute paths (a raw file outside the project becomes ../...)."""
    return [{**r, "value": project_path(r["value"], root) if os.path.isabs(r["value"]) else r["value"]} for r in rows]


def code_identity(git: dict, root=".") -> dict | None:
    """Without a git commit, the digest of the code files (upgrade_repro/provenance.py); None when
    git gives the commit."""
    return code_digest(root) if git.get("commit", "unknown") == "unknown" else None


# ---------------------------------------------------------------------------------- provenance
def software_versions(code_files) -> list[dict]:
    """Python, the runner, and every distribution the rules' code (`code_files`: each rule's script
    and the library modules it imports) imports, by name: derived, so none is left out. A module no
    installed distribution provides is listed by its module name, 'not installed'."""
    rows = [{"name": "Python", "version": platform.python_version()}]
    names = [RUNNER, *(d for d in imported_distributions(code_files) if d.lower() != RUNNER)]
    for name in names:
        try:
            rows.append({"name": name.lstrip("?"), "version": metadata.version(name.lstrip("?"))})
        except metadata.PackageNotFoundError:
            rows.append({"name": name.lstrip("?"), "version": "not installed"})
    return rows


def input_files(sources, raw, root=".") -> list[dict]:
    """The files the rules read (`sources`: common.smk's workflow_sources), but the raw extracts
    (their own section), with their SHA-256; paths relative to the project root."""
    raw = {project_path(p, root) for p in raw}
    paths = sorted({project_path(p, root) for p in sources} - raw)
    return [{"path": p, "sha256": sha256(Path(root) / p)} for p in paths]


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
def report_messages(language: str) -> dict[str, str]:
    """What the report's m('key') finds: the catalogue's report texts by their key in the group
    (m('section.summary')), every other text by its full key (m('tables.table1.caption'))."""
    return {**texts(language), **texts(language, "report")}


# The report's numbers (typeset.number: the minus U+2212, no e-notation).
def num(value, decimals: int = 3) -> str:
    return number(value, f".{decimals}f")


def pct(value, decimals: int = 1) -> str:
    return number(100 * value, f".{decimals}f") + "%"


def pp(value, decimals: int = 1) -> str:
    """A difference of two shares in percentage points (without the unit)."""
    return number(100 * value, f".{decimals}f")


def sig(value) -> str:
    """Three significant digits: 0.0005, 0.5."""
    return number(value, ".3g")


def diff(value) -> str:
    """A signed difference to three significant digits: +0.0131, −0.000000215."""
    return number(value, "+.3g")


def markdown_escape(value):
    """A value in Markdown (tables.markdown_text, the one Markdown escaping), marked done (Markup)
    so that autoescape (kept on for the templates' macros) adds no HTML entities."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(markdown_text(value))


def make_environment(template_dir, messages: dict, fmt: str, language: str = "zh") -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        # HTML: values HTML-escaped. Markdown: markdown_escape (finalize) escapes a value and marks
        # it done, so no HTML entity reaches the Markdown.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=markdown_escape if fmt == "md" else None,
    )
    env.filters.update(
        num=num,
        pct=pct,
        pp=pp,
        sig=sig,
        diff=diff,
        p=lambda p: typeset(p_text(p), language),
        stars=stars,
        # A table's note: code spans as code, the rest escaped once for the format (tables.render_note).
        note=lambda text: Markup(render_note(str(text), fmt)),
    )
    compiled = {}

    @jinja2.pass_context
    def m(context, key, **values):
        """The message `key`, rendered with the template's variables plus `values` (escaped)."""
        if key not in messages:
            raise KeyError(f"no message {key!r} in upgrade_repro/texts.yaml")
        if key not in compiled:
            compiled[key] = env.from_string(messages[key])
        return Markup(compiled[key].render({**context.get_all(), **values}))

    env.globals.update(
        m=m,
        has_message=lambda key: key in messages,
        # Ranges in the style of the language (typeset.py): 2008—2021 年 / 2008–2021, 3～4 / 3–4.
        years=lambda start, end: years(start, end, language),
        year_range=lambda start, end: year_range(start, end, language),
        value_range=lambda low, high: value_range(low, high, language),
        # An English noun for a count: plural(n, 'file', 'files'); one form in Chinese.
        plural=lambda n, one, many: one if n == 1 else many,
    )
    return env


def render_reports(
    context: dict, template_dir, language: str, font_face: str, font_chars: str, font_file: str = "font subset"
) -> tuple[str, str]:
    """(HTML, Markdown). The HTML embeds `font_face`, the static font subset (rule report_font),
    whose glyphs (`font_chars`) must cover every character the HTML shows."""
    messages = report_messages(check_language(language))
    context = {**context, "font_family": CJK_FONT_FAMILY}
    md = make_environment(template_dir, messages, "md", language).get_template("report.md.j2").render(context)
    html_env = make_environment(template_dir, messages, "html", language)
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
    panel, table1 = read(inputs["panel"]), read(inputs["table1"])
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
    # The statements and Table 1 against the paper, as the claims rule checked them.
    checked = read_claims(inputs["claims_checked"])
    verification, claims = checked["verification"], checked["claims"]
    where = {v: {r["statistic"]: r["where"] for r in verification if r["variable"] == v} for v in VARIABLES}
    # The figures' captions: the years, the region scheme's name.
    span = years(sample["year_start"], sample["year_end"], language)
    scheme = scheme_name(inputs["scheme_names"], params["scheme"], language)
    return {
        "lang": language,
        "title": params["title"],
        "demo": params["demo"],
        "decimals": params["decimals"],
        "share_denominator": params["share_denominator"],
        "sources": describe_sources(inputs["raw"], raw_long, params["project_root"]),
        "registry_problems": registry_problems(pd.read_csv(inputs["registry"], dtype=str, keep_default_na=False)),
        "registry_check": params["config"]["registry"]["check"],
        "sample": sample,
        "integrity": integrity,
        "variables": list(VARIABLES),
        # Table 1 and the definitions block: the selected indicators (config indicators), in Table 1's order
        "table1_variables": list(stats),
        "definitions": indicator_definitions(load_catalogue(inputs["catalogue"]), list(stats), language),
        "stats": stats,
        "published": published,
        "where": where,
        "mean_rank": {v: i for i, v in enumerate(sorted(VARIABLES, key=lambda v: -stats[v]["mean"]), 1)},
        "sd_rank": {v: i for i, v in enumerate(sorted(VARIABLES, key=lambda v: -stats[v]["sd"]), 1)},
        "verification": verification,
        "verdict": verdict(verification, params["demo"]),
        "paper_sample": checked["sample"],
        "paper_years": spec["sample"]["years"],
        # One name per indicator and language: the catalogue's (catalogue.py).
        "indicator_names": indicator_names(load_catalogue(inputs["catalogue"]), language),
        "indicator_units": indicator_units(load_catalogue(inputs["catalogue"]), language),
        "paper_provinces": spec["sample"]["provinces"],
        "claims": claims,
        "claims_by_id": {c["id"]: c for c in claims},
        "claim_counts": {
            k: sum(c["holds"] is v for c in claims) for k, v in (("holds", True), ("fails", False), ("unchecked", None))
        },
        "tiers": spec["tiers"],
        "ranking": province_ranking(means, spec["tiers"]) if means is not None else None,
        # Data vintages (upgrade_repro/report_vintage.py): the section, and the choice's note in the first lines
        "vintage": vintage_section(
            inputs,
            params,
            names,
            language,
            next((report_item(p, "vintage_revisions", md_dir) for p in inputs.get("vintage_figure", [])), None),
        ),
        "figures": [report_item(p, params["figures"][p], md_dir, language, span) for p in inputs["figures"]],
        "beyond": [report_item(p, params["beyond"][p], md_dir, language, span, scheme) for p in inputs["beyond"]],
        "beyond_summary": beyond_summary(
            *(
                pd.read_csv(path) if path in list(inputs.get("beyond_data", [])) else None
                for path in params["beyond_data"].values()
            ),
            region_name=region_namer(inputs["region_labels"], language),
        ),
        "provenance": {
            "versions": software_versions(params["code_files"]),
            "git": params["git"],
            "code": code_identity(params["git"], params["project_root"]),
            "config": relative_config_paths(flatten_config(params["config"]), params["project_root"]),
            # config files read as YTE templates: code ran at loading (workflow/rules/common.smk)
            "yte_configfiles": params.get("yte_configfiles", []),
            "outputs": [{**o, "href": relative_url(o["output"], md_dir)} for o in params["outputs"]],
            "inputs": input_files(inputs["sources"], inputs["raw"], params["project_root"]),
        },
    }
