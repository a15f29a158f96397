"""Rule manuscript_tables: Word three-line tables (三线表) with Figure 1, and an Excel workbook of the
tables as printed, their full-precision data and the indicator panel.

Pure functions: the rule's script (scripts/manuscript_tables.py) reads the files, calls these and
writes. Tables are rebuilt from their csv (full precision) by the functions that print their .md and
.tex (upgrade_repro/table1_files.py, upgrade_repro/beyond_table_files.py), so a cell in Word and on an
Excel table sheet is the cell of the table's .md, character for character; the panel's labels and
units are stata_panel.py's. Every file is byte-identical for the same inputs: the zip containers
(docx, xlsx) get fixed entry times and fixed document dates.

Pagination (Word): a table's head row repeats on every page it runs onto (w:tblHeader), no row
splits across pages (w:cantSplit), and a row stays on the page of the next (keep with next) where
the next continues it (keep_with_next: a coefficient's standard error, a region's further rows),
the caption stays with the head and the last row with the note; each table has one note (one_note),
in its last row, in the table's type size. Sections change orientation only between tables of
different orientation, so no section is empty and no page blank.
"""

import io
import math
import re
import unicodedata
import zipfile

import numpy as np
import pandas as pd

# Project modules at the top, never inside a function: a rule's code inputs are read from its
# imports (workflow/rules/common.smk), and tests/test_dependencies.py checks them against what a
# script loads when it is imported.
from upgrade_repro.figures import MAP_WIDTH_CM, figure_caption
from upgrade_repro.indicators import VARIABLES, indicator_columns
from upgrade_repro.stata_panel import FIXED_DATE
from upgrade_repro.tables import (
    PrintedTable,
    column_ems,
    longest_token_ems,
    note_spans,
    render_note,
    split_caption,
    text_em,
)
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
A4_MM = (210, 297)
# The tables beyond the paper (provincial runs), in print order: keys of beyond_table_files and the
# names of the rule's inputs holding their csv.
BEYOND_TABLES = ("table_regions", "table_trends", "table_beta", "table_sigma")
TABLE_SPACE_PT = 12  # above a table's caption and above the figure
CELL_SPACE_PT = 1.5  # above and below a cell's text


def sample_facts(indicators: pd.DataFrame) -> dict:
    return {
        "n_units": int(indicators["code"].nunique()),
        "n_obs": len(indicators),
        "start": int(indicators["year"].min()),
        "end": int(indicators["year"].max()),
    }


# ------------------------------------------------------------------ what Word and Excel print alike
_NOTE_LEAD = re.compile(r"([^\s：:]{1,8}[：:])\s*")  # "注：", "Note: "


def one_note(notes: list[str]) -> str:
    """A table's notes as the one note Word and Excel print under it: the first note's lead ("注：",
    "Note:") once, each later note without the same lead, joined as sentences (no space after a
    full-width character such as 。, one space otherwise; a sentence that lost its lead begins with
    a capital). Code spans (`...`) are kept for the writer to render."""
    if not notes:
        return ""
    first = _NOTE_LEAD.match(notes[0])
    lead = first.group(1) if first else None
    out = notes[0]
    for note in notes[1:]:
        own = _NOTE_LEAD.match(note)
        if lead is not None and own is not None and own.group(1) == lead:
            note = note[own.end() :]
            if not lead.endswith("："):
                note = note[:1].upper() + note[1:]
        wide = unicodedata.east_asian_width(out[-1]) in "WF" if out else True
        out += ("" if wide else " ") + note
    return out


def keep_with_next(rows: list[list[str]]) -> list[bool]:
    """Body rows that must print on the page of the row after them: each row followed by a row that
    continues it (its first cell empty: a coefficient's standard error under it, the further rows
    of a region under the region's name)."""
    return [i + 1 < len(rows) and not str(rows[i + 1][0]).strip() for i in range(len(rows))]


_PLAIN_NUMBER = re.compile(r"([-−]?)(0|[1-9]\d*)(?:\.(\d+))?")


