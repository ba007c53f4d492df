"""Read a scoring table from a CSV or an XLSX file, keeping each row's number in the file."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from xl766.adapters.errors import InputError
from xl766.adapters.xlsx_cells import is_percent_format
from xl766.engine.numbers import percent_of

FIRST_DATA_ROW = 2  # row 1 holds the column names


@dataclass(frozen=True)
class RawTable:
    frame: pd.DataFrame  # cells as typed; index = row numbers in the file or sheet
    sheet: str  # where the rows are, for messages: a sheet name or the file's name


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    path = Path(path)
    if path.suffix.lower() == ".csv":
        _check_file(path)
        return RawTable(_read_csv(path), path.name)
    _, tables = read_workbook(path, [sheet] if sheet else None)
    if sheet is not None and sheet not in tables:
        raise InputError(f"Tệp '{path.name}' không có trang '{sheet}'.")
    return next(iter(tables.values()))


SCORES_SHEET = "Nhập liệu"


def read_scores_table(path: Path, sheet: str | None = None) -> RawTable:
    """The scoring table of a file: a CSV, the named sheet, else the workbook's 'Nhập liệu'
    sheet when it has one (the template and `nhap-cong` put it there), else its first sheet."""
    path = Path(path)
    if sheet is not None or path.suffix.lower() == ".csv":
        return read_table(path, sheet)
    _, tables = read_workbook(path, [SCORES_SHEET])
    return tables[SCORES_SHEET] if SCORES_SHEET in tables else read_table(path)


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise InputError(f"Không tìm thấy tệp '{path}'.")
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise InputError(f"Tệp '{path.name}' không phải .csv hay .xlsx: chưa đọc được định dạng "
                         "này.")


_DELIMITERS = (",", ";", "\t")


def _delimiter(header_line: str) -> str:
    """Comma, or the semicolon Excel writes on a Vietnamese-locale PC, or a tab: whichever the
    header row uses most (outside quotes)."""
    unquoted = "".join(header_line.split('"')[::2])
    return max(_DELIMITERS, key=unquoted.count)


def _read_csv(path: Path) -> pd.DataFrame:
    """Every cell as typed: text, except count columns (headed X/tu or X/mau) that hold whole
    numbers only, read as integers by pandas' C reader in the same pass (a national table has
    forty of them, and a Python string per cell was most of its time and memory). A count column
    with anything else in it ("1.335", a blank, a dash) is read again as text, so the checks see
    it as typed. A row longer than the header sends the file to the csv module, which lists
    every such row."""
    # The bytes go to the C reader as they are: a decoded copy of a national file is several
    # times its size.
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"Không đọc được '{path.name}': {error.strerror}.") from None
    not_utf8 = InputError(f"Tệp '{path.name}' không phải UTF-8: lưu lại dạng "
                          "'CSV UTF-8 (Comma delimited)'.")
    if b"\0" in data:
        raise InputError(f"Tệp '{path.name}' có ký tự NUL: không phải bảng CSV văn bản.")
    try:
        delimiter = _delimiter(data.split(b"\n", 1)[0].decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise not_utf8 from None

    def cells(**options) -> pd.DataFrame:
        # Only an empty field is missing: "NA", "null", "-" … stay as typed for the checks.
        return pd.read_csv(io.BytesIO(data), sep=delimiter, encoding="utf-8-sig",
                           keep_default_na=False, na_values=[""], skip_blank_lines=False,
                           engine="c", **options)

    def row_by_row() -> pd.DataFrame:
        return _read_csv_rows(path, data.decode("utf-8-sig"), delimiter)

    try:
        header = [h if isinstance(h, str) else "" for h in
                  cells(header=None, nrows=1, dtype=object).iloc[0].tolist()]
        if not any(h.strip() for h in header):
            raise pd.errors.EmptyDataError
        positions = range(len(header))
        counts = {p for p, h in enumerate(header) if h.strip().endswith(("/tu", "/mau"))}
        body = cells(header=0, names=positions,
                     dtype={p: object for p in positions if p not in counts})
        if not isinstance(body.index, pd.RangeIndex):  # every row longer: pandas took an index
            return row_by_row()
        typed = [p for p in sorted(counts) if body[p].dtype != np.int64]
        if typed:
            again = cells(header=0, names=positions, usecols=typed, dtype=object)
            for p in typed:
                body[p] = again[p].to_numpy()
    except pd.errors.EmptyDataError:
        raise InputError(f"Tệp '{path.name}' rỗng hoặc thiếu dòng tiêu đề.") from None
    except pd.errors.ParserError:  # some row is longer than the header
        return row_by_row()
    except UnicodeDecodeError:
        raise not_utf8 from None
    body.columns = pd.Index(header, dtype=object)
    body.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(body))
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if len(body) + 1 < lines:  # some cell runs over a line break: find it (rare: slow is fine)
        _refuse_swallowed_rows(path, body)
    return without_blank_rows(body)


def _refuse_swallowed_rows(path: Path, body: pd.DataFrame) -> None:
    """A cell that starts with a stray '"' runs on to the next '"', swallowing the rows between
    into one cell: no unit's name or number holds a line break, so such a cell is that slip."""
    for position in range(body.shape[1]):
        try:  # one search a column, not one a cell
            joined = "\0".join(body.iloc[:, position].dropna().tolist())
        except TypeError:  # numbers among the cells: they hold no line break
            joined = "\0".join(c for c in body.iloc[:, position].tolist() if isinstance(c, str))
        if "\n" not in joined and "\r" not in joined:
            continue
        row = body.index[next(i for i, c in enumerate(body.iloc[:, position].tolist())
                              if isinstance(c, str) and ("\n" in c or "\r" in c))]
        raise InputError(
            f"Tệp '{path.name}', dòng {row}, cột '{body.columns[position]}': ô mở dấu "
            "ngoặc kép (\") mà không đóng đúng chỗ nên các dòng sau bị gộp vào ô này. "
            "Xoá dấu ngoặc kép thừa hoặc đóng lại rồi chạy lại.")


