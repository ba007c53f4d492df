"""Read a scoring table from a CSV or an XLSX file, keeping each row's number in the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        cells = pd.read_csv(path, header=None, dtype=str, keep_default_na=False,
                            encoding="utf-8-sig", skip_blank_lines=False)
    except UnicodeDecodeError:
        raise InputError(f"Tệp '{path.name}' không phải UTF-8: lưu lại dạng "
                         "'CSV UTF-8 (Comma delimited)'.") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"Tệp '{path.name}' rỗng.") from None
    except pd.errors.ParserError as exc:
        raise InputError(f"Tệp '{path.name}' sai định dạng CSV: {exc}") from None
    return _with_header(cells.replace("", None))


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
        rows = list(worksheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise InputError(f"Trang '{worksheet.title}' của '{path.name}' rỗng.")
    return RawTable(_with_header(pd.DataFrame(rows, dtype=object)), worksheet.title)


def _with_header(cells: pd.DataFrame) -> pd.DataFrame:
    """First row as column names (kept as typed, so repeats stay visible); wholly blank rows go."""
    header = [("" if h is None else str(h)) for h in cells.iloc[0]]
    body = cells.iloc[1:].copy()
    body.columns = pd.Index(header, dtype=object)
    body.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(body))
    filled = body.map(lambda v: v is not None and str(v).strip() != "").any(axis=1)
    return body[filled]
