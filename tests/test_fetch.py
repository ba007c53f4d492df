"""`xl766 tai-cong` against a stand-in portal on 127.0.0.1 that replays the recorded Phú Thọ
answers, and the faults the real one shows: delays, 5xx, 429, an HTML page, truncated JSON, a
changed schema. The live portal is not reachable from the test machines."""

import json
import re
import time

import pandas as pd
import pytest

from conftest import EXAMPLES
from replay_portal import ReplayPortal
from xl766.cli import main
from xl766.engine.period import Period
from xl766.portal.answers import read_answers
from xl766.portal.fetch import FetchError, Politeness, fetch_province
from xl766.portal.mapping import load_mapping
from xl766.portal.table import portal_table

RECORDED = EXAMPLES / "cong" / "phu-tho-2026-q3"
PROVINCE_ID = "019d2be3-6a88-732b-8b17-b68020c8553a"
Q3 = Period(2026, quarter=3)
ENDPOINTS = [e.name for e in load_mapping().endpoints]
# Constructed: the national list in the service-results shape, two provinces.
NATIONAL = json.dumps({"code": "OK", "data": {"evaluation": [
    {"departmentId": "019d2be3-6a95-0000-0000-000000000021", "departmentCode": "H21",
     "departmentName": "UBND tỉnh Gia Lai", "totalScore": 34.19},
    {"departmentId": PROVINCE_ID, "departmentCode": "H44", "departmentName": "UBND tỉnh Phú Thọ",
     "totalScore": 60.1}]}}).encode()
QUICK = Politeness(timeout=0.5, delay=0, jitter=0, retries=2, backoff=0)


def recorded(name: str) -> bytes:
    return (RECORDED / name / "quarter-all.json").read_bytes()


@pytest.fixture
def portal():
    with ReplayPortal() as server:
        server.reply("service-results", (201, NATIONAL, 0))
        for name in ENDPOINTS:
            server.reply(name, (201, recorded(name), 0))
        yield server


def fetch(portal, folder, **options):
    waits = []
    fetch_province("H44", Q3, folder, base_url=portal.url, politeness=QUICK,
                   sleep=waits.append, progress=lambda text: None, **options)
    return waits


def table_of(folder):
    from xl766.catalog import load_indicator_set

    return portal_table(read_answers([folder]), load_indicator_set("766-2026"))[0]


def test_replay_gives_the_recorded_table(portal, tmp_path):
    folder = tmp_path / "h44"
    fetch(portal, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] and manifest["period"] == "2026-Q3"
    assert [c["file"].split("/")[0] for c in manifest["captures"]] == ENDPOINTS
    assert all(c["httpStatus"] == 201 and c["bytes"] > 0 for c in manifest["captures"])
    pd.testing.assert_frame_equal(table_of(folder), table_of(RECORDED))
    asked = {path.rsplit("/", 1)[1]: body for path, body in portal.log}
    assert asked["transparency"] == {"timeType": "quarter", "year": 2026, "quarter": 3,
                                     "rootDepartmentId": PROVINCE_ID, "currentPage": 1,
                                     "pageSize": 200}
    assert asked["handling-satisfaction"]["fromDate"] == "2026-07-01"
    assert asked["handling-satisfaction"]["toDate"] == "2026-09-30"
    assert not (folder / ".dang-tai").exists()


def test_polite_pauses_between_requests(portal, tmp_path):
    waits = []
    polite = Politeness(timeout=5, delay=2, jitter=1, retries=0, backoff=0)
    fetch_province(PROVINCE_ID, Q3, tmp_path / "h44", base_url=portal.url, politeness=polite,
                   sleep=waits.append, progress=lambda text: None)
    assert len(waits) == 5 and all(2 <= w <= 3 for w in waits)  # 6 requests, no province lookup
    assert portal.asked("service-results") == 0


def test_retries_5xx_and_timeouts_then_succeeds(portal, tmp_path):
    portal.reply("transparency", (503, b"{}", 0), (201, recorded("transparency"), 1.0),
                 (201, recorded("transparency"), 0))
    fetch(portal, tmp_path / "h44")
    assert portal.asked("transparency") == 3
    assert (tmp_path / "h44" / "manifest.json").exists()


