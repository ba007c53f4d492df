"""The Word draft (Nghị định 30/2020/NĐ-CP): read back with python-docx, and rendered to PDF by
LibreOffice Writer, from the Tuần Giáo sample."""

import re

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Mm, Pt

from conftest import EXAMPLES, needs_soffice, soffice
from xl766.cli import main

SAMPLE = EXAMPLES / "tuan-giao-2023-09.xlsx"


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    folder = tmp_path_factory.mktemp("van-ban")
    code = main(["tao-bao-cao", str(SAMPLE), "-o", str(folder / "bao-cao.xlsx"), "--van-ban",
                 str(folder / "bao-cao.docx")])
    assert code == 0
    return folder / "bao-cao.docx"


def _texts(document):
    return [p.text for p in document.paragraphs]


def test_page_and_margins(draft):
    section = Document(draft).sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert [round(m / Mm(1)) for m in (section.top_margin, section.bottom_margin,
                                       section.left_margin, section.right_margin)] == [
        20, 20, 30, 15]
    assert section.different_first_page_header_footer  # page numbers from page 2
    assert 'PAGE' in section.header._element.xml


def test_header_block(draft):
    left, right = Document(draft).tables[0].rows[0].cells
    lines = [(p.text, p.runs[0].bold, p.runs[0].font.size) for p in left.paragraphs if p.text]
    assert lines[:2] == [("ỦY BAN NHÂN DÂN", False, Pt(13)), ("HUYỆN TUẦN GIÁO", True, Pt(13))]
    assert lines[2][0].startswith("Số:") and lines[2][0].endswith("/BC-UBND")
    right_lines = [(p.text, p.runs[0].bold, p.runs[0].font.size, p.runs[0].italic)
                   for p in right.paragraphs if p.text]
    assert right_lines[0] == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, Pt(12), False)
    assert right_lines[1] == ("Độc lập - Tự do - Hạnh phúc", True, Pt(13), False)
    assert right_lines[2][0].endswith("tháng 10 năm 2023") and right_lines[2][3]
    rules = [p for cell in (left, right) for p in cell.paragraphs if "w:pBdr" in p._p.xml]
    assert len(rules) == 2  # a short rule under the agency and under the motto


def test_title_body_and_fonts(draft):
    document = Document(draft)
    texts = _texts(document)
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert texts[texts.index("BÁO CÁO") + 1].endswith("tháng 9 năm 2023")
    band = ("UBND các xã, thị trấn thực hiện chấm điểm đánh giá 19/19 đơn vị, trong đó 07 đơn vị "
            "xếp loại xuất sắc, 08 đơn vị xếp loại tốt, 04 đơn vị xếp loại khá.")
    assert band in texts
    body = next(p for p in document.paragraphs if p.text == band)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent > 0 and body.runs[0].font.size == Pt(14)
    assert all(run.font.name == "Times New Roman" for p in document.paragraphs for run in p.runs)
    for number in ("01", "02", "03"):
        assert f"(Biểu số {number} kèm theo)" in texts
    assert any(t.startswith("Còn 10/19 đơn vị") for t in texts)
    assert any(t.startswith("Thực hiện Quyết định số 459/QĐ-UBND ngày 24/03/2023") for t in texts)


def test_placeholders_only_where_a_person_writes(draft):
    document = Document(draft)
    texts = _texts(document)
    marked = [p for p in document.paragraphs if p.text.startswith("[Cán bộ soạn thảo bổ sung")]
    assert len(marked) == 3
    assert all(p.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW for p in marked)
    first_placeholder = texts.index(marked[0].text)
    assert not any("[" in t for t in texts[:first_placeholder])  # data sections all filled


def test_receivers_and_signature(draft, tmp_path):
    signature = Document(draft).tables[-1].rows[0].cells
    receivers = [p for p in signature[0].paragraphs if p.text]
    assert receivers[0].text == "Nơi nhận:" and receivers[0].runs[0].bold
    assert receivers[0].runs[0].italic and receivers[0].runs[0].font.size == Pt(12)
    assert [p.text for p in receivers[1:]] == ["- Như trên;", "- Lưu: VT."]
    assert receivers[1].runs[0].font.size == Pt(11)
    signer = [p.text for p in signature[1].paragraphs if p.text]
    assert signer[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_settings_fill_the_signature(tmp_path):
    settings = tmp_path / "cau-hinh.toml"
    settings.write_text('ky_bao_cao = "2023-09"\nbo_chi_so = "dienbien-459-2023"\n'
                        'ten_co_quan = "UBND huyện Tuần Giáo"\ndia_danh = "Tuần Giáo"\n'
                        'quyen_han_ky = "TL. CHỦ TỊCH"\nchuc_vu_nguoi_ky = "CHÁNH VĂN PHÒNG"\n'
                        'nguoi_ky = "Nguyễn Văn Bách"\nngay_bao_cao = "05/10/2023"\n'
                        'noi_nhan = "Văn phòng UBND tỉnh; Lưu: VT"\n', encoding="utf-8")
    out = tmp_path / "b.docx"
    assert main(["tao-bao-cao", str(EXAMPLES / "tuan-giao-2023-09-bieu01.csv"), "-o",
                 str(tmp_path / "b.xlsx"), "--cau-hinh", str(settings), "--van-ban",
                 str(out)]) == 0
    document = Document(out)
    right = document.tables[0].rows[0].cells[1]
    assert "Tuần Giáo, ngày 05 tháng 10 năm 2023" in [p.text for p in right.paragraphs]
    signer = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert signer == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Nguyễn Văn Bách"]


def test_nothing_written_on_errors(tmp_path, capsys):
    from openpyxl import load_workbook

    book = load_workbook(SAMPLE)
    book["Nhập liệu"]["C3"] = -1
    book.save(tmp_path / "sai.xlsx")
    code = main(["tao-bao-cao", str(tmp_path / "sai.xlsx"), "-o", str(tmp_path / "o.xlsx"),
                 "--van-ban", str(tmp_path / "o.docx")])
    assert code == 2 and not (tmp_path / "o.docx").exists() and not (tmp_path / "o.xlsx").exists()
    assert main(["tao-bao-cao", str(SAMPLE), "-o", str(tmp_path / "o.xlsx"), "--van-ban",
                 str(tmp_path / "o.txt")]) == 2
    assert ".docx" in capsys.readouterr().err


@needs_soffice
def test_libreoffice_renders_two_pages(draft, tmp_path):
    import subprocess

    soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path), str(draft))
    pdf = tmp_path / "bao-cao.pdf"
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+2$", pages.stdout, re.MULTILINE)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text  # one line at 12 pt
    assert "07 đơn vị xếp loại xuất sắc, 08 đơn vị xếp loại tốt" in " ".join(text.split())


def test_portal_data_adds_the_reconciliation(tmp_path):
    out = tmp_path / "pt.docx"
    assert main(["tao-bao-cao", str(EXAMPLES / "phu-tho-2026-q3.xlsx"), "-o",
                 str(tmp_path / "pt.xlsx"), "--van-ban", str(out)]) == 0
    texts = _texts(Document(out))
    assert any(t.startswith("Tính lại 3.254 điểm chỉ số và điểm nhóm do Cổng DVCQG công bố cho "
                            "163 đơn vị: tất cả khớp") for t in texts)
    assert texts[texts.index("BÁO CÁO") + 1].endswith("quý III năm 2026")
