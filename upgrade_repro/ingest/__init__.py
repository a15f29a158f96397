"""The ingest stage: raw statistical extracts -> one tidy long table (rule ingest, scripts/ingest.py).

One entry point, `extracts.read_extract`, turns a file into a grid of cells (sheets: csv/txt in
UTF-8, UTF-16 or GB18030/GBK; xlsx/xls through python-calamine; Stata .dta through pandas), detects
the layout from the grid's content (never the file name) and hands it to that layout's reader
(layouts.LAYOUTS). Every reader returns the same columns (tidy.TIDY_COLUMNS):

    source, line, indicator_raw, indicator, unit, region, year, value

`line` is the line of a text file, the row of a spreadsheet or the observation of a .dta file;
`region` is the name as written (NFKC, spaces between Chinese characters removed); `indicator` is
one of series.SERIES (other series are logged and left out); `unit` is read from the indicator name,
a unit column or the metadata (clean converts it to 亿元); `value` is a float, NaN where the
extract marks a value as missing (the balanced-panel check in the clean stage names those cells).

Modules, in the order a file goes through them: sheets (file -> grid of cells), table (header,
metadata lines, body without the notes), layouts (which layout, and its reader), cells (years and
numbers from cell texts), names (what the series and columns are called), tidy (rows -> the tidy
table), extracts (the entry point). The package holds no code of its own: import from the modules.
"""
