"""Write the imported table as a workbook that `cham-diem` and `tao-bao-cao` read as it is
(Nhập liệu first, then Cấu hình with the set and the period, then where the numbers came from)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from xl766.adapters.tables import SCORES_SHEET
from xl766.portal.answers import Capture
from xl766.report.inputs import SETTINGS_SHEET

SOURCE_SHEET = "Nguồn Cổng"


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def settings_for(capture: Capture, set_id: str, province: dict) -> dict[str, str]:
    """Cấu hình for a report of this capture; the clerk edits the texts before sending."""
    settings = {"bo_chi_so": set_id, "ky_bao_cao": str(capture.period or ""),
                "doi_tuong": "Các cơ quan, đơn vị"}
    if province.get("departmentCode"):
        settings["ma_tinh_cong"] = province["departmentCode"]
    province_name = province.get("departmentName")
    if province_name:
        place = province_name.removeprefix("UBND ").strip()
        settings |= {"co_quan_bao_cao": province_name.upper(), "ten_co_quan": province_name,
                     "dia_ban": f"TRÊN ĐỊA BÀN {place.upper()}"}
    return settings


def source_rows(capture: Capture) -> list[list]:
    rows = [["Tệp", "Mục", "Địa chỉ", "Yêu cầu (JSON)", "Mã HTTP", "Thời điểm tải", "sha256"]]
    for kind, answers in capture.answers.items():
        for answer in answers:
            entry = answer.capture or {}
            rows.append([answer.path.name, kind, entry.get("url", ""),
                         str(entry.get("payload", "")), entry.get("httpStatus", ""),
                         entry.get("capturedAt", ""), entry.get("sha256", "")])
    return rows


def write_xlsx(frame: pd.DataFrame, path: Path, settings: dict[str, str],
               sources: list[list]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"tmpdir": str(Path(path).parent),
                                           "strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(SCORES_SHEET)
    for col, name in enumerate(frame.columns):
        sheet.write_string(0, col, name, bold)
    for r, row in enumerate(frame.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            if _blank(value):
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, float(value))
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, len(frame.columns) - 1, 12)
    for name, rows in ((SETTINGS_SHEET, [["khoa", "gia_tri"], *settings.items()]),
                       (SOURCE_SHEET, sources)):
        other = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                other.write_string(r, c, str(value), bold if r == 0 else None)
        other.set_column(0, len(rows[0]) - 1, 24)
    book.close()
