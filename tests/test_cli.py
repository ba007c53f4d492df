"""The `xl766` command line as scripts use it: exit codes, JSON contract, files written or not."""

import csv
import json
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from conftest import DATA, EXAMPLES
from conftest import run_cli as run
from xl766.cli import main

SAMPLE = EXAMPLES / "tuan-giao-2023-09-bieu01.csv"


def test_json_contract(capsys):
    code, out, err = run(capsys, "cham-diem", SAMPLE, "--bo-chi-so", "dienbien-459-2023", "--json")
    assert code == 0 and err == ""
    units = json.loads(out)
    assert len(units) == 19
    first = units[0]
    assert set(first) == {"unit", "code", "indicators", "groups", "total", "computed_total",
                          "applicable_max", "converted", "band", "rank", "figures", "findings",
                          "kind", "kind_rank", "unscored"}
    assert first["unit"] == "UBND xã Mường Mùn" and first["code"] is None
    assert first["total"] == 81.52 and first["applicable_max"] == 85
    assert first["converted"] == 81.52 / 85 * 100  # unrounded
    assert first["band"] == "Xuất sắc" and first["rank"] == 1 and isinstance(first["rank"], int)
    assert first["indicators"]["CKMB.1"] is None and first["indicators"]["DVTT.2"] == 8.72
    assert first["groups"]["TDGQ"] == 30


def test_errors_exit_2_list_everything_and_write_nothing(tmp_path, capsys):
    bad = tmp_path / "bang.csv"
    bad.write_text("ten_don_vi,CKMB.1,CKMB.9,TDGQ.1\nXã A,abc,1,5\nXã B,9,,-3\n",
                   encoding="utf-8")
    out_file = tmp_path / "ket-qua.xlsx"
    code, out, err = run(capsys, "cham-diem", bad, "--bo-chi-so", "766-2026", "-o", out_file)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "Bảng 'bang.csv' có 4 lỗi; chưa chấm điểm:"
    assert "[Lỗi] trang 'bang.csv', dòng 1, cột 'CKMB.9'" in lines[1]
    assert "[Lỗi] trang 'bang.csv', dòng 2, cột 'CKMB.1': 'abc' không phải là số" in err
    assert "dòng 3, cột 'CKMB.1': điểm 9 vượt điểm tối đa 6" in err
    assert "dòng 3, cột 'TDGQ.1': số âm (-3) không hợp lệ" in err
    assert not out_file.exists() and list(tmp_path.iterdir()) == [bad]


