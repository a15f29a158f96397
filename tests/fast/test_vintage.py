"""Data vintages (issue 28, upgrade_repro/vintage.py): each file's vintage from the registry, a
revision note or the values; the stop of a panel joining two vintages, its numbers computed here a
second way from the raw files; each choice (first_published, latest, link, splice) and its Table 1
by hand on a small panel; the same-vintage update untouched. Fast tests only (no Snakemake)."""

import csv
import io
import statistics

import pandas as pd
import pytest
from conftest import NBS_EXPORTS, ROOT, parse_nbs, shared_file, table1_from_cells

from upgrade_repro import vintage as v
from upgrade_repro.checks import cell_table, check_sector_sums, resolve_accepted
from upgrade_repro.clean import (
    clean_stage,
    convert_to_yi_yuan,
    drop_outside_sample,
    keep_series,
    map_region_codes,
    merge_sources,
    require_balanced,
)
from upgrade_repro.errors import ConfigError, VintageConflictError
from upgrade_repro.ingest.extracts import read_extracts
from upgrade_repro.regions import load_regions
from upgrade_repro.registry import load_registry, raw_vintages

SHIPPED = "data/raw/public/nbs_gdp_composition_2008_2022.csv"
NBS = NBS_EXPORTS
FIFTH = "revised after the fifth economic census"
REGIONS = load_regions(ROOT / "data/reference/provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data/reference/aggregates.csv", dtype=str)
NAMES = dict(zip(REGIONS["code"], REGIONS["name_short"]))
SHORT = dict(zip(REGIONS["name_full"], REGIONS["name_short"]))
TIBET = "540000"


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # the registry's paths are relative to the project root


def relative(path) -> str:
    return f"../shared/data/{path}"


def prepare(files) -> pd.DataFrame:
    """The clean stage's long table where the vintages are resolved: read, regions mapped, 西藏
    left out, value added in 亿元."""
    long = map_region_codes(read_extracts(files), REGIONS, AGGREGATES)
    long = drop_outside_sample(long, REGIONS, [TIBET])
    return convert_to_yi_yuan(keep_series(long, v.VALUE_ADDED))


def registry_of(files) -> dict:
    return {r["file"]: r["vintage"] for r in raw_vintages(files, load_registry(ROOT / "data/raw/versions.csv"))}


def vintages_of(files, long=None):
    long = prepare(files) if long is None else long
    return v.file_vintages(files, registry_of(files), v.notes_table(files), long), long


def build(long, years, codes=None) -> pd.DataFrame:
    """The balanced panel from a resolved long table, as the clean stage builds it."""
    merged = merge_sources(long)
    codes = sorted(merged["code"].unique()) if codes is None else codes
    merged = merged[merged["year"].between(years[0], years[-1])]
    return require_balanced(merged, codes, list(years), pd.Series(NAMES), list(v.VALUE_ADDED))


# ---------------------------------------------------------------- the raw files, read a second way
def read_shipped() -> dict:
    """(short name, year, series) -> value from the shipped file with the csv module: GDP, and the
    sectors as GDP x share / 100."""
    out = {}
    text = (ROOT / SHIPPED).read_bytes().decode("utf-8-sig")
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        if row[0] == "中国":
            continue
        name, year, gdp = SHORT[row[0]], int(row[1]), float(row[2])
        out[(name, year, "gdp")] = gdp
        for series, share in zip(("primary", "secondary", "tertiary"), row[3:6]):
            out[(name, year, series)] = gdp * float(share) / 100
    return out


# ---------------------------------------------------------------- 1. each file's vintage
@pytest.mark.parametrize("path", NBS)
def test_the_revision_note_is_found_in_each_shared_nbs_export(path):
    file = shared_file(path)
    lines = file.read_bytes().decode("gb18030" if "gdp" in path else "utf-8-sig").splitlines()
    note_line = next(i for i, line in enumerate(lines, 1) if line.startswith("注"))
    notes = v.revision_notes(file)
    assert [(n["line"], n["vintage"]) for n in notes] == [(note_line, FIFTH)]
    assert "第五次全国经济普查" in notes[0]["text"] and "修订" in notes[0]["text"]


def test_files_without_a_revision_note_have_none():
    """The shipped file has no notes; the EPS exports' notes (数据来源, 版权声明, 导出时间) are unrelated."""
    assert v.revision_notes(ROOT / SHIPPED) == []
    for path in ("eps/eps_long_2008_2021.csv", "eps/eps_long_2022.csv"):
        assert v.revision_notes(shared_file(path)) == []


@pytest.mark.parametrize(
    "text, vintage",
    [
        (
            "注：按照我国国民经济核算数据修订制度和国际通行做法，在第五次全国经济普查后，对1992年-2023年地区生产总值历史数据进行了系统修订。",
            FIFTH,
        ),
        (
            "注：根据第四次全国经济普查结果，对2018年及以前年度数据进行了修订。",
            "revised after the fourth economic census",
        ),
        ("说明：2013年数据已根据第三次经济普查结果修订", "revised after the third economic census"),
        ("注：经第 4 次全国经济普查修正。", "revised after the fourth economic census"),
        ("注：数据已修订。", v.REVISED_UNNAMED),
        ("备注：本表为修订后数据", v.REVISED_UNNAMED),
        (
            "Note: figures revised after the fourth national economic census.",
            "revised after the fourth economic census",
        ),
        ("Note: data have been revised following the 5th economic census", FIFTH),
        ("Note: historical data have been revised.", v.REVISED_UNNAMED),
    ],
)
def test_revision_wording_in_its_variants(text, vintage):
    assert v.revision_note_vintage(text) == vintage


