"""The fast workbook reader (python-calamine and a pass over the sheet XML) against openpyxl:
the same workbooks through both, every sheet, every value."""

import datetime
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from openpyxl import Workbook, load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS

from conftest import EXAMPLES, needs_soffice, soffice
from xl766.adapters.errors import InputError
from xl766.adapters.tables import read_workbook
from xl766.adapters.xlsx_cells import BUILTIN_PERCENT_FORMATS, is_percent_format

ROOT = Path(__file__).parent.parent


def _both(path: Path) -> tuple[dict, dict]:
    names = load_workbook(path, read_only=True).sheetnames
    fast_names, fast = read_workbook(path, names)
    slow_names, slow = read_workbook(path, names, reader="openpyxl")
    assert fast_names == slow_names == names
    return fast, slow


def _fast_rows(path: Path):
    from python_calamine import CalamineWorkbook

    from xl766.adapters.xlsx_cells import read_rows

    return read_rows(CalamineWorkbook.from_path(str(path)), path, {"x": "Nhập liệu"})


def _same(fast: dict, slow: dict) -> None:
    assert fast.keys() == slow.keys()
    for name in slow:
        assert fast[name].sheet == slow[name].sheet
        a, b = fast[name].frame, slow[name].frame
        assert list(a.columns) == list(b.columns), name
        assert list(a.index) == list(b.index), name
        for column in range(b.shape[1]):
            left, right = a.iloc[:, column].tolist(), b.iloc[:, column].tolist()
            assert left == right, (name, b.columns[column])
            assert [type(v) for v in left] == [type(v) for v in right], (name, b.columns[column])


@pytest.mark.parametrize("path", [EXAMPLES / "phu-tho-2026-q3.xlsx",
                                  EXAMPLES / "tuan-giao-2023-09.xlsx",
                                  ROOT / "workbook" / "xl766.xlsm",
                                  ROOT / "workbook" / "xl766-dienbien-459-2023.xlsm"],
                         ids=lambda p: p.name)
def test_the_bundled_workbooks_read_the_same_both_ways(path):
    assert _fast_rows(path) is not None  # no fallback: calamine and the XML pass read it
    fast, slow = _both(path)
    _same(fast, slow)


def _awkward(path: Path) -> None:
    """Every kind of cell the reader has to get right, in the places it could slip."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhập liệu"
    sheet.append(["ten_don_vi", "TDGQ.1/tu", "TDGQ.1/mau", "ty_le", "ghi_chu", "ngay"])
    rows = [["Xã A", 90, 100, 0.8152, "=1+1 chữ", datetime.date(2026, 9, 30)],
            ["Xã B", 90.5, 1e20, 0.5, True, datetime.datetime(2026, 9, 30, 8, 30)],
            ["Xã C", "=2+3", -0.0, "0,5%", "#DIV/0!", datetime.time(7, 45)],
            [None, None, None, None, None, None],
            ["Xã D", 1, 3, 1 / 3, " ", datetime.timedelta(hours=30)]]
    for row in rows:
        sheet.append(row)
    for row, code in ((2, "0.00%"), (3, '0.00"%"'), (4, "0%"), (6, "[Red]0.0%")):
        sheet.cell(row, 4).number_format = code
    sheet.cell(2, 2).number_format = "0%"  # a count shown as a percent is read as one
    sheet.cell(9, 3).number_format = "0.00%"  # a styled cell with nothing in it
    other = book.create_sheet("Số hóa ")  # a stray space in the name
    other["B1"] = "don_vi"  # the table starts in column B
    other["C3"] = "lệch"
    other["B5"] = 12
    book.save(path)


def test_awkward_cells_read_the_same_both_ways(tmp_path):
    _awkward(tmp_path / "a.xlsx")
    fast, slow = _both(tmp_path / "a.xlsx")
    _same(fast, slow)
    frame = fast["Nhập liệu"].frame
    assert frame.loc[2, "ty_le"] == 81.52 and frame.loc[2, "TDGQ.1/tu"] == 9000
    assert frame.loc[3, "ty_le"] == 0.5 and frame.loc[3, "TDGQ.1/tu"] == 90.5
    assert frame.loc[4, "TDGQ.1/tu"] == "=2+3"  # never calculated: its text, for the checks
    assert frame.loc[4, "ghi_chu"] == "#DIV/0!" and frame.loc[3, "ghi_chu"] == "TRUE"
    assert frame.loc[2, "ngay"] == "30/09/2026" and frame.loc[4, "ngay"] == "07:45:00"
    assert type(frame.loc[2, "TDGQ.1/mau"]) is int and 5 not in frame.index
    assert list(fast["Số hóa "].frame.index) == [3, 5]  # row numbers of the sheet


@needs_soffice
def test_a_workbook_saved_by_libreoffice_reads_the_same_both_ways(tmp_path):
    """Calculated formulas, shared strings and LibreOffice's own styles."""
    _awkward(tmp_path / "a.xlsx")
    soffice(tmp_path, "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
            str(tmp_path / "lo"), str(tmp_path / "a.xlsx"))
    fast, slow = _both(tmp_path / "lo" / "a.xlsx")
    _same(fast, slow)
    assert fast["Nhập liệu"].frame.loc[4, "TDGQ.1/tu"] == 5  # calculated by LibreOffice


