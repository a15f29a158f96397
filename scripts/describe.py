"""Rule describe: indicators -> Table 1 (N, mean, sample sd, min, max) as csv at full precision; its
text files in the report's language are rule table1_files' (scripts/table1_files.py)."""

import pandas as pd

from upgrade_repro.describe import describe
from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    indicators = pd.read_csv(snakemake.input.indicators, dtype={"code": str})
    write_csv(describe(indicators), snakemake.output.csv)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("describe")
    main(snakemake)
