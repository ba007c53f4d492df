"""A workbook's sheets as rows of values, fast: python-calamine (Rust) reads the values, and one
pass of our own over a sheet's XML adds what calamine leaves out, so the values are the ones
openpyxl gives (a test reads the same workbooks both ways and compares every cell):

- a number in a percent format is the percent it shows (81,52% is stored as 0,8152);
- an error cell (#DIV/0!, #N/A …) is its error text, not a blank;
- a formula never calculated (a file written by a program, not saved by Excel) is its formula
  text, so the checks can say so instead of reading "no data".

Calamine reads the XML in a fraction of openpyxl's time; the pass runs only over sheets that
hold such cells at all."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from xl766.engine.numbers import percent_of

# In a number format, quoted text, an escaped or spaced character and [colour]/[$-locale]
# parts print as they are: a "%" there is a literal sign, not Excel's percent scaling.
_LITERAL_PARTS = re.compile(r'"[^"]*"|\\.|[_*].|\[[^\]]*\]')
BUILTIN_PERCENT_FORMATS = frozenset({9, 10})  # "0%" and "0.00%", of Excel's built-in formats

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REFERENCE = re.compile(rb'\br="([A-Z]+)(\d+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")


def is_percent_format(code: str | None) -> bool:
    """Whether Excel shows a number in this format ×100 (``0.00%``), unlike ``0.00"%"``."""
    return "%" in _LITERAL_PARTS.sub("", code or "")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


@dataclass
class CellMarks:
    """Cells of a sheet, by (row, column) counted from 1, that their values alone misread."""

    percent: set = field(default_factory=set)
    errors: dict = field(default_factory=dict)
    formulas: dict = field(default_factory=dict)  # formulas with no calculated value


def cell_marks(xml: bytes, percent_styles: frozenset[int], *,
               skip_unplaced: bool = False) -> CellMarks | None:
    """One pass over a sheet's XML; None when a cell has no reference (its place would have to
    be counted, which calamine does and this pass does not), unless ``skip_unplaced``: then
    such cells are passed over (openpyxl, which places them, reads their values)."""
    marks = CellMarks()
    styled = bool(percent_styles) and b' s="' in xml
    if not styled and b't="e"' not in xml and b"<f" not in xml and b":f" not in xml:
        return marks
    for match in _CELL.finditer(xml):
        attributes, inner = match.group(1), match.group(2) or b""
        reference = _REFERENCE.search(attributes)
        if reference is None:
            if skip_unplaced:
                continue
            return None
        where = (int(reference.group(2)), _column_number(reference.group(1)))
        if styled:
            style = _STYLE.search(attributes)
            if style is not None and int(style.group(1)) in percent_styles:
                marks.percent.add(where)
        if not inner:
            continue
        value = _VALUE.search(inner)
        value = value.group(1) if value is not None else b""  # openpyxl writes <v></v>
        if value and _ERROR_TYPE.search(attributes):
            marks.errors[where] = value.decode("utf-8", "replace")
        elif not value and (formula := _FORMULA.search(inner)) is not None:
            marks.formulas[where] = "=" + formula.group(1).decode("utf-8", "replace")
    return marks


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name → its part in the archive, as the workbook's relationships say."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in relations.iter(
        f"{_PACKAGE_RELS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP), "")
        parts[sheet.get("name")] = (target.lstrip("/") if target.startswith("/") else
                                    posixpath.normpath(f"xl/{target}"))
    return parts


def percent_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """The cell styles (their index in cellXfs) whose number format shows a percent."""
    try:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return frozenset()
    custom = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{_MAIN}numFmt")}
    cell_styles = styles.find(f"{_MAIN}cellXfs")
    if cell_styles is None:
        return frozenset()
    found = set()
    for index, style in enumerate(cell_styles.iter(f"{_MAIN}xf")):
        number_format = int(style.get("numFmtId", 0))
        if number_format in BUILTIN_PERCENT_FORMATS or is_percent_format(
                custom.get(number_format)):
            found.add(index)
    return frozenset(found)


def _value(value):
    """calamine reads every number as a float: a whole one is an int, as in the file."""
    if type(value) is float and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    return None if value == "" else value


def sheets_xml(archive: zipfile.ZipFile, wanted: dict[str, str]) -> dict[str, bytes] | None:
    """The XML of the sheets ``wanted`` ({key: sheet name}); None for a package laid out in a
    way this pass does not follow (openpyxl, which reads it, gets no marks then)."""
    try:
        parts = sheet_parts(archive)
        return {key: archive.read(parts[name]) for key, name in wanted.items()}
    except (KeyError, ElementTree.ParseError):
        return None


def read_rows(book, path, wanted: dict[str, str]) -> dict[str, tuple[list[list], dict]] | None:
    """The rows of the sheets ``wanted`` ({key: sheet name}) of ``book`` (calamine's, opened
    from ``path``), row 1 first, None for an empty cell, with the formulas never calculated;
    None when a sheet needs the slower reader (a package or a cell this pass cannot place)."""
    with zipfile.ZipFile(path) as archive:
        xml = sheets_xml(archive, wanted)
        if xml is None:
            return None
        styles = percent_styles(archive)
        out = {}
        for key, name in wanted.items():
            marks = cell_marks(xml.pop(key), styles)
            if marks is None:
                return None
            rows = [[_value(v) for v in row] for row in
                    book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
            for (row, column) in marks.percent:
                value = rows[row - 1][column - 1] if row <= len(rows) and column <= len(
                    rows[row - 1]) else None
                if type(value) in (int, float):
                    rows[row - 1][column - 1] = percent_of(value)
            for (row, column), error in marks.errors.items():
                _put(rows, row, column, error)
            out[key] = (rows, marks.formulas)
    return out


def _put(rows: list[list], row: int, column: int, value) -> None:
    rows.extend([] for _ in range(row - len(rows)))
    cells = rows[row - 1]
    cells.extend([None] * (column - len(cells)))
    cells[column - 1] = value
