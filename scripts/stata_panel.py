"""Rule stata_panel: results/data/indicators.dta, the indicator panel for Stata (format 118), every
variable labelled, the region code an integer with the names as value labels (`xtset code year`)."""

import pandas as pd

from upgrade_repro.catalogue import load_catalogue
from upgrade_repro.files import atomic_path
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.regions import load_regions
from upgrade_repro.stata_panel import provinces_in_language, stata_frame, variable_labels, write_stata
from upgrade_repro.texts import texts


def main(snakemake) -> None:
    configure_logging(snakemake)
    params = snakemake.params
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    indicators = provinces_in_language(indicators, load_regions(snakemake.input.regions), params.language)
    frame, names = stata_frame(indicators)
    with atomic_path(snakemake.output.dta) as tmp:
        write_stata(
            frame,
            names,
            variable_labels(params.share_denominator, load_catalogue(snakemake.input.catalogue), params.language),
            texts(params.language, "manuscript")["dta_label"],
            tmp,
        )
    logger.info("indicators.dta: %d units x %d years, %d rows", len(names), frame["year"].nunique(), len(frame))


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("stata_panel")
    main(snakemake)
