"""What a report is made from: a filled template workbook (Cấu hình, Nhập liệu, Phí, lệ phí,
Số hóa) or a plain wide table with the `cham-diem` columns (Biểu 01 only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.adapters.tables import SCORES_SHEET, RawTable, read_table, read_workbook
from xl766.engine.inputs import texts
from xl766.report.settings import ReportSettings

SETTINGS_SHEET = "Cấu hình"
FEES_SHEET = "Phí, lệ phí"
DIGITISATION_SHEET = "Số hóa"


@dataclass(frozen=True)
class ReportInput:
    settings: ReportSettings
    scores: RawTable
    fees: RawTable | None
    digitisation: RawTable | None


def _settings_sheet(table: RawTable) -> ReportSettings:
    frame = table.frame
    if frame.shape[1] < 2:
        raise InputError(f"Trang '{SETTINGS_SHEET}' cần hai cột: khóa (cột A) và giá trị (cột B).")
    pairs = {key: value or "" for key, value in
             zip(texts(frame.iloc[:, 0]), texts(frame.iloc[:, 1]), strict=True) if key}
    return ReportSettings.from_pairs(pairs, f"Trang '{SETTINGS_SHEET}'")


def read_report_input(path: Path) -> ReportInput:
    """One open of the workbook for every sheet it has."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        names, tables = read_workbook(path, [SCORES_SHEET, SETTINGS_SHEET, FEES_SHEET,
                                             DIGITISATION_SHEET])
        if SCORES_SHEET in names:
            settings = (_settings_sheet(tables[SETTINGS_SHEET]) if SETTINGS_SHEET in tables
                        else ReportSettings())
            return ReportInput(settings, tables[SCORES_SHEET], tables.get(FEES_SHEET),
                               tables.get(DIGITISATION_SHEET))
    return ReportInput(ReportSettings(), read_table(path), None, None)