def printed_number(cell: str) -> tuple[int | float, str] | None:
    """A printed cell that is a plain number (digits, a decimal point, a leading hyphen or minus sign
    U+2212) as (value, Excel number format) that Excel and LibreOffice display as exactly the printed
    text: "420" -> (420, '0;"−"0'), "0.040" -> (0.04, '0.000;"−"0.000'), "−0.0088" -> (-0.0088,
    '0.0000;"−"0.0000'); a hyphen-minus as printed: "-0.0088" -> (-0.0088, "0.0000"). None for any other cell (stars, parentheses, "< 0.001", "—", text, a signed
    zero such as "-0.000", which a number would print without its sign): those stay text."""
    m = _PLAIN_NUMBER.fullmatch(cell)
    if m is None:
        return None
    sign, whole, fraction = m.groups()
    value = int(whole) if fraction is None else float(f"{whole}.{fraction}")
    if sign and value == 0:
        return None
    decimals = len(fraction or "")
    if sign == "-":  # printed with a hyphen-minus: Excel's own minus prints it so
        return -value, ("0." + "0" * decimals if decimals else "0")
    # the edition's minus U+2212 in the negative section (Excel's own is a hyphen), for every number
    # of the sheet alike, so that a value edited to a negative one still prints as the tables do
    return (-value if sign else value), spreadsheet_format(decimals)


def sheet_name(table: PrintedTable) -> str:
    """An Excel sheet's name for a table: its number as its caption writes it ("表 A1", "Table A1");
    the table's key when the caption has no number. At most 31 characters, as Excel allows."""
    number, _ = split_caption(table.caption)
    if number is None:
        return table.key[:31]
    return table.caption[: table.caption.index(number) + len(number)][:31]


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


def _note_runs(paragraph, note: str, size_pt: float) -> None:
    """A note's runs: its code spans (render_note's source marks) in a monospace face."""
    for text, code in note_spans(note):
        _set_fonts(paragraph.add_run(text), size_pt, latin=CODE_FONT if code else LATIN_FONT)


def _end_mark(doc):
    """The paragraph Word needs after a table that ends a section or the document: 1 pt high, so
    that it cannot spill onto a page of its own."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = _paragraph(doc, "", 1, WD_ALIGN_PARAGRAPH.LEFT)
    p.paragraph_format.line_spacing = Pt(1)
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


def needs_landscape(table: PrintedTable, portrait_width_pt: float) -> bool:
    """A table goes on a landscape page when its cells do not fit the portrait text width on one line
    at 小五 nor at 六号 (fit_columns without wrapping)."""
    return fit_columns(table.heads, table.rows, portrait_width_pt, wrap=False) is None


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


def _set_row(row, header: bool, keep: bool) -> None:
    """A row that never splits across pages (w:cantSplit), a head row repeated at the top of every
    page the table runs onto (w:tblHeader), and, with `keep`, kept on the page of the next row or
    paragraph (keep with next on each of its paragraphs: Word's and LibreOffice's way for rows)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))  # the schema's order: cantSplit before tblHeader
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
    if keep:
        for p in row._tr.iter(qn("w:p")):
            Paragraph(p, None).paragraph_format.keep_with_next = True


