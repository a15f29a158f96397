"""Rule report_font: the report's CJK font subset (upgrade_repro/report_font.py), static: made from
every character the report's templates, text catalogue, region tables, indicator catalogue and config
strings hold, so that new data reuse it. Writes the @font-face rule and the characters it covers."""

import logging

from upgrade_repro.files import write_text
from upgrade_repro.logs import configure_logging, logger
from upgrade_repro.mock import mock_snakemake
from upgrade_repro.report_font import cjk_font_face, font_characters, report_characters


def main(snakemake) -> None:
    configure_logging(snakemake)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # else every glyph name is logged
    text = report_characters(snakemake.input.sources, snakemake.params.text)
    css = cjk_font_face(text)
    covered = font_characters(css)
    lacking = sorted(set(text) - set(covered))
    if lacking:
        logger.warning("report font: no glyph in the font for %s", " ".join(f"U+{ord(c):04X}" for c in lacking))
    logger.info("report font: %d characters asked, %d glyphs mapped, %d bytes", len(text), len(covered), len(css))
    write_text(css + "\n", snakemake.output.css)
    write_text(covered + "\n", snakemake.output.chars)


if __name__ == "__main__":
    if "snakemake" not in globals():
        snakemake = mock_snakemake("report_font")
    main(snakemake)
