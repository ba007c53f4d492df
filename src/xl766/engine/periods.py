"""Periods side by side: a scored period as plain tables (what the history keeps and what a later
period compares with), the office's own figures, and the changes between two periods, computed
exactly (a change of 0,1 is 0,1, never 0,09999999999999432)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from xl766.catalog.models import IndicatorSet
from xl766.engine.exact import as_ticks, to_float
from xl766.engine.group_tables import group_table
from xl766.engine.inputs import UNIT_CODE, UNIT_KIND, UNIT_NAME
from xl766.engine.names import fold, normalise
from xl766.engine.scoring import Scores, classify, is_office

NOT_COMPARABLE = "không so sánh được do đổi cách tính"


@dataclass(frozen=True)
class OfficeFigures:
    name: str
    total: float | None
    band: str | None
    groups: dict[str, tuple[float, float]]  # code: (points, maximum), where known
    rank: int | None = None  # among its peers (the portal's list of provinces or districts)
    peers: int | None = None


@dataclass(frozen=True)
class PeriodScores:
    """One scored period as tables, indexed by unit position: what a later period needs."""

    period: str
    indicator_set: IndicatorSet
    units: pd.DataFrame  # unit, code, kind
    summary: pd.DataFrame  # converted, band, rank, kind_rank
    groups: pd.DataFrame  # points per group code
    group_max: pd.DataFrame
    # long: row, indicator, points, rate, numerator, denominator (what is known)
    figures: pd.DataFrame
    office: OfficeFigures | None = None


def counts_table(period: PeriodScores) -> pd.DataFrame:
    """A recorded period back as a scoring table of its counts (names, codes, kinds, X/tu,
    X/mau): what a quarter is summed from."""
    frame = period.units.rename(columns={"unit": UNIT_NAME, "code": UNIT_CODE,
                                         "kind": UNIT_KIND}).copy()
    counted = period.figures.dropna(subset=["numerator", "denominator"])
    for column, part in (("numerator", "tu"), ("denominator", "mau")):
        wide = counted.pivot(index="row", columns="indicator", values=column)
        for code in wide.columns:
            frame[f"{code}/{part}"] = wide[code].reindex(frame.index).astype("Int64")
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame.astype(object).where(frame.notna(), None)


def period_scores(scores: Scores, period: str,
                  office: OfficeFigures | None = None) -> PeriodScores:
    return PeriodScores(
        period, scores.indicator_set, scores.units.reset_index(drop=True),
        scores.summary[["converted", "band", "rank", "kind_rank"]].reset_index(drop=True),
        scores.groups.reset_index(drop=True), scores.group_max.reset_index(drop=True),
        _figure_table(scores), office)


def _figure_table(scores: Scores) -> pd.DataFrame:
    """One row per unit and indicator with anything known (points, rate, or both counts), unit
    by unit in the set's order; counts only where both are known."""
    parts = []
    for code in scores.indicators.columns:
        points, rates, tu, mau = scores.indicator_figures(code)
        rows = np.flatnonzero(~np.isnan(points) | ~np.isnan(rates) | ~np.isnan(tu))
        parts.append(pd.DataFrame({
            "row": rows, "indicator": code, "points": points[rows], "rate": rates[rows],
            "numerator": tu[rows], "denominator": mau[rows]}))
    if not parts:
        return pd.DataFrame(columns=["row", "indicator", "points", "rate", "numerator",
                                     "denominator"])
    return pd.concat(parts).sort_values("row", kind="stable").reset_index(drop=True)


def office_figures(scores: Scores, fallback_name: str) -> OfficeFigures:
    """The office's own figures: its row (kind "Đơn vị báo cáo") when the table has one, else
    what the counts summed over its units give (the total only when every group is known)."""
    office = np.flatnonzero(is_office(scores.units["kind"].tolist()))
    codes = [g.code for g in scores.indicator_set.groups]
    if len(office):
        label = scores.units.index[office[0]]
        groups = {c: (float(scores.groups.at[label, c]), float(scores.group_max.at[label, c]))
                  for c in codes if scores.groups.at[label, c] == scores.groups.at[label, c]}
        total = scores.summary.at[label, "converted"]
        known = total == total
        return OfficeFigures(scores.units.at[label, "unit"], float(total) if known else None,
                             scores.summary.at[label, "band"] if known else None, groups)
    groups = {}
    for group in scores.indicator_set.groups:
        row = group_table(scores, group).office
        if row is not None and "points" in row:
            groups[group.code] = (row["points"], row["top"])
    if len(groups) < len(codes):
        return OfficeFigures(fallback_name, None, None, groups)
    ticks, _ = as_ticks(np.array([groups[c][0] for c in codes]))  # summed exactly, then banded
    total = to_float(np.array([int(ticks.sum())]), np.array([True]))
    return OfficeFigures(fallback_name, float(total[0]),
                         classify(scores.indicator_set, total)[0], groups)


def _rules(indicator_set: IndicatorSet, code: str):
    group = next((g for g in indicator_set.groups if g.code == code), None)
    if group is None:
        return None
    return (group.max_points, tuple((i.code, i.max_points, i.rule, i.target_percent,
                                     i.zero_denominator) for i in group.indicators))


