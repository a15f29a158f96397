"""Rule manuscript_tables: Word three-line tables (三线表) with Figure 1, and an Excel workbook of the
tables and the indicator panel.

Pure functions: the rule's script (scripts/manuscript_tables.py) reads the files, calls these and
writes. Tables are rebuilt from their csv (full precision) by the functions that print their .md and
.tex (upgrade_repro/table1_files.py, upgrade_repro/beyond_table_files.py), so a number in Word is the
number of table1.md at the same decimals; the panel's labels and units are stata_panel.py's. Every
file is byte-identical for the same inputs: the zip containers (docx, xlsx) get fixed entry times
and fixed document dates.
"""

import io
import zipfile

import numpy as np
import pandas as pd

# Project modules at the top, never inside a function: a rule's code inputs are read from its
# imports (workflow/rules/common.smk), and tests/test_dependencies.py checks them against what a
# script loads when it is imported.
from upgrade_repro.figures import figure_caption
from upgrade_repro.indicators import VARIABLES, indicator_columns
from upgrade_repro.stata_panel import FIXED_DATE
from upgrade_repro.tables import PrintedTable, column_ems, longest_token_ems, note_spans, render_note
from upgrade_repro.texts import texts
from upgrade_repro.typeset import spreadsheet_format, years

EAST_ASIAN_FONT = "宋体"  # SimSun: the body face of Chinese journals (w:eastAsia)
LATIN_FONT = "Times New Roman"  # Latin letters and digits (w:ascii, w:hAnsi, w:cs)
TITLE_PT, BODY_PT = 10.5, 9.0  # 五号 for titles and captions, 小五 for cells and notes
SMALL_PT = 7.5  # 六号: the cells of a table too wide for the page at 小五
CODE_FONT = "Courier New"  # code spans of a note (`regress ...`)
# Column width = text width x this + the cell's left and right margins (Word's 0.19 cm each):
# text_em is an estimate, so a column gets 8 % more than the text it must hold on one line.
WIDTH_SAFETY, CELL_PAD_PT = 1.08, 11.0
# Three-line table rules, in eighths of a point (w:sz): 1.5 pt top and bottom, 0.75 pt under the head.
HEAVY_RULE, THIN_RULE = 12, 6
FIGURE_WIDTH_CM = 15.0


def sample_facts(indicators: pd.DataFrame) -> dict:
    return {
        "n_units": int(indicators["code"].nunique()),
        "n_obs": len(indicators),
        "start": int(indicators["year"].min()),
        "end": int(indicators["year"].max()),
    }


# ------------------------------------------------------------------------------------------ docx
def _set_fonts(run, size_pt: float, bold: bool = False, latin: str = LATIN_FONT) -> None:
    """宋体 for East Asian characters, Times New Roman (`latin`) for Latin letters and digits."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size_pt)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _paragraph(container, text: str, size_pt: float, align, bold: bool = False, space_after_pt=0):
    from docx.shared import Pt

    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(space_after_pt)
    if text:
        _set_fonts(p.add_run(text), size_pt, bold)
    return p


def _note_paragraph(container, note: str, size_pt: float, align):
    """A note's paragraph: its code spans (render_note's source marks) in a monospace run."""
    p = _paragraph(container, "", size_pt, align)
    for text, code in note_spans(note):
        _set_fonts(p.add_run(text), size_pt, latin=CODE_FONT if code else LATIN_FONT)
    return p


def fit_columns(
    heads, rows: list[list[str]], text_width_pt: float, wrap: bool = True
) -> tuple[list[float], float] | None:
    """Column widths (pt) and type size for a table on a text width: every cell on one line at 小五,
    else at 六号; else (`wrap`) at 六号 with each column at least its longest unbreakable piece (a
    number, a Latin word: never broken; CJK text wraps) and the rest shared in proportion to what
    the column lacks of one line. None when that does not fit the text width."""
    full = column_ems(heads, rows)
    for size in (BODY_PT, SMALL_PT):
        widths = [e * size * WIDTH_SAFETY + CELL_PAD_PT for e in full]
        if sum(widths) <= text_width_pt:
            return widths, size
    if not wrap:
        return None
    least = [e * SMALL_PT * WIDTH_SAFETY + CELL_PAD_PT for e in longest_token_ems(heads, rows)]
    if sum(least) > text_width_pt:
        return None
    wanted = [e * SMALL_PT * WIDTH_SAFETY + CELL_PAD_PT for e in full]
    lack = [w - m for w, m in zip(wanted, least)]
    share = (text_width_pt - sum(least)) / sum(lack)
    return [m + d * share for m, d in zip(least, lack)], SMALL_PT


def text_width_pt(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 12700  # EMU per pt


def _border_element(tag: str, edges: dict[str, int]):
    """<w:tcBorders>/<w:tblBorders> with a single rule of size edges[e] on each edge e given and
    no rule (nil) on every other edge, in the order of the OOXML schema."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement(tag)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if edge in edges:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(edges[edge]))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    return borders


