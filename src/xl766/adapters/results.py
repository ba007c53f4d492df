"""`xl766 cham-diem` outputs: the scored table as CSV or XLSX, and as JSON records."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from xl766.adapters import safe_text
from xl766.adapters.safe_text import set_text
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


def write_csv(scores: Scores, path: Path) -> None:
    safe_text.write_csv(result_frame(scores), path)


def write_xlsx(scores: Scores, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    frame = result_frame(scores)
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    text_columns = {"ten_don_vi", "ma_don_vi", "xep_loai"}
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        for c, (name, value) in enumerate(zip(frame.columns, row, strict=True), start=1):
            cell = sheet.cell(row=r, column=c)
            set_text(cell, value)
            if name not in text_columns and name != "xep_hang":
                cell.number_format = "0.00"
    sheet.freeze_panes = "C2"
    book.save(path)


def to_json(scores: Scores) -> str:
    """A JSON array, one unit per line, each through the C encoder (fast for 4,000 units)."""
    lines = [json.dumps(record, ensure_ascii=False) for record in scores.records()]
    return "[\n" + ",\n".join(lines) + "\n]"