def _read_csv_rows(path: Path, text: str, delimiter: str) -> pd.DataFrame:
    """Row by row: empty cells past the header's end are dropped; a row with more filled cells
    than the header has columns is refused, every such row named."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InputError(f"Tệp '{path.name}' sai định dạng CSV: {error}") from None
    header, body = rows[0], rows[1:]
    width = len(header)
    overflowing = [f"dòng {number} có {len(row)} ô" for number, row in
                   enumerate(body, start=FIRST_DATA_ROW)
                   if len(row) > width and any(cell.strip() for cell in row[width:])]
    if overflowing:
        raise InputError(f"Tệp '{path.name}': dòng tiêu đề có {width} cột nhưng "
                         f"{'; '.join(overflowing[:20])}"
                         + (f" và {len(overflowing) - 20} dòng khác" if len(overflowing) > 20
                            else "")
                         + ". Một ô có dấu phân cách (',' hoặc ';') phải nằm trong ngoặc kép.")
    cells = pd.DataFrame([(row + [""] * width)[:width] for row in body],
                         columns=pd.Index(header, dtype=object), dtype=object)
    cells.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(cells))
    _refuse_swallowed_rows(path, cells)
    return without_blank_rows(cells.replace("", None))


def read_workbook(path: Path, sheets: list[str] | None = None, *, reader: str = "calamine"
                  ) -> tuple[list[str], dict[str, RawTable]]:
    """Open a workbook once: its sheet names and the tables of ``sheets`` that it has (the first
    sheet when ``sheets`` is None). The values come from python-calamine, or from openpyxl when
    ``reader`` says so or a sheet needs it (both give the same values: tested)."""
    path = Path(path)
    _check_file(path)
    found = _calamine_sheets(path, sheets) if reader == "calamine" else None
    names, found = found or _openpyxl_sheets(path, sheets)
    return names, {wanted: _sheet_table(path, title, rows, formulas)
                   for wanted, (title, rows, formulas) in found.items()}


def _chosen(names: list[str], sheets: list[str] | None) -> dict[str, str]:
    """{wanted: the sheet's name}: "Phí, lệ phí " with a stray space or other case is still that
    sheet."""
    if sheets is None:
        return {name: name for name in names[:1]}
    actual = {name.strip().casefold(): name for name in reversed(names)}
    return {wanted: actual[wanted.strip().casefold()] for wanted in sheets
            if wanted.strip().casefold() in actual}


def _unreadable(path: Path, error: Exception) -> InputError:
    return InputError(f"Không mở được '{path.name}' như một tệp Excel: {error}")


def _calamine_sheets(path: Path, sheets: list[str] | None):
    import zipfile

    from python_calamine import CalamineError, CalamineWorkbook

    from xl766.adapters.xlsx_cells import read_rows

    try:
        book = CalamineWorkbook.from_path(str(path))
        chosen = _chosen(book.sheet_names, sheets)
        found = read_rows(book, path, chosen)
    except (CalamineError, zipfile.BadZipFile, OSError) as error:  # damaged or foreign
        raise _unreadable(path, error) from None
    if found is None:
        return None
    return book.sheet_names, {wanted: (chosen[wanted], *found[wanted]) for wanted in chosen}


def _openpyxl_sheets(path: Path, sheets: list[str] | None):
    import zipfile

    from openpyxl import load_workbook

    from xl766.adapters.xlsx_cells import cell_marks, percent_styles, sheets_xml

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise _unreadable(path, exc) from None
    try:
        names = book.sheetnames
        chosen = _chosen(names, sheets)
        with zipfile.ZipFile(path) as archive:
            # cells are read with their formats only when some style shows a percent (slower)
            with_formats = bool(percent_styles(archive))
            xml = sheets_xml(archive, chosen) or {}
        found = {}
        for wanted, name in chosen.items():
            marks = (cell_marks(xml[wanted], frozenset(), skip_unplaced=True) if wanted in xml
                     else None)
            found[wanted] = (name, _openpyxl_rows(book[name], with_formats),
                             marks.formulas if marks else {})
    finally:
        book.close()
    return names, found


_PLAIN = (str, int, float, type(None))


def _shown(value):
    """TRUE/FALSE and dates stay text, so the checks report them instead of reading numbers."""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value) if isinstance(value, datetime.time | datetime.timedelta) else value


def _percent_shown(cell):
    """A percent-formatted number is the percent it shows (81,52% is stored as 0,8152)."""
    value = cell.value
    if type(value) in (int, float) and is_percent_format(cell.number_format):
        return percent_of(value)
    return value


def _openpyxl_rows(worksheet, with_formats: bool) -> list[list]:
    worksheet.reset_dimensions()  # some writers leave out <dimension> or get it wrong
    if with_formats:
        return [[_percent_shown(c) for c in row] for row in worksheet.iter_rows()]
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def _sheet_table(path: Path, title: str, rows: list[list],
                 formulas: dict[tuple[int, int], str]) -> RawTable:
    rows = [[v if type(v) in _PLAIN else _shown(v) for v in row] for row in rows]
    if not rows or not any(v is not None for v in rows[0]):
        raise InputError(f"Trang '{title}' của '{path.name}' rỗng hoặc dòng 1 (tiêu đề) "
                         "để trống.")
    for (row, column), formula in formulas.items():
        # Only in rows with something typed: a template's formulas run down its empty rows.
        if row <= len(rows) and any(v not in (None, "") for v in rows[row - 1]):
            rows[row - 1] += [None] * (column - len(rows[row - 1]))
            rows[row - 1][column - 1] = formula
    width = max(len(r) for r in rows)
    header = [("" if h is None else str(h)) for h in rows[0]] + [""] * (width - len(rows[0]))
    body = pd.DataFrame([r + [None] * (width - len(r)) for r in rows[1:]],
                        columns=pd.Index(header, dtype=object), dtype=object)
    body.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(body))
    return RawTable(without_blank_rows(body), title)


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value)


def without_blank_rows(body: pd.DataFrame) -> pd.DataFrame:
    """Rows with nothing but blanks and spaces go; column names are kept as typed, so a repeated
    one stays visible to the checks. A blank row has a blank first cell: only rows with one are
    looked at whole."""
    if body.empty:
        return body
    first = body.iloc[:, 0].tolist()
    blank = [row for row, value in enumerate(first)
             if _empty(value) and all(_empty(v) for v in body.iloc[row].tolist())]
    return body.drop(index=body.index[blank]) if blank else body