def _set_cell_borders(cell, edges: dict[str, int]) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    # tcBorders follows tcW / gridSpan / vMerge in a tcPr: append before anything else is added.
    tc_pr.append(_border_element("w:tcBorders", edges))


def _new_section(doc, landscape: bool):
    """A section starting on a new page, landscape or portrait (A4)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    return section


def add_three_line_table(doc, table: PrintedTable) -> None:
    """Caption above, the table with a heavy top and bottom rule and a thin rule under the head
    (cell borders; the table itself has none, so no vertical rule anywhere), notes below. Column
    widths fitted to the cells (fit_columns; both the grid's and each cell's width, as Word and
    LibreOffice each read one); a table whose cells do not fit the portrait page on one line gets a
    landscape section of its own."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = doc.sections[-1]
    # portrait if every cell fits on one line there; else landscape, where CJK text may wrap
    fit = fit_columns(table.heads, table.rows, text_width_pt(section), wrap=False)
    landscape = fit is None
    if landscape:
        section = _new_section(doc, landscape=True)
        fit = fit_columns(table.heads, table.rows, text_width_pt(section))
        if fit is None:  # wider than a landscape page even at the minima: the minima, at 六号
            fit = (
                [e * SMALL_PT * WIDTH_SAFETY + CELL_PAD_PT for e in longest_token_ems(table.heads, table.rows)],
                SMALL_PT,
            )
    widths, size = fit
    _paragraph(doc, table.caption, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, bold=True, space_after_pt=3)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.heads))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # fixed layout: the widths below, not the content's
    for column, width in zip(grid.columns, widths):
        column.width = Pt(round(width, 1))
    tbl_pr = grid._tbl.tblPr
    jc = tbl_pr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}jc")
    jc.addnext(_border_element("w:tblBorders", {}))
    last = len(table.rows)
    for i, cells in enumerate([table.heads, *table.rows]):
        for j, text in enumerate(cells):
            cell = grid.cell(i, j)
            cell.width = Pt(round(widths[j], 1))
            edges = {}
            if i == 0:
                edges = {"top": HEAVY_RULE, "bottom": THIN_RULE}
            if i == last:
                edges["bottom"] = HEAVY_RULE
            _set_cell_borders(cell, edges)
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if j < table.left and i > 0 else WD_ALIGN_PARAGRAPH.CENTER
            if text:
                _set_fonts(p.add_run(text), size)
    for note in table.notes:
        _note_paragraph(doc, note, BODY_PT, WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph(doc, "", BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, space_after_pt=6)
    if landscape:
        _new_section(doc, landscape=False)


def add_figure(doc, png_path, caption: str, notes: list[str]) -> None:
    """The figure at the text width, its caption below (Chinese journals put figure captions below)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    p = _paragraph(doc, "", BODY_PT, WD_ALIGN_PARAGRAPH.CENTER)
    p.add_run().add_picture(str(png_path), width=Cm(FIGURE_WIDTH_CM))
    _paragraph(doc, caption, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    for note in notes:
        _paragraph(doc, note, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER)


def build_document(tables: list[PrintedTable], title: str, figure=None):
    """A python-docx Document: A4, default fonts 宋体/Times New Roman, the tables in order, then the
    figure (figure = (png path, caption, notes) or None). Its dates are fixed."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    for table in tables:
        add_three_line_table(doc, table)
    if figure is not None:
        add_figure(doc, *figure)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "upgrade-repro", "upgrade-repro"
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision = 1
    return doc


def deterministic_zip(data: bytes) -> bytes:
    """The same zip archive with fixed entry times and attributes (in the original entry order), so
    that equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename)  # date_time = 1980-01-01 00:00, the zip epoch
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def docx_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return deterministic_zip(buffer.getvalue())


# ------------------------------------------------------------------------------------------ xlsx
def panel_sheet_frame(indicators: pd.DataFrame, labels: dict, units: dict) -> pd.DataFrame:
    """The indicator panel with heads 'name：label（unit）'; code as an integer."""
    panel = indicators[["code", "province", "year", *indicator_columns(indicators)]].copy()
    panel["code"] = panel["code"].astype(int)
    return panel.rename(columns={c: head_with_unit(c, labels, units) for c in panel.columns})


def head_with_unit(column: str, labels: dict, units: dict) -> str:
    if column in VARIABLES:
        return f"{labels[column]} [{units[column]}]"
    return f"{column}: {labels[column]} [{units[column]}]" if column in labels else column


def xlsx_bytes(
    tables: list[PrintedTable],
    panel: pd.DataFrame,
    panel_sheet: str,
    panel_caption: str,
    values_note: str,
    units: dict,
) -> bytes:
    """One sheet per table (caption on row 1, heads on row 2, the csv's values at full precision
    shown at the table's decimals, notes below) and the indicator panel.

    openpyxl: the library that reads the workbook back in the tests also writes it, numbers as
    numbers with a display format. Floats are stored to 16 significant digits (as xlsxwriter
    stores them too; Excel shows 15), i.e. within one unit in the last place of the csv's double.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    bold, plain = Font(name=LATIN_FONT, bold=True), Font(name=LATIN_FONT)
    sheets = [
        (
            t.key,
            t.caption,
            _with_units(t.data, units),
            t.decimals,
            [*(render_note(n, "plain") for n in t.notes), values_note],
        )
        for t in tables
    ]
    sheets.append((panel_sheet, panel_caption, panel, None, []))
    for name, caption, frame, decimals, notes in sheets:
        ws = book.create_sheet(name[:31])
        shown = "General" if decimals is None else spreadsheet_format(decimals)
        ws.cell(1, 1, caption).font = bold
        for j, head in enumerate(frame.columns, start=1):
            ws.cell(2, j, str(head)).font = bold
            ws.column_dimensions[get_column_letter(j)].width = max(10, min(40, len(str(head)) + 2))
        integer_columns = [pd.api.types.is_integer_dtype(t) for t in frame.dtypes]
        for i, row in enumerate(frame.itertuples(index=False), start=3):
            for j, value in enumerate(row, start=1):
                if pd.isna(value):
                    continue
                if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
                    cell = ws.cell(i, j, str(value))
                elif integer_columns[j - 1]:
                    cell = ws.cell(i, j, int(value))
                else:
                    cell = ws.cell(i, j, float(value))
                    cell.number_format = shown
                cell.font = plain
        for k, note in enumerate(notes):
            ws.cell(len(frame) + 4 + k, 1, note).font = plain
    # Fixed document dates (openpyxl's save_workbook would stamp the time of the run).
    book.properties.created = book.properties.modified = FIXED_DATE
    book.properties.creator = "upgrade-repro"
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return deterministic_zip(buffer.getvalue())


def _with_units(data: pd.DataFrame, units: dict) -> pd.DataFrame:
    """A table with a unit column after `variable` when its statistics are in the variable's unit
    (Table 1 and its regional version: N, mean, sd, min, max)."""
    if "variable" not in data.columns or "mean" not in data.columns:
        return data
    out = data.copy()
    out.insert(out.columns.get_loc("variable") + 1, "unit", out["variable"].map(units))
    return out


def figure_block(png, facts: dict, language: str, approval_number) -> tuple:
    """(png, caption, notes) of Figure 1: its caption (figures.figure_caption, as in the report and
    its files' metadata); the 审图号 below when configured."""
    caption = figure_caption("figure1_map", language, years(facts["start"], facts["end"], language))
    notes = [texts(language, "manuscript")["approval"].format(number=approval_number)] if approval_number else []
    return png, caption, notes
