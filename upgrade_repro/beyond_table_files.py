"""Rule beyond_table_files: the tables beyond the paper as printed (regions, trends, beta and sigma
convergence: caption, heads, text cells, notes) in the output language, from the csv files of the
rules regional_table, trends and convergence: their .md, .tex and .json (scripts/beyond_table_files.py)
and their Word and Excel versions (upgrade_repro/manuscript_tables.py). No statistics here: every
number comes from the csv; every text from the catalogue (upgrade_repro/texts.py), every unit from the
indicator catalogue (data/reference/indicators.yaml); every printed text in the style of its edition
(upgrade_repro/typeset.py). A note says what a reader needs (sample, units, estimator, significance
marks): no file path, nothing about the workflow (the report and docs/ say where things come from)."""

import numpy as np
import pandas as pd

from upgrade_repro.catalogue import indicator_units, load_catalogue, region_label, region_label_names, scheme_name
from upgrade_repro.errors import ConfigError
from upgrade_repro.indicators import ALL_INDICATORS
from upgrade_repro.region_schemes import provinces_per_region, read_indicators_with_regions
from upgrade_repro.table1_files import table1_heads
from upgrade_repro.tables import PrintedTable, p_text, stars, statistic_cells, with_demo_note
from upgrade_repro.texts import text, texts
from upgrade_repro.trends import ALL, WALD
from upgrade_repro.typeset import typeset, typeset_all, years

SIGMA_DECIMALS = 3  # table_sigma's sd and cv
# Fewer provinces than this behind a regional SE: flagged in the trends' note (few-cluster inference).
FEW_CLUSTERS = 10


# ------------------------------------------------------------------------------- table_regions
def region_cells(table: pd.DataFrame, decimals: int, names: dict | None = None) -> list[list[str]]:
    """Table 1's cells behind a region column that names each region once, on its first row
    (`names`: region label -> its name in the output language, catalogue.region_label_names)."""
    cells = statistic_cells(table, decimals)
    shown = table["region"].where(table["region"].ne(table["region"].shift()), "")
    return [[str((names or {}).get(region, region)), *row] for region, row in zip(shown, cells)]


def region_notes(
    data: pd.DataFrame, scheme: str, demo: bool, language: str = "zh", names: dict | None = None
) -> list[str]:
    """`scheme`: the scheme's human name (catalogue.scheme_name) in `language`."""
    t = texts(language, "tables.table_regions")
    counts = provinces_per_region(data)
    members = t["member_sep"].join(
        t["member"].format(region=(names or {}).get(region, region), n=n) for region, n in counts.items()
    )
    span = years(data["year"].min(), data["year"].max(), language)
    note = t["note"].format(scheme=scheme, members=members, years=span)
    return with_demo_note([note], demo, language)


# -------------------------------------------------------------------------------- table_trends
def trend_cells(
    table: pd.DataFrame, decimals: int, language: str = "zh", names: dict | None = None
) -> tuple[list[str], list[list[str]]]:
    """A regression table: one column per indicator; coefficient with stars over (SE). `names`:
    region label -> its name in `language` (catalogue.region_label_names)."""
    words = texts(language, "tables.table_trends.rows")
    variables = list(dict.fromkeys(table["variable"]))
    by = {v: table[table["variable"] == v].set_index("term") for v in variables}
    first = by[variables[0]]
    rows = []
    for term, region in first.loc[first.index != WALD, "region"].items():
        label = (
            words["pooled"] if term == "trend" else words["regional"].format(region=(names or {}).get(region, region))
        )
        rows.append(
            [label, *(f"{by[v].at[term, 'estimate']:.{decimals}f}{stars(by[v].at[term, 'p'])}" for v in variables)]
        )
        rows.append(["", *(f"({by[v].at[term, 'se']:.{decimals}f})" for v in variables)])
    if WALD in first.index:
        rows.append(
            [
                words["wald"],
                *(f"{by[v].at[WALD, 'statistic']:.3f}{stars(by[v].at[WALD, 'p'])}" for v in variables),
            ]
        )
        rows.append([words["p"], *(p_text(by[v].at[WALD, "p"]) for v in variables)])
    rows.append([words["nobs"], *(str(by[v]["nobs"].iloc[0]) for v in variables)])
    rows.append([words["clusters"], *(str(by[v]["clusters"].iloc[0]) for v in variables)])
    return ["", *variables], rows


