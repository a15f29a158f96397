"""Table 1 and Figure 1's map the plain way: one Python process calling the library directly, as
an analyst's script would (no Snakemake, no job processes, no intermediate files). bench/run.py
times the cold `snakemake --cores N` of the same targets against it; tests/test_bench.py checks
that its outputs equal the workflow's.

    python bench/plain.py [--configfile overlay.yaml ...] [--out DIR]

Run from the workflow's directory (paths in the config are relative to it). Writes
DIR/tables/table1.{csv,md,tex} and DIR/figures/figure1_map.{png,svg,pdf} (DIR default: results).
"""

import argparse
import sys
from pathlib import Path
from types import SimpleNamespace

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The workflow's own targets, made by its rules describe and figure_map.
TABLE1 = {"csv": "csv", "md": "md", "tex": "tex", "layout": "json"}  # output name -> suffix
MAP = ("png", "svg", "pdf")


def load_config(overlays=()) -> dict:
    """config.yaml updated by each overlay in turn, nested keys merged (as Snakemake's --configfile)."""

    def update(base, new):
        for key, value in new.items():
            if isinstance(value, dict) and isinstance(base.get(key), dict):
                update(base[key], value)
            else:
                base[key] = value

    config = yaml.safe_load(Path("config.yaml").read_text(encoding="utf-8"))
    for path in overlays:
        update(config, yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
    return config


def run(config: dict, out: Path) -> None:
    import matplotlib.pyplot as plt
    import pandas as pd

    from upgrade_repro.boundaries import boundary_source, match_boundaries, prepare_boundaries
    from upgrade_repro.descriptive import describe, sample_note
    from upgrade_repro.figures import figure_notes, year_span
    from upgrade_repro.files import save_figure
    from upgrade_repro.fonts import use_cjk_font
    from upgrade_repro.indicators import compute_indicators
    from upgrade_repro.maps import draw_map, map_table
    from upgrade_repro.panel import clean_stage
    from upgrade_repro.readers import read_extracts
    from upgrade_repro.regions import load_regions
    from upgrade_repro.tables import CAPTION, HEADS, statistic_cells, with_demo_note, write_table_files
    from upgrade_repro.tiers import province_means, rank_and_tier

    demo = any(Path(p).resolve().is_relative_to(Path("data/raw/demo").resolve()) for p in config["raw"])
    region_table = config["code_table"] or "data/reference/provinces.csv"
    long = read_extracts(config["raw"])
    cleaned = clean_stage(
        long,
        load_regions(region_table),
        pd.read_csv("data/reference/aggregates.csv", dtype=str),
        config["exclude_regions"],
        config["years"],
        config["vintage_winner"],
        config["checks"],
    )
    indicators = compute_indicators(cleaned.panel, config["share_denominator"], cleaned.sources)

    table = describe(indicators)
    notes = with_demo_note([sample_note(indicators, config["unit"])], demo)
    files = SimpleNamespace(**{k: out / "tables" / f"table1.{ext}" for k, ext in TABLE1.items()})
    write_table_files(files, table, CAPTION, "tab:table1", HEADS, statistic_cells(table, config["decimals"]), notes)
    if config["unit"] != "province":
        return  # the map is provincial (as in the workflow's targets)

    figure = config["figure"]
    means = rank_and_tier(province_means(indicators), figure["tiers"])
    use_cjk_font()
    regions = load_regions("data/reference/provinces.csv")
    boundaries, maritime = prepare_boundaries(
        regions, figure["simplify_km"], figure["boundaries"], figure["boundaries_code_field"]
    )
    if figure["boundaries"]:
        regions, boundaries = match_boundaries(regions, means["code"], boundaries, figure["boundaries"])
    title = f"{year_span(indicators)}各省份产业结构升级指标均值"
    fig = draw_map(
        map_table(regions, means, boundaries, figure["tiers"], figure["no_data"]),
        maritime,
        figure["tiers"],
        figure["no_data"],
        title,
        figure_notes(
            year_span(indicators),
            demo,
            source=boundary_source(figure["boundaries"]),
            approval_number=figure["approval_number"],
        ),
        south_lines_only=bool(figure["boundaries"]),
    )
    for kind in MAP:
        save_figure(fig, out / "figures" / f"figure1_map.{kind}", figure["dpi"], title=title)
    plt.close(fig)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configfile", nargs="+", default=[])
    parser.add_argument("--out", type=Path, default=Path("results"))
    args = parser.parse_args(argv)
    run(load_config(args.configfile), args.out)


if __name__ == "__main__":
    main()
