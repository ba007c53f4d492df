"""Worksheet functions for Excel (xlwings UDFs): ``=CHISO_DIEM(...)`` and friends.

Thin on purpose: each function puts its arguments into the engine's own input shape and reads
the answer back, so a cell computes exactly what ``xl766 cham-diem`` computes. A bad argument
comes back as a short Vietnamese text starting with "Lỗi:", never as a traceback. A missing
value comes back as an empty text: missing is not zero.

On Linux the xlwings decorators attach nothing, so this module imports and tests as plain
Python; the workbook build re-reads it with the real decorators to write the VBA wrappers.
UDF arguments carry no type hints: xlwings would take them as converters.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
import xlwings as xw

from xl766.catalog import CatalogError, available_sets, load_indicator_set
from xl766.catalog.models import BlankMeans, ConversionMethod, Indicator, IndicatorSet, Rule
from xl766.engine.appendices import rate
from xl766.engine.exact import TICKS, as_ticks
from xl766.engine.inputs import Role, numerator_above_message, shown, value_problem
from xl766.engine.numbers import parse_number, parse_numbers
from xl766.engine.scoring import (
    classify,
    competition_rank,
    convert,
    entered_ticks,
    indicator_points,
)
from xl766.excel.results import TableError, result_table
from xl766.report.inputs import SET_SHEET, joined_set_text

SET_NAME = "BO_CHI_SO"  # the workbook-level name of the Cấu hình cell holding the set's id
CATEGORY = "xl766"


class ArgumentError(Exception):
    """Shown in the cell as "Lỗi: <message>"."""


def _in_cell(compute):
    """Run ``compute`` and turn an argument error into the cell's text."""
    try:
        return compute()
    except ArgumentError as error:
        return f"Lỗi: {error}"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def _shown(value: float):
    """NaN (no score) becomes an empty text: Excel would show an empty return as 0."""
    return "" if value is None or value != value else float(value)


@functools.lru_cache(maxsize=16)
def _load(reference: str, embedded: str | None = None) -> IndicatorSet:
    try:
        return load_indicator_set(reference, embedded=embedded)
    except CatalogError as error:
        raise ArgumentError(str(error)) from None


def _workbook_set(caller) -> str | None:
    """The set file a template built from a province's own set carries (Excel only)."""
    try:
        cells = caller.sheet.book.sheets[SET_SHEET].range("A2").expand("down").value
    except Exception:  # no caller (plain Python), no such sheet, or a COM error: none
        return None
    return joined_set_text(cells if isinstance(cells, list) else [cells])


def _workbook_choice(caller) -> str | None:
    """The set chosen on Cấu hình, read through the calling cell's workbook (Excel only)."""
    try:
        return caller.sheet.book.names[SET_NAME].refers_to_range.value
    except Exception:  # no caller (plain Python), no such name, or a COM error: not chosen
        return None


def _indicator_set(bo_chi_so, caller) -> IndicatorSet:
    reference = bo_chi_so if not _blank(bo_chi_so) else _workbook_choice(caller)
    if _blank(reference):
        raise ArgumentError("chưa chọn bộ chỉ số (trang Cấu hình, ô bo_chi_so)")
    reference = str(reference).strip()
    if reference in available_sets():
        return _load(reference)
    return _load(reference, _workbook_set(caller))


def _named(items, code, kind: str, indicator_set: IndicatorSet):
    """The indicator or group with this code."""
    code = str(code or "").strip()
    found = next((item for item in items if item.code == code), None)
    if found is None:
        raise ArgumentError(f"không có {kind} '{code}' trong bộ {indicator_set.id}")
    return found


def _number(value, label: str) -> float:
    """One number as a clerk types it ("95,5", "1.229"); blank is NaN; text is an error."""
    parsed = parse_numbers(pd.Series([value], dtype=object))
    if parsed.unreadable[0]:
        raise ArgumentError(f"{label} '{value}' không phải là số")
    if parsed.values[0] < 0:
        raise ArgumentError(f"{label} không được âm")
    return float(parsed.values[0])


def _cells(values) -> list:
    """A range, a row, a column or one cell, as a flat list in reading order."""
    if not isinstance(values, list | tuple):
        return [values]
    return [cell for row in values for cell in (row if isinstance(row, list | tuple) else [row])]


