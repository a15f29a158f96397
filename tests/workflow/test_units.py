"""Unit of observation (config unit, code_table): the workflow on cities with a user's code table."""

import statistics

import pandas as pd
import pytest
import yaml
from conftest import run_snakemake

# Three cities x two years, chosen by hand: (code, name, year, gdp, primary, secondary, tertiary);
# the sectors sum to GDP and no series more than doubles (the integrity checks of upgrade_repro/checks.py).
CITIES = [
    ("130100", "石家庄", 2020, 100, 10, 40, 50),
    ("130100", "石家庄", 2021, 160, 10, 70, 80),
    ("130200", "唐山", 2020, 50, 5, 25, 20),
    ("130200", "唐山", 2021, 80, 8, 32, 40),
    ("320100", "南京", 2020, 40, 4, 16, 20),
    ("320100", "南京", 2021, 70, 8, 27, 35),
]
SERIES = ["地区生产总值（亿元）", "第一产业增加值（亿元）", "第二产业增加值（亿元）", "第三产业增加值（亿元）"]


def write_city_inputs(folder, exclude):
    """An EPS long extract of CITIES (plus a national total row), the minimal code table
    (code, name_short) and a config overlay for unit: city."""
    rows = [f"{SERIES[k]},{name},{year},{values[k]}" for code, name, year, *values in CITIES for k in range(4)]
    rows.append(f"{SERIES[0]},全国,2020,190")
    text = "\r\n".join(["指标,地区,时间,数值", *rows, "数据来源：测试"]) + "\r\n"
    (folder / "cities.csv").write_bytes(text.encode("gb18030"))
    codes = sorted({(code, name) for code, name, *_ in CITIES})
    (folder / "codes.csv").write_text("code,name_short\n" + "".join(f"{c},{n}\n" for c, n in codes), encoding="utf-8")
    overlay = {
        "raw": [str(folder / "cities.csv")],
        "unit": "city",
        "code_table": str(folder / "codes.csv"),
        "exclude_regions": exclude,
        "years": {"start": 2020, "end": 2021},
    }
    (folder / "city.yaml").write_text(yaml.safe_dump(overlay, allow_unicode=True), encoding="utf-8")
    return folder / "city.yaml"


def test_city_run_uses_the_code_table_and_skips_province_stages(workflow_copy, tmp_path):
    overlay = write_city_inputs(tmp_path, exclude=["南京"])
    run_snakemake(workflow_copy, "--configfile", str(overlay))

    panel = pd.read_csv(workflow_copy / "results/data/panel.csv", dtype={"code": str})
    assert sorted(set(panel["code"])) == ["130100", "130200"]  # 南京 excluded, 全国 dropped
    kept = [c for c in CITIES if c[1] != "南京"]
    expected = {
        "upgrade": [t / s for *_, g, p, s, t in kept],
        "service": [t / g for *_, g, p, s, t in kept],
        "cyig": [(p + 2 * s + 3 * t) / g for *_, g, p, s, t in kept],
    }
    table1 = pd.read_csv(workflow_copy / "results/tables/table1.csv").set_index("variable")
    for var, values in expected.items():
        assert table1.loc[var, "n"] == 4
        assert table1.loc[var, "mean"] == pytest.approx(statistics.mean(values), abs=1e-12)
        assert table1.loc[var, "sd"] == pytest.approx(statistics.stdev(values), abs=1e-12)
        assert table1.loc[var, "min"] == pytest.approx(min(values), abs=1e-12)
        assert table1.loc[var, "max"] == pytest.approx(max(values), abs=1e-12)
    assert "2 个城市 2020—2021" in (workflow_copy / "results/tables/table1.md").read_text(encoding="utf-8")
    # The check against the paper's provincial Table 1 is a province-only stage.
    assert not (workflow_copy / "results/checks/table1_vs_paper.csv").exists()
    # Manuscript files: Table 1 and the panel only (the other tables and the map are provincial).
    import docx

    doc = docx.Document(workflow_copy / "results/manuscript/tables.docx")
    assert len(doc.tables) == 1 and len(doc.inline_shapes) == 0
    assert [c.text for c in doc.tables[0].rows[1].cells][:2] == ["upgrade", "4"]
    with pd.io.stata.StataReader(workflow_copy / "results/data/indicators.dta") as reader:
        dta = reader.read(convert_categoricals=False)
        labels = reader.value_labels()
    assert sorted(set(dta["code"])) == [130100, 130200]
    assert {int(k) for k in next(iter(labels.values()))} == {130100, 130200}


def test_city_unit_without_code_table_stops_before_any_job(workflow_copy):
    proc = run_snakemake(workflow_copy, "-n", "--config", "unit=city", check=False)
    assert proc.returncode != 0
    assert "config key code_table" in proc.stdout + proc.stderr
