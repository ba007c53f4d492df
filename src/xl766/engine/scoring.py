"""Score a whole table of units in one vectorised pass: indicators → groups → total → converted
total → band → rank."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import IntEnum

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
from xl766.engine.findings import Finding, Level
from xl766.engine.inputs import (
    PUBLISHED_SUFFIX,
    PUBLISHED_TOTAL,
    UNIT_NOTE,
    Role,
    ScoringInput,
    read_scoring_table,
)
from xl766.engine.names import sort_key
from xl766.engine.numbers import format_number, half_unit, round_half_up

# Scores equal to this many decimals are ties: float noise must not split a tie.
_TIE_DECIMALS = 9
_FLOAT_SLACK = 1e-9
# The portal publishes points to 2 decimals: a recomputation within half a cent agrees with it.
RECONCILE_TOLERANCE = 0.005
_ZERO_DENOMINATOR_TEXT = {
    ZeroDenominator.ZERO: "tính 0 điểm",
    ZeroDenominator.FULL: "tính đủ điểm tối đa",
    ZeroDenominator.NOT_APPLICABLE: "không áp dụng, điểm tối đa áp dụng giảm tương ứng",
}


class Status(IntEnum):
    SCORED = 0
    MISSING = 1
    NOT_APPLICABLE = 2
    IN_GROUP = 3  # the group's points were entered directly


@dataclass(frozen=True)
class Scores:
    """Results per unit; every frame is indexed by the input's row labels, in input order."""

    indicator_set: IndicatorSet
    units: pd.DataFrame  # unit, code
    indicators: pd.DataFrame  # points; NaN where there is no score
    indicator_status: pd.DataFrame
    ratios: pd.DataFrame  # percent, where the indicator was entered as a ratio or as counts
    groups: pd.DataFrame
    group_status: pd.DataFrame
    group_max: pd.DataFrame  # applicable maximum of each group
    summary: pd.DataFrame  # total, computed_total, published_total, applicable_max, converted,
    #                        band, rank
    findings: tuple[Finding, ...]
    # Points an official source published (``X/cong`` columns), by indicator or group code.
    published: pd.DataFrame

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
                "computed": ours.to_numpy(float)[given]}))
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["row", "unit", "code", "indicator", "published", "computed"])
        frame["difference"] = frame["computed"] - frame["published"]
        frame["differs"] = frame["difference"].abs() > RECONCILE_TOLERANCE + _FLOAT_SLACK
        frame["unmatched"] = frame["computed"].isna()
        return frame

    @property
    def has_errors(self) -> bool:
        return any(f.level is Level.ERROR for f in self.findings)

    def group_share(self, code: str) -> np.ndarray:
        """Each unit's points on a group as a share of its applicable maximum; NaN where none."""
        points = self.groups[code].to_numpy(float)
        top = self.group_max[code].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(top > 0, points / top, np.nan)

    def ranking_order(self) -> pd.Index:
        """Best first; ties and unranked units in Vietnamese name order."""
        return self._ranking_order

    @functools.cached_property
    def _ranking_order(self) -> pd.Index:  # the report asks for it several times
        keys = [(float("inf") if rank is pd.NA else rank, sort_key(name or ""))
                for rank, name in zip(self.summary["rank"], self.units["unit"], strict=True)]
        order = sorted(range(len(keys)), key=keys.__getitem__)
        return self.summary.index[order]

    def records(self) -> list[dict]:
        """One plain dict per unit, input order, numbers unrounded, None where there is none."""
        by_row: dict = {}
        for finding in self.findings:
            by_row.setdefault(finding.row, []).append(finding.as_dict())
        head = ("total", "computed_total", "applicable_max", "converted", "band", "rank")
        columns = [self.units["unit"], self.units["code"], *(self.summary[k] for k in head)]
        fixed = zip(*(_plain_values(c.to_frame()) for c in columns), strict=True)
        return [{"unit": values[0], "code": values[1], "indicators": indicators,
                 "groups": groups, **dict(zip(head, values[2:], strict=True)),
                 "findings": by_row.get(label, [])}
                for label, values, indicators, groups in zip(
                    self.summary.index, fixed, _plain_rows(self.indicators),
                    _plain_rows(self.groups), strict=True)]


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


def _points_from_ratio(indicator: Indicator, percent: np.ndarray) -> np.ndarray:
    if indicator.rule is Rule.LINEAR:
        return indicator.max_points * percent / 100
    if indicator.rule is Rule.TARGET:
        target = indicator.target_percent
        reached = percent >= target - _FLOAT_SLACK
        return np.where(reached, indicator.max_points, indicator.max_points * percent / target)
    return np.zeros_like(percent)  # monitored: shown, never scored


