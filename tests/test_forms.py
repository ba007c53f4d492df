"""The Word forms an office sends (form A by group, B letter, C notice, and the short report),
filled from an illustrative two-level table, read back with python-docx and rendered by
LibreOffice; an office's edited template, a broken one, and the copy command."""

import subprocess
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd
import pytest
from docx import Document
from docx.shared import Mm

from conftest import needs_soffice, run_cli, soffice
from xl766.catalog import load_indicator_set
from xl766.report.form_build import BUILDERS
from xl766.report.forms import FOLDER, FORMS

SET = load_indicator_set("766-2026")
KINDS = ["Sở, ban, ngành"] * 3 + ["UBND cấp xã"] * 9


def _counts(unit: int, position: int) -> tuple[int, int]:
    """Illustrative counts: a denominator and a numerator a little under it."""
    denominator = 40 + 7 * unit + 3 * position
    return denominator - (unit * (position + 1)) % 17, denominator


def sample(units: int = 12, *, office_row: bool = False) -> pd.DataFrame:
    records = []
    for unit in range(units):
        kind = KINDS[unit % len(KINDS)]
        name = f"{'Sở' if kind.startswith('Sở') else 'UBND xã'} Mẫu {unit + 1:02d}"
        record = {"ten_don_vi": name, "ma_don_vi": f"T99.{unit + 1:04d}", "loai_don_vi": kind}
        for position, indicator in enumerate(SET.indicators):
            record[f"{indicator.code}/tu"], record[f"{indicator.code}/mau"] = _counts(unit,
                                                                                      position)
        records.append(record)
    if office_row:
        office = {"ten_don_vi": "UBND tỉnh Thử Nghiệm", "ma_don_vi": "T99",
                  "loai_don_vi": "Đơn vị báo cáo"}
        for indicator in SET.indicators:
            office[f"{indicator.code}/tu"], office[f"{indicator.code}/mau"] = 95, 100
        records.insert(0, office)
    return pd.DataFrame(records)


SETTINGS = """ky_bao_cao = "2026-10"
bo_chi_so = "766-2026"
co_quan_bao_cao = "UBND TỈNH THỬ NGHIỆM"
ten_co_quan = "UBND tỉnh Thử Nghiệm"
doi_tuong = "Các cơ quan, đơn vị"
dia_danh = "Thử Nghiệm"
ky_hieu = "UBND-KSTT"
kinh_gui = "Sở, ban, ngành thuộc UBND tỉnh; UBND các huyện, thành phố"
can_cu = "Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND tỉnh về kiểm soát TTHC năm 2026"
quyen_han_ky = "TL. CHỦ TỊCH"
chuc_vu_nguoi_ky = "CHÁNH VĂN PHÒNG"
"""


def _fill(tmp_path, capsys, form: str, frame: pd.DataFrame | None = None, settings=SETTINGS,
          name="bc"):
    table = tmp_path / f"{name}.csv"
    (sample() if frame is None else frame).to_csv(table, index=False)
    config = tmp_path / f"{name}.toml"
    config.write_text(settings, encoding="utf-8")
    out = tmp_path / f"{name}.docx"
    code, _, err = run_cli(capsys, "tao-bao-cao", table, "-o", tmp_path / f"{name}.xlsx",
                           "--cau-hinh", config, "--van-ban", out, "--mau-van-ban", form)
    assert code == 0, err
    return out


def _texts(path):
    return [p.text for p in Document(path).paragraphs]


def _cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), ROUND_HALF_UP)


def _office_rate(code: str, units: int = 12) -> tuple[Fraction, int, int]:
    """The whole office's rate of an indicator, from the counts summed over its units."""
    position = [i.code for i in SET.indicators].index(code)
    pairs = [_counts(u, position) for u in range(units)]
    tu, mau = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    return Fraction(tu, mau), tu, mau


def _vn(number: Decimal | int) -> str:
    text = f"{number:,}" if isinstance(number, int) else f"{number:,.2f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@pytest.fixture(scope="module")
def by_group(tmp_path_factory):
    from xl766.cli import main

    folder = tmp_path_factory.mktemp("nhom")
    table = folder / "bc.csv"
    sample().to_csv(table, index=False)
    (folder / "bc.toml").write_text(SETTINGS, encoding="utf-8")
    out = folder / "bc.docx"
    assert main(["tao-bao-cao", str(table), "-o", str(folder / "bc.xlsx"), "--cau-hinh",
                 str(folder / "bc.toml"), "--van-ban", str(out), "--mau-van-ban",
                 "bao-cao-nhom"]) == 0
    return out


