"""The history of periods: recorded by tao-bao-cao, compared from, trends and alerts, and a store
that survives a killed writer, two writers at once, a corrupt file and a newer xl766."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, needs_soffice, run_cli, soffice
from test_forms import SETTINGS, sample

MONTHS = ["2026-08", "2026-09", "2026-10"]


def _month(tmp_path, month: str, *, fall: int = 0, set_id: str = "766-2026") -> tuple[Path, Path]:
    """The illustrative table for a month; ``fall`` dossiers fewer on time for 'UBND xã Mẫu 05'
    (the TDGQ.1 numerator), so its total falls month after month."""
    frame = sample()
    unit = frame["ten_don_vi"] == "UBND xã Mẫu 05"
    frame.loc[unit, "TDGQ.1/tu"] = frame.loc[unit, "TDGQ.1/tu"] - fall
    table = tmp_path / f"{month}.csv"
    frame.to_csv(table, index=False)
    config = tmp_path / f"{month}.toml"
    config.write_text(SETTINGS.replace('ky_bao_cao = "2026-10"', f'ky_bao_cao = "{month}"')
                      .replace('bo_chi_so = "766-2026"', f'bo_chi_so = "{set_id}"'),
                      encoding="utf-8")
    return table, config


def _report(tmp_path, capsys, month: str, *extra, fall: int = 0):
    table, config = _month(tmp_path, month, fall=fall)
    out = tmp_path / f"bc-{month}.xlsx"
    code, stdout, err = run_cli(capsys, "tao-bao-cao", table, "-o", out, "--cau-hinh", config,
                                *extra)
    assert code == 0, err
    return out


@pytest.fixture
def three_months(tmp_path, capsys):
    for month, fall in zip(MONTHS, (0, 10, 25), strict=True):
        out = _report(tmp_path, capsys, month, "--van-ban", tmp_path / f"bc-{month}.docx",
                      "--mau-van-ban", "cong-van", fall=fall)
    return out


def _rows(sheet):
    return list(sheet.iter_rows(values_only=True))


def test_changes_and_rank_changes_come_from_the_history(three_months):
    rows = _rows(load_workbook(three_months)["Biểu 01"])
    header = next(r for r in rows if r and r[0] == "STT")
    sub = rows[rows.index(header) + 1]
    delta_col = [*header, *sub].index("Tăng (+) / giảm (−)") % len(header)
    rank_col = [*header, *sub].index("Hạng tăng (+) / giảm (−)") % len(header)
    unit = next(r for r in rows if r[1] == "UBND xã Mẫu 05")
    # its TDGQ.1: 80 dossiers, 67 on time in September, 52 in October: 20 × 67/80 = 16,75
    # then 20 × 52/80 = 13, a fall of 3,75 points (nothing else changed)
    assert unit[delta_col] == -3.75
    assert unit[rank_col] < 0  # it fell in rank
    groups = _rows(load_workbook(three_months)["Biểu nhóm TDGQ"])
    head = next(r for r in groups if r and r[0] == "STT")
    row = next(r for r in groups if r[1] == "UBND xã Mẫu 05")
    assert "So với kỳ trước" in head and row[-1] == -3.75 and row[-2] == 16.75


def test_theo_doi_has_sparklines_a_line_chart_and_alerts(three_months):
    book = load_workbook(three_months)
    sheet = book["Theo dõi"]
    rows = _rows(sheet)
    alerts = [r for r in rows if r[1] == "UBND xã Mẫu 05" and isinstance(r[2], str)]
    texts = [r[2] for r in alerts]
    assert "giảm 3,75 điểm so với kỳ trước" in texts
    assert any(t.startswith("giảm điểm") for t in texts) is False  # only 2 falls, not 3
    header = next(r for r in rows if r and r[0] == "STT" and r[2] == MONTHS[0])
    assert list(header[2:5]) == MONTHS and header[5] == "Xu hướng"
    import zipfile

    with zipfile.ZipFile(three_months) as package:
        xml = next(package.read(n).decode() for n in package.namelist()
                   if n.startswith("xl/worksheets/sheet") and "sparkline" in
                   package.read(n).decode())
        charts = [n for n in package.namelist() if n.startswith("xl/charts/")]
    assert xml.count("<x14:sparkline>") == 12
    assert any("lineChart" in zipfile.ZipFile(three_months).read(c).decode() for c in charts)


def test_the_letter_words_the_change_per_group(three_months):
    from docx import Document

    texts = [p.text for p in Document(three_months.with_suffix(".docx")).paragraphs]
    assert any(t.startswith("1.2. Điểm tiến độ, kết quả giải quyết: ") and "(giảm" in t
               for t in texts), texts


def test_three_falls_in_a_row_fire_the_alert(tmp_path, capsys):
    for month, fall in zip(["2026-07", *MONTHS], (0, 5, 12, 20), strict=True):
        out = _report(tmp_path, capsys, month, fall=fall)
    rows = _rows(load_workbook(out)["Theo dõi"])
    texts = [r[2] for r in rows if r[1] == "UBND xã Mẫu 05" and isinstance(r[2], str)]
    assert "giảm điểm 3 kỳ liên tiếp" in texts


def test_lich_su_lists_and_exports_and_keeps_a_replaced_record(tmp_path, capsys):
    _report(tmp_path, capsys, "2026-09")
    _report(tmp_path, capsys, "2026-09", "--ghi-de")  # again: replaces, keeps the first
    code, out, err = run_cli(capsys, "lich-su")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].endswith("2 lần ghi.") and len(lines) == 3
    assert "đã thay" in lines[1] and "đã thay" not in lines[2]
    export = tmp_path / "lich-su.csv"
    assert run_cli(capsys, "lich-su", "--xuat", export)[0] == 0
    table = pd.read_csv(export, sep=";", decimal=",", encoding="utf-8-sig")
    assert len(table) == 12 and set(table["ky"]) == {"2026-09"}


def test_khong_luu_records_nothing(tmp_path, capsys):
    _report(tmp_path, capsys, "2026-09", "--khong-luu")
    assert not Path(os.environ["XL766_LICH_SU"]).exists()


def test_a_previous_period_under_another_set_is_compared_per_its_own_set(tmp_path, capsys):
    table, config = _month(tmp_path, "2025-12", set_id="766-2024")
    frame = pd.read_csv(table)
    frame = frame[[c for c in frame.columns if not c.startswith("SHHS.")]]  # 2024 has no SHHS.5-7
    frame.to_csv(table, index=False)
    code, _, err = run_cli(capsys, "tao-bao-cao", table, "-o", tmp_path / "dec.xlsx",
                           "--cau-hinh", config)
    if code != 0:  # 766-2024's own columns: keep only what it accepts
        pytest.skip(err)
    jan = _report(tmp_path, capsys, "2026-01")
    checks = _rows(load_workbook(jan)["Kiểm tra"])
    said = " ".join(str(v) for r in checks for v in r if v)
    assert "không so sánh được do đổi cách tính" in said and "766-2024" in said
    groups = {name: _rows(load_workbook(jan)[name]) for name in ("Biểu nhóm CKMB",
                                                                 "Biểu nhóm TTTT")}
    assert any("So với kỳ trước" in (r or ()) for r in groups["Biểu nhóm CKMB"])
    assert not any("So với kỳ trước" in (r or ()) for r in groups["Biểu nhóm TTTT"])


_WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_forms import sample
from xl766.adapters.history import History
from xl766.catalog import load_indicator_set
from xl766.engine import score_table
from xl766.engine.periods import period_scores
scores = score_table(sample({units}), load_indicator_set("766-2026"))
store = History(Path({path!r}))
for n in range({times}):
    store.record("UBND tỉnh Thử Nghiệm", period_scores(scores, {period!r}))
    print("ghi", n, flush=True)
"""