def test_csv_output_round_trip(tmp_path, capsys):
    out_file = tmp_path / "kq.csv"
    code, out, _ = run(capsys, "cham-diem", SAMPLE, "--bo-chi-so", "dienbien-459-2023",
                       "-o", out_file)
    assert code == 0 and "Đã ghi 19 đơn vị" in out
    raw = out_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # for Excel on a Vietnamese PC: BOM, ';', 72,54
    with open(out_file, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows[18]["ten_don_vi"] == "UBND xã Quài Tở"
    assert float(rows[18]["diem_quy_doi"].replace(",", ".")) == pytest.approx(61.66 / 85 * 100)
    assert rows[18]["TONG"] == "61,66"
    assert rows[18]["xep_loai"] == "Khá" and rows[18]["xep_hang"] == "19"
    assert rows[0]["CKMB.1"] == ""  # not applicable stays blank, not 0
    import pandas as pd

    frame = pd.read_csv(out_file, sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["TONG"].iloc[18] == 61.66 and frame["xep_hang"].iloc[18] == 19


def test_csv_for_programs(tmp_path, capsys):
    out_file = tmp_path / "kq.csv"
    code, _, _ = run(capsys, "cham-diem", SAMPLE, "--bo-chi-so", "dienbien-459-2023",
                     "-o", out_file, "--csv-may")
    assert code == 0 and not out_file.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out_file, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[18]["TONG"] == "61.66" and rows[18]["xep_loai"] == "Khá"


def test_xlsx_output_refuses_to_overwrite_then_obeys_ghi_de(tmp_path, capsys):
    out_file = tmp_path / "kq.xlsx"
    out_file.write_bytes(b"not ours")
    code, _, err = run(capsys, "cham-diem", SAMPLE, "--bo-chi-so", "dienbien-459-2023",
                       "-o", out_file)
    assert code == 2 and "đã có" in err and out_file.read_bytes() == b"not ours"
    code, _, _ = run(capsys, "cham-diem", SAMPLE, "--bo-chi-so", "dienbien-459-2023",
                     "-o", out_file, "--ghi-de")
    assert code == 0
    sheet = load_workbook(out_file).active
    assert sheet["A2"].value == "UBND xã Mường Mùn"
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("diem_quy_doi") + 1).value == pytest.approx(95.90588235)


def test_refuses_a_file_open_in_excel(tmp_path, capsys):
    out_file = tmp_path / "kq.xlsx"
    (tmp_path / "~$kq.xlsx").write_bytes(b"")
    code, _, err = run(capsys, "cham-diem", SAMPLE, "--bo-chi-so", "dienbien-459-2023",
                       "-o", out_file)
    assert code == 2 and "đang mở" in err and not out_file.exists()


def test_never_writes_over_the_input(tmp_path, capsys):
    copy = tmp_path / "in.csv"
    shutil.copy(SAMPLE, copy)
    before = copy.read_bytes()
    code, _, err = run(capsys, "cham-diem", copy, "--bo-chi-so", "dienbien-459-2023",
                       "-o", copy, "--ghi-de")
    assert code == 2 and "trùng tệp đầu vào" in err and copy.read_bytes() == before


def test_formula_text_stays_text(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text('ten_don_vi,CKMB.2\n"=HYPERLINK(""http://x"")",5\n@SUM(A1),4\n',
                      encoding="utf-8")
    xlsx, csv_out = tmp_path / "kq.xlsx", tmp_path / "kq.csv"
    assert run(capsys, "cham-diem", source, "--bo-chi-so", "dienbien-459-2023", "-o", xlsx)[0] == 0
    assert run(capsys, "cham-diem", source, "--bo-chi-so", "dienbien-459-2023",
               "-o", csv_out)[0] == 0
    cell = load_workbook(xlsx).active["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    text = csv_out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text


def test_user_set_file(tmp_path, capsys):
    set_file = DATA / "thu-nghiem.toml"
    table = tmp_path / "t.csv"
    table.write_text("ten_don_vi,A.1%,A.2\nXã A,50,3\n", encoding="utf-8")
    code, out, _ = run(capsys, "cham-diem", table, "--bo-chi-so", set_file, "--json")
    assert code == 0 and json.loads(out)[0]["converted"] == 5


def test_bo_chi_so_lists_and_shows(capsys):
    code, out, _ = run(capsys, "bo-chi-so")
    assert code == 0 and out.splitlines()[1].startswith("766-2026")
    code, out, _ = run(capsys, "bo-chi-so", "766-2026")
    assert "TTTT.2" in out and "đạt ngưỡng 80%" in out and "Quyết định số 766/QĐ-TTg" in out
    # Vietnamese all through: no rule or policy shown by its code name
    assert not {"missing", "linear", "none", "target", "zero"} & set(out.replace(":", " ").split())


def test_version_and_vietnamese_usage(capsys):
    from xl766 import __version__

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"xl766 {__version__}"
    with pytest.raises(SystemExit) as stop:
        main(["cham-diem"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "lỗi: thiếu tham số bắt buộc: INPUT, --bo-chi-so" in err


def test_broken_set_file_exit_2(tmp_path, capsys):
    broken = tmp_path / "hong.toml"
    broken.write_text('id = "x"\n', encoding="utf-8")
    code, _, err = run(capsys, "cham-diem", SAMPLE, "--bo-chi-so", broken)
    assert code == 2 and "hong.toml" in err and "thiếu khóa bắt buộc" in err


def test_help_does_not_import_pandas():
    probe = ("import sys; from xl766.cli import build_parser; "
             "build_parser().format_help(); print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "xl766.cli", "cham-diem", str(SAMPLE),
                             "--bo-chi-so", "dienbien-459-2023"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.splitlines()[1].split() == ["1", "UBND", "xã", "Mường", "Mùn", "81,52",
                                                     "95,9", "Xuất", "sắc"]


def test_long_names_keep_the_ranking_aligned(tmp_path, capsys):
    table = tmp_path / "t.csv"
    long_name = "Trung tâm Phục vụ hành chính công " + "rất dài " * 10
    table.write_text(f"ten_don_vi,CKMB.1\nXã A,5\n{long_name},4\n", encoding="utf-8")
    code, out, _ = run(capsys, "cham-diem", table, "--bo-chi-so", "dienbien-459-2023")
    lines = out.splitlines()
    ends = {len(line.rsplit("  ", 1)[0]) for line in lines}  # the band starts in one column
    assert code == 0 and len(lines) == 3 and len(ends) == 1 and "…" in out


def test_the_version_option_is_described_in_vietnamese(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    import re

    assert re.search(r"--version +hiện phiên bản rồi thoát", capsys.readouterr().out)


def test_a_bundled_set_exported_to_edit_loads_as_a_set_of_ones_own(tmp_path, capsys):
    from xl766.catalog import load_indicator_set

    target = tmp_path / "bo-cua-tinh.toml"
    code, out, _ = run(capsys, "bo-chi-so", "766-2026", "--xuat", target)
    assert code == 0 and "id '766-2026-bo-cua-tinh'" in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Bản sao để sửa của bộ chỉ số 766-2026") and "[U] chưa tìm" in text
    own = load_indicator_set(target)
    bundled = load_indicator_set("766-2026")
    assert own.id == "766-2026-bo-cua-tinh" and own.groups == bundled.groups
    # edited thresholds stay its own: scored with them, never replaced by the bundled set
    target.write_text(text.replace("min_points = 90", "min_points = 95"), encoding="utf-8")
    assert load_indicator_set(target).classification.bands[0].min_points == 95
    code, _, err = run(capsys, "bo-chi-so", "766-2026", "--xuat", target)
    assert code == 2 and "--ghi-de" in err
    code, _, err = run(capsys, "bo-chi-so", target, "--xuat", tmp_path / "x.toml")
    assert code == 2 and "chép một bộ có sẵn" in err
    code, out, _ = run(capsys, "bo-chi-so", "766-2026")
    assert out.rstrip().endswith("[U] chưa tìm được nguồn, do người dùng tự nhập")


def test_json_figures_carry_rates_and_counts_never_invented(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("ten_don_vi,TDGQ.1/tu,TDGQ.1/mau,CKMB.1%,CKMB.2,SHHS.5/tu,SHHS.5/mau,"
                     "MDHL.1/tu,MDHL.1/mau\n"
                     "Xã A,156,161,\"95,125\",3,1,2,0,0\n", encoding="utf-8")
    code, out, err = run(capsys, "cham-diem", table, "--bo-chi-so", "766-2026", "--json")
    assert code == 0, err
    assert '"numerator":156,"denominator":161' in out  # counts stay whole (no .0)
    figures = json.loads(out)[0]["figures"]
    # 20 × 156/161 = 19,378… → 19,38; the rate as the portal prints it, 96,89 %
    assert figures["TDGQ.1"] == {"points": 19.38, "rate": 96.89, "numerator": 156,
                                 "denominator": 161}
    assert figures["CKMB.1"] == {"points": 5.71, "rate": 95.125}  # typed, kept as typed
    assert figures["CKMB.2"] == {"points": 3.0}  # points typed: no rate made up from them
    assert figures["MDHL.1"] == {"points": 6.0, "numerator": 0, "denominator": 0}  # none arose
    assert "CKMB.3" not in figures  # nothing given, nothing said
