"""Rule indicators: balanced panel -> upgrade, service, cyig (upgrade_repro/indicators.py)."""

import pandas as pd

from upgrade_repro.files import write_csv
from upgrade_repro.indicators import compute_indicators, load_lp_reference
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    panel = pd.read_csv(snakemake.input.panel, dtype={"code": str})
    sources = pd.read_csv(snakemake.input.sources, dtype={"code": str, "source": str})
    reference = load_lp_reference(snakemake.input.lp_reference[0]) if snakemake.input.lp_reference else None
    table = compute_indicators(
        panel, snakemake.params.share_denominator, sources, snakemake.params.indicators, reference
    )
    write_csv(table, snakemake.output.indicators)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("indicators")
    main(snakemake)
