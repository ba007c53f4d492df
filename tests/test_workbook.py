"""The built .xlsm: rebuilt from source and compared with the committed files, then read back
by third-party readers (openpyxl, oletools' olevba, pyOpenVBA's check)."""

from __future__ import annotations

import inspect
import re
import xml.etree.ElementTree as etree
import zipfile
from pathlib import Path

import pytest
import xlwings
from oletools.olevba import VBA_Parser
from openpyxl import load_workbook
from pyopenvba import check_file

from conftest import DATA
from xl766.adapters.errors import InputError
from xl766.catalog import load_indicator_set
from xl766.cli import main
from xl766.excel import layout, udfs, vba
from xl766.excel.build import (
    MACROS,
    RIBBON_NAMESPACE,
    RIBBON_PART,
    RIBBON_RELATIONSHIP,
    read_macros,
)

ROOT = Path(__file__).parent.parent
TEMPLATES = {"766-2026": ROOT / "workbook" / "xl766.xlsm",
             "dienbien-459-2023": ROOT / "workbook" / "xl766-dienbien-459-2023.xlsm"}
EXPECTED_MODULES = {"ThisWorkbook", "Sheet1", "Sheet2", "xlwings", "Dictionary", "xl766_ribbon",
                    vba.WRAPPER_MODULE, vba.DESCRIPTION_MODULE}


def modules(path: Path) -> dict[str, str]:
    """Module sources as olevba reads them (its own parser, not the one that wrote them)."""
    parser = VBA_Parser(str(path))
    try:
        return {Path(name).stem: code.replace("\r\n", "\n")
                for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def cells(path: Path) -> dict:
    book = load_workbook(path, keep_vba=True)
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if value is not None:
                    found[(sheet.title, cell.coordinate)] = getattr(value, "text", value)
    return {"sheets": [(s.title, s.sheet_state) for s in book.worksheets], "cells": found,
            "names": {n: d.attr_text for n, d in book.defined_names.items()}}


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(name)


@pytest.fixture(scope="module", params=sorted(TEMPLATES))
def rebuilt(request, tmp_path_factory) -> tuple[Path, Path]:
    """(committed, rebuilt now) for each template."""
    target = tmp_path_factory.mktemp("rebuilt") / TEMPLATES[request.param].name
    assert main(["tao-mau", "--bo-chi-so", request.param, "-o", str(target)]) == 0
    return TEMPLATES[request.param], target


def test_committed_template_is_what_the_sources_build(rebuilt):
    committed, fresh = rebuilt
    assert cells(fresh) == cells(committed)
    assert modules(fresh) == modules(committed)
    assert part(fresh, RIBBON_PART) == part(committed, RIBBON_PART)
    # every part of the package, its dates included: a rebuild shows no diff
    with zipfile.ZipFile(fresh) as new, zipfile.ZipFile(committed) as old:
        assert new.namelist() == old.namelist()
        assert [n for n in new.namelist() if new.read(n) != old.read(n)] == []


def test_vba_project_reads_back_with_olevba_and_passes_pyopenvba_check(rebuilt):
    _, fresh = rebuilt
    report = check_file(fresh)
    assert report.complete and not report.issues
    found = modules(fresh)
    assert set(found) == EXPECTED_MODULES
    body = [line for line in (MACROS / "xl766_ribbon.bas").read_text().splitlines()
            if not line.startswith("Attribute ")]
    assert [line for line in found["xl766_ribbon"].splitlines()
            if line.strip() and not line.startswith("Attribute ")] == [
        line for line in body if line.strip()]
    assert "Private Sub Workbook_Open()" in found["ThisWorkbook"]
    # registering the help leaves the book as it was: no "Save changes?" on every close
    assert "ThisWorkbook.Saved = wasSaved" in found["ThisWorkbook"]
    assert "Module1" not in found  # the quickstart's sample macro is gone


def test_embedded_xlwings_vba_is_the_installed_version(rebuilt):
    source = modules(rebuilt[1])["xlwings"]
    assert vba.xlwings_version(source) == xlwings.__version__
    assert f'"xlwings64-{xlwings.__version__}.dll"' in source


def test_vba_is_ascii_in_macros_and_in_the_workbook(rebuilt):
    for path in [*MACROS.glob("*.bas"), *MACROS.glob("*.cls")]:
        path.read_bytes().decode("ascii")
    for name, source in modules(rebuilt[1]).items():
        assert source.isascii(), name


def test_non_ascii_vba_is_refused_with_its_line(tmp_path):
    for path in MACROS.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "xl766_ribbon.bas").write_text('Attribute VB_Name = "x"\nMsgBox "Báo cáo"\n',
                                               encoding="utf-8")
    with pytest.raises(InputError, match=r"'xl766_ribbon.bas' dòng 2: .*ASCII"):
        read_macros(tmp_path)


