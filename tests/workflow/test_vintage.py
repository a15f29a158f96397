"""Data vintages end to end (issue 28): the revised NBS exports of ../shared/data/nbs beside the
first-published EPS extract of real_run. One batched test on a clone of real_run (each step reruns
only what its config change touches): the stop at the clean stage, its message and numbers computed
here from the raw files; splice (zh) and link (en), each a whole run, Table 1 by hand and the choice
named in Table 1's note (text files and Word), the report's first lines and the change log;
first_published and latest up to Table 1. The same-vintage update (run_2022) runs as before."""

import statistics
import zipfile

import pandas as pd
import pytest
import yaml
from conftest import (
    CJK,
    NBS_EXPORTS,
    REGIONS,
    clone_run,
    failed,
    overlay,
    parse_eps,
    parse_nbs,
    run_snakemake,
    shared_file,
    table1_from_cells,
)

from upgrade_repro.clean import require_balanced
from upgrade_repro.describe import describe
from upgrade_repro.files import write_csv
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.table1_files import sample_note

FIFTH = "revised after the fifth economic census"
SAMPLE = {r.name_short: r.code for r in REGIONS.itertuples() if r.mainland and r.name_short != "西藏"}
SERIES = ("gdp", "primary", "secondary", "tertiary")
SPLICE_ZH = (
    "数据版本拼接、未衔接：2008—2019 年为初次公布数；2020—2021 年为第五次全国经济普查后的修订数；"
    "2020 年为断点，断点处的年际变化含修订差异。"
)
LINK_EN = (
    "Data vintage: first-published figures of 2008–2019 linked to figures revised after the fifth economic "
    "census by the ratio of the two in 2021 (sector shares linked, summing to GDP)."
)


def assert_table1(workdir, expected):
    table = pd.read_csv(workdir / "results/tables/table1.csv").set_index("variable")
    for var, stats in expected.items():
        assert table.loc[var, ["n", "mean", "sd", "min", "max"]].tolist() == pytest.approx(stats, rel=1e-12), var


def first_lines(workdir) -> str:
    """The report's lines before its first section."""
    return (workdir / "results/report/report.md").read_text(encoding="utf-8").split("\n## ")[0]


def docx_text(workdir) -> str:
    with zipfile.ZipFile(workdir / "results/manuscript/tables.docx") as z:
        return z.read("word/document.xml").decode("utf-8")


def change_row(workdir):
    changes = pd.read_csv(workdir / "results/checks/changes.csv", dtype=str, keep_default_na=False)
    return changes[(changes["table"] == "inputs") & (changes["key"] == "vintage")].iloc[0]