def _writer(path: Path, period: str, *, units: int = 12, times: int = 1) -> subprocess.Popen:
    code = _WRITER.format(tests=str(Path(__file__).parent), path=str(path), period=period,
                          units=units, times=times)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _count(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM records").fetchone()[0]


def test_two_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "ls.sqlite3"
    writers = [_writer(path, period, times=5) for period in ("2026-08", "2026-09")]
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    assert _count(path) == 10
    from xl766.adapters.history import History

    with History(path) as store:
        assert len(store.load("UBND tỉnh Thử Nghiệm", "2026-09").units) == 12


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_a_killed_writer_leaves_every_recorded_period(tmp_path):
    path = tmp_path / "ls.sqlite3"
    first = _writer(path, "2026-08")
    assert first.wait(timeout=120) == 0
    writer = _writer(path, "2026-09", units=3321, times=50)
    line = writer.stdout.readline()  # one period written, the next under way
    assert line.startswith("ghi")
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    from xl766.adapters.history import History

    with History(path) as store:  # a torn transaction is rolled back on open
        assert len(store.load("UBND tỉnh Thử Nghiệm", "2026-08").units) == 12
        recorded = store.periods()
    assert {"2026-08", "2026-09"} <= set(recorded["ky"])
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_corrupt_or_newer_store_is_a_message(tmp_path, capsys):
    table, config = _month(tmp_path, "2026-09")
    broken = tmp_path / "hong.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    code, _, err = run_cli(capsys, "tao-bao-cao", table, "-o", tmp_path / "a.xlsx",
                           "--cau-hinh", config, "--lich-su", broken)
    assert code == 2 and "hỏng" in err and "hong.sqlite3" in err
    assert broken.read_bytes() == b"not a database at all" * 100
    assert not (tmp_path / "a.xlsx").exists()
    newer = tmp_path / "moi.sqlite3"
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 99")
    code, _, err = run_cli(capsys, "tao-bao-cao", table, "-o", tmp_path / "b.xlsx",
                           "--cau-hinh", config, "--lich-su", newer)
    assert code == 2 and "mới hơn" in err


