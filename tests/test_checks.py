"""Every bad cell of an input is reported in one pass, with its row and column."""

from conftest import raw_table
from xl766.engine import Level, score_table
from xl766.engine.inputs import read_scoring_table


def _errors(findings):
    return sorted((f.row, f.column) for f in findings if f.level is Level.ERROR)


def test_all_errors_of_one_table_in_one_pass(set_2026):
    table = raw_table([
        {"ten_don_vi": "Xã A", "CKMB.1": "abc", "CKMB.2%": 120, "ma_don_vi": "X1"},  # 2
        {"ten_don_vi": "Xã B", "CKMB.1": -1, "CKMB.2/tu": 6, "CKMB.2/mau": 5},  # 3
        {"ten_don_vi": "Xã C", "CKMB.1": 7, "TDGQ": 5, "TDGQ.1": 4},  # 4: 7 > 6; group both ways
        {"ten_don_vi": None, "CKMB.1": 1},  # 5: no name
        {"ten_don_vi": "Xã D", "ma_don_vi": "X1", "CKMB.1": "1", "CKMB.9": 3},  # 6: same code
        {"ten_don_vi": "  xã  d ", "CKMB.1": 2, "CKMB.2%": 10, "CKMB.2": 1},  # 7: name, 2 forms
        {"ten_don_vi": "Xã E", "CKMB.2/tu": 2.5, "CKMB.2/mau": 5},  # 8: count not whole
        {"ten_don_vi": "Xã F", "CKMB.3/tu": 1, "CKMB.3/mau": None},  # 9: half a pair
    ])
    data = read_scoring_table(table, set_2026)
    assert _errors(data.findings) == sorted([
        (1, "CKMB.9"),
        (2, "CKMB.1"), (2, "CKMB.2%"),
        (3, "CKMB.1"), (3, "CKMB.2/tu"),
        (4, "CKMB.1"), (4, "TDGQ"),
        (5, "ten_don_vi"),
        (6, "ma_don_vi"),
        (7, "CKMB.2"), (7, "ten_don_vi"),
        (8, "CKMB.2/tu"),
        (9, "CKMB.3/mau"),
    ])
    messages = {(f.row, f.column): f.message for f in data.findings}
    assert messages[(1, "CKMB.9")] == (
        "cột 'CKMB.9' không thuộc bộ chỉ số 766-2026. Có phải 'CKMB.4'?")
    assert messages[(2, "CKMB.1")] == "'abc' không phải là số"
    assert messages[(2, "CKMB.2%")] == "tỷ lệ 120% vượt quá 100%"
    assert messages[(3, "CKMB.1")] == "số âm (-1) không hợp lệ"
    assert messages[(3, "CKMB.2/tu")] == "tử số (6) lớn hơn mẫu số (5) của CKMB.2"
    assert messages[(4, "CKMB.1")] == "điểm 7 vượt điểm tối đa 6"
    assert messages[(6, "ma_don_vi")] == "trùng đơn vị với dòng 2 (cùng mã 'X1')"
    assert messages[(7, "ten_don_vi")] == "trùng đơn vị với dòng 6 (cùng tên 'xã  d')"
    assert not [f for f in data.findings if f.level is Level.WARNING]  # Xã A…F: distinct units
    assert "nhiều cách cùng lúc" in messages[(7, "CKMB.2")]
    assert "số nguyên" in messages[(8, "CKMB.2/tu")]


def test_missing_name_column_and_repeated_column(set_2026):
    table = raw_table([{"CKMB.1": 1}])
    table.columns = ["CKMB.1"]
    table.insert(1, "ckmb.1 ", [2], allow_duplicates=True)
    data = read_scoring_table(table, set_2026)
    assert _errors(data.findings) == [(1, "ckmb.1"), (1, "ten_don_vi")]


def test_direct_indicator_refuses_a_percent(dienbien):
    data = read_scoring_table(raw_table([{"ten_don_vi": "A", "CKMB.2%": 50}]), dienbien)
    [error] = [f for f in data.findings if f.level is Level.ERROR]
    assert "được nhập điểm trực tiếp" in error.message and error.column == "CKMB.2%"


def test_names_a_letter_or_a_diacritic_apart_are_warned(dienbien):
    table = raw_table([{"ten_don_vi": "UBND xã Nà Sáy"}, {"ten_don_vi": "UBND xã Ta Ma"},
                       {"ten_don_vi": "UBND xã Nhà Sáy"}, {"ten_don_vi": "UBND xã Quài Tở"},
                       {"ten_don_vi": "UBND xã Quài Tờ"}])
    findings = [f for f in read_scoring_table(table, dienbien).findings
                if f.level is Level.WARNING]
    assert [(f.row, f.column) for f in findings] == [(4, "ten_don_vi"), (6, "ten_don_vi")]
    assert "'UBND xã Nhà Sáy' gần giống 'UBND xã Nà Sáy' ở dòng 2" in findings[0].message


def test_coded_units_may_share_a_name(dienbien):
    table = raw_table([{"ten_don_vi": "Xã Tân Lập", "ma_don_vi": "H01.1"},
                       {"ten_don_vi": "Xã Tân Lập", "ma_don_vi": "H02.7"}])
    assert not read_scoring_table(table, dienbien).findings


def test_bad_cells_are_not_scored_as_zero(set_2026):
    scores = score_table(raw_table([{"ten_don_vi": "A", "CKMB.1": "x"}]), set_2026)
    assert scores.has_errors
    assert scores.indicator_status["CKMB.1"].iloc[0] == 1  # missing, not 0 points