@pytest.mark.parametrize(("reply", "expected"), [
    ((429, b'{"message":"Too Many Requests"}', 0), "quá nhiều yêu cầu (429)"),
    ((403, b"Forbidden", 0), "từ chối truy cập (403)"),
    ((200, b"<html><body>The requested URL was rejected</body></html>", 0), "trang HTML"),
    ((201, b'{"code":"OK","data":{"parent":{"departmentId":"x"},"chil', 0), "cắt cụt"),
    ((201, b'{"code":"OK","data":{"items":[]}}', 0), "đổi giao diện"),
])
def test_stops_with_a_message(portal, tmp_path, reply, expected):
    portal.reply("formality-online-payment-tree", reply)
    with pytest.raises(FetchError, match=re.escape(expected)):
        fetch(portal, tmp_path / "h44")
    assert not (tmp_path / "h44" / "manifest.json").exists()
    asked = portal.asked("formality-online-payment-tree")
    assert asked == (QUICK.retries + 1 if expected == "cắt cụt" else 1)
    assert portal.asked("handling-satisfaction") == 0  # stopped, not skipped


def test_rerun_resumes_and_partial_never_replaces_a_complete_capture(portal, tmp_path):
    folder = tmp_path / "h44"
    fetch(portal, folder)
    complete = (folder / "manifest.json").read_bytes()
    portal.log.clear()
    portal.reply("handling-satisfaction", (429, b"{}", 0))
    with pytest.raises(FetchError):
        fetch(portal, folder)
    assert (folder / "manifest.json").read_bytes() == complete
    pd.testing.assert_frame_equal(table_of(folder), table_of(RECORDED))
    portal.log.clear()
    portal.reply("handling-satisfaction", (201, recorded("handling-satisfaction"), 0))
    fetch(portal, folder)
    assert [path.rsplit("/", 1)[1] for path, _ in portal.log] == ["handling-satisfaction",
                                                                  "dossier-digitized"]
    assert (folder / "manifest.json").read_bytes() != complete
    pd.testing.assert_frame_equal(table_of(folder), table_of(RECORDED))


def test_more_pages_are_fetched(portal, tmp_path):
    data = json.loads(recorded("dossier-digitized"))
    first, second = json.loads(json.dumps(data)), json.loads(json.dumps(data))
    first["data"]["evaluation"] = data["data"]["evaluation"][:100]
    first["data"]["pagination"] |= {"currentPage": 1, "totalPages": 2, "pageSize": 100}
    second["data"]["evaluation"] = data["data"]["evaluation"][100:]
    second["data"]["pagination"] |= {"currentPage": 2, "totalPages": 2, "pageSize": 100}
    portal.reply("dossier-digitized", (201, json.dumps(first).encode(), 0),
                 (201, json.dumps(second).encode(), 0))
    fetch(portal, tmp_path / "h44")
    pages = [body["currentPage"] for path, body in portal.log if path.endswith("digitized")]
    assert pages == [1, 2]
    pd.testing.assert_frame_equal(table_of(tmp_path / "h44"), table_of(RECORDED))


def test_unknown_province(portal, tmp_path):
    with pytest.raises(FetchError, match="Không có tỉnh mã 'H99'.*H21, H44"):
        fetch_province("H99", Q3, tmp_path / "x", base_url=portal.url, politeness=QUICK,
                       sleep=lambda s: None, progress=lambda t: None)


def test_cli_then_nhap_cong(portal, tmp_path, capsys, monkeypatch):
    import xl766.portal.fetch

    monkeypatch.setattr(xl766.portal.fetch, "Politeness", lambda: QUICK)  # no 2 s pauses here
    folder = tmp_path / "h44"
    assert main(["tai-cong", "--tinh", "H44", "--ky", "2026-Q3", "-o", str(folder),
                 "--dia-chi", portal.url]) == 0
    out, err = capsys.readouterr()
    assert "[6/6] dossier-digitized" in err and "nhap-cong" in out
    assert main(["nhap-cong", str(folder), "-o", str(tmp_path / "t.csv")]) == 0
    portal.reply("transparency", (429, b"{}", 0))
    assert main(["tai-cong", "--tinh", "H44", "--ky", "2026-Q3", "-o", str(tmp_path / "b"),
                 "--dia-chi", portal.url]) == 2
    assert "429" in capsys.readouterr().err


