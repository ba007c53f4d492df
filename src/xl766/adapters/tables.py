"""Read a scoring table from a CSV or an XLSX file, keeping each row's number in the file."""

from __future__ import annotations

import csv
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


def _read_csv(path: Path) -> pd.DataFrame:
    """Counts ('/tu', '/mau') are parsed by pandas' C reader, thousands dots included; every other
    column stays text so the engine sees "30,0" as typed (its decimals feed the rounding check)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
        if not header:
            raise InputError(f"Tệp '{path.name}' rỗng.")
        counts = {i for i, name in enumerate(header) if name.strip().endswith(("/tu", "/mau"))}
        cells = pd.read_csv(path, header=None, skiprows=1, names=range(len(header)),
                            dtype={i: str for i in range(len(header)) if i not in counts},
                            keep_default_na=False, na_values={i: [""] for i in counts},
                            thousands=".", encoding="utf-8-sig", skip_blank_lines=False)
    except UnicodeDecodeError:
        raise InputError(f"Tệp '{path.name}' không phải UTF-8: lưu lại dạng "
                         "'CSV UTF-8 (Comma delimited)'.") from None
    except pd.errors.ParserError as exc:
        raise InputError(f"Tệp '{path.name}' sai định dạng CSV: {exc}") from None
    cells.columns = pd.Index(header, dtype=object)
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
