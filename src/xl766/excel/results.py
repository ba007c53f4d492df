"""The Kết quả table that ``CHISO_BANG`` returns: one call scores the whole Nhập liệu table."""

from __future__ import annotations

import pandas as pd

from xl766.adapters.tables import FIRST_DATA_ROW, without_blank_rows
from xl766.catalog.models import ConversionMethod, IndicatorSet
from xl766.engine.findings import LEVEL_TEXT, Level
from xl766.engine.inputs import HEADER_ROW
from xl766.engine.numbers import percent_of
from xl766.engine.scoring import score_table

UNIT, TOTAL, APPLICABLE_MAX, CONVERTED, BAND, RANK, NOTES = (
    "Đơn vị", "Tổng điểm", "Điểm tối đa áp dụng", "Điểm quy đổi", "Xếp loại", "Xếp hạng",
    "Ghi chú")


def converts(indicator_set: IndicatorSet) -> bool:
    return indicator_set.conversion.method is ConversionMethod.APPLICABLE_MAX


def result_columns(indicator_set: IndicatorSet) -> list[str]:
    """The header row of Kết quả; the template's formats and colours follow it."""
    middle = [APPLICABLE_MAX, CONVERTED] if converts(indicator_set) else []
    return [UNIT, *(g.code for g in indicator_set.groups), TOTAL, *middle, BAND, RANK, NOTES]


def _row_notes(findings) -> dict[int, str]:
    """Per row: its errors, or else its warnings, in one short text."""
    notes: dict[int, str] = {}
    for level in (Level.ERROR, Level.WARNING):
        by_row: dict[int, list[str]] = {}
        for finding in findings:
            if finding.level is level and finding.row not in notes:
                by_row.setdefault(finding.row, []).append(finding.message)
        notes |= {row: f"{LEVEL_TEXT[level]}: {'; '.join(messages)}"
                  for row, messages in by_row.items()}
    return notes


class TableError(Exception):
    """The table's shape is wrong (a column the set does not know...): nothing is scored."""


def result_table(cells: list[list], indicator_set: IndicatorSet, *, fractions: bool = False,
                 with_header: bool = True) -> list[list]:
    """Header plus one row per input row (blank rows stay blank, so rows line up).

    ``fractions``: the percent columns hold what a %-formatted cell stores (95% as 0,95).
    """
    if not cells or not any(cells[0]):
        raise TableError("bảng Nhập liệu trống hoặc thiếu dòng tiêu đề")
    header = pd.Index([("" if h is None else str(h)) for h in cells[0]], dtype=object)
    body = pd.DataFrame(cells[1:], columns=header, dtype=object)
    if fractions:
        for position in [i for i, h in enumerate(header) if h.strip().endswith("%")]:
            body.iloc[:, position] = body.iloc[:, position].map(
                lambda v: percent_of(v) if type(v) in (int, float) else v)
    body.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(body))
    scores = score_table(without_blank_rows(body), indicator_set)
    table_errors = [f.message for f in scores.findings
                    if f.row == HEADER_ROW and f.level is Level.ERROR]
    if table_errors:
        raise TableError("; ".join(table_errors))
    columns = result_columns(indicator_set)
    summary = scores.summary.rename(columns={"total": TOTAL, "applicable_max": APPLICABLE_MAX,
                                             "converted": CONVERTED, "band": BAND,
                                             "rank": RANK})
    frame = pd.concat([scores.units["unit"].rename(UNIT), scores.groups, summary], axis=1)
    frame[NOTES] = pd.Series(_row_notes(scores.findings), dtype=object)
    # Blank input rows stay blank, so each result row faces its input row.
    frame = frame.reindex(index=body.index, columns=columns).astype(object)
    values = frame.where(frame.notna(), "").to_numpy(dtype=object)
    return [columns, *values.tolist()] if with_header else values.tolist()
