"""Score a whole table of units in one vectorised pass: indicators → groups → total → converted
total → band → rank."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction

import numpy as np
import pandas as pd

from xl766.catalog.models import (
    BlankMeans,
    ConversionMethod,
    Group,
    Indicator,
    IndicatorSet,
    Rule,
    ZeroDenominator,
)
from xl766.engine.exact import (
    TICK_DIGITS,
    TICKS,
    as_ticks,
    constant_ticks,
    decimal_fraction,
    divide_half_up,
    exact_decimals,
    multiply,
    rate_percent,
    to_float,
)
from xl766.engine.findings import Finding, Level
from xl766.engine.inputs import (
    OFFICE_KIND,
    PUBLISHED_SUFFIX,
    PUBLISHED_TOTAL,
    UNIT_NOTE,
    Role,
    ScoringInput,
    read_scoring_table,
)
from xl766.engine.names import fold, normalise, vietnamese_order
from xl766.engine.numbers import format_number, half_unit, short_number

_ZERO_DENOMINATOR_TEXT = {
    ZeroDenominator.ZERO: "tính 0 điểm",
    ZeroDenominator.FULL: "tính đủ điểm tối đa",
    ZeroDenominator.NOT_APPLICABLE: "không áp dụng, điểm tối đa áp dụng giảm tương ứng",
}


NO_DOSSIERS = "chưa phát sinh hồ sơ"
NOT_REPORTED = "chưa thực hiện chấm điểm"
INCOMPLETE = "chưa đủ số liệu"
_DECLARED_NO_DOSSIERS = fold(NO_DOSSIERS).removesuffix(" ho so")


class Status(IntEnum):
    SCORED = 0
    MISSING = 1
    NOT_APPLICABLE = 2
    IN_GROUP = 3  # the group's points were entered directly


@dataclass(frozen=True)
class Scores:
    """Results per unit; every frame is indexed by the input's row labels, in input order."""

    indicator_set: IndicatorSet
    units: pd.DataFrame  # unit, code, kind (None where not given)
    indicators: pd.DataFrame  # points; NaN where there is no score
    indicator_status: pd.DataFrame
    # the figures behind the points: the rate in % (as typed, or from counts to 2 decimals,
    # half-up) and the counts, NaN where not given; never a rate made up from points
    ratios: pd.DataFrame
    counts: dict[str, tuple[np.ndarray, np.ndarray]]  # by indicator: (numerators, denominators)
    groups: pd.DataFrame
    group_status: pd.DataFrame
    group_max: pd.DataFrame  # applicable maximum of each group
    summary: pd.DataFrame  # total, computed_total, published_total, applicable_max, converted,
    #                        band, rank (the office's own row is not ranked), kind_rank (among
    #                        units of the same kind), unscored (why a unit has no band, or None)
    findings: tuple[Finding, ...]
    # Points an official source published (``X/cong`` columns), by indicator or group code,
    # and how far a recomputation may be from each as printed (half its last decimal).
    published: pd.DataFrame
    published_tolerance: pd.DataFrame

    def reconciliation(self) -> pd.DataFrame:
        """One row per published cell: unit, code, published, computed, difference, and whether
        it differs beyond the rounding (``differs``) or could not be recomputed (``unmatched``)."""
        parts = []
        for code in self.published.columns:
            ours = (self.indicators if code in self.indicators else self.groups)[code]
            given = self.published[code].notna().to_numpy()
            parts.append(pd.DataFrame({
                "row": self.published.index[given], "unit": self.units["unit"].to_numpy()[given],
                "code": self.units["code"].to_numpy()[given], "indicator": code,
                "published": self.published[code].to_numpy(float)[given],
                "computed": ours.to_numpy(float)[given],
                "tolerance": self.published_tolerance[code].to_numpy(float)[given]}))
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["row", "unit", "code", "indicator", "published", "computed", "tolerance"])
        computed, known = as_ticks(frame["computed"].to_numpy(float))
        published, _ = as_ticks(frame["published"].to_numpy(float))
        tolerance, _ = as_ticks(frame["tolerance"].to_numpy(float))
        difference = computed - published
        frame["difference"] = to_float(difference, known)
        frame["differs"] = known & (np.abs(difference) > tolerance)
        frame["unmatched"] = frame["computed"].isna()
        return frame

    @property
    def has_errors(self) -> bool:
        return any(f.level is Level.ERROR for f in self.findings)

    def group_share(self, code: str) -> np.ndarray:
        """Each unit's points on a group as a share of its applicable maximum; NaN where none."""
        points, known = as_ticks(self.groups[code].to_numpy(float))
        top, _ = as_ticks(self.group_max[code].to_numpy(float))
        # a quotient of the exact points, not of their doubles: 19,76 / 20 is 0,988
        return to_float(points, known & (top > 0), np.where(top > 0, top, 1), digits=0)

    def ranking_order(self) -> pd.Index:
        """Best first; ties and unranked units in Vietnamese name order."""
        return self._ranking_order

    @functools.cached_property
    def _ranking_order(self) -> pd.Index:  # the report asks for it several times
        # names first, then a stable sort on the rank: ties keep their name order
        by_name = vietnamese_order([name or "" for name in self.units["unit"].tolist()])
        ranks = self.summary["rank"].to_numpy(dtype=float, na_value=np.inf)
        return self.summary.index[by_name[np.argsort(ranks[by_name], kind="stable")]]

    def records(self, start: int = 0, stop: int | None = None) -> list[dict]:
        """One plain dict per unit (those at positions ``start``…``stop``, all by default),
        input order, numbers unrounded, None where there is none."""
        part = slice(start, stop)
        head = ("total", "computed_total", "applicable_max", "converted", "band", "rank",
                "kind_rank", "unscored")
        units, summary = self.units.iloc[part], self.summary.iloc[part]
        columns = [units["unit"], units["code"], units["kind"], *(summary[k] for k in head)]
        fixed = zip(*(_plain_values(c.to_frame()) for c in columns), strict=True)
        by_row = self._findings_by_row
        return [{"unit": values[0], "code": values[1], "kind": values[2],
                 "indicators": indicators, "groups": groups,
                 **dict(zip(head, values[3:], strict=True)),
                 "figures": figures, "findings": by_row.get(label, [])}
                for label, values, indicators, groups, figures in zip(
                    summary.index, fixed, _plain_rows(self.indicators.iloc[part]),
                    _plain_rows(self.groups.iloc[part]), self.figures(part), strict=True)]

    @functools.cached_property
    def _findings_by_row(self) -> dict:
        by_row: dict = {}
        for finding in self.findings:
            by_row.setdefault(finding.row, []).append(finding.as_dict())
        return by_row

    def indicator_figures(self, code: str, part: slice = slice(None)) -> tuple[np.ndarray, ...]:
        """(points, rate, numerator, denominator) of an indicator for the units of ``part``
        (all by default), NaN where unknown; the counts only where both are known."""
        points = self.indicators[code].to_numpy(float)[part]
        rates = self.ratios[code].to_numpy(float)[part]
        if code not in self.counts:
            return points, rates, np.full(len(points), np.nan), np.full(len(points), np.nan)
        tu, mau = (a[part] for a in self.counts[code])
        counted = ~np.isnan(tu) & ~np.isnan(mau)
        return points, rates, np.where(counted, tu, np.nan), np.where(counted, mau, np.nan)

    def figures(self, part: slice = slice(None)) -> list[dict]:
        """Per unit (of ``part``, all by default) {indicator: {points, rate, numerator,
        denominator}}, only what is known."""
        rows: list[dict] = [{} for _ in range(len(self.indicators.index[part]))]
        for code in self.indicators.columns:
            points, rates, tu, mau = self.indicator_figures(code, part)
            known = ~np.isnan(points), ~np.isnan(rates), ~np.isnan(tu)
            values = (points.tolist(), rates.tolist(),
                      np.where(known[2], tu, 0).astype(np.int64).tolist(),
                      np.where(known[2], mau, 0).astype(np.int64).tolist())
            everything = known[0] & known[1] & known[2]
            for i in np.flatnonzero(everything).tolist():  # the usual case: one literal
                rows[i][code] = {"points": values[0][i], "rate": values[1][i],
                                 "numerator": values[2][i], "denominator": values[3][i]}
            flags = [k.tolist() for k in known]
            for i in np.flatnonzero(~everything & (known[0] | known[1] | known[2])).tolist():
                entry = {}
                if flags[0][i]:
                    entry["points"] = values[0][i]
                if flags[1][i]:
                    entry["rate"] = values[1][i]
                if flags[2][i]:
                    entry["numerator"], entry["denominator"] = values[2][i], values[3][i]
                rows[i][code] = entry
        return rows


