"""Regression tests for the classes an adversarial audit found: each once gave a wrong result
with exit 0, accepted bad input without a word, or ended in a traceback."""

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import EXAMPLES
from conftest import run_cli as run

PHU_THO_CSV = EXAMPLES / "phu-tho-2026-q3.csv"


def scored(capsys, path: Path, set_id: str = "766-2026") -> list[dict]:
    code, out, err = run(capsys, "cham-diem", path, "--bo-chi-so", set_id, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize(("number_format", "stored", "points"), [
    ('0.00"%"', 95, 5.7),      # literal sign: 95 shows "95.00%" and is 95 %
    ('0.00"%"', 0.5, 0.03),    # 0,5 shows "0.50%": half a percent of 6 points
    ("0.00\\%", 95, 5.7),      # escaped sign: literal too
    ("0.00%", 0.95, 5.7),      # a real percent format: 0,95 shows "95.00%"
    ("[Red]0.00%", 0.95, 5.7),
])
def test_only_a_real_percent_format_scales(tmp_path, capsys, number_format, stored, points):
    book = Workbook()
    sheet = book.active
    sheet.append(["ten_don_vi", "CKMB.1%"])
    sheet.append(["Xã A", stored])
    sheet["B2"].number_format = number_format
    book.save(tmp_path / "t.xlsx")
    assert scored(capsys, tmp_path / "t.xlsx")[0]["indicators"]["CKMB.1"] == points


@pytest.mark.parametrize("text", [
    'ten_don_vi,CKMB.1\nXã A,5\n"Xã B,4\nXã C,3\nXã D,2\n',
    'ten_don_vi,CKMB.1\nXã A,5\n"Xã B,4\nXã C,3\n"Xã D,2\nXã E,1\n',
])
def test_a_stray_quote_in_a_csv_is_named_not_swallowed(tmp_path, capsys, text):
    table = tmp_path / "t.csv"
    table.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "cham-diem", table, "--bo-chi-so", "dienbien-459-2023")
    assert code == 2 and out == ""
    assert "Tệp 't.csv', dòng 3, cột 'ten_don_vi'" in err and "ngoặc kép" in err


# ---- a set of one's own: never replaced by a bundled one, and carried by its template

BUNDLED = Path(__file__).parent.parent / "src" / "xl766" / "catalog" / "sets" / "766-2026.toml"
RAISED = {'{ label = "Xuất sắc", min_points = 90 }': '{ label = "Xuất sắc", min_points = 99 }',
          '{ label = "Tốt", min_points = 80 }': '{ label = "Tốt", min_points = 98 }',
          '{ label = "Khá", min_points = 70 }': '{ label = "Khá", min_points = 97 }',
          '{ label = "Trung bình", min_points = 50 }': '{ label = "Trung bình", min_points = 96 }'}


def _province_set(folder: Path, set_id: str) -> Path:
    text = BUNDLED.read_text(encoding="utf-8").replace('id = "766-2026"', f'id = "{set_id}"')
    for before, after in RAISED.items():
        assert before in text
        text = text.replace(before, after)
    path = folder / f"{set_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_set_keeping_a_bundled_id_with_other_rules_is_refused(tmp_path, capsys):
    copied = _province_set(tmp_path, "766-2026")
    code, _, err = run(capsys, "cham-diem", PHU_THO_CSV, "--bo-chi-so", copied)
    assert code == 2
    assert f"Tệp bộ chỉ số '{copied}' dùng mã '766-2026' của bộ có sẵn nhưng nội dung khác" in err
    unchanged = tmp_path / "copy.toml"
    unchanged.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    assert len(scored(capsys, PHU_THO_CSV, unchanged)) == 163  # a faithful copy is the same set


def _fill_template(template: Path, target: Path, rows: list[list]) -> None:
    book = load_workbook(template, keep_vba=True)
    sheet = book["Nhập liệu"]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(number, column).value = value
    book.save(target)


