"""The portal's recorded answers (Phú Thọ Q3/2026, Gia Lai 02/2026): imported, scored and
reconciled with the points the portal itself published, read straight from the raw JSON."""

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from conftest import EXAMPLES
from conftest import run_cli as run
from xl766.catalog import load_indicator_set
from xl766.engine import Level, score_table
from xl766.engine.period import Period
from xl766.engine.scoring import Status
from xl766.portal.answers import read_answers
from xl766.portal.mapping import load_mapping
from xl766.portal.table import portal_table

PHU_THO = EXAMPLES / "cong" / "phu-tho-2026-q3"
ROOT_SETS = Path(__file__).parent.parent / "src" / "xl766" / "catalog" / "sets"
GIA_LAI = EXAMPLES / "cong" / "gia-lai-2026-02" / "service-results.json"
GROUP_OF_ENDPOINT = {e.name: e.group for e in load_mapping().endpoints}


def answer(name: str) -> dict:
    return json.loads((PHU_THO / name / "quarter-all.json").read_text(encoding="utf-8"))["data"]


def scored(paths, *, period=None, with_province=False, indicator_set=None):
    indicator_set = indicator_set or load_indicator_set("766-2026")
    capture = read_answers([Path(p) for p in paths], period)
    table, problems = portal_table(capture, indicator_set, with_province=with_province)
    table.index = pd.RangeIndex(2, 2 + len(table))
    return capture, table, problems, score_table(table, indicator_set)


@pytest.fixture(scope="module")
def phu_tho():
    return scored([PHU_THO])


def _published_by_unit() -> dict[str, dict[str, float]]:
    """departmentId → {indicator or group code: the portal's points}, from the raw answers."""
    mapping = load_mapping()
    published: dict[str, dict[str, float]] = {}
    for endpoint in mapping.endpoints:
        data = answer(endpoint.name)
        indicators = {m.code: m.indicator for m in endpoint.metrics}
        for row in data.get("evaluation") or data.get("children"):
            unit = published.setdefault(row["departmentId"], {})
            unit[endpoint.group] = row["score"] if "score" in row else row["totalScore"]
            for metric in row.get("metrics", []):
                if indicators.get(metric["code"]):
                    unit[indicators[metric["code"]]] = metric["score"] or 0
    return published


def test_q3_reproduces_every_published_point(phu_tho):
    capture, table, _, scores = phu_tho
    assert capture.period == Period(2026, quarter=3) and len(table) == 163
    ids = [r["departmentId"] for r in answer("dvc-progress-tree")["children"]]
    published = _published_by_unit()
    compared = 0
    for label, department in zip(scores.units.index, ids, strict=True):
        for code, points in published[department].items():
            frame = scores.indicators if code in scores.indicators else scores.groups
            assert abs(frame.at[label, code] - points) <= 0.005, (department, code)
            compared += 1
    assert compared == 163 * (6 + 4 + 3 + 7)  # six groups, CKMB/MDHL/SHHS indicators


def test_each_total_is_the_sum_of_the_six_published_groups(phu_tho):
    _, _, _, scores = phu_tho
    ids = [r["departmentId"] for r in answer("dvc-progress-tree")["children"]]
    published = _published_by_unit()
    groups = list(GROUP_OF_ENDPOINT.values())
    for label, department in zip(scores.units.index, ids, strict=True):
        expected = sum(Decimal(str(published[department][g])) for g in groups)
        assert scores.summary.at[label, "total"] == pytest.approx(float(expected), abs=1e-9)


def test_reconciliation_finds_no_difference(phu_tho):
    _, _, _, scores = phu_tho
    checked = scores.reconciliation()
    assert len(checked) == 3254  # CKMB.4 and the SHHS counts of one unit are null: not published
    assert checked["difference"].abs().max() <= 0.005
    assert not [f for f in scores.findings if f.level is Level.WARNING]


def test_without_the_rounding_rule_totals_drift():
    # The same set with full-precision indicator points misses the portal's group points
    plain = load_indicator_set("766-2026").model_copy(update={"rounding": None})
    _, _, _, scores = scored([PHU_THO], indicator_set=plain)
    drifted = [f for f in scores.findings if f.level is Level.WARNING and "Cổng công bố" in
               f.message]
    assert len(drifted) > 50