def _plain_values(frame: pd.DataFrame) -> list:
    """A one-column frame as plain Python values, None where there is none."""
    values = frame.to_numpy(dtype=object, copy=True)[:, 0]
    values[pd.isna(values)] = None
    return values.tolist()


def _plain_rows(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows: NaN and NA become None, numbers plain Python numbers (in bulk)."""
    values = frame.to_numpy(dtype=object, copy=True)
    values[pd.isna(values)] = None
    columns = frame.columns.tolist()
    return [dict(zip(columns, row, strict=True)) for row in values.tolist()]


class _Notes:
    def __init__(self, labels: pd.Index):
        self.labels = labels
        self.findings: list[Finding] = []

    def add(self, mask: np.ndarray, level: Level, column: str | None, message) -> None:
        for position in np.flatnonzero(mask):
            self.findings.append(Finding(level, message(position), column,
                                         int(self.labels[position])))


def point_decimals(indicator_set: IndicatorSet) -> int:
    """Decimals an indicator's points are kept to: the set's official rounding, or the tick."""
    decimals = indicator_set.indicator_decimals
    return TICK_DIGITS if decimals is None else decimals


def _ratio_points(indicator: Indicator, indicator_set: IndicatorSet, rate_numerator,
                  rate_denominator) -> np.ndarray:
    """Points in ticks for exact rates (rate = numerator / denominator, a fraction of 1),
    rounded half-up once, at the set's decimals, from the exact value."""
    if indicator.rule is Rule.MONITOR:
        return np.zeros(len(np.atleast_1d(rate_numerator)), dtype=np.int64)
    digits = point_decimals(indicator_set)
    top = decimal_fraction(indicator.max_points)
    places = 10**digits
    if indicator.rule is Rule.TARGET:  # full points from the target on, in proportion below
        target = decimal_fraction(indicator.target_percent) / 100
        reached = (multiply(rate_numerator, target.denominator)
                   >= multiply(rate_denominator, target.numerator))
        scaled = divide_half_up(
            multiply(rate_numerator, top.numerator * places * target.denominator),
            multiply(rate_denominator, top.denominator * target.numerator))
        points = np.where(reached, constant_ticks(indicator.max_points) // 10**(
            TICK_DIGITS - digits), scaled)
    else:
        points = divide_half_up(multiply(rate_numerator, top.numerator * places),
                                multiply(rate_denominator, top.denominator))
    return multiply(points, 10**(TICK_DIGITS - digits))


