"""`xl766 cap-nhat-mau`: a filled workbook of an earlier xl766 moved into the current template.

A month's .xlsm is bound to the xlwings DLL of the version that built it; after an upgrade it no
longer calculates. Its data (Cấu hình, Nhập liệu, Phí, lệ phí, Số hóa) are read as `tao-bao-cao`
reads them, checked the same way, and written into a template built now. The old file is never
written to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

from openpyxl.utils import get_column_letter

from xl766.adapters.errors import InputError
from xl766.adapters.safe_text import set_text
from xl766.adapters.tables import RawTable
from xl766.engine.appendices import column_key
from xl766.engine.findings import Level
from xl766.engine.numbers import parse_number
from xl766.excel.build import build_template
from xl766.excel.layout import UNIT_ROWS
from xl766.report.content import check_input
from xl766.report.inputs import (
    DIGITISATION_SHEET,
    FEES_SHEET,
    SCORES_SHEET,
    SETTINGS_SHEET,
    read_report_input,
)
from xl766.report.settings import ReportSettings


def upgrade_workbook(old: Path, new: Path, *, overwrite: bool = False) -> int:
    """Write ``new`` from the current template holding ``old``'s data; the number of units."""
    old, new = Path(old), Path(new)
    if new.suffix.lower() != ".xlsm":
        raise InputError(f"Tệp mới '{new.name}' phải có đuôi .xlsm (có macro).")
    if old.resolve() == new.resolve():
        raise InputError("Tệp mới phải khác tệp cũ: xl766 không ghi vào tệp cũ.")
    source = read_report_input(old)
    if not source.settings.bo_chi_so:
        raise InputError(f"Trang '{SETTINGS_SHEET}' của '{old.name}' chưa có bo_chi_so.")
    indicator_set = source.indicator_set(source.settings.bo_chi_so)
    errors = [item for item in check_input(source, indicator_set).findings
              if item.finding.level is Level.ERROR]
    if errors:
        lines = [f"Số liệu của '{old.name}' có {len(errors)} lỗi; chưa chuyển sang mẫu mới:"]
        raise InputError("\n".join(lines + [e.finding.describe(e.sheet) for e in errors]))
    tables = {SCORES_SHEET: source.scores, FEES_SHEET: source.fees,
              DIGITISATION_SHEET: source.digitisation}
    for sheet, table in tables.items():
        if table is not None and len(table.frame) and table.frame.index.max() > UNIT_ROWS + 1:
            raise InputError(f"Trang '{sheet}' của '{old.name}' có dòng {table.frame.index.max()}"
                             f", mẫu mới có {UNIT_ROWS} dòng đơn vị: chia bảng rồi chạy lại.")
    build_template(indicator_set, new, overwrite=overwrite, own_set=source.embedded_set,
                   inputs=(old,), fill=_carry(source.settings, tables))
    return len(source.scores.frame)


def _carry(settings: ReportSettings, tables: dict[str, RawTable | None]) -> Callable:
    def fill(book) -> None:
        _settings(book[SETTINGS_SHEET], settings)
        for sheet, table in tables.items():
            if table is not None:
                _rows(book[sheet], table, percents=sheet == SCORES_SHEET)
    return fill


def _settings(sheet, settings: ReportSettings) -> None:
    """Every key the old workbook set, into the new Cấu hình (a number stays a number)."""
    defaults = ReportSettings()
    given = {f.name: getattr(settings, f.name) for f in fields(ReportSettings)
             if getattr(settings, f.name) != getattr(defaults, f.name)}
    for row in range(2, sheet.max_row + 1):
        key = sheet.cell(row, 1).value
        if key in given:
            cell = sheet.cell(row, 2)
            number = parse_number(given[key]) if isinstance(cell.value, int | float) else None
            if number is not None and number == number:
                cell.value = number
            else:
                set_text(cell, given[key])


def _rows(sheet, table: RawTable, *, percents: bool) -> None:
    """The old rows at their own row numbers, column by column where the new sheet has an input
    column of the same key; its formula columns are left to compute."""
    targets = {column_key(cell.value): cell.column for cell in sheet[1]
               if cell.value is not None}
    for header in table.frame.columns:
        key = column_key(header)
        column = targets.get(key) or _added_column(sheet, key)
        if _is_formula(sheet.cell(2, column).value):
            continue
        # the new template formats rate columns 0.00%: a cell holds 0,9689 for 96,89%
        rate = percents and key.endswith("%")
        for row, value in table.frame[header].items():
            cell = sheet.cell(int(row), column)
            if value is None or value != value:
                cell.value = None
            elif isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value / 100 if rate else value


def _added_column(sheet, key: str) -> int:
    """A column the old table had and the new template does not offer (a group's points typed
    whole, a `cong:` column): added to the sheet's table, so nothing is lost and Kết quả reads
    it."""
    [table] = sheet.tables.values()
    first, last = table.ref.split(":")
    column = sheet[last].column + 1
    set_text(sheet.cell(1, column), key)
    table.ref = f"{first}:{get_column_letter(column)}{sheet[last].row}"
    table.tableColumns = []  # named again from the header row when saved
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    return column


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")
