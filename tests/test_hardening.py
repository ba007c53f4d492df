"""Regression tests for inputs that once ended in a traceback or in a silently wrong score: each
now gives the right number or a Vietnamese message naming the sheet, row and column (exit 2)."""

import csv
import datetime
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import EXAMPLES
from conftest import run_cli as run

PHU_THO = EXAMPLES / "phu-tho-2026-q3.xlsx"
TUAN_GIAO = EXAMPLES / "tuan-giao-2023-09.xlsx"


def scored_json(capsys, path, set_id="766-2026"):
    code, out, err = run(capsys, "cham-diem", path, "--bo-chi-so", set_id, "--json")
    return code, (json.loads(out) if code == 0 else None), err


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- silently wrong before


@pytest.mark.parametrize(("cell", "expected"), [
    ("5.0", None), ("2.5", "số nguyên"), ("12.34", "số nguyên"), ("1..2", "không phải là số"),
    ("1.2.3", "không phải là số"), ("inf", "không phải là số"), ("1e400", "không phải là số"),
])
def test_counts_in_a_csv_are_whole_numbers_read_one_way(tmp_path, capsys, cell, expected):
    table = write_csv(tmp_path / "t.csv", f"ten_don_vi,CKMB.1/tu,CKMB.1/mau\nXã A,{cell},10\n"
                                          "Xã B,7,10\n")
    code, records, err = scored_json(capsys, table)
    if expected is None:  # 5.0 is five, not fifty: 6 × 5/10 = 3
        assert code == 0 and records[0]["indicators"]["CKMB.1"] == 3
    else:
        assert code == 2 and expected in err and "dòng 2, cột 'CKMB.1/tu'" in err


def test_a_csv_row_with_more_fields_than_the_header(tmp_path, capsys):
    table = write_csv(tmp_path / "t.csv", "ten_don_vi,CKMB.1%\nXã A,50,99\nXã B,40\n")
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026")
    assert code == 2 and "dòng 2 có 3 ô" in err and "2 cột" in err


def test_empty_cells_past_the_header_are_harmless(tmp_path, capsys):
    table = write_csv(tmp_path / "t.csv", "ten_don_vi,CKMB.1%\nXã A,50,,\n\nXã B,40\n")
    code, records, _ = scored_json(capsys, table)
    assert code == 0 and [r["unit"] for r in records] == ["Xã A", "Xã B"]
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026", "--ghi-de", "-o",
                       tmp_path / "o.csv")
    assert code == 0


def test_a_semicolon_csv_is_read(tmp_path, capsys):
    table = write_csv(tmp_path / "t.csv", "ten_don_vi;CKMB.1%\nXã A;50,5\n")
    code, records, _ = scored_json(capsys, table)
    assert code == 0 and records[0]["unit"] == "Xã A"
    assert records[0]["indicators"]["CKMB.1"] == pytest.approx(3.03)  # 6 × 0,505 = 3,03


def test_a_percent_formatted_cell_is_the_percent_it_shows(tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["ten_don_vi", "CKMB.1%", "CKMB.2%"])
    sheet.append(["Xã A", 0.8152, 81.52])
    sheet["B2"].number_format = "0.00%"
    book.save(tmp_path / "t.xlsx")
    code, records, _ = scored_json(capsys, tmp_path / "t.xlsx")
    # 6 × 81,52% = 4,8912 → 4,89; 4 × 81,52% = 3,2608 → 3,26
    assert code == 0 and records[0]["indicators"]["CKMB.1"] == 4.89
    assert records[0]["indicators"]["CKMB.2"] == 3.26


def test_all_names_blank_is_an_error(tmp_path, capsys):
    table = write_csv(tmp_path / "t.csv", "ten_don_vi,ma_don_vi,CKMB.1%\n,X1,50\n,X2,60\n")
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026")
    assert code == 2 and err.count("thiếu tên đơn vị") == 2


@pytest.mark.parametrize(("target", "works"), [("nan", False), ("-5", False), ("abc", False),
                                               ("101", False), ("25%", True), ("30,5", True)])
