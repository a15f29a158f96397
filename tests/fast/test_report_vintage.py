"""The report's data-vintage section (upgrade_repro/report_vintage.py, report/vintage.{md,html}.j2),
rendered from the clean stage's files in both languages: each file's vintage and evidence, the years
of each vintage, the revision on the overlap and Table 1 under each choice, checked against numbers
computed here from the synthetic extracts; a run of one vintage says so and shows no choice."""

import statistics

import extract_writers as w
import numpy as np
import pandas as pd
import pytest
from conftest import CJK, REGIONS, ROOT

from upgrade_repro.clean import clean_stage
from upgrade_repro.files import write_csv, write_text
from upgrade_repro.ingest.extracts import read_extracts
from upgrade_repro.regions import display_names
from upgrade_repro.report import make_environment, report_messages
from upgrade_repro.report_vintage import vintage_section
from upgrade_repro.vintage import choice_record, choice_record_text, notes_table, panels_table

AGGREGATES = pd.read_csv(ROOT / "data/reference/aggregates.csv", dtype=str)
FIFTH = "revised after the fifth economic census"
TERTIARY_UP = 1.05  # the revision of the synthetic revised file: tertiary +5 %, GDP to match


def revised(numbers: pd.DataFrame) -> pd.DataFrame:
    """2019-2020 of `numbers` revised: tertiary x TERTIARY_UP, GDP the new sum (sectors add up)."""
    new = numbers[numbers["year"] >= 2019].copy()
    new["tertiary"] = (new["tertiary"] * TERTIARY_UP).round(2)
    new["gdp"] = (new["primary"] + new["secondary"] + new["tertiary"]).round(2)
    return new


def write_outputs(result, out) -> dict:
    """The clean stage's files of `result` in folder `out`, as scripts/clean.py writes them: the
    report rule's inputs of the section."""
    out.mkdir()
    choices = {c: p if isinstance(p, str) else "" for c, p in (result.panels or {}).items()}
    inputs = {k: out / f"{k}.csv" for k in ("vintages", "vintage_revisions", "panel_by_choice", "panel_sources")}
    inputs["vintage_choice"] = out / "vintage_choice.json"
    write_csv(result.vintages, inputs["vintages"])
    write_text(choice_record_text(choice_record(result.resolution, result.pairs, choices)), inputs["vintage_choice"])
    write_csv(result.revisions, inputs["vintage_revisions"])
    write_csv(panels_table(result.panels or {}), inputs["panel_by_choice"])
    write_csv(result.sources, inputs["panel_sources"])
    return {k: str(p) for k, p in inputs.items()}


def clean_run(files, registry, policy="stop"):
    return clean_stage(
        read_extracts(files),
        REGIONS,
        AGGREGATES,
        ["西藏"],
        {"start": 2018, "end": 2020},
        vintage_policy=policy,
        registry=registry,
        notes=notes_table(files),
        files=files,
    )


POLICIES = ("splice", "link", "first_published")


@pytest.fixture(scope="module")
def clean_outputs(tmp_path_factory):
    """The clean stage's files for a first-published extract (2018-2020) and a revised one
    (2019-2020) under each policy that builds a panel (latest cannot: the revised file lacks
    2018); and for the first-published extract alone."""
    d = tmp_path_factory.mktemp("vintage_report")
    numbers = w.make_numbers()
    old = w.eps_long_csv(d / "first.csv", numbers).as_posix()
    new = w.eps_long_csv(d / "revised.csv", revised(numbers)).as_posix()
    registry = {old: "first published in the following year's yearbook", new: "revised after the 5th economic census"}
    runs = {policy: write_outputs(clean_run([old, new], registry, policy), d / policy) for policy in POLICIES}
    runs["one"] = write_outputs(clean_run([old], registry), d / "one")
    return numbers, runs


def render(inputs, language: str, fmt: str = "md"):
    params = {
        "project_root": ".",
        "share_denominator": "gdp",
        "config": {"registry": {"path": "data/raw/versions.csv"}},
    }
    names = display_names(REGIONS, language)
    section = vintage_section(inputs, params, names, language)
    env = make_environment(ROOT / "report", report_messages(language), fmt)
    context = {"vintage": section, "lang": language, "decimals": 3}
    return section, env.get_template(f"vintage.{fmt}.j2").render(context)


