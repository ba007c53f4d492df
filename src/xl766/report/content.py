"""Everything the report shows, computed once from the inputs: no file is touched here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from xl766.adapters.errors import InputError
from xl766.catalog import IndicatorSet
from xl766.engine import Finding, Level, Scores, score_table
from xl766.engine import narrative as text
from xl766.engine.appendices import Appendix, digitisation, fees
from xl766.engine.scoring import tolerance_text
from xl766.report.inputs import ReportInput
from xl766.report.settings import ReportSettings

ONLINE_PAYMENT = "thanh_toan_truc_tuyen"
HEADING, TEXT = "heading", "text"


@dataclass(frozen=True)
class SheetFinding:
    sheet: str
    finding: Finding


@dataclass(frozen=True)
class ReportContent:
    settings: ReportSettings
    indicator_set: IndicatorSet
    scores: Scores
    fees: Appendix | None
    digitisation: Appendix | None
    previous: pd.DataFrame | None  # converted, rank last period, by current row label
    paragraphs: list[tuple[str, str]]  # (HEADING | TEXT, text)
    findings: list[SheetFinding]
    online_target: float | None
    document_word: str = "Báo cáo"  # what the appendices are attached to: the chosen form

    @property
    def errors(self) -> list[SheetFinding]:
        return [f for f in self.findings if f.finding.level is Level.ERROR]


def _online_target(settings: ReportSettings, indicator_set: IndicatorSet) -> float | None:
    typed = settings.chi_tieu_thanh_toan_truc_tuyen.strip()
    if typed:
        from xl766.engine.numbers import parse_numbers

        value = parse_numbers(pd.Series([typed.removesuffix("%").strip()], dtype=object)).values[0]
        if not 0 < value <= 100:  # NaN fails too
            raise InputError(f"Cấu hình: chi_tieu_thanh_toan_truc_tuyen '{typed}' phải là tỷ lệ "
                             "phần trăm lớn hơn 0 và không quá 100 (vd 25 hoặc 25%).")
        return float(value)
    target = indicator_set.targets.get(ONLINE_PAYMENT)
    return target.percent if target else None


@dataclass(frozen=True)
class CheckedInput:
    scores: Scores
    fees: Appendix | None
    digitisation: Appendix | None
    findings: list[SheetFinding]


def check_input(source: ReportInput, indicator_set: IndicatorSet) -> CheckedInput:
    """Score every sheet of the input; every finding names its sheet."""
    scores = score_table(source.scores.frame, indicator_set)
    findings = [SheetFinding(source.scores.sheet, f) for f in scores.findings]
    appendices = []
    for table, build in ((source.fees, fees), (source.digitisation, digitisation)):
        if table is not None and table.frame.empty:
            findings.append(SheetFinding(table.sheet, Finding(
                Level.NOTE, "trang chưa có đơn vị nào: báo cáo không có biểu này")))
            table = None
        appendix = build(table.frame) if table is not None else None
        if appendix is not None:
            findings += [SheetFinding(table.sheet, f) for f in appendix.findings]
        appendices.append(appendix)
    return CheckedInput(scores, *appendices, findings)


def assemble(source: ReportInput, indicator_set: IndicatorSet, settings: ReportSettings,
             previous_source: ReportInput | None = None) -> ReportContent:
    checked = check_input(source, indicator_set)
    scores, fee_table, digit_table = checked.scores, checked.fees, checked.digitisation
    findings = list(checked.findings)

    def collect(sheet: str, items) -> None:
        findings.extend(SheetFinding(sheet, f) for f in items)

    target = _online_target(settings, indicator_set)
    if any(f.finding.level is Level.ERROR for f in findings):  # no narrative from bad numbers
        return ReportContent(settings, indicator_set, scores, fee_table, digit_table, None, [],
                             findings, target)
    paragraphs = [(HEADING, f"1. Kết quả đánh giá, xếp loại {settings.period.words()}"),
                  (TEXT, text.classification(scores, settings.doi_tuong)),
                  *[(TEXT, f"- {line}") for line in text.by_kind(scores)],
                  (TEXT, "(Biểu số 01 kèm theo)")]
    previous = None
    if previous_source is not None:
        # each period is scored with its own set (a December under 766-2024, January under 2026)
        previous_set = (previous_source.indicator_set(previous_source.settings.bo_chi_so)
                        if previous_source.settings.bo_chi_so else indicator_set)
        previous_scores = score_table(previous_source.scores.frame, previous_set)
        errors = [f for f in previous_scores.findings if f.level is Level.ERROR]
        collect(previous_source.scores.sheet + " (kỳ trước)", errors)
        if errors:
            return ReportContent(settings, indicator_set, scores, fee_table, digit_table, None,
                                 [], findings, target)
        previous, notes = text.match_previous(scores, previous_scores)
        collect(previous_source.scores.sheet + " (kỳ trước)",
                [Finding(Level.NOTE, n) for n in notes])
        paragraphs += [(HEADING, "2. Thay đổi so với kỳ trước"),
                       *[(TEXT, line) for line in text.changes(scores, previous)]]
    if fee_table is not None and target is not None and "ty_le_truc_tuyen" in fee_table.rows:
        paragraphs += [(HEADING, "Thanh toán trực tuyến"),
                       (TEXT, text.online_payment(fee_table, target)),
                       (TEXT, "(Biểu số 02 kèm theo)")]
    if digit_table is not None and "ty_le_tphs" in digit_table.total:
        paragraphs += [(HEADING, "Số hóa hồ sơ"), (TEXT, text.digitisation(digit_table)),
                       (TEXT, "(Biểu số 03 kèm theo)")]
    if not scores.published.empty:
        paragraphs += [(HEADING, "Đối chiếu với Cổng Dịch vụ công quốc gia"),
                       (TEXT, reconciliation_sentence(scores.reconciliation())),
                       (TEXT, "(Trang Đối chiếu với Cổng kèm theo)")]
    paragraphs += [(HEADING, "Nhóm chỉ số đạt thấp nhất của từng đơn vị (theo tỷ lệ điểm đạt "
                             "trên điểm tối đa áp dụng)"),
                   *[(TEXT, f"- {line}") for line in text.weakest_groups(scores)]]
    return ReportContent(settings, indicator_set, scores, fee_table, digit_table, previous,
                         paragraphs, findings, target)


def reconciliation_sentence(checked: pd.DataFrame) -> str:
    from xl766.engine.numbers import format_number

    differs, unmatched = int(checked["differs"].sum()), int(checked["unmatched"].sum())
    units = checked["row"].nunique()
    text = (f"Tính lại {format_number(len(checked))} điểm chỉ số và điểm nhóm do Cổng DVCQG công "
            f"bố cho {format_number(units)} đơn vị: ")
    allowed = tolerance_text(checked)
    if not differs and not unmatched:
        return text + f"tất cả khớp (chênh lệch không quá {allowed} điểm)."
    return text + (f"{format_number(differs)} điểm chênh quá {allowed}, {format_number(unmatched)} "
                   "điểm chưa tính lại được do thiếu số liệu (chi tiết ở trang Đối chiếu với "
                   "Cổng).")