def test_a_panel_across_vintages_stops_and_each_choice_runs_end_to_end(real_run, tmp_path):
    eps_path = shared_file("eps/eps_long_2008_2021.csv")
    nbs = [str(shared_file(p)) for p in NBS_EXPORTS]
    raw = [str(eps_path), *nbs]
    wf = clone_run(real_run, tmp_path / "wf")
    old, new = parse_eps(eps_path), parse_nbs()

    # 1. the stop: exit code, the files, the seam, the revision per series (by hand) and the choices
    proc = run_snakemake(wf, *overlay(wf, raw=raw), check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "VintageConflictError" in out and "Error in rule clean" in out
    assert f"first published: {raw[0]} (registry) for 2008-2019" in out
    assert "Seam at 2020 (first published -> revised after the fifth economic census, 30 province(s))" in out
    for series in SERIES:
        pct = {k: 100 * (new[k] / old[k] - 1) for k in old if k in new and k[2] == series and k[0] in SAMPLE}
        (name, year, _), largest = max(pct.items(), key=lambda kv: abs(kv[1]))
        years = sorted({k[1] for k in pct})
        assert (
            f"{series} ({years[0]}-{years[-1]}, {len(pct)} cells) median {statistics.median(pct.values()):+.1f} %, "
            f"largest {largest:+.1f} % ({name} {year})" in out
        ), series
    assert "latest (not possible: the figures revised after the fifth economic census lack" in out
    assert "link (rescales 2008-2019 to the figures revised after the fifth economic census at 2021" in out
    assert "The revision by province and series: results/logs/clean.log" in out
    assert "  北京 (110000): gdp " in (wf / "results/logs/clean.log").read_text(encoding="utf-8")
    assert not (wf / "results/data/panel.csv").exists()  # the clean stage wrote nothing

    # 2. splice, in Chinese: Table 1 by hand (EPS to 2019, the revised exports from 2020), named everywhere
    run_snakemake(wf, *overlay(wf, raw=raw, vintage={"policy": "splice"}))
    spliced = {
        (n, y): tuple((old if y < 2020 else new)[(n, y, s)] for s in SERIES) for n in SAMPLE for y in range(2008, 2022)
    }
    assert_table1(wf, table1_from_cells(spliced))
    md = (wf / "results/tables/table1.md").read_text(encoding="utf-8")
    assert md.rstrip().endswith(SPLICE_ZH)
    assert SPLICE_ZH in first_lines(wf) and SPLICE_ZH in docx_text(wf)
    assert 'id="vintage-banner"' in (wf / "results/report/report.html").read_text(encoding="utf-8")
    row = change_row(wf)
    assert row["current"].startswith("Data vintages spliced, not linked: 2008–2019 first-published figures")
    assert row["status"] == "new" and row["comparison"] == "different raw data"
    registry = pd.read_csv(wf / "results/checks/registry.csv").set_index("file")
    assert registry["vintage_label"].tolist() == ["first published"] + [FIFTH] * 3
    assert registry["vintage_basis"].tolist() == ["registry"] + ["registry and note"] * 3
    assert (wf / "results/figures/vintage_revisions.png").is_file()
    claims = pd.read_csv(wf / "results/checks/claims.csv", dtype=str, keep_default_na=False)
    assert claims.loc[claims["kind"] == "sample", "verdict"].tolist() == ["not the paper's sample"]

    # 3. link, in English: Table 1 by hand (shares linked at 2021, GDP of the revised file)
    run_snakemake(wf, *overlay(wf, raw=raw, vintage={"policy": "link"}, report={"language": "en"}))
    linked = {}
    for n in SAMPLE:
        rho = [
            (new[(n, 2021, s)] / new[(n, 2021, "gdp")]) / (old[(n, 2021, s)] / old[(n, 2021, "gdp")])
            for s in SERIES[1:]
        ]
        for y in range(2008, 2022):
            if y >= 2020:
                linked[(n, y)] = tuple(new[(n, y, s)] for s in SERIES)
                continue
            w = [old[(n, y, s)] / old[(n, y, "gdp")] * r for s, r in zip(SERIES[1:], rho)]
            linked[(n, y)] = (new[(n, y, "gdp")], *(x / sum(w) * new[(n, y, "gdp")] for x in w))
    assert_table1(wf, table1_from_cells(linked))
    assert (wf / "results/tables/table1.md").read_text(encoding="utf-8").rstrip().endswith(LINK_EN)
    head = first_lines(wf)
    assert LINK_EN in head and not CJK.search(head.replace("数字经济下产业结构升级的内涵、困境与路径", ""))
    assert LINK_EN in docx_text(wf)
    assert change_row(wf)[["previous", "current"]].tolist()[1] == LINK_EN
    checks = pd.read_csv(wf / "results/checks/data_checks.csv").set_index("check")
    assert checks.loc["sector_sum", "failed"] == 0  # the linked sectors add up to GDP
    report = (wf / "results/report/report.md").read_text(encoding="utf-8")
    section = report.split("## Data vintages")[1].split("\n## ")[0]
    assert "| link ✓ |" in section and not CJK.search(section)

    # 4. first_published (up to Table 1 and the change log): the paper's figures, today's panel exactly
    targets = ["results/tables/table1.md", "results/checks/changes.csv"]
    run_snakemake(wf, *targets, *overlay(wf, raw=raw, vintage={"policy": "first_published"}, report={"language": "en"}))
    for f in ("results/data/panel.csv", "results/tables/table1.csv"):
        assert (wf / f).read_bytes() == (real_run / f).read_bytes(), f
    note = "Data vintage: first-published figures only (revised files left out: nbs_gdp_2006_2024_c5.csv, nbs_sectors_2020_c5.csv, nbs_sectors_2021_c5.csv)."
    # (Markdown escapes the file names' underscores)
    table1_md = (wf / "results/tables/table1.md").read_text(encoding="utf-8")
    assert table1_md.rstrip().replace("\\_", "_").endswith(note)

    # 5. latest: not possible with these files (the revised sector exports cover 2020-2021 only)
    out = failed(wf, *targets, *overlay(wf, raw=raw, vintage={"policy": "latest"}))
    assert (
        "config key vintage.policy: latest: the figures revised after the fifth economic census lack, for some "
        "province, 2008-2019 (primary, secondary, tertiary); choose vintage.policy link, splice or first_published"
    ) in out


def test_a_same_vintage_update_runs_as_before(run_2022, eps_2008_2021, eps_2022):
    """The EPS-style 2022 extract beside 2008-2021: both first published, so no notice anywhere;
    the panel is the files merged cell by cell (computed here without the vintages), Table 1's
    note the sample note alone; registry.csv and the report show each file's vintage."""
    wf = run_2022
    vintages = pd.read_csv(wf / "results/checks/vintages.csv")
    assert vintages[["vintage", "basis"]].values.tolist() == [["first published", "registry"]] * 2
    record = yaml.safe_load((wf / "results/checks/vintage_choice.json").read_text(encoding="utf-8"))
    assert record["across"] is False and record["seams"] == [] and record["choices"] == {}
    # the panel, a second way: the raw cells by hand, balanced, written as the clean stage writes it
    cells = parse_eps(eps_2008_2021, eps_2022)
    rows = pd.DataFrame(
        [
            {"code": SAMPLE[n], "year": y, "indicator": s, "value": v, "source": "", "line": 0}
            for (n, y, s), v in cells.items()
            if n in SAMPLE
        ]
    )
    names = REGIONS.set_index("code")["name_short"]
    panel = require_balanced(rows, list(SAMPLE.values()), range(2008, 2023), names, list(SERIES))
    expected = wf.parent / "panel_by_hand.csv"
    write_csv(panel, expected)
    assert (wf / "results/data/panel.csv").read_bytes() == expected.read_bytes()
    indicators = compute_indicators(panel)
    pd.testing.assert_frame_equal(pd.read_csv(wf / "results/tables/table1.csv"), describe(indicators), rtol=1e-14)
    md = (wf / "results/tables/table1.md").read_text(encoding="utf-8")
    assert md.rstrip().endswith(sample_note(indicators, "province", "zh"))
    assert "vintage-banner" not in (wf / "results/report/report.html").read_text(encoding="utf-8")
    assert "样本各年的增加值来自同一数据版本（初次公布数），没有断点" in (wf / "results/report/report.md").read_text(
        encoding="utf-8"
    )
    changes = pd.read_csv(wf / "results/checks/changes.csv")
    assert "vintage" not in set(changes["key"])
    assert pd.read_csv(wf / "results/checks/registry.csv")["vintage_label"].tolist() == ["first published"] * 2
    assert not (wf / "results/figures/vintage_revisions.png").exists()
