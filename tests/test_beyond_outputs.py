"""Beyond the paper: figures (CJK glyphs, byte-identical), the rules' wiring, and the real data."""

import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT, SCHEMES, SLOPES, clustered_slope, run_snakemake, synthetic, within
from matplotlib.font_manager import findfont

from upgrade_repro.catalogue import indicator_names, load_catalogue, scheme_name
from upgrade_repro.convergence import beta_table, sigma_table
from upgrade_repro.figures import plot_regional_trends, plot_sigma, regional_means, save_png_svg
from upgrade_repro.fonts import cjk_font_path, use_cjk_font
from upgrade_repro.indicators import compute_indicators
from upgrade_repro.panel import build_panel
from upgrade_repro.readers import read_extracts
from upgrade_repro.region_schemes import attach_regions, load_region_scheme
from upgrade_repro.regional_stats import describe_by_region
from upgrade_repro.regions import load_regions
from upgrade_repro.trends import WALD, trend_table


def test_regional_means_by_hand():
    data = synthetic(SLOPES)
    means = regional_means(data).set_index(["region", "variable", "year"])
    for (region, year), part in data.groupby(["region", "year"], observed=True):
        assert means.loc[(region, "cyig", year), "mean"] == pytest.approx(part["cyig"].mean())
        assert means.loc[(region, "cyig", year), "n"] == len(part)
    assert list(dict.fromkeys(means.index.get_level_values("region"))) == ["东部", "中部", "西部", "东北"]


CATALOGUE = ROOT / "data" / "reference" / "indicators.yaml"
NAMES = indicator_names(load_catalogue(CATALOGUE), "zh")


def test_figure_titles_name_indicators_and_schemes_as_the_catalogue_does():
    # Before: the σ and regional-trend panels called cyig 产业结构层次系数 (figures.TITLES) and
    # the regional title showed the raw config value nbs4.
    data = synthetic(SLOPES)
    schemes = ROOT / "data" / "reference" / "region_scheme_names.csv"
    label = scheme_name(schemes, "nbs4", "zh")
    assert label != "nbs4" and scheme_name(schemes, "ecw3", "en") != "ecw3"
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for fig in (
        plot_regional_trends(regional_means(data), label, demo=False, names=NAMES),
        plot_sigma(sigma_table(data), demo=False, names=NAMES),
    ):
        titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
        for var in ("upgrade", "service", "cyig"):
            assert f"{var}：{catalogue[var]['name']['zh']}" in titles
        assert not any("层次系数" in t for t in titles)
    assert label in plot_regional_trends(regional_means(data), label, False, NAMES)._suptitle.get_text()


def test_figures_draw_real_cjk_glyphs():
    assert Path(findfont(use_cjk_font(), fallback_to_default=False)) == Path(cjk_font_path())
    data = synthetic(SLOPES)
    for fig in (
        plot_regional_trends(regional_means(data), "nbs4", demo=True, names=NAMES),
        plot_sigma(sigma_table(data), demo=True, names=NAMES),
    ):
        # matplotlib warns "Glyph ... missing from font(s)" for each character it draws as a box
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.savefig(io.BytesIO(), format="png")


def test_saved_figure_is_byte_identical(tmp_path):
    use_cjk_font()
    data = synthetic(SLOPES)
    outputs = []
    for run in (1, 2):
        png, svg = tmp_path / f"f{run}.png", tmp_path / f"f{run}.svg"
        save_png_svg(plot_regional_trends(regional_means(data), "nbs4", demo=False, names=NAMES), png, svg, 150)
        outputs.append((png.read_bytes(), svg.read_bytes()))
    assert outputs[0] == outputs[1]
    svg_text = outputs[0][1].decode("utf-8")
    assert "<dc:date>" not in svg_text
    assert 'id="NotoSansCJKsc-Regular-' in svg_text  # glyph outlines embedded: no font needed to view


@pytest.mark.workflow
def test_rules_pass_the_config(tmp_path):
    from upgrade_repro.mock import mock_snakemake

    smk = mock_snakemake("trends", beyond={"region_scheme": "ecw3"})
    assert smk.params.scheme == "ecw3"
    smk = mock_snakemake("beyond_table_files", beyond={"region_scheme": "ecw3"})
    assert smk.params.scheme == "ecw3" and smk.params.coef_decimals == 4  # schema default filled in
    assert smk.input.schemes == "data/reference/region_schemes.csv"
    smk = mock_snakemake("convergence")
    assert smk.params.cov_type == "HC1" and smk.output.sigma == "results/data/sigma.csv"


@pytest.mark.workflow
def test_unknown_scheme_stops_before_any_job(workflow_copy):
    (workflow_copy / "bad.yaml").write_text("beyond:\n  region_scheme: nbs5\n", encoding="utf-8")
    proc = run_snakemake(workflow_copy, "-n", "--configfile", "bad.yaml", check=False)
    assert proc.returncode != 0 and "region_scheme" in proc.stdout + proc.stderr


def real_indicators(raw) -> pd.DataFrame:
    """The spine's functions, in process (the whole workflow runs in test_workflow)."""
    regions = load_regions(ROOT / "data/reference/provinces.csv")
    aggregates = pd.read_csv(ROOT / "data/reference/aggregates.csv", dtype=str)
    panel = build_panel(read_extracts([raw]), regions, aggregates, ["西藏"], {"start": 2008, "end": 2021})
    return compute_indicators(panel)


def test_real_data(eps_2008_2021):
    indicators = real_indicators(eps_2008_2021)
    for scheme, sizes in (
        ("nbs4", {"东部": 10, "中部": 6, "西部": 11, "东北": 3}),
        ("ecw3", {"东部": 11, "中部": 8, "西部": 11}),
    ):
        data = attach_regions(indicators, load_region_scheme(SCHEMES, scheme))
        table = describe_by_region(data)
        n = table.groupby("region", sort=False)["n"].first().to_dict()
        assert n == {r: 14 * k for r, k in sizes.items()}  # Tibet out, 2008-2021
    data = attach_regions(indicators, load_region_scheme(SCHEMES, "nbs4"))
    trends = trend_table(data).set_index(["variable", "term"])
    for var in ("upgrade", "service", "cyig"):
        t_dm, y_dm, groups = within(data, var)
        b, se = clustered_slope(t_dm, y_dm, groups, n_params=31)
        assert trends.loc[(var, "trend"), ["estimate", "se"]].tolist() == pytest.approx([b, se], rel=1e-8)
        assert 0 <= trends.loc[(var, WALD), "p"] <= 1
        assert trends.loc[(var, WALD), ["df_num", "df_den"]].tolist() == [3, 29]
    sigma = sigma_table(data).set_index(["variable", "year"])
    for year in (2008, 2021):
        x = data.loc[data["year"] == year, "upgrade"].to_numpy()
        assert sigma.loc[("upgrade", year), ["sd", "cv"]].tolist() == pytest.approx(
            [np.std(x, ddof=1), np.std(x, ddof=1) / np.mean(x)]
        )
    beta = beta_table(data, "HC1")
    assert len(beta) == 6 and (beta["nobs"] == 30).all()
