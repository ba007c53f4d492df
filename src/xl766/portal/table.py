"""Portal answers → the scoring table of set 766-2026, one row per unit in the portal's order.

Counts go where the portal gives them (``X/tu``, ``X/mau``), a percent where it gives only a
ratio (``X%``), group points where it gives nothing finer (``G``); the portal's own points
travel as ``X/cong`` and ``G/cong`` for reconciliation. ``null`` stays blank: missing, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from xl766.catalog.models import IndicatorSet, ZeroDenominator
from xl766.engine.findings import Level
from xl766.engine.inputs import (
    KEPT_PREFIX,
    OFFICE_KIND,
    PUBLISHED_SUFFIX,
    PUBLISHED_TOTAL,
    UNIT_CODE,
    UNIT_KIND,
    UNIT_NAME,
    UNIT_NOTE,
)
from xl766.portal.answers import LEGACY, SERVICE_RESULTS, Capture, Problem
from xl766.portal.mapping import Endpoint, PortalMapping, load_mapping

# the portal's departmentType, as an office names the kind of unit
KINDS = {"PROVINCIAL_DEPARTMENT": "Sở, ban, ngành", "COMMUNE_PEOPLE_COMMITTEE": "UBND cấp xã",
         "PROVINCE": OFFICE_KIND}


@dataclass
class _Unit:
    name: str | None = None
    code: str | None = None
    kind: str | None = None
    cells: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    issues: list[tuple[Level, str]] = field(default_factory=list)  # what its answers got wrong

    def number(self, value, where: str):
        """A count, ratio or score as the portal sends it; a number sent as text is read and
        said, anything else is an error: never silently blank."""
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            return value
        if isinstance(value, str):
            try:
                number = float(value.strip().replace(",", "."))
            except ValueError:
                number = None
            if number is not None and np.isfinite(number):
                self.issues.append((Level.WARNING, f"{where}: Cổng gửi số dưới dạng chữ "
                                                   f"'{value}', đã đọc là {value.strip()}"))
                return int(number) if number.is_integer() and "." not in value else number
        self.issues.append((Level.ERROR, f"{where}: giá trị '{str(value)[:40]}' không phải số"))
        return None


class _Units:
    """Units keyed by departmentId (the only key every answer carries), in first-seen order."""

    def __init__(self):
        self.by_key: dict[str, _Unit] = {}

    def key(self, row: dict) -> str:
        return str(row.get("departmentId") or row.get("departmentCode")
                   or row.get("departmentName"))

    def get(self, row: dict) -> _Unit:
        unit = self.by_key.setdefault(self.key(row), _Unit())
        unit.name = unit.name or row.get("departmentName")
        unit.code = unit.code or row.get("departmentCode")
        kind = row.get("departmentType")
        unit.kind = unit.kind or (KINDS.get(kind, kind) if isinstance(kind, str) else None)
        return unit


def _metric_cells(unit: _Unit, endpoint: Endpoint, row: dict, unknown: set[str]) -> None:
    indicators = {m.code: m.indicator for m in endpoint.metrics}
    for metric in row.get("metrics") or []:
        code = metric.get("code")
        numerator, denominator, ratio, points = (
            unit.number(metric.get(name), f"{code}.{name}")
            for name in ("numerator", "denominator", "ratio", "score"))
        if code not in indicators:
            unknown.add(str(code))
        target = indicators.get(code)
        if target is None:  # monitored or unknown: kept as the portal gave it
            stem = f"{KEPT_PREFIX}{code}"
            unit.cells |= {f"{stem}/tu": numerator, f"{stem}/mau": denominator,
                           f"{stem}%": ratio, f"{stem}/diem": points}
            continue
        if numerator is not None and denominator is not None:
            unit.cells |= {f"{target}/tu": numerator, f"{target}/mau": denominator}
        elif ratio is not None:
            unit.cells[f"{target}%"] = ratio
        unit.cells[target + PUBLISHED_SUFFIX] = points
        if metric.get("dataQualityStatus"):
            unit.notes.append(f"{target}: {metric['dataQualityStatus']}"
                              + (f" — {metric['dataQualityMessage']}"
                                 if metric.get("dataQualityMessage") else ""))
    unit.cells[endpoint.group + PUBLISHED_SUFFIX] = unit.number(row.get("totalScore"),
                                                                 "totalScore")


def _tree_cells(unit: _Unit, endpoint: Endpoint, row: dict) -> None:
    counted = False
    for counts in endpoint.counts:
        parts = [[unit.number(row.get(f), f) for f in fields]
                 for fields in (counts.numerator, counts.denominator)]
        if all(v is not None for part in parts for v in part):
            unit.cells |= {f"{counts.indicator}/tu": sum(parts[0]),
                           f"{counts.indicator}/mau": sum(parts[1])}
            counted = True
        elif any(f in row for f in counts.numerator + counts.denominator):
            counted = True  # the fields are there but null: missing, and the group with it
    points = next((unit.number(row[f], f) for f in endpoint.group_points if f in row), None)
    unit.cells[endpoint.group + PUBLISHED_SUFFIX] = points
    if not counted and points is not None:
        unit.cells[endpoint.group] = points


def _column_order(indicator_set: IndicatorSet, present: set[str]) -> list[str]:
    wanted = [UNIT_NAME, UNIT_CODE]
    for group in indicator_set.groups:
        for indicator in group.indicators:
            code = indicator.code
            wanted += [f"{code}/tu", f"{code}/mau", f"{code}%", code + PUBLISHED_SUFFIX]
        wanted += [group.code, group.code + PUBLISHED_SUFFIX]
    wanted += [PUBLISHED_TOTAL, UNIT_NOTE, UNIT_KIND]  # last, as on the template
    kept = sorted(c for c in present if c.startswith(KEPT_PREFIX))
    return [c for c in wanted if c in present or c in (UNIT_NAME, UNIT_CODE)] + kept


def portal_table(capture: Capture, indicator_set: IndicatorSet, *, with_province: bool = False,
                 mapping: PortalMapping | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """The scoring table; problems name the file they come from."""
    mapping = mapping or load_mapping()
    units, province = _Units(), _Units()
    problems: list[Problem] = []
    for endpoint in mapping.endpoints:
        answers = capture.answers.get(endpoint.name)
        if not answers:
            if capture.answers.keys() - {SERVICE_RESULTS, LEGACY}:
                problems.append(Problem(Level.WARNING, f"thiếu câu trả lời '{endpoint.name}': "
                                        f"nhóm {endpoint.group} chưa chấm được cho mọi đơn vị "
                                        "(không tính là 0 điểm)"))
            continue
        unknown: set[str] = set()
        rows = [(units, r) for r in capture.rows(endpoint.name)]
        own = capture.province(endpoint.name)
        if with_province and own:
            rows.insert(0, (province, own))
        seen: set[str] = set()
        for target, row in rows:
            key = target.key(row)
            if target is units and key in seen:  # the last row would silently win
                target.get(row).issues.append((Level.ERROR, f"xuất hiện nhiều lần trong câu trả "
                                               f"lời '{endpoint.name}' (departmentId {key})"))
                continue
            seen.add(key)
            unit = target.get(row)
            if endpoint.shape == "metrics":
                _metric_cells(unit, endpoint, row, unknown)
            else:
                _tree_cells(unit, endpoint, row)
        kept = unknown - {m.code for m in endpoint.metrics}
        if kept:
            problems.append(Problem(Level.WARNING, f"mã chỉ số lạ {', '.join(sorted(kept))}: "
                                    f"giữ nguyên trong cột '{KEPT_PREFIX}…', không chấm điểm",
                                    answers[0].path.name))
    for row in capture.rows(SERVICE_RESULTS):
        unit = units.get(row)
        unit.cells[PUBLISHED_TOTAL] = unit.number(row.get("totalScore"), "totalScore")
    legacy = mapping.legacy
    seen = set()
    for row in capture.rows(LEGACY):
        identity = {"departmentCode": row.get(legacy.code_field),
                    "departmentName": row.get(legacy.name_field)}
        unit = units.get(identity)
        if units.key(identity) in seen:  # two rows of one unit would be merged into one
            unit.issues.append((Level.ERROR, f"có nhiều dòng cùng {legacy.code_field} "
                                             f"'{units.key(identity)}'"))
            continue
        seen.add(units.key(identity))
        # the 2025 rows send their points as text ("8.41"): the table's own parser reads them
        unit.cells |= {group: row.get(old) for old, group in legacy.groups.items()}
        unit.cells[PUBLISHED_TOTAL] = row.get(legacy.total_field)
    everyone = list(province.by_key.values()) + list(units.by_key.values())
    records = [{UNIT_NAME: u.name, UNIT_CODE: u.code, UNIT_KIND: u.kind, **u.cells,
                UNIT_NOTE: "; ".join(u.notes) or None} for u in everyone]
    present = {k for record in records for k, v in record.items() if v is not None}
    frame = pd.DataFrame(records, columns=_column_order(indicator_set, present), dtype=object)
    issues = [Problem(level, f"đơn vị '{unit.name or unit.code}': {message}")
              for unit in everyone for level, message in unit.issues]
    return frame.where(frame.notna(), None), issues + problems + _quality_summary(everyone)


def _quality_summary(units: list[_Unit]) -> list[Problem]:
    """One line per data-quality flag, with how many units carry it; each unit's note says it."""
    counted: dict[str, int] = {}
    for unit in units:
        for note in unit.notes:
            counted[note] = counted.get(note, 0) + 1
    return [Problem(Level.NOTE, f"{n} đơn vị có cờ chất lượng số liệu của Cổng: {note}")
            for note, n in counted.items()]


