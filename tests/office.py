"""Open the manuscript files with their own programs and check what a reader would see, for the
tests of both tiers (tests/fast/test_manuscript_tables.py on files built from conftest's run_dir,
tests/workflow/test_manuscript_tables.py on the files of session runs).

- LibreOffice renders docx and xlsx to PDF: ONE soffice call for every file of a test module
  (to_pdf); pdftotext gives each page's text (pdf_pages).
- python-docx reads the Word tables with their captions, notes and pagination properties
  (word_tables); openpyxl reads the workbook (shown: a cell as Excel displays it).
- check_word_pagination and check_excel_sheets hold the assertions both tiers make.

Everything here is an independent reading of the files: a cell's displayed text is worked out from
its number format, a row's page from the numbers pdftotext finds on each page."""

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE_NAMES = ("soffice", "libreoffice")
PLAIN_NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?")


# ---------------------------------------------------------------------------------- LibreOffice
def soffice() -> str:
    """LibreOffice's command, or a skip; under CI (env CI set) its absence, or pdftotext's, fails."""
    found = next((shutil.which(n) for n in SOFFICE_NAMES if shutil.which(n)), None)
    if found and shutil.which("pdftotext"):
        return found
    if os.environ.get("CI"):
        pytest.fail("CI: LibreOffice (soffice) and pdftotext are required")
    pytest.skip("LibreOffice or pdftotext not installed")


def to_pdf(files, outdir: Path) -> dict[Path, Path]:
    """Every file (docx, xlsx; distinct stems) rendered to PDF by one LibreOffice call, with a
    profile of its own in `outdir` (no user profile read or written): {file: its PDF}."""
    command = soffice()
    files = [Path(f) for f in files]
    assert len({f.stem for f in files}) == len(files), "to_pdf: give the files distinct names"
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            command,
            "--headless",
            f"-env:UserInstallation={(outdir / 'lo_profile').resolve().as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdfs = {f: outdir / f"{f.stem}.pdf" for f in files}
    missing = [str(f) for f, pdf in pdfs.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice made no PDF of {missing}"
    return pdfs


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext -layout; pages end with a form feed)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def squeeze(text: str) -> str:
    """A text without any white space: how a cell is looked for in a PDF whose layout spaced or
    wrapped it."""
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------------------- Word
def _keeps(paragraphs) -> bool:
    return all(p.paragraph_format.keep_with_next for p in paragraphs)


def note_row(table) -> bool:
    """Whether a Word table's last row is its note: one cell across every column."""
    cells = table.rows[-1].cells
    return len(cells) > 1 and len({id(c._tc) for c in cells}) == 1


def word_tables(doc) -> list[dict]:
    """Each table of a python-docx Document as printed: caption (the paragraph before it), heads,
    rows (cell texts), notes (its last row when that is one cell across the table, note_row, and
    any paragraph with text between it and the next table or the figure), the type sizes of its
    cells and of its notes, and its rows' pagination properties: head repeated (w:tblHeader),
    never split (w:cantSplit), kept with the next (every paragraph keep-with-next)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks = []
    for child in doc.element.body.iterchildren():
        if child.tag == W + "tbl":
            blocks.append(Table(child, doc._body))
        elif child.tag == W + "p":
            blocks.append(Paragraph(child, doc._body))
    tables = []
    for k, block in enumerate(blocks):
        if not isinstance(block, Table):
            continue
        caption = blocks[k - 1]
        after = []
        for later in blocks[k + 1 :]:
            if isinstance(later, Table):
                after = after[:-1]  # the next table's caption
                break
            if later._p.xpath(".//pic:pic"):
                break
            after.append(later)
        rows = list(block.rows)
        notes = [rows.pop()] if note_row(block) else []
        note_paragraphs = [p for row in notes for p in row.cells[0].paragraphs] + [p for p in after if p.text.strip()]
        sizes = [r.font.size.pt for row in rows for c in row.cells for p in c.paragraphs for r in p.runs if r.text]
        tables.append(
            {
                "caption": caption.text,
                "caption_keeps": caption.paragraph_format.keep_with_next,
                "heads": [c.text for c in rows[0].cells],
                "rows": [[c.text for c in row.cells] for row in rows[1:]],
                "notes": [row.cells[0].text for row in notes] + [p.text for p in after if p.text.strip()],
                "note_sizes": [r.font.size.pt for p in note_paragraphs for r in p.runs if r.text],
                "cell_sizes": sizes,
                "header": [_has(row, "tblHeader") for row in rows],
                "cant_split": [_has(row, "cantSplit") for row in rows + notes],
                "keeps": [_keeps([p for c in row.cells for p in c.paragraphs]) for row in rows],
            }
        )
    return tables


def _has(row, tag: str) -> bool:
    return row._tr.trPr is not None and row._tr.trPr.find(W + tag) is not None


def numbers(text: str) -> list[str]:
    """The numbers of a text, unsigned, in order: a printed row's signature on a PDF page."""
    return re.findall(r"\d+(?:\.\d+)?", text)


def row_pages(pages: list[str], tables: list[dict]) -> list[list[int]]:
    """The page (0-based) of each body row of each table, in document order: each row is the first
    run of consecutive numbers on the pages, after the previous row's, equal to its own numbers
    (stars, brackets and signs aside). A row with no number is on its previous row's page."""
    stream = [(page, n) for page, text in enumerate(pages) for n in numbers(text)]
    values = [n for _, n in stream]
    at, out = 0, []
    for table in tables:
        found = []
        for row in table["rows"]:
            want = numbers(" ".join(row))
            if not want:
                found.append(found[-1] if found else stream[at][0])
                continue
            start = next((i for i in range(at, len(values) - len(want) + 1) if values[i : i + len(want)] == want), None)
            assert start is not None, f"row {row} of {table['caption']!r} not found in the PDF after number {at}"
            found.append(stream[start][0])
            at = start + len(want)
        out.append(found)
    return out


