"""Rule prepare_boundaries: the map's projected, simplified boundaries and boundary lines
(upgrade_repro/prepare_boundaries.py), static: they depend on the boundary source, the region table and
figure.simplify_km only, so new data reuse them."""

from upgrade_repro.files import write_csv
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.prepare_boundaries import prepare_boundaries, static_boundaries_table
from upgrade_repro.regions import load_regions


def main(snakemake) -> None:
    configure_logging(snakemake)
    params = snakemake.params
    regions = load_regions(snakemake.input.regions)
    boundaries, lines = prepare_boundaries(regions, params.simplify_km, params.boundaries, params.boundaries_code_field)
    write_csv(static_boundaries_table(boundaries, lines), snakemake.output.boundaries)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("prepare_boundaries")
    main(snakemake)
