"""A group's appendix: per unit the group's points, its share of the applicable maximum, and
each indicator's points, rate and counts; then one row for the whole office, from the counts
summed over the units (rates recomputed from the sums, never averaged)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from xl766.catalog.models import Group, Indicator
from xl766.engine.exact import TICKS, as_ticks, constant_ticks, rate_percent
from xl766.engine.scoring import Scores, indicator_points, is_office

OFFICE_ROW = "Toàn đơn vị (tính từ tổng số liệu)"
HEADLINE_OFFICE_ROW = "Tỷ lệ chung (tính từ tổng số hồ sơ)"


@dataclass(frozen=True)
class GroupTable:
    group: Group
    rows: pd.DataFrame  # best first; columns: unit, points, top, share, and per indicator
    #                     CODE, CODE%, CODE/tu, CODE/mau
    office: dict | None  # the same keys for the whole office; None without counts
    with_rates: bool  # whether any indicator of the group came with a rate or counts


def _figures(scores: Scores, indicator: Indicator, rows: pd.DataFrame, office: dict,
             among: np.ndarray) -> bool:
    """Add an indicator's points, rate and counts to the rows, and to the office's row the
    counts summed over the units ``among`` and the rate of the sums; False without counts."""
    code = indicator.code
    tu, mau = scores.counts.get(code, (np.full(len(among), np.nan),) * 2)
    rows[code] = scores.indicators[code]
    rows[f"{code}%"] = scores.ratios[code]
    rows[f"{code}/tu"], rows[f"{code}/mau"] = tu, mau
    counted = among & ~np.isnan(tu) & ~np.isnan(mau)
    if not counted.any():
        return False
    total_tu, total_mau = int(tu[counted].sum()), int(mau[counted].sum())
    office |= {f"{code}/tu": total_tu, f"{code}/mau": total_mau}
    if total_mau:
        office[f"{code}%"] = float(rate_percent(np.array([total_tu]), np.array([total_mau]))[0])
    return True


def headline_table(scores: Scores) -> tuple[pd.DataFrame, dict | None]:
    """The sub-indicator appendix: per unit (best first, the office's own row left out) the
    rate and counts of the set's headline indicators; the office's row from the summed counts."""
    among = ~is_office(scores.units["kind"].tolist())
    order = [label for label in scores.ranking_order()
             if among[scores.units.index.get_loc(label)]]
    rows = pd.DataFrame({"unit": scores.units["unit"], "code": scores.units["code"]},
                        index=scores.units.index)
    office: dict = {"unit": HEADLINE_OFFICE_ROW}
    by_code = {i.code: i for i in scores.indicator_set.indicators}
    counted = [_figures(scores, by_code[c], rows, office, among)
               for c in scores.indicator_set.headline]
    return rows.loc[order], office if any(counted) else None


def group_table(scores: Scores, group: Group) -> GroupTable:
    points = scores.groups[group.code]
    rows = pd.DataFrame({"unit": scores.units["unit"], "points": points,
                         "top": scores.group_max[group.code],
                         "share": scores.group_share(group.code)}, index=scores.units.index)
    office: dict = {"unit": OFFICE_ROW}
    office_ticks, office_known = 0, bool(group.indicators)
    among = ~is_office(scores.units["kind"].tolist())
    for indicator in group.indicators:
        code = indicator.code
        if not _figures(scores, indicator, rows, office, among):
            office_known = False
            continue
        found = indicator_points(indicator, scores.indicator_set, numerator=office[f"{code}/tu"],
                                 denominator=office[f"{code}/mau"])
        if found == found:
            office[code] = found
            office_ticks += int(as_ticks(np.array([found]))[0][0])
        else:
            office_known = False
    if office_known:
        office["points"] = office_ticks / TICKS
        office["top"] = group.max_points
        office["share"] = office_ticks / constant_ticks(group.max_points)
    # best share first, unscored last, then names (as Biểu 01 orders its ties)
    order = scores.ranking_order()
    rows = rows.loc[order]
    rows = rows.iloc[np.argsort(-np.nan_to_num(rows["share"].to_numpy(float), nan=-1.0),
                                kind="stable")]
    with_rates = bool(any(rows[f"{i.code}%"].notna().any() or rows[f"{i.code}/tu"].notna().any()
                          for i in group.indicators))
    with_counts = any(f"{i.code}/tu" in office for i in group.indicators)
    return GroupTable(group, rows, office if with_counts else None, with_rates)