@needs_soffice
def test_theo_doi_renders_through_libreoffice(three_months, tmp_path):
    soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path), str(three_months))
    text = subprocess.run(["pdftotext", str(tmp_path / three_months.with_suffix(".pdf").name),
                           "-"], capture_output=True, text=True, check=True).stdout
    assert "THEO DÕI 3 KỲ GẦN NHẤT" in text


def test_json_figures_round_trip_through_the_store(tmp_path):
    from xl766.adapters.history import History
    from xl766.adapters.tables import read_table
    from xl766.catalog import load_indicator_set
    from xl766.engine import score_table
    from xl766.engine.periods import period_scores

    scores = score_table(read_table(EXAMPLES / "phu-tho-2026-q3.csv").frame,
                         load_indicator_set("766-2026"))
    with History(tmp_path / "s.sqlite3") as store:
        store.record("H44", period_scores(scores, "2026-Q3"), EXAMPLES / "phu-tho-2026-q3.csv")
        back = store.load("H44", "2026-Q3")
    assert back.summary["converted"].tolist() == scores.summary["converted"].tolist()
    assert back.summary["rank"].tolist() == scores.summary["rank"].tolist()
    original = period_scores(scores, "2026-Q3").figures
    assert len(back.figures) == len(original)
    assert json.dumps(back.figures.iloc[0].dropna().to_dict(), default=str)