def test_units_in_portal_order_with_codes_and_names(phu_tho):
    _, table, _, _ = phu_tho
    children = answer("dvc-progress-tree")["children"]
    assert table["ma_don_vi"].tolist() == [c["departmentCode"] for c in children]
    assert table["ten_don_vi"].tolist() == [c["departmentName"] for c in children]


def test_forms_of_each_indicator(phu_tho):
    _, table, _, scores = phu_tho
    first = table.iloc[0]
    # Counts where the portal gives them; a ratio where it gives only that; group points for DVCTT
    assert (first["CKMB.1/tu"], first["CKMB.1/mau"]) == (0, 54)
    assert first["SHHS.3%"] == 100 and "SHHS.3/tu" not in table
    assert first["DVCTT"] == 6 and "DVCTT.1/tu" not in table
    assert scores.group_status["DVCTT"].iloc[0] == Status.SCORED


def test_province_row_scores_online_services_from_counts():
    # (31 + 21)/89 = 58,4% of the 80% target → 2 × 58,43/80 = 1,46; 449/1884 × 4 = 0,95;
    # 435258/440558 ≥ 50% → 6: 8,41 as the portal's parent row says
    _, table, _, scores = scored([PHU_THO], with_province=True)
    assert table.iloc[0]["ma_don_vi"] == "H44" and len(table) == 164
    assert scores.indicators.iloc[0][["DVCTT.1", "DVCTT.2", "DVCTT.3"]].tolist() == [1.46, 0.95, 6]
    assert scores.groups["DVCTT"].iloc[0] == pytest.approx(8.41)
    assert scores.reconciliation()["difference"].abs().max() <= 0.005


def test_data_quality_flags_become_notes(phu_tho):
    _, table, problems, scores = phu_tho
    flagged = table["ghi_chu"].dropna()
    assert len(flagged) == 163 and flagged.str.contains("TEMP_NATIONAL_REPORT_DENOMINATOR").sum()
    assert any("163" not in p.message and "NO_NATIONAL_REPORT_DATA" in p.message
               for p in problems)
    notes = [f for f in scores.findings if f.column == "ghi_chu"]
    assert len(notes) == 163 and all(f.level is Level.NOTE for f in notes)


def test_monitored_metrics_are_kept_not_scored(phu_tho):
    _, table, problems, _ = phu_tho
    assert table.iloc[0]["cong:PETITION_CLASSIFICATION_TTHC/mau"] == 0
    assert not [p for p in problems if p.level is Level.WARNING]


def test_gia_lai_imports_as_totals():
    _, table, problems, scores = scored([GIA_LAI], period=Period(2026, month=2))
    assert len(table) == 149 and list(table.columns) == ["ten_don_vi", "ma_don_vi", "TONG"]
    first = scores.summary.iloc[0]
    assert (table.iloc[0]["ten_don_vi"], first["total"], first["rank"]) == ("UBND phường Pleiku",
                                                                         52, 1)
    assert scores.units["code"].iloc[0] == "H21.106"
    assert not [f for f in scores.findings if f.level is not Level.NOTE]
    assert not problems


def test_legacy_2025_rows(tmp_path):
    # Constructed in the 2025 interface's shape (strings, old codes CLGQ and MDSH)
    rows = [{"TEN_COQUAN": "UBND xã A", "MA_COQUAN": "H44.100", "CKMB": "16.5", "TDGQ": "19.2",
             "CLGQ": "8.41", "TTTT": "6", "MDHL": "17.25", "MDSH": "9.1", "TONG_SCORE": "76.46"},
            {"TEN_COQUAN": "UBND xã B", "MA_COQUAN": "H44.101", "CKMB": "18", "TDGQ": "20",
             "CLGQ": "12", "TTTT": "10", "MDHL": "18", "MDSH": "22", "TONG_SCORE": "100"}]
    path = tmp_path / "bao-cao-2025.json"
    path.write_text(json.dumps({"data": rows}), encoding="utf-8")
    _, table, _, scores = scored([path], period=Period(2025, month=6))
    assert table.iloc[0]["DVCTT"] == "8.41" and table.iloc[0]["SHHS"] == "9.1"
    assert scores.summary["total"].tolist() == [76.46, 100]
    assert scores.summary["computed_total"].iloc[0] == pytest.approx(76.46)
    assert not [f for f in scores.findings if f.level is not Level.NOTE]