def _none_arise(indicator: Indicator) -> tuple[int, bool]:
    """Ticks when the denominator is 0 ("không phát sinh"), and whether that scores at all."""
    return {ZeroDenominator.ZERO: (0, True),
            ZeroDenominator.FULL: (constant_ticks(indicator.max_points), True)}.get(
        indicator.zero_denominator, (0, False))


def entered_ticks(indicator: Indicator, indicator_set: IndicatorSet,
                   values: np.ndarray) -> np.ndarray:
    """Points typed for an indicator, rounded as the set rounds an indicator's points."""
    if indicator.rule is Rule.MONITOR:
        return np.zeros(len(values), dtype=np.int64)
    digits = point_decimals(indicator_set)
    integers, _ = as_ticks(values, digits)
    return multiply(integers, 10**(TICK_DIGITS - digits))


def _count_integers(values: np.ndarray) -> np.ndarray:
    """Whole counts (already checked: whole, not negative, not absurd) as integers."""
    return np.where(np.isfinite(values), values, 0).astype(np.int64)


def indicator_points(indicator: Indicator, indicator_set: IndicatorSet, *,
                     points: float | None = None, percent: float | None = None,
                     numerator: float | None = None, denominator: float | None = None) -> float:
    """One unit's points on one indicator, by the rules score() applies to a whole table; NaN
    when nothing is given. Values are taken as already checked."""
    if indicator.rule is Rule.MONITOR:
        return 0.0 if any(v is not None for v in (points, percent, numerator)) else np.nan
    if points is not None:
        ticks = entered_ticks(indicator, indicator_set, np.array([points]))
    elif numerator is not None and denominator is not None and denominator == 0:
        value, scored = _none_arise(indicator)
        if not scored:
            return np.nan
        ticks = np.array([value])
    elif numerator is not None and denominator is not None:
        ticks = _ratio_points(indicator, indicator_set, _count_integers(np.array([numerator])),
                              _count_integers(np.array([denominator])))
    elif percent is not None:
        integers, digits, _ = exact_decimals(np.array([percent]))
        ticks = _ratio_points(indicator, indicator_set, integers, 100 * 10**digits)
    else:
        return np.nan
    return float(to_float(ticks, np.array([True]))[0])


