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
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from xl766.adapters.files import os_error_text
from xl766.engine.numbers import short_number
from xl766.engine.period import Period
from xl766.portal.answers import MANIFEST, Problem, recognise
from xl766.portal.mapping import Endpoint, load_mapping

PORTAL = "https://dichvucong.gov.vn"
API = "/api/v1/reporting/evaluation/"
STAGING = ".dang-tai"
LOCK = ".xl766-dang-tai.lock"
PAGE_SIZE = 200
_UUID = re.compile(r"[0-9a-fA-F-]{36}")
_BLOCKED = {403: "Cổng từ chối truy cập (403)", 429: "Cổng báo gửi quá nhiều yêu cầu (429)"}
# The largest real answer is about 300 KB; a body past this is not an answer (or a gzip bomb).
MOST_BYTES = 8 * 1024 * 1024
MOST_PAGES = 50  # 200 units a page: 10.000 units, more than any province has
_LONGEST_WAIT = 120.0  # seconds: a Retry-After beyond this is not honoured, the run stops


class FetchError(Exception):
    """The fetch stopped; the message is Vietnamese and says what to do."""


@dataclass(frozen=True)
class Politeness:
    timeout: float = 30.0  # seconds for the whole of one request, answer included
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
        if not re.match(r"https?://[^/\s]+", base_url):
            raise FetchError(f"Địa chỉ Cổng '{base_url}' phải bắt đầu bằng https:// (hoặc "
                             "http://), ví dụ https://dichvucong.gov.vn.")
        self.session = requests.Session()
        self.session.max_redirects = 5
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
        late = f"quá {short_number(self.polite.timeout)} giây chưa trả lời xong"
        started = time.monotonic()
        try:
            response = self.session.post(url, json=payload, timeout=self.polite.timeout,
                                         stream=True)
        except self.requests.TooManyRedirects:
            raise FetchError(f"Dừng tải: {url} chuyển hướng vòng quanh, không tới được số "
                             "liệu. Kiểm tra --dia-chi.") from None
        except self.requests.Timeout:
            return late
        except self.requests.ConnectionError as error:
            return f"không kết nối được ({type(error).__name__})"
        except self.requests.RequestException as error:
            raise FetchError(f"Dừng tải: không gửi được yêu cầu tới {url} "
                             f"({type(error).__name__}).") from None
        with response:
            body = self._body(response, started)
        if body is None:
            return late
        if body is False:
            return "câu trả lời bị cắt giữa chừng"
        if response.status_code in _BLOCKED:
            raise FetchError(f"Dừng tải: {_BLOCKED[response.status_code]} khi hỏi {url}. "
                             "Đợi vài giờ rồi chạy lại; không dùng cách vượt tường lửa.")
        if response.status_code >= 500:
            self._honour_retry_after(response)
            return f"Cổng lỗi máy chủ ({response.status_code})"
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


    def _body(self, response, started: float) -> bytes | None | bool:
        """The whole answer within the request's time and size bounds: None when too slow (a
        body dripped a byte at a time), False when cut short; too large stops the run. Each
        read returns what has arrived, so the deadline is checked as the bytes come."""
        chunks, size = [], 0
        try:
            while chunk := response.raw.read1(65536, decode_content=True):
                size += len(chunk)
                if size > MOST_BYTES:
                    raise FetchError(f"Dừng tải: câu trả lời của {response.url} lớn hơn "
                                     f"{MOST_BYTES // 1024 // 1024} MB, không phải số liệu 766.")
                chunks.append(chunk)
                if time.monotonic() - started > self.polite.timeout:
                    return None
        except FetchError:
            raise
        except self.requests.packages.urllib3.exceptions.ReadTimeoutError:
            return None
        except Exception:  # the connection broke mid-answer, or a body not as declared
            return False
        return b"".join(chunks)

    def _honour_retry_after(self, response) -> None:
        value = response.headers.get("Retry-After", "")
        if not value.strip().isdigit():
            return
        wait = float(value)
        if wait > _LONGEST_WAIT:
            raise FetchError(f"Dừng tải: Cổng bận và xin đợi {short_number(wait)} giây. Chạy "
                             "lại sau; phần đã tải được giữ lại.")
        self.progress(f"  Cổng xin đợi {short_number(wait)} giây")
        self.sleep(wait)


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


def _provinces(client: _Client, period: Period) -> tuple[bytes, list[dict]]:
    """The national list (service-results for the administrative units): its answer and rows."""
    payload = {"departmentType": "ADMINISTRATIVE_UNIT", **period_body(period, "timeType")}
    body, _ = client.post("service-results", payload)
    document = json.loads(body)
    data = document.get("data") if isinstance(document, dict) else None
    rows = data.get("evaluation") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise FetchError("Dừng tải: danh sách tỉnh của Cổng (service-results) không đúng dạng đã "
                         "biết. Dùng mã rootDepartmentId (UUID) thay cho mã tỉnh.")
    return body, rows


def _province_id(client: _Client, province: str, period: Period) -> tuple[str, str | None]:
    if _UUID.fullmatch(province):
        return province, None
    _, rows = _provinces(client, period)
    for row in rows:
        if str(row.get("departmentCode", "")).casefold() == province.casefold():
            if not _UUID.fullmatch(str(row.get("departmentId") or "")):
                raise FetchError(f"Dừng tải: Cổng không cho mã departmentId của tỉnh "
                                 f"'{province}'. Dùng mã rootDepartmentId (UUID) thay cho mã tỉnh.")
            return row["departmentId"], row.get("departmentName")
    known = ", ".join(sorted(str(r.get("departmentCode")) for r in rows)[:70])
    raise FetchError(f"Không có tỉnh mã '{province}' trong danh sách của Cổng (có: {known}).")


