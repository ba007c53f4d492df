"""The ribbon buttons' Python side, called by RunPython from macros/xl766_ribbon.bas.

Thin and Excel-only: save a copy of the open workbook (so unsaved edits count and the clerk's
file is never touched), run the same code as the CLI on the copy, show the outcome. xlwings is
imported here, at click time, to keep ``import xl766`` light.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.engine.findings import Level
from xl766.excel.checks import ERRORS_SHEET, HEADER, Problem, problems, report_path

TITLE = "Báo cáo 766"
_ALERT_CHARACTERS = 900  # Excel's message box shows about 1,024


@contextmanager
def _saved_copy(book):
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"ban-sao{Path(book.fullname).suffix or '.xlsm'}"
        book.api.SaveCopyAs(str(copy))
        yield copy


def _show_problems(book, found: list[Problem]) -> None:
    """Write the problems on the "Lỗi dữ liệu" sheet: texts stay text, links are formulas."""
    names = [sheet.name for sheet in book.sheets]
    sheet = (book.sheets[ERRORS_SHEET] if ERRORS_SHEET in names
             else book.sheets.add(ERRORS_SHEET, after=book.sheets[len(names) - 1]))
    sheet.clear()
    last = len(found) + 1
    for column in ("A", "C", "D"):
        sheet.range(f"{column}1:{column}{last}").number_format = "@"
    sheet.range("A1").value = [list(HEADER)] + [list(p.row()) for p in found]
    for row, problem in enumerate(found, start=2):
        sheet.range(f"B{row}").formula = problem.link
    sheet.activate()


def _summary(found: list[Problem]) -> str:
    errors = sum(p.level is Level.ERROR for p in found)
    if not found:
        return "Không phát hiện lỗi."
    text = (f"{errors} lỗi, {len(found) - errors} cảnh báo/ghi chú; xem trang '{ERRORS_SHEET}'"
            ", bấm vào ô ở cột Ô để đến chỗ cần sửa.\n\n")
    text += "\n".join(f"{p.sheet}!{p.cell}: {p.message}" for p in found[:8])
    return text[:_ALERT_CHARACTERS]


def kiem_tra_so_lieu() -> None:
    import xlwings as xw

    book = xw.Book.caller()
    with _saved_copy(book) as copy:
        found = problems(copy)
    _show_problems(book, found)
    book.app.alert(_summary(found), TITLE)


def tao_bao_cao() -> None:
    import xlwings as xw

    from xl766.report.run import create_report

    book = xw.Book.caller()
    with _saved_copy(book) as copy:
        found = problems(copy)
        if any(p.level is Level.ERROR for p in found):
            _show_problems(book, found)
            book.app.alert("Chưa lập báo cáo: " + _summary(found), TITLE)
            return
        try:
            target = report_path(copy, Path(book.fullname).parent)
            overwrite = target.exists() and book.app.alert(
                f"Đã có tệp '{target.name}'. Ghi đè?", TITLE, buttons="yes_no") == "yes"
            if target.exists() and not overwrite:
                return
            create_report(copy, target, overwrite=overwrite)
        except InputError as error:
            book.app.alert(str(error)[:_ALERT_CHARACTERS], TITLE)
            return
    book.app.alert(f"Đã lập báo cáo '{target}'.", TITLE)
    xw.Book(str(target))