@dataclass(frozen=True)
class _IndicatorResult:
    ticks: np.ndarray
    status: np.ndarray
    percent: np.ndarray
    counts: tuple[np.ndarray, np.ndarray] | None  # (numerators, denominators) as typed
    slack: np.ndarray | float  # how far a total built from rounded inputs may be off, in ticks


def _score_indicator(indicator: Indicator, indicator_set: IndicatorSet, data: ScoringInput,
                     blank_status: Status, notes: _Notes, percent: np.ndarray) -> _IndicatorResult:
    """``percent``: where the rates go (a column of the ratios' block, filled here)."""
    n = len(data.labels)
    code, top = indicator.code, indicator.max_points
    ticks = np.zeros(n, dtype=np.int64)
    percent[:] = np.nan
    counts = None
    # A monitored indicator carries no points, so leaving it blank withholds no score.
    if indicator.rule is Rule.MONITOR:
        blank_status = Status.NOT_APPLICABLE
    status = np.full(n, blank_status, dtype=np.int8)
    entered = data.get(Role.POINTS, code)
    as_percent = data.get(Role.PERCENT, code)
    # only typed points and percents were rounded by a person: counts are exact
    slack = np.zeros(n) if entered is not None or as_percent is not None else 0.0

    def put(mask: np.ndarray, values) -> None:
        nonlocal ticks
        values = np.asarray(values)
        if values.dtype == object and ticks.dtype != object:
            ticks = ticks.astype(object)
        ticks[mask] = values[mask] if values.ndim else values

    if entered is not None:
        given = ~entered.blank
        put(given, entered_ticks(indicator, indicator_set, entered.values))
        slack[given] += half_unit(entered.decimals[given]) * TICKS
        status[given] = Status.SCORED

    if as_percent is not None:
        given = ~as_percent.blank
        integers, digits, _ = exact_decimals(np.where(given, as_percent.values, np.nan))
        percent[given] = as_percent.values[given]
        put(given, _ratio_points(indicator, indicator_set, integers, 100 * 10**digits))
        status[given] = Status.SCORED
        divisor = indicator.target_percent or 100
        slack[given] += half_unit(as_percent.decimals[given]) * top / divisor * TICKS
        if indicator_set.indicator_decimals is not None:
            # A percent typed rounded may land on the other side of a rounding half.
            slack[given] += 10.0 ** (TICK_DIGITS - indicator_set.indicator_decimals)

    numerator, denominator = data.get(Role.NUMERATOR, code), data.get(Role.DENOMINATOR, code)
    if numerator is not None and denominator is not None:
        given = ~numerator.blank & ~denominator.blank
        zero = given & (denominator.values == 0)
        counted = given & ~zero
        tu, mau = _count_integers(numerator.values), _count_integers(denominator.values)
        counts = (numerator.values, denominator.values)  # NaN where not given: no copy
        percent[counted] = rate_percent(tu, np.where(counted, mau, 1))[counted]
        put(counted, _ratio_points(indicator, indicator_set, tu, np.where(counted, mau, 1)))
        status[counted] = Status.SCORED
        policy = indicator.zero_denominator
        value, scored = _none_arise(indicator)
        put(zero, value)
        status[zero] = Status.SCORED if scored else Status.NOT_APPLICABLE
        notes.add(zero, Level.NOTE, f"{code}/mau", lambda p: (
            f"mẫu số của {code} bằng 0 (không phát sinh): {_ZERO_DENOMINATOR_TEXT[policy]}"))

    for form in (entered, as_percent, numerator, denominator):
        if form is not None:
            status[form.unreadable & (status != Status.SCORED)] = Status.MISSING
    return _IndicatorResult(ticks, status, percent, counts, slack)


@dataclass(frozen=True)
class _GroupResult:
    ticks: np.ndarray
    status: np.ndarray
    top: np.ndarray  # applicable maximum, in ticks
    slack: np.ndarray


