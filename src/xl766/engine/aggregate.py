"""A quarter, half-year or year built from its months: each unit's counts summed (numerators with
numerators, denominators with denominators; never rates averaged), then scored with the set like
any table. Only counts add up: points and percents typed for a month cannot be, and are said."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xl766.catalog.models import IndicatorSet
from xl766.engine.findings import Finding, Level
from xl766.engine.inputs import (
    UNIT_CODE,
    UNIT_KIND,
    UNIT_NAME,
    Role,
    column_roles,
    read_scoring_table,
)
from xl766.engine.names import normalise


@dataclass(frozen=True)
class Month:
    name: str  # as messages name it: the file, or the period
    table: pd.DataFrame  # a raw scoring table, cells as typed


@dataclass(frozen=True)
class Built:
    table: pd.DataFrame  # the period's scoring table: names, codes, kinds and summed counts
    findings: list[tuple[str, Finding]]  # (which month, what)


def _key(code, name) -> str:
    return f"ma:{code}" if code else f"ten:{normalise(name or '')}"


def _missing_months(unit: str, missing: list[str], partial: bool,
                    partial_way: str) -> tuple[str, Finding]:
    """'<unit> … tháng 8: để trống, chưa chấm điểm', or how the months it has are used."""
    said = partial_way if partial else "để trống, chưa chấm điểm"
    return ("", Finding(Level.WARNING if partial else Level.NOTE,
                        f"{unit} {', '.join(missing)}: {said}", None, 1))


def sum_months(months: list[Month], indicator_set: IndicatorSet, *,
               partial: bool = False) -> Built:
    """Counts summed per unit (matched by code, else by normalised name). A unit missing from a
    month is named, and its counts left blank (unscored) unless ``partial``."""
    findings: list[tuple[str, Finding]] = []
    roles = column_roles(indicator_set)
    units: dict[str, dict] = {}
    seen_in: dict[str, set[int]] = {}
    totals: dict[str, dict[str, list[int]]] = {}
    for number, month in enumerate(months):
        data = read_scoring_table(month.table, indicator_set)
        errors = [f for f in data.findings if f.level is Level.ERROR]
        findings += [(month.name, f) for f in errors]
        dropped = sorted({str(c).strip() for c in month.table.columns
                          if roles.get(str(c).strip(), (None,))[0]
                          in (Role.POINTS, Role.PERCENT, Role.GROUP_POINTS)
                          and month.table[c].notna().any()})
        if dropped:
            findings.append((month.name, Finding(
                Level.WARNING, "chỉ cộng được số hồ sơ (tử số/mẫu số): các cột "
                f"{', '.join(dropped)} là điểm hoặc tỷ lệ của tháng, không cộng dồn được, để "
                "trống trong kỳ tổng hợp", None, 1)))
        if errors:
            continue
        kinds = data.kinds.tolist()
        for position, (name, code) in enumerate(zip(data.names.tolist(), data.codes.tolist(),
                                                    strict=True)):
            key = _key(code, name)
            units.setdefault(key, {UNIT_NAME: name, UNIT_CODE: code, UNIT_KIND: kinds[position]})
            seen_in.setdefault(key, set()).add(number)
            for indicator in indicator_set.indicators:
                tu = data.get(Role.NUMERATOR, indicator.code)
                mau = data.get(Role.DENOMINATOR, indicator.code)
                if tu is None or mau is None or tu.blank[position] or mau.blank[position]:
                    continue
                pair = totals.setdefault(key, {}).setdefault(indicator.code, [0, 0])
                pair[0] += int(tu.values[position])
                pair[1] += int(mau.values[position])
    if any(f.level is Level.ERROR for _, f in findings):
        return Built(pd.DataFrame(), findings)
    rows = []
    for key, unit in units.items():
        missing = [months[n].name for n in range(len(months)) if n not in seen_in[key]]
        row = dict(unit)
        if missing:
            findings.append(_missing_months(f"'{unit[UNIT_NAME]}' không có trong", missing,
                                            partial, "tính với số liệu các tháng có"))
        if not missing or partial:
            for code, (tu, mau) in totals.get(key, {}).items():
                row[f"{code}/tu"], row[f"{code}/mau"] = tu, mau
        rows.append(row)
    columns = [UNIT_NAME, UNIT_CODE, UNIT_KIND] + [
        f"{i.code}/{part}" for i in indicator_set.indicators for part in ("tu", "mau")
        if any(i.code in totals.get(k, {}) for k in units)]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return Built(frame.where(frame.notna(), None).replace({np.nan: None}), findings)


def mean_of_months(months: list[Month], indicator_set: IndicatorSet, *,
                   partial: bool = False) -> Built:
    """For a set that says a quarter is the mean of its months' converted totals (entered
    points have no counts to sum): each unit's months scored, their totals averaged exactly and
    rounded half-up to 2 decimals, as the period's published total (TONG), the months said in
    its note."""
    from fractions import Fraction

    from xl766.engine.exact import decimal_fraction
    from xl766.engine.inputs import PUBLISHED_TOTAL, UNIT_NOTE
    from xl766.engine.numbers import format_number
    from xl766.engine.scoring import score_table

    findings: list[tuple[str, Finding]] = []
    units: dict[str, dict] = {}
    totals: dict[str, list[float | None]] = {}
    for number, month in enumerate(months):
        scores = score_table(month.table, indicator_set)
        errors = [f for f in scores.findings if f.level is Level.ERROR]
        findings += [(month.name, f) for f in errors]
        if errors:
            continue
        for name, code, kind, converted in zip(
                scores.units["unit"].tolist(), scores.units["code"].tolist(),
                scores.units["kind"].tolist(), scores.summary["converted"].tolist(), strict=True):
            key = _key(code, name)
            units.setdefault(key, {UNIT_NAME: name, UNIT_CODE: code, UNIT_KIND: kind})
            totals.setdefault(key, [None] * len(months))[number] = (
                None if converted != converted else converted)
    if any(f.level is Level.ERROR for _, f in findings):
        return Built(pd.DataFrame(), findings)
    rows = []
    for key, unit in units.items():
        given = [t for t in totals[key] if t is not None]
        missing = [months[n].name for n, t in enumerate(totals[key]) if t is None]
        row = dict(unit)
        if missing:
            findings.append(_missing_months(f"'{unit[UNIT_NAME]}' không có điểm", missing,
                                            partial, "trung bình các tháng có"))
        if given and (not missing or partial):
            mean = sum(decimal_fraction(t) for t in given) / len(given)
            cents = math.floor(mean * 100 + Fraction(1, 2))  # half-up: totals are not negative
            row[PUBLISHED_TOTAL] = cents / 100
            row[UNIT_NOTE] = (f"trung bình {len(given)} tháng: "
                              + "; ".join(format_number(t, 2) for t in given))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[UNIT_NAME, UNIT_CODE, UNIT_KIND, PUBLISHED_TOTAL,
                                        UNIT_NOTE], dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return Built(frame.where(frame.notna(), None), findings)
