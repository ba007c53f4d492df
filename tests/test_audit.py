"""Regression tests for the classes an adversarial audit found: each once gave a wrong result
with exit 0, accepted bad input without a word, or ended in a traceback."""

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from xl766.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def scored(capsys, path: Path, set_id: str = "766-2026") -> list[dict]:
    code, out, err = run(capsys, "cham-diem", path, "--bo-chi-so", set_id, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize(("number_format", "stored", "points"), [
    ('0.00"%"', 95, 5.7),      # literal sign: 95 shows "95.00%" and is 95 %
    ('0.00"%"', 0.5, 0.03),    # 0,5 shows "0.50%": half a percent of 6 points
    ("0.00\\%", 95, 5.7),      # escaped sign: literal too
    ("0.00%", 0.95, 5.7),      # a real percent format: 0,95 shows "95.00%"
    ("[Red]0.00%", 0.95, 5.7),
])
def test_only_a_real_percent_format_scales(tmp_path, capsys, number_format, stored, points):
    book = Workbook()
    sheet = book.active
    sheet.append(["ten_don_vi", "CKMB.1%"])
    sheet.append(["Xã A", stored])
    sheet["B2"].number_format = number_format
    book.save(tmp_path / "t.xlsx")
    assert scored(capsys, tmp_path / "t.xlsx")[0]["indicators"]["CKMB.1"] == points


@pytest.mark.parametrize("text", [
    'ten_don_vi,CKMB.1\nXã A,5\n"Xã B,4\nXã C,3\nXã D,2\n',
    'ten_don_vi,CKMB.1\nXã A,5\n"Xã B,4\nXã C,3\n"Xã D,2\nXã E,1\n',
])
def test_a_stray_quote_in_a_csv_is_named_not_swallowed(tmp_path, capsys, text):
    table = tmp_path / "t.csv"
    table.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "cham-diem", table, "--bo-chi-so", "dienbien-459-2023")
    assert code == 2 and out == ""
    assert "Tệp 't.csv', dòng 3, cột 'ten_don_vi'" in err and "ngoặc kép" in err