def _score_group(group: Group, data: ScoringInput, indicators: dict[str, _IndicatorResult],
                 blank_status: Status) -> _GroupResult:
    n = len(data.labels)
    direct = data.get(Role.GROUP_POINTS, group.code)
    direct_given = np.zeros(n, bool) if direct is None else ~direct.blank
    if group.indicators:
        statuses = np.column_stack([indicators[i.code].status for i in group.indicators])
        applicable = statuses != Status.NOT_APPLICABLE
        missing = (statuses == Status.MISSING).any(axis=1)
        everything_na = (statuses == Status.NOT_APPLICABLE).all(axis=1)
        ticks = sum(np.where(indicators[i.code].status == Status.SCORED, indicators[i.code].ticks,
                             0) for i in group.indicators)
        top = sum(applicable[:, k] * constant_ticks(i.max_points)
                  for k, i in enumerate(group.indicators))
        status = np.where(missing, Status.MISSING,
                          np.where(everything_na, Status.NOT_APPLICABLE, Status.SCORED))
        for i in group.indicators:
            indicators[i.code].status[direct_given] = Status.IN_GROUP
    else:
        ticks = np.zeros(n, dtype=np.int64)
        top = np.full(n, 0 if blank_status is Status.NOT_APPLICABLE
                      else constant_ticks(group.max_points))
        status = np.full(n, blank_status)
    slack = np.zeros(n)
    if direct is not None:
        typed, _ = as_ticks(np.where(direct_given, direct.values, np.nan))
        ticks = np.where(direct_given, typed, ticks)
        top = np.where(direct_given, constant_ticks(group.max_points), top)
        slack = half_unit(direct.decimals) * direct_given * TICKS
    status = np.where(direct_given, Status.SCORED, status).astype(np.int8)
    return _GroupResult(np.asarray(ticks), status, np.asarray(top), slack)


def _missing_parts(group: Group, indicator_status: dict, position: int) -> str:
    parts = [i.code for i in group.indicators
             if indicator_status[i.code][position] == Status.MISSING]
    return ", ".join(parts) or group.code


@dataclass(frozen=True)
class ExactScore:
    """A score as an exact fraction of ticks, numerator / denominator (the converted total of
    a set that rescales is a fraction, not a decimal); ``known`` False where there is none."""

    numerator: np.ndarray
    denominator: np.ndarray
    known: np.ndarray

    def reaches(self, points: float) -> np.ndarray:
        """Whether each score is at least ``points``, compared exactly."""
        return self.known & (self.numerator >= multiply(self.denominator,
                                                        constant_ticks(points)))

    def rounded(self, digits: int) -> np.ndarray:
        """Each score rounded half-up to ``digits`` decimals, in units of 10^-digits."""
        return divide_half_up(multiply(self.numerator, 10**digits),
                              multiply(self.denominator, TICKS))

    def as_float(self) -> np.ndarray:
        """Each score as the double nearest its exact value; NaN where unknown."""
        return to_float(self.numerator, self.known, np.where(self.known, self.denominator, 1))

    def sort_keys(self) -> list:
        if self.denominator.dtype != object and (self.denominator == 1).all():
            return self.numerator.tolist()
        return [Fraction(int(n), int(d)) if k else None for n, d, k in
                zip(self.numerator, self.denominator, self.known, strict=True)]


def _band_labels(indicator_set: IndicatorSet, score: ExactScore) -> np.ndarray:
    """Each unit's band label (None where unknown): the labels' own strings, shared."""
    bands = indicator_set.classification.bands
    chosen = np.select([score.reaches(b.min_points) for b in bands], range(len(bands)),
                       default=len(bands))
    chosen[~score.known] = len(bands)
    return np.array([b.label for b in bands] + [None], dtype=object)[chosen]


def _rank(score: ExactScore, labels: pd.Index) -> pd.Series:
    """1, 2, 2, 4: tied units share the best place, the next place is skipped."""
    if score.numerator.dtype == np.int64 and score.denominator.dtype == np.int64 and (
            score.denominator == 1).all():  # whole ticks: one place per unit, in C
        ordered = np.sort(score.numerator[score.known])
        above = len(ordered) - np.searchsorted(ordered, score.numerator, side="right")
        return pd.Series(pd.arrays.IntegerArray(above + 1, ~score.known), index=labels)
    keys = score.sort_keys()
    known = [k for k, ok in zip(keys, score.known, strict=True) if ok]
    place: dict = {}
    for position, key in enumerate(sorted(known, reverse=True), start=1):
        place.setdefault(key, position)
    return pd.Series([place[k] if ok else pd.NA for k, ok in
                      zip(keys, score.known, strict=True)], index=labels, dtype="Int64")


def _ranks_within(score: ExactScore, labels: pd.Index, kinds: list,
                  overall: pd.Series) -> pd.Series:
    """Each unit's rank among the units of its kind (units of no kind rank among themselves);
    ``overall`` when all are of one kind."""
    positions: dict = {}
    for position, kind in enumerate(kinds):
        positions.setdefault(kind, []).append(position)
    if len(positions) == 1:
        return overall
    ranks = pd.Series(pd.NA, index=labels, dtype="Int64")
    for members in positions.values():
        chosen = np.array(members)
        part = ExactScore(score.numerator[chosen], score.denominator[chosen], score.known[chosen])
        ranks.iloc[chosen] = _rank(part, labels[chosen]).to_numpy()
    return ranks