def test_online_payment_target_is_validated(tmp_path, capsys, target, works):
    book = load_workbook(TUAN_GIAO)
    _set_setting(book, "chi_tieu_thanh_toan_truc_tuyen", target)
    book.save(tmp_path / "in.xlsx")
    code, _, err = run(capsys, "tao-bao-cao", tmp_path / "in.xlsx", "-o", tmp_path / "out.xlsx")
    assert (code == 0) == works and (tmp_path / "out.xlsx").exists() == works
    if not works:
        assert "chi_tieu_thanh_toan_truc_tuyen" in err


def _set_setting(book, key, value) -> None:
    settings = book["Cấu hình"]
    rows = [r for r in range(1, settings.max_row + 1) if settings.cell(r, 1).value == key]
    row = rows[0] if rows else settings.max_row + 1
    settings.cell(row, 1).value, settings.cell(row, 2).value = key, value


def _fees_sheet_edit(tmp_path, change) -> Path:
    book = load_workbook(TUAN_GIAO)
    change(book["Phí, lệ phí"])
    book.save(tmp_path / "in.xlsx")
    return tmp_path / "in.xlsx"


def test_fractional_dossier_counts_and_repeated_units_in_bieu_02(tmp_path, capsys):
    def change(sheet):
        headers = [c.value for c in sheet[1]]
        sheet.cell(2, headers.index("chua_tt_so_ho_so") + 1).value = 2.5
        sheet.cell(4, 1).value = sheet.cell(3, 1).value
    code, _, err = run(capsys, "tao-bao-cao", _fees_sheet_edit(tmp_path, change), "-o",
                       tmp_path / "out.xlsx")
    assert code == 2 and "dòng 2, cột 'chua_tt_so_ho_so': số đếm phải là số nguyên" in err
    assert "dòng 4, cột 'ten_don_vi': trùng đơn vị với dòng 3" in err


def test_a_formula_never_calculated_is_reported(tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["ten_don_vi", "CKMB.1", "CKMB.2", "CKMB.3", "TDGQ", "DVTT.1", "DVTT.2",
                  "SHHS.1", "SHHS.2", "MDHL.1", "MDHL.2", "MDHL.3"])
    sheet.append(["Xã A", 5, "=2+3", 10, 30, 10, 10, 5, 10, 5, 5, 5])
    book.save(tmp_path / "t.xlsx")  # openpyxl saves formulas without a value, as a program does
    code, _, err = run(capsys, "cham-diem", tmp_path / "t.xlsx", "--bo-chi-so",
                       "dienbien-459-2023")
    assert code == 2 and "dòng 2, cột 'CKMB.2': ô có công thức =2+3" in err
    assert "lưu lại" in err


def test_a_dash_means_zero_only_in_bieu_02(tmp_path, capsys):
    table = write_csv(tmp_path / "t.csv", "ten_don_vi,CKMB.1%\nXã A,-\n")
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026")
    assert code == 2 and "dấu gạch '-'" in err and "cột 'CKMB.1%'" in err

    def change(sheet):
        headers = [c.value for c in sheet[1]]
        sheet.cell(2, headers.index("chua_tt_phi") + 1).value = "-"
    out = tmp_path / "out.xlsx"
    assert run(capsys, "tao-bao-cao", _fees_sheet_edit(tmp_path, change), "-o", out)[0] == 0
    rows = list(load_workbook(out)["Biểu 02"].iter_rows(values_only=True))
    first = next(r for r in rows if r[1] == "UBND thị trấn Tuần Giáo")
    assert first[2:4] == (1, 0)  # its unpaid fee, typed "-", is 0


