"""The worksheet functions as plain Python (on Linux xlwings' decorators attach nothing), with
hand-computed values; then the ribbon's Python side against a stand-in for the Excel book."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import EXAMPLES
from xl766.catalog import load_indicator_set
from xl766.engine.findings import Level
from xl766.excel import checks, ribbon
from xl766.excel.udfs import (
    CHISO_BANG,
    CHISO_DIEM,
    CHISO_NHOM,
    CHISO_QUYDOI,
    CHISO_TONG,
    CHISO_TYLE,
    CHISO_XEPHANG,
    CHISO_XEPLOAI,
)

NATIONAL, DIENBIEN = "766-2026", "dienbien-459-2023"


@pytest.mark.parametrize(("code", "value", "denominator", "points"), [
    ("CKMB.1", 95, None, 5.7),  # linear, 6 points: 95% × 6
    ("CKMB.1", 19, 20, 5.7),  # the same from counts
    ("CKMB.1", "95,5", None, 5.73),  # typed with a decimal comma
    ("DVCTT.3", 30, None, 3.6),  # target 50%, 6 points: 30 / 50 × 6
    ("DVCTT.3", 50, None, 6.0),
    ("DVCTT.3", 80, None, 6.0),  # above the target: full points
    ("DVCTT.1", 40, None, 1.0),  # target 80%, 2 points
    ("CKMB.1", 13, 16, 4.88),  # 6 × 13/16 = 4,875, half-up to 2 decimals like the portal
    ("SHHS.6", 1, 16, 0.13),  # 2 × 1/16 = 0,125 → 0,13 (not 0,12)
])
def test_points_of_one_indicator(code, value, denominator, points):
    assert CHISO_DIEM(code, value, denominator, NATIONAL) == pytest.approx(points, abs=1e-12)


def test_points_entered_directly_and_missing():
    assert CHISO_DIEM("CKMB.3", 7.5, None, DIENBIEN) == 7.5
    assert CHISO_DIEM("CKMB.1", None, None, NATIONAL) == ""  # missing is not zero


@pytest.mark.parametrize(("arguments", "message"), [
    (("CKMB.1", 130, None, NATIONAL), "Lỗi: tỷ lệ 130% vượt quá 100%"),
    (("CKMB.1", 5, 4, NATIONAL), "Lỗi: tử số (5) lớn hơn mẫu số (4) của CKMB.1"),
    (("CKMB.1", "abc", None, NATIONAL), "Lỗi: 'abc' không phải là số"),
    (("CKMB.9", 30, None, NATIONAL), "Lỗi: không có chỉ số 'CKMB.9' trong bộ 766-2026"),
    (("CKMB.3", 12, None, DIENBIEN), "Lỗi: điểm 12 vượt điểm tối đa 10"),
    (("CKMB.3", 5, 10, DIENBIEN), "Lỗi: chỉ số CKMB.3 nhập điểm trực tiếp, không có mẫu số"),
    (("CKMB.1", 95, None, None), "Lỗi: chưa chọn bộ chỉ số (trang Cấu hình, ô bo_chi_so)"),
])
def test_bad_arguments_give_a_vietnamese_text(arguments, message):
    assert CHISO_DIEM(*arguments) == message


def test_unknown_set_names_itself():
    assert CHISO_DIEM("CKMB.1", 95, None, "khong-co").startswith("Lỗi: ")
    assert "khong-co" in CHISO_DIEM("CKMB.1", 95, None, "khong-co")


class _Caller:
    """The calling cell as xlwings passes it: its workbook has the name BO_CHI_SO."""

    def __init__(self, chosen):
        name = type("Name", (), {"refers_to_range": type("Range", (), {"value": chosen})()})()
        book = type("Book", (), {"names": {"BO_CHI_SO": name}})()
        self.sheet = type("Sheet", (), {"book": book})()


def test_the_set_defaults_to_the_one_chosen_on_cau_hinh():
    assert CHISO_DIEM("CKMB.1", 95, caller=_Caller(NATIONAL)) == pytest.approx(5.7)
    assert CHISO_XEPLOAI(81.52, caller=_Caller(DIENBIEN)) == "Tốt"


def test_group_points():
    assert CHISO_NHOM("CKMB", [[6, 4, 2, "5,5"]], NATIONAL) == 17.5
    assert CHISO_NHOM("CKMB", [[6], [4], [None], [5]], NATIONAL) == ""  # missing part
    assert CHISO_NHOM("CKMB", [[5, 5, None]], DIENBIEN) == 10  # blank = not applicable there
    assert CHISO_NHOM("CKMB", [[6, 4, 2]], NATIONAL) == (
        "Lỗi: nhóm CKMB có 4 chỉ số (CKMB.1, CKMB.2, CKMB.3, CKMB.4), vùng điểm có 3 ô")


def test_total_conversion_band_rank_and_rate():
    assert CHISO_TONG([[10, 10, 10, 5, 10, 10]], NATIONAL) == 55
    assert CHISO_TONG([[10, 10, 10, 5, 10, None]], NATIONAL) == ""
    assert CHISO_QUYDOI(81.52, 85, DIENBIEN) == pytest.approx(81.52 / 85 * 100, abs=1e-12)
    assert CHISO_QUYDOI(81.52, 85, NATIONAL) == 81.52  # 766-2026 does not convert
    assert CHISO_QUYDOI(10, 0, DIENBIEN) == "Lỗi: điểm tối đa áp dụng bằng 0: không quy đổi được"
    assert [CHISO_XEPLOAI(p, NATIONAL) for p in (90, 89.995, 49.99, None)] == [
        "Xuất sắc", "Tốt", "Yếu", ""]  # lower bound inclusive, compared unrounded
    assert [CHISO_XEPHANG(p, [[5], [7], [5], [1]]) for p in (7, 5, 1)] == [1, 2, 4]
    assert CHISO_XEPHANG(0.1 + 0.2, [[0.3], [0.5]]) == 2  # float noise does not split a tie
    assert CHISO_TYLE(3, 4) == 75.0
    assert CHISO_TYLE(3, 0) == "Lỗi: mẫu số bằng 0 (không phát sinh)"
    assert CHISO_TYLE(5, 4) == "Lỗi: tử số lớn hơn mẫu số"


def test_udfs_refuse_what_the_engine_refuses():
    assert CHISO_QUYDOI(100, 80, DIENBIEN) == "Lỗi: điểm 100 vượt điểm tối đa 80"
    assert CHISO_QUYDOI(50, 120, DIENBIEN) == (
        "Lỗi: điểm tối đa áp dụng: điểm 120 vượt điểm tối đa 100")
    assert CHISO_XEPLOAI(150, NATIONAL) == "Lỗi: điểm 150 vượt điểm tối đa 100"
    assert CHISO_XEPLOAI(-1, NATIONAL) == "Lỗi: điểm: số âm (-1) không hợp lệ"
    assert CHISO_TYLE("2,5", 10) == "Lỗi: tử số: số đếm phải là số nguyên, nhận '2,5'"
    assert CHISO_TYLE(2, 10.5) == "Lỗi: mẫu số: số đếm phải là số nguyên, nhận '10,5'"


def test_total_then_band_exact_at_90():
    # 17,95 + 17,27 + 9,68 + 8,87 + 14,49 + 21,74 = 90 exactly (binary: 89,99999999999999)
    total = CHISO_TONG([[17.95, 17.27, 9.68, 8.87, 14.49, 21.74]], NATIONAL)
    assert total == 90
    assert CHISO_XEPLOAI(total, NATIONAL) == "Xuất sắc"
    assert CHISO_XEPLOAI(17.95 + 17.27 + 9.68 + 8.87 + 14.49 + 21.74, NATIONAL) == "Xuất sắc"


TABLE = [["ten_don_vi", "CKMB.1", "CKMB.2", "CKMB.3"],
         ["Xã A", 5, 5, 10],
         [None, None, None, None],
         ["Xã B", 5, None, "x"]]


def test_table_function_scores_every_row_in_place():
    answer = CHISO_BANG(TABLE, DIENBIEN)
    header = answer[0]
    assert header == ["Đơn vị", "CKMB", "TDGQ", "DVTT", "SHHS", "MDHL", "Tổng điểm",
                      "Điểm tối đa áp dụng", "Điểm quy đổi", "Xếp loại", "Xếp hạng", "Ghi chú"]
    first, blank, bad = answer[1:]
    assert first[:2] == ["Xã A", 20.0] and first[6:11] == [20.0, 20.0, 100.0, "Xuất sắc", 1]
    assert blank == [""] * len(header)  # rows line up with the input
    assert bad[0] == "Xã B" and bad[-1] == "Lỗi: 'x' không phải là số"


def _caller(shape):
    return type("Caller", (), {"shape": shape})()


def test_table_function_fills_its_array_formula():
    padded = CHISO_BANG(TABLE, DIENBIEN, caller=_caller((6, 13)))
    assert len(padded) == 6 and {len(r) for r in padded} == {13}
    assert padded[5] == [""] * 13 and padded[1][12] == ""
    short = CHISO_BANG(TABLE, DIENBIEN, caller=_caller((3, 12)))
    assert short[2][0] == ("Lỗi: vùng kết quả thiếu 2 dòng; mở rộng công thức mảng cho đủ số "
                           "đơn vị")


def test_table_function_entered_in_one_cell_spills_whole():
    # Excel 365 without Ctrl+Shift+Enter: one cell calls, the whole answer spills from it
    whole = CHISO_BANG(TABLE, DIENBIEN, caller=_caller((1, 1)))
    assert whole == CHISO_BANG(TABLE, DIENBIEN) and len(whole) == len(TABLE)


def test_table_function_reads_percent_cells_as_excel_stores_them():
    typed = [["ten_don_vi", "CKMB.1%", "CKMB.2%"], ["Xã A", 95, 81.52]]
    stored = [["ten_don_vi", "CKMB.1%", "CKMB.2%"], ["Xã A", 0.95, 0.8152]]  # cells formatted %
    plain = CHISO_BANG(typed, NATIONAL, tieu_de=False)
    assert CHISO_BANG(stored, NATIONAL, True, False) == plain and plain[0][0] == "Xã A"
    assert CHISO_BANG(stored, NATIONAL) != plain  # without the flag 0,95 is 0,95 %


def test_table_function_refuses_a_table_of_another_shape():
    assert CHISO_BANG([["ten_don_vi", "STT"], ["Xã A", 1]], DIENBIEN) == [[
        "Lỗi: cột 'STT' không thuộc bộ chỉ số dienbien-459-2023."]]


# The ribbon's Python side, with a stand-in for the live Excel objects xlwings would give.

class _Range:
    def __init__(self, sheet, address):
        self.sheet, self.address = sheet, address

    def __setattr__(self, name, value):
        if name in ("value", "formula", "number_format"):
            self.sheet.written[(self.address, name)] = value
        object.__setattr__(self, name, value)


class _Sheet:
    def __init__(self, name):
        self.name, self.written, self.active = name, {}, False

    def range(self, address):
        return _Range(self, address)

    def clear(self):
        self.written = {}

    def activate(self):
        self.active = True


class _Sheets(list):
    def __getitem__(self, key):
        return next(s for s in self if s.name == key) if isinstance(key, str) else super(
            ).__getitem__(key)

    def add(self, name, after):
        self.append(_Sheet(name))
        return self[-1]


class _Book:
    opened: list = []

    def __init__(self, path):
        self.fullname, self.alerts = str(path), []
        self.sheets = _Sheets([_Sheet("Nhập liệu")])
        source = Path(path)
        self.api = type("Api", (), {"SaveCopyAs": lambda _, copy: shutil.copy(source, copy)})()
        self.app = type("App", (), {"alert": lambda _, prompt, title, buttons="ok": (
            self.alerts.append(prompt) or "yes")})()


@pytest.fixture
def excel(monkeypatch, tmp_path):
    """Put a copy of the sample where a clerk keeps it and make it the calling workbook."""
    path = tmp_path / "tuan-giao.xlsx"
    shutil.copy(EXAMPLES / "tuan-giao-2023-09.xlsx", path)
    book = _Book(path)
    fake = type("Book", (), {"caller": staticmethod(lambda: book),
                             "__init__": lambda self, p: _Book.opened.append(p)})
    monkeypatch.setattr(xlwings, "Book", fake)
    return book, path


def test_report_button_writes_beside_the_workbook_and_opens_it(excel):
    book, path = excel
    before = path.read_bytes()
    ribbon.tao_bao_cao()
    target = path.parent / "Bao cao 766 2023-09.xlsx"
    draft = target.with_suffix(".docx")
    assert load_workbook(target).sheetnames[:2] == ["Báo cáo", "Biểu 01"]
    from docx import Document

    assert "BÁO CÁO" in [p.text for p in Document(draft).paragraphs]  # the Word draft beside it
    assert book.alerts == [f"Đã lập báo cáo '{target}' và dự thảo văn bản '{draft.name}'."]
    assert _Book.opened[-1] == str(target)
    assert path.read_bytes() == before  # the clerk's file is never touched
    ribbon.tao_bao_cao()  # a second click asks before overwriting (the stand-in says yes)
    assert book.alerts[1] == f"Đã có tệp {target.name}, {draft.name}. Ghi đè?"


def test_report_button_fills_the_form_named_on_cau_hinh_beside_the_workbook(excel):
    from docx import Document

    from xl766.report.forms import FOLDER

    book, path = excel
    shutil.copy(FOLDER / "cong-van.docx", path.parent / "mau-cua-van-phong.docx")
    workbook = load_workbook(path)
    workbook["Cấu hình"].append(["mau_van_ban", "mau-cua-van-phong.docx"])
    workbook.save(path)
    ribbon.tao_bao_cao()
    draft = path.parent / "Bao cao 766 2023-09.docx"
    texts = [p.text for p in Document(draft).paragraphs]
    assert "Kính gửi:" in texts and "BÁO CÁO" not in texts, book.alerts


def test_check_button_lists_problems_with_links(excel):
    book, path = excel
    workbook = load_workbook(path)
    workbook["Nhập liệu"]["C3"] = "x"
    workbook.save(path)
    ribbon.kiem_tra_so_lieu()
    sheet = book.sheets[checks.ERRORS_SHEET]
    rows = sheet.written[("A1", "value")]
    assert rows[0] == list(checks.HEADER)
    assert rows[1] == ["Nhập liệu", "C3", "Lỗi", "'x' không phải là số"]
    assert sheet.written[("B2", "formula")] == '=HYPERLINK("#\'Nhập liệu\'!C3","C3")'
    assert sheet.written[(f"D1:D{len(rows)}", "number_format")] == "@"  # texts stay text
    assert sheet.active and book.alerts[0].startswith("1 lỗi")


def test_report_button_with_errors_writes_nothing(excel):
    book, path = excel
    workbook = load_workbook(path)
    workbook["Nhập liệu"]["C3"] = -1
    workbook.save(path)
    ribbon.tao_bao_cao()
    assert not (path.parent / "Bao cao 766 2023-09.xlsx").exists()
    assert book.alerts[0].startswith("Chưa lập báo cáo: 1 lỗi")
    listed = book.sheets[checks.ERRORS_SHEET].written[("A1", "value")]
    assert listed[1] == ["Nhập liệu", "C3", "Lỗi", "số âm (-1) không hợp lệ"]


def test_problems_point_at_the_cell_of_every_sheet(tmp_path):
    path = tmp_path / "sai.xlsx"
    workbook = load_workbook(EXAMPLES / "tuan-giao-2023-09.xlsx")
    workbook["Nhập liệu"]["C3"] = "x"
    fees = workbook["Phí, lệ phí"]
    fees.cell(4, [c.value for c in fees[1]].index("truc_tuyen_phi") + 1).value = None
    workbook.save(path)
    found = checks.problems(path)
    errors = [(p.sheet, p.cell, p.message) for p in found if p.level is Level.ERROR]
    assert errors == [("Nhập liệu", "C3", "'x' không phải là số"),
                      ("Phí, lệ phí", "H4", "thiếu số liệu (để 0 nếu không phát sinh)")]


def test_problems_of_settings_name_the_sheet(tmp_path):
    path = tmp_path / "chua-chon.xlsx"
    workbook = load_workbook(EXAMPLES / "tuan-giao-2023-09.xlsx")
    for row in workbook["Cấu hình"].iter_rows(min_row=2):
        if row[0].value == "bo_chi_so":
            row[1].value = None
    workbook.save(path)
    assert [p.row() for p in checks.problems(path)] == [
        ("Cấu hình", "B1", "Lỗi", "chưa chọn bộ chỉ số (khóa bo_chi_so)")]


# CHISO_DIEM reads one cell without building a table: it must answer exactly as the engine
# answers for a one-row table, for any argument a clerk can type.

def _as_the_engine_does(code, value, denominator, set_id):
    from xl766.catalog import load_indicator_set
    from xl766.engine import score_table

    indicator_set = load_indicator_set(set_id)
    indicator = next(i for i in indicator_set.indicators if i.code == code)
    if denominator is not None and str(denominator).strip():
        if not indicator.takes_ratio:
            return f"Lỗi: chỉ số {code} nhập điểm trực tiếp, không có mẫu số"
        columns = {f"{code}/tu": value, f"{code}/mau": denominator}
    else:
        columns = {f"{code}%" if indicator.takes_ratio else code: value}
    import pandas as pd

    frame = pd.DataFrame({"ten_don_vi": ["-"], **{k: [v] for k, v in columns.items()}},
                         index=[2], dtype=object)
    scores = score_table(frame, indicator_set)
    # errors of the cells; a lone blank cell leaves a one-row Điện Biên table nothing to convert,
    # which says nothing about the cell
    errors = [f.message for f in scores.findings if f.level is Level.ERROR and f.column]
    if errors:
        return "Lỗi: " + "; ".join(errors)
    points = scores.indicators[code].iloc[0]
    return "" if points != points else float(points)


_typed = st.one_of(st.none(), st.just(""), st.just("-"), st.just("abc"), st.just("1.2.3"),
                   st.integers(-5, 130), st.floats(-5, 130, allow_nan=False).map(
                       lambda v: round(v, 3)),
                   st.floats(0, 130, allow_nan=False).map(lambda v: f"{v:.2f}".replace(".", ",")),
                   st.sampled_from(["95,5", "1.335", "12,5", "inf", "1_000", " 7 "]))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([(i.code, NATIONAL) for i in load_indicator_set(NATIONAL).indicators]
                       + [(i.code, DIENBIEN) for i in load_indicator_set(DIENBIEN).indicators]),
       _typed, st.one_of(st.none(), _typed))
def test_one_cell_answers_as_the_engine(indicator, value, denominator):
    code, set_id = indicator
    assert CHISO_DIEM(code, value, denominator, set_id) == _as_the_engine_does(
        code, value, denominator, set_id)


def _engine_group_or_total(set_id, codes, cells, column):
    """The engine's answer for one row holding these cells: the reference CHISO_NHOM and
    CHISO_TONG must equal (they no longer build a table)."""
    import pandas as pd

    from xl766.catalog import load_indicator_set
    from xl766.engine import Level, score_table

    frame = pd.DataFrame({"ten_don_vi": ["-"], **{c: [v] for c, v in zip(codes, cells,
                                                                          strict=True)}},
                         index=[2], dtype=object)
    scores = score_table(frame, load_indicator_set(set_id))
    errors = [f.message for f in scores.findings if f.level is Level.ERROR]
    if errors:
        return "Lỗi: " + "; ".join(errors)
    value = (scores.groups[column] if column else scores.summary["computed_total"]).iloc[0]
    return "" if value != value else float(value)


_GROUP_CHOICES = ([(g.code, NATIONAL) for g in load_indicator_set(NATIONAL).groups]
                  + [(g.code, DIENBIEN) for g in load_indicator_set(DIENBIEN).groups])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_GROUP_CHOICES), st.lists(_typed, min_size=7, max_size=7))
def test_group_points_answer_as_the_engine(group, cells):
    code, set_id = group
    found = next(g for g in load_indicator_set(set_id).groups if g.code == code)
    parts = [i.code for i in found.indicators] or [code]
    cells = cells[:len(parts)]
    assert CHISO_NHOM(code, [cells], set_id) == _engine_group_or_total(set_id, parts, cells, code)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([NATIONAL, DIENBIEN]), st.lists(_typed, min_size=6, max_size=6))
def test_total_answers_as_the_engine(set_id, cells):
    codes = [g.code for g in load_indicator_set(set_id).groups]
    cells = cells[:len(codes)]
    assert CHISO_TONG([cells], set_id) == _engine_group_or_total(set_id, codes, cells, None)


def test_report_button_on_a_book_opened_from_onedrive_says_what_to_do(excel):
    book, path = excel
    book.fullname = "https://d.docs.live.net/abc123/Documents/tuan-giao.xlsx"
    ribbon.tao_bao_cao()
    assert book.alerts[0].startswith("Sổ đang mở từ OneDrive/SharePoint (https://d.docs.live.net")
    assert "ONEDRIVE_CONSUMER_WIN" in book.alerts[0]
    assert not list(path.parent.glob("Bao cao*"))


def test_the_ribbon_module_loads_without_pandas():
    """Excel imports the ribbon module at each click: pandas, numpy, pydantic and openpyxl
    wait until a button needs them."""
    import subprocess
    import sys

    code = ("import sys, xl766.excel.ribbon; "
            "print(sorted(m for m in ('pandas', 'numpy', 'pydantic', 'openpyxl') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