def _unscored_reasons(data: ScoringInput, band_known: np.ndarray) -> np.ndarray:
    """Why a unit has no band: no dossier arose (every denominator 0, or the note says so), the
    unit entered nothing at all, or its data are incomplete."""
    n = len(data.labels)
    entered = ~data.published_total.blank | data.published_total.unreadable
    arose, zero = np.zeros(n, bool), np.zeros(n, bool)
    for (role, _), column in data.columns.items():
        given = ~column.blank | column.unreadable
        entered |= given
        if role is Role.DENOMINATOR:
            with np.errstate(invalid="ignore"):
                zero |= given & (column.values == 0)
                arose |= given & ~(column.values == 0)
        elif role is not Role.NUMERATOR and role is not Role.PUBLISHED:
            arose |= given
    declared = np.array([bool(note) and _DECLARED_NO_DOSSIERS in fold(note)
                         for note in data.notes.tolist()], dtype=bool)
    reasons = np.select([band_known, declared | (zero & ~arose), ~entered],
                        [None, NO_DOSSIERS, NOT_REPORTED], default=INCOMPLETE).astype(object)
    reasons[band_known] = None
    return reasons


def is_office(kinds) -> np.ndarray:
    """Rows of the office itself (kind "Đơn vị báo cáo")."""
    office = normalise(OFFICE_KIND)
    return np.array([bool(k) and normalise(k) == office for k in kinds], dtype=bool)


def _read_scores(scores) -> ExactScore:
    integers, known = as_ticks(scores)
    return ExactScore(integers, np.ones(len(integers), dtype=np.int64), known)


def classify(indicator_set: IndicatorSet, scores: np.ndarray) -> np.ndarray:
    """Band labels for scores given as numbers (read as Excel holds them); the lower bound is
    inclusive and compared exactly; None where no score."""
    return _band_labels(indicator_set, _read_scores(scores))


def competition_rank(scores: np.ndarray, labels: pd.Index) -> pd.Series:
    """Ranks of scores given as numbers (read as Excel holds them), compared exactly."""
    return _rank(_read_scores(scores), labels)


def _converted(indicator_set: IndicatorSet, total: np.ndarray, applicable_max: np.ndarray,
               known: np.ndarray) -> ExactScore:
    if indicator_set.conversion.method is not ConversionMethod.APPLICABLE_MAX:
        return ExactScore(total, np.ones(len(total), dtype=np.int64), known)
    known = known & (applicable_max > 0)
    return ExactScore(multiply(total, constant_ticks(indicator_set.total_max)),
                      np.where(known, applicable_max, 1), known)


def convert(indicator_set: IndicatorSet, total: np.ndarray,
            applicable_max: np.ndarray) -> np.ndarray:
    """The converted total of numbers (read as Excel holds them): rescaled to the set's maximum
    when some indicators do not apply; exact, given as the nearest double."""
    total_ticks, known = as_ticks(total)
    top_ticks, top_known = as_ticks(applicable_max)
    return _converted(indicator_set, total_ticks, top_ticks, known & top_known).as_float()


