"""What a unit must do to gain points, from its own counts: per indicator the dossiers still
needed for full points, and the fewest dossiers that lift the unit to the next band.

Assumption (said in every output): the denominator stays, and k more of its dossiers meet the
criterion. Points are the set's own (rounded as it rounds), so a plan applied to the counts and
rescored by the engine reaches the band; the fewest dossiers come from an exact search over the
set's point units (cents for 766), not a greedy guess."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from xl766.catalog.models import ConversionMethod, Indicator, IndicatorSet, Rule
from xl766.engine.exact import (
    TICK_DIGITS,
    as_ticks,
    constant_ticks,
    decimal_fraction,
    multiply,
)
from xl766.engine.names import lower_first
from xl766.engine.scoring import Scores, Status, indicator_points, point_decimals

_CHUNK = 256
MOST_DIGITS = 3
ASSUMPTION = ("giả định mẫu số giữ nguyên và thêm k hồ sơ của mẫu số đạt yêu cầu (đúng hạn, "
              "trực tuyến, số hóa …)")


@dataclass(frozen=True)
class IndicatorGain:
    indicator: str
    dossiers_to_max: int
    points_to_max: float
    points_per_dossier: float  # before the set's rounding
    actionable: bool  # the unit can act on it (catalog)


@dataclass(frozen=True)
class Step:
    indicator: str
    dossiers: int
    points: float


@dataclass(frozen=True)
class Plan:
    band: str
    dossiers: int
    total_after: float
    steps: tuple[Step, ...]


@dataclass
class UnitPlan:
    total: float | None
    band: str | None
    next_band: str | None
    plans: list[Plan] = field(default_factory=list)  # next band, then the band after
    gains: list[IndicatorGain] = field(default_factory=list)
    unreachable: str = ""  # why the next band cannot be reached by the unit's own dossiers
    without_counts: list[str] = field(default_factory=list)  # lost points, no tử/mẫu given


def _fraction_parts(value: float) -> tuple[int, int]:
    fraction = decimal_fraction(value)
    return fraction.numerator, fraction.denominator


def _scaled_max(indicator: Indicator, places: int) -> int:
    return int(decimal_fraction(indicator.max_points) * places)


def _first_reaching(indicator: Indicator, values, denominators, places: int) -> np.ndarray:
    """The fewest numerators whose points (in 10^-digits, rounded half-up) reach each value,
    for the given denominators (values and denominators broadcast against each other)."""
    p_num, p_den = _fraction_parts(indicator.max_points)
    target = (decimal_fraction(indicator.target_percent) / 100 if indicator.rule is Rule.TARGET
              else Fraction(1))
    # round_half_up(P t / (target m)) >= v  <=>  t >= (2v - 1) target m / (2 P places)
    numerator = multiply(2 * np.asarray(values, dtype=np.int64) - 1,
                         np.asarray(denominators, dtype=np.int64), target.numerator * p_den)
    reached = -(-numerator // (2 * target.denominator * p_num * places))
    if indicator.rule is Rule.TARGET:  # full points from the target on
        reached = np.minimum(reached, -(-multiply(denominators, target.numerator)
                                        // target.denominator))
    return reached


def _full_at(indicator: Indicator, denominators, places: int) -> np.ndarray:
    """The fewest numerators that give full points, for every denominator at once."""
    return _first_reaching(indicator, _scaled_max(indicator, places), denominators, places)


def _gain_table(indicator: Indicator, tu: int, mau: int, base: int, places: int,
                need: int) -> tuple[np.ndarray, np.ndarray]:
    """(gains, dossiers): for each gain 1…G in point units, the fewest more dossiers."""
    top = _scaled_max(indicator, places)
    most = min(top - base, need)
    if most <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    gains = np.arange(1, most + 1, dtype=np.int64)
    firsts = _first_reaching(indicator, base + gains, mau, places)
    dossiers = np.maximum(firsts - tu, 0).astype(np.int64)
    reachable = dossiers <= mau - tu
    gains, dossiers = gains[reachable], dossiers[reachable]
    # for each number of dossiers only its largest gain matters (one dossier may bring 2,5)
    last = np.append(dossiers[1:] != dossiers[:-1], True)
    return gains[last], dossiers[last]


def _search(tables: list[tuple[np.ndarray, np.ndarray]], need: int):
    """Exact: the fewest dossiers gaining at least c point units, for every c up to ``need``,
    and the choice per indicator to rebuild it (min-plus over the indicators' gain tables)."""
    infinite = np.iinfo(np.int64).max // 4
    best = np.full(need + 1, infinite, dtype=np.int64)
    best[0] = 0
    wanted = np.arange(need + 1)
    choices = []
    for gains, dossiers in tables:
        if not len(gains):
            choices.append(np.zeros(need + 1, dtype=np.int64))
            continue
        pick = np.zeros(need + 1, dtype=np.int64)
        through = np.zeros(need + 1, dtype=np.int64)
        for start in range(0, need + 1, _CHUNK):  # a few MB at a time, whatever the need
            rows = wanted[start:start + _CHUNK]
            before = best[np.maximum(rows[:, None] - gains[None, :], 0)] + dossiers[None, :]
            pick[rows] = np.argmin(before, axis=1)
            through[rows] = before[np.arange(len(rows)), pick[rows]]
        better = through < best
        choices.append(np.where(better, pick + 1, 0))  # 0: none of this indicator
        best = np.where(better, through, best)
    return best, choices


def _steps(tables, choices, need: int) -> list[tuple[int, int, int]]:
    """(indicator position, dossiers, gain) per indicator used, rebuilt from the choices."""
    steps, left = [], need
    for position in range(len(tables) - 1, -1, -1):
        choice = int(choices[position][left])
        if choice:
            gains, dossiers = tables[position]
            steps.append((position, int(dossiers[choice - 1]), int(gains[choice - 1])))
            left = max(left - int(gains[choice - 1]), 0)
    return steps[::-1]


@dataclass(frozen=True)
class _Column:
    """One indicator's figures for every unit, as plain lists (read once, not per cell)."""

    indicator: Indicator
    top: int  # maximum, in point units
    base: list  # points now, in point units; None where unscored or at the maximum
    tu: list
    mau: list
    full_at: list  # the fewest numerators for full points, per unit
    per_dossier: list  # points a dossier brings below full, before rounding


def _columns(scores: Scores, places: int, to_units: int) -> list[_Column]:
    columns = []
    for indicator in scores.indicator_set.indicators:
        if indicator.rule is Rule.MONITOR:
            continue
        code = indicator.code
        ticks, known = as_ticks(scores.indicators[code].to_numpy(float))
        top = _scaled_max(indicator, places)
        units = ticks // to_units
        scored = known & (scores.indicator_status[code].to_numpy() == Status.SCORED) & (
            units < top)
        base = np.where(scored, units, -1).tolist()
        counts = scores.counts.get(code)
        nothing = [float("nan")] * len(base)
        tu = counts[0].tolist() if counts else nothing
        mau = counts[1].tolist() if counts else nothing
        full_at, per = nothing, nothing
        if counts:
            whole = np.where(np.isfinite(counts[1]), counts[1], 0).astype(np.int64)
            full_at = _full_at(indicator, whole, places).tolist()
            scale = 1.0 if indicator.rule is not Rule.TARGET else indicator.target_percent / 100
            with np.errstate(divide="ignore", invalid="ignore"):
                per = (indicator.max_points / (scale * whole)).tolist()
        columns.append(_Column(indicator, top, [b if b >= 0 else None for b in base], tu, mau,
                               full_at, per))
    return columns


def plan_units(scores: Scores, ahead: int = 2, only=None) -> list[UnitPlan]:
    """A plan per unit (input order) to the next ``ahead`` bands. Sets that rescale the total
    (applicable maximum) or score by entered points give gains only where counts were given,
    and no band plan. ``only``: the positions to plan for (all when None); the others get their
    total and bands alone."""
    indicator_set: IndicatorSet = scores.indicator_set
    digits = point_decimals(indicator_set)
    places = 10**digits
    to_units = 10 ** (TICK_DIGITS - digits)
    limits = [(b, constant_ticks(b.min_points)) for b in indicator_set.classification.bands]
    rescaled = indicator_set.conversion.method is ConversionMethod.APPLICABLE_MAX
    # the exact search counts in the set's point units: cents, not 10^-9 of a point
    unrounded = indicator_set.indicator_decimals is None or digits > MOST_DIGITS
    totals, known = as_ticks(scores.summary["total"].to_numpy(float))
    # bands are reached by the converted total (the same as the total unless the set rescales)
    converted, _ = as_ticks(scores.summary["converted"].to_numpy(float))
    total_points = scores.summary["total"].tolist()
    bands = scores.summary["band"].tolist()
    columns = _columns(scores, places, to_units)
    plans = []
    for position in range(len(total_points)):
        band = bands[position]
        upper = [b for b, limit in limits if known[position] and converted[position] < limit]
        unit = UnitPlan(float(total_points[position]) if known[position] else None, band,
                        upper[-1].label if upper and band else None)
        plans.append(unit)
        if only is not None and position not in only:
            continue
        used = []
        for column in columns:
            base = column.base[position]
            if base is None:
                continue
            tu, mau = column.tu[position], column.mau[position]
            if tu != tu:
                unit.without_counts.append(column.indicator.code)
                continue
            tu, mau = int(tu), int(mau)
            if mau == 0:
                continue
            indicator = column.indicator
            unit.gains.append(IndicatorGain(indicator.code,
                                            max(int(column.full_at[position]) - tu, 0),
                                            (column.top - base) / places,
                                            column.per_dossier[position], indicator.actionable))
            if indicator.actionable:
                used.append((indicator, tu, mau, base))
        if unit.next_band and (unrounded or rescaled):
            unit.unreachable = ("bộ chỉ số quy đổi tổng điểm theo điểm tối đa áp dụng hoặc không "
                                "quy định làm tròn điểm chỉ số: chưa tính số hồ sơ ít nhất để "
                                "lên loại")
        elif unit.next_band and known[position]:
            _band_plans(unit, upper[::-1][:ahead], used, totals[position] // to_units, places,
                        to_units, indicator_set)
    return plans


def _greedy_bound(tables, need: int) -> int | None:
    """Dossiers a plan needs at most: the cheapest indicators per point first (None when even
    every indicator at full points does not gain ``need``)."""
    full = sorted((dossiers[-1] / gains[-1], position)
                  for position, (gains, dossiers) in enumerate(tables) if len(gains))
    left, total = need, 0
    for _, position in full:
        gains, dossiers = tables[position]
        if gains[-1] >= left:
            return total + int(dossiers[np.searchsorted(gains, left)])
        total, left = total + int(dossiers[-1]), left - int(gains[-1])
    return None


def _band_plans(unit: UnitPlan, targets, used, total: int, places: int, to_units: int,
                indicator_set: IndicatorSet) -> None:
    """The fewest dossiers to the next band and the band after."""
    goals = targets
    need = constant_ticks(goals[-1].min_points) // to_units - total
    tables = [_gain_table(i, tu, mau, base, places, need) for i, tu, mau, base in used]
    bound = _greedy_bound(tables, need)
    if bound is not None:  # no part of an optimal plan takes more dossiers than the whole bound
        tables = [(gains[dossiers <= bound], dossiers[dossiers <= bound])
                  for gains, dossiers in tables]
    best, choices = _search(tables, need)
    for goal in goals:
        wanted = constant_ticks(goal.min_points) // to_units - total
        if best[wanted] >= np.iinfo(np.int64).max // 4:
            if not unit.plans:
                unit.unreachable = (f"chưa đạt được loại {goal.label} chỉ bằng hồ sơ của đơn "
                                    "vị: phần điểm còn thiếu thuộc chỉ số ngoài tầm của đơn vị "
                                    "hoặc chưa có số liệu tử/mẫu")
            break
        steps = [Step(used[p][0].code, k,
                      _actual_gain(indicator_set, *used[p], k, places) / places)
                 for p, k, _ in _steps(tables, choices, wanted)]
        gained = sum(round(s.points * places) for s in steps)
        unit.plans.append(Plan(goal.label, int(best[wanted]), (total + gained) / places,
                               tuple(steps)))


def _actual_gain(indicator_set: IndicatorSet, indicator: Indicator, tu: int, mau: int,
                 base: int, dossiers: int, places: int) -> int:
    """What ``dossiers`` more really bring, in point units (the search caps gains at the need)."""
    after = indicator_points(indicator, indicator_set, numerator=tu + dossiers, denominator=mau)
    return round(after * places) - base


def dossiers_to_full(indicator: Indicator, indicator_set: IndicatorSet, tu: int,
                     mau: int) -> int:
    """More dossiers meeting the criterion for full points, the denominator unchanged; 0 when
    there is nothing to gain (full already, or no dossier arose)."""
    if mau == 0:
        return 0
    places = 10 ** point_decimals(indicator_set)
    return max(int(_full_at(indicator, np.array([mau]), places)[0]) - tu, 0)


def describe(plan: Plan, names: dict[str, str]) -> str:
    """'+10 hồ sơ xử lý trước hạn, đúng hạn (TDGQ.1, +2,00 điểm); +2 TTHC …'."""
    from xl766.engine.numbers import format_number

    return "; ".join(f"+{format_number(step.dossiers)} "
                     f"{lower_first(names.get(step.indicator, ''))} "
                     f"({step.indicator}, +{format_number(step.points, 2)} điểm)"
                     for step in plan.steps)


def planned(scores: Scores, nearest: int, weakest: int) -> set[int]:
    """The positions a report plans for: the ``nearest`` units to their next band (the plan
    sheet) and the ``weakest`` ranked units (the draft's tasks)."""
    gaps = []
    totals = scores.summary["total"].to_numpy(float)
    for position, total in enumerate(totals):
        above = [b.min_points for b in scores.indicator_set.classification.bands
                 if total == total and b.min_points > total]
        if above:
            gaps.append((min(above) - total, position))
    chosen = {position for _, position in sorted(gaps)[:nearest]}
    ranks = scores.summary["rank"]
    ranked = [scores.units.index.get_loc(label) for label in scores.ranking_order()
              if pd.notna(ranks[label])]
    return chosen | set(ranked[::-1][:weakest])
