"""Random tables never crash the engine, and every bad cell is reported where it is."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import raw_table
from xl766.catalog import load_indicator_set
from xl766.engine import Level, score_table

SET = load_indicator_set("766-2026")
COLUMNS = ["CKMB.1", "CKMB.2%", "CKMB.3/tu", "CKMB.3/mau", "TDGQ", "MDHL.1/tu", "MDHL.1/mau",
           "TTTT.1%", "SHHS.2"]

cell = st.one_of(
    st.none(), st.just(""), st.just("-"),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 500),
    st.text(string.digits + ",.-e% xyz", max_size=6),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.fixed_dictionaries({c: cell for c in COLUMNS}), min_size=1, max_size=8),
       st.lists(st.sampled_from(["Xã A", "Xã Á", "Xã B", "", None, "=cmd"]), min_size=8,
                max_size=8))
def test_random_tables_never_crash(rows, names):
    table = raw_table([r | {"ten_don_vi": n} for r, n in zip(rows, names, strict=False)])
    scores = score_table(table, SET)
    assert len(scores.summary) == len(rows)
    assert len(scores.records()) == len(rows)
    for f in scores.findings:
        assert f.message and f.row is not None


GOOD = {"CKMB.1": 3, "TDGQ.1": 10}
BAD_VALUES = {"chữ": "không phải là số", "-2": "số âm", "999": "vượt điểm tối đa"}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(GOOD)), st.sampled_from(sorted(BAD_VALUES))),
                min_size=1, max_size=12))
def test_every_bad_cell_is_reported(spoils):
    rows = [dict(GOOD, ten_don_vi=f"Đơn vị số {i:03d}") for i in range(12)]
    expected = set()
    for row_position, (column, value) in enumerate(spoils):
        rows[row_position][column] = value
        expected.add((row_position + 2, column, BAD_VALUES[value]))
    findings = score_table(raw_table(rows), SET).findings
    errors = {(f.row, f.column) for f in findings if f.level is Level.ERROR}
    assert errors == {(r, c) for r, c, _ in expected}
    for r, c, text in expected:
        assert any(f.row == r and f.column == c and text in f.message for f in findings)


_NAME_CHARACTERS = st.sampled_from(list("aăâbdđeêioôơuưyAĂÂĐÔƠƯ xXã ")
                                   + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0306",
                                      "\u0302", "\t", "\n", "\u00a0", "\x00", "ß", "Σ", "ǰ",
                                      "中", "7", "-", "İ"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_NAME_CHARACTERS, max_size=12), max_size=8))
def test_a_column_of_names_sorts_as_each_name_does(names):
    """The whole-column sort keys (names joined, normalised and split) are each name's own."""
    from xl766.engine.names import sort_key, sort_keys

    tones, letters = sort_keys(names)
    assert list(zip(letters, tones, strict=True)) == [sort_key(name) for name in names]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(_NAME_CHARACTERS, max_size=6), max_size=10))
def test_a_column_of_names_is_ordered_as_its_sort_keys_say(names):
    from xl766.engine.names import sort_key, vietnamese_order

    expected = sorted(range(len(names)), key=lambda i: sort_key(names[i]))
    assert vietnamese_order(names).tolist() == expected