def test_csv_output_keeps_a_semicolon_name_one_text_cell(tmp_path, capsys):
    table = write_csv(tmp_path / "t.csv", 'ten_don_vi,CKMB.1%\n"Xã A;=1+9;",50\n')
    out = tmp_path / "out.csv"
    assert run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026", "-o", out)[0] == 0
    text = out.read_text(encoding="utf-8-sig")
    assert '"Xã A;=1+9;"' in text  # quoted: Excel with ";" as list separator keeps it one cell
    with open(out, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            assert not any(cell.startswith(("=", "+", "@")) for cell in row)


# ---- tracebacks before


def test_screen_table_with_unscored_units(tmp_path, capsys):
    table = write_csv(tmp_path / "t.csv", "ten_don_vi,CKMB.1%\nXã A,50\nXã B,\n")
    code, out, _ = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026")
    assert code == 0 and out.count("chưa đủ số liệu") == 2


def test_previous_period_with_an_unscored_unit(tmp_path, capsys):
    book = load_workbook(PHU_THO)
    book["Nhập liệu"]["C3"] = None
    book["Nhập liệu"]["D3"] = None
    _set_setting(book, "ky_bao_cao", "2026-Q2")
    book.save(tmp_path / "prev.xlsx")
    out = tmp_path / "out.xlsx"
    code, _, err = run(capsys, "tao-bao-cao", PHU_THO, "-o", out, "--ky-truoc",
                       tmp_path / "prev.xlsx")
    assert code == 0, err
    sheet = load_workbook(out)["Biểu 01"]
    header = [v for row in sheet.iter_rows(min_row=8, max_row=10, values_only=True) for v in row]
    assert "Hạng kỳ trước" in header


@pytest.mark.parametrize("header", ["CS.1,CS.1", "ten_don_vi,ten_don_vi"])
def test_repeated_column_header(tmp_path, capsys, header):
    table = write_csv(tmp_path / "t.csv", f"ten_don_vi,{header}\nXã A,1,1\n")
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "nd61-2018")
    assert code == 2 and "xuất hiện nhiều lần" in err and "dòng 1" in err


def test_blank_name_in_fees_lists_errors_not_a_narrative_crash(tmp_path, capsys):
    path = _fees_sheet_edit(tmp_path, lambda sheet: setattr(sheet["A3"], "value", None))
    code, _, err = run(capsys, "tao-bao-cao", path, "-o", tmp_path / "out.xlsx")
    assert code == 2 and "trang 'Phí, lệ phí', dòng 3, cột 'ten_don_vi': thiếu tên" in err


def test_scores_sheet_without_name_column(tmp_path, capsys):
    book = load_workbook(TUAN_GIAO)
    book["Nhập liệu"]["A1"] = "ten"
    book.save(tmp_path / "in.xlsx")
    code, _, err = run(capsys, "tao-bao-cao", tmp_path / "in.xlsx", "-o", tmp_path / "o.xlsx")
    assert code == 2 and "thiếu cột bắt buộc 'ten_don_vi'" in err


def test_xlsx_without_dimension_and_with_short_rows(tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["ten_don_vi", "CKMB.1%", "CKMB.2%"])
    sheet.append(["Xã A", 50])
    sheet.append(["Xã B"])
    book.save(tmp_path / "t.xlsx")
    stripped = tmp_path / "no-dimension.xlsx"
    with zipfile.ZipFile(tmp_path / "t.xlsx") as source, zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            target.writestr(item, data)
    code, records, _ = scored_json(capsys, stripped)
    assert code == 0 and [r["unit"] for r in records] == ["Xã A", "Xã B"]
    assert records[0]["indicators"]["CKMB.1"] == 3 and records[1]["total"] is None


def test_a_date_in_a_number_column(tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["ten_don_vi", "CKMB.1%"])
    sheet.append(["Xã A", datetime.datetime(2026, 9, 5)])
    sheet.append(["Xã B", datetime.time(8, 30)])
    book.save(tmp_path / "t.xlsx")
    code, _, err = run(capsys, "cham-diem", tmp_path / "t.xlsx", "--bo-chi-so", "766-2026")
    assert code == 2 and "'05/09/2026' không phải là số" in err and "dòng 3" in err


@pytest.mark.parametrize(("change", "expected"), [
    ("one column", "cần hai cột"), ("blank header", "dòng 1 (tiêu đề) để trống"),
    ("fees header only", None), ("target abc", "chi_tieu_thanh_toan_truc_tuyen 'abc'")])
