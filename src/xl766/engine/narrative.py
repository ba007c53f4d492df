"""Vietnamese sentences for the report, generated from the numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from xl766.engine.appendices import Appendix
from xl766.engine.numbers import format_count, format_number
from xl766.engine.periods import movement
from xl766.engine.scoring import (
    INCOMPLETE,
    NO_DOSSIERS,
    NOT_REPORTED,
    Scores,
    Status,
    is_office,
)

NAMES_IN_A_SENTENCE = 10  # a national list of 3.321 names is a table's job, not a sentence's


def listed(names: list[str], limit: int = NAMES_IN_A_SENTENCE) -> str:
    """'A, B, C' or, past the limit, 'A, B, … và 2.509 đơn vị khác'."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} và {format_number(len(names) - limit)} đơn vị khác"


def units_only(scores: Scores) -> np.ndarray:
    """The units reported on: every row except the office's own."""
    return ~is_office(scores.units["kind"].tolist())


def classification(scores: Scores, subject: str) -> str:
    """'UBND các xã, thị trấn thực hiện chấm điểm đánh giá 19/19 đơn vị, trong đó 07 đơn vị xếp
    loại xuất sắc, …', then the unscored units by why they have no band."""
    own = units_only(scores)
    bands = scores.summary["band"][own]
    counts = [(band.label, int((bands == band.label).sum()))
              for band in scores.indicator_set.classification.bands]
    parts = [f"{format_count(n)} xếp loại {label.lower()}" for label, n in counts if n]
    scored = int(bands.notna().sum())
    sentence = (f"{subject} thực hiện chấm điểm đánh giá {format_number(scored)}/"
                f"{format_number(len(bands))} đơn vị"
                + (f", trong đó {', '.join(parts)}." if parts else "."))
    reasons = scores.summary["unscored"][own]
    names = scores.units["unit"][own]
    for reason, wording in ((NO_DOSSIERS, "chưa phát sinh hồ sơ"),
                            (NOT_REPORTED, "chưa thực hiện việc chấm điểm"),
                            (INCOMPLETE, "chưa đủ số liệu để xếp loại")):
        those = names[reasons == reason].tolist()
        if those:
            sentence += f" {format_count(len(those))} {wording} ({listed(those)})."
    return sentence


def by_kind(scores: Scores) -> list[str]:
    """'Cấp huyện: 07 đơn vị đạt loại Xuất sắc; 05 đơn vị chưa phát sinh hồ sơ; …', a line per
    kind of unit (in the order kinds first appear), when the table gives kinds."""
    own = units_only(scores)
    kinds = scores.units["kind"][own]
    if kinds.isna().all():
        return []
    bands, reasons = scores.summary["band"][own], scores.summary["unscored"][own]
    lines = []
    for kind in dict.fromkeys(kinds.fillna("Chưa ghi loại đơn vị")):
        members = (kinds.fillna("Chưa ghi loại đơn vị") == kind).to_numpy()
        parts = [f"{format_count(n)} đạt loại {band.label}"
                 for band in scores.indicator_set.classification.bands
                 if (n := int((bands[members] == band.label).sum()))]
        parts += [f"{format_count(n)} {reason}" for reason in (NO_DOSSIERS, NOT_REPORTED,
                                                              INCOMPLETE)
                  if (n := int((reasons[members] == reason).sum()))]
        lines.append(f"{kind}: {'; '.join(parts)}.")
    return lines


def online_payment(appendix: Appendix, target_percent: float) -> str:
    """Units under the online-payment target; the count's basis is the units listed in Biểu 02."""
    share = appendix.rows["ty_le_truc_tuyen"]
    under = appendix.rows.loc[share < target_percent / 100, "ten_don_vi"].tolist()
    no_dossier = appendix.rows.loc[share.isna(), "ten_don_vi"].tolist()
    listed = len(appendix.rows)
    target = format_number(target_percent)
    if not under:
        sentence = (f"Cả {listed}/{listed} đơn vị trong Biểu số 02 đạt chỉ tiêu tỷ lệ thanh toán "
                    f"trực tuyến (từ {target}% trở lên).")
    else:
        sentence = (f"Còn {len(under)}/{listed} đơn vị tỷ lệ thanh toán trực tuyến chưa đạt chỉ "
                    f"tiêu kế hoạch đề ra (từ {target}% trở lên), tính trên {listed} đơn vị có "
                    f"trong Biểu số 02: {', '.join(under)}.")
    if no_dossier:
        sentence += f" Không phát sinh hồ sơ để tính tỷ lệ: {', '.join(no_dossier)}."
    total_share = appendix.total["ty_le_truc_tuyen"]
    if not np.isnan(total_share):
        sentence += (f" Tỷ lệ chung: {format_number(total_share * 100, 2)}% "
                     f"({format_number(appendix.total['truc_tuyen_so_ho_so'])}/"
                     f"{format_number(appendix.total['tong_so_ho_so'])} hồ sơ).")
    return sentence


