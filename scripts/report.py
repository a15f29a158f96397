"""Rule report: the workflow's outputs -> results/report/report.html and report.md
(upgrade_repro/report.py)."""

from pathlib import Path

from upgrade_repro.files import write_text
from upgrade_repro.logs import configure_logging
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.report import build_context, render_reports


def main(snakemake) -> None:
    configure_logging(snakemake)
    inputs = {key: snakemake.input[key] for key in snakemake.input.keys()}
    params = {key: snakemake.params[key] for key in snakemake.params.keys()}
    html_out, md_out = snakemake.output.html, snakemake.output.md
    context = build_context(inputs, params, Path(md_out).parent, params["language"])
    font_face = Path(inputs["font_css"]).read_text(encoding="utf-8").strip()
    font_chars = Path(inputs["font_chars"]).read_text(encoding="utf-8").rstrip("\n")
    html, md = render_reports(
        context, Path(inputs["templates"][0]).parent, params["language"], font_face, font_chars, inputs["font_chars"]
    )
    write_text(md, md_out)
    write_text(html, html_out)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("report")
    main(snakemake)