def _set_page(section, landscape: bool) -> None:
    """A4, landscape or portrait."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = (Mm(x) for x in A4_MM)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _start_section(doc, landscape: bool) -> None:
    """End the current section with the body's last paragraph (its w:pPr takes the section's
    properties; after a table, a 1-pt paragraph, _end_mark) and start a new one on a new page,
    landscape or portrait."""
    from docx.enum.section import WD_SECTION
    from docx.oxml.ns import qn

    body = doc.element.body
    last = body[-2] if len(body) > 1 else None  # body[-1] is the document's own w:sectPr
    if last is None or last.tag != qn("w:p"):
        last = _end_mark(doc)._p
    last.set_sectPr(body.get_or_add_sectPr().clone())
    section = doc.sections[-1]
    section.start_type = WD_SECTION.NEW_PAGE
    _set_page(section, landscape)


def add_three_line_table(doc, table: PrintedTable) -> None:
    """Caption above, the table with a heavy top and bottom rule and a thin rule under the head
    (cell borders; the table itself has none, so no vertical rule anywhere), then the table's one
    note in its last row (one cell across the table, no rule: the note wraps at the table's width
    and, a row of the table, stays on the page of the last row in Word and in LibreOffice alike),
    in the table's type size. Column widths fitted to the cells on the current section's text width
    (fit_columns; both the grid's and each cell's width, as Word and LibreOffice each read one); on
    a landscape section, CJK text may wrap. Pagination: see the module's docstring."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    from docx.table import _Cell

    section = doc.sections[-1]
    landscape = section.orientation == WD_ORIENT.LANDSCAPE
    fit = fit_columns(table.heads, table.rows, text_width_pt(section), wrap=landscape)
    if fit is None:  # wider than a landscape page even at the minima: the minima, at 六号
        fit = (
            [e * SMALL_PT * WIDTH_SAFETY + CELL_PAD_PT for e in longest_token_ems(table.heads, table.rows)],
            SMALL_PT,
        )
    widths, size = fit
    caption = _paragraph(doc, table.caption, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, bold=True, space_after_pt=3)
    caption.paragraph_format.space_before = Pt(TABLE_SPACE_PT)
    caption.paragraph_format.keep_with_next = True
    note = one_note(table.notes)
    grid = doc.add_table(rows=1 + len(table.rows) + bool(note), cols=len(table.heads))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # fixed layout: the widths below, not the content's
    for column, width in zip(grid.columns, widths):
        column.width = Pt(round(width, 1))
    tbl_pr = grid._tbl.tblPr
    jc = tbl_pr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}jc")
    jc.addnext(_border_element("w:tblBorders", {}))
    last = len(table.rows)
    keeps = [True, *keep_with_next(table.rows)]  # the head stays with the first row
    keeps[-1] = keeps[-1] or bool(note)  # the last row with the note
    for i, cells in enumerate([table.heads, *table.rows]):
        row_cells = [_Cell(tc, grid) for tc in grid.rows[i]._tr.tc_lst]  # not grid.cell(): that scans every cell
        for j, text in enumerate(cells):
            cell = row_cells[j]
            cell.width = Pt(round(widths[j], 1))
            edges = {}
            if i == 0:
                edges = {"top": HEAVY_RULE, "bottom": THIN_RULE}
            if i == last:
                edges["bottom"] = HEAVY_RULE
            _set_cell_borders(cell, edges)
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if j < table.left and i > 0 else WD_ALIGN_PARAGRAPH.CENTER
            _compact(p)
            if text:
                _set_fonts(p.add_run(text), size)
        _set_row(grid.rows[i], header=i == 0, keep=keeps[i])
    if note:
        row = grid.rows[-1]
        cell = row.cells[0].merge(row.cells[-1])
        cell.width = Pt(round(sum(round(w, 1) for w in widths), 1))
        _set_cell_borders(cell, {})
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _compact(p)
        p.paragraph_format.space_before = Pt(3)
        _note_runs(p, note, size)
        _set_row(row, header=False, keep=False)


def _compact(paragraph) -> None:
    """A cell's paragraph: single line spacing, CELL_SPACE_PT above and below (not the template's
    10 pt after)."""
    from docx.shared import Pt

    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(CELL_SPACE_PT)
    paragraph.paragraph_format.line_spacing = 1.0


