"""Hand-computed cases for every rule, zero-denominator policy, band edge, tie and missing input."""

import math
from decimal import Decimal

import pytest

from conftest import DATA, raw_table
from xl766.catalog import load_indicator_set
from xl766.engine import Level, score_table
from xl766.engine.scoring import Status


def full_marks(indicator_set, **overrides):
    """A unit with every indicator at its maximum, as points; overrides by column name."""
    row = {"ten_don_vi": "UBND xã Mẫu"}
    row |= {i.code: i.max_points for i in indicator_set.indicators}
    row |= {k.replace("_pct", "%").replace("__", "/").replace("_", "."): v
            for k, v in overrides.items()}
    return row


def one(indicator_set, **overrides):
    scores = score_table(raw_table([full_marks(indicator_set, **overrides)]), indicator_set)
    return scores, scores.summary.iloc[0]


def test_full_marks_total_100(set_2026):
    scores, summary = one(set_2026)
    assert summary["total"] == 100 and summary["band"] == "Xuất sắc" and summary["rank"] == 1
    assert scores.groups.iloc[0].to_dict() == {"CKMB": 18, "TDGQ": 20, "DVCTT": 12, "TTTT": 10,
                                               "MDHL": 18, "SHHS": 22}


def test_linear_from_counts(set_2026):
    # CKMB.1: 6 × 45/50 = 5,4
    scores, summary = one(set_2026, **{"CKMB.1": None, "CKMB.1/tu": 45, "CKMB.1/mau": 50})
    assert scores.indicators["CKMB.1"].iloc[0] == pytest.approx(5.4)
    assert scores.ratios["CKMB.1"].iloc[0] == pytest.approx(90)
    assert summary["total"] == pytest.approx(99.4)


@pytest.mark.parametrize(("percent", "points"), [(40, 4.8), (49.99, 6.0), (49.9, 5.99),
                                                 (50, 6), (73, 6), (0, 0), (12.34, 1.48)])
def test_target_from_percent(set_2026, percent, points):
    # DVCTT.3: target 50%: 6 if R ≥ 50%, else 6 × R / 50%, then rounded half-up to 2 decimals
    # like the portal: 6 × 49,99 / 50 = 5,9988 → 6,00; 6 × 12,34 / 50 = 1,4808 → 1,48
    scores, _ = one(set_2026, **{"DVCTT.3": None, "DVCTT.3%": percent})
    assert scores.indicators["DVCTT.3"].iloc[0] == pytest.approx(points)


def test_target_reached_exactly_by_counts(set_2026):
    # TTTT.2: 4/5 = 80% = the target, so full 2 points despite float arithmetic
    scores, _ = one(set_2026, **{"TTTT.2": None, "TTTT.2/tu": 4, "TTTT.2/mau": 5})
    assert scores.indicators["TTTT.2"].iloc[0] == 2


def test_2024_and_2026_differ_on_online_payment():
    # 15% of dossiers paid online: 2024 target 30% → 6 × 15/30 = 3; 2026 linear → 6 × 0,15 = 0,9
    for set_id, expected in (("766-2024", 3.0), ("766-2026", 0.9)):
        indicator_set = load_indicator_set(set_id)
        row = full_marks(indicator_set, **{"TTTT.1": None, "TTTT.1%": 15})
        if set_id == "766-2024":
            row["SHHS"] = 22
        scores = score_table(raw_table([row]), indicator_set)
        assert scores.indicators["TTTT.1"].iloc[0] == pytest.approx(expected), set_id


def test_zero_denominator_policies_of_2026(set_2026):
    scores, summary = one(set_2026, **{
        "CKMB.1": None, "CKMB.1/tu": 0, "CKMB.1/mau": 0,  # zero
        "MDHL.1": None, "MDHL.1/tu": 0, "MDHL.1/mau": 0,  # full: no PAKN → 6
    })
    assert scores.indicators.iloc[0][["CKMB.1", "MDHL.1"]].tolist() == [0, 6]
    assert summary["total"] == 94 and summary["applicable_max"] == 100
    notes = [(f.column, f.level) for f in scores.findings]
    assert notes == [("CKMB.1/mau", Level.NOTE), ("MDHL.1/mau", Level.NOTE)]


CUSTOM_SET_FILE = DATA / "thu-nghiem.toml"


@pytest.fixture
def custom_set():
    return load_indicator_set(CUSTOM_SET_FILE)