def _split_quarter(tmp_path) -> list[Path]:
    """Three months whose counts sum to the shipped Phú Thọ Q3/2026 capture's: a third of each
    denominator a month (the remainder in the last), the numerator filled month by month up to
    each month's denominator. Only counts (X/tu, X/mau) go into the months."""
    quarter = pd.read_csv(EXAMPLES / "phu-tho-2026-q3.csv", dtype=str, keep_default_na=False)
    indicators = [c.removesuffix("/mau") for c in quarter.columns if c.endswith("/mau")]
    frames = [quarter[["ten_don_vi", "ma_don_vi"]].copy() for _ in range(3)]
    for code in indicators:
        tu = pd.to_numeric(quarter[f"{code}/tu"].replace("", None))
        mau = pd.to_numeric(quarter[f"{code}/mau"].replace("", None))
        left = tu.copy()
        for month, frame in enumerate(frames):
            part = mau // 3 if month < 2 else mau - 2 * (mau // 3)
            taken = left.where(left < part, part)
            left = left - taken
            for column, values in ((f"{code}/tu", taken), (f"{code}/mau", part)):
                frame[column] = values.astype("Int64").astype(str).replace("<NA>", "")
    paths = []
    for month, frame in enumerate(frames):
        path = tmp_path / f"2026-{7 + month:02d}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    return paths


def test_a_quarter_built_from_its_months_scores_as_the_portals_quarter(tmp_path, capsys):
    from xl766.adapters.tables import read_table
    from xl766.catalog import load_indicator_set
    from xl766.engine import score_table

    months = _split_quarter(tmp_path)
    out = tmp_path / "q3.csv"
    code, stdout, err = run_cli(capsys, "tong-hop-ky", *months, "--ky", "2026-Q3",
                                "--bo-chi-so", "766-2026", "-o", out, "--csv-may")
    assert code == 0, err
    assert "Đã tổng hợp 163 đơn vị từ 3 tháng thành kỳ 2026-Q3" in stdout
    indicator_set = load_indicator_set("766-2026")
    built = score_table(read_table(out).frame, indicator_set)
    portal = score_table(read_table(EXAMPLES / "phu-tho-2026-q3.csv").frame, indicator_set)
    counted = [c.removesuffix("/tu") for c in read_table(out).frame.columns if c.endswith("/tu")]
    assert len(counted) == 17  # every indicator the portal gives with counts
    pd.testing.assert_frame_equal(built.indicators[counted], portal.indicators[counted])
    # the portal's own published points for those indicators: matched to the cent
    for code_ in counted:
        published = portal.published.get(code_)
        if published is None:
            continue
        given = published.notna()
        assert (abs(built.indicators.loc[given, code_] - published[given]) <= 0.005).all(), code_
    for group in ("CKMB", "TDGQ", "TTTT", "MDHL"):  # groups made only of counts
        pd.testing.assert_series_equal(built.groups[group], portal.groups[group])


def test_a_unit_missing_a_month_is_named_and_left_unscored(tmp_path, capsys):
    months = _split_quarter(tmp_path)
    frame = pd.read_csv(months[1], dtype=str, keep_default_na=False)
    frame[frame["ma_don_vi"] != "H44.08"].to_csv(months[1], index=False)
    out = tmp_path / "q3.csv"
    code, _, err = run_cli(capsys, "tong-hop-ky", *months, "--ky", "2026-Q3", "--bo-chi-so",
                           "766-2026", "-o", out)
    assert code == 0
    assert "không có trong 2026-08.csv: để trống, chưa chấm điểm" in err
    code, _, err = run_cli(capsys, "tong-hop-ky", *months[:2], "--ky", "2026-Q3",
                           "--bo-chi-so", "766-2026", "-o", tmp_path / "x.csv")
    assert code == 2 and "gồm 3 tháng" in err
    code, _, err = run_cli(capsys, "tong-hop-ky", *months, "--ky", "2026-Q3", "--bo-chi-so",
                           "nd61-2018", "-o", tmp_path / "y.csv")
    assert code == 2 and "[periods]" in err


