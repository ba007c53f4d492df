"""Kinds and levels of units: per-kind ranks, the office's own row, why a unit is unscored."""

import json

import pandas as pd
import pytest

from conftest import run_cli
from xl766.catalog import available_sets, load_indicator_set
from xl766.engine import narrative as text
from xl766.engine import score_table

GROUPS = ["CKMB", "TDGQ", "DVCTT", "TTTT", "MDHL", "SHHS"]
TWO_LEVELS = [  # name, kind, six group points (766-2026: 18/20/12/10/18/22), published, note
    ("Huyện A", "Đơn vị báo cáo", [18, 20, 12, 10, 18, 22], None, None),
    ("Sở X", "Sở, ban, ngành", [18, 20, 12, 10, 18, 12], None, None),
    ("Sở Y", "Sở, ban, ngành", [10, 20, 12, 10, 18, 10], None, None),
    ("Xã M", "UBND cấp xã", [18, 20, 12, 10, 18, 17], None, None),
    ("Xã N", "UBND cấp xã", [18, 20, 12, 10, 10, 15], None, None),
    ("Xã P", "UBND cấp xã", [None] * 6, None, "Chưa phát sinh hồ sơ trong tháng"),
    ("Xã Q", "UBND cấp xã", [None] * 6, None, None),
    ("Xã R", "UBND cấp xã", [18, None, None, None, None, None], None, None),
    ("Bộ phận một cửa", "Bộ phận một cửa", [None] * 6, "90,8", None),
]


def _frame(rows=TWO_LEVELS) -> pd.DataFrame:
    records = [{"ten_don_vi": name, "loai_don_vi": kind, **dict(zip(GROUPS, points, strict=True)),
                "TONG": total, "ghi_chu": note} for name, kind, points, total, note in rows]
    return pd.DataFrame(records, index=range(2, 2 + len(records)), dtype=object)


@pytest.fixture(scope="module")
def scored():
    return score_table(_frame(), load_indicator_set("766-2026"))


def _by_name(scores, column):
    return dict(zip(scores.units["unit"], scores.summary[column].tolist(), strict=True))


def test_office_row_is_classified_but_never_ranked(scored):
    assert not scored.has_errors
    assert _by_name(scored, "band")["Huyện A"] == "Xuất sắc"
    assert _by_name(scored, "rank")["Huyện A"] is pd.NA


def test_ranks_overall_and_among_units_of_one_kind(scored):
    ranks, within = _by_name(scored, "rank"), _by_name(scored, "kind_rank")
    # 95 (Xã M), 90,8 (one-stop desk), 90 (Sở X), 85 (Xã N), 80 (Sở Y)
    assert [ranks[n] for n in ("Xã M", "Bộ phận một cửa", "Sở X", "Xã N", "Sở Y")] == [
        1, 2, 3, 4, 5]
    assert [within[n] for n in ("Sở X", "Sở Y", "Xã M", "Xã N", "Bộ phận một cửa")] == [
        1, 2, 1, 2, 1]


def test_why_a_unit_is_unscored(scored):
    reasons = _by_name(scored, "unscored")
    assert reasons["Xã P"] == "chưa phát sinh hồ sơ"  # declared in its note
    assert reasons["Xã Q"] == "chưa thực hiện chấm điểm"  # nothing entered
    assert reasons["Xã R"] == "chưa đủ số liệu"
    assert reasons["Xã M"] is None


def test_all_denominators_zero_is_no_dossier_not_missing():
    frame = pd.DataFrame({"ten_don_vi": ["Xã K"], "TDGQ.1/tu": [0], "TDGQ.1/mau": [0],
                          "CKMB.1/tu": [0], "CKMB.1/mau": [0]}, index=[2], dtype=object)
    scores = score_table(frame, load_indicator_set("766-2026"))
    assert scores.summary["unscored"].tolist() == ["chưa phát sinh hồ sơ"]


