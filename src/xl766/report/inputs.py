"""What a report is made from: a filled template workbook (Cấu hình, Nhập liệu, Phí, lệ phí,
Số hóa) or a plain wide table with the `cham-diem` columns (Biểu 01 only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.adapters.tables import RawTable, read_table
from xl766.engine.inputs import texts
from xl766.report.settings import ReportSettings

SETTINGS_SHEET = "Cấu hình"
SCORES_SHEET = "Nhập liệu"
FEES_SHEET = "Phí, lệ phí"
DIGITISATION_SHEET = "Số hóa"


@dataclass(frozen=True)
class ReportInput:
    settings: ReportSettings
    scores: RawTable
    fees: RawTable | None
    digitisation: RawTable | None


def _sheet_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise InputError(f"Không mở được '{path.name}' như một tệp Excel: {exc}") from None
    names = book.sheetnames
    book.close()
    return names


def _settings_sheet(path: Path) -> ReportSettings:
    table = read_table(path, SETTINGS_SHEET).frame
    keys, values = table.columns[0], table.columns[1]
    pairs = {key: value or "" for key, value in
             zip(texts(table[keys]), texts(table[values]), strict=True) if key}
    return ReportSettings.from_pairs(pairs, f"Trang '{SETTINGS_SHEET}'")


def read_report_input(path: Path) -> ReportInput:
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        sheets = _sheet_names(path)
        if SCORES_SHEET in sheets:
            settings = (_settings_sheet(path) if SETTINGS_SHEET in sheets else ReportSettings())
            optional = {name: read_table(path, name) if name in sheets else None
                        for name in (FEES_SHEET, DIGITISATION_SHEET)}
            return ReportInput(settings, read_table(path, SCORES_SHEET), optional[FEES_SHEET],
                               optional[DIGITISATION_SHEET])
    return ReportInput(ReportSettings(), read_table(path), None, None)