@pytest.mark.parametrize(
    "text",
    [
        "数据来源：国家统计局",
        "注：2023年数据为初步核算数，今后可能会有修订。",
        "注：本表按当年价格计算。",
        "注：2018年为第四次全国经济普查年度。",
        "注：按照我国国民经济核算数据修订制度和国际通行做法。",
        "注：因行政区划调整，部分地区数据不可比。",
        "版权声明：本数据仅供授权用户使用",
        "导出时间：2024-09-01",
        "Note: preliminary figures, subject to revision.",
        "Note: data for the latest year may be revised.",
        "北京市",
    ],
)
def test_unrelated_notes_are_not_revision_notes(text):
    assert v.revision_note_vintage(text) is None


def test_a_note_in_a_gbk_file_of_another_layout_is_found_with_its_line(tmp_path):
    path = tmp_path / "eps_2018.csv"
    text = "指标,地区,时间,数值\r\n地区生产总值（亿元）,北京,2018,33105.97\r\n注：根据第四次全国经济普查结果，对2018年及以前年度数据进行了修订。\r\n数据来源：EPS数据平台\r\n"
    path.write_bytes(text.encode("gb18030"))
    assert v.revision_notes(path) == [
        {
            "line": 3,
            "text": "注:根据第四次全国经济普查结果,对2018年及以前年度数据进行了修订。",
            "vintage": "revised after the fourth economic census",
        }
    ]


def test_registry_texts_give_canonical_labels():
    registry = load_registry(ROOT / "data/raw/versions.csv")
    labels = {f: v.vintage_from_text(t) for f, t in zip(registry["file"], registry["vintage"])}
    assert labels[SHIPPED] == v.FIRST_PUBLISHED
    assert labels["data/raw/demo/eps_demo.csv"] is None  # 'demo': no release named, so unknown
    assert labels["../shared/data/eps/eps_long_2022.csv"] == v.FIRST_PUBLISHED
    assert {labels[relative(p)] for p in NBS} == {FIFTH}
    assert [v.label_order(x) for x in (v.FIRST_PUBLISHED, FIFTH, v.REVISED_UNNAMED, v.UNKNOWN)] == [0, 5, None, None]


def test_each_file_s_vintage_with_its_evidence():
    for path in NBS:
        shared_file(path)
    files = [SHIPPED, *map(relative, NBS)]
    table, _ = vintages_of(files)
    table = table.set_index("file")
    assert table.loc[SHIPPED, "vintage"] == v.FIRST_PUBLISHED and table.loc[SHIPPED, "basis"] == "registry"
    for path in map(relative, NBS):
        assert table.loc[path, "vintage"] == FIFTH and table.loc[path, "basis"] == "registry and note"
        assert "第五次全国经济普查" in table.loc[path, "evidence"]
    # the values: the GDP file differs from the shipped one beyond rounding in every common cell
    # (30 provinces x 2008-2022), and agrees with the sector exports on their GDP
    assert f"differs from {SHIPPED} beyond rounding in 450 of 450" in table.loc[relative(NBS[0]), "values"]
    assert f"agrees with {relative(NBS[2])} on 30 common cell(s)" in table.loc[relative(NBS[0]), "values"]


def test_without_a_registry_row_the_note_or_the_values_tell():
    for path in NBS:
        shared_file(path)
    files = [SHIPPED, relative(NBS[2]), "../shared/data/eps/eps_long_2022.csv"]
    long = prepare(files)
    table = v.file_vintages(files, {}, v.notes_table(files), long).set_index("file")
    assert table.loc[relative(NBS[2]), ["vintage", "basis"]].tolist() == [FIFTH, "note"]
    # the shipped file alone: no row, no note, and it differs from a revision (which one it is,
    # nothing says): unknown, shown as such
    assert table.loc[SHIPPED, ["vintage", "basis"]].tolist() == [v.UNKNOWN, "none"]
    # with the shipped file registered, the EPS 2022 extract (no row given here) agrees with it on
    # every common cell of 2022 within rounding: first published, from the values
    table = v.file_vintages(files, registry_of([SHIPPED]), v.notes_table(files), long).set_index("file")
    assert table.loc["../shared/data/eps/eps_long_2022.csv", ["vintage", "basis"]].tolist() == [
        v.FIRST_PUBLISHED,
        "values",
    ]