def digitisation(appendix: Appendix) -> str:
    """Biểu 03's two rates, recomputed from the summed counts of the units it lists."""
    total = appendix.total
    return ("Tỷ lệ hồ sơ có số hóa thành phần khi tiếp nhận chung là "
            f"{format_number(total['ty_le_tphs'] * 100, 2)}%, tỷ lệ số hóa kết quả giải quyết là "
            f"{format_number(total['ty_le_ket_qua'] * 100, 2)}% (tính lại từ tổng số hồ sơ của "
            f"{len(appendix.rows)} đơn vị trong biểu).")


def weakest_groups(scores: Scores) -> list[str]:
    """Each unit's weakest group by share of its applicable maximum, in ranking order."""
    order = scores.ranking_order()
    points = scores.groups.loc[order].to_numpy(float)
    maxima = scores.group_max.loc[order].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where((maxima > 0) & (scores.group_status.loc[order] == Status.SCORED),
                          points / maxima, np.nan)
    scored = ~np.isnan(shares).all(axis=1)
    weakest = np.where(np.isnan(shares), np.inf, shares).argmin(axis=1)  # first of equal minima
    rows = np.arange(len(order))
    names = [g.name for g in scores.indicator_set.groups]
    return [f"{unit}: {names[column]} ({format_number(point, 2)}/{format_number(top, 2)} điểm, "
            f"{format_number(share * 100, 1)}%)"
            for unit, column, point, top, share, keep in zip(
                scores.units.loc[order, "unit"].tolist(), weakest.tolist(),
                points[rows, weakest].tolist(), maxima[rows, weakest].tolist(),
                shares[rows, weakest].tolist(), scored.tolist(), strict=True) if keep]


def changes(current: Scores, previous: pd.DataFrame) -> list[str]:
    """'UBND xã A giảm 1,63 điểm (hạng 3 → 5)', in ranking order (``previous``: compare())."""
    lines = []
    for label in current.ranking_order():
        delta = previous.at[label, "delta"]
        if pd.isna(delta):
            continue
        rank_now, rank_before = current.summary.at[label, "rank"], previous.at[label, "rank"]
        ranks = ("" if pd.isna(rank_now) or pd.isna(rank_before)
                 else f" (hạng {int(rank_before)} → {int(rank_now)})")
        lines.append(f"{current.units.at[label, 'unit']} {movement(delta)}{ranks}")
    return lines


def group_results(scores: Scores, weakest: int = 3) -> list[str]:
    """Per group: the average share of the applicable maximum, and the weakest units by it."""
    lines = []
    for group in scores.indicator_set.groups:
        share = scores.group_share(group.code)
        scored = np.flatnonzero(~np.isnan(share))
        if not len(scored):
            continue
        points = scores.groups[group.code].to_numpy(float)
        top = scores.group_max[group.code].to_numpy(float)
        average = points[scored].sum() / top[scored].sum()  # from sums, never an average of rates
        below = scored[share[scored] < 1 - 1e-9]
        lowest = below[np.argsort(share[below], kind="stable")][:weakest]
        names = scores.units["unit"].to_numpy(object)
        units = ", ".join(f"{names[i]} ({format_number(share[i] * 100, 1)}%)" for i in lowest)
        lines.append(f"{group.name}: các đơn vị đạt {format_number(average * 100, 1)}% điểm tối "
                     "đa của nhóm; " + (f"thấp nhất: {units}." if len(lowest) else
                                        "mọi đơn vị đạt điểm tối đa."))
    return lines