def test_ribbon_part_relationship_and_namespace(rebuilt):
    _, fresh = rebuilt
    relationships = etree.fromstring(part(fresh, "_rels/.rels"))
    ribbon = [r for r in relationships if r.get("Type") == RIBBON_RELATIONSHIP]
    assert [r.get("Target") for r in ribbon] == [RIBBON_PART]
    xml = etree.fromstring(part(fresh, RIBBON_PART))
    assert xml.tag == f"{{{RIBBON_NAMESPACE}}}customUI"
    tab = xml.find(f".//{{{RIBBON_NAMESPACE}}}tab")
    assert tab.get("label") == "Báo cáo 766"
    labels = [b.get("label") for b in tab.iter(f"{{{RIBBON_NAMESPACE}}}button")]
    assert labels == ["Tạo báo cáo", "Kiểm tra số liệu", "Lấy số liệu từ Cổng", "Hướng dẫn"]


def test_every_onaction_has_its_callback(rebuilt):
    _, fresh = rebuilt
    xml = etree.fromstring(part(fresh, RIBBON_PART))
    actions = {b.get("onAction") for b in xml.iter(f"{{{RIBBON_NAMESPACE}}}button")}
    callbacks = set(re.findall(r"^Public Sub (\w+)\(control As IRibbonControl\)",
                               modules(fresh)["xl766_ribbon"], re.MULTILINE))
    assert actions == callbacks == {"TaoBaoCao", "KiemTraSoLieu", "LaySoLieuCong", "HuongDan"}


def test_every_udf_has_a_wrapper_with_its_arguments(rebuilt):
    wrappers = dict(re.findall(r"^Function (\w+)\(([^)]*)\)", modules(rebuilt[1])[
        vba.WRAPPER_MODULE], re.MULTILINE))
    functions = {name: f for name, f in vars(udfs).items() if name.startswith("CHISO_")}
    assert set(wrappers) == set(functions)
    for name, function in functions.items():
        expected = [("Optional " if p.default is not p.empty else "") + p.name
                    for p in inspect.signature(function).parameters.values()
                    if p.name != "caller"]
        assert wrappers[name].split(", ") == expected, name
        assert f'XLPy.CallUDF("{vba.UDF_MODULE}", "{name}"' in modules(rebuilt[1])[
            vba.WRAPPER_MODULE]


def test_descriptions_are_registered_for_every_udf(rebuilt):
    source = modules(rebuilt[1])[vba.DESCRIPTION_MODULE]
    registered = set(re.findall(r'Application.MacroOptions Macro:=book & "(\w+)"', source))
    # qualified with this book's name; failures shown, not hidden
    assert 'book = "\'" & Replace(ThisWorkbook.Name' in source
    assert "On Error Resume Next" not in source and "Application.StatusBar" in source
    # once per Excel session for this book: a flag in Excel's process environment
    assert 'If session("XL766_MO_TA " & ThisWorkbook.Name) = "1" Then Exit Sub' in source
    assert registered == {name for name in vars(udfs) if name.startswith("CHISO_")}
    assert "ChrW(272)" in source  # "Đ" of "Điểm", spelled for an ASCII-only module


