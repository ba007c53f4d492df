"""The command line's contract on generated files a clerk could produce: exit 0 or 2, never a
traceback, every bad cell named by sheet, row and column, and no cell of an output a formula."""

import csv
import io
import json
import string
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from xl766.cli import main

COUNTS = ("CKMB.1", "MDHL.1")
PERCENTS = ("CKMB.2", "TTTT.1")
POINTS = {"CKMB.3": 2, "TDGQ.1": 20}
# Cells that must be refused, with the words the message must carry.
BAD = {"abc": "không phải là số", "-": "dấu gạch", "1.2.3": "không phải là số",
       "inf": "không phải là số", "1e400": "không phải là số", "-3": "số âm"}
FRACTION = "2,5"  # in a count column only

names = st.one_of(st.sampled_from(["UBND xã A", "UBND xã Á", "Xã số 12", "Xã số 13",
                                   "=HYPERLINK(\"x\")", "+1", "@SUM(1)", "Xã;B", "Xã\x01C"]),
                  st.text(string.ascii_letters + "ăâđêôơư ", min_size=1, max_size=12))
good_count = st.integers(0, 50)
good_percent = st.one_of(st.integers(0, 100).map(str),
                         st.floats(0, 100, allow_nan=False).map(lambda v: f"{v:.2f}".replace(
                             ".", ",")))
cell_kind = st.sampled_from(["good", "good", "good", "blank", "bad"])


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 7))
    header = ["ten_don_vi"]
    for code in COUNTS:
        header += [f"{code}/tu", f"{code}/mau"]
    header += [f"{code}%" for code in PERCENTS] + list(POINTS)
    body, bad = [], set()
    for number in range(2, rows + 2):
        row = [f"{draw(names)} {number}"]
        for column in header[1:]:
            kind = draw(cell_kind)
            if kind == "blank":
                value = ""
            elif kind == "bad":
                choices = list(BAD) + ([FRACTION] if column.endswith(("/tu", "/mau")) else [])
                value = draw(st.sampled_from(choices))
                bad.add((number, column, BAD.get(value, "số nguyên")))
            elif column.endswith("/mau"):
                value = str(draw(good_count) + 50)  # never below a good numerator
            elif column.endswith("/tu"):
                value = str(draw(good_count))
            elif column.endswith("%"):
                value = draw(good_percent)
            else:
                value = str(draw(st.integers(0, int(POINTS[column]))))
            row.append(value)
        body.append(row)
    return header, body, bad


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def write(folder: Path, header, body, as_xlsx: bool) -> Path:
    if as_xlsx:
        book = Workbook()
        sheet = book.active
        sheet.title = "Nhập liệu"
        for row in [header, *body]:  # an .xlsx cannot hold control characters: only CSV has them
            sheet.append([v.replace("\x01", "") if v != "" else None for v in row])
        for row in sheet.iter_rows():
            for cell in row:
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
        book.save(folder / "bang.xlsx")
        return folder / "bang.xlsx"
    with open(folder / "bang.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body])
    return folder / "bang.csv"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(tables(), st.booleans(), st.sampled_from(["--json", "x.xlsx", "x.csv", "screen"]))
def test_cham_diem_contract(tmp_path_factory, table, as_xlsx, output):
    header, body, bad = table
    folder = tmp_path_factory.mktemp("fuzz")
    source = write(folder, header, body, as_xlsx)
    extra = {"--json": ["--json"], "screen": []}.get(output, ["-o", folder / output])
    code, out, err = run("cham-diem", source, "--bo-chi-so", "766-2026", *extra)
    assert code in (0, 2) and "Traceback" not in err
    sheet = "Nhập liệu" if as_xlsx else "bang.csv"
    if bad:
        assert code == 2
    for row, column, words in bad:
        line = f"[Lỗi] trang '{sheet}', dòng {row}, cột '{column}': "
        assert any(text.startswith(line) and words in text for text in err.splitlines()), (
            row, column, words, err)
    if code == 0 and output == "x.xlsx":
        for cells in load_workbook(folder / output).active.iter_rows():
            assert not any(c.data_type == "f" for c in cells)
    if code == 0 and output == "x.csv":
        for row in csv.reader(io.StringIO((folder / output).read_text(encoding="utf-8-sig")),
                              delimiter=";"):
            assert not any(cell.lstrip('"').startswith(("=", "+", "@")) for cell in row)


# ---- the band edge: group points that sum exactly to a lower bound, as a clerk types them

GROUP_MAXIMA = {"CKMB": 18, "TDGQ": 20, "DVCTT": 12, "TTTT": 10, "MDHL": 18, "SHHS": 22}
EDGES = {90: ("Xuất sắc", "Tốt"), 80: ("Tốt", "Khá"), 70: ("Khá", "Trung bình"),
         50: ("Trung bình", "Yếu")}


@st.composite
def split_in_cents(draw):
    """An edge (90, 80, 70, 50), minus 0 or 1 cent, cut at random into the six groups' points
    with two decimals, each within its maximum."""
    edge = draw(st.sampled_from(sorted(EDGES)))
    below = draw(st.booleans())
    left = edge * 100 - below
    cents = []
    groups = list(GROUP_MAXIMA)
    for position, group in enumerate(groups):
        room = sum(GROUP_MAXIMA[g] * 100 for g in groups[position + 1:])
        low, high = max(0, left - room), min(GROUP_MAXIMA[group] * 100, left)
        part = high if position == len(groups) - 1 else draw(st.integers(low, high))
        cents.append(part)
        left -= part
    return edge, below, cents


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(split_in_cents(), st.booleans())
def test_exact_sums_at_band_edges(tmp_path_factory, split, as_xlsx):
    from xl766.excel.udfs import CHISO_TONG, CHISO_XEPLOAI

    edge, below, cents = split
    points = [f"{c // 100},{c % 100:02d}" for c in cents]  # typed with a decimal comma
    folder = tmp_path_factory.mktemp("bien")
    header = ["ten_don_vi", *GROUP_MAXIMA]
    path = write(folder, header, [["Xã A", *points]], as_xlsx)
    code, out, err = run("cham-diem", path, "--bo-chi-so", "766-2026", "--json")
    assert code == 0, err
    unit = json.loads(out)[0]
    expected = EDGES[edge][below]
    assert unit["band"] == expected and unit["total"] == (edge * 100 - below) / 100
    total = CHISO_TONG([[c / 100 for c in cents]], "766-2026")
    assert total == (edge * 100 - below) / 100 and CHISO_XEPLOAI(total, "766-2026") == expected
