"""Reading numbers as clerks type them, and showing them as Vietnamese documents print them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from xl766.engine.exact import as_ticks, to_float

# "1.229.100", "1.234,5": dots group thousands when there are several or a decimal comma follows.
_DOT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|[+-]?\d{1,3}(?:\.\d{3})+,\d+")
# Counts are whole, so "1.335" and "1,335" can only be thousands.
_WHOLE_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[.,]\d{3})+")
_PLAIN = re.compile(r"[+-]?(?:\d+[.,]?\d*|[.,]\d+)")
_DECIMALS = re.compile(r"[.,](\d+)$")
# Printed tables write a dash for "none" (Biểu 02: its fee sums count it as 0); in a scoring
# table a dash is neither a score nor a blank, so there it is refused (see ``dash_is_zero``).
DASHES = frozenset(("-", "–", "—"))


@dataclass(frozen=True)
class ParsedNumbers:
    values: np.ndarray  # float; NaN where blank or unreadable
    blank: np.ndarray  # bool: nothing entered
    unreadable: np.ndarray  # bool: entered, but not a number
    decimals: np.ndarray  # digits printed after the decimal separator


def _parse_text(text: str, whole: bool, dash_is_zero: bool) -> float:
    """The slow path, for the few cells a plain number parser cannot read."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if text in DASHES:
        return 0.0 if dash_is_zero else math.nan
    if (_WHOLE_THOUSANDS if whole else _DOT_THOUSANDS).fullmatch(text):
        text = text.replace(".", "") if not whole else text.replace(".", "").replace(",", "")
    if not _PLAIN.fullmatch(text):
        return math.nan
    return float(text.replace(",", "."))


def _printed_decimals(cell) -> int:
    """Digits after the decimal separator as the cell shows them; a sheet's 30.0 counts as 0."""
    if isinstance(cell, str):
        text = cell.strip().replace(" ", "")
        if _DOT_THOUSANDS.fullmatch(text):
            text = text.replace(".", "")
    elif isinstance(cell, int):
        text = ""
    else:
        number = float(cell)
        text = "" if number.is_integer() else repr(number)
    found = _DECIMALS.search(text)
    return len(found.group(1)) if found else 0


def parse_numbers(cells: pd.Series, *, whole: bool = False, with_decimals: bool = False,
                  dash_is_zero: bool = False) -> ParsedNumbers:
    """Parse a column as clerks type it: decimal comma or point, thousands dots, and a dash for
    zero where the sheet prints one (``dash_is_zero``).

    Plain numbers are converted in one C loop; only the cells it cannot read (blanks, decimal
    commas, grouped thousands, dashes, typos) take the Python path, so a national table parses
    in milliseconds.
    """
    if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype):
        values = cells.to_numpy(dtype=float, na_value=np.nan)  # already read by a C parser
        blank = np.isnan(values)
        return ParsedNumbers(values, blank, np.broadcast_to(False, (len(values),)),
                             _no_decimals(len(values)))
    raw = cells.to_numpy(dtype=object)
    try:
        values = raw.astype(float)
    except (ValueError, TypeError, OverflowError):  # some cell is not a plain number
        values = np.array([_as_float(cell) for cell in raw], dtype=float)
    values[~np.isfinite(values)] = np.nan
    blank = np.zeros(len(raw), dtype=bool)
    doubtful = np.isnan(values)
    # Python reads "1_000" as 1000 and TRUE as 1, and in a count "1.335" and "50.000" are
    # thousands, not 1,335 and 50: such cells get a second look. All-text columns without those
    # characters (a CSV's) are cleared in one pass.
    try:
        joined = "\0".join(raw[~doubtful].tolist())
        plain = "_" not in joined and not (whole and "." in joined)
    except TypeError:  # numbers or TRUE/FALSE among the cells
        plain = False
    text = raw.astype(str) if with_decimals or not plain else None
    if not plain:
        doubtful |= ((np.char.find(text, "_") >= 0) | (text == "True") | (text == "False"))
        if whole:
            doubtful |= np.char.find(text, ".") >= 0
    second_look = np.flatnonzero(doubtful)
    for position in second_look:
        cell = raw[position]
        if cell is None or (isinstance(cell, float) and math.isnan(cell)) or (
                isinstance(cell, str) and not cell.strip()):
            blank[position] = True
        elif isinstance(cell, str):
            values[position] = _parse_text(cell, whole, dash_is_zero)
        elif isinstance(cell, bool):
            values[position] = math.nan
    unreadable = ~blank & np.isnan(values)
    decimals = _no_decimals(len(raw))
    if with_decimals:
        text = np.char.strip(text)
        separator = np.maximum(np.char.rfind(text, "."), np.char.rfind(text, ","))
        decimals = np.where(separator >= 0, np.char.str_len(text) - separator - 1, 0)
        decimals = decimals.astype(float)
        for position in second_look:  # grouped thousands and the like: count them properly
            decimals[position] = 0 if blank[position] else _printed_decimals(raw[position])
    return ParsedNumbers(values, blank, unreadable, decimals)