def xtreg_se_ratio(n_obs: int, n_provinces: int, n_trends: int) -> float:
    """SE of `regress y t i.code, vce(cluster code)` over SE of `xtreg y t, fe vce(cluster code)`:
    both CR1, but regress counts the province dummies in K (K = provinces + trends), xtreg only
    the trends and a constant: sqrt((N - 1 - n_trends) / (N - K))."""
    return float(np.sqrt((n_obs - 1 - n_trends) / (n_obs - n_provinces - n_trends)))


def trend_notes(
    data: pd.DataFrame,
    scheme: str,
    demo: bool,
    units: dict[str, str],
    language: str = "zh",
    names: dict | None = None,
    variables=None,
    catalogue_path="data/reference/indicators.yaml",
) -> list[str]:
    """The table's note, one paragraph: the model, the unit of each indicator's coefficient (`units`:
    indicator -> unit, catalogue.indicator_units; every one of `variables`, default the indicator
    columns of `data`, needs one: else ConfigError naming `catalogue_path`), the standard errors and
    tests, the regions and the few-cluster caveat; `scheme` the scheme's human name, `names` region
    label -> name, both in `language`."""
    t = texts(language, "tables.table_trends")
    names = names or {}
    counts = provinces_per_region(data)
    variables = list(variables) if variables is not None else [v for v in ALL_INDICATORS if v in data.columns]
    missing = [v for v in variables if not units.get(v)]
    if missing:
        raise ConfigError(
            f"indicator(s) {missing} have no unit in {language}: add unit: {{zh: ..., en: ...}} to each",
            file=str(catalogue_path),
        )
    unit_text = t["unit_sep"].join(t["unit"].format(variable=v, unit=units[v]) for v in variables)
    model = t["note_model"].format(first=data["year"].min(), units=unit_text, df=data["code"].nunique() - 1)
    sizes = t["size_sep"].join(t["size"].format(region=names.get(region, region), n=n) for region, n in counts.items())
    few = [names.get(region, region) for region, n in counts.items() if n < FEW_CLUSTERS]
    sentences = [model, t["note_regions"].format(scheme=scheme, sizes=sizes)]
    if few:
        sentences.append(t["few"].format(regions=t["few_sep"].join(few), n=FEW_CLUSTERS))
    return with_demo_note([t["sentence_sep"].join(sentences)], demo, language)


# --------------------------------------------------------------------------- table_beta, sigma
def _number(x: float, decimals: int) -> str:
    return "—" if pd.isna(x) else f"{x:.{decimals}f}"


def beta_cells(table: pd.DataFrame, decimals: int, language: str = "zh") -> tuple[list[str], list[list[str]]]:
    t = texts(language, "tables.table_beta")
    heads = [t[f"heads.{h}"] for h in ("variable", "model", "beta", "se", "p", "r2", "speed", "half_life", "nobs")]
    rows = [
        [
            r.variable,
            t[f"models.{r.model}"],
            f"{r.beta:.{decimals}f}{stars(r.p)}",
            f"{r.se:.{decimals}f}",
            p_text(r.p),
            f"{r.r2:.3f}",
            _number(r.speed, decimals),
            _number(r.half_life, 1),
            str(r.nobs),
        ]
        for r in table.itertuples()
    ]
    return heads, rows


