"""Build the bundled Word forms (``report/forms/*.docx``), laid out per Nghị định 30/2020/NĐ-CP,
Phụ lục I: A4 portrait, margins 20/20/30/15 mm, Times New Roman, the two-column header block, a
justified 14 pt body, page numbers from page 2, "Nơi nhận" and the signature.

The forms are docxtpl templates: ``{{ field }}`` and ``{%p for … %}`` tags an office keeps when
it edits wording, letterhead or sections in Word (``xl766 mau-van-ban NAME -o FILE.docx``).
What needs a person is a marked placeholder, never invented text. Rebuild after a change here:

    python -m xl766.report.form_build
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from xl766.report.forms import FOLDER, FORMS

FONT = "Times New Roman"
BODY_PT, HEADER_PT, RECEIVERS_PT, TABLE_PT = 14, 13, 11, 12
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
WIDTH_CM = 21.0 - (MARGINS_MM["left"] + MARGINS_MM["right"]) / 10
PLACEHOLDER = "[Cán bộ soạn thảo bổ sung: {}]"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # a rebuild changes no byte


def _run(paragraph, text: str, *, size: float = BODY_PT, bold=False, italic=False,
         highlight=False):
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def _line(container, text: str = "", *, size: float = BODY_PT, bold=False, italic=False,
          align=WD_ALIGN_PARAGRAPH.CENTER, after: float = 0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _rule(cell, length_cm: float, cell_cm: float) -> None:
    """A short centred rule (a bottom border on an empty paragraph narrowed by indents)."""
    paragraph = _line(cell, size=4)
    side = max((cell_cm - length_cm) / 2, 0)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _no_borders(table) -> None:
    """No lines, and no cell padding: the header block uses the full text width."""
    borders, margins = OxmlElement("w:tblBorders"), OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(borders)
    table._tbl.tblPr.append(margins)


def _two_columns(document, widths_cm: tuple[float, float]):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths_cm, strict=True):
        column.width = cell.width = Cm(width)  # the grid for LibreOffice, the cell for Word
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def _page_numbers(section) -> None:
    """Page numbers at the top centre, from the second page on."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = _run(paragraph, "", size=HEADER_PT)
    field.append(run._element)
    paragraph._p.append(field)