# ---- bad input: each problem named with its file, nothing written


def editable_copy(tmp_path: Path) -> Path:
    """A copy without the manifest (its checksums would flag any edit): the period is --ky."""
    folder = tmp_path / "cong"
    shutil.copytree(PHU_THO, folder)
    (folder / "manifest.json").unlink()
    return folder


def edit(folder: Path, name: str, change) -> None:
    path = folder / name / "quarter-all.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["data"])
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_nhap_cong_cli_round_trip(tmp_path, capsys):
    out = tmp_path / "phu-tho.xlsx"
    code, stdout, _ = run(capsys, "nhap-cong", str(PHU_THO), "-o", str(out))
    assert code == 0 and "3.254 điểm Cổng công bố, 0 điểm chênh" in stdout
    code, _, _ = run(capsys, "cham-diem", str(out), "--bo-chi-so", "766-2026", "--json")
    assert code == 0
    report = tmp_path / "bao-cao.xlsx"
    code, _, _ = run(capsys, "tao-bao-cao", str(out), "-o", str(report))
    assert code == 0
    from openpyxl import load_workbook

    book = load_workbook(report, read_only=True)
    assert "Đối chiếu với Cổng" in book.sheetnames
    rows = list(book["Đối chiếu với Cổng"].iter_rows(values_only=True))
    assert rows[1][0].endswith("tất cả khớp (chênh lệch không quá 0,005 điểm).")
    counts = [r for r in rows[4:24] if r[2] == "SHHS.1"][0]
    assert counts[3:6] == (162, 0, 0)
    assert book["Biểu 01"]["A5"].value.endswith("QUÝ III NĂM 2026")


def test_csv_output(tmp_path, capsys):
    out = tmp_path / "phu-tho.csv"
    assert run(capsys, "nhap-cong", str(PHU_THO), "-o", str(out))[0] == 0
    frame = pd.read_csv(out, dtype=str, sep=";", encoding="utf-8-sig")
    assert frame.shape[0] == 163 and frame.loc[0, "TDGQ.1/tu"] == "156"


def test_missing_endpoint_is_unscored_never_zero(tmp_path, capsys):
    folder = editable_copy(tmp_path)
    shutil.rmtree(folder / "transparency")
    _, table, problems, scores = scored([folder], period=Period(2026, quarter=3))
    assert any("'transparency'" in p.message and "CKMB" in p.message for p in problems)
    assert scores.group_status["CKMB"].eq(Status.MISSING).all()
    assert scores.summary["total"].isna().all()
    code, _, err = run(capsys, "nhap-cong", str(folder), "--ky", "2026-Q3", "-o",
                       str(tmp_path / "x.csv"))
    assert code == 0 and "[Cảnh báo]" in err and "không tính là 0 điểm" in err


def test_null_counts_are_missing(tmp_path):
    folder = editable_copy(tmp_path)

    def blank_first(data):
        data["children"][0]["totalOnTime"] = None
    edit(folder, "dvc-progress-tree", blank_first)
    _, table, _, scores = scored([folder], period=Period(2026, quarter=3))
    assert table.iloc[0]["TDGQ.1/tu"] is None and table.iloc[0].get("TDGQ") is None
    assert scores.group_status["TDGQ"].iloc[0] == Status.MISSING
    assert scores.summary["total"].isna().iloc[0] and scores.summary["total"].notna().iloc[1]


def test_unknown_metric_kept_and_warned(tmp_path):
    folder = editable_copy(tmp_path)

    def add_metric(data):
        for row in data["evaluation"]:
            row["metrics"].append({"code": "NEW_METRIC_2027", "numerator": 1, "denominator": 2,
                                   "ratio": 50, "score": 1, "maxScore": 2})
    edit(folder, "dossier-digitized", add_metric)
    _, table, problems, _ = scored([folder], period=Period(2026, quarter=3))
    assert table.iloc[0]["cong:NEW_METRIC_2027/tu"] == 1
    assert any(p.level is Level.WARNING and "NEW_METRIC_2027" in p.message
               and p.file == "quarter-all.json" for p in problems)