def test_not_applicable_policy_lowers_applicable_max_and_converts(custom_set):
    table = raw_table([
        {"ten_don_vi": "Xã A", "A.1/tu": 0, "A.1/mau": 0, "A.2": 3, "A.3%": 40},
        {"ten_don_vi": "Xã B", "A.1/tu": 1, "A.1/mau": 2, "A.2": 3, "A.3%": 100},
    ])
    scores = score_table(table, custom_set)
    # A: A.1 not applicable → 3 of 6 → converted 3/6 × 10 = 5, exactly the "Đạt" bound (bands
    # are on the converted score, on the set's 10-point scale)
    assert scores.indicator_status["A.1"].tolist() == [Status.NOT_APPLICABLE, Status.SCORED]
    assert scores.summary["applicable_max"].tolist() == [6, 10]
    assert scores.summary["converted"].tolist() == [5, 5]  # 3/6×10; (2+3)/10×10
    assert scores.summary["band"].tolist() == ["Đạt", "Đạt"]
    assert scores.indicators["A.3"].tolist() == [0, 0]  # monitored: shown, never scored
    assert scores.ratios["A.3"].tolist() == [40, 100]
    assert scores.summary["rank"].tolist() == [1, 1]


def test_missing_is_not_zero(set_2026):
    scores, summary = one(set_2026, **{"CKMB.2": None})
    assert math.isnan(scores.groups["CKMB"].iloc[0])
    assert scores.groups["TDGQ"].iloc[0] == 20
    assert math.isnan(summary["total"]) and summary["band"] is None
    assert summary["rank"] is None or str(summary["rank"]) == "<NA>"
    [warning] = [f for f in scores.findings if f.level is Level.WARNING]
    assert warning.column == "CKMB" and "thiếu: CKMB.2" in warning.message
    assert "chưa đủ số liệu" in warning.message


def test_group_points_entered_directly(set_2026):
    row = full_marks(set_2026)
    for code in ("SHHS.1", "SHHS.2", "SHHS.3", "SHHS.4", "SHHS.5", "SHHS.6", "SHHS.7"):
        row[code] = None
    row["SHHS"] = 15.5
    scores = score_table(raw_table([row]), set_2026)
    assert scores.summary["total"].iloc[0] == pytest.approx(93.5)
    assert scores.indicator_status["SHHS.1"].iloc[0] == Status.IN_GROUP


@pytest.mark.parametrize(("total", "band"), [
    (90, "Xuất sắc"),
    (89.995, "Tốt"),  # shown "90,0" but below 90; bands compare unrounded scores
    (80.5, "Tốt"),
])
def test_band_edges(set_2026, total, band):
    scores, summary = one(set_2026, TONG=total)
    assert summary["band"] == band
    edge_notes = [f for f in scores.findings if "hiển thị thành" in f.message]
    assert len(edge_notes) == (total == 89.995)


def test_indicator_points_rounded_half_up_like_the_portal(set_2026):
    # CKMB.1 6 × 13/16 = 4,875 → 4,88; SHHS.6 2 × 1/16 = 0,125 → 0,13 (Python's round() and
    # numpy's give 0,12: halves to even).
    scores, summary = one(set_2026, **{"CKMB.1": None, "CKMB.1/tu": 13, "CKMB.1/mau": 16,
                                       "SHHS.6": None, "SHHS.6/tu": 1, "SHHS.6/mau": 16})
    assert scores.indicators.loc[:, ["CKMB.1", "SHHS.6"]].iloc[0].tolist() == [4.88, 0.13]
    assert scores.groups["CKMB"].iloc[0] == pytest.approx(16.88, abs=1e-12)
    assert scores.groups["SHHS"].iloc[0] == pytest.approx(20.13, abs=1e-12)
    assert summary["total"] == pytest.approx(97.01, abs=1e-12)


def test_points_entered_are_rounded_too(set_2026):
    # 9,995 entered for TDGQ.1 is 10,00 under the portal's rule: 90 → Xuất sắc
    _, summary = one(set_2026, **{"TDGQ.1": 9.995})
    assert summary["total"] == pytest.approx(90) and summary["band"] == "Xuất sắc"


def test_sets_without_rounding_keep_full_precision():
    dien_bien = load_indicator_set("dienbien-459-2023")
    assert dien_bien.indicator_decimals is None
    scores, _ = one(dien_bien, **{"TDGQ.1": 12.345})
    assert scores.indicators["TDGQ.1"].iloc[0] == 12.345


@pytest.mark.parametrize(("published", "band"), [(80, "Tốt"), (79.99, "Khá"), (70, "Khá"),
                                                (50, "Trung bình"), (49.99, "Yếu"), (0, "Yếu")])
