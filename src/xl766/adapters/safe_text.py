"""Text from data must never turn into a formula in a file we write."""

import csv
import math
import re

_FORMULA_STARTS = ("=", "+", "-", "@")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def starts_like_formula(text: str) -> bool:
    return text.lstrip().startswith(_FORMULA_STARTS)


def csv_safe(value):
    """Spreadsheets evaluate '=…', '+…', '-…', '@…' in CSV; a leading apostrophe keeps it text."""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value


def without_control_characters(text: str) -> str:
    """Control characters (NUL, \\x01 …) cannot be stored in an .xlsx cell: they are dropped."""
    return _CONTROL.sub("", text)


def set_text(cell, value) -> None:
    """Put data into an openpyxl cell; a string stays a string even if it starts with '='."""
    cell.value = without_control_characters(value) if isinstance(value, str) else value
    if isinstance(value, str):
        cell.data_type = "s"


def write_csv(frame, path) -> None:
    """A table as CSV for Excel: UTF-8 with BOM; every text quoted, so a name holding ';' stays
    one cell where ';' is the list separator (Vietnamese Windows); formula-like text escaped;
    blank stays blank."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow([str(name) for name in frame.columns])
        for row in frame.itertuples(index=False):
            writer.writerow(["" if value is None or (isinstance(value, float) and
                                                     math.isnan(value)) else
                             csv_safe(without_control_characters(value))
                             if isinstance(value, str) else value for value in row])
