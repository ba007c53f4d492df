"""Official results are exact: no float noise in any number a person or a program reads."""

import csv
import json
import re

import numpy as np

from conftest import EXAMPLES
from xl766.cli import main
from xl766.engine.numbers import format_number, round_half_up

PHU_THO = EXAMPLES / "phu-tho-2026-q3.csv"
# 68.71000000000001, 0.30000000000000004, 89.99999999999999: the marks of a float sum
_NOISE = re.compile(r"\d\.\d*(?:0{6,}|9{6,})\d")


def test_csv_output_carries_exact_points(tmp_path, capsys):
    out_file = tmp_path / "kq.csv"
    assert main(["cham-diem", str(PHU_THO), "--bo-chi-so", "766-2026", "-o",
                 str(out_file), "--csv-may"]) == 0
    capsys.readouterr()
    text = out_file.read_text(encoding="utf-8-sig")
    assert not _NOISE.findall(text)
    rows = list(csv.reader(text.splitlines()))
    numbers = [cell for row in rows[1:] for cell in row if re.fullmatch(r"-?\d+\.\d+", cell)]
    assert len(numbers) > 1000
    assert all(len(n.split(".")[1]) <= 2 for n in numbers)  # the set's precision


def test_json_output_carries_exact_points(capsys):
    assert main(["cham-diem", str(PHU_THO), "--bo-chi-so", "766-2026", "--json"]) == 0
    out = capsys.readouterr().out
    assert not _NOISE.findall(out)
    units = json.loads(out)
    for unit in units:
        values = [*unit["indicators"].values(), *unit["groups"].values(), unit["total"]]
        for value in values:
            assert value is None or round(value, 2) == value
        if unit["total"] is not None and None not in unit["groups"].values():
            # the total is the exact sum of the groups' points
            cents = sum(round(v * 100) for v in unit["groups"].values())
            assert round(unit["total"] * 100) == cents and unit["total"] == cents / 100


def test_display_rounding_is_exact_half_up():
    assert round_half_up(20 * 904212 / 1004401, 2) == 18.00  # 18,004999995…
    assert round_half_up(np.array([0.125, 4.875, 18.005]), 2).tolist() == [0.13, 4.88, 18.01]
    assert round_half_up(2.675, 2) == 2.68  # as written, like Excel's ROUND
    assert round_half_up(1.005, 2) == 1.01
    assert round_half_up(89.99999999999999, 2) == 90.0  # Excel holds 15 digits
    assert np.isnan(round_half_up(np.array([np.nan]), 2)[0])
    assert format_number(18.0049995, 2) == "18,00"