def check_word_pagination(doc, pages: list[str]) -> None:
    """What issue 26 asks of the Word file, read by python-docx and in LibreOffice's PDF: each
    table's head row repeats on a new page and is kept with the first row; no row splits; a row
    followed by its continuation (first cell empty: a coefficient's standard error, a region's
    further rows) is kept with it and prints on its page; the caption stays with the table and the
    last row with the note; one note per table, its type no larger than the table's;
    no blank page; on a page the table runs onto, its heads come again before its rows."""
    tables = word_tables(doc)
    assert tables
    for t in tables:
        name = t["caption"]
        assert t["header"][0] and not any(t["header"][1:]), name
        assert all(t["cant_split"]), name
        assert t["caption_keeps"] and t["keeps"][0], name
        for i, row in enumerate(t["rows"][1:], start=1):
            if not row[0].strip():
                assert t["keeps"][i], (name, "row", i, "is not kept with its continuation", row)
        assert len(t["notes"]) == 1, (name, t["notes"])
        assert t["keeps"][-1], (name, "the last row is not kept with the note")
        assert max(t["note_sizes"]) <= min(t["cell_sizes"]), (name, t["note_sizes"], set(t["cell_sizes"]))
    blank = [i + 1 for i, page in enumerate(pages) if not page.strip()]
    assert blank == [], f"blank pages {blank}"
    for t, on in zip(tables, row_pages(pages, tables)):
        name = t["caption"]
        for i, row in enumerate(t["rows"][1:], start=1):
            if not row[0].strip():
                assert on[i] == on[i - 1], (name, "rows", t["rows"][i - 1], row, "on pages", on[i - 1] + 1, on[i] + 1)
        note = squeeze(t["notes"][0])[:12]
        assert note in squeeze(pages[on[-1]]), (name, "the note is not on the last row's page", on[-1] + 1)
        for page in sorted(set(on) - {on[0]}):
            first = squeeze(pages[page])
            row_at = first.find(numbers(" ".join(t["rows"][on.index(page)]))[0])
            for head in filter(None, (squeeze(h) for h in t["heads"])):
                piece = re.match(r"[A-Za-z_]+|.", head).group()  # its first word, or first character
                assert -1 < first.find(piece) < row_at, (name, "head", head, "not repeated on page", page + 1)


# ---------------------------------------------------------------------------------------- Excel
def shown(cell) -> str:
    """A cell as Excel displays it: text as it is; a number by its number format ("0", "0.000", or
    '0.000;"−"0.000', whose negative section prints U+2212 before the absolute value); General as
    Python prints the number."""
    value, fmt = cell.value, cell.number_format
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if fmt == "General":
        return str(value)
    positive, _, negative = fmt.partition(";")
    decimals = len(positive.partition(".")[2])
    assert re.fullmatch(r"0(\.0+)?", positive) and negative in ("", f'"−"{positive}'), f"unexpected format {fmt!r}"
    if value < 0 and negative:
        return "−" + f"{-value:.{decimals}f}"
    return f"{value:.{decimals}f}"


def char_units(text: str) -> int:
    """Excel's own measure of a text: one unit per character, two per wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def check_excel_sheets(book, doc, pdf_text: str | None = None) -> list:
    """The workbook's first sheets are the Word tables as printed, in order: caption, heads, every
    cell as Word prints it (a plain number stored as a number, an integer as an integer, stars
    and brackets as text), the one note; each column at least as wide as its widest cell (in
    Excel's units, CJK counted twice), so nothing is cut; with LibreOffice's PDF of the workbook
    (`pdf_text`), every caption, cell and note is found whole. Returns the table sheets."""
    tables = word_tables(doc)
    sheets = book.worksheets[: len(tables)]
    for t, ws in zip(tables, sheets):
        name = ws.title
        assert ws["A1"].value == t["caption"], name
        grid = [
            [c for c in row] for row in ws.iter_rows(min_row=2, max_row=2 + len(t["rows"]), max_col=len(t["heads"]))
        ]
        assert [shown(c) for c in grid[0]] == t["heads"], name
        for word_row, cells in zip(t["rows"], grid[1:]):
            assert [shown(c) for c in cells] == word_row, name
            for text, cell in zip(word_row, cells):
                plain = PLAIN_NUMBER.fullmatch(text)
                if plain and not (text[0] in "-−" and float(text[1:]) == 0):  # a signed zero stays text
                    # Excel has one number type: an integer is stored without a decimal point
                    assert isinstance(cell.value, int if "." not in text else (int, float)), (name, text, cell.value)
                else:
                    assert isinstance(cell.value, (str, type(None))), (name, text, cell.value)
        note = ws.cell(3 + len(t["rows"]), 1).value
        assert [note] == t["notes"], name
        assert ws.cell(4 + len(t["rows"]), 1).value is None, name
        for j, column in enumerate(zip(t["heads"], *t["rows"]), start=1):
            width = ws.column_dimensions[get_column_letter(j)].width
            assert width >= max(char_units(c) for c in column), (name, j, width, column)
        if pdf_text is not None:
            page = squeeze(pdf_text)
            for text in [t["caption"], *t["heads"], *(c for r in t["rows"] for c in r), note]:
                assert squeeze(text) in page, (name, "cut or missing in LibreOffice's PDF:", text)
    return sheets
