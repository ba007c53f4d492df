"""Biểu số 01 of the published Tuần Giáo report (September 2023), scored by the Điện Biên set."""

import pandas as pd
import pytest

from conftest import EXAMPLES, raw_table, read_tsv, vn_float
from xl766.adapters.tables import read_table
from xl766.engine import Level, score_table
from xl766.engine.numbers import format_number

PUBLISHED = read_tsv("tuan-giao-2023-09-bieu01.tsv")
COMPONENT_COLUMNS = list(PUBLISHED.columns[2:13])


def _as_input(published: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, row in published.iterrows():
        cells = {"ten_don_vi": row["ten_don_vi"], "TONG": row["diem_dat_duoc"]}
        cells |= {c.split(" ")[0]: (row[c] or None) for c in COMPONENT_COLUMNS}
        rows.append(cells)
    return raw_table(rows)


@pytest.fixture(scope="module")
def scores():
    from xl766.catalog import load_indicator_set

    return score_table(_as_input(PUBLISHED), load_indicator_set("dienbien-459-2023"))


def test_converted_total_matches_print_for_all_19_rows(scores):
    shown = [format_number(v, 1) for v in scores.summary["converted"]]
    assert shown == PUBLISHED["tong_diem_quy_doi"].tolist()


def test_bands_match_print(scores):
    assert scores.summary["band"].tolist() == PUBLISHED["xep_loai"].tolist()


def test_applicable_max_is_85_because_ckmb1_and_ckmb3_are_blank(scores):
    assert set(scores.summary["applicable_max"]) == {85.0}
    assert scores.summary["converted"].iloc[0] == pytest.approx(81.52 / 85 * 100)


def test_recomputed_totals_are_within_rounding_and_raise_no_warning(scores):
    published = PUBLISHED["diem_dat_duoc"].map(vn_float).to_numpy()
    gap = abs(scores.summary["computed_total"].to_numpy() - published)
    assert gap.max() == pytest.approx(0.07, abs=1e-9)  # Nà Tông: 65,12 from parts vs 65,19
    assert not [f for f in scores.findings if f.level is not Level.NOTE]


def test_rank_follows_printed_order(scores):
    assert scores.summary["rank"].tolist() == list(range(1, 20))
    assert list(scores.ranking_order()) == list(scores.summary.index)


def test_bundled_example_is_the_published_table(dienbien):
    table = read_table(EXAMPLES / "tuan-giao-2023-09-bieu01.csv")
    assert table.frame["ten_don_vi"].tolist() == PUBLISHED["ten_don_vi"].tolist()
    example = score_table(table.frame, dienbien)
    shown = [format_number(v, 1) for v in example.summary["converted"]]
    assert shown == PUBLISHED["tong_diem_quy_doi"].tolist()


def test_changed_published_total_is_flagged(dienbien):
    edited = PUBLISHED.copy()
    edited.loc[0, "diem_dat_duoc"] = "82,52"  # one point more than its parts add up to
    scores = score_table(_as_input(edited), dienbien)
    warnings = [f for f in scores.findings if f.level is Level.WARNING]
    assert [(f.row, f.column) for f in warnings] == [(2, "TONG")]
    assert "82,52" in warnings[0].message and "81,520" in warnings[0].message