def test_a_template_built_from_a_province_set_scores_with_that_set(tmp_path, capsys):
    own = _province_set(tmp_path, "766-2026-tinh")
    template = tmp_path / "mau.xlsm"
    code, out, err = run(capsys, "tao-mau", "--bo-chi-so", own, "-o", template)
    assert code == 0, err
    filled = tmp_path / "thang.xlsm"
    # every rate 96,5 % (stored as a %-formatted fraction): 97,2 points, "Khá" under 97/98/99
    width = len(load_workbook(template)["Nhập liệu"][1])
    rows = [[f"Xã {n}", f"X{n}"] + [0.965] * (width - 2) for n in range(1, 4)]
    for row in rows:
        row[10] = None  # the DVCTT group column: its indicators are given
    _fill_template(template, filled, rows)
    settings = load_workbook(filled)["Cấu hình"]
    chosen = next(r[1].value for r in settings.iter_rows() if r[0].value == "bo_chi_so")
    assert chosen == "766-2026-tinh"
    own.unlink()  # the workbook carries the set: it scores on a PC without the file
    report = tmp_path / "bc.xlsx"
    code, out, err = run(capsys, "tao-bao-cao", filled, "-o", report, "--ky", "2026-10")
    assert code == 0, err
    bands = [v for row in load_workbook(report)["Biểu 01"].iter_rows(values_only=True)
             for v in row if v in ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu")]
    assert bands == ["Khá"] * 3  # 97,2 under the bundled 766-2026 would be "Xuất sắc"


def test_the_worksheet_functions_read_the_set_a_template_carries(tmp_path):
    from xl766.excel.udfs import CHISO_XEPLOAI

    text = _province_set(tmp_path, "766-2026-tinh").read_text(encoding="utf-8")

    class Range:
        def __init__(self, value):
            self.value = value

        def expand(self, _):
            return self

    class Sheet:
        def __init__(self, value):
            self._value = value

        def range(self, _):
            return Range(self._value)

    class Book:
        names = {"BO_CHI_SO": type("N", (), {"refers_to_range": Range("766-2026-tinh")})()}
        sheets = {"Bộ chỉ số": Sheet([text[:5000], text[5000:]])}

    caller = type("Caller", (), {"sheet": type("S", (), {"book": Book()})()})()
    assert CHISO_XEPLOAI(97.5, caller=caller) == "Khá"
    assert CHISO_XEPLOAI(97.5, "766-2026") == "Xuất sắc"


# ---- a set file that cannot be right is refused when it is loaded, naming the key

@pytest.mark.parametrize(("before", "after", "message"), [
    ('{ label = "Tốt", min_points = 80 }', '{ label = "Xuất sắc", min_points = 80 }',
     "khóa 'classification': tên mức xếp loại trùng nhau: Xuất sắc"),
    ("total_max = 100", "total_max = inf", "khóa 'total_max': phải là số hữu hạn"),
    ("total_max = 100", "total_max = 1e308", "khóa 'total_max': vượt giới hạn cho phép"),
    ('{ label = "Xuất sắc", min_points = 90 }', '{ label = "Xuất sắc", min_points = 150 }',
     "mức xếp loại cao nhất bắt đầu từ 150 điểm, vượt tổng điểm tối đa 100"),
    ('{ label = "Khá", min_points = 70 }', '{ label = "Khá", min_points = 80 }',
     "các mức xếp loại phải xếp theo cận dưới giảm dần, không trùng nhau"),
    ("max_points = 18\n", "max_points = 18.0000000001\n", "có quá 9 chữ số thập phân"),
])
def test_impossible_sets_are_refused_with_the_key(tmp_path, capsys, before, after, message):
    text = BUNDLED.read_text(encoding="utf-8").replace('id = "766-2026"', 'id = "thu"')
    assert before in text
    path = tmp_path / "bo.toml"
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    code, _, err = run(capsys, "cham-diem", PHU_THO_CSV, "--bo-chi-so", path)
    assert code == 2 and f"Tệp bộ chỉ số '{path}' không hợp lệ" in err and message in err


@pytest.mark.parametrize("reference", ["x" * 300, "x" * 300 + ".toml"])
def test_a_set_reference_too_long_for_a_file_name_is_a_message(capsys, reference):
    from xl766.excel.udfs import CHISO_XEPLOAI

    code, _, err = run(capsys, "cham-diem", PHU_THO_CSV, "--bo-chi-so", reference)
    assert code == 2 and "bộ chỉ số" in err
    assert CHISO_XEPLOAI(50, reference).startswith("Lỗi: ")


def test_a_set_file_not_in_utf8_is_a_message(tmp_path, capsys):
    path = tmp_path / "bo.toml"
    path.write_bytes('id = "x"\nname = "Bé"\n'.encode("cp1252"))
    code, _, err = run(capsys, "cham-diem", PHU_THO_CSV, "--bo-chi-so", path)
    assert code == 2 and "không phải UTF-8" in err


# ---- what cham-diem prints

def test_scored_and_unscored_units_mixed_print_no_nan(tmp_path, capsys):
    with PHU_THO_CSV.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[:6]
    for column in ("CKMB.1/tu", "CKMB.1/mau"):
        rows[2][rows[0].index(column)] = ""
    table = tmp_path / "t.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, out, _ = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026")
    assert code == 0 and "nan" not in out.lower()
    assert out.count("chưa đủ số liệu") == 1
    assert [u["band"] for u in scored(capsys, table)].count(None) == 1


