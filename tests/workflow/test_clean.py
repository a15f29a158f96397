"""Rule clean through the workflow: a damaged extract leaves no Table 1 until its cells are accepted
(and the report shows them), an unknown region or a missing province-year stops clean with no panel."""

import extract_writers as w
import pandas as pd
from conftest import edit_demo, failed, run_snakemake, unregistered


def test_workflow_damaged_extract_leaves_no_table1_until_accepted(workflow_copy):
    bad = w.corrupt(w.make_numbers(), "year_in_wan", "410000", 2019, "gdp")
    w.eps_long_csv(workflow_copy / "bad.csv", bad)
    overlay = workflow_copy / "bad.yaml"
    overlay.write_text("raw: [bad.csv]\nyears: {start: 2018, end: 2020}\n", encoding="utf-8")
    proc = run_snakemake(workflow_copy, "--configfile", "bad.yaml", check=False)
    assert proc.returncode != 0
    assert "MagnitudeError: bad.csv" in proc.stderr and "河南 (410000) 2019 gdp = " in proc.stderr
    results = workflow_copy / "results"
    assert (results / "data" / "raw_long.csv").exists()
    for made in ("data/panel.csv", "checks/data_checks.csv", "data/indicators.csv", "tables/table1.csv"):
        assert not (results / made).exists(), made
    assert not list(results.rglob("*.tmp"))  # no half-written file
    # accepted with a reason: the run goes through and the report shows the cells and the reason
    accept = "".join(
        f"    - {{check: {c}, region: 河南, year: 2019, series: {s}, reason: 测试用的统计口径变化}}\n"
        for c in ("year_on_year", "magnitude")
        for s in w.SERIES
    )
    overlay.write_text(overlay.read_text(encoding="utf-8") + "checks:\n  accept:\n" + accept, encoding="utf-8")
    run_snakemake(workflow_copy, "results/report/report.md", "--configfile", "bad.yaml")
    checks = pd.read_csv(results / "checks" / "data_checks.csv").set_index("check")
    assert (checks.loc["year_on_year", "failed"], checks.loc["year_on_year", "accepted"]) == (8, 8)
    assert (checks.loc["magnitude", "failed"], checks.loc["magnitude", "accepted"]) == (4, 4)
    assert (results / "tables" / "table1.csv").exists()
    report = (results / "report" / "report.md").read_text(encoding="utf-8")
    rows = [ln for ln in report.splitlines() if ln.startswith("| 相邻年份之比在合理范围内 | 河南 (410000) | 2019 |")]
    assert len(rows) == 8 and all(ln.endswith("| 测试用的统计口径变化 |") for ln in rows)
    # as written: the Markdown report is not HTML-escaped (issue 20)
    assert "gdp 2018 -> 2019: " in rows[0] and "(bad.csv line " in rows[0]
    rows = [
        ln for ln in report.splitlines() if ln.startswith("| 水平值在单个省份的合理范围内 | 河南 (410000) | 2019 |")
    ]
    assert len(rows) == 4 and all(ln.endswith("| 测试用的统计口径变化 |") for ln in rows)
    assert "look like 万元, not 亿元" in rows[0]
    # the threshold worded in the report's language (issue 26: data_checks.csv's English form was shown)
    assert (
        "| 相邻年份之比在合理范围内 | 0.5 ≤ 相邻年份之比 ≤ 2 | checks.year\\_on\\_year | 240 对相邻年份 | 8 | 8 |"
        in report
    )


def test_unknown_region_stops_clean_and_leaves_no_panel(demo_copy):
    _, line = edit_demo(demo_copy, ",河北,2010,", ",河北省份,2010,")
    out = failed(demo_copy, *unregistered(demo_copy))
    assert "UnknownRegionError" in out and f"'河北省份' (data/raw/demo/eps_demo.csv line {line})" in out
    assert not (demo_copy / "results/data/panel.csv").exists()
    assert not list((demo_copy / "results/data").glob(".panel.csv*"))


def test_missing_province_year_names_the_cell(demo_copy):
    path = demo_copy / "data/raw/demo/eps_demo.csv"
    lines = path.read_bytes().decode("gb18030").split("\r\n")
    lines = [ln for ln in lines if not ln.startswith("第二产业增加值（亿元）,山东,2015,")]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    out = failed(demo_copy, *unregistered(demo_copy))
    assert "UnbalancedPanelError" in out and "山东 (370000) secondary: 2015" in out
    assert not (demo_copy / "results/data/panel.csv").exists()