def score(data: ScoringInput, indicator_set: IndicatorSet) -> Scores:
    labels = data.labels
    n = len(labels)
    notes = _Notes(labels)
    blank_status = (Status.NOT_APPLICABLE if indicator_set.blank.means is BlankMeans.NOT_APPLICABLE
                    else Status.MISSING)
    slack = np.zeros(n)
    indicators: dict[str, _IndicatorResult] = {}
    # the rates are written straight into the block the ratios frame is made of
    rates = np.empty((len(indicator_set.indicators), n))
    for indicator, column in zip(indicator_set.indicators, rates, strict=True):
        indicators[indicator.code] = _score_indicator(indicator, indicator_set, data,
                                                      blank_status, notes, column)
        slack += indicators[indicator.code].slack

    groups: dict[str, _GroupResult] = {}
    for group in indicator_set.groups:
        groups[group.code] = result = _score_group(group, data, indicators, blank_status)
        slack += result.slack
        # Where an official total is given the unit is ranked on it: a group that is not
        # itemised withholds nothing.
        notes.add((result.status == Status.MISSING) & np.isnan(data.published_total.values),
                  Level.WARNING, group.code, lambda p, g=group: (
            f"nhóm {g.code} chưa đủ số liệu (thiếu: "
            f"{_missing_parts(g, {c: r.status for c, r in indicators.items()}, p)}): "
            "chưa tính được điểm nhóm và tổng điểm"))

    def known(status: np.ndarray) -> np.ndarray:
        return (status == Status.SCORED)

    applicable_max = sum(r.top for r in groups.values())
    any_missing = np.column_stack([r.status == Status.MISSING for r in groups.values()]).any(
        axis=1)
    computed = sum(np.where(known(r.status), r.ticks, 0) for r in groups.values())
    published_ticks, published_known = as_ticks(data.published_total.values)
    # a unit known only by a published total (a one-stop desk's 90,8) is scored out of the
    # set's maximum: nothing of it was itemised to make any part not applicable
    applicable_max = np.where(published_known & (applicable_max == 0),
                              constant_ticks(indicator_set.total_max), applicable_max)
    total = np.where(published_known, published_ticks, computed)
    # nothing missing and something applies: a unit where nothing applies has no total
    summed = ~any_missing & (applicable_max > 0)
    total_known = published_known | summed
    converted = _converted(indicator_set, total, applicable_max, total_known)

    published = data.published_total.values
    band_labels = _band_labels(indicator_set, converted)
    unscored = _unscored_reasons(data, converted.known)
    if indicator_set.conversion.method is ConversionMethod.APPLICABLE_MAX:
        notes.add((applicable_max == 0) & (unscored == INCOMPLETE), Level.ERROR, None,
                  lambda p: "không chỉ số nào áp dụng cho đơn vị: không quy đổi được điểm")
    notes.add(published_known & (published_ticks > applicable_max), Level.ERROR, PUBLISHED_TOTAL,
              lambda p: (f"tổng điểm {format_number(published[p], 2)} lớn hơn điểm tối đa "
                         f"áp dụng {format_number(applicable_max[p] / TICKS, 2)}"))
    tolerance = slack + half_unit(data.published_total.decimals) * TICKS
    difference = np.where(published_known & summed, published_ticks - computed, 0)
    computed_points = to_float(computed, summed)
    notes.add(np.abs(difference) > tolerance, Level.WARNING, PUBLISHED_TOTAL, lambda p: (
        f"tổng điểm nhập ({format_number(published[p], 2)}) khác tổng tính từ các chỉ số "
        f"({format_number(computed_points[p], 3)}) "
        f"{format_number(abs(int(difference[p])) / TICKS, 3)} "
        "điểm, nhiều hơn sai số làm tròn của số liệu nhập "
        f"(±{format_number(tolerance[p] / TICKS, 3)})"))
    _note_band_edges(indicator_set, converted, notes)
    published_points, tolerances = _reconcile(data, indicators, groups, notes)
    notes.add(data.notes.notna().to_numpy(), Level.NOTE, UNIT_NOTE,
              lambda p: str(data.notes.iloc[p]))

    kinds = data.kinds.tolist()
    ranked = ExactScore(converted.numerator, converted.denominator,
                        converted.known & ~is_office(kinds))
    rank = _rank(ranked, labels)
    summary = pd.DataFrame({
        "total": to_float(total, total_known), "computed_total": computed_points,
        "published_total": to_float(published_ticks, published_known),
        "applicable_max": to_float(applicable_max, np.ones(n, bool)),
        "converted": converted.as_float(),
        # object, not pandas' text dtype: an unscored unit's band is None, never "nan"
        "band": pd.Series(band_labels, index=labels, dtype=object),
        "rank": rank,
        "kind_rank": _ranks_within(ranked, labels, [normalise(k) if k else "" for k in kinds],
                                   rank),
        "unscored": pd.Series(unscored, index=labels, dtype=object),
    }, index=labels)
    indicator_status = pd.DataFrame({c: r.status for c, r in indicators.items()}, index=labels)
    counts = {c: r.counts for c, r in indicators.items() if r.counts is not None}
    group_status = pd.DataFrame({c: r.status for c, r in groups.items()}, index=labels)
    group_max = _float_frame(((c, to_float(r.top, np.ones(n, bool))) for c, r in groups.items()),
                             len(groups), labels)
    return Scores(
        indicator_set=indicator_set,
        units=pd.DataFrame({"unit": data.names, "code": data.codes, "kind": data.kinds},
                           index=labels),
        # each result is let go as soon as its points are in the frame
        indicators=_float_frame(((c, to_float(r.ticks, known(r.status)))
                                 for c, r in _drained(indicators)), len(rates), labels),
        indicator_status=indicator_status,
        ratios=pd.DataFrame(rates.T, index=labels, columns=indicator_status.columns, copy=False),
        counts=counts,
        groups=_float_frame(((c, to_float(r.ticks, known(r.status)))
                             for c, r in _drained(groups)), len(group_max.columns), labels),
        group_status=group_status,
        group_max=group_max,
        summary=summary,
        findings=tuple(data.findings + notes.findings),
        published=pd.DataFrame(published_points, index=labels),
        published_tolerance=pd.DataFrame(tolerances, index=labels),
    )