def test_a_note_without_a_column_repeated_on_many_rows_names_no_column(tmp_path, capsys):
    # 89,96 shows as "90,0" but is below 90: a note on the unit, not on a column
    groups = "17.96,17.27,9.68,8.87,14.49,21.69"
    table = tmp_path / "t.csv"
    table.write_text("ten_don_vi,CKMB,TDGQ,DVCTT,TTTT,MDHL,SHHS\n"
                     + "".join(f"Xã {n},{groups}\n" for n in range(5)), encoding="utf-8")
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026")
    assert code == 0 and "5 dòng (2, 3, 4, 5, 6): điểm 89,960 hiển thị thành 90,0" in err
    assert "None" not in err


# ---- settings read with their types

TUAN_GIAO_CSV = EXAMPLES / "tuan-giao-2023-09-bieu01.csv"
_BASE_SETTINGS = 'ky_bao_cao = "2023-09"\nbo_chi_so = "dienbien-459-2023"\n'


def _report_with(tmp_path, capsys, settings_text: str) -> tuple[int, str, Path]:
    settings = tmp_path / "cau-hinh.toml"
    settings.write_text(_BASE_SETTINGS + settings_text, encoding="utf-8")
    draft = tmp_path / "b.docx"
    code, _, err = run(capsys, "tao-bao-cao", TUAN_GIAO_CSV, "-o", tmp_path / "b.xlsx",
                       "--cau-hinh", settings, "--van-ban", draft)
    return code, err, draft


@pytest.mark.parametrize(("line", "key"), [
    ("so_bao_cao = true\n", "so_bao_cao"),
    ('nguoi_ky = ["A", "B"]\n', "nguoi_ky"),
    ('co_quan_bao_cao = { TEN = "X" }\n', "co_quan_bao_cao"),
    ("dia_danh = 2023-10-05\n", "dia_danh"),
    ("ngay_bao_cao = 10:30:00\n", "ngay_bao_cao"),
])
def test_settings_of_the_wrong_type_are_refused_by_key(tmp_path, capsys, line, key):
    code, err, draft = _report_with(tmp_path, capsys, line)
    assert code == 2 and f"khóa '{key}' phải là chữ trong ngoặc kép" in err
    assert not draft.exists() and not (tmp_path / "b.xlsx").exists()


