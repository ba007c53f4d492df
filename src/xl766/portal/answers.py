"""Saved portal answers on disk: found, recognised by their content, checked against each other
and against the manifest that recorded them. Every problem is collected, none stops the reading."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from xl766.engine.findings import LEVEL_TEXT, Level
from xl766.engine.period import Period
from xl766.portal.mapping import PortalMapping, load_mapping

MANIFEST = "manifest.json"
SERVICE_RESULTS = "service-results"
LEGACY = "report_tinh_766_service"


@dataclass(frozen=True)
class Problem:
    level: Level
    message: str
    file: str | None = None

    def describe(self) -> str:
        where = f"tệp '{self.file}': " if self.file else ""
        return f"[{LEVEL_TEXT[self.level]}] {where}{self.message}"


@dataclass
class Answer:
    path: Path
    kind: str  # an endpoint's name, SERVICE_RESULTS or LEGACY
    rows: list[dict]  # the units
    province: dict | None  # the province's own row (overview / parent), when the answer has one
    page: tuple[int, int] = (1, 1)  # (currentPage, totalPages)
    capture: dict | None = None  # the manifest's entry for this file
    declared: int | None = None  # pagination.total: the units all pages hold together


@dataclass
class Capture:
    answers: dict[str, list[Answer]] = field(default_factory=dict)  # by kind, pages in order
    period: Period | None = None
    province_id: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.level is Level.ERROR for p in self.problems)

    def rows(self, kind: str) -> list[dict]:
        return [row for answer in self.answers.get(kind, []) for row in answer.rows]

    def province(self, kind: str) -> dict | None:
        return next((a.province for a in self.answers.get(kind, []) if a.province), None)

    def province_row(self) -> dict:
        """The province's own fields, merged over every answer that has them (codes included)."""
        merged: dict = {}
        for kind in self.answers:
            merged |= {k: v for k, v in (self.province(kind) or {}).items() if v is not None}
        return merged


def _json_files(paths: list[Path], problems: list[Problem]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # A hidden folder holds an unfinished download (tai-cong's staging): not an answer.
            files = sorted(f for f in path.rglob("*.json")
                           if not any(part.startswith(".") for part in f.relative_to(path).parts))
            if not files:
                problems.append(Problem(Level.ERROR, "thư mục không có tệp .json nào", str(path)))
            found += files
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(Level.ERROR, "không tìm thấy tệp hay thư mục này", str(path)))
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


def _load_json(path: Path, problems: list[Problem]):
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(Level.ERROR, f"không đọc được ({error.strerror})", path.name))
        return None
    text = raw.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("<"):
        problems.append(Problem(Level.ERROR, "là một trang HTML, không phải câu trả lời JSON "
                                "của Cổng (thường là trang chặn của tường lửa): tải lại sau",
                                path.name))
        return None
    try:
        return json.loads(text)
    except RecursionError:
        problems.append(Problem(Level.ERROR, "JSON lồng nhau quá sâu: không phải câu trả lời "
                                "của Cổng", path.name))
        return None
    except json.JSONDecodeError as error:
        problems.append(Problem(Level.ERROR, f"JSON hỏng hoặc bị cắt cụt (dòng {error.lineno}, "
                                f"cột {error.colno}): tải lại tệp này", path.name))
        return None


def _is_legacy_rows(value, mapping: PortalMapping) -> bool:
    return (isinstance(value, list) and bool(value) and all(isinstance(r, dict) for r in value)
            and mapping.legacy.name_field in value[0])


def _metrics_kind(rows: list[dict], mapping: PortalMapping) -> tuple[str | None, set[str]]:
    codes = {m.get("code") for row in rows for m in row.get("metrics") or []
             if isinstance(m, dict)}
    overlap = {e.name: len(codes & {m.code for m in e.metrics})
               for e in mapping.endpoints if e.shape == "metrics"}
    best = max(overlap, key=overlap.get)
    return (best if overlap[best] else None), codes