@xw.func(category=CATEGORY)
@xw.arg("ma_chi_so", doc="Mã chỉ số, ví dụ \"CKMB.1\".")
@xw.arg("gia_tri", doc="Tỷ lệ % (0-100) hoặc điểm nếu chỉ số nhập điểm; là tử số khi có mẫu số.")
@xw.arg("mau_so", doc="Mẫu số (không bắt buộc); khi có, gia_tri là tử số.")
@xw.arg("bo_chi_so", doc="Mã bộ chỉ số (không bắt buộc; mặc định lấy ở trang Cấu hình).")
def CHISO_DIEM(ma_chi_so, gia_tri, mau_so=None, bo_chi_so=None, caller=None):
    """Điểm của một chỉ số, tính từ tỷ lệ %, từ tử số/mẫu số, hoặc điểm nhập trực tiếp."""
    def compute():
        indicator_set = _indicator_set(bo_chi_so, caller)
        indicator = _named(indicator_set.indicators, ma_chi_so, "chỉ số", indicator_set)
        code = indicator.code
        if _blank(mau_so):  # one cell, read and checked as the engine reads a table's
            role = Role.PERCENT if indicator.takes_ratio else Role.POINTS
            limit = None if indicator.rule is Rule.MONITOR else indicator.max_points
            value, wrong = _read(gia_tri, role, limit)
            if wrong:
                raise ArgumentError(wrong)
            given = {"percent" if indicator.takes_ratio else "points": value}
        elif not indicator.takes_ratio:
            raise ArgumentError(f"chỉ số {code} nhập điểm trực tiếp, không có mẫu số")
        else:
            numerator, denominator = _counts(gia_tri, mau_so, code,
                                             f"có mẫu số nhưng thiếu tử số của {code}")
            given = {"numerator": numerator, "denominator": denominator}
        return _shown(indicator_points(indicator, indicator_set, **given))
    return _in_cell(compute)


@xw.func(category=CATEGORY)
@xw.arg("tu_so", doc="Tử số: số hồ sơ (TTHC, PAKN …) đã đạt yêu cầu.")
@xw.arg("mau_so", doc="Mẫu số: tổng số hồ sơ.")
@xw.arg("ma_chi_so", doc="Mã chỉ số, ví dụ \"TDGQ.1\".")
@xw.arg("bo_chi_so", doc="Mã bộ chỉ số (không bắt buộc; mặc định lấy ở trang Cấu hình).")
def CHISO_CANTHEM(tu_so, mau_so, ma_chi_so, bo_chi_so=None, caller=None):
    """Số hồ sơ cần đạt thêm để chỉ số được đủ điểm (mẫu số giữ nguyên)."""
    def compute():
        from xl766.engine.plans import dossiers_to_full

        indicator_set = _indicator_set(bo_chi_so, caller)
        indicator = _named(indicator_set.indicators, ma_chi_so, "chỉ số", indicator_set)
        if not indicator.takes_ratio or indicator.rule is Rule.MONITOR:
            raise ArgumentError(f"chỉ số {indicator.code} không tính từ tử số/mẫu số")
        numerator, denominator = _counts(tu_so, mau_so, indicator.code,
                                         "cần cả tử số và mẫu số")
        return dossiers_to_full(indicator, indicator_set, int(numerator), int(denominator))
    return _in_cell(compute)


def _counts(numerator_cell, denominator_cell, code: str, missing: str) -> tuple[float, float]:
    """A numerator and a denominator read and checked as the engine checks a table's pair;
    ``missing`` is said when either is blank."""
    (numerator, wrong), (denominator, also_wrong) = (
        _read(numerator_cell, Role.NUMERATOR), _read(denominator_cell, Role.DENOMINATOR))
    problems = [p for p in (wrong, also_wrong) if p]  # in the engine's order
    if numerator is None or denominator is None:
        problems.append(missing)
    elif not problems and denominator < numerator:
        problems.append(numerator_above_message(numerator, denominator, code))
    if problems:
        raise ArgumentError("; ".join(problems))
    return numerator, denominator


def _checked(value, role: Role, limit: float | None, label: str) -> float:
    """An argument that must hold a valid number (NaN when blank), checked as the engine checks
    a table's cell."""
    number, wrong = _read(value, role, limit)
    if wrong:
        raise ArgumentError(wrong if wrong.startswith(label) else f"{label}: {wrong}")
    return math.nan if number is None else number


def _read(value, role: Role, limit: float | None = None) -> tuple[float | None, str | None]:
    """An argument read and checked as the engine reads a table's cell: (number, problem)."""
    number = parse_number(value, whole=role in (Role.NUMERATOR, Role.DENOMINATOR))
    return number, value_problem(number, shown(value), role, limit)