def test_settings_read_with_their_types(tmp_path, capsys):
    from docx import Document

    code, err, draft = _report_with(tmp_path, capsys, (
        "so_bao_cao = 125\nngay_bao_cao = 2023-10-05\ndia_danh = \"Tuần Giáo\"\n"
        'noi_nhan = ["Văn phòng UBND tỉnh", "Lưu: VT"]\nnguoi_ky = "Nguyễn\\u0007 Văn Bách"\n'))
    assert code == 0, err
    document = Document(draft)
    texts = [p.text for table in document.tables for row in table.rows for cell in row.cells
             for p in cell.paragraphs]
    header = [p.text for p in Document(draft).tables[0].rows[0].cells[1].paragraphs]
    assert "Tuần Giáo, ngày 05 tháng 10 năm 2023" in header
    assert any("Văn phòng UBND tỉnh" in t for t in texts) and any("Lưu: VT" in t for t in texts)
    signer = [p.text for p in Document(draft).tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert signer[-1] == "Nguyễn Văn Bách"  # the control character is dropped


@pytest.mark.parametrize(("value", "works"), [("05/10/2023", True), ("5/10/2023", True),
                                              ("2023-10-05", True), ("31/02/2023", False),
                                              ("mùng 5", False)])
def test_the_issue_date_is_a_real_date(tmp_path, capsys, value, works):
    code, err, _ = _report_with(tmp_path, capsys, f'ngay_bao_cao = "{value}"\n')
    assert (code == 0) is works, err
    if not works:
        assert "khóa 'ngay_bao_cao' phải là ngày dạng NGÀY/THÁNG/NĂM" in err


def test_a_cau_hinh_key_written_twice_is_refused(tmp_path, capsys):
    book = load_workbook(EXAMPLES / "tuan-giao-2023-09.xlsx")
    sheet = book["Cấu hình"]
    sheet.append(["ky_bao_cao", "2023-08"])
    book.save(tmp_path / "in.xlsx")
    code, _, err = run(capsys, "tao-bao-cao", tmp_path / "in.xlsx", "-o", tmp_path / "b.xlsx")
    assert code == 2 and "khóa ghi nhiều lần: 'ky_bao_cao' ở các dòng" in err


# ---- report input odds: each a decision (README, "Cách đọc từng ô")

def test_a_hidden_row_is_scored_like_any_other(tmp_path, capsys):
    book = load_workbook(EXAMPLES / "tuan-giao-2023-09.xlsx")
    book["Nhập liệu"].row_dimensions[3].hidden = True  # hiding a unit does not drop it
    book.save(tmp_path / "in.xlsx")
    assert len(scored(capsys, tmp_path / "in.xlsx", "dienbien-459-2023")) == 19


def test_a_cached_excel_error_is_not_a_unit_name(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("ten_don_vi,CKMB.1\nXã A,5\n#N/A,4\n#N/A,3\n", encoding="utf-8")
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "dienbien-459-2023")
    assert code == 2
    assert err.count("ô hiện lỗi Excel #N/A") == 2 and "trùng đơn vị" not in err


def test_a_zero_width_space_does_not_make_another_unit(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("ten_don_vi,CKMB.1\nXã A,5\nXã\u200b A,4\n", encoding="utf-8")
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "dienbien-459-2023")
    assert code == 2 and "dòng 3, cột 'ten_don_vi': trùng đơn vị với dòng 2" in err


def test_a_sheet_name_with_a_trailing_space_is_still_read(tmp_path, capsys):
    book = load_workbook(EXAMPLES / "tuan-giao-2023-09.xlsx")
    book["Phí, lệ phí"].title = "Phí, lệ phí "
    book.save(tmp_path / "in.xlsx")
    code, _, err = run(capsys, "tao-bao-cao", tmp_path / "in.xlsx", "-o", tmp_path / "b.xlsx")
    assert code == 0, err
    assert "Biểu 02" in load_workbook(tmp_path / "b.xlsx").sheetnames


# ---- tracebacks that are now messages

@pytest.mark.parametrize("period", ["9999-12", "0000-01"])
def test_a_period_outside_the_calendar_is_a_message(tmp_path, capsys, period):
    code, _, err = run(capsys, "tao-bao-cao", EXAMPLES / "tuan-giao-2023-09.xlsx", "-o",
                       tmp_path / "b.xlsx", "--ky", period)
    assert code == 2 and "ngoài khoảng 2000–2099" in err


def test_a_400_digit_number_is_a_message_everywhere(tmp_path, capsys):
    import pandas as pd

    from xl766.catalog import load_indicator_set
    from xl766.engine import score_table
    from xl766.excel.udfs import CHISO_DIEM, CHISO_TYLE

    huge = 10**400  # what openpyxl gives for such a cell of an .xlsx
    table = pd.DataFrame({"ten_don_vi": ["Xã A"], "CKMB.1": [huge], "TDGQ.1/tu": [huge],
                          "TDGQ.1/mau": [5]}, index=[2], dtype=object)
    messages = [f.message for f in score_table(table, load_indicator_set("766-2026")).findings]
    assert messages.count("số 10000000000000000000… (401 ký tự) quá lớn") == 2
    assert CHISO_DIEM("CKMB.1", huge, None, "766-2026") == (
        "Lỗi: số 10000000000000000000… (401 ký tự) quá lớn")
    assert CHISO_TYLE(huge, huge).startswith("Lỗi: tử số: số 1000")
    csv_table = tmp_path / "t.csv"
    csv_table.write_text(f"ten_don_vi,TDGQ.1/tu,TDGQ.1/mau\nXã A,{'1' * 400},{'1' * 401}\n",
                         encoding="utf-8")
    code, _, err = run(capsys, "cham-diem", csv_table, "--bo-chi-so", "766-2026")
    assert code == 2 and "số đếm 11111111111111111111… (400 ký tự) quá lớn" in err


# ---- files: all or nothing, never over a file that appeared meanwhile, no leftovers

def _report_args(tmp_path):
    return ["tao-bao-cao", EXAMPLES / "tuan-giao-2023-09.xlsx", "-o", tmp_path / "bc.xlsx",
            "--van-ban", tmp_path / "bc.docx"]


def test_when_the_draft_fails_the_workbook_is_not_written_either(tmp_path, capsys, monkeypatch):
    import errno

    import xl766.report.document as document

    def full_disk(content, path, form):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(document, "write_document", full_disk)
    code, _, err = run(capsys, *_report_args(tmp_path))
    assert code == 2 and "ổ đĩa đã đầy" in err and "Chưa có gì bị ghi đè" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_earlier_pair_survives_a_failed_overwrite(tmp_path, capsys, monkeypatch):
    import errno

    import xl766.adapters.files as files

    (tmp_path / "bc.xlsx").write_bytes(b"last month")
    (tmp_path / "bc.docx").write_bytes(b"last month's draft")
    real, calls = files._place, []

    def second_fails(staging, path):
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(staging, path)

    monkeypatch.setattr(files, "_place", second_fails)
    code, _, err = run(capsys, *_report_args(tmp_path), "--ghi-de")
    assert code == 2 and calls == ["bc.xlsx", "bc.docx"] and "Chưa có gì bị ghi đè" in err
    assert (tmp_path / "bc.xlsx").read_bytes() == b"last month"
    assert (tmp_path / "bc.docx").read_bytes() == b"last month's draft"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.docx", "bc.xlsx"]


def test_a_file_that_appears_during_the_run_is_not_replaced(tmp_path, capsys, monkeypatch):
    import xl766.report.document as document

    real = document.write_document

    def appears(content, path, form):
        real(content, path, form)
        (tmp_path / "bc.docx").write_bytes(b"written meanwhile")

    monkeypatch.setattr(document, "write_document", appears)
    code, out, err = run(capsys, *_report_args(tmp_path))
    assert code == 2 and "vừa được tạo trong lúc chạy" in err and "Đã" not in out
    assert (tmp_path / "bc.docx").read_bytes() == b"written meanwhile"
    assert not (tmp_path / "bc.xlsx").exists()  # the pair: both or neither
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.docx"]


def test_two_runs_into_one_target_one_wins(tmp_path):
    from xl766.adapters.errors import InputError
    from xl766.adapters.files import write_atomically

    target = tmp_path / "kq.csv"

    def slow_other_run(path):
        path.write_text("mine", encoding="utf-8")
        write_atomically(target, lambda p: p.write_text("theirs", encoding="utf-8"))

    with pytest.raises(InputError, match="vừa được tạo trong lúc chạy"):
        write_atomically(target, slow_other_run)
    assert target.read_text(encoding="utf-8") == "theirs"


def test_temporaries_of_a_killed_run_are_removed_next_time(tmp_path, capsys):
    import os
    import tempfile
    import time

    stale = Path(tempfile.gettempdir()) / "xl766-killedrun"
    fresh = Path(tempfile.gettempdir()) / "xl766-runningnow"
    for folder in (stale, fresh):
        folder.mkdir(exist_ok=True)
        (folder / "bc.xlsx").write_bytes(b"x" * 1000)
    old = time.time() - 7 * 3600
    os.utime(stale, (old, old))
    try:
        code, _, err = run(capsys, *_report_args(tmp_path))
        assert code == 0, err
        assert not stale.exists() and fresh.exists()  # a run going on now keeps its folder
    finally:
        for folder in (stale, fresh):
            if folder.exists():
                import shutil
                shutil.rmtree(folder)


# ---- the previous period must be an earlier period of the same office

PHU_THO_XLSX = EXAMPLES / "phu-tho-2026-q3.xlsx"


def _phu_tho_with(path: Path, **settings) -> Path:
    """The shipped Phú Thọ workbook with some Cấu hình keys set, saved as ``path``."""
    book = load_workbook(PHU_THO_XLSX)
    sheet = book["Cấu hình"]
    for key, value in settings.items():
        rows = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == key]
        row = rows[0] if rows else sheet.max_row + 1
        sheet.cell(row, 1).value, sheet.cell(row, 2).value = key, value
    book["Nhập liệu"]["C3"] = 1  # some other numbers
    book.save(path)
    return path


