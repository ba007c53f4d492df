"""The template as a clerk uses it: the Tuần Giáo sample typed into the Điện Biên template,
Kết quả computed by CHISO_BANG exactly as xlwings would call it, native formulas recalculated
by LibreOffice and compared with the engine, and the Kết quả sheet rendered to look at."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import EXAMPLES, needs_soffice, read_tsv, soffice
from xl766.adapters.palette import band_fill
from xl766.adapters.tables import read_table
from xl766.catalog import load_indicator_set
from xl766.engine import score_table
from xl766.engine.appendices import column_key, digitisation, fees
from xl766.excel import layout
from xl766.excel.udfs import CHISO_BANG

WORKBOOK = Path(__file__).parent.parent / "workbook"
SAMPLE = EXAMPLES / "tuan-giao-2023-09.xlsx"
DIENBIEN = "dienbien-459-2023"
# The sample enters the one-indicator group TDGQ as a group; the template asks for TDGQ.1.
SAMPLE_HEADERS = {"TDGQ": "TDGQ.1"}
SHEETS = ("Cấu hình", "Nhập liệu", "Phí, lệ phí", "Số hóa")


def _fill(template: Path, target: Path) -> None:
    """Type the sample into the template the way a clerk would: value by value, by header."""
    book = load_workbook(template, keep_vba=True)
    sample = load_workbook(SAMPLE)
    settings = dict(sample["Cấu hình"].iter_rows(min_row=2, values_only=True))
    for row in book["Cấu hình"].iter_rows(min_row=2):
        if row[0].value in settings:
            row[1].value = settings[row[0].value]
    for name in SHEETS[1:]:
        sheet, source = book[name], sample[name]
        columns = {column_key(cell.value): cell.column for cell in sheet[1] if cell.value}
        rows = list(source.iter_rows(values_only=True))
        for offset, values in enumerate(rows[1:], start=2):
            for header, value in zip(rows[0], values, strict=True):
                header = SAMPLE_HEADERS.get(header, header)
                if header in columns:
                    sheet.cell(offset, columns[header], value)
    book.save(target)


def _compute_results(path: Path, indicator_set_id: str) -> list[list]:
    """What Excel does on recalculation: call CHISO_BANG with NhapLieu[#All] and put the
    answer in the array formula's cells (the test copy keeps values in place of the formula)."""
    book = load_workbook(path, keep_vba=True)
    table = book["Nhập liệu"].tables[layout.SCORES_TABLE]
    cells = [[c.value for c in row] for row in book["Nhập liệu"][table.ref]]
    sheet = book[layout.RESULTS_SHEET]
    formula = sheet["A2"].value  # under the sheet's own header row: with fractions, no header
    assert formula.text == "=CHISO_BANG(NhapLieu[#All],BO_CHI_SO,TRUE,FALSE)"
    rows = CHISO_BANG(cells, indicator_set_id, True, False, _Caller(formula.ref))
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c).value = value
    book.save(path)
    return [[c.value for c in sheet[1]][:len(rows[0])], *rows]


class _Caller:
    """The calling range as xlwings passes it: only its shape is read."""

    def __init__(self, ref: str):
        from openpyxl.utils import range_boundaries

        first_column, first_row, last_column, last_row = range_boundaries(ref)
        self.shape = (last_row - first_row + 1, last_column - first_column + 1)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, list[list]]:
    folder = tmp_path_factory.mktemp("filled")
    path = folder / "tuan-giao.xlsm"
    _fill(WORKBOOK / "xl766-dienbien-459-2023.xlsm", path)
    return path, _compute_results(path, DIENBIEN)


def test_results_sheet_equals_the_engine_on_the_same_inputs(filled):
    path, answer = filled
    indicator_set = load_indicator_set(DIENBIEN)
    scores = score_table(read_table(path, "Nhập liệu").frame, indicator_set)
    header = answer[0]
    assert header[:2] == ["Đơn vị", "CKMB"] and header[-3:] == ["Xếp loại", "Xếp hạng", "Ghi chú"]
    assert len(answer) == layout.UNIT_ROWS + 1  # padded to the array formula, no #N/A cells
    rows = [r for r in answer[1:] if r[0]]
    assert len(rows) == 19 and not any(r[-1].startswith("Lỗi") for r in rows)
    for row, label in zip(rows, scores.summary.index, strict=True):
        summary = scores.summary.loc[label]
        assert row[header.index("Điểm quy đổi")] == pytest.approx(summary["converted"], abs=1e-12)
        assert row[header.index("Xếp loại")] == summary["band"]
        assert row[header.index("Xếp hạng")] == summary["rank"]


def test_results_match_the_published_bands(filled):
    """From the typed component points alone (no printed total), every band as printed."""
    _, answer = filled
    header = answer[0]
    published = read_tsv("tuan-giao-2023-09-bieu01.tsv")
    bands = {r[0]: r[header.index("Xếp loại")] for r in answer[1:] if r[0]}
    assert bands == dict(zip(published["ten_don_vi"], published["xep_loai"], strict=True))


def test_report_reads_the_filled_template(filled, tmp_path):
    from xl766.report.run import create_report

    content = create_report(filled[0], tmp_path / "bc.xlsx")
    assert len(content.scores.summary) == 19 and content.fees is not None
    assert not content.errors


