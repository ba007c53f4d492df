"""The template's sheets, laid out with openpyxl from the catalog: a new indicator set gives a new
template with no code change. Colours and checks are native Excel rules, so they work without
Python; only Kết quả needs the UDFs."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, fields

from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table, TableStyleInfo

from xl766.adapters.palette import BELOW_TARGET_FILL, band_fill
from xl766.adapters.safe_text import set_text
from xl766.catalog import available_sets, load_indicator_set
from xl766.catalog.models import BlankMeans, IndicatorSet
from xl766.engine.appendices import COLUMN_LABELS, DIGITISATION_INPUTS, FEE_INPUTS
from xl766.engine.inputs import OFFICE_KIND, UNIT_CODE, UNIT_KIND, UNIT_NAME, column_roles
from xl766.engine.numbers import short_number
from xl766.excel import results
from xl766.excel.udfs import SET_NAME
from xl766.excel.vba import UDF_MODULE
from xl766.report.content import ONLINE_PAYMENT
from xl766.report.inputs import (
    DIGITISATION_SHEET,
    FEES_SHEET,
    SCORES_SHEET,
    SET_SHEET,
    SETTINGS_SHEET,
)
from xl766.report.settings import ReportSettings

GUIDE_SHEET, RESULTS_SHEET, CONFIG_SHEET = "Hướng dẫn", "Kết quả", "xlwings.conf"
_CELL_CHARACTERS = 30_000  # Excel keeps at most 32.767 characters in a cell
SCORES_TABLE, FEES_TABLE, DIGITISATION_TABLE = "NhapLieu", "PhiLePhi", "SoHoa"
TARGET_NAME = "CHI_TIEU_TTTT"
UNIT_ROWS = 300  # rows ready in each input table; Kết quả's array formula covers as many
INTERPRETER = r"C:\XL766\.venv\Scripts\pythonw.exe"
_LAST_ROW = UNIT_ROWS + 1
_GUIDE_CHARACTERS_PER_LINE = 110
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")  # unlike any band
_STYLE = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)

MACROS_NEEDED = ("Nếu bảng bên trái hiện #NAME? hoặc trống: bật macro (Enable Content) và cài "
                 "Python theo hướng dẫn ở C:\\XL766; kết quả tự tính khi nhập liệu.")

SETTING_HELP = {
    "co_quan_chu_quan": "Dòng 1 góc trái của biểu, ví dụ ỦY BAN NHÂN DÂN.",
    "co_quan_bao_cao": "Dòng 2 góc trái, ví dụ HUYỆN TUẦN GIÁO.",
    "ten_co_quan": "Tên cơ quan sau chữ \"của\" trong dòng kèm theo báo cáo.",
    "dia_ban": "Địa bàn trong tiêu đề, ví dụ TRÊN ĐỊA BÀN HUYỆN TUẦN GIÁO.",
    "doi_tuong": "Các đơn vị được chấm, như câu nhận xét gọi họ.",
    "ky_bao_cao": "Kỳ báo cáo: tháng 2026-10, quý 2026-Q3 hoặc năm 2026.",
    "bo_chi_so": "Bộ chỉ số dùng để chấm (chọn trong danh sách).",
    "so_bao_cao": "Số báo cáo (để trống để điền tay).",
    "ngay_bao_cao": "Ngày báo cáo dạng ngày/tháng/năm (để trống để điền tay).",
    "nguoi_lap_bieu": "Họ tên người lập biểu.",
    "chi_tieu_thanh_toan_truc_tuyen": "Chỉ tiêu tỷ lệ hồ sơ thanh toán trực tuyến (%); "
                                      "ô dưới chỉ tiêu tô đỏ ở trang Phí, lệ phí.",
    "ma_tinh_cong": "Mã tỉnh trên Cổng DVCQG (vd H44) để nút Lấy số liệu từ Cổng tự tải.",
    "tieu_de_bieu_01": "Tiêu đề Biểu số 01; {ten_ky} (tháng/quý/năm …), {thang}, {nam}, "
                       "{dia_ban} được thay khi lập.",
    "tieu_de_bieu_02": "Tiêu đề Biểu số 02.",
    "tieu_de_bieu_03": "Tiêu đề Biểu số 03.",
    "ky_hieu": "Ký hiệu văn bản sau số báo cáo, ví dụ BC-UBND.",
    "dia_danh": "Địa danh ở dòng ngày tháng của báo cáo Word, ví dụ Tuần Giáo.",
    "trich_yeu": "Trích yếu của báo cáo Word (để trống: theo bộ chỉ số); {ten_ky} được thay "
                 "khi lập.",
    "quyen_han_ky": "Thẩm quyền ký, ví dụ TM. ỦY BAN NHÂN DÂN hoặc TL. CHỦ TỊCH.",
    "chuc_vu_nguoi_ky": "Chức vụ người ký, ví dụ CHỦ TỊCH hoặc CHÁNH VĂN PHÒNG.",
    "nguoi_ky": "Họ tên người ký.",
    "noi_nhan": "Nơi nhận, cách nhau bằng dấu chấm phẩy.",
    "mau_van_ban": "Mẫu văn bản Word: bao-cao-ngan (mặc định), bao-cao-nhom, cong-van, thong-bao "
                   "hoặc đường dẫn tệp .docx cơ quan đã sửa.",
    "can_cu": "Văn bản căn cứ (không ghi chữ Căn cứ/Thực hiện), cách nhau bằng dấu chấm phẩy; "
              "để trống: văn bản ban hành bộ chỉ số.",
    "kinh_gui": "Nơi kính gửi của công văn, cách nhau bằng dấu chấm phẩy.",
    "lich_su": "Tệp lịch sử các kỳ (để trống: thư mục dữ liệu của người dùng).",
    "so_sanh": "So sánh với: ky-truoc (kỳ liền trước) hoặc cung-ky-nam-truoc.",
    "ghep_don_vi": "Tệp .csv hai cột hien_nay, truoc_day (tên hoặc mã): đơn vị đổi tên hay sáp "
                   "nhập, để so sánh với kỳ trước.",
    "dong_cap": "Tệp service-results (.json) của Cổng liệt kê các đơn vị cùng cấp, để xếp hạng "
                "cơ quan (cần ma_tinh_cong).",
    "canh_bao_giam_diem": "Cảnh báo khi tổng điểm giảm từ chừng này điểm so với kỳ trước.",
    "canh_bao_giam_lien_tiep": "Cảnh báo khi tổng điểm giảm chừng này kỳ liên tiếp.",
    "canh_bao_nhom_duoi": "Cảnh báo nhóm chỉ số dưới các tỷ lệ (%) điểm tối đa này.",
}


@dataclass(frozen=True)
class InputColumn:
    header: str
    prompt: str
    low: float | None = None  # None: a text column
    high: float | None = None  # None: no upper bound
    whole: bool = False
    percent: bool = False  # formatted %: 95 and 95% both store 0,95


def scores_columns(indicator_set: IndicatorSet) -> list[InputColumn]:
    """Nhập liệu: a percent for an indicator scored from a ratio, else its points."""
    columns = [InputColumn(UNIT_NAME, "Tên đơn vị, ví dụ UBND xã Quài Tở."),
               InputColumn(UNIT_CODE, "Mã đơn vị (không bắt buộc).")]
    for group in indicator_set.groups:
        for indicator in group.indicators:
            if indicator.takes_ratio:
                columns.append(InputColumn(f"{indicator.code}%", f"{indicator.name}: tỷ lệ, gõ 95 "
                                           f"hoặc 95% (tối đa {indicator.max_points:g} điểm).",
                                           0, 1, percent=True))
            else:
                columns.append(InputColumn(indicator.code, f"{indicator.name}: điểm từ 0 đến "
                                           f"{indicator.max_points:g}.", 0, indicator.max_points))
        if group.points_column or not group.indicators:
            columns.append(InputColumn(group.code, f"{group.name}: điểm cả nhóm từ 0 đến "
                                       f"{group.max_points:g}, chỉ khi không nhập các chỉ số "
                                       "của nhóm.", 0, group.max_points))
    # last, so templates filled before it keep every column where it was
    return columns + [InputColumn(UNIT_KIND, "Loại đơn vị (không bắt buộc), ví dụ Sở, ban, "
                                  "ngành; UBND cấp xã. Dòng của chính cơ quan báo cáo ghi "
                                  f"'{OFFICE_KIND}'.")]


def compatible_sets(indicator_set: IndicatorSet) -> list[str]:
    """Sets that accept every column of this template's Nhập liệu (the list on Cấu hình)."""
    headers = {c.header for c in scores_columns(indicator_set)} - {UNIT_NAME, UNIT_CODE, UNIT_KIND}
    return [i for i in available_sets() if headers <= set(column_roles(load_indicator_set(i)))]


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour.lstrip("#"))


