import numpy as np
import pandas as pd
import pytest

from xl766.engine.numbers import (
    format_count,
    format_number,
    format_numbers,
    parse_numbers,
    round_half_up,
)


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (2.675, 2, 2.68),  # Python's round() gives 2,67
    (0.125, 2, 0.13), (2.5, 0, 3.0), (-2.5, 0, -3.0), (95.90588, 1, 95.9), (89.95, 1, 90.0),
    (1.005, 2, 1.01), (4.875, 2, 4.88), (4.8749, 2, 4.87), (0.0, 2, 0.0),
])
def test_round_half_up_like_excel(value, digits, expected):
    assert round_half_up(value, digits) == expected


def test_round_half_up_on_a_column_keeps_missing():
    rounded = round_half_up(np.array([0.125, np.nan, 6 * 13 / 16, 2.675]), 2)
    np.testing.assert_array_equal(rounded, [0.13, np.nan, 4.88, 2.68])


def test_vietnamese_formats():
    assert format_number(90.75, 1) == "90,8"
    assert format_number(1229100) == "1.229.100"
    assert format_number(float("nan"), 1, blank="—") == "—"
    assert format_count(7) == "07 đơn vị" and format_count(19) == "19 đơn vị"


def test_parse_as_clerks_type():
    parsed = parse_numbers(pd.Series(["81,52", "81.52", "1.229.100", "1.234,5", "-", "", None,
                                      "abc", 5, 30.0, " 4,545 ", "1e5", "inf"]))
    expected = [81.52, 81.52, 1229100, 1234.5, np.nan, np.nan, np.nan, np.nan, 5, 30, 4.545, 1e5,
                np.nan]
    np.testing.assert_array_equal(parsed.values, expected)
    assert parsed.unreadable.tolist() == [False] * 4 + [True] + [False] * 2 + [True] + [
        False] * 4 + [True]


def test_a_dash_is_zero_only_where_the_sheet_prints_one():
    # Biểu 02 prints "-" for no fee; in a scoring table a dash is refused: blank is never zero
    cells = pd.Series(["-", "–", "5"])
    assert parse_numbers(cells, dash_is_zero=True).values.tolist() == [0, 0, 5]
    assert parse_numbers(cells).unreadable.tolist() == [True, True, False]


def test_printed_decimals_for_the_rounding_check():
    parsed = parse_numbers(pd.Series(["81,52", "81.5", "1.229.100", "1.234,5", "30,0", 8.72, 5,
                                      " 4,545 ", None]), with_decimals=True)
    assert parsed.decimals.tolist() == [2, 1, 0, 1, 1, 2, 0, 3, 0]


def test_numeric_columns_pass_straight_through():
    parsed = parse_numbers(pd.Series([1.0, None, 3.5]), whole=False)
    assert parsed.blank.tolist() == [False, True, False]
    np.testing.assert_array_equal(parsed.values, [1.0, np.nan, 3.5])


def test_counts_read_thousands_either_way():
    parsed = parse_numbers(pd.Series(["1.335", "1,335", "12"]), whole=True)
    assert parsed.values.tolist() == [1335, 1335, 12]


def test_format_number_rounds_half_up_not_to_even():
    # Python's round() gives 2,67 and 0,12 here (binary floats, halves to even)
    assert format_number(2.675, 2) == "2,68" and format_number(0.125, 2) == "0,13"
    assert format_number(89.95, 1) == "90,0" and format_number(-2.5) == "-3"


def test_format_numbers_for_a_column_equals_one_by_one():
    values = [2.675, 0.125, 89.95, 1229100, float("nan"), -2.5, 1.005, 99.995]
    for digits in (0, 1, 2):
        assert format_numbers(values, digits, blank="—") == [
            format_number(v, digits, blank="—") for v in values]