def _none_arise(indicator: Indicator) -> float:
    """Points when the denominator is 0 ("không phát sinh"); NaN: not applicable."""
    return {ZeroDenominator.ZERO: 0.0,
            ZeroDenominator.FULL: indicator.max_points}.get(indicator.zero_denominator, np.nan)


def _official(indicator_set: IndicatorSet, points):
    """Points as the set's official scorer states them (rounded where the set says so)."""
    decimals = indicator_set.indicator_decimals
    return points if decimals is None else round_half_up(points, decimals)


def indicator_points(indicator: Indicator, indicator_set: IndicatorSet, *,
                     points: float | None = None, percent: float | None = None,
                     numerator: float | None = None, denominator: float | None = None) -> float:
    """One unit's points on one indicator, by the rules score() applies to a whole table; NaN
    when nothing is given. Values are taken as already checked."""
    if indicator.rule is Rule.MONITOR:
        found = 0.0 if any(v is not None for v in (points, percent, numerator)) else np.nan
    elif points is not None:
        found = points
    elif numerator is not None and denominator is not None and denominator == 0:
        found = _none_arise(indicator)
    elif numerator is not None and denominator is not None:
        found = float(_points_from_ratio(indicator, np.array([numerator / denominator * 100]))[0])
    elif percent is not None:
        found = float(_points_from_ratio(indicator, np.array([percent]))[0])
    else:
        found = np.nan
    return float(_official(indicator_set, found))


def _score_indicator(indicator: Indicator, indicator_set: IndicatorSet, data: ScoringInput,
                     blank_status: Status, notes: _Notes):
    n = len(data.labels)
    code, top = indicator.code, indicator.max_points
    points = np.full(n, np.nan)
    percent = np.full(n, np.nan)
    # A monitored indicator carries no points, so leaving it blank withholds no score.
    if indicator.rule is Rule.MONITOR:
        blank_status = Status.NOT_APPLICABLE
    status = np.full(n, blank_status, dtype=np.int8)
    slack = np.zeros(n)

    entered = data.get(Role.POINTS, code)
    if entered is not None:
        given = ~entered.blank
        points[given] = 0.0 if indicator.rule is Rule.MONITOR else entered.values[given]
        slack[given] += half_unit(entered.decimals[given])
        status[given] = Status.SCORED

    as_percent = data.get(Role.PERCENT, code)
    if as_percent is not None:
        given = ~as_percent.blank
        percent[given] = as_percent.values[given]
        divisor = indicator.target_percent or 100
        slack[given] += half_unit(as_percent.decimals[given]) * top / divisor

    numerator, denominator = data.get(Role.NUMERATOR, code), data.get(Role.DENOMINATOR, code)
    if numerator is not None and denominator is not None:
        given = ~numerator.blank & ~denominator.blank
        zero = given & (denominator.values == 0)
        counted = given & ~zero
        with np.errstate(over="ignore"):  # absurd counts are already reported as errors
            percent[counted] = numerator.values[counted] / denominator.values[counted] * 100
        policy = indicator.zero_denominator
        points[zero] = _none_arise(indicator)
        status[zero] = (Status.NOT_APPLICABLE if policy is ZeroDenominator.NOT_APPLICABLE
                        else Status.SCORED)
        notes.add(zero, Level.NOTE, f"{code}/mau", lambda p: (
            f"mẫu số của {code} bằng 0 (không phát sinh): {_ZERO_DENOMINATOR_TEXT[policy]}"))

    from_ratio = ~np.isnan(percent)
    points[from_ratio] = _points_from_ratio(indicator, percent[from_ratio])
    status[from_ratio] = Status.SCORED
    points = _official(indicator_set, points)
    decimals = indicator_set.indicator_decimals
    if decimals is not None and as_percent is not None:
        # A percent typed rounded may land on the other side of a rounding half.
        slack[~as_percent.blank] += 10.0 ** -decimals
    for form in (entered, as_percent, numerator, denominator):
        if form is not None:
            status[form.unreadable & (status != Status.SCORED)] = Status.MISSING
    return points, status, percent, slack