class _Form:
    """One form being written: the NĐ 30 frame, and the body added part by part."""

    def __init__(self, kind: str):
        self.document = document = Document()
        document.core_properties.category = kind  # read back to word the appendices' line
        document.core_properties.author = "xl766"
        normal = document.styles["Normal"]
        normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        section = document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side, millimetres in MARGINS_MM.items():
            setattr(section, f"{side}_margin", Mm(millimetres))
        _page_numbers(section)

    def header(self, *, subject_under_number: bool = False) -> None:
        left_cm, right_cm = WIDTH_CM - 10.7, 10.7  # the quốc hiệu on one line
        left, right = _two_columns(self.document, (left_cm, right_cm))
        _line(left, "{{ co_quan_chu_quan }}", size=HEADER_PT)
        _line(left, "{{ co_quan_bao_cao }}", size=HEADER_PT, bold=True)
        _rule(left, 2.5, left_cm)
        _line(left, "Số: {{ so }}/{{ ky_hieu }}", size=HEADER_PT)
        if subject_under_number:  # a letter: "V/v …" under its number, no title
            _line(left, "V/v {{ trich_yeu_thuong }}", size=12)
        _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
        _line(right, "Độc lập - Tự do - Hạnh phúc", size=HEADER_PT, bold=True)
        _rule(right, 5.5, right_cm)
        _line(right, "{{ noi_ngay }}", size=HEADER_PT, italic=True)

    def title(self, word: str) -> None:
        _line(self.document, word, bold=True).paragraph_format.space_before = Pt(18)
        _line(self.document, "{{ trich_yeu }}", bold=True, after=6)
        _rule(self.document, 4, WIDTH_CM)

    def text(self, text: str, *, bold=False, italic=False, indent=True,
             align=WD_ALIGN_PARAGRAPH.JUSTIFY):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = align
        form = paragraph.paragraph_format
        form.first_line_indent = Cm(1) if indent else None
        form.space_after, form.space_before, form.line_spacing = Pt(6), Pt(0), 1.15
        if text:
            _run(paragraph, text, bold=bold, italic=italic)
        return paragraph

    def heading(self, text: str) -> None:
        self.text(text, bold=True)

    def placeholder(self, what: str) -> None:
        paragraph = self.text("")
        _run(paragraph, PLACEHOLDER.format(what), highlight=True)

    def tag(self, tag: str) -> None:
        """A docxtpl paragraph tag ({%p for … %}): the paragraph itself disappears."""
        self.document.add_paragraph().add_run(tag)

    def image(self, field: str) -> None:
        self.text(f"{{{{ {field} }}}}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)

    def table(self, headers: list, cells: list, rows: str, *, widths_cm: list[float],
              office: tuple[str, list] | None = None, size: float = TABLE_PT) -> None:
        """A bordered table: a header row, one row per item of ``rows`` ("r in …"), and
        optionally a last row shown when ``office[0]`` is true. A cell given as (loop, text)
        is a column repeated per item of the loop ("{%tc for … %}")."""
        def expanded(values: list) -> list[str]:
            out = []
            for value in values:
                out += ([f"{{%tc for {value[0]} %}}", value[1], "{%tc endfor %}"]
                        if isinstance(value, tuple) else [value])
            return out

        widths = expanded([(None, w) if isinstance(h, tuple) else w
                           for h, w in zip(headers, widths_cm, strict=True)])
        widths = [0.1 if isinstance(w, str) else w for w in widths]
        layout = [expanded(headers), [f"{{%tr for {rows} %}}"], expanded(cells),
                  ["{%tr endfor %}"]]
        if office:
            layout += [[f"{{%tr if {office[0]} %}}"], expanded(office[1]), ["{%tr endif %}"]]
        table = self.document.add_table(rows=len(layout), cols=len(layout[0]))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for number, (row, values) in enumerate(zip(table.rows, layout, strict=True)):
            for position, cell in enumerate(row.cells):
                cell.width = Cm(widths[position])
                value = values[position] if position < len(values) else ""
                paragraph = cell.paragraphs[0]
                paragraph.alignment = (WD_ALIGN_PARAGRAPH.LEFT if position == 1 and number
                                       else WD_ALIGN_PARAGRAPH.CENTER)
                if value:
                    _run(paragraph, value, size=size, bold=number == 0)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        self.text("", indent=False).paragraph_format.space_after = Pt(0)

    def closing(self) -> None:
        left, right = _two_columns(self.document, (WIDTH_CM * 0.45, WIDTH_CM * 0.55))
        # the signature block is never split across two pages
        row = self.document.tables[-1].rows[0]._tr
        row.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        _line(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        _line(left, "{%p for n in noi_nhan %}", size=RECEIVERS_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
        _line(left, "- {{ n }}", size=RECEIVERS_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
        _line(left, "{%p endfor %}", size=RECEIVERS_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
        _line(right, "{{ quyen_han_ky }}", bold=True)
        _line(right, "{{ chuc_vu_nguoi_ky }}", bold=True)
        for _ in range(4):
            _line(right)
        _line(right, "{{ nguoi_ky }}", bold=True)

    def bytes(self) -> bytes:
        """The .docx with fixed dates in its zip entries and properties: rebuilt, it is the same
        file byte for byte."""
        from datetime import datetime

        self.document.core_properties.created = datetime(2026, 1, 1)
        self.document.core_properties.modified = datetime(2026, 1, 1)
        self.document.core_properties.last_modified_by = "xl766"
        self.document.core_properties.revision = 1
        raw = io.BytesIO()
        self.document.save(raw)
        fixed = io.BytesIO()
        with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w") as target:
            for item in source.infolist():
                entry = zipfile.ZipInfo(item.filename, _FIXED_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(entry, source.read(item.filename))
        return fixed.getvalue()


def _basis(form: _Form, verb: str) -> None:
    form.tag("{%p for van_ban in can_cu %}")
    form.text(f"{verb} {{{{ van_ban }}}};")
    form.tag("{%p endfor %}")


def _listed(form: _Form, items: str, *, prefix: str = "- ") -> None:
    form.tag(f"{{%p for dong in {items} %}}")
    form.text(f"{prefix}{{{{ dong }}}}")
    form.tag("{%p endfor %}")


def _optional(form: _Form, field: str, attached: str | None = None) -> None:
    form.tag(f"{{%p if {field} %}}")
    form.text(f"{{{{ {field} }}}}")
    if attached:
        form.text(attached, italic=True)
    form.tag("{%p endif %}")


def _plans(form: _Form) -> None:
    """The weakest units' computed plans, said to be computed, before the person's tasks."""
    form.tag("{%p if ke_hoach %}")
    form.text("Theo số liệu kỳ này (xl766 tính, giả định mẫu số giữ nguyên và thêm hồ sơ đạt "
              "yêu cầu), số hồ sơ ít nhất để các đơn vị thấp nhất lên loại kế tiếp:", italic=True)
    _listed(form, "ke_hoach")
    form.tag("{%p endif %}")


def _ending(form: _Form, word: str) -> None:
    form.text(f"Trên đây là {word} {{{{ trich_yeu_thuong }}}} của {{{{ ten_co_quan }}}}./.")
    form.closing()


def short_report() -> _Form:
    """Today's short report: results, bands, groups, changes, payment, digitisation."""
    form = _Form("bao-cao-ngan")
    form.header()
    form.title("BÁO CÁO")
    _basis(form, "Thực hiện")
    form.text("{{ ten_co_quan }} tổng hợp báo cáo kết quả đánh giá chất lượng phục vụ người dân, "
              "doanh nghiệp {{ ky }} như sau:")
    form.heading("1. Kết quả đánh giá, xếp loại")
    form.text("{{ xep_loai }}")
    _listed(form, "theo_loai")
    form.text("(Biểu số 01 kèm theo)", italic=True)
    _listed(form, "ket_qua_nhom", prefix="")
    _optional(form, "thay_doi")
    _optional(form, "thanh_toan", "(Biểu số 02 kèm theo)")
    _optional(form, "so_hoa", "(Biểu số 03 kèm theo)")
    _optional(form, "doi_chieu")
    form.heading("2. Đánh giá chung")
    form.heading("2.1. Kết quả đạt được")
    form.placeholder("nhận xét những kết quả đạt được")
    form.heading("2.2. Tồn tại, hạn chế")
    form.placeholder("tồn tại, hạn chế và nguyên nhân")
    form.heading("3. Phương hướng, nhiệm vụ")
    _plans(form)
    form.placeholder("nhiệm vụ, giải pháp kỳ tới")
    _ending(form, "Báo cáo")
    return form


def _group_sections(form: _Form, numbered: str) -> None:
    """Per group: its indicators, a table of units with the office's row, a chart, causes."""
    form.tag("{%p for g in nhom %}")
    form.heading(f"{numbered}{{{{ g.stt }}}}. {{{{ g.ten }}}} ({{{{ g.toi_da }}}} điểm)")
    form.text(f"{numbered}{{{{ g.stt }}}}.1. Nội dung thực hiện", italic=True)
    form.tag("{%p for c in g.chi_so %}")
    form.text("- {{ c.ten }}{{ c.so_lieu }}.")
    form.tag("{%p endfor %}")
    form.text(f"{numbered}{{{{ g.stt }}}}.2. Kết quả đánh giá", italic=True)
    form.text("{{ g.tom_tat }}")
    form.table(["STT", "Đơn vị", "Điểm", "Tỷ lệ (%)"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.diem }}", "{{ r.ty_le }}"],
               "r in g.don_vi", widths_cm=[1.6, 8.4, 3.0, 3.0],
               office=("g.chung", ["", "{{ g.chung.ten }}", "{{ g.chung.diem }}",
                                   "{{ g.chung.ty_le }}"]))
    _optional(form, "g.an_bot")
    form.image("g.bieu_do")
    form.text(f"{numbered}{{{{ g.stt }}}}.3. Nguyên nhân", italic=True)
    form.placeholder("nguyên nhân của kết quả nhóm chỉ số")
    form.tag("{%p endfor %}")


def group_report() -> _Form:
    """Form A: a district's monthly report by group."""
    form = _Form("bao-cao-nhom")
    form.header()
    form.title("BÁO CÁO")
    _basis(form, "Thực hiện")
    form.text("{{ ten_co_quan }} báo cáo kết quả thực hiện Bộ chỉ số {{ ky }} như sau:")
    form.heading("I. KẾT QUẢ ĐÁNH GIÁ BỘ CHỈ SỐ")
    form.heading("1. Đối với {{ don_vi_bao_cao.ten }}")
    form.text("{{ don_vi_bao_cao.cau }}")
    form.tag("{%p if not don_vi_bao_cao.hang %}")
    form.placeholder("thứ hạng so với các đơn vị cùng cấp (theo Cổng DVCQG)")
    form.tag("{%p endif %}")
    form.table(["STT", "Nhóm chỉ số thành phần", "Điểm tối đa", "Điểm", "Tỷ lệ (%)"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.toi_da }}", "{{ r.diem }}", "{{ r.ty_le }}"],
               "r in bang_nhom", widths_cm=[1.4, 7.1, 2.5, 2.5, 2.5])
    form.heading("2. Đối với {{ doi_tuong_thuong }}")
    form.text("{{ cao_thap }}")
    form.text("{{ xep_loai }}")
    _listed(form, "theo_loai")
    form.image("bieu_do_xep_loai")
    form.table(["STT", "Tên đơn vị", "Điểm tổng", ("g in nhom", "{{ g.ma }} ({{ g.toi_da }})")],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.tong }}", ("v in r.nhom", "{{ v }}")],
               "r in don_vi", widths_cm=[1.5, 4.2, 1.5, 1.5], size=10)
    _optional(form, "don_vi_an_bot")
    form.text("(Biểu số 01 và các biểu nhóm kèm theo)", italic=True)
    form.heading("II. NHÓM CHỈ SỐ THÀNH PHẦN")
    _group_sections(form, "")
    form.heading("III. NHIỆM VỤ, GIẢI PHÁP")
    _plans(form)
    form.placeholder("nhiệm vụ, giải pháp kỳ tới")
    _ending(form, "Báo cáo")
    return form


def letter() -> _Form:
    """Form B: a province's letter (Công văn) with Kính gửi and V/v, no title."""
    form = _Form("cong-van")
    form.header(subject_under_number=True)
    paragraph = form.text("Kính gửi:", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.space_before = Pt(12)
    _listed(form, "kinh_gui")
    _basis(form, "Căn cứ")
    form.text("{{ nguoi_co_y_kien }} có ý kiến như sau:", bold=True)
    form.heading("1. Công khai kết quả {{ ky }}")
    form.text("{{ don_vi_bao_cao.cau }}")
    form.placeholder("ngày tra cứu số liệu")
    form.tag("{%p if not don_vi_bao_cao.hang %}")
    form.placeholder("thứ hạng so với các địa phương")
    form.tag("{%p endif %}")
    form.tag("{%p for g in nhom %}")
    form.text("1.{{ g.stt }}. Điểm {{ g.ten_thuong }}: {{ g.diem_chung }} điểm{{ g.thay_doi }}.",
              bold=True)
    form.tag("{%p for c in g.chi_so %}")
    form.text("- {{ c.ten }}{{ c.so_lieu }}.")
    form.tag("{%p endfor %}")
    form.tag("{%p endfor %}")
    form.text("{{ xep_loai }}")
    _listed(form, "theo_loai")
    form.text("(Chi tiết kết quả của {{ so_don_vi }} cơ quan, đơn vị tại Biểu số 01 và các biểu "
              "nhóm ban hành kèm theo văn bản này)", italic=True)
    form.heading("2. Việc công khai kết quả của các cơ quan, đơn vị")
    form.placeholder("kết quả theo dõi việc công khai của cấp dưới")
    form.heading("3. Nhiệm vụ")
    _plans(form)
    form.placeholder("nhiệm vụ giao từng cơ quan, đơn vị và thời hạn")
    form.text("{{ nguoi_co_y_kien }} yêu cầu các cơ quan, đơn vị triển khai thực hiện./.")
    form.closing()
    return form


def notice() -> _Form:
    """Form C: a district's web notice, with the appendix of sub-indicators."""
    form = _Form("thong-bao")
    form.header()
    form.title("THÔNG BÁO")
    form.text("{{ ten_co_quan }} thông báo kết quả {{ ky }} như sau:")
    form.text("{{ don_vi_bao_cao.cau }} Trong đó:")
    form.tag("{%p for g in nhom %}")
    form.text("- {{ g.ten }}: {{ g.diem_chung }} điểm.")
    form.tag("{%p endfor %}")
    _optional(form, "nhom_thap")
    _optional(form, "tien_bo")
    form.text("Các đơn vị chưa đạt điểm tối đa theo từng nhóm chỉ số:")
    form.tag("{%p for g in nhom %}")
    form.text("- {{ g.ten }} ({{ g.chua_dat }}).")
    form.tag("{%p endfor %}")
    form.text("{{ xep_loai }}")
    form.placeholder("yêu cầu đối với các đơn vị")
    _ending(form, "Thông báo")
    form.tag("{%p if phu_luc_cot %}")  # a set with no headline indicators has no appendix
    form.document.add_page_break()
    form.text("PHỤ LỤC", bold=True, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    form.text("MỘT SỐ TIÊU CHÍ THÀNH PHẦN CỦA CÁC ĐƠN VỊ {{ ky_hoa }}", bold=True, indent=False,
              align=WD_ALIGN_PARAGRAPH.CENTER)
    form.text("{{ kem_theo }}", italic=True, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    form.table(["STT", "Tên đơn vị", "Mã định danh", ("c in phu_luc_cot", "{{ c }}")],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.ma }}", ("v in r.o", "{{ v }}")],
               "r in phu_luc", widths_cm=[1.5, 4.0, 2.6, 1.8], size=10,
               office=("phu_luc_chung", ["", "{{ phu_luc_chung.ten }}", "",
                                         ("v in phu_luc_chung.o", "{{ v }}")]))
    _optional(form, "phu_luc_an_bot")
    form.tag("{%p endif %}")
    return form


BUILDERS = {"bao-cao-ngan": short_report, "bao-cao-nhom": group_report, "cong-van": letter,
            "thong-bao": notice}


def build(folder: Path = FOLDER) -> list[Path]:
    written = []
    for name in FORMS:
        target = folder / f"{name}.docx"
        target.write_bytes(BUILDERS[name]().bytes())
        written.append(target)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER):
        print(path)
