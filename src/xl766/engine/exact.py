"""Exact decimal arithmetic on whole columns: points as integers, so that sums, bands and ranks
never meet float noise (17,95 + 17,27 + 9,68 + 8,87 + 14,49 + 21,74 is 90,00, not 89,99…).

Every value is an integer count of *ticks*, 10⁻⁹ of a point. A number read from a cell is taken
as the decimal Excel holds and shows: at most 15 significant digits. Arrays stay int64 while the
values are small enough to multiply without overflow, and become arrays of Python integers
(exact at any size) otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np

TICK_DIGITS = 9
TICKS = 10**TICK_DIGITS
_SIGNIFICANT = 15
_INT64_SAFE = 2.0**62
_FLOAT_EXACT = 2.0**52
_MOST_DECIMALS = 30
_FEW = 8


def _small(*bounds: float) -> bool:
    """Whether a product of values bounded so stays inside int64."""
    product = 1.0
    for bound in bounds:
        product *= max(float(bound), 1.0)
    return product < _INT64_SAFE


def _bound(values: np.ndarray) -> float:
    values = np.asarray(values).reshape(-1)
    if values.size == 0:
        return 0.0
    if values.dtype == object:
        return float(max(abs(int(v)) for v in values))
    return float(np.abs(values).max())


def multiply(*arrays) -> np.ndarray:
    """The exact product of integer arrays (or ints), in int64 when it fits."""
    bounds = [_bound(np.asarray(a)) for a in arrays]
    exact_small = _small(*bounds)
    result = None
    for array in arrays:
        array = np.asarray(array)
        if not exact_small:
            array = array.astype(object)
        result = array if result is None else result * array
    return result


def divide_half_up(numerator, denominator) -> np.ndarray:
    """numerator / denominator rounded half away from zero, exactly (denominator > 0)."""
    numerator, denominator = np.asarray(numerator), np.asarray(denominator)
    if numerator.dtype == object or denominator.dtype == object or not _small(
            2 * _bound(numerator) + _bound(denominator)):
        numerator, denominator = numerator.astype(object), denominator.astype(object)
    sign = np.where(numerator < 0, -1, 1)
    magnitude = numerator * sign
    return sign * ((2 * magnitude + denominator) // (2 * denominator))


def decimal_digits(values: np.ndarray) -> np.ndarray:
    """How many decimals each finite value has as Excel holds it (15 significant digits);
    -1 where a value needs more than ``TICK_DIGITS`` of them or is not finite."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    safe = np.where(finite, values, 0.0)
    digits = np.full(len(safe), -1)
    for k in range(TICK_DIGITS + 1):
        scale = 10.0**k
        scaled = np.rint(safe * scale)
        hit = (digits < 0) & finite & (np.abs(scaled) < _FLOAT_EXACT) & (scaled / scale == safe)
        digits[hit] = k
    return digits


def _held(value: float) -> Decimal:
    """The decimal Excel holds for a double: its first 15 significant digits."""
    return Decimal(format(value, f".{_SIGNIFICANT}g"))


def as_ticks(values, digits: int = TICK_DIGITS) -> tuple[np.ndarray, np.ndarray]:
    """Each value in units of 10^-digits, rounded half-up beyond them (after reading it to 15
    significant digits); returns (integers, known) with 0 where a value is not finite."""
    values = np.asarray(values, dtype=float).reshape(-1)
    known = np.isfinite(values)
    if len(values) <= _FEW:  # a worksheet function's few arguments: one by one is faster
        exact = [_exact_ticks(_held(v), digits) if k else 0
                 for v, k in zip(values.tolist(), known.tolist(), strict=True)]
        return np.array(exact, dtype=np.int64 if _small(max(map(abs, exact), default=0))
                        else object), known
    places = decimal_digits(values)
    # values with at most 9 decimals are read exactly in one vector pass (then rounded to
    # ``digits`` exactly); only the rare longer ones go one by one through Decimal
    fast = known & (places >= 0)
    safe = np.where(fast, values, 0.0)
    finest = max(digits, TICK_DIGITS)
    if finest <= _SIGNIFICANT and _bound(safe) * 10.0**finest < _FLOAT_EXACT:
        result = np.rint(safe * 10.0**finest).astype(np.int64)
        if finest > digits:
            result = divide_half_up(result, 10**(finest - digits))
    else:
        result = np.array([_exact_ticks(_held(v), digits) for v in safe], dtype=object)
    slow = np.flatnonzero(known & ~fast)
    if slow.size:
        exact = [_exact_ticks(_held(values[p]), digits) for p in slow]
        if result.dtype != object and not _small(max(abs(v) for v in exact)):
            result = result.astype(object)
        for position, value in zip(slow, exact, strict=True):
            result[position] = value
    return result, known


def exact_decimals(values) -> tuple[np.ndarray, int, np.ndarray]:
    """Each value exactly as integers over a common power of ten: (integers, K, known) with
    value = integer / 10^K, K the most decimals any value has (as Excel holds it)."""
    values = np.asarray(values, dtype=float).reshape(-1)
    known = np.isfinite(values)
    if len(values) <= _FEW:
        digits = max([_held_decimals(v) for v in values[known].tolist()], default=0)
    else:
        places = decimal_digits(values)
        digits = max([int(places.max(initial=0)),
                      *(_held_decimals(values[p]) for p in np.flatnonzero(known & (places < 0)))])
    # Beyond 30 decimals a value is noise (a denormal typed as 5e-324): rounded there.
    digits = min(digits, _MOST_DECIMALS)
    integers, known = as_ticks(values, digits)
    return integers, digits, known


def _held_decimals(value: float) -> int:
    """How many decimals the decimal Excel holds for a double has (0 for 100 or 1E+2)."""
    return max(0, -_held(value).normalize().as_tuple().exponent)


def rate_percent(numerators, denominators) -> np.ndarray:
    """Rates from counts in %, to 2 decimals half-up from the exact fraction, as the portal
    prints them (156/161 → 96,89); denominators must be above 0."""
    hundredths = divide_half_up(multiply(numerators, 10_000), denominators)
    return np.asarray(hundredths, dtype=float) / 100


def _exact_ticks(value: Decimal, digits: int) -> int:
    """A decimal in units of 10^-digits, half away from zero."""
    scaled = value.scaleb(digits)
    whole = int(scaled)
    rest = abs(scaled - whole)
    return whole + (1 if value >= 0 else -1) * (rest >= Decimal("0.5"))


def decimal_fraction(value: float) -> Fraction:
    """A catalog constant (a maximum, a threshold) as the exact decimal it was written as."""
    return Fraction(_held(float(value)))


def constant_ticks(value: float) -> int:
    """A catalog constant in ticks; exact for constants with at most 9 decimals."""
    return int(_exact_ticks(_held(float(value)), TICK_DIGITS))


def to_float(ticks: np.ndarray, known: np.ndarray, denominator=1,
             digits: int = TICK_DIGITS) -> np.ndarray:
    """Ticks (units of 10^-digits, over ``denominator``) as floats for display and files: each
    the double nearest its exact value (one correctly rounded division, so 6871000000 prints as
    68.71), NaN where unknown."""
    denominator = multiply(np.ones(len(known), dtype=np.int64), denominator, 10**digits)
    ticks = np.asarray(ticks)
    if ticks.dtype == object or denominator.dtype == object or _bound(ticks) >= _FLOAT_EXACT:
        floats = np.array([int(t) / int(d) if k else np.nan for t, d, k in
                           zip(ticks, denominator, known, strict=True)], dtype=float)
    else:
        floats = ticks / np.where(known, denominator, 1)
    return np.where(known, floats, np.nan)
