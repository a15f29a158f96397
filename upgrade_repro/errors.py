"""Errors raised for bad input data.

Every problem with a user's file has its own class, and every message names the file, the place
(line, cell, region/year) and what was expected, so that a user can fix the input without reading
code. All derive from InputError, which the scripts report without a traceback.
"""

from pathlib import PurePosixPath


def raw_place(source: str, line) -> str:
    """'a.csv line 12', 'a.xlsx row 12', 'a.dta observation 12': where a value of the tidy long table
    (results/data/raw_long.csv: source, line) was read, in the words the readers' messages use."""
    word = {".xlsx": "row", ".xls": "row", ".dta": "observation"}.get(PurePosixPath(source).suffix.lower(), "line")
    return f"{source} {word} {line}"


class InputError(ValueError):
    """Base class: the input data, not the code, is at fault."""

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None):
        self.file = file
        self.where = where
        prefix = ": ".join(p for p in (file, where) if p)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class MissingFileError(InputError):
    """A configured input file does not exist."""


class UnreadableFileError(InputError):
    """A configured input file that cannot be opened (no read permission)."""


class OutputPathError(InputError):
    """An output path the workflow cannot write: occupied by a folder, or a read-only file (the
    user's file system, not the code, is at fault)."""


class UndecodableFileError(InputError):
    """The bytes are neither UTF-8 nor GB18030 text (or a supported binary format)."""


class HeaderNotFoundError(InputError):
    """No known layout's header was found in the file."""


class NoDataError(InputError):
    """An empty file, or a header with no data rows below it (a truncated export?)."""


class MalformedRowError(InputError):
    """A row does not have the layout's shape (wrong number of fields)."""


class UnknownRegionError(InputError):
    """Region names that are neither in the region table nor known aggregates."""


class MissingIndicatorError(InputError):
    """A required indicator (GDP or a sector) is absent, or matched twice."""


class UnknownUnitError(InputError):
    """A unit that cannot be converted to 亿元, or several units for one indicator."""


class CompositionError(InputError):
    """Sector shares of GDP (the composition layout) that do not sum to about 100, or lie outside 0-100."""


class BadYearError(InputError):
    """A year cell that is not a four-digit year."""


class NonNumericValueError(InputError):
    """A value cell that is neither a number nor a known missing-value marker."""


class DuplicateCellError(InputError):
    """The same (region, year, indicator) appears twice in one file."""


class VintageConflictError(InputError):
    """Two files give different values for the same (region, year, indicator)."""


class UnbalancedPanelError(InputError):
    """A kept province lacks a year or a series: the panel is not balanced."""


class ConfigError(InputError):
    """A configuration value that the schema accepts but the data contradict."""


class RegistryMismatchError(InputError):
    """A raw file's content no longer matches its row in the registry of raw inputs."""


class ToleranceError(InputError):
    """verify.strict is set and a reproduced statistic differs from the paper beyond tolerance."""


class SavedWebPageError(UndecodableFileError):
    """The file is a saved web page (HTML markup at the top), e.g. a login or 'session expired'
    page saved under the export's name."""


class TruncatedFileError(InputError):
    """The file ends mid-line without its footer, or its last number is shorter than its column's
    others: a download cut off."""


class DecimalCommaError(InputError):
    """A comma in a number that is not a valid thousands grouping (12153,03) in a file that is not
    consistently decimal-comma."""


class SecondExportBlockError(InputError):
    """Data continue after the footer: two exports pasted into one file."""


class IntegrityError(InputError):
    """Base class of the integrity checks of the panel's cells (upgrade_repro/checks.py)."""


class NonPositiveLevelError(IntegrityError):
    """A GDP or sector value added that is zero or negative (a missing value exported as 0, a sign
    error)."""


class SectorSumError(IntegrityError):
    """The three sectors do not sum to GDP within the tolerance (a wrong unit, a lost decimal)."""


class YearOnYearError(IntegrityError):
    """A series jumps between consecutive years by more than the plausible band (a lost decimal,
    a wrong unit)."""


class MagnitudeError(IntegrityError):
    """A level outside the plausible range of one province (config checks.magnitude), or above the
    national total of its series and year, or provinces summing to far from the national total:
    most often a wrong unit label (万元 under a 亿元 heading)."""


class ZeroDenominatorError(IntegrityError):
    """An indicator's denominator is zero or not finite."""