def test_odd_settings_and_sheets(tmp_path, capsys, change, expected):
    book = load_workbook(TUAN_GIAO)
    settings = book["Cấu hình"]
    if change == "one column":
        settings.delete_cols(2, settings.max_column)
    elif change == "blank header":
        settings.insert_rows(1)
    elif change == "fees header only":
        book["Phí, lệ phí"].delete_rows(2, book["Phí, lệ phí"].max_row)
    else:
        _set_setting(book, "chi_tieu_thanh_toan_truc_tuyen", "abc")
    book.save(tmp_path / "in.xlsx")
    out = tmp_path / "o.xlsx"
    code, _, err = run(capsys, "tao-bao-cao", tmp_path / "in.xlsx", "-o", out)
    if expected is None:  # an empty Biểu 02 sheet: the report goes without that appendix
        assert code == 0 and "Biểu 02" not in load_workbook(out).sheetnames
    else:
        assert code == 2 and expected in err and not out.exists()


def test_control_characters_in_a_name_with_xlsx_output(tmp_path, capsys):
    table = write_csv(tmp_path / "t.csv", "ten_don_vi,CKMB.1%\nXã\x01 A\x00,50\n")
    out = tmp_path / "out.xlsx"
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026", "-o", out)
    assert code in (0, 2)
    if code == 0:
        assert load_workbook(out).active["A2"].value == "Xã A"


def test_output_problems_are_messages(tmp_path, capsys, monkeypatch):
    import errno

    import xl766.adapters.files as files

    table = write_csv(tmp_path / "t.csv", "ten_don_vi,CKMB.1%\nXã A,50\n")
    folder = tmp_path / "a-folder.xlsx"
    folder.mkdir()
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026", "-o", folder,
                       "--ghi-de")
    assert code == 2 and "là một thư mục" in err
    for error, expected in ((PermissionError(errno.EACCES, "denied"), "không có quyền ghi"),
                            (OSError(errno.ENOSPC, "full"), "ổ đĩa đã đầy")):
        def refuse(*args, error=error):
            raise error
        monkeypatch.setattr(files.shutil, "copyfile", refuse)
        code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026", "-o",
                           tmp_path / "x.xlsx")
        assert code == 2 and expected in err and not (tmp_path / "x.xlsx").exists()
        assert not list(tmp_path.glob(".*"))  # no staging file left behind


def test_outputs_get_the_users_mode_and_leave_nothing_behind(tmp_path, capsys):
    import os

    table = write_csv(tmp_path / "t.csv", "ten_don_vi,CKMB.1%\nXã A,50\n")
    old = os.umask(0o022)
    try:
        for name in ("x.xlsx", "x.csv"):
            assert run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026", "-o",
                       tmp_path / name)[0] == 0
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)
    (tmp_path / ".x.xlsx.xl766-tmp").write_bytes(b"")  # as a killed run would leave it
    assert run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026", "-o", tmp_path / "x.xlsx",
               "--ghi-de")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "x.csv", "x.xlsx"]


def test_an_input_open_in_excel_gets_a_note(tmp_path, capsys):
    table = write_csv(tmp_path / "t.csv", "ten_don_vi,CKMB.1%\nXã A,50\n")
    (tmp_path / "~$t.csv").write_bytes(b"")
    code, _, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026", "--json")
    assert code == 0 and "sửa đổi chưa lưu không được tính" in err


def test_cham_diem_reads_nhap_lieu_of_a_workbook(capsys):
    code, records, _ = scored_json(capsys, TUAN_GIAO, "dienbien-459-2023")
    assert code == 0 and len(records) == 19
    code, _, err = run(capsys, "cham-diem", TUAN_GIAO, "--bo-chi-so", "dienbien-459-2023",
                       "--trang", "Phí, lệ phí")
    assert code == 2 and "trang 'Phí, lệ phí'" in err
    code, _, err = run(capsys, "cham-diem", TUAN_GIAO, "--bo-chi-so", "dienbien-459-2023",
                       "--trang", "Không có")
    assert code == 2 and "không có trang 'Không có'" in err
