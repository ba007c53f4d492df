"""What a report is made from: a filled template workbook (Cấu hình, Nhập liệu, Phí, lệ phí,
Số hóa) or a plain wide table with the `cham-diem` columns (Biểu 01 only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.adapters.tables import SCORES_SHEET, RawTable, read_table, read_workbook
from xl766.catalog import IndicatorSet, load_indicator_set
from xl766.engine.inputs import texts
from xl766.report.settings import ReportSettings

SETTINGS_SHEET = "Cấu hình"
FEES_SHEET = "Phí, lệ phí"
DIGITISATION_SHEET = "Số hóa"
# A template built from a province's own set carries that set's file here (column A, from A2).
SET_SHEET = "Bộ chỉ số"


@dataclass(frozen=True)
class ReportInput:
    settings: ReportSettings
    scores: RawTable
    fees: RawTable | None
    digitisation: RawTable | None
    embedded_set: str | None = None  # the TOML of the set the template was built from

    def indicator_set(self, reference: str) -> IndicatorSet:
        """The set named on Cấu hình: the one this workbook carries, or a bundled one or file."""
        return load_indicator_set(reference, embedded=self.embedded_set)


def _settings_sheet(table: RawTable) -> ReportSettings:
    frame = table.frame
    if frame.shape[1] < 2:
        raise InputError(f"Trang '{SETTINGS_SHEET}' cần hai cột: khóa (cột A) và giá trị (cột B).")
    pairs: dict[str, str] = {}
    rows: dict[str, list[int]] = {}
    for row, key, value in zip(frame.index, texts(frame.iloc[:, 0]), texts(frame.iloc[:, 1]),
                               strict=True):
        if key:
            pairs[key] = value or ""
            rows.setdefault(key, []).append(row)
    repeated = [f"'{key}' ở các dòng {', '.join(map(str, found))}"
                for key, found in rows.items() if len(found) > 1]
    if repeated:  # which one the clerk meant cannot be guessed
        raise InputError(f"Trang '{SETTINGS_SHEET}', cột A: khóa ghi nhiều lần: "
                         f"{'; '.join(repeated)}. Chỉ giữ một dòng cho mỗi khóa.")
    return ReportSettings.from_pairs(pairs, f"Trang '{SETTINGS_SHEET}'")


def joined_set_text(cells: list) -> str | None:
    """The set's text, written in pieces down column A of its sheet (a cell holds at most
    32.767 characters)."""
    return "".join(cell for cell in cells if isinstance(cell, str)) or None


def read_report_input(path: Path) -> ReportInput:
    """One open of the workbook for every sheet it has."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        names, tables = read_workbook(path, [SCORES_SHEET, SETTINGS_SHEET, FEES_SHEET,
                                             DIGITISATION_SHEET, SET_SHEET])
        if SCORES_SHEET not in names and {"Biểu 01", "Kiểm tra"} <= set(names):
            raise InputError(f"'{path.name}' là một báo cáo xl766 đã lập (có trang Biểu 01), "
                             "không phải số liệu: chọn sổ đã điền của kỳ đó (trang Nhập liệu) "
                             "hoặc bảng .csv của nó.")
        if SCORES_SHEET in names:
            settings = (_settings_sheet(tables[SETTINGS_SHEET]) if SETTINGS_SHEET in tables
                        else ReportSettings())
            return ReportInput(settings, tables[SCORES_SHEET], tables.get(FEES_SHEET),
                               tables.get(DIGITISATION_SHEET),
                               joined_set_text(tables[SET_SHEET].frame.iloc[:, 0].tolist())
                               if SET_SHEET in tables else None)
    return ReportInput(ReportSettings(), read_table(path), None, None)