def _score_group(group: Group, data: ScoringInput, indicator_points: dict, indicator_status: dict,
                 blank_status: Status):
    n = len(data.labels)
    direct = data.get(Role.GROUP_POINTS, group.code)
    direct_given = np.zeros(n, bool) if direct is None else ~direct.blank
    if group.indicators:
        statuses = np.column_stack([indicator_status[i.code] for i in group.indicators])
        points = np.column_stack([indicator_points[i.code] for i in group.indicators])
        maxima = np.array([i.max_points for i in group.indicators])
        applicable = statuses != Status.NOT_APPLICABLE
        missing = (statuses == Status.MISSING).any(axis=1)
        everything_na = ~applicable.all(axis=1) & (statuses == Status.NOT_APPLICABLE).all(axis=1)
        group_points = np.where(missing, np.nan,
                                np.where(statuses == Status.SCORED, points, 0.0).sum(axis=1))
        group_max = (applicable * maxima).sum(axis=1).astype(float)
        group_status = np.where(missing, Status.MISSING,
                                np.where(everything_na, Status.NOT_APPLICABLE, Status.SCORED))
        for i in group.indicators:
            indicator_status[i.code][direct_given] = Status.IN_GROUP
            indicator_points[i.code][direct_given] = np.nan
    else:
        group_points = np.full(n, np.nan)
        group_max = np.full(n, 0.0 if blank_status is Status.NOT_APPLICABLE else group.max_points)
        group_status = np.full(n, blank_status)
    group_status = np.where(direct_given, Status.SCORED, group_status).astype(np.int8)
    group_points = np.where(direct_given, direct.values if direct is not None else np.nan,
                            group_points)
    group_max = np.where(direct_given, group.max_points, group_max)
    group_points = np.where(group_status == Status.NOT_APPLICABLE, np.nan, group_points)
    slack = half_unit(direct.decimals) * direct_given if direct is not None else np.zeros(n)
    return group_points, group_status, group_max, slack


def _missing_parts(group: Group, indicator_status: dict, position: int) -> str:
    parts = [i.code for i in group.indicators
             if indicator_status[i.code][position] == Status.MISSING]
    return ", ".join(parts) or group.code


def classify(indicator_set: IndicatorSet, scores: np.ndarray) -> np.ndarray:
    """Band labels; the lower bound is inclusive and compared unrounded; None where no score."""
    scores = np.asarray(scores, dtype=float)
    bands = indicator_set.classification.bands
    conditions = [scores >= b.min_points for b in bands]
    labels = np.select(conditions, [b.label for b in bands], default=None).astype(object)
    labels[np.isnan(scores)] = None
    return labels


def competition_rank(scores: np.ndarray, labels: pd.Index) -> pd.Series:
    """1, 2, 2, 4: tied units share the best place, the next place is skipped."""
    keyed = pd.Series(np.round(scores, _TIE_DECIMALS), index=labels)
    return keyed.rank(method="min", ascending=False).astype("Int64")