def comparable_groups(current: IndicatorSet, previous: IndicatorSet) -> dict[str, bool]:
    """Per group of the current set: whether the previous set scored it by the same rules."""
    return {g.code: _rules(current, g.code) == _rules(previous, g.code) for g in current.groups}


def match_units(current: pd.DataFrame, previous: pd.DataFrame,
                renamed: dict[str, list[str]] | None = None) -> tuple[dict, list[str]]:
    """Each current unit's row last period: through ``renamed`` (a unit's code or name now →
    its codes or names then), by code, else by normalised name, else by a name that differs
    only in diacritics (said in a note); a coded unit is matched by code only. A unit merged
    from several is not compared (said)."""
    by_code = {c: label for label, c in previous["code"].items() if c}
    by_name = {normalise(n): label for label, n in previous["unit"].items() if n}
    by_fold = {fold(n): label for label, n in previous["unit"].items() if n}
    renamed = {normalise(k): v for k, v in (renamed or {}).items()}
    notes, matched = [], {}
    for label, unit, code in zip(current.index, current["unit"].tolist(),
                                 current["code"].tolist(), strict=True):
        earlier = renamed.get(normalise(code or "")) or renamed.get(normalise(unit or ""))
        if earlier:
            found = [by_code.get(e, by_name.get(normalise(e))) for e in earlier]
            if len(earlier) > 1:
                notes.append(f"'{unit}' sáp nhập từ {', '.join(earlier)}: không so sánh với kỳ "
                             "trước")
            elif found[0] is None:
                notes.append(f"'{unit}': không thấy '{earlier[0]}' (tên cũ) trong kỳ trước")
            else:
                matched[label] = found[0]
            continue
        found = by_code.get(code) if code else None
        if found is None and not (code and by_code):
            found = by_name.get(normalise(unit or ""))
            if found is None and (near := by_fold.get(fold(unit or ""))) is not None:
                notes.append(f"'{unit}' được ghép với '{previous.at[near, 'unit']}' của kỳ "
                             "trước (chỉ khác dấu)")
                found = near
        if found is None:
            notes.append(f"'{unit}' không có trong số liệu kỳ trước")
            continue
        matched[label] = found
    return matched, notes


def exact_difference(now, before) -> np.ndarray:
    """now − before for numbers as Excel holds them, exactly, as the nearest doubles."""
    now, before = np.atleast_1d(np.asarray(now, float)), np.atleast_1d(np.asarray(before, float))
    a, known_a = as_ticks(now)
    b, known_b = as_ticks(before)
    return to_float(a - b, known_a & known_b)


def compare(current: Scores, previous: PeriodScores,
            renamed: dict[str, list[str]] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Per current unit (index = its row label) the previous period's converted total, band,
    rank and group points, and the changes: ``delta`` (points), ``rank_change`` (places up),
    ``G/delta`` per group scored by the same rules in both periods (else NaN)."""
    matched, notes = match_units(current.units, previous.units, renamed)
    labels = current.summary.index
    where = np.array([matched.get(label, -1) for label in labels])
    found = where >= 0

    def before(frame: pd.DataFrame, column: str) -> np.ndarray:
        values = frame[column].to_numpy(dtype=object)
        out = np.full(len(labels), np.nan, dtype=object)
        out[found] = values[where[found]]
        return out

    frame = pd.DataFrame(index=labels)
    frame["converted"] = pd.to_numeric(before(previous.summary, "converted"))
    frame["band"] = before(previous.summary, "band")
    frame["rank"] = pd.array(pd.to_numeric(before(previous.summary, "rank")), dtype="Int64")
    now = current.summary["converted"].to_numpy(float)
    frame["delta"] = exact_difference(now, frame["converted"].to_numpy(float))
    frame["rank_change"] = frame["rank"] - current.summary["rank"]
    same = comparable_groups(current.indicator_set, previous.indicator_set)
    for code, comparable in same.items():
        if code in previous.groups and comparable:
            frame[code] = pd.to_numeric(before(previous.groups, code))
            frame[f"{code}/delta"] = exact_difference(current.groups[code].to_numpy(float),
                                                 frame[code].to_numpy(float))
        else:
            frame[code] = frame[f"{code}/delta"] = np.nan
    changed = [code for code, comparable in same.items() if not comparable]
    if changed:
        notes.append(f"nhóm {', '.join(changed)}: {NOT_COMPARABLE} (kỳ trước chấm theo bộ "
                     f"{previous.indicator_set.id})")
    return frame, notes


def movement(delta: float) -> str:
    """'tăng 0,9 điểm', 'giảm 1,63 điểm', 'bằng kỳ trước': as the change prints."""
    from xl766.engine.numbers import format_number

    shown = format_number(abs(delta), 2)
    return ("bằng kỳ trước" if shown == "0,00" else
            f"{'tăng' if delta > 0 else 'giảm'} {shown.rstrip('0').rstrip(',')} điểm")