def test_bands_on_the_official_total(set_2026, published, band):
    # TONG is authoritative: band and rank use it even where the parts say otherwise
    scores, summary = one(set_2026, TONG=published)
    assert summary["total"] == published and summary["computed_total"] == 100
    assert summary["band"] == band
    assert [f.column for f in scores.findings if f.level is Level.WARNING] == (
        ["TONG"] if published < 100 else [])


def test_competition_ranking_with_ties_in_name_order(set_2026):
    rows = [full_marks(set_2026, **{"TDGQ.1": p}) | {"ten_don_vi": n} for n, p in
            [("Xã Đông", 15), ("Xã Yên", 20), ("Xã Bình", 15), ("Xã An", 10)]]
    scores = score_table(raw_table(rows), set_2026)
    assert scores.summary["rank"].tolist() == [2, 1, 2, 4]
    ordered = scores.units.loc[scores.ranking_order(), "unit"].tolist()
    assert ordered == ["Xã Yên", "Xã Bình", "Xã Đông", "Xã An"]


def test_ties_survive_float_noise(set_2026):
    # 0,1 + 0,2 ≠ 0,3 in binary; the two units must still tie
    a = full_marks(set_2026, **{"CKMB.1": 0.1, "CKMB.2": 0.2, "CKMB.3": 0}) | {"ten_don_vi": "A"}
    b = full_marks(set_2026, **{"CKMB.1": 0.3, "CKMB.2": 0, "CKMB.3": 0}) | {"ten_don_vi": "B"}
    scores = score_table(raw_table([a, b]), set_2026)
    assert scores.summary["rank"].tolist() == [1, 1]


def test_nd61_bands(tmp_path):
    nd61 = load_indicator_set("nd61-2018")
    def typed(total: str) -> dict:
        """Nine two-decimal points summing exactly to ``total`` (binary floats would not)."""
        part = (Decimal(total) / 9).quantize(Decimal("0.01"))
        points = [part] * 8 + [Decimal(total) - 8 * part]
        return {f"CS.{k}": float(p) for k, p in enumerate(points, start=1)}

    rows = [{"ten_don_vi": f"Đơn vị {t}", **typed(t)}
            for t in ("15", "14.99", "12", "9", "6", "5.9")]
    scores = score_table(raw_table(rows), nd61)
    assert scores.summary["band"].tolist() == ["Xuất sắc", "Tốt", "Tốt", "Khá", "Trung bình",
                                               "Yếu"]


def test_decimal_comma_and_point_both_read(set_2026):
    a = full_marks(set_2026, **{"CKMB.1": "5,5"}) | {"ten_don_vi": "A"}
    b = full_marks(set_2026, **{"CKMB.1": "5.5"}) | {"ten_don_vi": "B"}
    scores = score_table(raw_table([a, b]), set_2026)
    assert scores.indicators["CKMB.1"].tolist() == [5.5, 5.5]


# ---- each rule pinned by a hand-computed case, so a changed number in the catalog fails a test


def test_shhs4_target_is_80_percent(set_2026):
    # 72% of dossiers reuse data: 2 × 72/80 = 1,8 (a 90% target would give 1,6)
    scores, _ = one(set_2026, **{"SHHS.4": None, "SHHS.4/tu": 72, "SHHS.4/mau": 100})
    assert scores.indicators["SHHS.4"].iloc[0] == 1.8
    scores, _ = one(set_2026, **{"SHHS.4": None, "SHHS.4/tu": 80, "SHHS.4/mau": 100})
    assert scores.indicators["SHHS.4"].iloc[0] == 2


def test_shhs3_none_arising_is_full_marks(set_2026):
    # No certified copy requested: the portal gives the 2 points
    scores, summary = one(set_2026, **{"SHHS.3": None, "SHHS.3/tu": 0, "SHHS.3/mau": 0})
    assert scores.indicators["SHHS.3"].iloc[0] == 2 and summary["total"] == 100


def test_ties_survive_float_noise_in_a_sum(dienbien):
    # In binary 0,1 + 0,2 = 0,30000000000000004: the sum is kept exact, so it equals 0,3
    blank = {i.code: 0 for i in dienbien.indicators}
    a = blank | {"ten_don_vi": "A", "TDGQ.1": 0.1, "SHHS.1": 0.2}
    b = blank | {"ten_don_vi": "B", "TDGQ.1": 0.3}
    scores = score_table(raw_table([a, b]), dienbien)
    assert scores.summary["total"].tolist() == [0.3, 0.3]
    assert scores.summary["rank"].tolist() == [1, 1]