@pytest.mark.parametrize(("content", "expected"), [
    ('{"hello": 1}', "không phải câu trả lời của Cổng"),
    ("<html><body>Request Rejected</body></html>", "trang HTML"),
    ('{"code": "OK", "data": {"evaluation": [{"departmentId": "x", "metr', "bị cắt cụt"),
    ('{"code": "OK", "data": {"rows": []}}', "cấu trúc 'data' đã thay đổi"),
    ('{"code": "ERROR", "message": "Too many", "data": null}', "Cổng trả lời lỗi"),
])
def test_files_that_are_not_answers(tmp_path, capsys, content, expected):
    bad = tmp_path / "la.json"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "x.csv"
    code, _, err = run(capsys, "nhap-cong", str(PHU_THO), str(bad), "-o", str(out))
    assert code == 2 and expected in err and "tệp 'la.json'" in err and not out.exists()
    assert "Traceback" not in err


def test_answers_of_two_provinces(tmp_path, capsys):
    folder = editable_copy(tmp_path)

    def move(data):
        data["parent"]["departmentId"] = "another-province"
    edit(folder, "formality-online-payment-tree", move)
    code, _, err = run(capsys, "nhap-cong", str(folder), "--ky", "2026-Q3", "-o",
                       str(tmp_path / "x.csv"))
    assert code == 2 and "nhiều tỉnh" in err and "another-province" in err


