"""Reading numbers as clerks type them, and showing them as Vietnamese documents print them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

# "1.229.100", "1.234,5": dots group thousands when there are several or a decimal comma follows.
_DOT_THOUSANDS = r"[+-]?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|[+-]?\d{1,3}(?:\.\d{3})+,\d+"
# Counts are whole, so "1.335" and "1,335" can only be thousands.
_WHOLE_THOUSANDS = r"[+-]?\d{1,3}(?:[.,]\d{3})+"
# Printed tables write a dash for "none" (Biểu 02: its fee sums count it as 0).
_NIL = ("-", "–", "—")


@dataclass(frozen=True)
class ParsedNumbers:
    values: np.ndarray  # float; NaN where blank or unreadable
    blank: np.ndarray  # bool: nothing entered
    unreadable: np.ndarray  # bool: entered, but not a number
    decimals: np.ndarray  # digits printed after the decimal separator


def parse_numbers(cells: pd.Series, *, whole: bool = False) -> ParsedNumbers:
    """Vectorised parse of a column: decimal comma or point, thousands dots, a nil dash."""
    text = cells.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
    text = text.str.replace(" ", "", regex=False)
    blank = (text.isna() | (text == "")).to_numpy(dtype=bool)
    nil = text.isin(_NIL).fillna(False).to_numpy(dtype=bool)
    thousands = _WHOLE_THOUSANDS if whole else _DOT_THOUSANDS
    grouped = text.str.fullmatch(thousands).fillna(False)
    text = text.mask(grouped, text.str.replace(r"[.]", "", regex=True))
    if whole:
        text = text.mask(grouped, text.str.replace(",", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text.mask(~text.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)").fillna(False)),
                           errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values[nil] = 0.0
    unreadable = ~blank & np.isnan(values)
    decimals = text.str.extract(r"\.(\d+)$", expand=False).str.len()
    decimals = decimals.fillna(0).to_numpy(dtype=float, na_value=0.0)
    return ParsedNumbers(values, blank, unreadable, decimals)


def half_unit(decimals: np.ndarray) -> np.ndarray:
    """How far a printed value may be from the value it was rounded from.

    An integer is taken as printed to 2 decimals with the trailing zeros dropped, the way the
    portal's tables print scores such as "5" or "8"; otherwise the sums would gain ±0,5 per cell.
    """
    shown = np.where(decimals == 0, 2, decimals)
    return 0.5 * np.power(10.0, -shown)


def round_half_up(value: float, digits: int = 0) -> float:
    """Excel's ROUND: halves away from zero, on the value as it is written (2,675 → 2,68)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return value
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def format_number(value: float | None, digits: int = 0, *, blank: str = "") -> str:
    """'90,8', '1.229.100': Vietnamese separators, rounded half-up."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return blank
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    text = f"{rounded:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_count(count: int, noun: str = "đơn vị") -> str:
    """'07 đơn vị': administrative documents pad counts below ten with a zero."""
    return f"{count:02d} {noun}"