def _previous(tmp_path, **settings) -> Path:
    return _phu_tho_with(tmp_path / "truoc.xlsx", **settings)


@pytest.mark.parametrize(("settings", "message"), [
    ({}, "là kỳ 2026-Q3, không trước kỳ báo cáo 2026-Q3"),
    ({"ky_bao_cao": "2026-Q4"}, "là kỳ 2026-Q4, không trước kỳ báo cáo 2026-Q3"),
    ({"ky_bao_cao": "2026-08"}, "là kỳ 2026-08, không trước kỳ báo cáo 2026-Q3"),
    ({"ky_bao_cao": "2026-Q2", "ma_tinh_cong": "H45"},
     "của mã tỉnh trên Cổng 'H45', kỳ này của 'H44'"),
])
def test_a_previous_period_that_is_not_earlier_or_not_ours_is_refused(tmp_path, capsys,
                                                                     settings, message):
    previous = _previous(tmp_path, **settings)
    code, _, err = run(capsys, "tao-bao-cao", PHU_THO_XLSX, "-o", tmp_path / "b.xlsx",
                       "--ky-truoc", previous)
    assert code == 2 and message in err and not (tmp_path / "b.xlsx").exists()


def test_the_same_file_as_its_own_previous_period_is_refused(tmp_path, capsys):
    copy = tmp_path / "ban-sao.xlsx"
    copy.write_bytes(PHU_THO_XLSX.read_bytes())
    for previous in (PHU_THO_XLSX, copy):
        code, _, err = run(capsys, "tao-bao-cao", PHU_THO_XLSX, "-o", tmp_path / "b.xlsx",
                           "--ky-truoc", previous)
        assert code == 2 and "là chính số liệu kỳ này" in err


