"""The input contract of a scoring table, and every check on it, collected in one pass.

Columns: ``ten_don_vi``, ``ma_don_vi``, ``TONG``; per indicator ``X`` (points), ``X%`` (percent)
or ``X/tu`` + ``X/mau`` (counts); per group ``G`` (group points entered directly). Points an
official source published travel beside them as ``X/cong`` and ``G/cong``: checked against the
recomputation, never scored. ``ghi_chu`` is a note per unit; a column named ``cong:…`` is the
source's other data, kept as it came and not scored. ``loai_don_vi`` is the unit's kind ("Sở, ban,
ngành", "UBND cấp xã"…): units of one kind are also ranked among themselves; the kind
"Đơn vị báo cáo" marks the office's own row, scored and classified but never ranked among its
units.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import pandas as pd

from xl766.catalog.models import IndicatorSet, Rule
from xl766.engine.findings import Finding, Level
from xl766.engine.names import near_misses, normalise
from xl766.engine.numbers import DASHES, ParsedNumbers, parse_numbers, short_number

UNIT_NAME, UNIT_CODE, PUBLISHED_TOTAL = "ten_don_vi", "ma_don_vi", "TONG"
UNIT_NOTE = "ghi_chu"
UNIT_KIND = "loai_don_vi"
OFFICE_KIND = "Đơn vị báo cáo"
PUBLISHED_SUFFIX = "/cong"  # points the portal published, for reconciliation
KEPT_PREFIX = "cong:"  # the portal's other data: kept, not scored
HEADER_ROW = 1
# No office handles a trillion dossiers; larger counts are typing slips, and counts stay exact.
MAX_COUNT = 10**12
_SIMILAR_NAMES_LISTED = 50


class Role(Enum):
    POINTS = "points"
    PERCENT = "percent"
    NUMERATOR = "numerator"
    DENOMINATOR = "denominator"
    GROUP_POINTS = "group_points"
    PUBLISHED = "published"


def column_roles(indicator_set: IndicatorSet) -> dict[str, tuple[Role, str]]:
    """Every numeric column the set accepts, with what it holds and for which code."""
    roles: dict[str, tuple[Role, str]] = {}
    for indicator in indicator_set.indicators:
        roles[indicator.code] = (Role.POINTS, indicator.code)
        if indicator.takes_ratio:
            roles[f"{indicator.code}%"] = (Role.PERCENT, indicator.code)
            roles[f"{indicator.code}/tu"] = (Role.NUMERATOR, indicator.code)
            roles[f"{indicator.code}/mau"] = (Role.DENOMINATOR, indicator.code)
    for group in indicator_set.groups:
        roles[group.code] = (Role.GROUP_POINTS, group.code)
    for code in [i.code for i in indicator_set.indicators] + [g.code for g in indicator_set.groups]:
        roles[code + PUBLISHED_SUFFIX] = (Role.PUBLISHED, code)
    return roles


@dataclass
class ScoringInput:
    """The table as numbers, ready for the engine, with what the checks found."""

    labels: pd.Index
    names: pd.Series
    codes: pd.Series
    notes: pd.Series
    kinds: pd.Series
    columns: dict[tuple[Role, str], ParsedNumbers]
    published_total: ParsedNumbers
    findings: list[Finding] = field(default_factory=list)

    def get(self, role: Role, code: str) -> ParsedNumbers | None:
        return self.columns.get((role, code))


class Collector:
    def __init__(self, labels: pd.Index):
        self.labels = labels
        self.findings: list[Finding] = []

    def cells(self, mask: np.ndarray, column: str, message, level: Level = Level.ERROR) -> None:
        """One finding per flagged cell; ``message`` turns a row position into the text."""
        for position in np.flatnonzero(mask):
            self.findings.append(Finding(level, message(position), column,
                                         int(self.labels[position])))

    def table(self, message: str, column: str | None = None, level: Level = Level.ERROR) -> None:
        self.findings.append(Finding(level, message, column, HEADER_ROW))


def _shown(cells: pd.Series, position: int) -> str:
    return shown(cells.iloc[position])


def shown(cell) -> str:
    """A cell as a message quotes it: numbers with a decimal comma, TRUE/FALSE as Excel shows
    them, text as typed."""
    if isinstance(cell, bool):
        return str(cell).upper()
    if isinstance(cell, int | float):
        try:
            return short_number(cell)
        except OverflowError:
            return _abridged(str(cell))
    return _abridged(str(cell).strip())


def _abridged(text: str) -> str:
    """A long cell quoted by its start and its length, so a message stays readable."""
    return text if len(text) <= 40 else f"{text[:20]}… ({len(text)} ký tự)"


def _resolve_headers(raw: pd.DataFrame, indicator_set: IndicatorSet,
                     out: Collector) -> dict[int, str]:
    """Map each accepted column, by position, to its canonical name; report unknown and repeated
    ones (a repeated header is kept once: the first)."""
    roles = column_roles(indicator_set)
    canonical = {name.casefold(): name for name in
                 [UNIT_NAME, UNIT_CODE, PUBLISHED_TOTAL, UNIT_NOTE, UNIT_KIND,
                                   *roles]}
    resolved: dict[int, str] = {}
    for position, header in enumerate(raw.columns):
        text = str(header).strip()
        name = canonical.get(text.casefold())
        if name is None:
            if text == "" or text.startswith("Unnamed") or text.startswith(KEPT_PREFIX):
                continue
            out.table(_unknown_column_message(text, indicator_set, list(canonical.values())), text)
        elif name in resolved.values():
            out.table(f"cột '{name}' xuất hiện nhiều lần", text)
        else:
            resolved[position] = name
    if UNIT_NAME not in resolved.values():
        out.table(f"thiếu cột bắt buộc '{UNIT_NAME}' (tên đơn vị)", UNIT_NAME)
    for column, (role, code) in roles.items():
        partner = {Role.NUMERATOR: f"{code}/mau", Role.DENOMINATOR: f"{code}/tu"}.get(role)
        if partner and column in resolved.values() and partner not in resolved.values():
            out.table(f"có cột '{column}' nhưng thiếu cột '{partner}'", column)
    return resolved


def _unknown_column_message(text: str, indicator_set: IndicatorSet, accepted: list[str]) -> str:
    base = text.removesuffix("%").split("/")[0]
    direct = {i.code for i in indicator_set.indicators if not i.takes_ratio}
    if base in direct and base != text:
        return (f"chỉ số {base} của bộ {indicator_set.id} được nhập điểm trực tiếp; "
                f"không nhận tỷ lệ hay tử số/mẫu số (cột '{text}')")
    guess = difflib.get_close_matches(text, accepted, n=1, cutoff=0.6)
    hint = f" Có phải '{guess[0]}'?" if guess else ""
    return f"cột '{text}' không thuộc bộ chỉ số {indicator_set.id}.{hint}"


def unreadable_message(shown: str) -> str:
    if shown in DASHES:
        return "dấu gạch '-' không phải là số liệu: để trống nếu chưa có số liệu, ghi 0 nếu là 0"
    if shown.split("…")[0].isdigit() and "…" in shown:
        return f"số {shown} quá lớn"
    if shown.startswith("="):
        return (f"ô có công thức {shown} nhưng chưa có giá trị đã tính: mở tệp trong Excel, "
                "lưu lại rồi chạy lại")
    return f"'{shown}' không phải là số"


def negative_message(shown: str) -> str:
    return f"số âm ({shown}) không hợp lệ"


def percent_above_message(shown: str) -> str:
    return f"tỷ lệ {shown}% vượt quá 100%"


def not_whole_message(shown: str) -> str:
    return f"số đếm phải là số nguyên, nhận '{shown}'"


def count_too_large_message(shown: str) -> str:
    return f"số đếm {shown} quá lớn (tối đa {MAX_COUNT:,})".replace(",", ".")


def above_max_message(shown: str, limit: float) -> str:
    return f"điểm {shown} vượt điểm tối đa {short_number(limit)}"


def numerator_above_message(numerator: float, denominator: float, code: str) -> str:
    return (f"tử số ({short_number(numerator)}) lớn hơn mẫu số ({short_number(denominator)}) "
            f"của {code}")


def value_problem(value: float | None, shown: str, role: Role | None,
                  limit: float | None) -> str | None:
    """What is wrong with one value, if anything: the one-cell twin of check_values."""
    if value is None:
        return None
    if math.isnan(value):
        return unreadable_message(shown)
    if value < 0:
        return negative_message(shown)
    if role is Role.PERCENT:
        return percent_above_message(shown) if value > 100 else None
    if role in (Role.NUMERATOR, Role.DENOMINATOR):
        if value > MAX_COUNT:
            return count_too_large_message(shown)
        return not_whole_message(shown) if not float(value).is_integer() else None
    return above_max_message(shown, limit) if limit is not None and value > limit + 1e-9 else None


def check_values(cells: pd.Series, parsed: ParsedNumbers, column: str, role: Role | None,
                  limit: float | None, out: Collector) -> None:
    out.cells(parsed.unreadable, column, lambda p: unreadable_message(_shown(cells, p)))
    values = parsed.values
    with np.errstate(invalid="ignore"):
        out.cells(values < 0, column, lambda p: negative_message(_shown(cells, p)))
        if role is Role.PERCENT:
            out.cells(values > 100, column, lambda p: percent_above_message(_shown(cells, p)))
        elif role in (Role.NUMERATOR, Role.DENOMINATOR):
            out.cells((values >= 0) & (values != np.floor(values)), column,
                      lambda p: not_whole_message(_shown(cells, p)))
            out.cells(values > MAX_COUNT, column,
                      lambda p: count_too_large_message(_shown(cells, p)))
        elif limit is not None:
            out.cells(values > limit + 1e-9, column,
                      lambda p: above_max_message(_shown(cells, p), limit))


def check_units(names: list, codes: list, labels: pd.Index, out: Collector,
                 has_name_column: bool) -> None:
    missing = np.array([not name for name in names], dtype=bool)
    if has_name_column:  # with no name column at all, the header finding says it once
        out.cells(missing, UNIT_NAME, lambda p: "thiếu tên đơn vị")
    for column, values in ((UNIT_NAME, names), (UNIT_CODE, codes)):
        failed = np.array([value in EXCEL_ERRORS for value in values], dtype=bool)
        out.cells(failed, column, lambda p, v=values: (
            f"ô hiện lỗi Excel {v[p]} (công thức tính sai), không phải tên hay mã đơn vị: sửa "
            "công thức hoặc gõ giá trị"))
    first_by_code: dict[str, int] = {}
    first_by_name: dict[str, int] = {}
    all_coded = all(codes)  # then names identify nothing: codes alone say what is a duplicate
    for position, (name, code) in enumerate(zip(names, codes, strict=True)):
        if code:
            if code in first_by_code:
                out.findings.append(Finding(
                    Level.ERROR, f"trùng đơn vị với dòng {labels[first_by_code[code]]} "
                    f"(cùng mã '{code}')", UNIT_CODE, int(labels[position])))
            first_by_code.setdefault(code, position)
        if not name or all_coded or name in EXCEL_ERRORS:
            continue
        earlier = first_by_name.setdefault(normalise(name), position)
        # Two units with codes of their own may share a name (Xã Tân Lập in many provinces).
        if earlier != position and not (code and codes[earlier]):
            out.findings.append(Finding(
                Level.ERROR, f"trùng đơn vị với dòng {labels[earlier]} "
                f"(cùng tên '{name}')", UNIT_NAME, int(labels[position])))
    # Names only identify units that have no code; two coded units may share a name.
    uncoded = [p for p, (name, code) in enumerate(zip(names, codes, strict=True))
               if name and not code]
    similar, stopped = near_misses([names[p] for p in uncoded])
    for a, b in similar[:_SIMILAR_NAMES_LISTED]:
        first, second = uncoded[a], uncoded[b]
        out.findings.append(Finding(
            Level.WARNING,
            f"tên '{names[second]}' gần giống '{names[first]}' ở dòng "
            f"{labels[first]}: kiểm tra có phải cùng một đơn vị viết khác nhau không",
            UNIT_NAME, int(labels[second])))
    if len(similar) > _SIMILAR_NAMES_LISTED:
        more = len(similar) - _SIMILAR_NAMES_LISTED
        out.table(f"còn {'ít nhất ' * stopped}{more} cặp tên gần giống khác (chỉ liệt kê "
                  f"{_SIMILAR_NAMES_LISTED} cặp đầu): thêm cột '{UNIT_CODE}' để phân biệt đơn vị",
                  UNIT_NAME, Level.WARNING)


def _check_forms(data: ScoringInput, indicator_set: IndicatorSet, out: Collector) -> None:
    """At most one way to enter an indicator; a group either directly or through its indicators."""
    def entered(role: Role, code: str) -> np.ndarray:
        parsed = data.get(role, code)
        # A cell already reported as unreadable was entered: no second "missing" error for it.
        return (np.zeros(len(data.labels), bool) if parsed is None
                else ~parsed.blank | parsed.unreadable)

    for group in indicator_set.groups:
        via_indicators = np.zeros(len(data.labels), bool)
        for indicator in group.indicators:
            code = indicator.code
            tu, mau = entered(Role.NUMERATOR, code), entered(Role.DENOMINATOR, code)
            out.cells(tu & ~mau, f"{code}/mau",
                      lambda p, c=code: f"có tử số nhưng thiếu mẫu số của {c}")
            out.cells(mau & ~tu, f"{code}/tu",
                      lambda p, c=code: f"có mẫu số nhưng thiếu tử số của {c}")
            forms = (entered(Role.POINTS, code).astype(int) + entered(Role.PERCENT, code)
                     + (tu | mau))
            out.cells(forms > 1, code, lambda p, c=code: (
                f"chỉ số {c} được nhập nhiều cách cùng lúc (điểm, tỷ lệ %, tử số/mẫu số): "
                "chỉ dùng một cách"))
            via_indicators |= forms > 0
            tu_values = data.get(Role.NUMERATOR, code)
            mau_values = data.get(Role.DENOMINATOR, code)
            if tu_values is not None and mau_values is not None:
                with np.errstate(invalid="ignore"):
                    above = tu_values.values > mau_values.values
                out.cells(above, f"{code}/tu", lambda p, c=code, t=tu_values, m=mau_values: (
                    numerator_above_message(t.values[p], m.values[p], c)))
        both = entered(Role.GROUP_POINTS, group.code) & via_indicators
        out.cells(both, group.code, lambda p, g=group: (
            f"nhóm {g.code} được nhập cả điểm nhóm và điểm chỉ số thành phần: chỉ dùng một cách"))


def read_scoring_table(raw: pd.DataFrame, indicator_set: IndicatorSet) -> ScoringInput:
    """Parse and check a raw table (cells as typed; index = row numbers in the sheet or file)."""
    out = Collector(raw.index)
    resolved = _resolve_headers(raw, indicator_set, out)
    by_name = {name: raw.iloc[:, position] for position, name in resolved.items()}
    empty = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    names = texts(by_name.get(UNIT_NAME, empty))
    codes = texts(by_name.get(UNIT_CODE, empty))
    roles = column_roles(indicator_set)
    maxima = {i.code: i.max_points for i in indicator_set.indicators
              if i.rule is not Rule.MONITOR} | {g.code: g.max_points for g in indicator_set.groups}
    with_points = (Role.POINTS, Role.GROUP_POINTS, Role.PUBLISHED)

    columns: dict[tuple[Role, str], ParsedNumbers] = {}
    for name, cells in by_name.items():
        if name not in roles:
            continue
        role, code = roles[name]
        counts = role in (Role.NUMERATOR, Role.DENOMINATOR)
        parsed = parse_numbers(cells, whole=counts, with_decimals=not counts)
        limit = maxima.get(code) if role in with_points else None
        check_values(cells, parsed, name, role, limit, out)
        ceiling = {Role.PERCENT: 100, Role.NUMERATOR: MAX_COUNT,
                   Role.DENOMINATOR: MAX_COUNT}.get(role, limit)
        columns[(role, code)] = without_bad(parsed, ceiling, whole=counts)
    total_cells = by_name.get(PUBLISHED_TOTAL, empty)
    published = parse_numbers(total_cells, with_decimals=True)
    check_values(total_cells, published, PUBLISHED_TOTAL, None, indicator_set.total_max, out)

    data = ScoringInput(raw.index, pd.Series(names, index=raw.index, dtype=object),
                        pd.Series(codes, index=raw.index, dtype=object),
                        pd.Series(texts(by_name.get(UNIT_NOTE, empty)), index=raw.index,
                                  dtype=object),
                        pd.Series(texts(by_name.get(UNIT_KIND, empty)), index=raw.index,
                                  dtype=object),
                        columns, without_bad(published, indicator_set.total_max))
    _check_forms(data, indicator_set, out)
    check_units(names, codes, raw.index, out, UNIT_NAME in by_name)
    data.findings = out.findings
    return data


def texts(cells: pd.Series) -> list[str | None]:
    """Names and codes as stripped text; None where blank. A code typed as 123 reads '123'."""
    if cells.isna().all():  # an absent column: nothing to read
        return [None] * len(cells)
    values = cells.tolist()
    try:
        clean = _CONTROL.search("\n".join(values)) is None  # one search for a column of text
    except TypeError:  # numbers or blanks among the cells
        clean = False
    if clean:
        return [value.strip() or None for value in values]
    return [_text(cell) for cell in values]


# Control characters are noise no file can keep; zero-width characters are invisible, and would
# make "Xã A" and "Xã\u200b A" two units.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
# What a formula that failed shows; openpyxl reads the cached error as this text.
EXCEL_ERRORS = frozenset(("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"))


def _text(cell) -> str | None:
    if isinstance(cell, str):  # control characters (NUL …) are noise no file can keep
        return _CONTROL.sub("", cell).strip() or None
    if cell is None or cell != cell:
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def without_bad(parsed: ParsedNumbers, limit: float | None = None, *,
                whole: bool = False) -> ParsedNumbers:
    """A cell already reported is not scored: it counts as unknown (``unreadable``), never as
    zero, and never as "not applicable" either."""
    with np.errstate(invalid="ignore"):
        bad = parsed.unreadable | (parsed.values < 0)
        if limit is not None:
            bad |= parsed.values > limit + 1e-9
        if whole:
            bad |= np.isfinite(parsed.values) & (parsed.values != np.floor(parsed.values))
    if not bad.any():  # the usual case: nothing copied
        return parsed
    values = np.where(bad, np.nan, parsed.values)
    return ParsedNumbers(values, parsed.blank | bad, bad, parsed.decimals)