def test_a_quarter_of_a_points_set_is_the_mean_of_its_months(tmp_path, capsys):
    """Điện Biên's set has no counts: its catalog says a quarter is the mean of the months'
    converted totals ([U]: no rule found in QĐ 459), and the output says so."""
    from fractions import Fraction

    month = pd.read_csv(EXAMPLES / "tuan-giao-2023-09-bieu01.csv", dtype=str,
                        keep_default_na=False)
    paths = []
    for number in range(3):
        frame = month.copy()
        if number == 1:  # Mường Mùn loses 3 points of TDGQ in the second month
            frame.loc[frame["ten_don_vi"] == "UBND xã Mường Mùn", ["TDGQ", "TONG"]] = [
                "27,0", "78,52"]
        paths.append(tmp_path / f"t{number}.csv")
        frame.to_csv(paths[-1], index=False)
    out = tmp_path / "q3.csv"
    code, stdout, err = run_cli(capsys, "tong-hop-ky", *paths, "--ky", "2023-Q3",
                                "--bo-chi-so", "dienbien-459-2023", "-o", out, "--csv-may")
    assert code == 0, err
    assert "trung bình cộng tổng điểm quy đổi các tháng, theo bộ chỉ số [U]" in stdout
    quarter = pd.read_csv(out).set_index("ten_don_vi")
    # 81,52 and 78,52 of an applicable 85: (2 × 81,52 + 78,52) / 3 / 85 × 100 = 94,73 half-up
    expected = (2 * Fraction("81.52") + Fraction("78.52")) / 3 / 85 * 100
    assert quarter.at["UBND xã Mường Mùn", "TONG"] == round(float(expected), 2) == 94.73
    assert quarter.at["UBND xã Mường Mùn", "ghi_chu"].startswith("trung bình 3 tháng: 95,91;")
    code, out_json, err = run_cli(capsys, "cham-diem", out, "--bo-chi-so", "dienbien-459-2023",
                                  "--json")
    units = {u["unit"]: u for u in json.loads(out_json)}
    assert units["UBND xã Mường Mùn"]["converted"] == 94.73
    assert units["UBND xã Mường Mùn"]["band"] == "Xuất sắc"


def _national(tmp_path, scores: dict[str, float], name: str) -> Path:
    """A national service-results answer (34 provinces), shaped like the shipped Gia Lai one:
    its first 34 entries renamed as provinces T01…T34, T99 being ours."""
    answer = json.loads((EXAMPLES / "cong" / "gia-lai-2026-02" / "service-results.json")
                        .read_text(encoding="utf-8"))
    entries = answer["data"]["evaluation"] = answer["data"]["evaluation"][:34]
    for number, entry in enumerate(entries, start=1):
        code = "T99" if number == 34 else f"T{number:02d}"
        entry |= {"departmentCode": code, "departmentName": f"UBND tỉnh {code}",
                  "childGroup": "PROVINCE", "totalScore": scores.get(code, 40 + number)}
    path = tmp_path / name
    path.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_office_among_its_peers(tmp_path, capsys):
    from docx import Document

    settings = SETTINGS + 'ma_tinh_cong = "T99"\n'
    for month, ours in (("2026-09", 60.5), ("2026-10", 68.2)):
        table, config = _month(tmp_path, month)
        config.write_text(settings.replace('ky_bao_cao = "2026-10"', f'ky_bao_cao = "{month}"'),
                          encoding="utf-8")
        peers = _national(tmp_path, {"T99": ours}, f"ca-nuoc-{month}.json")
        out = tmp_path / f"bc-{month}.docx"
        code, _, err = run_cli(capsys, "tao-bao-cao", table, "-o", tmp_path / f"{month}.xlsx",
                               "--cau-hinh", config, "--van-ban", out, "--mau-van-ban",
                               "cong-van", "--dong-cap", peers)
        assert code == 0, err
    texts = [p.text for p in Document(out).paragraphs]
    # T01…T33 score 41…73: 60,5 is 14th of 34 (13 above it), 68,2 is 6th (T29…T33 above)
    sentence = next(t for t in texts if t.startswith("Tháng 10 năm 2026, UBND tỉnh Thử Nghiệm"))
    assert sentence.endswith(", đứng thứ 06/34 (tăng 8 bậc).")
    assert not any("thứ hạng so với các địa phương" in t for t in texts)
    code, _, err = run_cli(capsys, "tao-bao-cao", table, "-o", tmp_path / "x.xlsx",
                           "--cau-hinh", config, "--dong-cap", _national(tmp_path, {}, "n.json")
                           .with_name("khong-co.json"))
    assert code == 2 and "khong-co.json" in err