def _points_sum(items, cells, indicator_set: IndicatorSet):
    """Points typed for indicators (rounded as the set rounds them) or for groups, summed
    exactly, with the engine's rules for a blank: "" when one is missing, or when none applies.
    The engine's one-row answer, without building a table (a hundredth of a millisecond)."""
    missing_means_missing = indicator_set.blank.means is BlankMeans.MISSING
    total, missing, applicable, problems = 0, False, False, []
    for item, cell in zip(items, cells, strict=True):
        indicator = isinstance(item, Indicator)
        monitored = indicator and item.rule is Rule.MONITOR
        role = Role.POINTS if indicator else Role.GROUP_POINTS
        value, wrong = _read(cell, role, None if monitored else item.max_points)
        if wrong:
            problems.append(wrong)
            # a bad indicator cell is a missing score; a bad group cell is as if not typed
            applicable |= indicator and not monitored
            missing |= not indicator and missing_means_missing
        elif value is None:
            missing |= missing_means_missing and not monitored
        else:
            applicable = True
            if indicator:
                total += int(entered_ticks(item, indicator_set, np.array([value]))[0])
            else:
                total += int(as_ticks(np.array([value]))[0][0])
    entered = any(cell not in (None, "") for cell in cells)  # all blank: not scored, no error
    if entered and not applicable and not missing and (
            indicator_set.conversion.method is ConversionMethod.APPLICABLE_MAX):
        problems.append("không chỉ số nào áp dụng cho đơn vị: không quy đổi được điểm")
    if problems:
        raise ArgumentError("; ".join(problems))
    return "" if missing or not applicable else total / TICKS


@xw.func(category=CATEGORY)
@xw.arg("ma_nhom", doc="Mã nhóm chỉ số, ví dụ \"CKMB\".")
@xw.arg("diem_chi_so", ndim=2, doc="Điểm các chỉ số của nhóm, theo thứ tự trong bộ chỉ số.")
@xw.arg("bo_chi_so", doc="Mã bộ chỉ số (không bắt buộc; mặc định lấy ở trang Cấu hình).")
def CHISO_NHOM(ma_nhom, diem_chi_so, bo_chi_so=None, caller=None):
    """Điểm một nhóm chỉ số: tổng điểm các chỉ số thành phần (ô trống theo quy định của bộ)."""
    def compute():
        indicator_set = _indicator_set(bo_chi_so, caller)
        group = _named(indicator_set.groups, ma_nhom, "nhóm", indicator_set)
        points = _cells(diem_chi_so)
        parts = list(group.indicators) or [group]
        if len(points) != len(parts):
            raise ArgumentError(f"nhóm {group.code} có {len(parts)} chỉ số "
                                f"({', '.join(p.code for p in parts)}), vùng điểm có "
                                f"{len(points)} ô")
        return _points_sum(parts, points, indicator_set)
    return _in_cell(compute)


@xw.func(category=CATEGORY)
@xw.arg("diem_nhom", ndim=2, doc="Điểm các nhóm, theo thứ tự nhóm trong bộ chỉ số.")
@xw.arg("bo_chi_so", doc="Mã bộ chỉ số (không bắt buộc; mặc định lấy ở trang Cấu hình).")
def CHISO_TONG(diem_nhom, bo_chi_so=None, caller=None):
    """Tổng điểm đạt được: tổng điểm các nhóm; trống khi còn nhóm chưa có số liệu."""
    def compute():
        indicator_set = _indicator_set(bo_chi_so, caller)
        points = _cells(diem_nhom)
        codes = [g.code for g in indicator_set.groups]
        if len(points) != len(codes):
            raise ArgumentError(f"bộ {indicator_set.id} có {len(codes)} nhóm "
                                f"({', '.join(codes)}), vùng điểm có {len(points)} ô")
        return _points_sum(indicator_set.groups, points, indicator_set)
    return _in_cell(compute)


@xw.func(category=CATEGORY)
@xw.arg("diem", doc="Tổng điểm đạt được.")
@xw.arg("toi_da_ap_dung", doc="Tổng điểm tối đa của các chỉ số áp dụng cho đơn vị.")
@xw.arg("bo_chi_so", doc="Mã bộ chỉ số (không bắt buộc; mặc định lấy ở trang Cấu hình).")
def CHISO_QUYDOI(diem, toi_da_ap_dung, bo_chi_so=None, caller=None):
    """Tổng điểm quy đổi về thang điểm của bộ chỉ số khi có chỉ số không áp dụng."""
    def compute():
        indicator_set = _indicator_set(bo_chi_so, caller)
        maximum = _checked(toi_da_ap_dung, Role.POINTS, indicator_set.total_max,
                           "điểm tối đa áp dụng")
        if indicator_set.conversion.method is ConversionMethod.APPLICABLE_MAX and maximum == 0:
            raise ArgumentError("điểm tối đa áp dụng bằng 0: không quy đổi được")
        total = _checked(diem, Role.POINTS, maximum, "điểm")
        return _shown(convert(indicator_set, np.array([total]), np.array([maximum]))[0])
    return _in_cell(compute)


