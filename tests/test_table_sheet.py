"""The report's table blocks (finished XML rows) against XlsxWriter's own cell-by-cell writing:
the same cells, values, types and formats to openpyxl and to LibreOffice."""

import re
import zipfile
from decimal import Decimal

import numpy as np
import pytest
import xlsxwriter
from openpyxl import load_workbook

from conftest import needs_soffice, soffice
from xl766.report.table_sheet import TableSheet
from xl766.report.workbook import _write_column

NAMES = ["Xã Mường Mùn", "=1+1", "-5", "@SUM(A1)", 'A & B <c> "d"', "  lề  ", "",
         "Ngọc\tBích", "x" * 40_000]
NUMBERS = [17.95, 0.1 + 0.2, 90, np.int64(463_994), np.float64(86.76123456789012), None,
           Decimal("89.99"), -3.75, 1e-9]


def _columns(book):
    text = book.add_format({"border": 1, "font_name": "Times New Roman"})
    points = book.add_format({"border": 1, "num_format": "0.00", "align": "right"})
    bold = book.add_format({"bold": True, "num_format": "#,##0"})
    return [(NAMES, text), (NUMBERS, points), ([None, 3, "ba"], bold), ([], None),
            ([1, None, 2], None)]


def _write(path, fast: bool):
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False})
    sheet = book.add_worksheet("Bảng") if not fast else book.add_worksheet(
        "Bảng", worksheet_class=TableSheet)
    sheet.write_string(0, 0, "Tiêu đề")
    sheet.merge_range(1, 0, 1, 6, "gộp", book.add_format({"bold": True}))
    columns = _columns(book)
    if fast:
        sheet.write_columns(3, 1, columns)
    else:
        for col, (values, style) in enumerate(columns, start=1):  # as the report's charted cells
            _write_column(sheet, 3, col, values, style)
    sheet.write_string(4, 0, "trái")  # cells either side of a block's rows
    sheet.write_number(5, 8, 7)
    sheet.write_string(20, 2, "sau")
    book.close()


def _cells(path):
    sheet = load_workbook(path)["Bảng"]
    return {(c.row, c.column): (c.value, c.data_type, c.number_format, c.font.b, c.font.name,
                                c.alignment.horizontal, c.border.left.style)
            for row in sheet.iter_rows() for c in row
            if c.value is not None or c.has_style}


def test_a_block_reads_as_the_cells_xlsxwriter_writes(tmp_path):
    _write(tmp_path / "cells.xlsx", fast=False)
    _write(tmp_path / "block.xlsx", fast=True)
    expected, got = _cells(tmp_path / "cells.xlsx"), _cells(tmp_path / "block.xlsx")
    assert got == expected
    assert got[(4, 2)][0] == "Xã Mường Mùn"
    assert got[(5, 2)][:2] == ("=1+1", "s")  # text from data never becomes a formula
    assert got[(5, 3)][0] == 0.3  # XlsxWriter's 16 significant digits: no float noise
    assert got[(10, 3)][0] == 89.99 and got[(7, 3)][0] == 463994
    assert len(got[(12, 2)][0]) == 32_767  # the cell's limit, as XlsxWriter cuts it
    xml = zipfile.ZipFile(tmp_path / "block.xlsx").read("xl/worksheets/sheet1.xml").decode()
    for row in re.findall(r"<row [^>]*>(.*?)</row>", xml):
        columns = re.findall(r'<c r="([A-Z]+)\d+"', row)
        assert columns == sorted(columns, key=lambda c: (len(c), c))  # Excel needs this order
    assert '<row r="6" spans="1:9">' in xml  # the spans cover the block and the cell after it


@needs_soffice
def test_libreoffice_reads_a_block_as_it_reads_cells(tmp_path):
    for name in ("cells", "block"):
        _write(tmp_path / f"{name}.xlsx", fast=name == "block")
        soffice(tmp_path, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
                "--outdir", str(tmp_path / name), str(tmp_path / f"{name}.xlsx"))
    block = (tmp_path / "block" / "block.csv").read_text(encoding="utf-8")
    assert block == (tmp_path / "cells" / "cells.csv").read_text(encoding="utf-8")
    assert ',"Xã Mường Mùn",17.95,,,1,' in block and '"trái","=1+1",0.30,3' in block


def test_a_cell_written_over_a_block_is_refused(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    sheet = book.add_worksheet("Bảng", worksheet_class=TableSheet)
    sheet.write_columns(2, 0, [([1, 2], None), ([3, 4], None), ([5, 6], None)])
    with pytest.raises(ValueError, match="already"):
        sheet.write_columns(3, 2, [([7], None)])
    sheet.write_number(3, 1, 9)
    with pytest.raises(ValueError, match="row 4 has cells written over its table block"):
        book.close()


def test_a_number_no_cell_can_hold_is_refused(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    sheet = book.add_worksheet("Bảng", worksheet_class=TableSheet)
    with pytest.raises(ValueError, match=r"Bảng!B4: inf"):
        sheet.write_columns(2, 1, [([1, float("inf")], None)])