def beta_notes(table: pd.DataFrame, scheme: str, demo: bool, language: str = "zh") -> list[str]:
    """`scheme`: the scheme's human name (catalogue.scheme_name) in `language`."""
    first, last, cov = table["first_year"].iloc[0], table["last_year"].iloc[0], table["cov_type"].iloc[0]
    span = years(first, last, language)
    note = text(
        language,
        "tables.table_beta.note",
        first=first,
        last=last,
        span=last - first,
        years=span,
        cov=cov,
        scheme=scheme,
    )
    return with_demo_note([note], demo, language)


def sigma_cells(sigma: pd.DataFrame, decimals: int, language: str = "zh") -> tuple[list[str], list[list[str]]]:
    """One row per year: each indicator's cross-province sd and cv (convergence.sigma_table)."""
    words = texts(language, "tables.table_sigma.heads")
    variables = list(dict.fromkeys(sigma["variable"]))
    by = sigma.set_index(["variable", "year"])
    heads = [words["year"], *(f"{v} {words[what]}" for v in variables for what in ("sd", "cv"))]
    rows = [
        [str(year), *(f"{by.at[(v, year), c]:.{decimals}f}" for v in variables for c in ("sd", "cv"))]
        for year in sorted(sigma["year"].unique())
    ]
    return heads, rows


def sigma_notes(sigma: pd.DataFrame, demo: bool, language: str = "zh") -> list[str]:
    note = text(language, "tables.table_sigma.note", n=int(sigma["n"].max()))
    return with_demo_note([note], demo, language)


# ------------------------------------------------------------------------------------ the rule
def beyond_tables(
    paths: dict,
    indicators_path,
    references: dict,
    scheme: str,
    decimals: int,
    coef_decimals: int,
    language: str,
    demo: bool,
) -> list[PrintedTable]:
    """The tables beyond the paper present in `paths` (key -> csv) as printed in `language`.
    `references`: paths of schemes, scheme_names, region_labels and catalogue (data/reference/)."""
    if not paths:
        return []
    data = read_indicators_with_regions(indicators_path, references["schemes"], scheme)
    label_names = region_label_names(references["region_labels"], language)
    names = {r: region_label(label_names, r, references["region_labels"]) for r in data["region"].cat.categories}
    name = scheme_name(references["scheme_names"], scheme, language)
    units = indicator_units(load_catalogue(references["catalogue"]), language)
    out = []
    for key, path in paths.items():
        table = pd.read_csv(path)
        if key == "table_regions":
            heads = [text(language, "tables.table_regions.region"), *table1_heads(language)]
            rows = region_cells(table, decimals, names)
            left, shown = 2, decimals
            notes = region_notes(data, name, demo, language, names)
        elif key == "table_trends":
            heads, rows = trend_cells(table, coef_decimals, language, names)
            left, shown = 1, coef_decimals
            variables = list(dict.fromkeys(table["variable"]))
            notes = trend_notes(data, name, demo, units, language, names, variables, references["catalogue"])
        elif key == "table_sigma":  # results/data/sigma.csv, three decimals (the report's table)
            heads, rows = sigma_cells(table, SIGMA_DECIMALS, language)
            left, shown = 1, SIGMA_DECIMALS
            notes = sigma_notes(table, demo, language)
        elif key == "table_beta":
            heads, rows = beta_cells(table, coef_decimals, language)
            left, shown = 2, coef_decimals
            notes = beta_notes(table, name, demo, language)
        else:
            raise ValueError(f"no layout for table {key!r}")
        caption = text(language, f"tables.{key}.caption")
        if "region" in table.columns:  # Excel shows the csv: its region labels in the output language
            table = table.assign(region=table["region"].map({**names, ALL: text(language, "tables.all_regions")}))
        if "term" in table.columns:  # trends' terms name regions too (trend:东部)
            terms = {f"trend:{label}": f"trend:{name}" for label, name in names.items()}
            table = table.assign(term=table["term"].replace(terms))
        printed = (typeset(caption, language), typeset_all(heads, language), [typeset_all(r, language) for r in rows])
        out.append(PrintedTable(key, *printed, typeset_all(notes, language), table, shown, left))
    return out