def test_the_section_shows_the_revision_and_table1_under_each_choice(clean_outputs):
    numbers, runs = clean_outputs
    section, md = render(runs["splice"], "en")
    sample = numbers[numbers["code"] != "540000"]
    # the revision of the tertiary sector: +5 % up to the rounding of the cells, by hand
    old = sample.set_index(["code", "year"])
    new = revised(sample).set_index(["code", "year"])
    pct = 100 * (new["tertiary"] / old.loc[new.index, "tertiary"] - 1)
    tertiary = next(s for s in section["revisions"][0]["by_series"] if s["series"] == "Tertiary sector")
    assert tertiary["cells"] == len(pct) == 60
    assert tertiary["median"] == pytest.approx(statistics.median(pct), rel=1e-12)
    assert f"| Tertiary sector | 2019–2020 | 60 | {statistics.median(pct):+.2f} |" in md
    # Table 1 under each choice: first_published = the first-published file alone; splice = 2018 of
    # it, then the revised file; latest: not possible (the revised file lacks 2018)
    spliced = pd.concat([sample[sample["year"] == 2018], revised(sample)])
    for choice, data in (("first_published", sample), ("splice", spliced)):
        column = [c["key"] for c in section["table1"]["choices"]].index(choice)
        upgrade = (data["tertiary"] / data["secondary"]).to_numpy()
        mean = next(r for r in section["table1"]["rows"] if r["variable"] == "upgrade" and r["statistic"] == "Mean")
        assert mean["cells"][column] == pytest.approx(np.mean(upgrade), rel=1e-12)
    assert [c["key"] for c in section["table1"]["choices"] if c["chosen"]] == ["splice"]
    assert "latest revision only: not possible (the figures revised after the fifth economic census lack" in md
    # which years come from which vintage, and the seam the splice leaves
    assert section["years"][0] | {"first": 0} == {
        "vintage": "first-published figures",
        "years": "2018",
        "provinces": 30,
        "treatment": "as_published",
        "newer": "",
        "link_year": None,
        "first": 0,
    }
    assert section["seam_years"] == [2019] and "Seam at 2019" in md
    assert section["note"].startswith("Data vintages spliced, not linked: 2018 first-published figures;")
    # each file's vintage and evidence
    assert (
        "| first-published figures | registry |" in md
        and "| figures revised after the fifth economic census | registry |" in md
    )
    assert not CJK.search(md), CJK.findall(md)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_section_renders_in_both_languages(clean_outputs, fmt):
    _, runs = clean_outputs
    _, zh = render(runs["splice"], "zh", fmt)
    assert "数据版本拼接、未衔接：2018 年为初次公布数；2019—2020 年为第五次全国经济普查后的修订数" in zh
    assert "不同选择下的表 1" in zh and "2019 年（拼接处的年际变化含修订差异）" in zh
    _, en = render(runs["splice"], "en", fmt)
    assert "Table 1 under each choice" in en and not CJK.search(en)


def test_a_run_of_one_vintage_says_so_and_shows_no_choice(clean_outputs):
    _, runs = clean_outputs
    section, md = render(runs["one"], "en")
    assert not section["across"] and section["note"] == "" and section["table1"] is None
    assert "Value added in every sample year comes from one data vintage (first-published figures)" in md
    assert "Table 1 under each choice" not in md and "no common cells" in md
    _, zh = render(runs["one"], "zh")
    assert "样本各年的增加值来自同一数据版本（初次公布数），没有断点" in zh


def test_files_of_unknown_vintage_alone_are_said_to_be_so(tmp_path):
    """No registry vintage (the demo's is "demo"), no note, no overlap: nothing tells the vintage."""
    raw = w.eps_long_csv(tmp_path / "mine.csv", w.make_numbers()).as_posix()
    section, md = render(write_outputs(clean_run([raw], {raw: "demo"}), tmp_path / "out"), "en")
    assert section["sample_vintages"] == [] and section["any_unknown"]
    assert "No file's data vintage is known" in md and "Files of unknown vintage are merged as before" in md
    assert (
        "| figures of unknown vintage | none (no registry row, no revision note, no common cells with another file) |"
        in md
    )


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_choice_is_named_in_the_section_in_both_languages(clean_outputs, policy, language):
    """The choice's note (the sentence Table 1, the first lines and the change log show) in the
    section, the run's column of Table 1 under each choice marked; in English no Chinese."""
    _, runs = clean_outputs
    section, md = render(runs[policy], language)
    assert section["across"] and section["policy"] == policy and section["note"] in md
    assert [c["key"] for c in section["table1"]["choices"] if c["chosen"]] == [policy]
    expected = {
        ("zh", "splice"): "数据版本拼接、未衔接：",
        ("zh", "link"): "数据版本：2018 年的初次公布数按 2020 年两版之比衔接到第五次全国经济普查后的修订数",
        ("zh", "first_published"): "数据版本：只用初次公布数（未用修订数文件 revised.csv）。",
        ("en", "splice"): "Data vintages spliced, not linked:",
        ("en", "link"): "Data vintage: first-published figures of 2018 linked to figures revised after the fifth",
        ("en", "first_published"): "Data vintage: first-published figures only (revised files left out: revised.csv).",
    }[(language, policy)]
    assert section["note"].startswith(expected)
    if language == "en":
        assert not CJK.search(md), CJK.findall(md)
