"""Table 1 and Figure 1's map the plain way: one Python process calling the library directly, as
an analyst's script would (no Snakemake, no job processes, no intermediate files). bench/run.py
times the cold `snakemake --cores N` of the same targets against it; tests/workflow/test_bench.py checks
that its outputs equal the workflow's.

    python bench/plain.py [--configfile overlay.yaml ...] [--out DIR]

Run from the workflow's directory (paths in the config are relative to it). Writes
DIR/tables/table1.{csv,md,tex,json}, DIR/figures/figure1_map.{png,svg,pdf} and
DIR/manuscript/figure1_map.png (DIR default: results).
"""

import argparse
import sys
from pathlib import Path
from types import SimpleNamespace

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The workflow's own targets, made by its rules describe, table1_files and figure_map.
TABLE1 = {"csv": "csv", "md": "md", "tex": "tex", "layout": "json"}  # output name -> suffix


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


def library_indicators(config: dict):
    """The indicator panel through the library, as rules ingest, clean and indicators make it
    (in the working directory: the project's root)."""
    import pandas as pd

    from upgrade_repro.clean import clean_stage
    from upgrade_repro.indicators import compute_indicators
    from upgrade_repro.ingest.extracts import read_extracts
    from upgrade_repro.regions import load_regions

    cleaned = clean_stage(
        read_extracts(config["raw"]),
        load_regions(config["code_table"] or "data/reference/provinces.csv"),
        pd.read_csv("data/reference/aggregates.csv", dtype=str),
        config["exclude_regions"],
        config["years"],
        config["vintage"]["winner"],
        config["checks"],
        unit=config["unit"],
    )
    return compute_indicators(cleaned.panel, config["share_denominator"], cleaned.sources)


def run(config: dict, out: Path) -> None:
    import matplotlib.pyplot as plt

    from upgrade_repro.describe import describe
    from upgrade_repro.figure_map import draw_map, map_table
    from upgrade_repro.figures import figure_notes, tier_names, year_span
    from upgrade_repro.files import save_figure, write_csv
    from upgrade_repro.fonts import use_cjk_font
    from upgrade_repro.prepare_boundaries import boundary_source, match_boundaries, prepare_boundaries
    from upgrade_repro.province_means import province_means, rank_and_tier
    from upgrade_repro.regions import display_names, load_regions
    from upgrade_repro.table1_files import table1_table
    from upgrade_repro.tables import LATEX_LABELS, write_text_files
    from upgrade_repro.texts import text

    demo = any(Path(p).resolve().is_relative_to(Path("data/raw/demo").resolve()) for p in config["raw"])
    language = config["report"]["language"]
    indicators = library_indicators(config)

    # Table 1 as rules describe (csv) and table1_files (md, tex, json) make it.
    table = describe(indicators)
    write_csv(table, out / "tables" / "table1.csv")
    t = table1_table(table, indicators, config["decimals"], config["unit"], language, demo)
    files = SimpleNamespace(**{k: out / "tables" / f"table1.{ext}" for k, ext in TABLE1.items() if k != "csv"})
    write_text_files(files, t.caption, LATEX_LABELS[t.key], t.heads, t.rows, t.notes, t.left)
    if config["unit"] != "province":
        return  # the map is provincial (as in the workflow's targets)

    # Figure 1's map as rule figure_map draws it: untitled for the manuscript, the standalone PNG
    # titled only with figure.title_in_image.
    figure = config["figure"]
    means = rank_and_tier(province_means(indicators), figure["tiers"])
    use_cjk_font()
    regions = load_regions("data/reference/provinces.csv")
    boundaries, maritime = prepare_boundaries(
        regions, figure["simplify_km"], figure["boundaries"], figure["boundaries_code_field"]
    )
    if figure["boundaries"]:
        regions, boundaries = match_boundaries(regions, means["code"], boundaries, figure["boundaries"])
    table = map_table(regions, means, boundaries, figure["tiers"], figure["no_data"], display_names(regions, language))
    span = year_span(indicators, language)
    title = text(language, "figures.map_title", span=span)
    notes = figure_notes(
        span,
        demo,
        source=boundary_source(figure["boundaries"]) if figure["boundaries"] else None,
        approval_number=figure["approval_number"],
        language=language,
    )
    names = tier_names(figure["tiers"], language)

    def draw(with_title: bool):
        return draw_map(
            table,
            maritime,
            figure["tiers"],
            figure["no_data"],
            title if with_title else None,
            notes,
            south_lines_only=bool(figure["boundaries"]),
            language=language,
            tier_names=names,
        )

    fig = draw(False)
    for kind in ("svg", "pdf"):
        save_figure(fig, out / "figures" / f"figure1_map.{kind}", figure["dpi"], title=title)
    save_figure(fig, out / "manuscript" / "figure1_map.png", figure["dpi"], title=title)
    if figure["title_in_image"]:
        plt.close(fig)
        fig = draw(True)
    save_figure(fig, out / "figures" / "figure1_map.png", figure["dpi"], title=title)
    plt.close(fig)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configfile", nargs="+", default=[])
    parser.add_argument("--out", type=Path, default=Path("results"))
    args = parser.parse_args(argv)
    run(load_config(args.configfile), args.out)


if __name__ == "__main__":
    main()
