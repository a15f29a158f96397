"""Rule beyond_table_files: the text files (.md, .tex, .json) of the tables beyond the paper
(regions, trends, beta, sigma) in the report's language, from their csv (the cells, captions and
notes of beyond_table_files.beyond_tables, as in Word). A language switch reruns this, not the analyses."""

from types import SimpleNamespace

from upgrade_repro.beyond_table_files import beyond_tables
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.tables import LATEX_LABELS, write_text_files


def main(snakemake) -> None:
    configure_logging(snakemake)
    inp, out, params = snakemake.input, snakemake.output, snakemake.params
    paths = {"table_regions": inp.regions, "table_trends": inp.trends, "table_beta": inp.beta, "table_sigma": inp.sigma}
    references = {k: inp[k] for k in ("schemes", "scheme_names", "region_labels", "catalogue")}
    tables = beyond_tables(
        paths,
        inp.indicators,
        references,
        params.scheme,
        params.decimals,
        params.coef_decimals,
        params.language,
        params.demo,
    )
    for t in tables:
        short = t.key.removeprefix("table_")
        files = SimpleNamespace(md=out[f"{short}_md"], tex=out[f"{short}_tex"], layout=out[f"{short}_layout"])
        write_text_files(files, t.caption, LATEX_LABELS[t.key], t.heads, t.rows, t.notes, t.left)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("beyond_table_files")
    main(snakemake)
