"""Rule figure_revisions: the revision between two data vintages on their overlap, one small panel
per province (upgrade_repro/figure_revisions.py)."""

import pandas as pd

from upgrade_repro.beyond_figures import save_titled
from upgrade_repro.figure_revisions import figure_title, plot_revisions
from upgrade_repro.fonts import use_cjk_font
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.regions import display_names, load_regions
from upgrade_repro.vintage import REVISION_COLUMNS


def main(snakemake) -> None:
    configure_logging(snakemake)
    use_cjk_font()
    params = snakemake.params
    language = params.language
    rev = pd.read_csv(snakemake.input.revisions, dtype={"code": str})[REVISION_COLUMNS]
    names = display_names(load_regions(snakemake.input.regions), language)
    save_titled(
        lambda titled: plot_revisions(rev, names, language, title=titled),
        snakemake.output.png,
        snakemake.output.svg,
        params.dpi,
        params.title_in_image,
        title=figure_title(rev, language),
    )


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("figure_revisions")
    main(snakemake)