def _drained(results: dict):
    """The items of ``results``, each taken out of it as it is given."""
    for key in list(results):
        yield key, results.pop(key)


def _float_frame(columns, count: int, labels: pd.Index) -> pd.DataFrame:
    """Float columns ((name, values), made one at a time) in one block: a frame built from
    separate arrays copies them into a block, holding a national table twice."""
    block = np.empty((count, len(labels)))
    names = []
    for row, (name, values) in zip(block, columns, strict=True):
        row[:] = values
        names.append(name)
    return pd.DataFrame(block.T, index=labels, columns=names, copy=False)


def _reconcile(data: ScoringInput, indicators: dict[str, _IndicatorResult],
               groups: dict[str, _GroupResult], notes: _Notes) -> tuple[dict, dict]:
    """Compare each published point with the recomputation; a difference beyond half the last
    decimal the source printed (0,005 for the portal's 2 decimals, 0,05 for a letter's one) is a
    warning."""
    published, tolerances = {}, {}
    results = {c: (r.ticks, r.status) for c, r in (indicators | groups).items()}
    # a source prints all its points to one precision: the most decimals any of them shows (a
    # number cell's 6.1 is the portal's 6,10 when others show 19,38; a letter shows 13,2)
    printed = max([int(c.decimals[~c.blank].max(initial=0)) for c in (
        data.get(Role.PUBLISHED, code) for code in results) if c is not None], default=0)
    for code, (ticks, status) in results.items():
        column = data.get(Role.PUBLISHED, code)
        if column is None:
            continue
        theirs, given = as_ticks(column.values)
        published[code] = column.values
        tolerances[code] = np.where(given, half_unit(np.array([printed]))[0], np.nan)
        ours_known = status == Status.SCORED
        allowed, _ = as_ticks(tolerances[code])
        differs = given & ours_known & (np.abs(ticks - theirs) > allowed)
        ours = to_float(ticks, ours_known)
        where = code + PUBLISHED_SUFFIX
        notes.add(differs, Level.WARNING, where, lambda p, c=code, o=ours, t=column.values: (
            f"{c}: Cổng công bố {format_number(t[p], 2)} điểm, tính lại được "
            f"{format_number(o[p], 2)} (chênh {format_number(o[p] - t[p], 2)}, quá sai số làm "
            "tròn của số công bố)"))
        notes.add(given & ~ours_known, Level.WARNING, where, lambda p, c=code, t=column.values: (
            f"{c}: Cổng công bố {format_number(t[p], 2)} điểm nhưng chưa tính lại được "
            "(thiếu số liệu)"))
    return published, tolerances


def tolerance_text(checked: pd.DataFrame) -> str:
    """'0,005', or '0,005 hoặc 0,05' when the sources printed different decimals."""
    found = sorted(set(checked["tolerance"].dropna().tolist())) or [0.005]
    return " hoặc ".join(short_number(t) for t in found)


def _note_band_edges(indicator_set: IndicatorSet, converted: ExactScore, notes: _Notes) -> None:
    """89,996 prints as "90,0" yet stays below 90: say so, so the band does not look wrong.

    Bands compare the exact score with the lower bound (lower bound inclusive).
    """
    shown_tenths = converted.rounded(1)
    points = converted.as_float()
    for band in indicator_set.classification.bands:
        edge = band.min_points
        if edge <= 0:
            continue
        close = (converted.known & ~converted.reaches(edge)
                 & (multiply(shown_tenths, TICKS // 10) >= constant_ticks(edge)))
        notes.add(close, Level.NOTE, None, lambda p, e=edge, b=band: (
            f"điểm {format_number(points[p], 3)} hiển thị thành {format_number(points[p], 1)}"
            f" nhưng chưa đạt {format_number(e)} nên không xếp loại {b.label}"))


def score_table(raw: pd.DataFrame, indicator_set: IndicatorSet) -> Scores:
    """Check and score a raw table: cells as typed, index = row numbers in the sheet or file."""
    return score(read_scoring_table(raw, indicator_set), indicator_set)
