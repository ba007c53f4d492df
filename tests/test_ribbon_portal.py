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
from xl766.engine.numbers import percent_of
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

    @property
    def used_range(self):
        last = max([1, *(row for row, _ in self.cells)])
        return type("Used", (), {"last_cell": type("Cell", (), {"row": last})()})()


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


def _held(book) -> list[list]:
    indicator_set = load_indicator_set("766-2026")
    headers = [c.header for c in scores_columns(indicator_set)]
    rows = book.sheets["Nhập liệu"].range((2, 1), (UNIT_ROWS + 1, len(headers))).value
    return headers, [r for r in rows if any(v is not None for v in r)]


def _scores_of(book):
    """Score what the cells hold, read as Excel shows them: the template formats every rate
    column 0.00%, so a cell holding 0,9689 shows (and means) 96,89%."""
    headers, rows = _held(book)
    frame = pd.DataFrame(rows, columns=headers, dtype=object)
    for column in [h for h in headers if h.endswith("%")]:
        frame[column] = frame[column].map(lambda v: None if v is None else percent_of(v))
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return score_table(frame, load_indicator_set("766-2026"))


def test_fills_nhap_lieu_with_what_scores_as_the_portal(clerk):
    book = clerk(PHU_THO)
    ribbon.lay_so_lieu_cong()
    assert book.alerts[0].startswith("Đã điền 163 đơn vị, kỳ 2026-Q3, vào Nhập liệu.")
    grid = book.sheets["Nhập liệu"].cells
    assert grid[(2, 1)] == "Văn phòng UBND Tỉnh - Tỉnh Phú Thọ" and grid[(2, 2)] == "H44.01"
    assert grid[(2, 11)] == 6  # DVCTT: the group's points, as the portal gives them
    assert grid[(2, 3)] == 0  # CKMB.1: 0 of 54 published on time
    headers, rows = _held(book)
    rates = [row[k] for row in rows for k, h in enumerate(headers) if h.endswith("%")]
    assert all(v is None or 0 <= v <= 1 for v in rates)  # what a 0.00% cell holds
    assert any(0 < v < 1 for v in rates if v is not None)
    scores = _scores_of(book)
    assert not scores.has_errors
    # Văn phòng UBND tỉnh: the six groups the portal published (7,96 + 19,38 + 6 + 0 + 18 + 4,43)
    assert scores.summary["total"].iloc[0] == 55.77
    assert scores.summary["total"].notna().all()
    # every unit's total, recomputed from what the cells hold, as from the portal's own counts
    from xl766.adapters.tables import read_table

    imported = score_table(read_table(EXAMPLES / "phu-tho-2026-q3.csv").frame,
                           load_indicator_set("766-2026"))
    assert scores.summary["total"].tolist() == imported.summary["total"].tolist()
    assert scores.groups.equals(imported.groups)


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


def test_names_that_look_like_formulas_stay_text(clerk, tmp_path):
    folder = tmp_path / "cong"
    shutil.copytree(PHU_THO, folder)
    first = "Văn phòng UBND Tỉnh - Tỉnh Phú Thọ"
    for path in folder.rglob("*.json"):
        if path.name != "manifest.json":
            body = path.read_text(encoding="utf-8").replace(first, "=HYPERLINK(1)")
            path.write_text(body, encoding="utf-8")
    manifest = folder / "manifest.json"
    import hashlib
    import json

    data = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in data["captures"]:
        body = (folder / entry["file"]).read_bytes()
        entry["sha256"], entry["bytes"] = hashlib.sha256(body).hexdigest(), len(body)
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    book = clerk(folder)
    ribbon.lay_so_lieu_cong()
    assert book.alerts[0].startswith("Đã điền 163 đơn vị"), book.alerts[0]
    names = [v for (r, c), v in book.sheets["Nhập liệu"].cells.items() if c == 1]
    assert "'=HYPERLINK(1)" in names  # Excel keeps a leading apostrophe's cell as text
    assert not [n for n in names if isinstance(n, str) and n.startswith(("=", "+", "-", "@"))]


def test_rows_typed_below_the_table_are_counted_and_cleared(clerk):
    book = clerk(PHU_THO)
    grid = book.sheets["Nhập liệu"].cells
    for row in range(2, UNIT_ROWS + 51):  # 349 units typed last month, 49 below the table
        grid[(row, 1)], grid[(row, 3)] = f"Xã {row}", 0.5
    ribbon.lay_so_lieu_cong()
    assert book.alerts[0] == (f"Trang Nhập liệu đang có {UNIT_ROWS + 49} dòng. Xóa và thay bằng "
                              "163 đơn vị từ Cổng?")
    assert not [r for (r, c) in grid if r > 164]  # nothing of last month is left to be scored
