"""The "Lấy số liệu từ Cổng" button's Python side, against a stand-in for the live Excel book:
the rows it writes into Nhập liệu score exactly as the portal published."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
import xlwings

from conftest import EXAMPLES
from xl766.catalog import load_indicator_set
from xl766.engine import score_table
from xl766.excel import ribbon
from xl766.excel.layout import UNIT_ROWS, scores_columns

TEMPLATE = Path(__file__).parent.parent / "workbook" / "xl766.xlsm"
PHU_THO = EXAMPLES / "cong" / "phu-tho-2026-q3"


class _Grid:
    """A sheet as a dict of (row, column) → value, with xlwings' range calls used by ribbon."""

    def __init__(self, name):
        self.name, self.cells = name, {}

    def range(self, first, last=None):
        return _Block(self, first, last or first)


class _Block:
    def __init__(self, sheet, first, last):
        self.sheet, self.first, self.last = sheet, first, last

    @property
    def value(self):
        (r1, c1), (r2, c2) = self.first, self.last
        return [[self.sheet.cells.get((r, c)) for c in range(c1, c2 + 1)]
                for r in range(r1, r2 + 1)]

    @value.setter
    def value(self, rows):
        r1, c1 = self.first
        for r, row in enumerate(rows, start=r1):
            for c, item in enumerate(row, start=c1):
                self.sheet.cells[(r, c)] = item

    def clear_contents(self):
        (r1, c1), (r2, c2) = self.first, self.last
        for key in [k for k in self.sheet.cells if r1 <= k[0] <= r2 and c1 <= k[1] <= c2]:
            del self.sheet.cells[key]


class _Dialog:
    def __init__(self, chosen):
        self.chosen, self.Title = chosen, None
        self.SelectedItems = type("Items", (), {"Item": lambda _, i: str(chosen)})()

    def Show(self):  # noqa: N802 - Excel's name
        return -1 if self.chosen else 0


class _Book:
    def __init__(self, path, folder, answers=("yes",)):
        self.fullname, self.alerts, self.answers = str(path), [], list(answers)
        self.sheets = {"Nhập liệu": _Grid("Nhập liệu")}
        source = Path(path)
        self.api = type("Api", (), {"SaveCopyAs": lambda _, copy: shutil.copy(source, copy)})()
        book = self
        self.app = type("App", (), {
            "api": type("ExcelApi", (), {"FileDialog": lambda _, kind: _Dialog(folder)})(),
            "alert": lambda _, prompt, title, buttons="ok": book._answer(prompt, buttons),
            "status_bar": None})()

    def _answer(self, prompt, buttons):
        self.alerts.append(prompt)
        return self.answers.pop(0) if buttons == "yes_no" else "ok"


@pytest.fixture
def clerk(tmp_path, monkeypatch):
    def open_book(folder, answers=("yes",)):
        path = tmp_path / "xl766.xlsm"
        shutil.copy(TEMPLATE, path)
        book = _Book(path, folder, answers)
        monkeypatch.setattr(xlwings, "Book", type("Book", (), {"caller": staticmethod(
            lambda: book)}))
        return book
    return open_book


def _scores_of(book):
    indicator_set = load_indicator_set("766-2026")
    headers = [c.header for c in scores_columns(indicator_set)]
    rows = book.sheets["Nhập liệu"].range((2, 1), (UNIT_ROWS + 1, len(headers))).value
    frame = pd.DataFrame([r for r in rows if any(v is not None for v in r)], columns=headers,
                         dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return score_table(frame, indicator_set)


def test_fills_nhap_lieu_with_what_scores_as_the_portal(clerk):
    book = clerk(PHU_THO)
    ribbon.lay_so_lieu_cong()
    assert book.alerts[0].startswith("Đã điền 163 đơn vị, kỳ 2026-Q3, vào Nhập liệu.")
    grid = book.sheets["Nhập liệu"].cells
    assert grid[(2, 1)] == "Văn phòng UBND Tỉnh - Tỉnh Phú Thọ" and grid[(2, 2)] == "H44.01"
    assert grid[(2, 11)] == 6  # DVCTT: the group's points, as the portal gives them
    assert grid[(2, 3)] == 0  # CKMB.1: 0 of 54 published on time
    scores = _scores_of(book)
    # Văn phòng UBND tỉnh: the six groups the portal published (7,96 + 19,38 + 6 + 0 + 18 + 4,43)
    assert scores.summary["total"].iloc[0] == pytest.approx(55.77)
    assert scores.summary["total"].notna().all()


def test_asks_before_replacing_typed_rows(clerk):
    book = clerk(PHU_THO, answers=("no",))
    book.sheets["Nhập liệu"].cells[(2, 1)] = "UBND xã đã nhập tay"
    ribbon.lay_so_lieu_cong()
    assert book.alerts == ["Trang Nhập liệu đang có 1 dòng. Xóa và thay bằng 163 đơn vị từ Cổng?"]
    assert book.sheets["Nhập liệu"].cells == {(2, 1): "UBND xã đã nhập tay"}


def test_cancelled_folder_without_province_explains(clerk):
    book = clerk(None)
    ribbon.lay_so_lieu_cong()
    assert "ma_tinh_cong" in book.alerts[0] and not book.sheets["Nhập liệu"].cells


def test_a_bad_folder_fills_nothing(clerk, tmp_path):
    (tmp_path / "rac").mkdir()
    (tmp_path / "rac" / "a.json").write_text("<html>", encoding="utf-8")
    book = clerk(tmp_path / "rac")
    ribbon.lay_so_lieu_cong()
    assert book.alerts[0].startswith("Chưa điền Nhập liệu:") and "trang HTML" in book.alerts[0]
    assert not book.sheets["Nhập liệu"].cells