def test_form_a_has_a_section_per_group_with_every_unit_and_the_office_row(by_group):
    document = Document(by_group)
    texts = [p.text for p in document.paragraphs]
    for number, group in enumerate(SET.groups, start=1):
        assert f"{number}. {group.name} ({group.max_points:g} điểm)" in texts
        assert f"{number}.3. Nguyên nhân" in texts
    unit_tables = [t for t in document.tables
                   if [c.text for c in t.rows[0].cells] == ["STT", "Đơn vị", "Điểm", "Tỷ lệ (%)"]]
    assert len(unit_tables) == 6
    for table in unit_tables:
        assert len(table.rows) == 1 + 12 + 1  # header, every unit, the office
        assert table.rows[-1].cells[1].text == "Toàn đơn vị (tính từ tổng số liệu)"
    # TDGQ (one indicator, 20 points): the office's points from the summed counts
    rate, tu, mau = _office_rate("TDGQ.1")
    office = unit_tables[1].rows[-1].cells
    points = _cents(rate * 20)
    assert office[2].text == f"{_vn(points).rstrip('0').rstrip(',')}/20"
    assert office[3].text == _vn(_cents(Fraction(points) / 20 * 100))
    # the indicator's line carries its rate and counts, from the same sums
    assert (f"- Hồ sơ xử lý trước hạn, đúng hạn: {_vn(_cents(rate * 100))}% ({_vn(tu)}/"
            f"{_vn(mau)}).") in texts


def test_form_a_units_table_bands_and_kinds(by_group):
    document = Document(by_group)
    texts = [p.text for p in document.paragraphs]
    header = next(t for t in document.tables if t.rows[0].cells[0].text == "STT"
                  and t.rows[0].cells[2].text == "Điểm tổng")
    assert [c.text for c in header.rows[0].cells][3:] == [
        f"{g.code} ({g.max_points:g})" for g in SET.groups]
    assert len(header.rows) == 13
    assert "- Sở, ban, ngành: 03 đơn vị đạt loại Xuất sắc." in texts
    assert any(t.startswith("- UBND cấp xã: ") for t in texts)
    assert any(t.startswith("Điểm số cao nhất là ") for t in texts)
    images = document.inline_shapes
    assert len(images) == 7  # the bands and one chart per group
    assert all(abs(shape.width - Mm(160)) < Mm(1) for shape in images)