def test_a_total_of_exactly_90_is_excellent(set_2026):
    # 17,95 + 17,27 + 9,68 + 8,87 + 14,49 + 21,74 is 89,99999999999999 in binary floats
    groups = {"CKMB": 17.95, "TDGQ": 17.27, "DVCTT": 9.68, "TTTT": 8.87, "MDHL": 14.49,
              "SHHS": 21.74}
    assert sum(groups.values()) < 90  # the trap is real
    row = {"ten_don_vi": "Xã A"} | groups
    scores = score_table(raw_table([row]), set_2026)
    assert scores.summary["total"].iloc[0] == 90
    assert scores.summary["band"].iloc[0] == "Xuất sắc"
    assert not [f for f in scores.findings if "chưa đạt" in f.message]


def test_exactly_90_under_dien_bien_conversion(dienbien):
    codes = [i.code for i in dienbien.indicators]
    whole = [4.62, 1.72, 3.95, 29.98, 9.81, 9.94, 5.0, 9.99, 4.99, 5.0, 5.0]  # 90 of 100
    assert sum(whole) / 100 * 100 < 90  # the binary trap
    # 85,5 of an applicable 95 (SHHS.1 not applicable) converts to exactly 90
    part = [4.46, 0.6, 5.66, 29.97, 10.0, 9.82, None, 10.0, 5.0, 5.0, 4.99]
    assert sum(v for v in part if v) / 95 * 100 < 90
    rows = [{"ten_don_vi": name} | dict(zip(codes, values, strict=True))
            for name, values in (("Xã A", whole), ("Xã B", part))]
    scores = score_table(raw_table(rows), dienbien)
    assert scores.summary["applicable_max"].tolist() == [100, 95]
    assert scores.summary["converted"].tolist() == [90, 90]
    assert scores.summary["band"].tolist() == ["Xuất sắc", "Xuất sắc"]
    assert scores.summary["rank"].tolist() == [1, 1]


def test_rounding_just_below_a_half_rounds_down(set_2026):
    # 20 × 904212 / 1004401 = 18,0049995… → 18,00 (snapping to 6 decimals gave 18,01)
    row = full_marks(set_2026, **{"TDGQ.1": None, "TDGQ.1__tu": 904212, "TDGQ.1__mau": 1004401})
    scores = score_table(raw_table([row]), set_2026)
    assert scores.indicators["TDGQ.1"].iloc[0] == 18.00
    # the same with a percent typed to 9 decimals: 90,024999750 % × 20 = 18,004999950
    row = full_marks(set_2026, **{"TDGQ.1": None, "TDGQ.1_pct": "90,024999750"})
    assert score_table(raw_table([row]), set_2026).indicators["TDGQ.1"].iloc[0] == 18.00
    # and to 10: 90,0249999995 % × 20 = 18,0049999999
    row = full_marks(set_2026, **{"TDGQ.1": None, "TDGQ.1_pct": "90,0249999995"})
    assert score_table(raw_table([row]), set_2026).indicators["TDGQ.1"].iloc[0] == 18.00
    row = full_marks(set_2026, **{"TDGQ.1": None, "TDGQ.1_pct": "90,025"})
    assert score_table(raw_table([row]), set_2026).indicators["TDGQ.1"].iloc[0] == 18.01


@pytest.mark.parametrize(("converted", "band"), [(70, "Khá"), (69.99, "Trung bình"),
                                                 (50, "Trung bình"), (49.99, "Yếu"),
                                                 (90, "Xuất sắc"), (80, "Tốt"), (79.99, "Khá")])
def test_dien_bien_band_edges(dienbien, converted, band):
    # Every indicator applies (max 100), so the converted score is the total typed in TONG
    row = {i.code: 0 for i in dienbien.indicators} | {"ten_don_vi": "A", "TONG": converted}
    scores = score_table(raw_table([row]), dienbien)
    assert scores.summary["converted"].iloc[0] == pytest.approx(converted)
    assert scores.summary["band"].iloc[0] == band


def test_a_one_decimal_source_is_compared_within_half_its_decimal(set_2026):
    # a letter prints 13,2 and 19,4 for points the engine computes as 13,24 and 19,38
    row = full_marks(set_2026) | {"CKMB.1": 1.24, "TDGQ.1": 19.38, "CKMB/cong": "13,2",
                                  "TDGQ/cong": "19,4"}
    scores = score_table(raw_table([row]), set_2026)
    checked = scores.reconciliation()
    assert checked["tolerance"].tolist() == [0.05, 0.05]
    assert not checked["differs"].any()  # within 0,05 of what the letter printed
    # the same figures from a source printing two decimals differ
    row |= {"CKMB/cong": "13,20", "TDGQ/cong": "19,40"}
    checked = score_table(raw_table([row]), set_2026).reconciliation()
    assert checked["tolerance"].tolist() == [0.005, 0.005]
    assert checked["differs"].tolist() == [True, True]