def test_answers_of_two_periods(tmp_path, capsys):
    folder = tmp_path / "cong"
    shutil.copytree(PHU_THO, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["captures"][0]["payload"] |= {"timeType": "month", "month": 8}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, _, err = run(capsys, "nhap-cong", str(folder), "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "nhiều kỳ khác nhau" in err and "2026-08" in err and "2026-Q3" in err


def test_edited_answer_fails_its_checksum(tmp_path, capsys):
    folder = tmp_path / "cong"
    shutil.copytree(PHU_THO, folder)
    path = folder / "transparency" / "quarter-all.json"
    original = path.read_bytes()
    path.write_bytes(original.replace(b'"score":6', b'"score":5', 1))
    assert path.read_bytes() != original
    code, _, err = run(capsys, "nhap-cong", str(folder), "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "sha256" in err


def test_period_needed_without_manifest(tmp_path, capsys):
    folder = editable_copy(tmp_path)
    code, _, err = run(capsys, "nhap-cong", str(folder), "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "--ky" in err
    code, _, err = run(capsys, "nhap-cong", str(PHU_THO), "--ky", "2026-09", "-o",
                       str(tmp_path / "x.csv"))
    assert code == 2 and "khác kỳ 2026-Q3" in err


def test_all_problems_in_one_pass(tmp_path, capsys):
    (tmp_path / "a.json").write_text("<html>", encoding="utf-8")
    (tmp_path / "b.json").write_text("[1, 2", encoding="utf-8")
    code, _, err = run(capsys, "nhap-cong", str(tmp_path / "a.json"), str(tmp_path / "b.json"),
                       str(tmp_path / "khong-co"), "--ky", "2026-09", "-o",
                       str(tmp_path / "x.csv"))
    assert code == 2 and err.count("[Lỗi]") == 3


def test_shipped_sample_is_a_fresh_import(tmp_path, capsys):
    out = tmp_path / "fresh.xlsx"
    assert run(capsys, "nhap-cong", str(PHU_THO), "-o", str(out))[0] == 0
    from openpyxl import load_workbook

    def cells(path):
        book = load_workbook(path, read_only=True)
        return {name: list(book[name].iter_rows(values_only=True))
                for name in ("Nhập liệu", "Cấu hình")}
    assert cells(out) == cells(EXAMPLES / "phu-tho-2026-q3.xlsx")
    fresh_csv = tmp_path / "fresh.csv"
    assert run(capsys, "nhap-cong", str(PHU_THO), "-o", str(fresh_csv), "--csv-may")[0] == 0
    assert fresh_csv.read_bytes() == (EXAMPLES / "phu-tho-2026-q3.csv").read_bytes()



def test_a_note_on_many_rows_is_shown_once(capsys):
    code, _, err = run(capsys, "cham-diem", str(EXAMPLES / "phu-tho-2026-q3.csv"),
                       "--bo-chi-so", "766-2026")
    lines = [line for line in err.splitlines() if "MDHL.1/mau" in line]
    assert code == 0 and len(lines) == 1 and "131 dòng (2, 3, 4, 7, 8, 9, 10, 11, …)" in lines[0]


def test_report_lists_each_difference_when_the_rule_is_missing(tmp_path, capsys):
    import re

    from openpyxl import load_workbook

    text = (ROOT_SETS / "766-2026.toml").read_text(encoding="utf-8")
    plain = re.sub(r"\n\[rounding\]\n[^\[]*", "\n", text, count=1).replace(
        'id = "766-2026"', 'id = "khong-lam-tron"')
    (tmp_path / "plain.toml").write_text(plain, encoding="utf-8")
    out = tmp_path / "bc.xlsx"
    assert run(capsys, "tao-bao-cao", str(EXAMPLES / "phu-tho-2026-q3.xlsx"), "-o", str(out),
               "--bo-chi-so", str(tmp_path / "plain.toml"))[0] == 0
    rows = list(load_workbook(out)["Đối chiếu với Cổng"].iter_rows(values_only=True))
    assert "116 điểm chênh quá 0,005" in rows[1][0]
    header = rows.index(("Dòng", "Đơn vị", "Mã đơn vị", "Chỉ số / nhóm", "Điểm Cổng",
                         "Điểm tính lại", "Chênh lệch"))
    detail = [r for r in rows[header + 1:] if r[0] is not None]
    assert len(detail) == 116 and all(abs(r[6]) > 0.005 for r in detail)
    assert detail[0][:5] == (6, "UBND Phường Việt Trì", "H44.100", "TTTT", 6.68)


# ---- answers that would silently lose or merge units (audit)

def _nhap_cong(capsys, tmp_path, folder) -> tuple[int, str]:
    code, _, err = run(capsys, "nhap-cong", str(folder), "--ky", "2026-Q3", "-o",
                       str(tmp_path / "bang.xlsx"))
    assert "Traceback" not in err
    return code, err


def test_a_unit_sent_twice_is_an_error_naming_it(tmp_path, capsys):
    folder = editable_copy(tmp_path)

    def twice(data):
        data["evaluation"].append(dict(data["evaluation"][0]))
        data["pagination"]["total"] = 164
    edit(folder, "transparency", twice)
    code, err = _nhap_cong(capsys, tmp_path, folder)
    assert code == 2 and "đơn vị 'Văn phòng UBND Tỉnh - Tỉnh Phú Thọ'" in err
    assert "xuất hiện nhiều lần trong câu trả lời 'transparency'" in err
    assert not (tmp_path / "bang.xlsx").exists()


def test_two_2025_rows_of_one_unit_are_not_merged(tmp_path):
    rows = [{"TEN_COQUAN": "UBND xã A", "MA_COQUAN": "H44.100", "CKMB": "16.5", "TDGQ": "19.2",
             "CLGQ": "8.41", "TTTT": "6", "MDHL": "17.25", "MDSH": "9.1", "TONG_SCORE": "76.46"}]
    rows.append(dict(rows[0], TEN_COQUAN="UBND xã A (trùng)", CKMB="10"))
    path = tmp_path / "bao-cao-2025.json"
    path.write_text(json.dumps({"data": rows}), encoding="utf-8")
    capture = read_answers([path], Period(2025, month=6))
    _, problems = portal_table(capture, load_indicator_set("766-2024"))
    assert [p.message for p in problems if p.level is Level.ERROR] == [
        "đơn vị 'UBND xã A': có nhiều dòng cùng MA_COQUAN 'H44.100'"]


def test_a_page_short_of_its_declared_total_is_an_error(tmp_path, capsys):
    folder = editable_copy(tmp_path)
    edit(folder, "transparency", lambda data: data["evaluation"].__delitem__(slice(100, None)))
    code, err = _nhap_cong(capsys, tmp_path, folder)
    assert code == 2
    assert "mục 'transparency' khai báo 163 đơn vị (pagination.total) nhưng các trang có 100" in err


def test_numbers_sent_as_text_are_read_and_said(tmp_path, capsys):
    folder = editable_copy(tmp_path)

    def as_text(data):
        data["children"][0]["totalOnTime"] = str(data["children"][0]["totalOnTime"])
        data["children"][1]["totalOnTime"] = "không rõ"
    edit(folder, "dvc-progress-tree", as_text)
    capture = read_answers([folder], Period(2026, quarter=3))
    table, problems = portal_table(capture, load_indicator_set("766-2026"))
    said = {(p.level, p.message.split(":")[0]) for p in problems if p.level is not Level.NOTE}
    assert (Level.WARNING, "đơn vị 'Văn phòng UBND Tỉnh - Tỉnh Phú Thọ'") in said
    assert any(p.level is Level.ERROR and "'không rõ' không phải số" in p.message
               for p in problems)
    assert table.iloc[0]["TDGQ.1/tu"] is not None  # read, not dropped to blank


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["pagination"].__setitem__("currentPage", "một"), "'pagination'"),
    (lambda d: d.__setitem__("pagination", [1, 2]), "'pagination'"),
    (lambda d: d.__setitem__("overview", [1]), "'overview'"),
    (lambda d: d["evaluation"][0].__setitem__("metrics", [1, 2]), "không đúng dạng"),
])
def test_misshapen_answers_are_messages(tmp_path, capsys, change, message):
    folder = editable_copy(tmp_path)
    edit(folder, "transparency", change)
    code, err = _nhap_cong(capsys, tmp_path, folder)
    assert code == 2 and message in err


def test_deeply_nested_brackets_are_a_message(tmp_path, capsys):
    folder = editable_copy(tmp_path)
    (folder / "transparency" / "quarter-all.json").write_text("[" * 200_000 + "]" * 200_000)
    code, err = _nhap_cong(capsys, tmp_path, folder)
    assert code == 2 and "lồng nhau quá sâu" in err


def test_a_400_digit_count_in_an_answer_is_a_message(tmp_path, capsys):
    folder = editable_copy(tmp_path)
    path = folder / "dvc-progress-tree" / "quarter-all.json"
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    document["data"]["children"][0]["totalOnTime"] = 10**400
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, err = _nhap_cong(capsys, tmp_path, folder)
    assert code == 2 and "quá lớn" in err and "TDGQ.1/tu" in err


def _province(source: Path, target: Path, code: str) -> None:
    """A copy of a province's capture under another province code, its manifest's hashes
    recomputed: the answers of a province that is not Phú Thọ."""
    import hashlib

    shutil.copytree(source, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["captures"]:
        path = target / entry["file"]
        text = path.read_text(encoding="utf-8").replace('"H44', f'"{code}')
        path.write_text(text, encoding="utf-8")
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_several_provinces_in_one_run_are_never_mixed(tmp_path, capsys):
    national = tmp_path / "ca-nuoc"
    for code in ("H44", "H45", "H46"):
        _province(PHU_THO, national / code, code)
    out = tmp_path / "ca-nuoc.csv"
    code, stdout, err = run(capsys, "nhap-cong", str(national), "-o", str(out), "--csv-may")
    assert code == 0, err
    assert "Đã ghi 489 đơn vị, kỳ 2026-Q3" in stdout and "0 điểm chênh" in stdout
    table = pd.read_csv(out, dtype=str)
    assert table["ma_don_vi"].str[:3].value_counts().to_dict() == {"H44": 163, "H45": 163,
                                                                    "H46": 163}
    # the same answers under one code twice: refused as the same units, never merged
    twice = tmp_path / "hai-lan"
    _province(PHU_THO, twice / "a", "H44")
    _province(PHU_THO, twice / "b", "H44")
    code, _, err = run(capsys, "nhap-cong", str(twice), "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "trùng đơn vị" in err