def test_xlwings_conf_sheet(rebuilt):
    book = load_workbook(rebuilt[1], keep_vba=True)
    sheet = book[layout.CONFIG_SHEET]
    settings = dict(sheet.iter_rows(values_only=True))
    assert sheet.sheet_state == "hidden" and "_xlwings.conf" not in book.sheetnames
    assert settings == {"Interpreter_Win": r"C:\XL766\.venv\Scripts\pythonw.exe",
                        "UDF Modules": "xl766.excel.udfs", "Use UDF Server": True,
                        "ADD_WORKBOOK_TO_PYTHONPATH": False, "Show Console": False}


def test_sheets_names_tables_and_results_formula():
    book = load_workbook(TEMPLATES["766-2026"], keep_vba=True)
    assert book.sheetnames == ["Hướng dẫn", "Cấu hình", "Nhập liệu", "Kết quả", "Phí, lệ phí",
                               "Số hóa", "xlwings.conf"]
    assert book.defined_names["BO_CHI_SO"].attr_text == "'Cấu hình'!$B$8"
    assert book["Cấu hình"]["B8"].value == "766-2026"
    assert book["Cấu hình"]["A12"].value == "chi_tieu_thanh_toan_truc_tuyen"
    assert book["Cấu hình"]["B12"].value == 25
    assert book["Cấu hình"]["B7"].number_format == "@"  # ky_bao_cao "2026-10" stays text
    results = book["Kết quả"]
    formula = results["A2"].value
    assert formula.text == "=CHISO_BANG(NhapLieu[#All],BO_CHI_SO,TRUE,FALSE)"
    # Đơn vị, 6 groups, Tổng điểm, Xếp loại, Xếp hạng, Ghi chú (766-2026 does not convert)
    assert formula.ref == f"A2:K{layout.UNIT_ROWS + 1}"
    # the header is text: with macros off the sheet still names its columns and says what to do
    assert [c.value for c in results[1]][:3] == ["Đơn vị", "CKMB", "TDGQ"]
    assert layout.MACROS_NEEDED in [c.value for row in results.iter_rows() for c in row]
    assert book.calculation.fullCalcOnLoad is False  # no Python started at every open
    choice = next(v for v in book["Cấu hình"].data_validations.dataValidation if v.type == "list")
    assert choice.showErrorMessage and choice.error  # other text is refused
    # ten_don_vi, ma_don_vi, the 21 indicators of 766-2026, DVCTT's group points (the portal
    # publishes only those for communes) and loai_don_vi
    assert book["Nhập liệu"].tables["NhapLieu"].ref == f"A1:Y{layout.UNIT_ROWS + 1}"
    assert book["Nhập liệu"]["Y1"].value == "loai_don_vi"