# ---- bounded work and nothing lost (audit)

def _drip(wfile):
    for _ in range(40):  # a byte every 0,2 s: 8 s for 40 bytes, never a 0,5 s silence
        wfile.write(b" ")
        wfile.flush()
        time.sleep(0.2)


def test_a_dripped_body_is_cut_at_the_total_deadline(portal, tmp_path):
    portal.reply("transparency", (201, _drip, 0))
    started = time.monotonic()
    with pytest.raises(FetchError, match="quá 0,5 giây chưa trả lời xong"):
        fetch(portal, tmp_path / "h44")
    assert time.monotonic() - started < 6  # three tries of 0,5 s, not 8 s each
    assert portal.asked("transparency") == 3


def test_a_body_larger_than_any_answer_stops(portal, tmp_path):
    from xl766.portal.fetch import MOST_BYTES

    portal.reply("transparency", (201, b"[" + b" " * MOST_BYTES + b"]", 0))
    with pytest.raises(FetchError, match="lớn hơn 8 MB"):
        fetch(portal, tmp_path / "h44")


def test_a_redirect_loop_stops_with_a_message(portal, tmp_path):
    portal.reply("transparency", (307, b"", 0,
                                  {"Location": "/api/v1/reporting/evaluation/transparency"}))
    with pytest.raises(FetchError, match="chuyển hướng vòng quanh"):
        fetch(portal, tmp_path / "h44")


def test_a_million_pages_are_not_followed(portal, tmp_path):
    data = json.loads(recorded("dossier-digitized"))
    data["data"]["pagination"]["totalPages"] = 10**6
    portal.reply("dossier-digitized", (201, json.dumps(data).encode(), 0))
    fetch(portal, tmp_path / "h44")  # pagination.total 163 in pages of 163: one page
    assert portal.asked("dossier-digitized") == 1
    del data["data"]["pagination"]["total"]
    portal.reply("dossier-digitized", (201, json.dumps(data).encode(), 0))
    with pytest.raises(FetchError, match="báo 1000000 trang, quá 50 trang"):
        fetch(portal, tmp_path / "h45")


def test_retry_after_is_honoured_up_to_a_bound(portal, tmp_path):
    portal.reply("transparency", (503, b"{}", 0, {"Retry-After": "7"}),
                 (201, recorded("transparency"), 0))
    waits = fetch(portal, tmp_path / "h44")
    assert 7 in waits
    portal.reply("transparency", (503, b"{}", 0, {"Retry-After": "3600"}))
    with pytest.raises(FetchError, match="xin đợi 3600 giây"):
        fetch(portal, tmp_path / "h45")


@pytest.mark.parametrize("address", ["dichvucong.gov.vn", "ftp://x", ""])
def test_an_address_without_a_scheme_is_a_message(tmp_path, address):
    with pytest.raises(FetchError, match="phải bắt đầu bằng https://"):
        fetch_province("H44", Q3, tmp_path / "x", base_url=address or " ", politeness=QUICK,
                       sleep=lambda s: None, progress=lambda t: None)


@pytest.mark.parametrize("national", [
    {"code": "OK", "data": {"evaluation": [{"departmentCode": "H44"}]}},
    {"code": "OK", "data": {"evaluation": {"H44": "x"}}},
    {"code": "OK", "data": [1, 2]},
])
def test_a_national_list_of_another_shape_is_a_message(portal, tmp_path, national):
    portal.reply("service-results", (201, json.dumps(national).encode(), 0))
    with pytest.raises(FetchError, match="rootDepartmentId"):
        fetch(portal, tmp_path / "h44")


def test_an_earlier_manifest_never_deletes_outside_its_folder(portal, tmp_path):
    folder = tmp_path / "h44"
    folder.mkdir()
    victim, absolute = tmp_path / "victim.txt", tmp_path / "absolute.txt"
    victim.write_text("keep", encoding="utf-8")
    absolute.write_text("keep", encoding="utf-8")
    mine = folder / "ghi-chu.json"
    mine.write_text("{}", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"captures": [
        {"file": "../victim.txt"}, {"file": str(absolute)}, {"file": "ghi-chu.json"}]}),
        encoding="utf-8")
    fetch(portal, folder)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert absolute.read_text(encoding="utf-8") == "keep" and mine.exists()