def recognise(path: Path, document, mapping: PortalMapping,
               problems: list[Problem]) -> Answer | None:
    """What answer this is, from its shape and its metric codes, never from its file name."""
    def refuse(message: str) -> None:
        problems.append(Problem(Level.ERROR, message, path.name))

    if _is_legacy_rows(document, mapping):
        return Answer(path, LEGACY, document, None)
    if not isinstance(document, dict) or "data" not in document:
        refuse("không phải câu trả lời của Cổng DVCQG (không có khóa 'data')")
        return None
    if document.get("code") not in (None, "OK"):
        refuse(f"Cổng trả lời lỗi: {document.get('code')} {document.get('message') or ''}".strip())
        return None
    data = document["data"]
    if _is_legacy_rows(data, mapping):
        return Answer(path, LEGACY, data, None)
    if not isinstance(data, dict):
        refuse("khóa 'data' không có dạng câu trả lời đánh giá 766 đã biết")
        return None
    pagination = data.get("pagination") or {}
    numbers = {key: _whole(pagination.get(key)) if isinstance(pagination, dict) else False
               for key in ("currentPage", "totalPages", "total")}
    if False in numbers.values():
        refuse("khóa 'pagination' (trang, số trang, số đơn vị) không đúng dạng số: "
               f"{json.dumps(pagination, ensure_ascii=False)[:200]}")
        return None
    page = (numbers["currentPage"] or 1, numbers["totalPages"] or 1)
    overview = data.get("overview")
    if overview is not None and not isinstance(overview, dict):
        refuse("khóa 'overview' (dòng của tỉnh) không đúng dạng")
        return None
    if isinstance(data.get("evaluation"), list):
        rows = [r for r in data["evaluation"] if isinstance(r, dict)]
        if len(rows) != len(data["evaluation"]) or any(
                not isinstance(r.get("metrics", []), list)
                or not all(isinstance(m, dict) for m in r.get("metrics", []))
                for r in rows + [overview or {}]):
            refuse("có đơn vị hoặc chỉ số không đúng dạng (không phải đối tượng JSON)")
            return None
        if any("metrics" in r for r in rows) or "metrics" in (overview or {}):
            kind, codes = _metrics_kind(rows + [overview or {}], mapping)
            if kind is None:
                refuse(f"không nhận ra các mã chỉ số: {', '.join(sorted(map(str, codes)))}")
                return None
            return Answer(path, kind, rows, overview, page, declared=numbers["total"])
        if rows and all("totalScore" in r for r in rows):
            return Answer(path, SERVICE_RESULTS, rows, overview, page,
                          declared=numbers["total"])
    if isinstance(data.get("children"), list):
        rows = [r for r in data["children"] if isinstance(r, dict)]
        parent = data.get("parent") if isinstance(data.get("parent"), dict) else None
        for endpoint in mapping.endpoints:
            if endpoint.signature and any(endpoint.signature in r for r in rows + [parent or {}]):
                return Answer(path, endpoint.name, rows, parent, page,
                              declared=numbers["total"])
        refuse("câu trả lời dạng cây nhưng không nhận ra mục nào (các trường: "
               f"{', '.join(sorted({k for r in rows[:1] for k in r}))})")
        return None
    refuse("cấu trúc 'data' đã thay đổi hoặc không phải câu trả lời đánh giá 766 "
           f"(các khóa: {', '.join(sorted(map(str, data)))})")
    return None


def _whole(value) -> int | None | bool:
    """A page number or count as the portal sends it (5 or "5"); None when absent, False when it
    is not a whole number."""
    if value is None:
        return None
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value if value >= 0 else False
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value)
    return False