def test_input_columns_and_validation_follow_the_catalog():
    book = load_workbook(TEMPLATES["766-2026"], keep_vba=True)
    sheet = book["Nhập liệu"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["ten_don_vi", "ma_don_vi", "CKMB.1%", "CKMB.2%"]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    percent = rules[f"C2:C{layout.UNIT_ROWS + 1}"]
    # formatted %, so 95 and 95% both store 0,95, which CHISO_BANG reads as 95 %
    assert (percent.type, percent.formula1, percent.formula2) == ("decimal", "0", "1")
    assert sheet["C2"].number_format == "0.00%" and "95%" in percent.error
    counts = {str(v.sqref): v for v in book["Số hóa"].data_validations.dataValidation}
    count = counts[f"C2:C{layout.UNIT_ROWS + 1}"]
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert count.error == "Nhập số nguyên, không âm."  # no "1e+12" for a clerk to read
    assert headers[7:11] == ["DVCTT.1%", "DVCTT.2%", "DVCTT.3%", "DVCTT"]
    group = rules[f"K2:K{layout.UNIT_ROWS + 1}"]
    assert (group.type, group.formula1, group.formula2) == ("decimal", "0", "12")
    choice = [v for v in book["Cấu hình"].data_validations.dataValidation if v.type == "list"]
    assert choice[0].formula1 == '"766-2026"' and str(choice[0].sqref) == "B8"


def test_dienbien_template_takes_points_per_indicator():
    sheet = load_workbook(TEMPLATES["dienbien-459-2023"], keep_vba=True)["Nhập liệu"]
    codes = [i.code for i in load_indicator_set("dienbien-459-2023").indicators]
    assert [c.value for c in sheet[1]] == ["ten_don_vi", "ma_don_vi", *codes, "loai_don_vi"]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert rules[f"E2:E{layout.UNIT_ROWS + 1}"].formula2 == "10"  # CKMB.3: at most 10 points


def test_a_new_catalog_gives_a_new_template_without_code(tmp_path):
    target = tmp_path / "thu-nghiem.xlsm"
    assert main(["tao-mau", "--bo-chi-so", str(DATA / "thu-nghiem.toml"), "-o",
                 str(target)]) == 0
    indicator_set = load_indicator_set(DATA / "thu-nghiem.toml")
    book = load_workbook(target, keep_vba=True)
    expected = [c.header for c in layout.scores_columns(indicator_set)]
    assert [c.value for c in book["Nhập liệu"][1]] == expected
    assert book["Cấu hình"]["B8"].value == indicator_set.id


def test_band_colours_are_native_rules_from_the_catalog():
    sheet = load_workbook(TEMPLATES["766-2026"], keep_vba=True)["Kết quả"]
    rules = {str(r.sqref): [x.formula for x in r.rules] for r in sheet.conditional_formatting}
    bands = [b.label for b in load_indicator_set("766-2026").classification.bands]
    assert rules[f"I2:I{layout.UNIT_ROWS + 1}"] == [[f'"{label}"'] for label in bands]
    assert rules[f"H2:H{layout.UNIT_ROWS + 1}"] == [[f'$I2="{label}"'] for label in bands]
    fees = load_workbook(TEMPLATES["766-2026"], keep_vba=True)["Phí, lệ phí"]
    below = [[x.formula for x in r.rules] for r in fees.conditional_formatting]
    assert below == [[["AND(ISNUMBER($M2),$M2*100<CHI_TIEU_TTTT)"]]]


def test_refuses_to_overwrite_a_template(tmp_path, capsys):
    target = tmp_path / "xl766.xlsm"
    target.write_bytes(b"clerk's work")
    assert main(["tao-mau", "--bo-chi-so", "766-2026", "-o", str(target)]) == 2
    assert "--ghi-de" in capsys.readouterr().err and target.read_bytes() == b"clerk's work"


def test_the_wheel_carries_macros_so_tao_mau_works_when_installed(tmp_path):
    import shutil
    import subprocess
    import sys
    import zipfile

    source = tmp_path / "source"  # a clean copy: an in-tree build/ could carry stale files
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".tox", "workbook", "examples"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path),
                    str(source)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("xl766-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for source in ("xl766_ribbon.bas", "ThisWorkbook.cls", "customUI14.xml"):
        assert f"xl766/excel/macros/{source}" in names
        shipped = zipfile.ZipFile(wheel).read(f"xl766/excel/macros/{source}")
        assert shipped == (ROOT / "macros" / source).read_bytes()


def test_fee_and_digitisation_sheets_read_in_words():
    from xl766.engine.appendices import COLUMN_LABELS, column_key

    book = load_workbook(TEMPLATES["766-2026"], keep_vba=True)
    for name in ("Phí, lệ phí", "Số hóa"):
        headers = [c.value for c in book[name][1] if c.value]
        assert all(h in COLUMN_LABELS.values() for h in headers), headers  # no machine keys
        assert all(column_key(h) in COLUMN_LABELS for h in headers)  # and each reads as its key
    assert book["Phí, lệ phí"]["C1"].value == "Chưa thanh toán: số hồ sơ"


def test_two_builds_at_different_times_are_byte_identical_to_the_committed(tmp_path, monkeypatch):
    import datetime as real

    import openpyxl.writer.excel as writer

    class Later(real.datetime):
        @classmethod
        def now(cls, tz=None):
            return real.datetime(2031, 7, 15, 9, 30, tzinfo=tz)

    first = tmp_path / "a" / "xl766.xlsm"
    second = tmp_path / "b" / "xl766.xlsm"
    for target in (first, second):
        target.parent.mkdir()
    assert main(["tao-mau", "--bo-chi-so", "766-2026", "-o", str(first)]) == 0
    monkeypatch.setattr(writer.datetime, "datetime", Later)  # openpyxl stamps its save time
    assert main(["tao-mau", "--bo-chi-so", "766-2026", "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes() == TEMPLATES["766-2026"].read_bytes()


def _previous_version_workbook(tmp_path) -> Path:
    """A month filled in a workbook of an earlier xl766: the Tuần Giáo data in a template whose
    VBA loads another xlwings DLL (0.30.0), as a file kept from last year does."""
    from pyopenvba import ExcelFile

    from xl766.catalog import load_indicator_set
    from xl766.excel.build import build_template
    from xl766.excel.upgrade import _carry
    from xl766.report.inputs import (
        DIGITISATION_SHEET,
        FEES_SHEET,
        SCORES_SHEET,
        read_report_input,
    )

    sample = read_report_input(ROOT / "examples" / "tuan-giao-2023-09.xlsx")
    old = tmp_path / "thang-9-nam-ngoai.xlsm"
    build_template(load_indicator_set("dienbien-459-2023"), old, fill=_carry(sample.settings, {
        SCORES_SHEET: sample.scores, FEES_SHEET: sample.fees,
        DIGITISATION_SHEET: sample.digitisation}))
    source = modules(old)["xlwings"].replace("0.37.8", "0.30.0")
    workbook = ExcelFile(old)
    project = workbook.vba_project()
    project.delete_module("xlwings")
    project.add_module("xlwings", source)
    workbook.save()
    workbook.close()
    assert vba.xlwings_version(modules(old)["xlwings"]) == "0.30.0"
    return old


def test_an_old_workbook_moves_into_the_current_template(tmp_path):
    old = _previous_version_workbook(tmp_path)
    before = old.read_bytes()
    new = tmp_path / "thang-9-mau-moi.xlsm"
    assert main(["cap-nhat-mau", str(old), "-o", str(new)]) == 0
    assert old.read_bytes() == before  # the old file is never written to
    assert vba.xlwings_version(modules(new)["xlwings"]) == xlwings.__version__
    reports = []
    for source in (old, new):
        target = tmp_path / f"bao-cao-{source.stem}.xlsx"
        assert main(["tao-bao-cao", str(source), "-o", str(target)]) == 0
        book = load_workbook(target)
        reports.append({s: [r for r in book[s].iter_rows(values_only=True)]
                        for s in ("Biểu 01", "Biểu 02", "Biểu 03")})
    assert reports[0] == reports[1]
    assert reports[1]["Biểu 01"][7:9]  # the 19 units are there, with their bands
    assert main(["cap-nhat-mau", str(old), "-o", str(new)]) == 2  # no overwrite unasked


def test_an_old_workbook_with_errors_is_not_moved(tmp_path, capsys):
    old = _previous_version_workbook(tmp_path)
    book = load_workbook(old, keep_vba=True)
    sheet = book["Nhập liệu"]
    column = next(c.column for c in sheet[1] if c.value == "CKMB.2")
    sheet.cell(2, column).value = "abc"
    book.save(old)
    new = tmp_path / "moi.xlsm"
    assert main(["cap-nhat-mau", str(old), "-o", str(new)]) == 2
    err = capsys.readouterr().err
    assert "có 1 lỗi; chưa chuyển sang mẫu mới" in err and "'abc' không phải là số" in err
    assert not new.exists()
