"""Biểu số 02 (fees, online payment) and Biểu số 03 (digitisation): counts in, derived columns and
totals out. Totals of rates are recomputed from summed counts, never averaged."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from xl766.engine.findings import Finding, Level
from xl766.engine.inputs import (
    UNIT_CODE,
    UNIT_NAME,
    Collector,
    Role,
    check_units,
    check_values,
    texts,
)
from xl766.engine.names import normalise
from xl766.engine.numbers import format_number, parse_numbers

FEE_INPUTS = ("chua_tt_so_ho_so", "chua_tt_phi", "truc_tiep_so_ho_so", "truc_tiep_phi",
              "truc_tuyen_so_tthc", "truc_tuyen_so_ho_so", "truc_tuyen_phi", "tong_so_tthc")
# Optional derived columns (the template computes them with formulas): checked, then recomputed.
FEE_PUBLISHED = ("tong_so_ho_so", "tong_phi", "ty_le_truc_tuyen")
DIGITISATION_INPUTS = ("tiep_nhan", "co_so_hoa_tphs", "da_giai_quyet", "co_so_hoa_ket_qua")
DIGITISATION_PUBLISHED = ("chua_so_hoa_tphs", "chua_so_hoa_ket_qua", "ty_le_tphs", "ty_le_ket_qua")
# What a clerk reads over each column in the template; a header may be the label or the key.
COLUMN_LABELS = {
    UNIT_NAME: "Tên đơn vị", UNIT_CODE: "Mã đơn vị",
    "chua_tt_so_ho_so": "Chưa thanh toán: số hồ sơ",
    "chua_tt_phi": "Chưa thanh toán: phí, lệ phí (đồng)",
    "truc_tiep_so_ho_so": "Thanh toán trực tiếp: số hồ sơ",
    "truc_tiep_phi": "Thanh toán trực tiếp: phí, lệ phí (đồng)",
    "truc_tuyen_so_tthc": "Thanh toán trực tuyến: số TTHC",
    "truc_tuyen_so_ho_so": "Thanh toán trực tuyến: số hồ sơ",
    "truc_tuyen_phi": "Thanh toán trực tuyến: phí, lệ phí (đồng)",
    "tong_so_tthc": "Tổng số TTHC", "tong_so_ho_so": "Tổng số hồ sơ",
    "tong_phi": "Tổng phí, lệ phí (đồng)", "ty_le_truc_tuyen": "Tỷ lệ hồ sơ thanh toán trực tuyến",
    "tiep_nhan": "(1) Số hồ sơ tiếp nhận", "co_so_hoa_tphs": "(2) Số hồ sơ có số hóa thành phần",
    "ty_le_tphs": "(3) = (2)/(1) Tỷ lệ số hóa thành phần",
    "chua_so_hoa_tphs": "(5) = (1)-(2) Chưa số hóa thành phần",
    "da_giai_quyet": "(6) Số hồ sơ đã giải quyết",
    "co_so_hoa_ket_qua": "(7) Số hồ sơ có số hóa kết quả",
    "ty_le_ket_qua": "(8) = (7)/(6) Tỷ lệ số hóa kết quả",
    "chua_so_hoa_ket_qua": "(9) = (6)-(7) Chưa số hóa kết quả",
}
_BY_LABEL = {" ".join(label.casefold().split()): key for key, label in COLUMN_LABELS.items()}


def column_key(header: str) -> str:
    """The key of a column headed by its label or by its key."""
    text = str(header).strip()
    return _BY_LABEL.get(" ".join(text.casefold().split()), text)
# A row so named holds the published total, not a unit (Biểu 03 of the sample prints one).
_TOTAL_NAMES = {"tổng số", "tổng", "tổng cộng", "cộng"}


@dataclass(frozen=True)
class Appendix:
    """Rows per unit (input order) with derived columns, the recomputed total row, findings."""

    rows: pd.DataFrame  # ten_don_vi, ma_don_vi, inputs, derived columns
    total: pd.Series  # sums of counts; rates recomputed from those sums
    published_total: pd.Series | None  # a "TỔNG SỐ" row of the input, when it has one
    findings: tuple[Finding, ...]


def _read_counts(raw: pd.DataFrame, required: tuple[str, ...], optional: tuple[str, ...]):
    out = Collector(raw.index)
    known = {UNIT_NAME, UNIT_CODE, *required, *optional}
    headers: dict[str, int] = {}  # key → position of its first column
    shown: dict[str, str] = {}  # key → the header as the sheet writes it, for messages
    for position, header in enumerate(raw.columns):
        text = str(header).strip()
        name = column_key(text)
        if not name:
            continue
        if name not in known:
            out.table(f"cột '{name}' không thuộc biểu này (các cột: {', '.join(sorted(known))})",
                      name)
        elif name in headers:
            out.table(f"cột '{text}' xuất hiện nhiều lần", text)
        else:
            headers[name], shown[name] = position, text
    for name in (UNIT_NAME, *required):
        if name not in headers:
            out.table(f"thiếu cột bắt buộc '{name}'", name)
    names = (texts(raw.iloc[:, headers[UNIT_NAME]]) if UNIT_NAME in headers
             else [None] * len(raw))
    codes = (texts(raw.iloc[:, headers[UNIT_CODE]]) if UNIT_CODE in headers
             else [None] * len(raw))
    is_total = np.array([bool(n) and normalise(n) in _TOTAL_NAMES for n in names], dtype=bool)
    values = {}
    for name in (*required, *optional):
        if name not in headers:
            continue
        cells = raw.iloc[:, headers[name]]
        if name in optional:  # derived and recomputed: a formula not yet calculated is no value
            cells = cells.map(lambda v: None if isinstance(v, str) and v.startswith("=") else v)
        parsed = parse_numbers(cells, whole=True, dash_is_zero=True)
        counted = not (name.endswith("phi") or name.startswith("ty_le"))
        check_values(cells, parsed, shown[name], Role.NUMERATOR if counted else None, None,
                     out)
        out.cells(~is_total & parsed.blank & (name in required), shown[name],
                  lambda p: "thiếu số liệu (để 0 nếu không phát sinh)")
        values[name] = np.where(parsed.unreadable, np.nan, parsed.values)
    units = pd.DataFrame({UNIT_NAME: names, UNIT_CODE: codes}, index=raw.index)
    listed = ~is_total
    units_only = Collector(raw.index[listed])
    check_units([n for n, keep in zip(names, listed, strict=True) if keep],
                [c for c, keep in zip(codes, listed, strict=True) if keep], raw.index[listed],
                units_only, UNIT_NAME in headers)
    out.findings += units_only.findings
    frame = pd.concat([units, pd.DataFrame(values, index=raw.index)], axis=1)
    return frame[~is_total], (frame[is_total].iloc[0] if is_total.any() else None), out


def _compare_published(frame: pd.DataFrame, derived: dict[str, np.ndarray],
                       labels: dict[str, str], out: Collector) -> None:
    """Where the input also gives a derived column, it must agree with the counts. A count
    within 0.5; a rate (a fraction, shown as a percent) within half of 0.01%."""
    for column, label in labels.items():
        if column not in frame:
            continue
        given = frame[column].to_numpy(float)
        rate = column.startswith("ty_le")
        with np.errstate(invalid="ignore"):
            differs = ~np.isnan(given) & (np.abs(given - derived[column]) >
                                          (0.00005 if rate else 0.5))
        shown = (lambda v: f"{format_number(v * 100, 2)}%") if rate else format_number
        out.cells(differs, column, lambda p, g=given, d=derived[column], lbl=label, f=shown: (
            f"{lbl} nhập {f(g[p])} khác {f(d[p])} tính từ các cột thành phần"), Level.WARNING)


def _check_published_total(total: pd.Series, published: pd.Series | None, label: int,
                           columns: tuple[str, ...], out: Collector) -> None:
    if published is None:
        return
    for column in columns:
        if column in published and not np.isnan(published[column]) and (
                abs(published[column] - total[column]) > 0.5):
            out.findings.append(Finding(
                Level.WARNING,
                f"dòng tổng in sẵn ghi {format_number(published[column])} nhưng tổng các đơn vị "
                f"được liệt kê là {format_number(total[column])}: tổng in sẵn có thể gồm cả đơn vị "
                "không có trong biểu; báo cáo dùng tổng tính lại",
                column, int(label)))


def rate(numerator, denominator):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def fees(raw: pd.DataFrame) -> Appendix:
    """Biểu 02: Tổng số hồ sơ = chưa thanh toán + trực tiếp + trực tuyến; Tổng phí likewise."""
    frame, published, out = _read_counts(raw, FEE_INPUTS, FEE_PUBLISHED)
    frame = frame.copy()
    counts = ["chua_tt_so_ho_so", "truc_tiep_so_ho_so", "truc_tuyen_so_ho_so"]
    charges = ["chua_tt_phi", "truc_tiep_phi", "truc_tuyen_phi"]
    if all(c in frame for c in FEE_INPUTS):
        derived = {"tong_so_ho_so": frame[counts].sum(axis=1, min_count=3).to_numpy(float),
                   "tong_phi": frame[charges].sum(axis=1, min_count=3).to_numpy(float)}
        derived["ty_le_truc_tuyen"] = rate(frame["truc_tuyen_so_ho_so"].to_numpy(float),
                                            derived["tong_so_ho_so"])
        _compare_published(frame, derived, {"tong_so_ho_so": "tổng số hồ sơ",
                                            "tong_phi": "tổng phí",
                                            "ty_le_truc_tuyen": "tỷ lệ thanh toán trực tuyến"},
                           out)
        for column, values in derived.items():
            frame[column] = values
    total = frame.drop(columns=[UNIT_NAME, UNIT_CODE]).sum(min_count=1)
    if "tong_so_ho_so" in total:
        total["ty_le_truc_tuyen"] = rate(total["truc_tuyen_so_ho_so"], total["tong_so_ho_so"])
    _check_published_total(total, published, published.name if published is not None else 0,
                           ("tong_so_ho_so", "tong_phi"), out)
    return Appendix(frame, total, published, tuple(out.findings))


def digitisation(raw: pd.DataFrame) -> Appendix:
    """Biểu 03: (5) = (1) − (2), (9) = (6) − (7), (3) = (2)/(1), (8) = (7)/(6)."""
    frame, published, out = _read_counts(raw, DIGITISATION_INPUTS, DIGITISATION_PUBLISHED)
    frame = frame.copy()
    if all(c in frame for c in DIGITISATION_INPUTS):
        pairs = (("co_so_hoa_tphs", "tiep_nhan", "số hồ sơ tiếp nhận"),
                 ("co_so_hoa_ket_qua", "da_giai_quyet", "số hồ sơ đã giải quyết"))
        for part, whole, label in pairs:
            with np.errstate(invalid="ignore"):
                above = frame[part].to_numpy(float) > frame[whole].to_numpy(float)
            out.cells(above, part, lambda p, lbl=label: f"lớn hơn {lbl}")
        column = {name: frame[name].to_numpy(float) for name in DIGITISATION_INPUTS}
        derived = {
            "chua_so_hoa_tphs": column["tiep_nhan"] - column["co_so_hoa_tphs"],
            "chua_so_hoa_ket_qua": column["da_giai_quyet"] - column["co_so_hoa_ket_qua"],
            "ty_le_tphs": rate(column["co_so_hoa_tphs"], column["tiep_nhan"]),
            "ty_le_ket_qua": rate(column["co_so_hoa_ket_qua"], column["da_giai_quyet"])}
        _compare_published(frame, derived, {
            "chua_so_hoa_tphs": "số hồ sơ chưa số hóa TPHS",
            "chua_so_hoa_ket_qua": "số hồ sơ chưa số hóa kết quả",
            "ty_le_tphs": "tỷ lệ số hóa TPHS", "ty_le_ket_qua": "tỷ lệ số hóa kết quả"}, out)
        for name, values in derived.items():
            frame[name] = values
    total = frame.drop(columns=[UNIT_NAME, UNIT_CODE]).sum(min_count=1)
    if "ty_le_tphs" in total:
        total["ty_le_tphs"] = rate(total["co_so_hoa_tphs"], total["tiep_nhan"])
        total["ty_le_ket_qua"] = rate(total["co_so_hoa_ket_qua"], total["da_giai_quyet"])
    _check_published_total(total, published, published.name if published is not None else 0,
                           (*DIGITISATION_INPUTS, "chua_so_hoa_tphs", "chua_so_hoa_ket_qua"), out)
    return Appendix(frame, total, published, tuple(out.findings))