def convert(indicator_set: IndicatorSet, total: np.ndarray,
            applicable_max: np.ndarray) -> np.ndarray:
    """The converted total: rescaled to the set's maximum when some indicators do not apply."""
    total = np.asarray(total, dtype=float)
    if indicator_set.conversion.method is not ConversionMethod.APPLICABLE_MAX:
        return total
    applicable_max = np.asarray(applicable_max, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(applicable_max > 0, total / applicable_max * indicator_set.total_max,
                        np.nan)


def score(data: ScoringInput, indicator_set: IndicatorSet) -> Scores:
    labels = data.labels
    notes = _Notes(labels)
    blank_status = (Status.NOT_APPLICABLE if indicator_set.blank.means is BlankMeans.NOT_APPLICABLE
                    else Status.MISSING)
    slack = np.zeros(len(labels))
    ind_points, ind_status, ind_percent = {}, {}, {}
    for indicator in indicator_set.indicators:
        points, status, percent, extra = _score_indicator(indicator, indicator_set, data,
                                                             blank_status, notes)
        ind_points[indicator.code], ind_status[indicator.code] = points, status
        ind_percent[indicator.code] = percent
        slack += extra

    grp_points, grp_status, grp_max = {}, {}, {}
    for group in indicator_set.groups:
        points, status, group_max, extra = _score_group(group, data, ind_points, ind_status,
                                                        blank_status)
        grp_points[group.code], grp_status[group.code], grp_max[group.code] = (
            points, status, group_max)
        slack += extra
        # Where an official total is given the unit is ranked on it: a group that is not
        # itemised withholds nothing.
        notes.add((status == Status.MISSING) & np.isnan(data.published_total.values),
                  Level.WARNING, group.code, lambda p, g=group: (
            f"nhóm {g.code} chưa đủ số liệu (thiếu: {_missing_parts(g, ind_status, p)}): "
            "chưa tính được điểm nhóm và tổng điểm"))

    group_frame = pd.DataFrame(grp_points, index=labels)
    status_frame = pd.DataFrame(grp_status, index=labels)
    applicable_max = pd.DataFrame(grp_max, index=labels).sum(axis=1).to_numpy()
    any_missing = (status_frame == Status.MISSING).any(axis=1).to_numpy()
    computed = np.where(any_missing, np.nan, group_frame.fillna(0.0).sum(axis=1).to_numpy())
    published = data.published_total.values
    total = np.where(np.isnan(published), computed, published)

    converted = convert(indicator_set, total, applicable_max)
    if indicator_set.conversion.method is ConversionMethod.APPLICABLE_MAX:
        notes.add(applicable_max == 0, Level.ERROR, None,
                  lambda p: "không chỉ số nào áp dụng cho đơn vị: không quy đổi được điểm")
    with np.errstate(invalid="ignore"):
        notes.add(published > applicable_max + _FLOAT_SLACK, Level.ERROR, PUBLISHED_TOTAL,
                  lambda p: (f"tổng điểm {format_number(published[p], 2)} lớn hơn điểm tối đa "
                             f"áp dụng {format_number(applicable_max[p], 2)}"))
        tolerance = slack + half_unit(data.published_total.decimals) + _FLOAT_SLACK
        differs = np.abs(published - computed) > tolerance
    notes.add(differs, Level.WARNING, PUBLISHED_TOTAL, lambda p: (
        f"tổng điểm nhập ({format_number(published[p], 2)}) khác tổng tính từ các chỉ số "
        f"({format_number(computed[p], 3)}) {format_number(abs(published[p] - computed[p]), 3)} "
        f"điểm, nhiều hơn sai số làm tròn của số liệu nhập (±{format_number(tolerance[p], 3)})"))
    _note_band_edges(indicator_set, converted, notes)
    published_points = _reconcile(data, ind_points, grp_points, notes)
    notes.add(data.notes.notna().to_numpy(), Level.NOTE, UNIT_NOTE,
              lambda p: str(data.notes.iloc[p]))

    summary = pd.DataFrame({
        "total": total, "computed_total": computed, "published_total": published,
        "applicable_max": applicable_max, "converted": converted,
        "band": classify(indicator_set, converted),
        "rank": competition_rank(converted, labels),
    }, index=labels)
    return Scores(
        indicator_set=indicator_set,
        units=pd.DataFrame({"unit": data.names, "code": data.codes}, index=labels),
        indicators=pd.DataFrame(ind_points, index=labels),
        indicator_status=pd.DataFrame(ind_status, index=labels),
        ratios=pd.DataFrame(ind_percent, index=labels),
        groups=group_frame, group_status=status_frame,
        group_max=pd.DataFrame(grp_max, index=labels),
        summary=summary,
        findings=tuple(data.findings + notes.findings),
        published=pd.DataFrame(published_points, index=labels),
    )


def _reconcile(data: ScoringInput, indicator_points: dict, group_points: dict,
               notes: _Notes) -> dict[str, np.ndarray]:
    """Compare each published point with the recomputation; every difference is a warning."""
    published = {}
    for code, ours in (indicator_points | group_points).items():
        column = data.get(Role.PUBLISHED, code)
        if column is None:
            continue
        theirs = column.values
        published[code] = theirs
        given = ~np.isnan(theirs)
        with np.errstate(invalid="ignore"):
            differs = given & (np.abs(ours - theirs) > RECONCILE_TOLERANCE + _FLOAT_SLACK)
        where = code + PUBLISHED_SUFFIX
        notes.add(differs, Level.WARNING, where, lambda p, c=code, o=ours, t=theirs: (
            f"{c}: Cổng công bố {format_number(t[p], 2)} điểm, tính lại được "
            f"{format_number(o[p], 2)} (chênh {format_number(o[p] - t[p], 2)})"))
        notes.add(given & np.isnan(ours), Level.WARNING, where, lambda p, c=code, t=theirs: (
            f"{c}: Cổng công bố {format_number(t[p], 2)} điểm nhưng chưa tính lại được "
            "(thiếu số liệu)"))
    return published


def _note_band_edges(indicator_set: IndicatorSet, converted: np.ndarray, notes: _Notes) -> None:
    """89,996 prints as "90,0" yet stays below 90: say so, so the band does not look wrong.

    Bands compare the unrounded score with the lower bound (lower bound inclusive).
    """
    shown = np.floor(np.nan_to_num(converted, nan=-1.0) * 10 + 0.5) / 10
    for band in indicator_set.classification.bands:
        edge = band.min_points
        if edge <= 0:
            continue
        with np.errstate(invalid="ignore"):
            close = (converted < edge) & (shown >= edge)
        notes.add(close, Level.NOTE, None, lambda p, e=edge, b=band: (
            f"điểm {format_number(converted[p], 3)} hiển thị thành {format_number(converted[p], 1)}"
            f" nhưng chưa đạt {format_number(e)} nên không xếp loại {b.label}"))


def score_table(raw: pd.DataFrame, indicator_set: IndicatorSet) -> Scores:
    """Check and score a raw table: cells as typed, index = row numbers in the sheet or file."""
    return score(read_scoring_table(raw, indicator_set), indicator_set)