@xw.func(category=CATEGORY)
@xw.arg("diem", doc="Tổng điểm (đã quy đổi nếu bộ chỉ số có quy đổi).")
@xw.arg("bo_chi_so", doc="Mã bộ chỉ số (không bắt buộc; mặc định lấy ở trang Cấu hình).")
def CHISO_XEPLOAI(diem, bo_chi_so=None, caller=None):
    """Xếp loại theo ngưỡng điểm của bộ chỉ số (so sánh điểm chưa làm tròn)."""
    def compute():
        indicator_set = _indicator_set(bo_chi_so, caller)
        score = _checked(diem, Role.POINTS, indicator_set.total_max, "điểm")
        label = classify(indicator_set, np.array([score]))[0]
        return label or ""
    return _in_cell(compute)


@xw.func(category=CATEGORY)
@xw.arg("diem", doc="Điểm của đơn vị cần xếp hạng.")
@xw.arg("vung", ndim=2, doc="Điểm của tất cả các đơn vị.")
def CHISO_XEPHANG(diem, vung):
    """Thứ hạng (1 là cao nhất); các đơn vị bằng điểm cùng hạng, hạng sau bị bỏ qua."""
    def compute():
        score = _number(diem, "điểm")
        if math.isnan(score):
            return ""
        others = [_number(cell, "ô trong vùng") for cell in _cells(vung)
                  if not isinstance(cell, str) or not cell.strip().startswith("Lỗi")]
        values = np.array([v for v in others if not math.isnan(v)] + [score])
        return int(competition_rank(values, pd.RangeIndex(len(values))).iloc[-1])
    return _in_cell(compute)


@xw.func(category=CATEGORY)
@xw.arg("tu", doc="Tử số (số hồ sơ, số thủ tục...).")
@xw.arg("mau", doc="Mẫu số.")
def CHISO_TYLE(tu, mau):
    """Tỷ lệ % = tử số / mẫu số × 100; trống khi thiếu số liệu."""
    def compute():
        numerator = _checked(tu, Role.NUMERATOR, None, "tử số")
        denominator = _checked(mau, Role.DENOMINATOR, None, "mẫu số")
        if denominator == 0:
            raise ArgumentError("mẫu số bằng 0 (không phát sinh)")
        if numerator > denominator:
            raise ArgumentError("tử số lớn hơn mẫu số")
        return _shown(rate(np.array([numerator]), np.array([denominator]))[0] * 100)
    return _in_cell(compute)


@xw.func(category=CATEGORY)
@xw.arg("bang", ndim=2, doc="Cả bảng Nhập liệu, có dòng tiêu đề (ví dụ NhapLieu[#All]).")
@xw.arg("bo_chi_so", doc="Mã bộ chỉ số (không bắt buộc; mặc định lấy ở trang Cấu hình).")
@xw.arg("phan_so", doc="TRUE khi các cột tỷ lệ định dạng % (95% lưu là 0,95); mặc định FALSE.")
@xw.arg("tieu_de", doc="FALSE để bỏ dòng tiêu đề của kết quả; mặc định TRUE.")
def CHISO_BANG(bang, bo_chi_so=None, phan_so=False, tieu_de=True, caller=None):
    """Chấm cả bảng trong một lần gọi: điểm nhóm, tổng, quy đổi, xếp loại, xếp hạng."""
    try:
        table = result_table(bang, _indicator_set(bo_chi_so, caller), fractions=phan_so is True,
                             with_header=tieu_de is not False)
    except (ArgumentError, TableError) as error:
        table = [[f"Lỗi: {error}"]]
    return _fit(table, getattr(caller, "shape", None))


def _fit(table: list[list], shape: tuple[int, int] | None) -> list[list]:
    """Pad with empty text to the array formula's size (a legacy array shows #N/A in cells the
    answer does not reach); when the formula is too small, say so in its last row."""
    if shape is None or shape == (1, 1):  # entered in one cell: Excel 365 spills the answer
        return table
    rows, columns = shape
    if len(table) > rows:
        hidden = len(table) - rows + 1
        table = table[:rows - 1] + [[f"Lỗi: vùng kết quả thiếu {hidden} dòng; mở rộng công thức "
                                     "mảng cho đủ số đơn vị"]]
    return [list(row[:columns]) + [""] * (columns - len(row[:columns])) for row in table] + [
        [""] * columns for _ in range(rows - len(table))]