_RATE_WHEN_NONE_ARISE = {ZeroDenominator.ZERO: 0.0, ZeroDenominator.FULL: 1.0}


def as_fractions(table: pd.DataFrame, indicator_set: IndicatorSet) -> pd.DataFrame:
    """The same table with each indicator as one rate, a fraction of 1: what the template's
    Nhập liệu cells (formatted 0.00%) hold, 96,89% as 0,9689. Counts become their quotient (a
    zero denominator the rate that scores as the set's policy says); a percent the portal gives
    is divided by 100."""
    frame = table.copy()
    for indicator in indicator_set.indicators:
        column, tu, mau = (f"{indicator.code}%", f"{indicator.code}/tu",
                           f"{indicator.code}/mau")
        if column not in frame and not (tu in frame and mau in frame):
            continue
        rate = (pd.to_numeric(frame[column], errors="coerce") / 100 if column in frame
                else pd.Series(np.nan, index=frame.index))
        if tu in frame and mau in frame:
            numerator = pd.to_numeric(frame[tu], errors="coerce")
            denominator = pd.to_numeric(frame[mau], errors="coerce")
            from_counts = numerator / denominator.where(denominator != 0)
            from_counts[denominator.eq(0).to_numpy()] = _RATE_WHEN_NONE_ARISE.get(
                indicator.zero_denominator, np.nan)
            rate = rate.where(rate.notna(), from_counts)
            frame = frame.drop(columns=[tu, mau])
        frame[column] = rate
    return frame.astype(object).where(frame.notna(), None)
