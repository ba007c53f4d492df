"""The Word draft: a form (a bundled one, or the office's own edit of it) filled by docxtpl.

A broken template is a message naming the template and the tag, never a traceback and never a
half-written file (the caller writes to a temporary file and renames it)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.report.content import ReportContent

CHART_WIDTH_MM = 160
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def _template_error(path: Path, error: Exception, source: str) -> InputError:
    """Name the template and the tag: the undefined name, or the tag where parsing failed."""
    name = path.name
    message = str(error).replace("'dict object' has no attribute", "không có trường")
    undefined = re.search(r"'([^']+)' is undefined", message)
    if undefined:
        field = undefined.group(1)
        tag = next((t for t in _TAG.findall(source) if field in t), field)
        return InputError(f"Mẫu văn bản '{name}': thẻ {tag} dùng trường '{field}' không có. "
                          "Sửa thẻ trong Word (xem danh sách trường ở README) rồi chạy lại.")
    if "không có trường" in message:
        return InputError(f"Mẫu văn bản '{name}': {message}. Sửa thẻ trong Word rồi chạy lại.")
    line = getattr(error, "lineno", None)
    near = ""
    if line:
        text = source.splitlines()[line - 1] if line <= len(source.splitlines()) else ""
        tags = _TAG.findall(text) or re.findall(r"\{[%{][^<]{0,60}", text)
        near = f" gần thẻ {tags[-1]}" if tags else ""
    return InputError(f"Mẫu văn bản '{name}' có thẻ hỏng{near}: {message}. Sửa thẻ trong Word "
                      "(mỗi {{ … }} và {% … %} phải đóng đủ) rồi chạy lại.")


def write_document(content: ReportContent, path: Path, form: Path) -> None:
    """Fill ``form`` with the report's fields and save it at ``path``."""
    import jinja2
    from docx.opc.exceptions import PackageNotFoundError
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from xl766.report.draft import context

    try:
        template = DocxTemplate(str(form))
        template.init_docx()
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise InputError(f"Mẫu văn bản '{form.name}' không phải tệp Word .docx đọc được "
                         f"({error}).") from None

    class DrawnWhenPlaced(InlineImage):
        """A chart drawn only where the form places it: a form without charts draws none."""

        def __init__(self, draw):
            super().__init__(template, None, width=Mm(CHART_WIDTH_MM))
            self.draw = draw

        def _insert_image(self):
            if self.image_descriptor is None:
                self.image_descriptor = io.BytesIO(self.draw())
            return super()._insert_image()

    fields = context(content, DrawnWhenPlaced)
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        template.render(fields, jinja_env=environment)
    except (jinja2.TemplateError, TypeError, AttributeError) as error:
        source = template.patch_xml(template.get_xml())
        raise _template_error(form, error, source) from None
    _fit_tables(template.docx)
    template.save(str(path))


def _fit_tables(document) -> None:
    """A table whose columns were repeated per item ({%tc}) gets a grid that matches its cells,
    scaled to the text width: Word and LibreOffice both size columns from the grid."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = document.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635
    for table in document.tables:  # widths in twips, as the cells and the grid hold them
        cells = table.rows[0]._tr.tc_lst
        widths = [tc.tcPr.tcW.w if tc.tcPr is not None and tc.tcPr.tcW is not None else None
                  for tc in cells]
        grid = table._tbl.tblGrid
        columns = [int(c.get(qn("w:w"), 0)) for c in grid.gridCol_lst]
        if None in widths or (columns == widths and sum(widths) <= text_width):
            continue
        scale = min(1.0, text_width / sum(widths))
        for column in list(grid.gridCol_lst):
            grid.remove(column)
        for width in widths:
            column = OxmlElement("w:gridCol")
            column.set(qn("w:w"), str(int(width * scale)))
            grid.append(column)
        for row in table.rows:
            for tc, width in zip(row._tr.tc_lst, widths, strict=False):
                tc.get_or_add_tcPr().get_or_add_tcW().w = int(width * scale)