def add_figure(doc, png_path, caption: str, notes: list[str]) -> None:
    """The figure at the width it is drawn for (figures.MAP_WIDTH_CM: a point in it is a point on the
    page), its caption below (Chinese journals put figure captions below), kept on one page with its
    caption and notes."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = _paragraph(doc, "", BODY_PT, WD_ALIGN_PARAGRAPH.CENTER)
    p.add_run().add_picture(str(png_path), width=Cm(MAP_WIDTH_CM))
    p.paragraph_format.space_before = Pt(TABLE_SPACE_PT)
    p.paragraph_format.keep_with_next = True
    p = _paragraph(doc, caption, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    p.paragraph_format.keep_with_next = bool(notes)
    for i, note in enumerate(notes):
        p = _paragraph(doc, note, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.keep_with_next = i + 1 < len(notes)


def build_document(tables: list[PrintedTable], title: str, figure=None):
    """A python-docx Document: A4, default fonts 宋体/Times New Roman, the tables in order, then the
    figure (figure = (png path, caption, notes) or None). A table too wide for the portrait page
    (needs_landscape) is on a landscape section; consecutive tables of one orientation share a
    section, so a section break comes only where the orientation changes. Its dates are fixed."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    _set_page(doc.sections[0], landscape=False)
    portrait_width = text_width_pt(doc.sections[0])
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    landscape = None  # the current section's orientation; None before anything is on it
    for table in tables:
        wide = needs_landscape(table, portrait_width)
        if landscape is None:
            _set_page(doc.sections[0], wide)
        elif wide != landscape:
            _start_section(doc, wide)
        landscape = wide
        add_three_line_table(doc, table)
    if figure is not None:
        if landscape:
            _start_section(doc, landscape=False)
        add_figure(doc, *figure)
    elif tables:
        _end_mark(doc)
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
XLSX_PT = 11.0  # type size of every sheet (Excel's default size)
# Excel's column-width unit: the digit width of the workbook's default font (Calibri 11 pt: 7 px at
# 96 dpi = 5.25 pt). A column is text_em x XLSX_PT wide (text_em is generous: it also fits DejaVu
# Serif, LibreOffice's stand-in for Times New Roman) plus XLSX_PAD units of margin.
XLSX_UNIT_PT, XLSX_PAD = 5.25, 2.0
XLSX_LINE = 1.3  # a wrapped line's height in units of the type size
XLSX_PORTRAIT_PT = 480.0  # A4 portrait's printable width, less margins: a wider sheet prints landscape
DATA_SHEET_MAX_WIDTH = 60.0  # a data sheet's column at most this many units (a long head wraps)


def xlsx_width(cells) -> float:
    """A column's width in Excel's units: its widest cell on one line at XLSX_PT, plus the margin."""
    return round(max([text_em(str(c)) for c in cells] or [0.0]) * XLSX_PT / XLSX_UNIT_PT + XLSX_PAD, 1)


def xlsx_lines(text: str, width_units: float) -> int:
    """Lines of a wrapped text in a cell `width_units` wide: its estimated width, plus a tenth for
    the room lost at line ends (a word that does not fit moves down whole), over the cell's width."""
    room = max(width_units - XLSX_PAD, 1.0) * XLSX_UNIT_PT
    return max(1, math.ceil(text_em(text) * XLSX_PT * 1.1 / room))


def panel_sheet_frame(indicators: pd.DataFrame, labels: dict, units: dict) -> pd.DataFrame:
    """The indicator panel with heads 'name：label（unit）'; code as an integer."""
    panel = indicators[["code", "province", "year", *indicator_columns(indicators)]].copy()
    panel["code"] = panel["code"].astype(int)
    return panel.rename(columns={c: head_with_unit(c, labels, units) for c in panel.columns})


def head_with_unit(column: str, labels: dict, units: dict) -> str:
    if column in VARIABLES:
        return f"{labels[column]} [{units[column]}]"
    return f"{column}: {labels[column]} [{units[column]}]" if column in labels else column


def _xlsx_styles():
    from openpyxl.styles import Alignment, Border, Font, Side

    return {
        "font": Font(name=LATIN_FONT, size=XLSX_PT),
        "bold": Font(name=LATIN_FONT, size=XLSX_PT, bold=True),
        "heavy": Side(style="medium"),  # 1.5 pt, as Word's top and bottom rules
        "thin": Side(style="thin"),  # 0.75 pt, under the head
        "Border": Border,
        "Alignment": Alignment,
    }


def _print_setup(ws, width_units: float, head_row: int = 2) -> None:
    """A4, one page wide (landscape when wider than a portrait page), the head row on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width_units * XLSX_UNIT_PT > XLSX_PORTRAIT_PT else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head_row}:{head_row}"


def _wrapped_row(ws, row: int, text: str, n_columns: int, width_units: float, st, bold=False, centre=False):
    """`text` in column A of `row`, merged across the table's columns, wrapped, the row as high as
    its lines (Excel does not fit a merged cell's row by itself)."""
    cell = ws.cell(row, 1, text)
    cell.font = st["bold"] if bold else st["font"]
    cell.alignment = st["Alignment"](horizontal="center" if centre else "left", vertical="top", wrap_text=True)
    if n_columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_columns)
    ws.row_dimensions[row].height = round(xlsx_lines(text, width_units) * XLSX_PT * XLSX_LINE + 3, 1)


