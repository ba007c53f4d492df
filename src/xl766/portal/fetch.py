"""Fetch a province's 766 answers from the portal, politely, and keep them as they came.

One request at a time, a pause with jitter between requests, bounded retries with backoff on
timeouts and server errors, a stop on 403/429 or an HTML page (the portal's firewall). Each raw
answer is saved as it arrives, with its request, into a hidden staging folder; only when all six
endpoints have answered and parsed do they move into the folder with a complete manifest.json, so
a partial run never replaces an earlier complete capture, and a rerun resumes.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from xl766.engine.numbers import short_number
from xl766.engine.period import Period
from xl766.portal.answers import MANIFEST, Problem, recognise
from xl766.portal.mapping import Endpoint, load_mapping

PORTAL = "https://dichvucong.gov.vn"
API = "/api/v1/reporting/evaluation/"
STAGING = ".dang-tai"
PAGE_SIZE = 200
_UUID = re.compile(r"[0-9a-fA-F-]{36}")
_BLOCKED = {403: "Cổng từ chối truy cập (403)", 429: "Cổng báo gửi quá nhiều yêu cầu (429)"}


class FetchError(Exception):
    """The fetch stopped; the message is Vietnamese and says what to do."""


@dataclass(frozen=True)
class Politeness:
    timeout: float = 30.0  # seconds per request
    delay: float = 2.0  # seconds between requests
    jitter: float = 1.0  # up to this many seconds more, at random
    retries: int = 3  # further tries after a timeout, a 5xx or an unreadable answer
    backoff: float = 5.0  # first wait before a retry; doubles each time


def period_body(period: Period, endpoint_period: str) -> dict:
    if endpoint_period == "dates":
        return {"fromDate": str(period.first_day), "toDate": str(period.last_day)}
    body = {"timeType": period.kind, "year": period.year}
    if period.month:
        body["month"] = period.month
    if period.quarter:
        body["quarter"] = period.quarter
    return body


class _Client:
    def __init__(self, base_url: str, politeness: Politeness, sleep: Callable[[float], None],
                 progress: Callable[[str], None]):
        import requests

        self.requests = requests
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": "xl766 (bo chi so 766)",
                                     "Accept": "application/json"})
        self.base = base_url.rstrip("/")
        self.polite, self.sleep, self.progress = politeness, sleep, progress
        self.sent = 0

    def post(self, name: str, payload: dict) -> tuple[bytes, dict]:
        """The raw answer and what to record of it; raises FetchError when it must stop."""
        url = self.base + API + name
        for attempt in range(self.polite.retries + 1):
            if self.sent:
                self.sleep(self.polite.delay + random.uniform(0, self.polite.jitter))
            self.sent += 1
            problem = self._try(url, payload)
            if isinstance(problem, tuple):
                return problem
            if attempt < self.polite.retries:
                wait = self.polite.backoff * 2 ** attempt
                self.progress(f"  {name}: {problem}; thử lại sau {short_number(wait)} giây")
                self.sleep(wait)
        raise FetchError(f"Dừng tải: '{name}' vẫn lỗi sau {self.polite.retries + 1} lần thử "
                         f"({problem}). Chạy lại sau; phần đã tải được giữ lại.")

    def _try(self, url: str, payload: dict):
        try:
            response = self.session.post(url, json=payload, timeout=self.polite.timeout)
        except self.requests.Timeout:
            return f"quá {short_number(self.polite.timeout)} giây không trả lời"
        except self.requests.ConnectionError as error:
            return f"không kết nối được ({type(error).__name__})"
        if response.status_code in _BLOCKED:
            raise FetchError(f"Dừng tải: {_BLOCKED[response.status_code]} khi hỏi {url}. "
                             "Đợi vài giờ rồi chạy lại; không dùng cách vượt tường lửa.")
        if response.status_code >= 500:
            return f"Cổng lỗi máy chủ ({response.status_code})"
        body = response.content
        if body.lstrip()[:1] == b"<":
            raise FetchError(f"Dừng tải: Cổng trả về một trang HTML thay cho số liệu khi hỏi {url}"
                             " (thường là trang chặn của tường lửa). Đợi rồi chạy lại sau.")
        if response.status_code >= 400:
            raise FetchError(f"Dừng tải: Cổng trả lời {response.status_code} cho {url}: "
                             f"{body[:200].decode('utf-8', 'replace')}")
        try:
            json.loads(body)
        except ValueError:
            return "câu trả lời JSON bị cắt cụt hoặc hỏng"
        return body, {"url": url, "method": "POST", "payload": payload,
                      "httpStatus": response.status_code,
                      "contentType": response.headers.get("Content-Type", ""),
                      "capturedAt": datetime.now(UTC).isoformat(),
                      "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_manifest(folder: Path, manifest: dict) -> None:
    _write(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))


def _province_id(client: _Client, province: str, period: Period) -> tuple[str, str | None]:
    if _UUID.fullmatch(province):
        return province, None
    payload = {"departmentType": "ADMINISTRATIVE_UNIT", **period_body(period, "timeType")}
    body, _ = client.post("service-results", payload)
    rows = (json.loads(body).get("data") or {}).get("evaluation") or []
    for row in rows:
        if str(row.get("departmentCode", "")).casefold() == province.casefold():
            return row["departmentId"], row.get("departmentName")
    known = ", ".join(sorted(str(r.get("departmentCode")) for r in rows)[:70])
    raise FetchError(f"Không có tỉnh mã '{province}' trong danh sách của Cổng (có: {known}).")


def _fetch_endpoint(client: _Client, endpoint: Endpoint, base: dict, staging: Path,
                    manifest: dict) -> None:
    page, pages = 1, 1
    while page <= pages:
        payload = {**base, "currentPage": page, "pageSize": PAGE_SIZE}
        body, record = client.post(endpoint.name, payload)
        problems: list[Problem] = []
        name = f"{endpoint.name}/{manifest['period']}" + (f"-trang-{page}" if page > 1 else "")
        _write(staging / f"{name}.json", body)
        answer = recognise(staging / f"{name}.json", json.loads(body), load_mapping(), problems)
        if answer is None or answer.kind != endpoint.name:
            why = "; ".join(p.message for p in problems) or f"nhận ra là '{answer.kind}'"
            raise FetchError(f"Dừng tải: câu trả lời '{endpoint.name}' không đúng dạng đã biết "
                             f"({why}). Cổng có thể đã đổi giao diện: báo cho người bảo trì xl766.")
        manifest["captures"].append({"file": f"{name}.json", **record})
        _save_manifest(staging, manifest)
        client.progress(f"  {endpoint.name}: trang {page}/{answer.page[1]}, "
                        f"{len(answer.rows)} đơn vị, {record['bytes']:,} byte")
        pages = answer.page[1]
        page += 1


def fetch_province(province: str, period: Period, folder: Path, *, base_url: str | None = None,
                   politeness: Politeness | None = None,
                   sleep: Callable[[float], None] = time.sleep,
                   progress: Callable[[str], None] = print) -> Path:
    """Fetch the six endpoints into ``folder``; returns it once the capture is complete."""
    folder, staging = Path(folder), Path(folder) / STAGING
    if folder.exists() and not folder.is_dir():
        raise FetchError(f"'{folder}' là một tệp, không phải thư mục.")
    client = _Client(base_url or PORTAL, politeness or Politeness(), sleep, progress)
    earlier = _manifest(staging)
    if earlier.get("period") != str(period) or earlier.get("request", {}).get("tinh") != province:
        earlier = {}
    done = {c["file"].split("/")[0] for c in earlier.get("captures", [])
            if _intact(staging / c["file"], c.get("sha256"))}
    if earlier:
        root, name = earlier["province"]["id"], earlier["province"].get("name")
    else:
        progress(f"Tìm tỉnh {province} trên Cổng…")
        root, name = _province_id(client, province, period)
    manifest = {"source": f"xl766 tai-cong từ {client.base}", "period": str(period),
                "request": {"tinh": province}, "province": {"id": root, "name": name},
                "complete": False,
                "captures": [c for c in earlier.get("captures", [])
                             if c["file"].split("/")[0] in done]}
    endpoints = load_mapping().endpoints
    for number, endpoint in enumerate(endpoints, start=1):
        if endpoint.name in done:
            progress(f"[{number}/{len(endpoints)}] {endpoint.name}: đã có từ lần trước")
            continue
        progress(f"[{number}/{len(endpoints)}] {endpoint.name}…")
        base = {**period_body(period, endpoint.period), "rootDepartmentId": root}
        _fetch_endpoint(client, endpoint, base, staging, manifest)
    _complete(folder, staging, manifest)
    return folder


def _intact(path: Path, sha256: str | None) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def _complete(folder: Path, staging: Path, manifest: dict) -> None:
    """Move the answers in, then the manifest that vouches for them, then drop what it replaced."""
    before = {c["file"] for c in _manifest(folder).get("captures", [])}
    for capture in manifest["captures"]:
        target = folder / capture["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / capture["file"], target)
    _save_manifest(folder, manifest | {"complete": True})
    for stale in before - {c["file"] for c in manifest["captures"]}:
        (folder / stale).unlink(missing_ok=True)
    for leftover in sorted(staging.rglob("*"), reverse=True):
        leftover.rmdir() if leftover.is_dir() else leftover.unlink()
    staging.rmdir()
