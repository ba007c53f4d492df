"""Trends over the periods the history keeps: each unit's total period by period, the office's
own line, and the alerts a leader reads first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from xl766.engine.exact import as_ticks, constant_ticks
from xl766.engine.numbers import format_number
from xl766.engine.periods import OfficeFigures, PeriodScores, match_units
from xl766.engine.scoring import Scores, is_office

MOST_PERIODS = 12


@dataclass(frozen=True)
class Thresholds:
    drop: float = 0.5  # points lost since the previous period
    falling: int = 3  # periods in a row with a lower total
    group_shares: tuple[float, ...] = (50.0, 70.0)  # % of a group's maximum


def unit_series(current: Scores, period: str, past: list[PeriodScores],
                renamed: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Per unit of the current period (the office's own row left out): its converted total in
    each period, oldest first, the current one last; NaN where it was not found or unscored."""
    own = ~is_office(current.units["kind"].tolist())
    units = current.units[own]
    frame = pd.DataFrame({"unit": units["unit"]}, index=units.index)
    for earlier in past[-(MOST_PERIODS - 1):]:
        matched, _ = match_units(units, earlier.units, renamed)
        values = earlier.summary["converted"]
        frame[earlier.period] = [values.iloc[matched[label]] if label in matched else np.nan
                                 for label in units.index]
    frame[period] = current.summary.loc[units.index, "converted"]
    return frame


def office_series(past: list[PeriodScores], period: str,
                  office: OfficeFigures) -> pd.DataFrame:
    """The office's total and each group's points, period by period (rows), where known."""
    rows = [(p.period, p.office) for p in past[-(MOST_PERIODS - 1):] if p.office is not None]
    rows.append((period, office))
    codes = list(dict.fromkeys(c for _, o in rows for c in o.groups))
    return pd.DataFrame([{"period": name, "total": o.total,
                          **{c: o.groups[c][0] if c in o.groups else None for c in codes}}
                         for name, o in rows]).set_index("period")


def _fell(series: pd.DataFrame, times: int) -> np.ndarray:
    """Units whose total went down ``times`` periods in a row, up to now."""
    periods = [c for c in series.columns if c != "unit"]
    if len(periods) <= times:
        return np.zeros(len(series), bool)
    ticks = [as_ticks(series[p].to_numpy(float)) for p in periods[-(times + 1):]]
    falling = np.ones(len(series), bool)
    for (before, known_before), (after, known_after) in zip(ticks, ticks[1:], strict=False):
        falling &= known_before & known_after & (after < before)
    return falling


def alerts(current: Scores, previous: pd.DataFrame | None, series: pd.DataFrame | None,
           thresholds: Thresholds) -> list[tuple[str, str]]:
    """(unit, what happened): a drop of at least ``drop`` points, a fall ``falling`` periods in a
    row, a band lost, a group under a share of its maximum. Compared exactly."""
    own = ~is_office(current.units["kind"].tolist())
    names = current.units["unit"].to_numpy(object)
    found: list[tuple[int, str]] = []
    if previous is not None:
        delta, known = as_ticks(previous["delta"].to_numpy(float))
        dropped = own & known & (-delta >= constant_ticks(thresholds.drop))
        found += [(i, f"giảm {format_number(-previous['delta'].iloc[i], 2)} điểm so với kỳ "
                      "trước") for i in np.flatnonzero(dropped)]
        order = {b.label: n for n, b in enumerate(current.indicator_set.classification.bands)}
        before, now = previous["band"].tolist(), current.summary["band"].tolist()
        found += [(i, f"mất loại {before[i]} (nay {now[i]})") for i in np.flatnonzero(own)
                  if before[i] in order and now[i] in order and order[now[i]] > order[before[i]]]
    if series is not None:
        fell = _fell(series, thresholds.falling)
        positions = current.units.index.get_indexer(series.index[fell])
        found += [(i, f"giảm điểm {thresholds.falling} kỳ liên tiếp") for i in positions]
    for group in current.indicator_set.groups:
        share = current.group_share(group.code) * 100
        for i in np.flatnonzero(own & ~np.isnan(share)):
            under = [t for t in sorted(thresholds.group_shares) if share[i] < t]
            if under:
                found.append((i, f"nhóm {group.name} đạt {format_number(share[i], 1)}% điểm tối "
                                 f"đa (dưới {format_number(under[0])}%)"))
    found.sort(key=lambda item: item[0])
    return [(names[i], text) for i, text in found]