def test_two_runs_into_one_folder(portal, tmp_path):
    import os

    from xl766.portal.fetch import LOCK

    folder = tmp_path / "h44"
    folder.mkdir()
    (folder / LOCK).write_text(str(os.getppid()), encoding="utf-8")  # a live process
    with pytest.raises(FetchError, match="đang được một lần tải khác dùng"):
        fetch(portal, folder)
    (folder / LOCK).write_text("999999999", encoding="utf-8")  # a run that was killed
    fetch(portal, folder)
    assert not (folder / LOCK).exists() and (folder / "manifest.json").exists()


def test_a_target_that_cannot_be_written_is_a_message(portal, tmp_path):
    import errno
    from unittest import mock

    with mock.patch("xl766.portal.fetch._write",
                    side_effect=OSError(errno.ENOSPC, "No space left")), pytest.raises(
            FetchError, match="ổ đĩa đã đầy"):
        fetch(portal, tmp_path / "h44")


def test_the_whole_country_one_province_at_a_time_and_resumable(portal, tmp_path, capsys):
    from xl766.portal.fetch import fetch_nation

    folder = tmp_path / "ca-nuoc"
    said = []
    done = fetch_nation(Q3, folder, base_url=portal.url, politeness=QUICK,
                        sleep=lambda s: None, progress=said.append)
    assert [p.name for p in done] == ["H21", "H44"]
    assert all(json.loads((p / "manifest.json").read_text(encoding="utf-8"))["complete"]
               for p in done)
    assert "[1/2] H21 UBND tỉnh Gia Lai…" in said and "[2/2] H44 UBND tỉnh Phú Thọ…" in said
    roots = {body.get("rootDepartmentId") for path, body in portal.log
             if path.endswith("/transparency")}
    assert roots == {PROVINCE_ID, "019d2be3-6a95-0000-0000-000000000021"}
    assert (folder / "dong-cap" / "service-results.json").read_bytes() == NATIONAL
    asked = portal.asked("transparency")
    again = []  # a second run fetches nothing already complete
    fetch_nation(Q3, folder, base_url=portal.url, politeness=QUICK, sleep=lambda s: None,
                 progress=again.append)
    assert portal.asked("transparency") == asked
    assert "[2/2] H44 UBND tỉnh Phú Thọ: đã có từ lần trước" in again


def test_a_stopped_national_run_resumes_where_it_stopped(tmp_path, capsys):
    from conftest import run_cli
    from xl766.portal.fetch import fetch_nation

    def run(server, said):
        return fetch_nation(Q3, tmp_path / "ca-nuoc", base_url=server.url, politeness=QUICK,
                            sleep=lambda s: None, progress=said.append)

    with ReplayPortal() as server:
        server.reply("service-results", (201, NATIONAL, 0))
        for name in ENDPOINTS:
            server.reply(name, (201, recorded(name), 0))
        # the second province's satisfaction answer fails for good this time
        server.replies["/api/v1/reporting/evaluation/handling-satisfaction"] = [
            (201, recorded("handling-satisfaction"), 0), (400, b'{"code":"BAD"}', 0)]
        with pytest.raises(FetchError):
            run(server, [])
        folder = tmp_path / "ca-nuoc"
        assert json.loads((folder / "H21" / "manifest.json").read_text())["complete"]
        assert not (folder / "H44" / "manifest.json").exists()
        server.reply("handling-satisfaction", (201, recorded("handling-satisfaction"), 0))
        before, said = server.asked("transparency"), []
        assert [p.name for p in run(server, said)] == ["H21", "H44"]
        assert "[1/2] H21 UBND tỉnh Gia Lai: đã có từ lần trước" in said
        # H44 resumes its own staging: only what it lacked is asked again
        assert server.asked("transparency") == before
    code, _, err = run_cli(capsys, "tai-cong", "--ky", "2026-Q3", "-o", tmp_path / "x")
    assert code == 2 and "--ca-nuoc" in err