def test_ky_contradicting_cau_hinh_and_another_province_are_refused(tmp_path, capsys):
    code, _, err = run(capsys, "tao-bao-cao", PHU_THO_XLSX, "-o", tmp_path / "b.xlsx",
                       "--ky", "2026-Q2")
    assert code == 2 and "--ky 2026-Q2 khác kỳ báo cáo trên trang 'Cấu hình' (2026-Q3)" in err
    other = _phu_tho_with(tmp_path / "khac.xlsx", ma_tinh_cong="H45")
    code, _, err = run(capsys, "tao-bao-cao", other, "-o", tmp_path / "b.xlsx")
    assert code == 2
    assert "ma_tinh_cong 'H45' trên trang 'Cấu hình' không khớp mã các đơn vị (H44" in err


def test_coded_units_are_paired_by_code_only(tmp_path, capsys):
    from xl766.adapters.tables import read_table
    from xl766.catalog import load_indicator_set
    from xl766.engine import score_table
    from xl766.engine.periods import compare, period_scores

    frame = read_table(PHU_THO_CSV).frame
    current = score_table(frame, load_indicator_set("766-2026"))
    other = frame.copy()
    other["ma_don_vi"] = other["ma_don_vi"].str.replace("H44.", "H45.", regex=False)
    elsewhere = score_table(other, load_indicator_set("766-2026"))
    matched, notes = compare(current, period_scores(elsewhere, "2026-Q2"))
    assert matched["converted"].isna().all()  # same names, another province: no pairs
    assert len(notes) == 163


def test_a_set_is_used_only_for_the_periods_it_covers(tmp_path, capsys):
    old = _phu_tho_with(tmp_path / "cu.xlsx", ky_bao_cao="2025-Q3")
    code, _, err = run(capsys, "tao-bao-cao", old, "-o", tmp_path / "b.xlsx")
    assert code == 2
    assert "Bộ chỉ số 766-2026 áp dụng từ 01/01/2026, không dùng cho kỳ 2025-Q3" in err


