"""Rule claims: the statements of section 1.2.2 and Table 1 against the paper, checked once ->
results/checks/claims.csv (upgrade_repro/claims.py)."""

from upgrade_repro.claims import build_claims
from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake


def main(snakemake) -> None:
    configure_logging(snakemake)
    inputs = {key: snakemake.input[key] for key in snakemake.input.keys()}
    params = {key: snakemake.params[key] for key in snakemake.params.keys()}
    write_csv(build_claims(inputs, params), snakemake.output.claims)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("claims")
    main(snakemake)