def _letter(columns: list, name: str) -> str:
    return get_column_letter(columns.index(name) + 1)


def _header(sheet, names: list[str | None], widths: dict[int, float] | None = None) -> None:
    """Row 1 styled as a header; a None name leaves the cell to a formula."""
    for position, name in enumerate(names, start=1):
        cell = sheet.cell(1, position)
        if name is not None:
            set_text(cell, name)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(position)].width = (widths or {}).get(
            position, 30 if position == 1 else 13)
    sheet.freeze_panes = "B2"
    _printable(sheet)


def _printable(sheet) -> None:
    """A4 landscape, one page wide, header row repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _validate(sheet, column: InputColumn, letter: str) -> None:
    kind = "whole" if column.whole else "decimal"
    if column.low is None:
        rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="255")
    elif column.high is None:
        rule = DataValidation(type=kind, operator="greaterThanOrEqual",
                              formula1=f"{column.low:g}")
        rule.error = "Nhập số nguyên, không âm." if column.whole else "Nhập số không âm."
    else:
        rule = DataValidation(type=kind, operator="between", formula1=f"{column.low:g}",
                              formula2=f"{column.high:g}")
        rule.error = ("Nhập tỷ lệ từ 0% đến 100%: gõ 95 hoặc 95%." if column.percent else
                      f"Nhập số từ {short_number(column.low)} đến {short_number(column.high)}"
                      + (", số nguyên." if column.whole else "."))
    if column.low is not None:
        rule.errorTitle, rule.showErrorMessage = "Số liệu không hợp lệ", True
    rule.promptTitle, rule.prompt, rule.showInputMessage = column.header[:32], column.prompt[
        :255], True
    rule.add(f"{letter}2:{letter}{_LAST_ROW}")
    sheet.add_data_validation(rule)


def _input_table(sheet, name: str, columns: list[InputColumn], derived: dict[str, str],
                 labels: dict[str, str] | None = None) -> None:
    """An Excel Table of UNIT_ROWS rows; ``derived`` columns hold formulas ({r} = row). With
    ``labels``, a header reads as words a clerk knows; the reader takes the label or the key."""
    headers = [(labels or {}).get(h, h) for h in [c.header for c in columns] + list(derived)]
    _header(sheet, headers, dict.fromkeys(range(2, len(headers) + 1), 16) if labels else None)
    if labels:
        sheet.row_dimensions[1].height = 48  # labels wrap on up to three lines
    for position, column in enumerate(columns, start=1):
        _validate(sheet, column, get_column_letter(position))
        if column.low is not None:
            number_format = "0.00%" if column.percent else "0" if column.whole else "0.00"
            for row in range(2, _LAST_ROW + 1):
                sheet.cell(row, position).number_format = number_format
    for offset, formula in enumerate(derived.values(), start=len(columns) + 1):
        for row in range(2, _LAST_ROW + 1):
            cell = sheet.cell(row, offset, formula.format(r=row))
            cell.number_format = "0.00%" if "/" in formula else "#,##0"
            cell.font = Font(italic=True)
    sheet.add_table(Table(displayName=name, ref=f"A1:{get_column_letter(len(headers))}"
                                               f"{_LAST_ROW}", tableStyleInfo=_STYLE))


def _settings(book, indicator_set: IndicatorSet, own: bool) -> None:
    sheet = book.create_sheet(SETTINGS_SHEET)
    _header(sheet, ["khoa", "gia_tri", "Giải thích"], {1: 32, 2: 50, 3: 80})
    target = indicator_set.targets.get(ONLINE_PAYMENT)
    values = {f.name: f.default for f in fields(ReportSettings)} | {
        "bo_chi_so": indicator_set.id,
        "chi_tieu_thanh_toan_truc_tuyen": target.percent if target else None}
    for row, (key, value) in enumerate(values.items(), start=2):
        set_text(sheet.cell(row, 1), key)
        cell = sheet.cell(row, 2)
        if isinstance(value, float | int):
            cell.value = value
        else:
            cell.number_format = "@"  # "2026-10" must stay text, not become a date
            set_text(cell, value or None)
        set_text(sheet.cell(row, 3), SETTING_HELP[key])
        name = {"bo_chi_so": SET_NAME, "chi_tieu_thanh_toan_truc_tuyen": TARGET_NAME}.get(key)
        if name:
            book.defined_names[name] = DefinedName(name, attr_text=f"'{SETTINGS_SHEET}'!$B${row}")
        if key == "bo_chi_so":
            choices = ",".join([indicator_set.id] * own + compatible_sets(indicator_set))
            choice = DataValidation(type="list", formula1=f'"{choices}"', showErrorMessage=True,
                                    errorTitle="Bộ chỉ số", error="Chọn một bộ trong danh sách.")
            choice.add(f"B{row}")
            sheet.add_data_validation(choice)


def _results(book, indicator_set: IndicatorSet) -> None:
    sheet = book.create_sheet(RESULTS_SHEET)
    columns = results.result_columns(indicator_set)
    # The header is plain text and the formula fills the rows below it: with macros off or
    # Python missing, the sheet still says what it is and what to do.
    _header(sheet, columns, {len(columns): 60})
    last = get_column_letter(len(columns))
    sheet["A2"] = ArrayFormula(f"A2:{last}{_LAST_ROW}",
                               f"=CHISO_BANG({SCORES_TABLE}[#All],{SET_NAME},TRUE,FALSE)")
    band = _letter(columns, results.BAND)
    scored = [results.TOTAL, results.CONVERTED] if results.converts(indicator_set) else [
        results.TOTAL]
    for name in [*(g.code for g in indicator_set.groups), *scored, results.APPLICABLE_MAX]:
        if name in columns:
            letter = _letter(columns, name)
            for row in range(2, _LAST_ROW + 1):
                sheet[f"{letter}{row}"].number_format = "0.00"
    for position, item in enumerate(indicator_set.classification.bands):
        fill = _fill(band_fill(position))
        label = item.label.replace('"', '""')
        sheet.conditional_formatting.add(f"{band}2:{band}{_LAST_ROW}", CellIsRule(
            operator="equal", formula=[f'"{label}"'], fill=fill))
        for name in scored:
            letter = _letter(columns, name)
            sheet.conditional_formatting.add(f"{letter}2:{letter}{_LAST_ROW}", FormulaRule(
                formula=[f'${band}2="{label}"'], fill=fill))
    _band_counts(sheet, indicator_set, len(columns) + 2, band)
    note = sheet.cell(len(indicator_set.classification.bands) + 4, len(columns) + 2)
    set_text(note, MACROS_NEEDED)
    note.alignment = Alignment(wrap_text=True, vertical="top")


def _band_counts(sheet, indicator_set: IndicatorSet, column: int, band: str) -> None:
    """Native COUNTIFs beside the results: how many units in each band."""
    label_letter, count_letter = get_column_letter(column), get_column_letter(column + 1)
    set_text(sheet.cell(1, column), results.BAND)
    set_text(sheet.cell(1, column + 1), "Số đơn vị")
    for cell in (sheet.cell(1, column), sheet.cell(1, column + 1)):
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    sheet.column_dimensions[label_letter].width = 24
    bands = indicator_set.classification.bands
    for row, item in enumerate(bands, start=2):
        set_text(sheet.cell(row, column), item.label)
        sheet.cell(row, column).fill = _fill(band_fill(row - 2))
        sheet.cell(row, column + 1, f"=COUNTIF(${band}$2:${band}${_LAST_ROW},{label_letter}{row})")
    total_row = len(bands) + 2
    set_text(sheet.cell(total_row, column), "Tổng số")
    sheet.cell(total_row, column).font = _BOLD
    sheet.cell(total_row, column + 1, f"=SUM({count_letter}2:{count_letter}{total_row - 1})")


def _fees(book) -> None:
    sheet = book.create_sheet(FEES_SHEET)
    columns = [InputColumn(UNIT_NAME, "Tên đơn vị."), InputColumn(UNIT_CODE, "Mã đơn vị.")] + [
        InputColumn(name, "Số nguyên, không âm (số hồ sơ, số thủ tục hoặc số tiền, đồng).",
                    0, None, whole=True) for name in FEE_INPUTS]
    names = [c.header for c in columns]
    count, fee = (lambda prefix: f"{_letter(names, prefix + '_so_ho_so')}{{r}}",
                  lambda prefix: f"{_letter(names, prefix + '_phi')}{{r}}")
    parts = ("chua_tt", "truc_tiep", "truc_tuyen")
    counts, fees = ",".join(count(p) for p in parts), ",".join(fee(p) for p in parts)
    total = get_column_letter(len(names) + 1)
    derived = {"tong_so_ho_so": f'=IF(COUNT({counts})=0,"",SUM({counts}))',
               "tong_phi": f'=IF(COUNT({fees})=0,"",SUM({fees}))',
               "ty_le_truc_tuyen": f'=IF(N({total}{{r}})=0,"",{count("truc_tuyen")}/{total}{{r}})'}
    _input_table(sheet, FEES_TABLE, columns, derived, COLUMN_LABELS)
    share = get_column_letter(len(names) + 3)
    sheet.conditional_formatting.add(f"{share}2:{share}{_LAST_ROW}", FormulaRule(
        formula=[f"AND(ISNUMBER(${share}2),${share}2*100<{TARGET_NAME})"],
        fill=_fill(BELOW_TARGET_FILL)))


def _digitisation(book) -> None:
    sheet = book.create_sheet(DIGITISATION_SHEET)
    columns = [InputColumn(UNIT_NAME, "Tên đơn vị."), InputColumn(UNIT_CODE, "Mã đơn vị.")] + [
        InputColumn(name, "Số hồ sơ: số nguyên, không âm.", 0, None, whole=True)
        for name in DIGITISATION_INPUTS]
    names = [c.header for c in columns]
    cell = {name: f"{_letter(names, name)}{{r}}" for name in DIGITISATION_INPUTS}
    derived = {}
    for part, whole, suffix in (("co_so_hoa_tphs", "tiep_nhan", "tphs"),
                                ("co_so_hoa_ket_qua", "da_giai_quyet", "ket_qua")):
        derived[f"chua_so_hoa_{suffix}"] = (f'=IF(COUNT({cell[whole]},{cell[part]})<2,"",'
                                            f"{cell[whole]}-{cell[part]})")
        derived[f"ty_le_{suffix}"] = f'=IF(N({cell[whole]})=0,"",{cell[part]}/{cell[whole]})'
    _input_table(sheet, DIGITISATION_TABLE, columns, derived, COLUMN_LABELS)


def _guide(sheet, indicator_set: IndicatorSet) -> None:
    from xl766.excel import udfs  # the module, for the guide's list of functions

    sheet.delete_rows(1, sheet.max_row)
    blank = ("Ô để trống là chỉ số không áp dụng cho đơn vị: điểm tối đa áp dụng giảm tương ứng "
             "và tổng điểm được quy đổi." if indicator_set.blank.means is BlankMeans.NOT_APPLICABLE
             else "Ô để trống là chưa có số liệu (không phải 0 điểm): đơn vị chưa có tổng điểm.")
    if indicator_set.indicator_decimals is not None:
        blank += (f" Điểm mỗi chỉ số được làm tròn nửa lên đến {indicator_set.indicator_decimals} "
                  "chữ số thập phân như Cổng DVCQG; điểm nhóm là tổng các điểm đã làm tròn.")
    lines = [
        (f"Bảng chấm điểm {indicator_set.name} ({indicator_set.id})", True),
        ("1. Trang Cấu hình: ghi tên cơ quan, kỳ báo cáo (2026-10, 2026-Q3), người lập biểu; "
         "chọn bộ chỉ số trong danh sách.", False),
        ("2. Trang Nhập liệu: mỗi đơn vị một dòng. Cột có dấu % là tỷ lệ, ô định dạng %: gõ 95 "
         "hoặc 95% đều là 95%; cột chỉ có mã là điểm, từ 0 đến điểm tối đa. " + blank, False),
        ("3. Trang Kết quả tự tính bằng Python: điểm nhóm, tổng điểm, xếp loại, xếp hạng, tô màu "
         "theo xếp loại. Cột Ghi chú nêu lỗi của từng dòng.", False),
        ("4. Trang Phí, lệ phí và Số hóa: số liệu Biểu số 02 và 03 (số nguyên). Cột tổng và tỷ lệ "
         "tự tính; tỷ lệ thanh toán trực tuyến dưới chỉ tiêu tô đỏ.", False),
        ("5. Thẻ Báo cáo 766: Kiểm tra số liệu liệt kê mọi lỗi ở trang Lỗi dữ liệu (bấm vào ô để "
         "đến chỗ sai); Tạo báo cáo ghi tệp Biểu 01, 02, 03 cạnh tệp này.", False),
        ("6. Lấy số liệu từ Cổng: chọn thư mục câu trả lời đã tải (xl766 tai-cong), hoặc bấm Hủy "
         "để tải mới theo ma_tinh_cong và ky_bao_cao; Nhập liệu được điền lại sau khi hỏi.",
         False),
        ("", False), ("Hàm dùng được trong ô (dấu ; hay , tùy máy)", True)]
    for name in sorted(n for n in dir(udfs) if n.startswith("CHISO_")):
        function = getattr(udfs, name)
        arguments = [p for p in inspect.signature(function).parameters if p != "caller"]
        lines.append((f"={name}({'; '.join(arguments)}): {inspect.getdoc(function)}", False))
    lines += [("", False), ("Xếp loại (điểm từ ngưỡng trở lên)", True)]
    first_band = len(lines) + 1
    lines += [(f"{b.label}: từ {b.min_points:g} điểm", False)
              for b in indicator_set.classification.bands]
    lines += [("", False), ("Các chỉ số", True)]
    lines += [(f"{i.code} ({i.max_points:g} điểm): {i.name}", False)
              for i in indicator_set.indicators]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row, 1)
        set_text(cell, text or None)
        cell.font = Font(bold=bold, size=14 if row == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # Readers do not all grow a wrapped row by themselves: give it its lines.
        sheet.row_dimensions[row].height = 16 * (1 + len(text) // (_GUIDE_CHARACTERS_PER_LINE - 25))
    for position in range(len(indicator_set.classification.bands)):
        sheet.cell(first_band + position, 1).fill = _fill(band_fill(position))
    sheet.column_dimensions["A"].width = _GUIDE_CHARACTERS_PER_LINE
    _printable(sheet)


def _config(sheet) -> None:
    """xlwings reads its settings from A1 down with no gap."""
    sheet.delete_rows(1, sheet.max_row)
    for row, (key, value) in enumerate((
            ("Interpreter_Win", INTERPRETER), ("UDF Modules", UDF_MODULE),
            ("Use UDF Server", True), ("ADD_WORKBOOK_TO_PYTHONPATH", False),
            ("Show Console", False)), start=1):
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, value)
    sheet.title, sheet.sheet_state = CONFIG_SHEET, "hidden"


def _embedded_set(book, own_set: str) -> None:
    """A province's own set travels inside its template, so every reader of the workbook (the
    report, the checks, the worksheet functions) scores with exactly that file."""
    sheet = book.create_sheet(SET_SHEET)
    sheet.sheet_state = "hidden"
    set_text(sheet.cell(1, 1), "bo_chi_so_toml")
    for row, start in enumerate(range(0, len(own_set), _CELL_CHARACTERS), start=2):
        set_text(sheet.cell(row, 1), own_set[start:start + _CELL_CHARACTERS])


def lay_out(book, indicator_set: IndicatorSet, own_set: str | None = None) -> None:
    """Turn xlwings' standalone quickstart book into the xl766 template; ``own_set``, the file
    of a set that is not bundled, is carried in the workbook."""
    guide, config = book.worksheets
    guide.title = GUIDE_SHEET
    _guide(guide, indicator_set)
    _settings(book, indicator_set, own=bool(own_set))
    _input_table(book.create_sheet(SCORES_SHEET), SCORES_TABLE, scores_columns(indicator_set), {})
    _results(book, indicator_set)
    _fees(book)
    _digitisation(book)
    if own_set:
        _embedded_set(book, own_set)
    _config(config)
    book.move_sheet(config, offset=len(book.worksheets) - 1 - book.worksheets.index(config))
    book.active = 0
