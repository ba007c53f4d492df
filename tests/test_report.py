"""The monthly report from the bundled Tuần Giáo sample: values, layout read back with openpyxl,
chart parts in the zip, and what LibreOffice renders."""

import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, needs_soffice, read_tsv, soffice
from xl766.cli import main
from xl766.engine.numbers import format_number

SAMPLE = EXAMPLES / "tuan-giao-2023-09.xlsx"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("bao-cao") / "bao-cao.xlsx"
    assert main(["tao-bao-cao", str(SAMPLE), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def book(report):
    return load_workbook(report)


def _data_rows(sheet, first_stt_row):
    rows = []
    for row in sheet.iter_rows(min_row=first_stt_row, values_only=True):
        if row[1] is None:
            break
        rows.append(row)
    return rows


def _first_data_row(sheet):
    return next(c.row for c in sheet["A"] if c.value == 1)


def test_sheets(book):
    groups = [f"Biểu nhóm {g}" for g in ("CKMB", "TDGQ", "DVTT", "SHHS", "MDHL")]
    assert book.sheetnames == ["Báo cáo", "Biểu 01", "Biểu 02", "Biểu 03", *groups, "Biểu đồ",
                               "Kiểm tra"]


def test_bieu_01_values_bands_and_order(book):
    published = read_tsv("tuan-giao-2023-09-bieu01.tsv")
    sheet = book["Biểu 01"]
    rows = _data_rows(sheet, _first_data_row(sheet))
    assert [r[1] for r in rows] == published["ten_don_vi"].tolist()
    assert [r[0] for r in rows] == list(range(1, 20))
    assert [format_number(r[14], 1) for r in rows] == published["tong_diem_quy_doi"].tolist()
    assert sheet.cell(_first_data_row(sheet), 15).number_format == "0.0"
    assert [r[15] for r in rows] == published["xep_loai"].tolist()
    assert [r[16] for r in rows] == list(range(1, 20))
    assert rows[0][5] == 30  # TDGQ entered as group points shows in its column


def test_bieu_01_layout(book):
    sheet = book["Biểu 01"]
    first = _first_data_row(sheet)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A8:A10" in merged and "B8:B10" in merged  # STT, name span the header rows
    assert "C8:M8" in merged  # ĐIỂM CÁC CHỈ SỐ over the 11 indicator columns
    assert "C9:E9" in merged and sheet["C9"].value == "Công khai, minh bạch"
    assert sheet["C10"].value == "Chỉ số 1 (5đ)" and sheet["E10"].value == "Chỉ số 3 (10đ)"
    last = first + 18  # 19 units
    assert not any(first <= r.min_row <= last for r in sheet.merged_cells.ranges)  # data never
    assert sheet.cell(last + 2, 1).value == "NGƯỜI LẬP BIỂU"  # and the signer under the table
    assert sheet["A5"].value.startswith("KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI") and sheet["A5"].font.b
    assert sheet["A5"].value.endswith("TRÊN ĐỊA BÀN HUYỆN TUẦN GIÁO THÁNG 9 NĂM 2023")
    assert sheet["A6"].font.i and "tháng 10 năm 2023 của UBND huyện Tuần Giáo" in sheet["A6"].value
    assert sheet["A4"].value == "Biểu số 01"
    right = next(c for c in sheet[1] if c.value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert right.font.b and sheet[2][right.column - 1].value == "Độc lập - Tự do - Hạnh phúc"
    cell = sheet.cell(first, 15)
    assert cell.number_format == "0.0" and cell.font.name == "Times New Roman"
    assert sheet.cell(first, 14).number_format == "0.00"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.print_title_rows == "$8:$10"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.freeze_panes == f"C{first}"
    rules = [r for cf in sheet.conditional_formatting for r in cf.rules]
    assert {'"Xuất sắc"', '"Tốt"', '"Khá"', '"Trung bình"', '"Yếu"'} <= {
        f for r in rules for f in r.formula}


def test_bieu_02_totals_and_online_payment(book):
    published = read_tsv("tuan-giao-2023-09-bieu02.tsv")
    sheet = book["Biểu 02"]
    first = _first_data_row(sheet)
    rows = _data_rows(sheet, first)
    assert rows[0][1] == "UBND thị trấn Tuần Giáo" and rows[0][11] == 1229100
    expected = [int(v.replace(".", "")) for v in published["tong_phi"]]
    assert [r[11] for r in rows[:19]] == expected
    assert [r[10] for r in rows[:19]] == [int(v) for v in published["tong_so_ho_so"]]
    total = rows[19]
    assert total[1] == "TỔNG SỐ" and total[10] == 788 and total[7] == 152
    assert total[12] == pytest.approx(152 / 788)  # recomputed from sums, not averaged
    assert sum(1 for r in rows[:19] if r[12] < 0.25) == 10
    assert sheet.cell(first, 4).number_format == '#,##0;-#,##0;"-"'
    assert sheet.cell(first, 13).number_format == "0.00%"
    rules = [r for cf in sheet.conditional_formatting for r in cf.rules]
    assert any(r.operator == "lessThan" and r.formula == ["0.25"] for r in rules)


def test_bieu_03_rates_and_recomputed_total(book):
    sheet = book["Biểu 03"]
    first = _first_data_row(sheet)
    rows = _data_rows(sheet, first)
    assert [c.value for c in sheet[first - 1]][2:10] == [
        "(1)", "(2)", "(3)=(2)/(1)", "(5)=(1)-(2)", "(6)=(7)+(9)", "(7)", "(8)=(7)/(6)", "(9)"]
    assert rows[0][7] == 57 and round(rows[0][8] * 100, 2) == 98.28
    assert round(rows[4][4] * 100, 2) == 19.44  # Mường Khong 7/36
    total = rows[19]
    assert total[1] == "TỔNG SỐ" and total[2] == 903 and total[3] == 806
    assert total[4] == pytest.approx(806 / 903)


def test_narrative(book):
    text = [r[0] for r in book["Báo cáo"].iter_rows(values_only=True)]
    assert ("UBND các xã, thị trấn thực hiện chấm điểm đánh giá 19/19 đơn vị, trong đó 07 đơn vị "
            "xếp loại xuất sắc, 08 đơn vị xếp loại tốt, 04 đơn vị xếp loại khá.") in text
    payment = next(t for t in text if t.startswith("Còn "))
    assert payment.startswith("Còn 10/19 đơn vị tỷ lệ thanh toán trực tuyến chưa đạt chỉ tiêu kế "
                              "hoạch đề ra (từ 25% trở lên), tính trên 19 đơn vị có trong Biểu "
                              "số 02")
    assert "- UBND xã Quài Tở: Cung cấp dịch vụ trực tuyến (3,30/20,00 điểm, 16,5%)" in text


def test_checks_sheet_reports_the_published_total_mismatch(book):
    rows = list(book["Kiểm tra"].iter_rows(min_row=2, values_only=True))
    assert rows[0][:4] == ("Cảnh báo", "Số hóa", 21, "tiep_nhan")
    assert "1.335" in rows[0][4] and "903" in rows[0][4]


def test_chart_parts(report):
    names = zipfile.ZipFile(report).namelist()
    charts = [n for n in names if n.startswith("xl/charts/chart")]
    assert len(charts) == 6  # five groups and the band distribution
    assert any(n.startswith("xl/drawings/drawing") for n in names)


def test_change_since_last_month(tmp_path):
    from xl766.report.run import create_report

    previous = tmp_path / "thang-8.csv"
    columns = "CKMB.2,TDGQ,DVTT.1,DVTT.2,SHHS.1,SHHS.2,MDHL.1,MDHL.2,MDHL.3"
    previous.write_text(f"ten_don_vi,{columns},TONG\n"
                        "UBND xã Ta Ma,5,30,10,8,2.9,10,5,5,5,85\n"  # better than this month
                        "UBND xã Mường Mùn,5,30,10,10,3,10,5,5,5,83.15\n", encoding="utf-8")
    out = tmp_path / "bc.xlsx"
    content = create_report(SAMPLE, out, previous_path=previous)
    text = [paragraph for _, paragraph in content.paragraphs]
    # converted totals: 81,52/85 vs 83,15/85 → −1,92 on the 100 scale; rank 2 → 1
    assert "UBND xã Mường Mùn giảm 1,92 điểm (hạng 2 → 1)" in text
    assert "UBND xã Ta Ma giảm 4,85 điểm (hạng 1 → 2)" in text
    sheet = load_workbook(out)["Biểu 01"]
    first = _first_data_row(sheet)
    labels = {sheet.cell(r, c).value for r in range(8, first) for c in range(18, 21)}
    assert labels >= {"So với kỳ trước", "Điểm kỳ trước", "Tăng (+) / giảm (−)", "Hạng kỳ trước"}
    assert sheet.cell(first, 19).value == pytest.approx(81.52 / 85 * 100 - 83.15 / 85 * 100)


def test_bad_input_exit_2_lists_all_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "sai.xlsx"
    book = load_workbook(SAMPLE)
    book["Nhập liệu"]["C3"] = "năm"
    book["Phí, lệ phí"]["B4"] = -2
    book.save(bad)
    before = bad.read_bytes()
    out = tmp_path / "bc.xlsx"
    assert main(["tao-bao-cao", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Số liệu có 2 lỗi; chưa lập báo cáo:" in err
    assert "trang 'Nhập liệu', dòng 3, cột 'CKMB.2': 'năm' không phải là số" in err
    assert "trang 'Phí, lệ phí', dòng 4, cột 'chua_tt_so_ho_so': số âm (-2)" in err
    assert not out.exists() and bad.read_bytes() == before


def test_settings_text_is_never_code(tmp_path):
    from xl766.report.settings import ReportSettings

    settings = ReportSettings(ky_bao_cao="2023-09", ten_co_quan="UBND huyện A",
                              tieu_de_bieu_01="{__class__} {0.__init__} {nam} =SUM(A1) {thang}")
    assert settings.fill(settings.tieu_de_bieu_01) == "{__class__} {0.__init__} 2023 =SUM(A1) 9"
    book = load_workbook(SAMPLE)
    book["Cấu hình"].append(["tieu_de_bieu_02", None])
    title = book["Cấu hình"].cell(book["Cấu hình"].max_row, 2)
    title.value, title.data_type = '=HYPERLINK("x") {ky}', "s"  # typed as text by the clerk
    source = tmp_path / "in.xlsx"
    book.save(source)
    book.close()
    out = tmp_path / "bc.xlsx"
    assert main(["tao-bao-cao", str(source), "-o", str(out)]) == 0
    cell = load_workbook(out)["Biểu 02"]["A5"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("X") 09/2023'


def test_refuses_existing_output(tmp_path, capsys):
    out = tmp_path / "bc.xlsx"
    out.write_bytes(b"old")
    assert main(["tao-bao-cao", str(SAMPLE), "-o", str(out)]) == 2
    assert "--ghi-de" in capsys.readouterr().err and out.read_bytes() == b"old"


@needs_soffice
def test_libreoffice_renders_every_appendix(report, tmp_path):
    soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path), str(report))
    pdf = tmp_path / "bao-cao.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in ("Biểu số 01", "Biểu số 02", "Biểu số 03", "UBND xã Mường Mùn",
                     "Xuất sắc", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỔNG SỐ", "95.9"):
        assert expected in text, expected


def test_settings_file_for_a_plain_table(tmp_path):
    from xl766.report.run import create_report

    settings = tmp_path / "cau-hinh.toml"
    settings.write_text('co_quan_bao_cao = "HUYỆN A"\nten_co_quan = "UBND huyện A"\n'
                        'ky_bao_cao = "2023-09"\nbo_chi_so = "dienbien-459-2023"\n'
                        'tieu_de_bieu_01 = "KẾT QUẢ THÁNG {thang}/{nam}"\n', encoding="utf-8")
    out = tmp_path / "bc.xlsx"
    create_report(EXAMPLES / "tuan-giao-2023-09-bieu01.csv", out, settings_file=settings)
    sheet = load_workbook(out)["Biểu 01"]
    assert sheet["A5"].value == "KẾT QUẢ THÁNG 9/2023" and "UBND huyện A" in sheet["A6"].value
    groups = [f"Biểu nhóm {g}" for g in ("CKMB", "TDGQ", "DVTT", "SHHS", "MDHL")]
    assert load_workbook(out).sheetnames == ["Báo cáo", "Biểu 01", *groups, "Biểu đồ", "Kiểm tra"]


def _national_report(tmp_path, units: int):
    """A 766-2026 table of many units with codes under two parents, written as a report."""
    from conftest import raw_table
    from xl766.adapters.tables import RawTable
    from xl766.catalog import load_indicator_set
    from xl766.report.content import assemble
    from xl766.report.inputs import ReportInput
    from xl766.report.settings import ReportSettings
    from xl766.report.workbook import write_report

    indicator_set = load_indicator_set("766-2026")
    rows = [{"ten_don_vi": f"Xã số {u}", "ma_don_vi": f"H{44 + u % 2}.{u:03d}",
             **{f"{i.code}%": (u * 37 + k * 11) % 101 for k, i in
                enumerate(indicator_set.indicators)}} for u in range(units)]
    settings = ReportSettings(ky_bao_cao="2026-10", bo_chi_so="766-2026")
    content = assemble(ReportInput(settings, RawTable(raw_table(rows), "Nhập liệu"), None, None),
                       indicator_set, settings)
    out = tmp_path / "quoc-gia.xlsx"
    write_report(content, out)
    return out, content


def _chart_xml(path) -> list[str]:
    archive = zipfile.ZipFile(path)
    names = sorted((n for n in archive.namelist() if n.startswith("xl/charts/chart")),
                   key=lambda n: int(n.removeprefix("xl/charts/chart").removesuffix(".xml")))
    return [archive.read(n).decode() for n in names]


def test_charts_at_national_scale(tmp_path):
    out, content = _national_report(tmp_path, 120)
    charts = _chart_xml(out)
    # per group: units per 10% bracket, and the 20 lowest; then bands; then bands by parent
    assert len(charts) == 6 * 2 + 2
    sheet = load_workbook(out)["Biểu đồ"]
    rows = list(sheet.iter_rows(values_only=True))
    brackets = [r for r in rows if r[0] and str(r[0]).endswith("%") and "–" in str(r[0])]
    assert len(brackets) == 60 and sum(r[1] for r in brackets[:10]) == 120
    lowest_tables = [i for i, r in enumerate(rows) if r[0] and "20 đơn vị thấp nhất" in r[0]]
    assert len(lowest_tables) == 6
    first = rows[lowest_tables[0] + 2: lowest_tables[0] + 22]
    shares = [r[2] for r in first]
    assert shares == sorted(shares) and len(shares) == 20  # sorted by the value plotted
    groups = content.scores.groups["CKMB"] / content.scores.group_max["CKMB"]
    assert shares[0] == pytest.approx(groups.min())
    parents = [r for r in rows if r[0] in ("H44", "H45")]
    assert [p[0] for p in parents] == ["H44", "H45"] and sum(sum(p[1:6]) for p in parents) == 120
    assert '<c:max val="1"/>' in charts[1] and 'formatCode="0%"' in charts[1]
    assert len(sheet.row_breaks.brk) == len(charts) - 1  # one chart a printed page


def test_a_page_of_units_keeps_one_sorted_chart_per_group(tmp_path):
    out, _ = _national_report(tmp_path, 40)
    assert len(_chart_xml(out)) == 6 + 2  # groups, bands, bands by parent
    rows = list(load_workbook(out)["Biểu đồ"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] and r[0].startswith("Biểu đồ 766"))
    shares = [r[2] for r in rows[start + 2: start + 42]]
    assert shares == sorted(shares, reverse=True)


def test_group_appendices_carry_rates_counts_and_the_office_row(tmp_path):
    """Phú Thọ Q3: per unit the group's points and share and each indicator's points, rate and
    counts; the last row from the counts summed over the 163 units, rates from the sums."""
    import csv

    out = tmp_path / "bc.xlsx"
    assert main(["tao-bao-cao", str(EXAMPLES / "phu-tho-2026-q3.xlsx"), "-o", str(out)]) == 0
    rows = list(load_workbook(out)["Biểu nhóm TDGQ"].iter_rows(values_only=True))
    header = rows[8]
    assert header == (None, None, "Điểm đạt", "Điểm tối đa áp dụng", "Tỷ lệ đạt", "Điểm",
                      "Tỷ lệ (%)", "Tử số", "Mẫu số")
    units = {r[1]: r for r in rows[9:] if isinstance(r[0], int)}
    assert len(units) == 163
    # Văn phòng UBND tỉnh: 156 of 161 on time, 96,89 %, 20 × 156/161 → 19,38 of 20 (0,969)
    assert units["Văn phòng UBND Tỉnh - Tỉnh Phú Thọ"][2:] == (19.38, 20, 0.969, 19.38, 96.89,
                                                                156, 161)
    shares = [r[4] for r in units.values()]
    assert shares == sorted(shares, reverse=True)  # best first
    office = next(r for r in rows if r[1] == "Toàn đơn vị (tính từ tổng số liệu)")
    with open(EXAMPLES / "phu-tho-2026-q3.csv", encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    tu = sum(int(r["TDGQ.1/tu"]) for r in table if r["TDGQ.1/mau"])
    mau = sum(int(r["TDGQ.1/mau"]) for r in table if r["TDGQ.1/mau"])
    assert office[7:] == (tu, mau) == (403016, 464494)
    assert office[6] == 86.76  # 403016 / 464494 = 86,7644…%, from the sums, never averaged
    assert office[5] == 17.35  # 20 × 0,867644… = 17,3529 → 17,35