def test_a_full_temporary_folder_in_the_xlsx_writer_is_a_message(tmp_path, capsys, monkeypatch):
    import errno

    import xlsxwriter.workbook
    from xlsxwriter.exceptions import FileCreateError

    def full(self, *args, **kwargs):
        raise FileCreateError(OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "close", full)
    code, _, err = run(capsys, "cham-diem", PHU_THO_CSV, "--bo-chi-so", "766-2026", "-o",
                       tmp_path / "kq.xlsx")
    assert code == 2 and "ổ đĩa đã đầy" in err and not (tmp_path / "kq.xlsx").exists()
    code, _, err = run(capsys, *_report_args(tmp_path))
    assert code == 2 and "ổ đĩa đã đầy" in err and list(tmp_path.iterdir()) == []


def test_control_characters_in_a_set_are_refused_when_loaded(tmp_path, capsys):
    text = BUNDLED.read_text(encoding="utf-8").replace('id = "766-2026"', 'id = "thu"')
    path = tmp_path / "bo.toml"
    path.write_text(text.replace('name = "TTHC công bố đúng hạn"',
                                 'name = "TTHC công bố\\u0007 đúng hạn"'), encoding="utf-8")
    code, _, err = run(capsys, "tao-mau", "--bo-chi-so", path, "-o", tmp_path / "m.xlsm")
    assert code == 2 and "khóa 'groups[0].indicators[0].name': có ký tự điều khiển U+0007" in err


def test_the_look_alike_check_is_bounded_for_names_without_numbers():
    from xl766.engine.names import MOST_COMPARISONS, near_misses

    # a name typed 8.000 times is one name; a pair among its repeats is found once
    pairs, stopped = near_misses(["Nà Sáy"] * 4000 + ["Nhà Sáy"] * 4000)
    assert pairs == [(0, 4000)] and not stopped
    # 8.000 short names from three letters: thousands of true near pairs; the search stops
    names = [f"Thôn {a}{b}{c}{d}{e}" for a in "abc" for b in "abc" for c in "abc"
             for d in "abc" for e in "abc"] * 30
    pairs, stopped = near_misses(names, limit=500)
    assert stopped and len(pairs) == 500 and MOST_COMPARISONS == 200_000


def test_a_stopped_look_alike_search_says_at_least(tmp_path, capsys):
    names = [f"Thôn {a}{b}{c}{d}" for a in "abcd" for b in "abcd" for c in "abcd"
             for d in "abcd"]
    table = tmp_path / "t.csv"
    table.write_text("ten_don_vi,CKMB.1\n" + "".join(f"{n},5\n" for n in names), encoding="utf-8")
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "dienbien-459-2023")
    assert code == 0 and "còn ít nhất 950 cặp tên gần giống khác" in err


def test_a_settings_file_not_in_utf8_is_a_message(tmp_path, capsys):
    settings = tmp_path / "cau-hinh.toml"
    settings.write_bytes('ky_bao_cao = "2023-09"\nnguoi_ky = "Bé"\n'.encode("cp1252"))
    code, _, err = run(capsys, "tao-bao-cao", TUAN_GIAO_CSV, "-o", tmp_path / "b.xlsx",
                       "--bo-chi-so", "dienbien-459-2023", "--cau-hinh", settings)
    assert code == 2 and "không phải UTF-8" in err


def test_last_months_report_given_as_the_previous_period_says_which_file(tmp_path, capsys):
    report = tmp_path / "bao-cao-thang-9.xlsx"
    code, _, err = run(capsys, "tao-bao-cao", EXAMPLES / "tuan-giao-2023-09.xlsx", "-o", report)
    assert code == 0, err
    code, _, err = run(capsys, "tao-bao-cao", EXAMPLES / "tuan-giao-2023-09.xlsx", "-o",
                       tmp_path / "b.xlsx", "--ky", "2023-09", "--ky-truoc", report)
    assert code == 2 and err.count("\n") == 1
    assert "là một báo cáo xl766 đã lập (có trang Biểu 01), không phải số liệu" in err