def _no_decimals(size: int) -> np.ndarray:
    """Zeros for a whole column, in the memory of one (a national table has forty such)."""
    return np.broadcast_to(np.float64(0), (size,))


def _as_float(cell) -> float:
    """A cell that is plainly a number as a float; NaN for anything else, an integer too large
    for a float (a 400-digit cell) included."""
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        return math.nan
    try:
        value = float(cell)
    except (ValueError, OverflowError):
        return math.nan
    return value if math.isfinite(value) else math.nan


def parse_number(cell, *, whole: bool = False, dash_is_zero: bool = False) -> float | None:
    """One cell read as parse_numbers reads a column: None when blank, NaN when unreadable."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        return math.nan  # TRUE/FALSE, dates: not numbers
    if not isinstance(cell, str):
        return _as_float(cell)
    if not cell.strip():
        return None
    if "_" not in cell and not (whole and "." in cell):
        try:
            value = float(cell)
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return value
    return _parse_text(cell, whole, dash_is_zero)


def half_unit(decimals: np.ndarray) -> np.ndarray:
    """How far a printed value may be from the value it was rounded from.

    An integer is taken as printed to 2 decimals with the trailing zeros dropped, the way the
    portal's tables print scores such as "5" or "8"; otherwise the sums would gain ±0,5 per cell.
    """
    shown = np.where(decimals == 0, 2, decimals)
    return 0.5 * np.power(10.0, -shown)


def round_half_up(values, digits: int = 0):
    """Excel's ROUND, on a number or a whole array: halves away from zero, on the value as
    Excel holds it (15 significant digits: 2,675 → 2,68; 1,005 → 1,01; 18,00499999… → 18,00),
    exactly; NaN stays NaN."""
    array = np.asarray(values, dtype=float)
    integers, known = as_ticks(array, digits)
    rounded = to_float(integers, known, digits=digits)
    return rounded.reshape(array.shape) if array.ndim else float(rounded[0])


def format_number(value: float | None, digits: int = 0, *, blank: str = "") -> str:
    """'90,8', '1.229.100': Vietnamese separators, rounded half-up."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return blank
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    text = f"{rounded:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_numbers(values, digits: int = 0, *, blank: str = "") -> list[str]:
    """format_number for a whole column: rounded half-up in one pass, then printed."""
    rounded = round_half_up(np.asarray(values, dtype=float), digits)
    # a column of points repeats few values: each distinct one is printed once
    distinct, where = np.unique(rounded, return_inverse=True)
    printed = np.array([blank if v != v else f"{v:,.{digits}f}".translate(_VIETNAMESE_SEPARATORS)
                        for v in distinct.tolist()] or [blank], dtype=object)
    return printed[where.reshape(-1)].tolist()


_VIETNAMESE_SEPARATORS = str.maketrans(",.", ".,")


def percent_of(fraction: float) -> float:
    """The percent a %-formatted cell shows (0,8152 → 81,52), without float noise."""
    return float(Decimal(repr(float(fraction))) * 100)


def short_number(value: float) -> str:
    """A number in a message as a Vietnamese reader writes it, no more digits than it has:
    2,5; 1229100; 0,3 (not 0.30000000000000004)."""
    return format(float(value), ".15g").replace(".", ",")


def format_count(count: int, noun: str = "đơn vị") -> str:
    """'07 đơn vị': administrative documents pad counts below ten with a zero."""
    return f"{count:02d} {noun}" if count < 1000 else f"{format_number(count)} {noun}"