NATIONAL_LIST = "dong-cap/service-results.json"


def fetch_nation(period: Period, folder: Path, *, base_url: str | None = None,
                 politeness: Politeness | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 progress: Callable[[str], None] = print) -> list[Path]:
    """Every province, one request at a time, each into ``folder/<code>``; a province already
    complete for the period (its manifest says so) is not fetched again, so a stopped run
    resumes. The national list itself is kept (``dong-cap/``: the peers for --dong-cap)."""
    folder = Path(folder)
    client = _Client(base_url or PORTAL, politeness or Politeness(), sleep, progress)
    progress("Lấy danh sách tỉnh trên Cổng…")
    body, rows = _provinces(client, period)
    try:
        _write(folder / NATIONAL_LIST, body)
    except OSError as error:
        raise FetchError(f"Không ghi được vào '{folder}': {os_error_text(error)}") from None
    provinces = sorted((str(r["departmentCode"]), str(r["departmentId"]), r.get("departmentName"))
                       for r in rows if r.get("departmentCode") and
                       _UUID.fullmatch(str(r.get("departmentId") or "")))
    done = []
    for number, (code, uuid, name) in enumerate(provinces, start=1):
        target = folder / code
        earlier = _manifest(target)
        if earlier.get("complete") and earlier.get("period") == str(period):
            progress(f"[{number}/{len(provinces)}] {code} {name or ''}: đã có từ lần trước")
        else:
            progress(f"[{number}/{len(provinces)}] {code} {name or ''}…")
            fetch_province(uuid, period, target, base_url=base_url, politeness=politeness,
                           sleep=sleep, progress=progress)
        done.append(target)
    return done


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
        pages = _pages(answer, endpoint.name)
        page += 1


def _pages(answer, name: str) -> int:
    """How many pages to ask for: what the units the answer declares need, never more than
    MOST_PAGES (an answer claiming a million pages is not followed)."""
    needed = answer.page[1]
    if answer.declared is not None:  # pages of the size the portal really sends
        needed = min(needed, max(1, -(-answer.declared // max(len(answer.rows), 1))))
    if needed > MOST_PAGES:
        raise FetchError(f"Dừng tải: '{name}' báo {needed} trang, quá {MOST_PAGES} trang của mọi "
                         "tỉnh: câu trả lời không hợp lý.")
    return needed


def fetch_province(province: str, period: Period, folder: Path, *, base_url: str | None = None,
                   politeness: Politeness | None = None,
                   sleep: Callable[[float], None] = time.sleep,
                   progress: Callable[[str], None] = print) -> Path:
    """Fetch the six endpoints into ``folder``; returns it once the capture is complete."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FetchError(f"'{folder}' là một tệp, không phải thư mục.")
    client = _Client(base_url or PORTAL, politeness or Politeness(), sleep, progress)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _only_run(folder):
            _fetch_into(folder, province, period, client, progress)
    except OSError as error:
        raise FetchError(f"Không ghi được vào '{folder}': {os_error_text(error)}. Phần đã tải "
                         "được giữ lại.") from None
    return folder


@contextmanager
def _only_run(folder: Path):
    """One run at a time in a folder: a second one would mix its answers with the first's."""
    lock = folder / LOCK
    try:
        handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        holder = lock.read_text(encoding="utf-8").strip() if lock.is_file() else ""
        if holder.isdigit() and _alive(int(holder)):
            raise FetchError(f"Thư mục '{folder}' đang được một lần tải khác dùng (tiến trình "
                             f"{holder}): đợi lần đó xong hoặc chọn thư mục khác.") from None
        lock.unlink(missing_ok=True)  # left by a run that was killed
        handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    try:
        os.write(handle, str(os.getpid()).encode())
        os.close(handle)
        yield
    finally:
        lock.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _ours(name: str) -> bool:
    """A capture's file name as this command writes it: '<endpoint>/<period>[-trang-N].json',
    inside the folder. A manifest naming '../x' or an absolute path is never followed."""
    parts = Path(name).parts
    endpoints = {e.name for e in load_mapping().endpoints}
    return (len(parts) == 2 and parts[0] in endpoints and parts[1].endswith(".json")
            and not Path(name).is_absolute() and ".." not in parts)


def _fetch_into(folder: Path, province: str, period: Period, client: _Client,
                progress: Callable[[str], None]) -> None:
    staging = folder / STAGING
    earlier = _manifest(staging)
    if earlier.get("period") != str(period) or earlier.get("request", {}).get("tinh") != province:
        earlier = {}
    done = {c["file"].split("/")[0] for c in earlier.get("captures", [])
            if _ours(str(c.get("file", ""))) and _intact(staging / c["file"], c.get("sha256"))}
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


def _intact(path: Path, sha256: str | None) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def _complete(folder: Path, staging: Path, manifest: dict) -> None:
    """Move the answers in, then the manifest that vouches for them, then drop what it replaced."""
    before = {str(c.get("file")) for c in _manifest(folder).get("captures", [])
              if isinstance(c, dict) and _ours(str(c.get("file", "")))}
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
