"""`xl766 cham-diem` outputs: the scored table as CSV or XLSX, and as JSON records."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from xl766.adapters import safe_text
from xl766.adapters.json_lines import write_records
from xl766.engine.scoring import Scores

SUMMARY_COLUMNS = {
    "total": "TONG",
    "computed_total": "tong_tinh_toan",
    "applicable_max": "diem_toi_da_ap_dung",
    "converted": "diem_quy_doi",
    "band": "xep_loai",
    "rank": "xep_hang",
}


def result_frame(scores: Scores) -> pd.DataFrame:
    """One row per unit in input order; numbers unrounded; blank where there is no score."""
    summary = scores.summary[list(SUMMARY_COLUMNS)].rename(columns=SUMMARY_COLUMNS)
    frame = pd.concat([scores.units.rename(columns={"unit": "ten_don_vi", "code": "ma_don_vi"}),
                       scores.indicators, scores.groups, summary], axis=1)
    return frame.astype(object).where(frame.notna(), None)


def write_csv(scores: Scores, path: Path, *, for_people: bool = True) -> None:
    safe_text.write_csv(result_frame(scores), path, for_people=for_people)


def write_xlsx(scores: Scores, path: Path) -> None:
    """Row by row with XlsxWriter's constant memory: 50.000 units in seconds, not minutes.
    Text is always written as text (a name starting with '=' stays a name)."""
    import xlsxwriter

    frame = result_frame(scores)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                           "tmpdir": str(Path(path).parent),
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "strings_to_numbers": False})
    sheet = book.add_worksheet("Kết quả")
    points = book.add_format({"num_format": "0.00"})
    text_columns = {"ten_don_vi", "ma_don_vi", "xep_loai", "xep_hang"}
    for column, name in enumerate(frame.columns):
        if name not in text_columns:
            sheet.set_column(column, column, None, points)
    sheet.write_row(0, 0, list(frame.columns), book.add_format({"bold": True}))
    sheet.freeze_panes(1, 2)
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        sheet.write_row(row, 0, [safe_text.without_control_characters(v) if isinstance(v, str)
                                 else v for v in values])
    book.close()


_UNITS_AT_ONCE = 5_000


def write_json(scores: Scores, stream) -> None:
    """`cham-diem --json`: every unit's record, a few thousand units at a time."""
    write_records((scores.records(start, start + _UNITS_AT_ONCE)
                   for start in range(0, len(scores.summary), _UNITS_AT_ONCE)), stream)
