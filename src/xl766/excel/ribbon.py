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
from xl766.adapters.safe_text import csv_safe
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


def _book_folder(book) -> Path:
    """The folder of the workbook on this PC. A book opened from OneDrive or SharePoint has a web
    address for a name unless xlwings is told where the synced folder is."""
    name = str(book.fullname)
    if name.lower().startswith(("http://", "https://")):
        raise InputError(f"Sổ đang mở từ OneDrive/SharePoint ({name[:80]}): xl766 cần một thư mục "
                         "trên máy. Chép sổ vào C:\\XL766\\… rồi mở lại, hoặc ghi thư mục "
                         "OneDrive trên máy vào ONEDRIVE_CONSUMER_WIN (cá nhân) hay "
                         "ONEDRIVE_COMMERCIAL_WIN (cơ quan) ở trang ẩn xlwings.conf.")
    return Path(name).parent


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

    from xl766.report.inputs import read_report_input
    from xl766.report.run import create_report

    book = xw.Book.caller()
    with _saved_copy(book) as copy:
        try:
            source = read_report_input(copy)  # once: the checks and the report both use it
        except InputError as error:
            book.app.alert(str(error)[:_ALERT_CHARACTERS], TITLE)
            return
        found = problems(source)
        if any(p.level is Level.ERROR for p in found):
            _show_problems(book, found)
            book.app.alert("Chưa lập báo cáo: " + _summary(found), TITLE)
            return
        try:
            target = report_path(source, _book_folder(book))
            existing = [p.name for p in (target, target.with_suffix(".docx")) if p.exists()]
            overwrite = bool(existing) and book.app.alert(
                f"Đã có tệp {', '.join(existing)}. Ghi đè?", TITLE, buttons="yes_no") == "yes"
            if existing and not overwrite:
                return
            create_report(copy, target, overwrite=overwrite, source=source,
                          document_path=target.with_suffix(".docx"),
                          form=_beside(book, source.settings.mau_van_ban))
        except InputError as error:
            book.app.alert(str(error)[:_ALERT_CHARACTERS], TITLE)
            return
    book.app.alert(f"Đã lập báo cáo '{target}' và dự thảo văn bản "
                   f"'{target.with_suffix('.docx').name}'.", TITLE)
    xw.Book(str(target))


def _beside(book, form: str) -> str:
    """A form given as a relative .docx path is read from the workbook's folder (the ribbon
    reads a copy of the workbook from a temporary folder)."""
    if form.lower().endswith(".docx") and not Path(form).is_absolute():
        return str(_book_folder(book) / form)
    return form


FOLDER_PICKER = 4  # msoFileDialogFolderPicker


def _ask_folder(book) -> Path | None:
    """Excel's own folder picker; None when the clerk cancels."""
    dialog = book.app.api.FileDialog(FOLDER_PICKER)
    dialog.Title = "Chọn thư mục số liệu đã tải từ Cổng DVCQG (Hủy: tải mới từ Cổng)"
    if dialog.Show() != -1:
        return None
    return Path(dialog.SelectedItems.Item(1))


def _download(book, settings) -> Path | None:
    from xl766.portal.fetch import fetch_province

    if not settings.ma_tinh_cong or not settings.ky_bao_cao:
        book.app.alert("Để tải từ Cổng, ghi ma_tinh_cong (vd H44) và ky_bao_cao (vd 2026-09) ở "
                       "trang Cấu hình, lưu lại rồi bấm lại.", TITLE)
        return None
    period = settings.period
    folder = _book_folder(book) / f"Cong DVCQG {settings.ma_tinh_cong} {period}"
    if book.app.alert(f"Tải số liệu {period.words()} của tỉnh {settings.ma_tinh_cong} từ Cổng "
                      f"DVCQG vào thư mục '{folder.name}' cạnh tệp này? Mất khoảng một phút.",
                      TITLE, buttons="yes_no") != "yes":
        return None

    def progress(text: str) -> None:
        book.app.status_bar = text.strip()
    try:
        return fetch_province(settings.ma_tinh_cong, period, folder, progress=progress)
    finally:
        book.app.status_bar = False


def _fill_scores(book, rows: list[list], headers: list) -> bool:
    """Replace the rows of Nhập liệu, after asking when some are already typed."""
    from xl766.excel.layout import UNIT_ROWS
    from xl766.report.inputs import SCORES_SHEET

    sheet = book.sheets[SCORES_SHEET]
    # Rows typed below the table's own are units too: they are counted and cleared with it.
    last = max(UNIT_ROWS + 1, sheet.used_range.last_cell.row)
    body = sheet.range((2, 1), (last, len(headers)))
    typed = sum(any(v not in (None, "") for v in row) for row in body.value)
    if typed and book.app.alert(f"Trang {SCORES_SHEET} đang có {typed} dòng. Xóa và thay bằng "
                                f"{len(rows)} đơn vị từ Cổng?", TITLE, buttons="yes_no") != "yes":
        return False
    body.clear_contents()
    sheet.range((2, 1)).value = rows
    return True


def lay_so_lieu_cong() -> None:
    import xlwings as xw

    from xl766.catalog import CatalogError
    from xl766.excel.layout import UNIT_ROWS, scores_columns
    from xl766.portal.answers import read_answers
    from xl766.portal.fetch import FetchError
    from xl766.portal.table import as_fractions, portal_table
    from xl766.report.inputs import read_report_input

    book = xw.Book.caller()
    with _saved_copy(book) as copy:
        source = read_report_input(copy)
    settings = source.settings
    try:
        indicator_set = source.indicator_set(settings.bo_chi_so or "766-2026")
        folder = _ask_folder(book) or _download(book, settings)
        if folder is None:
            return
        period = settings.period if settings.ky_bao_cao else None
        capture = read_answers([folder], period)
    except (InputError, CatalogError, FetchError) as error:
        book.app.alert(str(error)[:_ALERT_CHARACTERS], TITLE)
        return
    table, notes = portal_table(capture, indicator_set) if not capture.has_errors else (None, [])
    lines = [p.describe() for p in capture.problems + notes if p.level is Level.ERROR]
    if lines:
        book.app.alert(("Chưa điền Nhập liệu:\n" + "\n".join(lines))[:_ALERT_CHARACTERS], TITLE)
        return
    if len(table) > UNIT_ROWS:
        book.app.alert(f"Cổng có {len(table)} đơn vị, trang Nhập liệu chỉ có {UNIT_ROWS} dòng: "
                       "dùng xl766 nhap-cong rồi xl766 tao-bao-cao.", TITLE)
        return
    headers = [c.header for c in scores_columns(indicator_set)]
    values = as_fractions(table, indicator_set).reindex(columns=headers)
    # Excel turns text starting with =, +, - or @ into a formula unless it leads with "'"
    rows = [[csv_safe(v) for v in row]
            for row in values.astype(object).where(values.notna(), None).to_numpy().tolist()]
    if not _fill_scores(book, rows, headers):
        return
    warnings = [p.describe() for p in capture.problems + notes if p.level is not Level.ERROR]
    book.app.alert((f"Đã điền {len(rows)} đơn vị, kỳ {capture.period}, vào Nhập liệu.\n"
                    + "\n".join(warnings))[:_ALERT_CHARACTERS], TITLE)
