"""Text from data must never turn into a formula in a file we write."""

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


def write_csv(frame, path, *, for_people: bool = True) -> None:
    """A table as CSV, every text quoted (a name holding ';' stays one cell), formula-like text
    escaped, blank left blank.

    ``for_people``: as Excel on a Vietnamese-locale PC opens it with a double click: UTF-8 with
    BOM, ';' between cells, decimal comma (68,71). Otherwise for programs: plain UTF-8, ',' and a
    decimal point.
    """
    separator = ";" if for_people else ","

    def cell(value) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, str):
            return '"' + csv_safe(without_control_characters(value)).replace('"', '""') + '"'
        if isinstance(value, float):  # numpy's too: repr of the plain float, not np.float64(…)
            value = float(value)
            text = str(int(value)) if value.is_integer() else repr(value)
        else:
            text = str(value)
        return text.replace(".", ",") if for_people else text

    with open(path, "w", encoding="utf-8-sig" if for_people else "utf-8", newline="") as handle:
        handle.write(separator.join(cell(str(name)) for name in frame.columns) + "\r\n")
        for row in frame.itertuples(index=False):
            handle.write(separator.join(cell(value) for value in row) + "\r\n")