def period_of_request(payload: dict) -> Period | None:
    """The period a request asked for: timeType/year/month|quarter, or fromDate/toDate."""
    try:
        if "timeType" in payload:
            year = int(payload["year"])
            return {"month": lambda: Period(year, month=int(payload["month"])),
                    "quarter": lambda: Period(year, quarter=int(payload["quarter"])),
                    "year": lambda: Period(year)}[payload["timeType"]]()
        if "fromDate" in payload:
            start, end = str(payload["fromDate"]), str(payload["toDate"])
            for candidate in (Period(int(start[:4]), month=int(start[5:7])),
                              Period(int(start[:4]), quarter=(int(start[5:7]) + 2) // 3),
                              Period(int(start[:4]))):
                if (str(candidate.first_day), str(candidate.last_day)) == (start, end):
                    return candidate
    except (KeyError, ValueError, TypeError):
        return None
    return None


def _manifest_entries(document: dict, folder: Path) -> dict[Path, dict]:
    return {(folder / str(entry.get("file", ""))).resolve(): entry
            for entry in document.get("captures", []) if isinstance(entry, dict)}


def _check_against_manifest(answer: Answer, problems: list[Problem]) -> None:
    entry = answer.capture
    expected = entry.get("sha256")
    if expected and hashlib.sha256(answer.path.read_bytes()).hexdigest() != expected:
        problems.append(Problem(Level.ERROR, "nội dung khác với lúc tải về (sha256 trong "
                                f"{MANIFEST} không khớp): tệp đã bị sửa; tải lại bằng tai-cong",
                                answer.path.name))


def read_answers(paths: list[Path], period: Period | None = None,
                 mapping: PortalMapping | None = None) -> Capture:
    mapping = mapping or load_mapping()
    capture = Capture()
    problems = capture.problems
    entries: dict[Path, dict] = {}
    answers: list[Answer] = []
    for path in _json_files([Path(p) for p in paths], problems):
        document = _load_json(path, problems)
        if document is None:
            continue
        if isinstance(document, dict) and isinstance(document.get("captures"), list):
            entries |= _manifest_entries(document, path.parent)
            continue
        answer = recognise(path, document, mapping, problems)
        if answer is not None:
            answers.append(answer)
    for answer in answers:
        answer.capture = entries.get(answer.path)
        if answer.capture is not None:
            _check_against_manifest(answer, problems)
        capture.answers.setdefault(answer.kind, []).append(answer)
    _check_pages(capture)
    _check_province(capture, answers)
    _settle_period(capture, answers, period)
    if not answers and not capture.has_errors:
        problems.append(Problem(Level.ERROR, "không có câu trả lời nào của Cổng DVCQG"))
    return capture


def _check_pages(capture: Capture) -> None:
    for kind, answers in capture.answers.items():
        answers.sort(key=lambda a: a.page[0])
        pages = [a.page[0] for a in answers]
        total = max(a.page[1] for a in answers)
        names = ", ".join(a.path.name for a in answers)
        if len(set(pages)) != len(pages):
            capture.problems.append(Problem(Level.ERROR, f"có nhiều câu trả lời cho cùng mục "
                                            f"'{kind}' (trang {pages}): {names}; chỉ giữ một"))
        elif sorted(pages) != list(range(1, total + 1)):
            missing = sorted(set(range(1, total + 1)) - set(pages))
            capture.problems.append(Problem(Level.ERROR, f"mục '{kind}' có {total} trang nhưng "
                                            f"thiếu trang {missing}: thiếu đơn vị", names))
            continue
        declared = {a.declared for a in answers if a.declared is not None}
        held = sum(len(a.rows) for a in answers)
        if declared and held not in declared:
            capture.problems.append(Problem(
                Level.ERROR, f"mục '{kind}' khai báo {max(declared)} đơn vị (pagination.total) "
                f"nhưng các trang có {held}: câu trả lời không trọn vẹn, tải lại", names))


def _check_province(capture: Capture, answers: list[Answer]) -> None:
    ids = {}
    for answer in answers:
        own = answer.province or {}
        payload = (answer.capture or {}).get("payload") or {}
        province = payload.get("rootDepartmentId") or (
            own.get("departmentId") if answer.kind != SERVICE_RESULTS else None)
        if province:
            ids.setdefault(province, []).append(answer.path.name)
    if len(ids) > 1:
        listing = "; ".join(f"{key}: {', '.join(files)}" for key, files in ids.items())
        capture.problems.append(Problem(Level.ERROR, "các câu trả lời thuộc nhiều tỉnh khác "
                                        f"nhau ({listing}): mỗi lần chỉ nhập một tỉnh"))
    capture.province_id = next(iter(ids), None)


def _settle_period(capture: Capture, answers: list[Answer], given: Period | None) -> None:
    recorded = {}
    for answer in answers:
        payload = (answer.capture or {}).get("payload")
        found = period_of_request(payload) if isinstance(payload, dict) else None
        if found is not None:
            recorded.setdefault(found, []).append(answer.path.name)
    if len(recorded) > 1:
        listing = "; ".join(f"{p}: {', '.join(files)}" for p, files in recorded.items())
        capture.problems.append(Problem(Level.ERROR, "các câu trả lời thuộc nhiều kỳ khác nhau "
                                        f"({listing}): mỗi lần chỉ nhập một kỳ"))
        return
    found = next(iter(recorded), None)
    if given is not None and found is not None and given != found:
        capture.problems.append(Problem(Level.ERROR, f"kỳ báo cáo {given} khác kỳ {found} ghi "
                                        f"trong {MANIFEST} của các câu trả lời"))
    capture.period = given or found
    if capture.period is None and answers:
        capture.problems.append(Problem(Level.ERROR, f"không có {MANIFEST} cho biết kỳ của số "
                                        "liệu: thêm --ky (vd --ky 2026-09, --ky 2026-Q3)"))
