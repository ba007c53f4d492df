"""What the ribbon buttons compute, from a saved copy of the open workbook: the list of problems
for the "Lỗi dữ liệu" sheet (each with a link to its cell) and where the report goes.
No Excel here, so all of it tests on Linux."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.engine.findings import LEVEL_TEXT, Level

ERRORS_SHEET = "Lỗi dữ liệu"
HEADER = ("Trang", "Ô", "Mức", "Nội dung")
_ORDER = {level: position for position, level in enumerate(Level)}  # errors first


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str  # A1 address; the header cell for a problem of a whole column
    level: Level
    message: str

    @property
    def link(self) -> str:
        """A HYPERLINK formula to the cell (names quoted the way Excel formulas need)."""
        sheet = self.sheet.replace("'", "''").replace('"', '""')
        return f'=HYPERLINK("#\'{sheet}\'!{self.cell}","{self.cell}")'

    def row(self) -> tuple[str, str, str, str]:
        return self.sheet, self.cell, LEVEL_TEXT[self.level], self.message


def problems(source) -> list[Problem]:
    """Every problem of every input sheet (a ReportInput, or the workbook's path), errors first,
    each pointing at its cell."""
    # imported at click time: the ribbon module itself loads without pandas
    from openpyxl.utils import get_column_letter

    from xl766.catalog import CatalogError
    from xl766.engine.appendices import column_key
    from xl766.report.content import check_input
    from xl766.report.inputs import SETTINGS_SHEET, ReportInput, read_report_input

    try:
        if not isinstance(source, ReportInput):
            source = read_report_input(source)
        reference = source.settings.bo_chi_so
        if not reference:
            raise InputError("chưa chọn bộ chỉ số (khóa bo_chi_so)")
        indicator_set = source.indicator_set(reference)
    except (InputError, CatalogError) as error:
        return [Problem(SETTINGS_SHEET, "B1", Level.ERROR, str(error))]
    positions = {table.sheet: {name.casefold(): p
                               for p, h in enumerate(table.frame.columns, start=1)
                               for name in (str(h).strip(), column_key(h))}
                 for table in (source.scores, source.fees, source.digitisation) if table}
    found = []
    for item in check_input(source, indicator_set).findings:
        column = str(item.finding.column or "").strip().casefold()
        letter = get_column_letter(positions.get(item.sheet, {}).get(column, 1))
        found.append(Problem(item.sheet, f"{letter}{item.finding.row or 1}",
                             item.finding.level, item.finding.message))
    return sorted(found, key=lambda p: _ORDER[p.level])


def report_path(source, folder: Path) -> Path:
    """Where "Tạo báo cáo" writes: beside the workbook, named after the period."""
    period = source.settings.ky_bao_cao.strip()
    if not period:
        raise InputError("Chưa có kỳ báo cáo: ghi ở trang 'Cấu hình' (ky_bao_cao, vd 2026-10).")
    return Path(folder) / f"Bao cao 766 {period}.xlsx"