@needs_soffice
def test_form_a_renders_through_libreoffice(by_group, tmp_path):
    soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path), str(by_group))
    text = subprocess.run(["pdftotext", str(tmp_path / "bc.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "II. NHÓM CHỈ SỐ THÀNH PHẦN" in flat and "6. Số hóa hồ sơ" in flat
    assert "Toàn đơn vị (tính từ tổng số liệu)" in flat


def test_form_b_is_a_letter(tmp_path, capsys):
    out = _fill(tmp_path, capsys, "cong-van")
    document = Document(out)
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" not in texts and "Kính gửi:" in texts
    assert texts[texts.index("Kính gửi:") + 1:][:2] == [
        "- Sở, ban, ngành thuộc UBND tỉnh;", "- UBND các huyện, thành phố."]
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left[2] == "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/UBND-KSTT"
    assert left[3].startswith("V/v kết quả đánh giá chất lượng phục vụ người dân")
    assert ("Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND tỉnh về kiểm soát TTHC năm "
            "2026;") in texts
    assert "Chủ tịch UBND tỉnh Thử Nghiệm có ý kiến như sau:" in texts
    rate, tu, mau = _office_rate("SHHS.2")
    assert f"- Hồ sơ được số hóa: {_vn(_cents(rate * 100))}% ({_vn(tu)}/{_vn(mau)})." in texts
    closing = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == (
        "Nơi nhận:"))
    signer = [p.text for p in closing.rows[0].cells[1].paragraphs if p.text]
    assert signer[:2] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
    from openpyxl import load_workbook

    line = load_workbook(tmp_path / "bc.xlsx")["Biểu 01"]["A6"].value
    assert line.startswith("(Kèm theo Công văn số")


def test_form_c_appendix_of_headline_indicators(tmp_path, capsys):
    out = _fill(tmp_path, capsys, "thong-bao")
    document = Document(out)
    table = document.tables[-1]
    names = {i.code: i.name for i in SET.indicators}
    assert [c.text for c in table.rows[0].cells] == [
        "STT", "Tên đơn vị", "Mã định danh", *[f"{names[c]} (%)" for c in SET.headline]]
    assert len(table.rows) == 1 + 12 + 1
    office = [c.text for c in table.rows[-1].cells]
    assert office[1] == "Tỷ lệ chung (tính từ tổng số hồ sơ)"
    expected = [_vn(_cents(_office_rate(code)[0] * 100)) for code in SET.headline]
    assert office[3:] == expected
    texts = _texts(out)
    assert "THÔNG BÁO" in texts
    assert any(t.startswith("(Kèm theo Thông báo số") for t in texts)


def test_the_offices_own_row_heads_the_report_and_is_not_ranked(tmp_path, capsys):
    out = _fill(tmp_path, capsys, "bao-cao-nhom", sample(office_row=True))
    texts = _texts(out)
    # 95 of 100 dossiers everywhere: 95 % of each linear indicator's points and all of each
    # target indicator's (targets at most 95 %): 17,1 + 19 + 11,8 + 9,7 + 17,4 + 21 = 96
    assert "Tháng 10 năm 2026, UBND tỉnh Thử Nghiệm đạt 96/100 điểm, xếp loại Xuất sắc." in texts
    assert any(t.startswith("Các cơ quan, đơn vị thực hiện chấm điểm đánh giá 12/12 đơn vị")
               for t in texts)
    table = next(t for t in Document(out).tables
                 if [c.text for c in t.rows[0].cells] == ["STT", "Đơn vị", "Điểm", "Tỷ lệ (%)"])
    assert table.rows[-1].cells[1].text == "UBND tỉnh Thử Nghiệm"
    assert "UBND tỉnh Thử Nghiệm" not in [r.cells[1].text for r in table.rows[1:-1]]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_bundled_form_keeps_the_decree_30_layout(tmp_path, capsys, form):
    out = _fill(tmp_path, capsys, form)
    document = Document(out)
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert [round(m / Mm(1)) for m in (section.top_margin, section.bottom_margin,
                                       section.left_margin, section.right_margin)] == [
        20, 20, 30, 15]
    assert section.different_first_page_header_footer and "PAGE" in section.header._element.xml
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text][:2] == ["ỦY BAN NHÂN DÂN",
                                                               "UBND TỈNH THỬ NGHIỆM"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [p.text for p in right.paragraphs]
    assert "Thử Nghiệm, ngày" in " ".join(p.text for p in right.paragraphs)
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)
    body = "\n".join(p.text for p in document.paragraphs)
    assert "{{" not in body and "{%" not in body and "nan" not in body.split()
    closing = [t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"]
    assert len(closing) == 1


@needs_soffice
@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_bundled_form_renders(tmp_path, capsys, form):
    out = _fill(tmp_path, capsys, form)
    soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path), str(out))
    info = subprocess.run(["pdfinfo", str(tmp_path / "bc.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert int(info.split("Pages:")[1].split()[0]) >= 2


def test_bundled_forms_are_what_the_builder_makes():
    for name, build in BUILDERS.items():
        assert build().bytes() == (FOLDER / f"{name}.docx").read_bytes(), name


def test_an_edited_template_fills_as_edited(tmp_path, capsys):
    code, _, err = run_cli(capsys, "mau-van-ban", "bao-cao-nhom", "-o", tmp_path / "mau.docx")
    assert code == 0, err
    document = Document(tmp_path / "mau.docx")
    left = document.tables[0].rows[0].cells[0]
    left.paragraphs[0].runs[0].text = "TỈNH ỦY THỬ NGHIỆM"  # a changed letterhead
    body = document.element.body
    paragraphs = document.paragraphs
    tasks = next(p for p in paragraphs if p.text == "III. NHIỆM VỤ, GIẢI PHÁP")
    first = next(p for p in paragraphs if p.text == "I. KẾT QUẢ ĐÁNH GIÁ BỘ CHỈ SỐ")
    body.remove(tasks._p)
    first._p.addprevious(tasks._p)  # a moved section: tasks first
    document.save(tmp_path / "mau.docx")
    settings = SETTINGS + f'mau_van_ban = "{(tmp_path / "mau.docx").as_posix()}"\n'
    config = tmp_path / "c.toml"
    config.write_text(settings, encoding="utf-8")
    sample().to_csv(tmp_path / "t.csv", index=False)
    out = tmp_path / "out.docx"
    code, _, err = run_cli(capsys, "tao-bao-cao", tmp_path / "t.csv", "-o", tmp_path / "o.xlsx",
                           "--cau-hinh", config, "--van-ban", out)
    assert code == 0, err
    filled = Document(out)
    texts = [p.text for p in filled.paragraphs]
    assert texts.index("III. NHIỆM VỤ, GIẢI PHÁP") < texts.index("I. KẾT QUẢ ĐÁNH GIÁ BỘ CHỈ SỐ")
    assert filled.tables[0].rows[0].cells[0].paragraphs[0].text == "TỈNH ỦY THỬ NGHIỆM"
    assert "1. Công khai, minh bạch (18 điểm)" in texts


@pytest.mark.parametrize(("tag", "said"), [
    ("{{ xep_loai ", "thẻ hỏng"),
    ("{{ khong_co_truong }}", "khong_co_truong"),
    ("{%p for g in nhom %}", "thẻ hỏng"),
])
def test_a_broken_template_is_a_message_and_nothing_is_written(tmp_path, capsys, tag, said):
    run_cli(capsys, "mau-van-ban", "bao-cao-ngan", "-o", tmp_path / "hong.docx")
    document = Document(tmp_path / "hong.docx")
    document.add_paragraph(tag)
    document.save(tmp_path / "hong.docx")
    sample().to_csv(tmp_path / "t.csv", index=False)
    config = tmp_path / "c.toml"
    config.write_text(SETTINGS, encoding="utf-8")
    code, out, err = run_cli(capsys, "tao-bao-cao", tmp_path / "t.csv", "-o", tmp_path / "o.xlsx",
                             "--cau-hinh", config, "--van-ban", tmp_path / "o.docx",
                             "--mau-van-ban", tmp_path / "hong.docx")
    assert code == 2 and "hong.docx" in err and said in err
    assert not (tmp_path / "o.docx").exists() and not (tmp_path / "o.xlsx").exists()


def test_the_copy_command(tmp_path, capsys):
    code, out, _ = run_cli(capsys, "mau-van-ban")
    assert code == 0 and all(name in out for name in FORMS)
    target = tmp_path / "cv.docx"
    assert run_cli(capsys, "mau-van-ban", "cong-van", "-o", target)[0] == 0
    assert target.read_bytes() == (FOLDER / "cong-van.docx").read_bytes()
    code, _, err = run_cli(capsys, "mau-van-ban", "cong-van", "-o", target)
    assert code == 2 and "--ghi-de" in err
    code, _, err = run_cli(capsys, "mau-van-ban", "khong-co", "-o", tmp_path / "x.docx")
    assert code == 2 and "bao-cao-nhom" in err
    code, _, err = run_cli(capsys, "tao-bao-cao", tmp_path / "x.csv", "-o", tmp_path / "x.xlsx",
                           "--mau-van-ban", "khong-co")
    assert code == 2


def test_national_size_caps_lists_and_tables(tmp_path, capsys):
    out = _fill(tmp_path, capsys, "bao-cao-nhom", sample(3321))
    document = Document(out)
    texts = [p.text for p in document.paragraphs]
    assert any(t == "Bảng nêu 20 đơn vị thấp nhất trong 3.321 đơn vị; đủ danh sách tại Biểu số "
               "01 kèm theo." for t in texts)
    assert any("đơn vị thấp nhất trong 3.321 đơn vị; đủ danh sách tại Biểu nhóm CKMB" in t
               for t in texts)
    assert any(t.startswith("Các cơ quan, đơn vị thực hiện chấm điểm đánh giá 3.321/3.321 đơn vị")
               for t in texts)
    assert all(len(t.rows) <= 1 + 20 + 1 for t in document.tables)


def test_the_workbook_has_the_sub_indicator_appendix(tmp_path, capsys):
    from openpyxl import load_workbook

    _fill(tmp_path, capsys, "thong-bao")
    sheet = load_workbook(tmp_path / "bc.xlsx")["Phụ lục chỉ tiêu"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][0] == "Phụ lục"
    header = next(r for r in rows if r[0] == "STT")
    assert header[3] == "Hồ sơ xử lý trước hạn, đúng hạn (TDGQ.1)"
    office = next(r for r in rows if r[1] == "Tỷ lệ chung (tính từ tổng số hồ sơ)")
    rate, tu, mau = _office_rate("TDGQ.1")
    assert office[3:6] == (float(_cents(rate * 100)), tu, mau)
    units = [r for r in rows if isinstance(r[0], int)]
    assert len(units) == 12 and all(r[2].startswith("T99.") for r in units)


def test_an_acronym_keeps_its_capitals_inside_a_sentence(tmp_path, capsys):
    settings = SETTINGS.replace('doi_tuong = "Các cơ quan, đơn vị"',
                                'doi_tuong = "UBND các xã, thị trấn"')
    out = _fill(tmp_path, capsys, "bao-cao-nhom", settings=settings)
    assert "2. Đối với UBND các xã, thị trấn" in _texts(out)