def test_renamed_and_merged_units_are_mapped_by_a_small_table(tmp_path, capsys):
    _report(tmp_path, capsys, "2026-09")
    table, config = _month(tmp_path, "2026-10")
    frame = pd.read_csv(table)
    frame.loc[frame["ten_don_vi"] == "UBND xã Mẫu 05", "ten_don_vi"] = "UBND phường Mới"
    frame.loc[frame["ten_don_vi"] == "UBND xã Mẫu 05", "ma_don_vi"] = "T99.9005"
    # the 2025 way: Mẫu 06 and Mẫu 07 merged into one commune
    frame.loc[frame["ten_don_vi"] == "UBND xã Mẫu 06", ["ten_don_vi", "ma_don_vi"]] = [
        "UBND xã Hợp Nhất", "T99.9006"]
    frame = frame[frame["ten_don_vi"] != "UBND xã Mẫu 07"]
    frame.loc[frame["ten_don_vi"] == "UBND xã Mẫu 05", "ten_don_vi"] = "UBND phường Mới"
    frame.to_csv(table, index=False)
    mapping = tmp_path / "ghep.csv"
    mapping.write_text("hien_nay,truoc_day\nT99.9005,T99.0005\nUBND xã Hợp Nhất,T99.0006\n"
                       "UBND xã Hợp Nhất,T99.0007\n", encoding="utf-8")
    out = tmp_path / "oct.xlsx"
    code, _, err = run_cli(capsys, "tao-bao-cao", table, "-o", out, "--cau-hinh", config,
                           "--ghep-don-vi", mapping)
    assert code == 0, err
    rows = _rows(load_workbook(out)["Biểu 01"])
    header = next(r for r in rows if r and r[0] == "STT")
    sub = rows[rows.index(header) + 1]
    column = [*header].index("So với kỳ trước") if "So với kỳ trước" in header else None
    assert column is not None
    renamed = next(r for r in rows if r[1] == "UBND phường Mới")
    merged = next(r for r in rows if r[1] == "UBND xã Hợp Nhất")
    prev = [*sub].index("Điểm kỳ trước")
    assert renamed[prev] is not None and merged[prev] is None
    said = " ".join(str(v) for r in _rows(load_workbook(out)["Kiểm tra"]) for v in r if v)
    assert "sáp nhập từ T99.0006, T99.0007" in said


def test_a_quarter_from_the_months_in_the_history(tmp_path, capsys):
    from xl766.adapters.tables import read_table

    for path in _split_quarter(tmp_path):
        config = tmp_path / f"{path.stem}.toml"
        config.write_text(f'ky_bao_cao = "{path.stem}"\nbo_chi_so = "766-2026"\n'
                          'ma_tinh_cong = "H44"\n', encoding="utf-8")
        code, _, err = run_cli(capsys, "tao-bao-cao", path, "-o", tmp_path / f"{path.stem}.xlsx",
                               "--cau-hinh", config)
        assert code == 0, err
    from_store = tmp_path / "q3-lich-su.csv"
    code, out, err = run_cli(capsys, "tong-hop-ky", "--co-quan", "H44", "--ky", "2026-Q3",
                             "--bo-chi-so", "766-2026", "-o", from_store, "--csv-may")
    assert code == 0, err
    from_files = tmp_path / "q3-tep.csv"
    assert run_cli(capsys, "tong-hop-ky", *_split_quarter(tmp_path), "--ky", "2026-Q3",
                   "--bo-chi-so", "766-2026", "-o", from_files, "--csv-may")[0] == 0
    stored, given = read_table(from_store).frame, read_table(from_files).frame
    assert stored.drop(columns="loai_don_vi").equals(given.drop(columns="loai_don_vi"))