@pytest.fixture(scope="module")
def recalculated(filled, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("recalculated")
    soffice(folder, "--convert-to", "xlsx", "--outdir", str(folder), str(filled[0]))
    return folder / "tuan-giao.xlsx"


def _column(sheet, key: str) -> list:
    position = [column_key(c.value or "") for c in sheet[1]].index(key)
    return [row[position] for row in sheet.iter_rows(min_row=2, values_only=True)
            if row[0] not in (None, "", "TỔNG SỐ")]  # Biểu 03 of the sample prints a total


@needs_soffice
def test_native_fee_formulas_recalculated_by_libreoffice_equal_the_engine(recalculated, filled):
    sheet = load_workbook(recalculated, data_only=True)["Phí, lệ phí"]
    engine = fees(read_table(filled[0], "Phí, lệ phí").frame)
    for column in ("tong_so_ho_so", "tong_phi", "ty_le_truc_tuyen"):
        expected = [None if v != v else v for v in engine.rows[column].tolist()]
        assert _column(sheet, column) == pytest.approx(expected, abs=1e-12), column
    published = read_tsv("tuan-giao-2023-09-bieu02.tsv")["tong_phi"]
    assert _column(sheet, "tong_phi") == [int(v.replace(".", "")) for v in published]


@needs_soffice
def test_native_digitisation_formulas_equal_the_engine(recalculated, filled):
    sheet = load_workbook(recalculated, data_only=True)["Số hóa"]
    engine = digitisation(read_table(filled[0], "Số hóa").frame)
    for column in ("chua_so_hoa_tphs", "chua_so_hoa_ket_qua", "ty_le_tphs", "ty_le_ket_qua"):
        values = _column(sheet, column)
        expected = engine.rows[column].tolist()
        assert [None if v in ("", None) else v for v in values] == pytest.approx(
            [None if v != v else v for v in expected], abs=1e-12), column


@needs_soffice
def test_band_counts_recalculated_by_libreoffice(recalculated, filled):
    sheet = load_workbook(recalculated, data_only=True)[layout.RESULTS_SHEET]
    labels = [b.label for b in load_indicator_set(DIENBIEN).classification.bands]
    answer = filled[1]
    band = answer[0].index("Xếp loại")
    first = len(answer[0]) + 1  # the counts sit one column right of the results
    counts = {row[first]: row[first + 1] for row in
              sheet.iter_rows(min_row=2, max_row=len(labels) + 2, values_only=True)}
    assert counts == {**{b: sum(r[band] == b for r in answer[1:]) for b in labels},
                      "Tổng số": 19}


def _pixels(ppm: Path) -> dict[tuple[int, int, int], int]:
    """Colour counts of the binary PPM (P6) pdftoppm writes: "P6\nW H\n255\n" then RGB."""
    magic, size, depth, body = ppm.read_bytes().split(b"\n", 3)
    assert magic == b"P6" and depth == b"255"
    counts: dict = {}
    for i in range(0, len(body) - 2, 3):
        key = (body[i], body[i + 1], body[i + 2])
        counts[key] = counts.get(key, 0) + 1
    return counts


@needs_soffice
def test_libreoffice_renders_results_with_band_colours(filled, tmp_path):
    """A clerk's view: the Kết quả sheet alone, printed by LibreOffice; its pages must show the
    units and the fills of the bands the native conditional formats give them."""
    book = load_workbook(filled[0], keep_vba=True)
    for sheet in book.worksheets:
        if sheet.title != layout.RESULTS_SHEET:
            sheet.sheet_state = "hidden"
    book.active = book.sheetnames.index(layout.RESULTS_SHEET)
    only_results = tmp_path / "ket-qua.xlsm"
    book.save(only_results)
    soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path), str(only_results))
    pdf = tmp_path / "ket-qua.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "UBND xã Mường Mùn" in text and "Xuất sắc" in text and "Xếp hạng" in text
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    colours = _pixels(next(tmp_path.glob("page*.ppm")))
    band = filled[1][0].index("Xếp loại")
    bands_present = {r[band] for r in filled[1][1:] if r[0]}
    labels = [b.label for b in load_indicator_set(DIENBIEN).classification.bands]
    area = {label: colours.get(tuple(int(band_fill(p)[i:i + 2], 16) for i in (1, 3, 5)), 0)
            for p, label in enumerate(labels)}
    legend_only = [area[label] for label in labels if label not in bands_present]
    assert legend_only and min(legend_only) > 0  # the legend beside the table shows every band
    for label in bands_present:  # and the units' cells add far more of their band's colour
        assert area[label] > 4 * max(legend_only), (label, area)


def test_a_bad_fee_cell_is_named_by_its_words_and_linked_to_its_cell(filled, tmp_path):
    from xl766.excel import checks

    book = load_workbook(filled[0], keep_vba=True)
    sheet = book["Phí, lệ phí"]
    column = [c.value for c in sheet[1]].index("Thanh toán trực tuyến: số hồ sơ") + 1
    sheet.cell(3, column).value = -2
    book.save(tmp_path / "sai.xlsm")
    [problem] = [p for p in checks.problems(tmp_path / "sai.xlsm") if p.level.value == "error"]
    assert problem.sheet == "Phí, lệ phí" and problem.cell == f"{get_column_letter(column)}3"
    assert problem.message == "số âm (-2) không hợp lệ"