def test_narrative_counts_per_kind_and_reasons_apart(scored):
    sentence = text.classification(scored, "Các cơ quan, đơn vị")
    assert sentence.startswith("Các cơ quan, đơn vị thực hiện chấm điểm đánh giá 5/8 đơn vị, "
                               "trong đó 03 đơn vị xếp loại xuất sắc, 02 đơn vị xếp loại tốt.")
    assert "01 đơn vị chưa phát sinh hồ sơ (Xã P)." in sentence
    assert "01 đơn vị chưa thực hiện việc chấm điểm (Xã Q)." in sentence
    assert "01 đơn vị chưa đủ số liệu để xếp loại (Xã R)." in sentence
    assert text.by_kind(scored) == [
        "Sở, ban, ngành: 01 đơn vị đạt loại Xuất sắc; 01 đơn vị đạt loại Tốt.",
        "UBND cấp xã: 01 đơn vị đạt loại Xuất sắc; 01 đơn vị đạt loại Tốt; 01 đơn vị chưa phát "
        "sinh hồ sơ; 01 đơn vị chưa thực hiện chấm điểm; 01 đơn vị chưa đủ số liệu.",
        "Bộ phận một cửa: 01 đơn vị đạt loại Xuất sắc."]


def test_long_lists_in_a_sentence_are_capped():
    names = [f"Xã {i}" for i in range(3321)]
    assert text.listed(names).endswith("Xã 9 và 3.311 đơn vị khác")
    assert text.listed(names[:3]) == "Xã 0, Xã 1, Xã 2"


@pytest.mark.parametrize("set_id", available_sets())
def test_a_unit_known_only_by_its_published_total_is_classified_under_every_set(set_id):
    indicator_set = load_indicator_set(set_id)
    total = round(indicator_set.total_max * 0.908, 2)  # 90,8 of 100; 16,34 of NĐ 61's 18
    frame = pd.DataFrame({"ten_don_vi": ["Bộ phận một cửa"], "TONG": [str(total)]}, index=[2],
                         dtype=object)
    scores = score_table(frame, indicator_set)
    assert not scores.has_errors
    expected = next(b.label for b in indicator_set.classification.bands if total >= b.min_points)
    assert scores.summary["band"].tolist() == [expected]


def test_json_gives_kind_kind_rank_and_no_nan(tmp_path, capsys):
    path = tmp_path / "hai-cap.csv"
    _frame().to_csv(path, index=False)
    code, out, err = run_cli(capsys, "cham-diem", path, "--bo-chi-so", "766-2026", "--json")
    assert code == 0, err
    units = {u["unit"]: u for u in json.loads(out)}
    assert units["Sở Y"]["kind"] == "Sở, ban, ngành" and units["Sở Y"]["kind_rank"] == 2
    assert units["Huyện A"]["rank"] is None and units["Huyện A"]["band"] == "Xuất sắc"
    assert units["Xã Q"]["unscored"] == "chưa thực hiện chấm điểm"
    code, out, err = run_cli(capsys, "cham-diem", path, "--bo-chi-so", "766-2026")
    assert code == 0 and "nan" not in out.lower()


def test_portal_import_carries_the_departments_type(capsys):
    from conftest import EXAMPLES

    code, out, err = run_cli(capsys, "cham-diem", EXAMPLES / "phu-tho-2026-q3.csv",
                             "--bo-chi-so", "766-2026", "--json")
    assert code == 0, err
    units = json.loads(out)
    kinds = [u["kind"] for u in units]
    assert (kinds.count("Sở, ban, ngành"), kinds.count("UBND cấp xã")) == (15, 148)
    first_of_kind = {u["kind"]: (u["unit"], u["rank"]) for u in units if u["kind_rank"] == 1}
    # the best commune is third in the province, first among communes
    assert first_of_kind["UBND cấp xã"] == ("UBND xã Lai Đồng", 3)
    assert first_of_kind["Sở, ban, ngành"][1] == 1