def write_table_sheet(ws, table: PrintedTable, st) -> None:
    """The table as Word prints it: caption (row 1), heads (row 2), the printed cells, one note under
    the table; three rules (heavy above the head, thin under it, heavy under the last row); columns
    fitted to their widest cell on one line; a label column left-aligned, the others centred. A cell
    that is a plain number is that number with a number format that prints it as in Word
    (printed_number); any other cell (stars, parentheses, "< 0.001", labels) is text."""
    n = len(table.heads)
    widths = [xlsx_width([r[j] for r in [table.heads, *table.rows]]) for j in range(n)]
    total = sum(widths)
    _wrapped_row(ws, 1, table.caption, n, total, st, bold=True, centre=True)
    last = 2 + len(table.rows)
    for i, cells in enumerate([table.heads, *table.rows], start=2):
        for j, text in enumerate(cells, start=1):
            number = printed_number(str(text)) if i > 2 else None
            cell = ws.cell(i, j, number[0] if number else (str(text) if text != "" else None))
            if number:
                cell.number_format = number[1]
            cell.font = st["font"]
            left = j <= table.left and i > 2
            cell.alignment = st["Alignment"](horizontal="left" if left else "center", vertical="center")
            top = st["heavy"] if i == 2 else None
            bottom = st["thin"] if i == 2 else st["heavy"] if i == last else None
            cell.border = st["Border"](top=top, bottom=bottom)
    note = render_note(one_note(table.notes), "plain")
    if note:
        _wrapped_row(ws, last + 1, note, n, total, st)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[_column_letter(j)].width = width
    _print_setup(ws, total)


def write_data_sheet(ws, frame: pd.DataFrame, st, caption: str | None = None) -> None:
    """Machine-readable values: the heads (bold) on row 1, or on row 2 under a caption, then the rows;
    numbers stored at full precision (16 significant digits, within one unit in the last place of
    the csv's double) in Excel's General format, integers as integers, text as text."""
    top = 1
    if caption is not None:
        ws.cell(1, 1, caption).font = st["bold"]
        top = 2
    integer_columns = [pd.api.types.is_integer_dtype(t) for t in frame.dtypes]
    shown = [[str(h)] for h in frame.columns]
    for j, head in enumerate(frame.columns, start=1):
        ws.cell(top, j, str(head)).font = st["bold"]
    for i, row in enumerate(frame.itertuples(index=False), start=top + 1):
        for j, value in enumerate(row, start=1):
            if pd.isna(value):
                continue
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
                cell = ws.cell(i, j, str(value))
            elif integer_columns[j - 1]:
                cell = ws.cell(i, j, int(value))
            else:
                cell = ws.cell(i, j, float(value))
            cell.font = st["font"]
            shown[j - 1].append(str(cell.value))
    widths = [min(xlsx_width(cells), DATA_SHEET_MAX_WIDTH) for cells in shown]
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[_column_letter(j)].width = width
        if width == DATA_SHEET_MAX_WIDTH:
            ws.cell(top, j).alignment = st["Alignment"](wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(top + 1, 1)
    _print_setup(ws, sum(widths), head_row=top)


def _column_letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)


def xlsx_bytes(
    tables: list[PrintedTable],
    panel: pd.DataFrame,
    panel_sheet: str,
    panel_caption: str,
    data_sheet: str,
    units: dict,
) -> bytes:
    """The workbook: one sheet per table as printed (write_table_sheet, named as the table is
    numbered: "表 1", "Table A2"), then one data sheet per table (`data_sheet` formatted with
    table=that name: the table's csv at full precision, its column keys as heads, a unit column
    where the statistics are in the indicator's unit), then the indicator panel.

    openpyxl: the library that reads the workbook back in the tests also writes it."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    st = _xlsx_styles()
    names = [sheet_name(t) for t in tables]
    for name, table in zip(names, tables):
        write_table_sheet(book.create_sheet(name), table, st)
    for name, table in zip(names, tables):
        write_data_sheet(book.create_sheet(data_sheet.format(table=name)[:31]), _with_units(table.data, units), st)
    write_data_sheet(book.create_sheet(panel_sheet[:31]), panel, st, caption=panel_caption)
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