def test_a_file_differing_systematically_from_first_published_is_a_revision(tmp_path):
    """No row, no note: the values alone. Revised 2021 figures written in the tidy layout."""
    revised = parse_nbs()
    path = tmp_path / "revised_2021.csv"
    rows = ["province,year,gdp（亿元）,primary（亿元）,secondary（亿元）,tertiary（亿元）"]
    rows += [
        f"{name},2021," + ",".join(str(revised[(name, 2021, s)]) for s in v.VALUE_ADDED)
        for name in sorted({n for n, y, s in revised if y == 2021})
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    files = [SHIPPED, path.as_posix()]
    table = v.file_vintages(files, registry_of([SHIPPED]), v.notes_table(files), prepare(files)).set_index("file")
    assert table.loc[path.as_posix(), ["vintage", "basis"]].tolist() == [v.REVISED_UNNAMED, "values"]


def test_a_registry_row_contradicted_by_the_file_s_note_stops():
    path = relative(NBS[2])
    shared_file(NBS[2])
    long = prepare([path])
    with pytest.raises(VintageConflictError) as error:
        v.file_vintages([path], {path: "first published in the following year's yearbook"}, v.notes_table([path]), long)
    message = str(error.value)
    assert message.startswith(f"{path}: line 35: the registry gives this file's vintage as")
    assert (
        "its note says revised after the fifth economic census" in message and "Correct the file's vintage" in message
    )


def test_rounding_bounds_come_from_each_cell_s_precision():
    long = pd.DataFrame(
        {
            "source": ["a", "b", "b", "b"],
            "code": ["110000"] * 4,
            "year": [2020] * 4,
            "indicator": ["gdp", "gdp", "secondary", "primary"],
            "indicator_raw": [
                "地区生产总值(亿元)",
                "GDP",
                "GDP × 第二产业比重（%） / 100",
                "GDP × 第一产业比重（%） / 100",
            ],
            "value": [38503.6, 36102.55, 36102.55 * 15.8 / 100, 36102.55 * 0.37 / 100],
        }
    )
    bounds = v.rounding_bounds(long).tolist()
    assert bounds[0] == pytest.approx(0.05)
    assert bounds[1] == pytest.approx(0.005)
    assert bounds[2] == pytest.approx(0.0005 * 36102.55 + 0.158 * 0.005)  # share to 0.1 point
    assert bounds[3] == pytest.approx(0.00005 * 36102.55 + 0.0037 * 0.005)  # share to 0.01 point


# ---------------------------------------------------------------- 2. the stop and its numbers
def test_the_shared_revised_exports_stop_with_files_seam_revision_and_choices():
    for path in NBS:
        shared_file(path)
    files = [SHIPPED, *map(relative, NBS)]
    table, long = vintages_of(files)
    with pytest.raises(VintageConflictError) as error:
        v.resolve_vintages(long, table, "stop", years=(2008, 2021), names=NAMES)
    message = str(error.value)
    for f in files:
        assert f in message
    assert f"first published: {SHIPPED} (registry) for 2008-2019" in message
    assert (
        "for 2020-2021. Seam at 2020 (first published -> revised after the fifth economic census, 30 province(s))"
        in (message)
    )
    # the revision on the overlap, a second way: every common cell of the raw files, read here
    old, new = read_shipped(), parse_nbs()
    for series in v.VALUE_ADDED:
        pct = {k: 100 * (new[k] / old[k] - 1) for k in old if k in new and k[2] == series and k[0] != "西藏"}
        median = statistics.median(pct.values())
        (name, year, _), largest = max(pct.items(), key=lambda kv: abs(kv[1]))
        years = sorted({k[1] for k in pct})
        span = f"{years[0]}-{years[-1]}"
        expected = (
            f"{series} ({span}, {len(pct)} cells) median {median:+.1f} %, largest {largest:+.1f} % ({name} {year})"
        )
        assert expected in message, expected
    # measured in the docs: GDP 2008-2022 in 450 cells, the sectors in 2020-2021
    assert "gdp (2008-2022, 450 cells)" in message and "tertiary (2020-2021, 60 cells)" in message
    # the choices, each with what it does or why it cannot
    assert "first_published (the paper's figures; leaves out the figures revised after the fifth" in message
    assert (
        "latest (not possible: the figures revised after the fifth economic census lack, for some province, 2008-2019 (primary, secondary, tertiary))"
        in message
    )
    assert (
        "link (rescales 2008-2019 to the figures revised after the fifth economic census at 2021 (vintage.link_year))"
        in message
    )
    assert "splice (joins them as published" in message


def test_a_revised_year_without_overlap_stops_and_says_the_revision_cannot_be_measured(tmp_path):
    """The issue's updater: the shipped file plus a revised NBS export (by year) of a year it lacks."""
    revised = parse_nbs()
    text = (
        "\ufeff数据库：分省年度数据\n时间：2023年\n地区\t,地区生产总值 (亿元)\t,第一产业增加值 (亿元)\t,"
        "第二产业增加值 (亿元)\t,第三产业增加值 (亿元)\t,\n"
    )
    for full, short in SHORT.items():
        if (short, 2021, "gdp") in revised:  # the 2021 figures relabelled 2023, the layout is what matters
            text += f"{full}\t," + "\t,".join(str(revised[(short, 2021, s)]) for s in v.VALUE_ADDED) + "\t,\n"
    text += "注：1. 按照我国国民经济核算数据修订制度和国际通行做法，在第五次全国经济普查后，对1992年-2023年地区生产总值历史数据进行了系统修订。\n数据来源：国家统计局\n"
    path = tmp_path / "nbs_2023.csv"
    path.write_text(text, encoding="utf-8")
    files = [SHIPPED, path.as_posix()]
    table, long = vintages_of(files)
    assert table.set_index("file").loc[path.as_posix(), "vintage"] == FIFTH  # unregistered: the note tells
    with pytest.raises(VintageConflictError) as error:
        v.resolve_vintages(long, table, "stop", years=(2008, 2023), names=NAMES)
    message = str(error.value)
    assert "Seam at 2023 (first published -> revised after the fifth economic census, 30 province(s))" in message
    assert "No common cells: the revision cannot be measured" in message
    assert (
        "first_published (not possible: the first-published figures lack, for some province, 2023 (gdp, primary"
        in message
    )
    assert "link (not possible: no year in which both" in message
    # splice, asked for: the panel is built, and named
    spliced = v.resolve_vintages(long, table, "splice", years=(2008, 2023))
    assert spliced.spliced and spliced.seams["year"].tolist() == [2023]
    assert "2008–2022 first-published figures; 2023 figures revised after the fifth economic census" in v.choice_note(
        spliced, "en"
    )
    assert "2023 年为断点" in v.choice_note(spliced, "zh")
    assert len(build(spliced.long, range(2008, 2024))) == 30 * 16


# ---------------------------------------------------------------- same vintage: nothing changes
def test_a_same_vintage_update_is_untouched():
    files = ["../shared/data/eps/eps_long_2008_2021.csv", "../shared/data/eps/eps_long_2022.csv"]
    for f in files:
        shared_file(f.removeprefix("../shared/data/"))
    table, long = vintages_of(files)
    assert table["vintage"].tolist() == [v.FIRST_PUBLISHED] * 2
    for policy in v.POLICIES:
        result = v.resolve_vintages(long, table, policy, years=(2008, 2022))
        assert result.long is long and not result.across and not result.spliced
        assert v.choice_note(result, "zh") == "" and v.choice_note(result, "en") == ""
    sources = merge_sources(long)[["code", "year", "indicator", "source"]]
    assert v.find_seams(sources, table).empty


def test_the_shipped_file_and_the_eps_2022_extract_agree_within_rounding():
    files = [SHIPPED, "../shared/data/eps/eps_long_2022.csv"]
    shared_file("eps/eps_long_2022.csv")
    long = prepare(files)
    pairs = v.compare_files(v.overlap_cells(long))
    assert pairs[["cells", "beyond"]].values.tolist() == [[120, 0]] and bool(pairs["agree"].iloc[0])
    table = v.file_vintages(files, registry_of(files), v.notes_table(files), long)
    assert not v.resolve_vintages(long, table, "stop", years=(2008, 2022)).across


def test_a_file_of_unknown_vintage_does_not_stop(tmp_path):
    path = tmp_path / "mine_2023.csv"
    path.write_text(
        "province,year,gdp（亿元）,primary（亿元）,secondary（亿元）,tertiary（亿元）\n"
        + "".join(f"{n},2023,100,10,40,50\n" for n in sorted(set(SHORT.values()) - {"西藏", "香港", "澳门", "台湾"})),
        encoding="utf-8",
    )
    files = [SHIPPED, path.as_posix()]
    table, long = vintages_of(files)
    assert table.set_index("file").loc[path.as_posix(), ["vintage", "basis"]].tolist() == [v.UNKNOWN, "none"]
    assert "no registry row, no revision note" in table.set_index("file").loc[path.as_posix(), "evidence"]
    assert v.resolve_vintages(long, table, "stop", years=(2008, 2023)).long is long


# ---------------------------------------------------------------- 3. the choices, by hand
def small_long(cells) -> pd.DataFrame:
    """A clean-stage long table from {(file, code, year): (gdp, primary, secondary, tertiary)}."""
    rows = []
    for (file, code, year), values in cells.items():
        for i, (series, value) in enumerate(zip(v.VALUE_ADDED, values)):
            rows.append(
                {
                    "source": file,
                    "line": year * 10 + i,
                    "indicator_raw": f"{series}(亿元)",
                    "indicator": series,
                    "unit": "亿元",
                    "region": NAMES[code],
                    "year": year,
                    "value": float(value),
                    "code": code,
                    "unit_raw": "亿元",
                }
            )
    return pd.DataFrame(rows)


A, B, C = "110000", "120000", "130000"
OLD = {  # first published, 2001-2004
    A: {2001: (80, 12, 36, 32), 2002: (90, 12, 39, 39), 2003: (95, 10.5, 39.5, 45), 2004: (100, 10, 40, 50)},
    B: {2001: (50, 10, 25, 15), 2002: (55, 10, 27, 18), 2003: (60, 9.6, 29.4, 21), 2004: (64, 9.6, 30.4, 24)},
    C: {2001: (200, 40, 100, 60), 2002: (220, 40, 110, 70), 2003: (240, 36, 120, 84), 2004: (260, 39, 130, 91)},
}
NEW = {  # revised after the fifth economic census, 2003-2005
    A: {2003: (104, 10.4, 36.4, 57.2), 2004: (110, 11, 38.5, 60.5), 2005: (120, 10.8, 40.8, 68.4)},
    B: {2003: (63, 10.08, 28.35, 24.57), 2004: (66, 9.9, 29.7, 26.4), 2005: (70, 9.8, 30.8, 29.4)},
    C: {2003: (230, 36.8, 110.4, 82.8), 2004: (250, 37.5, 120, 92.5), 2005: (270, 37.8, 129.6, 102.6)},
}


def small_case():
    cells = {("old.csv", c, y): x for c, years in OLD.items() for y, x in years.items()}
    cells.update({("new.csv", c, y): x for c, years in NEW.items() for y, x in years.items()})
    long = small_long(cells)
    registry = {"old.csv": "first published", "new.csv": "revised after the 5th economic census"}
    return long, v.file_vintages(["old.csv", "new.csv"], registry, {}, long)


def panel_cells(long, years) -> dict:
    """{(code, year): (gdp, primary, secondary, tertiary)} of the panel built from `long`."""
    return build(long, years).set_index(["code", "year"])[list(v.VALUE_ADDED)].apply(tuple, axis=1).to_dict()


def assert_table1(table, choice, expected):
    for var, stats in expected.items():
        got = table[table["variable"] == var].set_index("statistic")[choice]
        assert got[list(v.STATISTICS)].tolist() == pytest.approx(stats, rel=1e-12), (choice, var)


def assert_adds_up(long, years=None, tolerance_pct=0.2):
    """The clean stage's adding-up check passes on the sample years (it raises otherwise)."""
    accepted = resolve_accepted([], REGIONS)
    merged = merge_sources(long)
    if years is not None:
        merged = merged[merged["year"].between(*years)]
    summary, records = check_sector_sums(cell_table(merged), pd.Series(NAMES), tolerance_pct, accepted)
    assert summary["failed"] == 0 and records == []


def linked_by_hand(link_year, new_gdp=None) -> dict:
    """The link of the module docstring, by hand: shares times the ratio of shares at the link
    year, scaled to sum to one, times GDP (the newer vintage's where it has one, else linked)."""
    out = {}
    for c in OLD:
        og, *o = OLD[c][link_year]
        ng, *n = NEW[c][link_year]
        rho = [(n[i] / ng) / (o[i] / og) for i in range(3)]
        for year in (2001, 2002):
            g, *x = OLD[c][year]
            w = [x[i] / g * rho[i] for i in range(3)]
            gdp = (new_gdp or {}).get((c, year), g * ng / og)
            out[(c, year)] = (gdp, *(wi / sum(w) * gdp for wi in w))
    return out


def test_first_published_keeps_the_paper_s_figures():
    long, table = small_case()
    result = v.resolve_vintages(long, table, "first_published", years=(2001, 2004))
    expected = {(c, y): OLD[c][y] for c in OLD for y in range(2001, 2005)}
    assert panel_cells(result.long, range(2001, 2005)) == expected
    # the revised rows of the sample years (2005 is outside it): 3 provinces x 2 years x 4 series
    assert result.dropped[["file", "series", "years", "rows"]].values.tolist() == [
        ["new.csv", "gdp, primary, secondary, tertiary", "2003-2004", 24]
    ]
    assert not result.spliced
    assert (
        v.choice_note(result, "en") == "Data vintage: first-published figures only (revised files left out: new.csv)."
    )
    assert_adds_up(result.long)
    with pytest.raises(
        ConfigError, match=r"first_published: the first-published figures lack, for some province, 2005"
    ):
        v.resolve_vintages(long, table, "first_published", years=(2001, 2005))


def test_latest_takes_the_newest_vintage_where_it_covers_the_sample():
    long, table = small_case()
    result = v.resolve_vintages(long, table, "latest", years=(2003, 2005))
    expected = {(c, y): NEW[c][y] for c in NEW for y in range(2003, 2006)}
    assert panel_cells(result.long, range(2003, 2006)) == expected
    assert_adds_up(result.long)
    with pytest.raises(ConfigError) as error:
        v.resolve_vintages(long, table, "latest", years=(2001, 2005))
    assert "lack, for some province, 2001-2002 (gdp, primary, secondary, tertiary)" in str(error.value)
    assert "choose vintage.policy link, splice or first_published" in str(error.value)


@pytest.mark.parametrize("link_year", [None, 2003])
def test_link_rescales_the_older_vintage_at_the_link_year(link_year):
    long, table = small_case()
    result = v.resolve_vintages(long, table, "link", link_year=link_year, years=(2001, 2005))
    year = link_year or 2004  # default: the latest year both vintages give in full
    panel = build(result.long, range(2001, 2006)).set_index(["code", "year"])[list(v.VALUE_ADDED)]
    expected = linked_by_hand(year)
    expected.update({(c, y): NEW[c][y] for c in NEW for y in range(2003, 2006)})
    for key, values in expected.items():
        assert panel.loc[key].tolist() == pytest.approx(values, rel=1e-12), key
    # the linked sectors sum to the linked GDP exactly; the adding-up check passes
    linked = panel.loc[[k for k in expected if k[1] < 2003]]
    assert (linked[["primary", "secondary", "tertiary"]].sum(axis=1) / linked["gdp"] - 1).abs().max() < 1e-12
    assert_adds_up(result.long)
    # at the link year the shares are the newer vintage's: no jump at the seam
    assert result.link["link_year"].unique().tolist() == [year] and not result.spliced
    assert set(result.cells["treatment"]) == {f"linked to {FIFTH} at {year}"}
    assert v.choice_note(result, "en") == (
        f"Data vintage: first-published figures of 2001–2002 linked to figures revised after the fifth economic "
        f"census by the ratio of the two in {year} (sector shares linked, summing to GDP)."
    )


def test_link_takes_gdp_from_the_newer_vintage_where_it_has_gdp():
    long, table = small_case()
    extra = small_long({("new_gdp.csv", c, 2002): (g, 0, 0, 0) for c, g in ((A, 99.0), (B, 61.0), (C, 233.0))})
    extra = extra[extra["indicator"] == "gdp"]
    long = pd.concat([long, extra], ignore_index=True)
    table = v.file_vintages(
        ["old.csv", "new.csv", "new_gdp.csv"],
        {"old.csv": "first published", "new.csv": "revised after the 5th economic census", "new_gdp.csv": FIFTH},
        {},
        long,
    )
    result = v.resolve_vintages(long, table, "link", years=(2001, 2005))
    panel = build(result.long, range(2001, 2006)).set_index(["code", "year"])[list(v.VALUE_ADDED)]
    expected = linked_by_hand(2004, new_gdp={(A, 2002): 99.0, (B, 2002): 61.0, (C, 2002): 233.0})
    for key, values in expected.items():
        assert panel.loc[key].tolist() == pytest.approx(values, rel=1e-12), key
    gdp_rows = result.cells[result.cells["treatment"] == f"GDP of {FIFTH}"]
    assert gdp_rows[["code", "year", "source"]].values.tolist() == [[c, 2002, "new_gdp.csv"] for c in (A, B, C)]
    assert_adds_up(result.long)


def test_a_link_year_that_both_vintages_do_not_give_in_full_stops():
    long, table = small_case()
    with pytest.raises(ConfigError) as error:
        v.resolve_vintages(long, table, "link", link_year=2002, years=(2001, 2005))
    assert "config key vintage.link_year: 2002" in str(error.value) and "possible: 2003-2004" in str(error.value)


def test_splice_joins_as_published_and_is_named():
    long, table = small_case()
    result = v.resolve_vintages(long, table, "splice", years=(2001, 2005))
    expected = {(c, y): OLD[c][y] for c in OLD for y in (2001, 2002)}
    expected.update({(c, y): NEW[c][y] for c in NEW for y in range(2003, 2006)})
    assert panel_cells(result.long, range(2001, 2006)) == expected
    assert result.spliced
    seam = result.seams.iloc[0]
    assert (seam["year"], seam["from_vintage"], seam["to_vintage"], seam["provinces"]) == (
        2003,
        v.FIRST_PUBLISHED,
        FIFTH,
        3,
    )
    assert seam["from_files"] == ["old.csv"] and seam["to_files"] == ["new.csv"]
    assert v.choice_note(result, "zh") == (
        "数据版本拼接、未衔接：2001—2002 年为初次公布数；2003—2005 年为第五次全国经济普查后的修订数；"
        "2003 年为断点，断点处的年际变化含修订差异。"
    )
    assert_adds_up(result.long)


def test_stop_on_the_small_panel_names_the_revision_per_series():
    long, table = small_case()
    with pytest.raises(VintageConflictError) as error:
        v.resolve_vintages(long, table, "stop", years=(2001, 2005), names=NAMES)
    message = str(error.value)
    # tertiary on the overlap (2003, 2004), by hand
    pct = {(c, y): 100 * (NEW[c][y][3] / OLD[c][y][3] - 1) for c in OLD for y in (2003, 2004)}
    (code, year), largest = max(pct.items(), key=lambda kv: abs(kv[1]))
    assert (
        f"tertiary (2003-2004, 6 cells) median {statistics.median(pct.values()):+.1f} %, largest "
        f"{largest:+.1f} % ({NAMES[code]} {year})" in message
    )
    assert "Seam at 2003 (first published -> revised after the fifth economic census, 3 province(s))" in message


# ---------------------------------------------------------------- 4. Table 1 under each choice
def test_table1_under_each_choice_side_by_side_by_hand():
    long, table = small_case()

    def panel_of(resolved):
        return build(resolved, range(2001, 2005))

    panels = v.panels_by_choice(long, table, panel_of, years=(2001, 2004))
    result = v.table1_by_choice(panels)
    assert_table1(
        result, "first_published", table1_from_cells({(c, y): OLD[c][y] for c in OLD for y in range(2001, 2005)})
    )
    linked = linked_by_hand(2004)
    linked.update({(c, y): NEW[c][y] for c in NEW for y in (2003, 2004)})
    assert_table1(result, "link", table1_from_cells(linked))
    spliced = {(c, y): OLD[c][y] for c in OLD for y in (2001, 2002)}
    spliced.update({(c, y): NEW[c][y] for c in NEW for y in (2003, 2004)})
    assert_table1(result, "splice", table1_from_cells(spliced))
    # latest: the revised figures lack 2001-2002: no column, the reason instead
    assert result["latest"].isna().all()
    assert "lack, for some province, 2001-2002" in result.attrs["reasons"]["latest"]


def test_link_on_the_shared_files_removes_the_break_and_adds_up():
    for path in NBS:
        shared_file(path)
    files = [SHIPPED, *map(relative, NBS)]
    table, long = vintages_of(files)
    result = v.resolve_vintages(long, table, "link", years=(2008, 2021))
    panel = build(result.long, range(2008, 2022)).set_index(["code", "year"])
    old, new = read_shipped(), parse_nbs()
    for code in (A, "410000", "520000"):  # 北京, 河南, 贵州
        name = NAMES[code]

        def share(d, y, s):
            return d[(name, y, s)] / d[(name, y, "gdp")]

        rho = {s: share(new, 2021, s) / share(old, 2021, s) for s in ("secondary", "tertiary")}
        upgrade = old[(name, 2015, "tertiary")] / old[(name, 2015, "secondary")] * rho["tertiary"] / rho["secondary"]
        row = panel.loc[(code, 2015)]
        assert row["tertiary"] / row["secondary"] == pytest.approx(upgrade, rel=1e-12)
        assert row["gdp"] == new[(name, 2015, "gdp")]  # GDP: the revised file's, every year
        assert panel.loc[(code, 2021), "secondary"] == new[(name, 2021, "secondary")]  # as published
    assert_adds_up(result.long, (2008, 2021))
    assert v.choice_note(result, "zh") == (
        "数据版本：2008—2019 年的初次公布数按 2021 年两版之比衔接到第五次全国经济普查后的修订数（三次产业占比按比率衔接，三者之和等于地区生产总值）。"
    )
    # first_published is today's panel, exactly
    fp = v.resolve_vintages(long, table, "first_published", years=(2008, 2021))
    today = build(prepare([SHIPPED]), range(2008, 2022))
    pd.testing.assert_frame_equal(build(fp.long, range(2008, 2022)), today)


# ---------------------------------------------------------------- 5. the clean stage (phase B)
def clean_run(files, policy="stop", years=(2008, 2021), **kw):
    """The clean stage as the rule runs it: the raw long table, each file's registry text and the
    revision notes (as ingest writes them), config vintage.policy."""
    return clean_stage(
        read_extracts(files),
        REGIONS,
        AGGREGATES,
        ["西藏"],
        {"start": years[0], "end": years[1]},
        vintage_policy=policy,
        registry=registry_of(files),
        notes=v.notes_table(files),
        files=files,
        **kw,
    )


@pytest.fixture(scope="module")
def revised_files():
    for path in NBS:
        shared_file(path)
    return [SHIPPED, *map(relative, NBS)]


@pytest.fixture(scope="module")
def linked_run(revised_files):
    return clean_run(revised_files, "link")


def hand_panels() -> dict:
    """Each choice's panel {(code, year): (gdp, p, s, t)} from the raw files read here (csv
    module), 2008-2021, 30 provinces: first_published the shipped file; splice the shipped file to
    2019, the revised exports from 2020; link the module docstring's formula at 2021, GDP of the
    revised file (it gives every year)."""
    old, new = read_shipped(), parse_nbs()
    names = [NAMES[c] for c in NAMES if c not in (TIBET, "710000", "810000", "820000")]
    sectors = ("primary", "secondary", "tertiary")

    def cell(d, n, y):
        return tuple(d[(n, y, s)] for s in v.VALUE_ADDED)

    panels = {"first_published": {}, "splice": {}, "link": {}}
    for n in names:
        rho = [
            (new[(n, 2021, s)] / new[(n, 2021, "gdp")]) / (old[(n, 2021, s)] / old[(n, 2021, "gdp")]) for s in sectors
        ]
        for y in range(2008, 2022):
            panels["first_published"][(n, y)] = cell(old, n, y)
            panels["splice"][(n, y)] = cell(old if y < 2020 else new, n, y)
            if y >= 2020:
                panels["link"][(n, y)] = cell(new, n, y)
            else:
                w = [old[(n, y, s)] / old[(n, y, "gdp")] * r for s, r in zip(sectors, rho)]
                gdp = new[(n, y, "gdp")]
                panels["link"][(n, y)] = (gdp, *(x / sum(w) * gdp for x in w))
    return panels


def test_the_clean_stage_stops_across_vintages_and_logs_the_revision_by_province(revised_files, caplog):
    with caplog.at_level("INFO"), pytest.raises(VintageConflictError) as error:
        clean_run(revised_files, log_file="results/logs/clean.log")
    message = str(error.value)
    assert "Seam at 2020 (first published -> revised after the fifth economic census, 30 province(s))" in message
    assert "The revision by province and series: results/logs/clean.log. See docs/updating.md." in message
    # the log: each province's median and largest revision per series, a second way from the raw files
    old, new = read_shipped(), parse_nbs()
    for name in ("北京", "河南", "贵州"):
        parts = []
        for series in v.VALUE_ADDED:
            both = [y for y in range(2008, 2023) if (name, y, series) in new and (name, y, series) in old]
            pct = {y: 100 * (new[(name, y, series)] / old[(name, y, series)] - 1) for y in both}
            year, largest = max(pct.items(), key=lambda kv: abs(kv[1]))
            parts.append(f"{series} {statistics.median(pct.values()):+.2f} ({largest:+.2f} {year}, {len(pct)} cells)")
        code = next(c for c, n in NAMES.items() if n == name)
        assert f"  {name} ({code}): {'; '.join(parts)}" in caplog.text
    # 北京's secondary in 2021, the issue's +6.4 %
    assert "secondary +4.90 (+6.38 2021, 2 cells)" in caplog.text


def test_each_choice_through_the_clean_stage_by_hand(linked_run):
    """The run's panel (policy link) and the panel under each other choice (built by the same steps
    for Table 1 side by side) against the raw files read here."""
    result = linked_run
    pd.testing.assert_frame_equal(result.panel, result.panels["link"])
    for choice, expected in hand_panels().items():
        panel = result.panels[choice]
        panel = panel.assign(name=panel["code"].map(NAMES)).set_index(["name", "year"])
        assert len(panel) == len(expected) == 420
        for key, values in expected.items():
            assert panel.loc[key, list(v.VALUE_ADDED)].tolist() == pytest.approx(values, rel=1e-12), (choice, key)
    # the integrity checks ran and passed on the panel (the linked sectors sum to GDP exactly)
    checks = result.data_checks.set_index("check")
    assert checks.loc["sector_sum", "failed"] == 0 and checks.loc["sector_sum", "examined"] == 420
    # Table 1 under each choice, by hand for the three possible ones
    table = v.table1_by_choice(result.panels)
    for choice, cells in hand_panels().items():
        assert_table1(table, choice, table1_from_cells(cells))
    assert "lack, for some province, 2008-2019" in table.attrs["reasons"]["latest"]
    assert result.resolution.policy == "link" and result.resolution.across


def test_each_panel_cell_keeps_its_file_line_vintage_and_treatment(linked_run):
    sources = linked_run.sources.set_index(["code", "year", "indicator"])
    fifth = "revised after the fifth economic census"
    beijing_2015 = sources.loc[(A, 2015)]
    # the sectors of 2015: the shipped file's line, linked to the revised vintage at 2021
    assert set(beijing_2015.loc[["primary", "secondary", "tertiary"], "source"]) == {SHIPPED}
    assert set(beijing_2015.loc[["primary", "secondary", "tertiary"], "treatment"]) == {f"linked to {fifth} at 2021"}
    assert beijing_2015.loc["gdp", ["source", "vintage", "treatment"]].tolist() == [
        relative(NBS[0]),
        fifth,
        f"GDP of {fifth}",
    ]
    assert set(linked_run.sources["vintage"]) == {fifth}
    assert sources.loc[(A, 2021, "secondary"), ["vintage", "treatment"]].tolist() == [fifth, v.AS_PUBLISHED]
    assert list(linked_run.sources.columns) == ["code", "year", "indicator", "source", "line", "vintage", "treatment"]


def test_the_clean_stage_s_record_round_trips(linked_run, tmp_path):
    result = linked_run
    choices = {c: p if isinstance(p, str) else "" for c, p in result.panels.items()}
    path = tmp_path / "vintage_choice.json"
    path.write_text(v.choice_record_text(v.choice_record(result.resolution, result.pairs, choices)), encoding="utf-8")
    read, record = v.read_choice(path)
    for language in ("zh", "en"):
        assert v.vintage_note(path, language) == v.choice_note(result.resolution, language) != ""
    assert record["across"] is True and record["policy"] == "link" and record["choices"]["link"] == ""
    assert record["link"][0]["link_year"] == 2021 and len(record["pairs"]) == len(result.pairs) == 5
    # the panels under each choice, written and read back: the same Table 1
    panels = tmp_path / "panel_by_choice.csv"
    v.panels_table(result.panels).to_csv(panels, index=False)
    back = v.panels_from_table(pd.read_csv(panels, dtype={"code": str}), record["choices"])
    pd.testing.assert_frame_equal(v.table1_by_choice(back), v.table1_by_choice(result.panels))


def test_a_same_vintage_update_through_the_clean_stage_is_today_s():
    """The EPS-style 2022 extract beside 2008-2021: one vintage, so the clean stage's panel is the
    one the files give merged cell by cell (as before the vintages), with no choice to record."""
    files = ["../shared/data/eps/eps_long_2008_2021.csv", "../shared/data/eps/eps_long_2022.csv"]
    for f in files:
        shared_file(f.removeprefix("../shared/data/"))
    result = clean_run(files, years=(2008, 2022))
    today = build(prepare(files), range(2008, 2023))
    pd.testing.assert_frame_equal(result.panel, today)
    assert result.vintages[["vintage", "basis"]].values.tolist() == [[v.FIRST_PUBLISHED, "registry"]] * 2
    assert not result.resolution.across and result.panels is None and result.revisions.empty
    assert set(result.sources["vintage"]) == {v.FIRST_PUBLISHED} and set(result.sources["treatment"]) == {
        "as published"
    }
    record = v.choice_record(result.resolution, result.pairs)
    assert record["across"] is False and v.choice_note(result.resolution, "zh") == ""
