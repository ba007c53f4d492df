"""The Word draft of the report (python-docx), laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I:
A4 portrait, margins 20/20/30/15 mm, Times New Roman, the two-column header block, "BÁO CÁO" and
its subject, a justified 14 pt body, page numbers from page 2, "Nơi nhận" and the signature.

The data sections are written from the numbers; what needs a person (assessment, causes, next
month's tasks) is a marked placeholder, never invented text. Text from data goes in as text."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from xl766.engine import narrative
from xl766.report.content import ReportContent, reconciliation_sentence
from xl766.report.settings import BLANK

FONT = "Times New Roman"
BODY_PT, HEADER_PT, RECEIVERS_PT = 14, 13, 11
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PLACEHOLDER = "[Cán bộ soạn thảo bổ sung: {}]"
ATTACHED = "(Biểu số {} kèm theo)"


def _run(paragraph, text: str, *, size: float = BODY_PT, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
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


def _header_block(document, content: ReportContent, width_cm: float) -> None:
    settings = content.settings
    left_cm, right_cm = width_cm - 10.7, 10.7  # the quốc hiệu on one line
    left, right = _two_columns(document, (left_cm, right_cm))
    _line(left, settings.co_quan_chu_quan.upper(), size=HEADER_PT)
    _line(left, (settings.co_quan_bao_cao or settings.ten_co_quan).upper(), size=HEADER_PT,
          bold=True)
    _rule(left, 2.5, left_cm)
    _line(left, f"Số: {settings.so_bao_cao or BLANK}/{settings.ky_hieu}", size=HEADER_PT)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", size=HEADER_PT, bold=True)
    _rule(right, 5.5, right_cm)
    day, month, year = settings.issue_date()
    place = f"{settings.dia_danh}, " if settings.dia_danh else ""
    _line(right, f"{place}ngày {day} tháng {month} năm {year}", size=HEADER_PT, italic=True)


def _body(document, text: str, *, bold=False, italic=False, highlight=False, indent=True):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    form = paragraph.paragraph_format
    form.first_line_indent = Cm(1) if indent else None
    form.space_after, form.space_before, form.line_spacing = Pt(6), Pt(0), 1.15
    run = _run(paragraph, text, bold=bold, italic=italic)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return paragraph


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def sections(content: ReportContent) -> list[tuple[str, str]]:
    """The body as (kind, text): "heading", "text", "attached" or "placeholder"."""
    settings, scores = content.settings, content.scores
    period = settings.period.words()
    issuer = settings.ten_co_quan or "Cơ quan báo cáo"
    parts = [("text", f"Thực hiện {doc.document} ngày {doc.date:%d/%m/%Y} của {doc.issuer} "
                      f"{_lower_first(doc.title)};")
             for doc in content.indicator_set.legal_basis]
    parts += [("text", f"{issuer} tổng hợp báo cáo kết quả đánh giá chất lượng phục vụ người dân, "
                       f"doanh nghiệp {period} như sau:"),
              ("heading", "1. Kết quả đánh giá, xếp loại"),
              ("text", narrative.classification(scores, settings.doi_tuong)),
              *[("text", f"- {line}") for line in narrative.by_kind(scores)],
              ("attached", ATTACHED.format("01"))]
    parts += [("text", line) for line in narrative.group_results(scores)]
    if content.previous is not None:
        changes = narrative.changes(scores, content.previous)
        parts += [("text", "So với kỳ trước: " + "; ".join(changes) + "." if changes else
                   "So với kỳ trước: không có đơn vị nào so sánh được.")]
    if content.fees is not None and content.online_target is not None and (
            "ty_le_truc_tuyen" in content.fees.rows):
        parts += [("text", narrative.online_payment(content.fees, content.online_target)),
                  ("attached", ATTACHED.format("02"))]
    if content.digitisation is not None and "ty_le_tphs" in content.digitisation.total:
        parts += [("text", narrative.digitisation(content.digitisation)),
                  ("attached", ATTACHED.format("03"))]
    if not scores.published.empty:
        parts += [("text", reconciliation_sentence(scores.reconciliation()))]
    parts += [("heading", "2. Đánh giá chung"), ("heading", "2.1. Kết quả đạt được"),
              ("placeholder", PLACEHOLDER.format("nhận xét những kết quả đạt được")),
              ("heading", "2.2. Tồn tại, hạn chế"),
              ("placeholder", PLACEHOLDER.format("tồn tại, hạn chế và nguyên nhân")),
              ("heading", "3. Phương hướng, nhiệm vụ"),
              ("placeholder", PLACEHOLDER.format("nhiệm vụ, giải pháp kỳ tới")),
              ("text", f"Trên đây là Báo cáo {_lower_first(settings.subject(content.indicator_set.subject))} "
                       f"của {issuer}./.")]
    return parts


def _closing(document, content: ReportContent, width_cm: float) -> None:
    settings = content.settings
    left, right = _two_columns(document, (width_cm * 0.45, width_cm * 0.55))
    _line(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    receivers = settings.receivers()
    for position, receiver in enumerate(receivers):
        end = "." if position == len(receivers) - 1 else ";"
        _line(left, f"- {receiver}{end}", size=RECEIVERS_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, settings.quyen_han_ky.upper(), size=BODY_PT, bold=True)
    _line(right, settings.chuc_vu_nguoi_ky.upper(), size=BODY_PT, bold=True)
    for _ in range(4):
        _line(right)
    _line(right, settings.nguoi_ky or PLACEHOLDER.format("họ tên người ký"), size=BODY_PT,
          bold=True)


def write_document(content: ReportContent, path: Path) -> None:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, millimetres in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(millimetres))
    width_cm = 21.0 - (MARGINS_MM["left"] + MARGINS_MM["right"]) / 10
    _page_numbers(section)
    _header_block(document, content, width_cm)
    _line(document, "BÁO CÁO", size=BODY_PT, bold=True, after=0).paragraph_format.space_before = (
        Pt(18))
    _line(document, content.settings.subject(content.indicator_set.subject), size=BODY_PT, bold=True,
          after=6)
    _rule(document, 4, width_cm)
    for kind, text in sections(content):
        if kind == "heading":
            _body(document, text, bold=True)
        elif kind == "attached":
            _body(document, text, italic=True)
        else:
            _body(document, text, highlight=kind == "placeholder")
    _closing(document, content, width_cm)
    document.save(str(path))
