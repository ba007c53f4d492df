"""Read a scoring table from a CSV or an XLSX file, keeping each row's number in the file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from xl766.adapters.errors import InputError

FIRST_DATA_ROW = 2  # row 1 holds the column names


@dataclass(frozen=True)
class RawTable:
    frame: pd.DataFrame  # cells as typed; index = row numbers in the file or sheet
    sheet: str  # where the rows are, for messages: a sheet name or the file's name


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Không tìm thấy tệp '{path}'.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return RawTable(_read_csv(path), path.name)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise InputError(f"Tệp '{path.name}' không phải .csv hay .xlsx: chưa đọc được định dạng này.")


_DELIMITERS = (",", ";", "\t")


def _delimiter(header_line: str) -> str:
    """Comma, or the semicolon Excel writes on a Vietnamese-locale PC, or a tab: whichever the
    header row uses most (outside quotes)."""
    unquoted = "".join(header_line.split('"')[::2])
    return max(_DELIMITERS, key=unquoted.count)


def _read_csv(path: Path) -> pd.DataFrame:
    """Every cell as text, so one parser reads every number of every file type the same way."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"Tệp '{path.name}' không phải UTF-8: lưu lại dạng "
                         "'CSV UTF-8 (Comma delimited)'.") from None
    except OSError as error:
        raise InputError(f"Không đọc được '{path.name}': {error.strerror}.") from None
    if "\0" in text:
        raise InputError(f"Tệp '{path.name}' có ký tự NUL: không phải bảng CSV văn bản.")
    first_line = text.split("\n", 1)[0]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line)))
    except csv.Error as error:
        raise InputError(f"Tệp '{path.name}' sai định dạng CSV: {error}") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError(f"Tệp '{path.name}' rỗng hoặc thiếu dòng tiêu đề.")
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
    return without_blank_rows(cells.replace("", None))


def _read_xlsx(path: Path, sheet: str | None) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise InputError(f"Không mở được '{path.name}' như một tệp Excel: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(f"Tệp '{path.name}' không có trang '{sheet}'.")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        # TRUE/FALSE cells stay text, so the checks report them instead of reading 1 and 0.
        rows = [tuple(str(v).upper() if isinstance(v, bool) else v for v in row)
                for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        raise InputError(f"Trang '{worksheet.title}' của '{path.name}' rỗng.")
    header = [("" if h is None else str(h)) for h in rows[0]]
    body = pd.DataFrame(rows[1:], columns=pd.Index(header, dtype=object), dtype=object)
    body.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(body))
    return RawTable(without_blank_rows(body), worksheet.title)


def without_blank_rows(body: pd.DataFrame) -> pd.DataFrame:
    """Column names are kept as typed, so a repeated one stays visible to the checks."""
    filled = body.notna()
    for name in np.flatnonzero([dtype == np.dtype(object) for dtype in body.dtypes]):
        column = body.iloc[:, name]
        filled.iloc[:, name] = column.notna() & (column.astype("string").str.strip() != "")
    return body[filled.any(axis=1).to_numpy()]