def test_a_workbook_written_by_xlsxwriter_reads_the_same_both_ways(tmp_path):
    """Inline strings (constant memory), formulas with their results."""
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("Nhập liệu")
    percent = book.add_format({"num_format": "0.00%"})
    for row, values in enumerate([["ten_don_vi", "a", "b"], ["Xã A", 0.25, 7],
                                  ["Xã B", 0.125, 8]]):
        for col, value in enumerate(values):
            sheet.write(row, col, value, percent if col == 1 and row else None)
    sheet.write_formula(3, 0, '="Xã "&"C"', None, "Xã C")
    sheet.write_formula(3, 2, "=B2*4", None, 1)
    book.close()
    fast, slow = _both(tmp_path / "x.xlsx")
    _same(fast, slow)
    assert fast["Nhập liệu"].frame["a"].tolist() == [25, 12.5, None]


def test_the_built_in_percent_formats_are_openpyxl_s():
    assert {i for i, code in BUILTIN_FORMATS.items() if is_percent_format(code)} == set(
        BUILTIN_PERCENT_FORMATS)


def test_a_damaged_workbook_is_a_message_both_ways(tmp_path):
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    for reader in ("calamine", "openpyxl"):
        with pytest.raises(InputError, match="Không mở được 'hong.xlsx' như một tệp Excel"):
            read_workbook(bad, reader=reader)


def _awkward_with(folder: Path, part: str, change) -> None:
    """b.xlsx: the awkward workbook with one part of its package changed."""
    _awkward(folder / "a.xlsx")
    with zipfile.ZipFile(folder / "a.xlsx") as source, zipfile.ZipFile(
            folder / "b.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, change(data) if item.filename == part else data)


def test_a_cell_without_its_reference_goes_to_openpyxl(tmp_path):
    """Some writers leave out r="A1": calamine counts the cells, the XML pass could not place
    them, so the whole workbook is read by openpyxl."""
    _awkward_with(tmp_path, "xl/worksheets/sheet1.xml",
                  lambda xml: xml.replace(b'<c r="D2"', b"<c"))
    assert _fast_rows(tmp_path / "b.xlsx") is None
    _, tables = read_workbook(tmp_path / "b.xlsx", ["Nhập liệu"])
    assert tables["Nhập liệu"].frame.loc[2, "ty_le"] == 81.52
    assert tables["Nhập liệu"].frame.loc[4, "TDGQ.1/tu"] == "=2+3"  # still said to be a formula
    assert isinstance(tables["Nhập liệu"].frame, pd.DataFrame)


def test_absolute_part_names_read_the_same_both_ways(tmp_path):
    """Some writers name the sheets' parts from the package root ("/xl/worksheets/…")."""
    _awkward_with(tmp_path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(
        b'Target="/xl/', b'Target="').replace(b'Target="worksheets/', b'Target="/xl/worksheets/'))
    with zipfile.ZipFile(tmp_path / "b.xlsx") as package:
        assert b'Target="/xl/worksheets/sheet1.xml"' in package.read("xl/_rels/workbook.xml.rels")
    assert _fast_rows(tmp_path / "b.xlsx") is not None  # read by calamine and the XML pass
    fast, slow = _both(tmp_path / "b.xlsx")
    _same(fast, slow)
    assert fast["Nhập liệu"].frame.loc[2, "ty_le"] == 81.52


def test_a_package_the_pass_cannot_follow_is_read_by_openpyxl(tmp_path, monkeypatch):
    """Parts named in a way the XML pass does not resolve: no error, openpyxl reads the values
    (without the marks only the pass gives: a formula never calculated reads blank)."""
    import xl766.adapters.xlsx_cells as cells

    def unresolved(archive):
        raise KeyError("xl/worksheets/SHEET1.xml")

    _awkward(tmp_path / "a.xlsx")
    monkeypatch.setattr(cells, "sheet_parts", unresolved)
    _, tables = read_workbook(tmp_path / "a.xlsx", ["Nhập liệu"])
    frame = tables["Nhập liệu"].frame
    assert frame.loc[2, "ty_le"] == 81.52 and frame.loc[4, "ghi_chu"] == "#DIV/0!"
    assert frame.loc[4, "TDGQ.1/tu"] is None
