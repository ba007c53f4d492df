"""Everything the report shows, computed once from the inputs: no file is touched here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from xl766.adapters.errors import InputError
from xl766.catalog import IndicatorSet
from xl766.engine import Finding, Level, Scores, score_table
from xl766.engine import narrative as text
from xl766.engine.appendices import Appendix, digitisation, fees
from xl766.engine.periods import (
    OfficeFigures,
    PeriodScores,
    compare,
    office_figures,
    period_scores,
)
from xl766.engine.plans import plan_units, planned
from xl766.engine.scoring import tolerance_text
from xl766.engine.trends import alerts, office_series, unit_series
from xl766.report.inputs import ReportInput
from xl766.report.settings import ReportSettings

ONLINE_PAYMENT = "thanh_toan_truc_tuyen"
PLANNED_UNITS = 200  # the units closest to their next band get a plan in the report
PLANS_IN_TEXT = 10  # and the weakest ten, whose plans the draft words
HEADING, TEXT = "heading", "text"


@dataclass(frozen=True)
class SheetFinding:
    sheet: str
    finding: Finding


@dataclass(frozen=True)
class Trend:
    units: pd.DataFrame  # trends.unit_series
    office: pd.DataFrame  # trends.office_series
    alerts: list[tuple[str, str]]


@dataclass(frozen=True)
class ReportContent:
    settings: ReportSettings
    indicator_set: IndicatorSet
    scores: Scores
    fees: Appendix | None
    digitisation: Appendix | None
    previous: pd.DataFrame | None  # periods.compare(): last period and the changes, by row
    paragraphs: list[tuple[str, str]]  # (HEADING | TEXT, text)
    findings: list[SheetFinding]
    online_target: float | None
    document_word: str = "Báo cáo"  # what the appendices are attached to: the chosen form
    office: OfficeFigures | None = None
    trend: Trend | None = None  # the Theo dõi sheet, when the history has earlier periods
    previous_period: PeriodScores | None = None  # what ``previous`` compares with
    plans: list | None = None  # plans.UnitPlan per unit (input order), band plans for some

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


def _previous_from_file(previous_source: ReportInput, indicator_set: IndicatorSet,
                        collect) -> PeriodScores | None:
    """The previous period's file, scored with its own set (a December under 766-2024, January
    under 766-2026); None when it has errors (collected)."""
    previous_set = (previous_source.indicator_set(previous_source.settings.bo_chi_so)
                    if previous_source.settings.bo_chi_so else indicator_set)
    previous_scores = score_table(previous_source.scores.frame, previous_set)
    errors = [f for f in previous_scores.findings if f.level is Level.ERROR]
    collect(previous_source.scores.sheet + " (kỳ trước)", errors)
    name = previous_source.settings.ten_co_quan or "Cơ quan báo cáo"
    return None if errors else period_scores(previous_scores,
                                             previous_source.settings.ky_bao_cao or "kỳ trước",
                                             office_figures(previous_scores, name))


def assemble(source: ReportInput, indicator_set: IndicatorSet, settings: ReportSettings,
             previous_source: ReportInput | None = None, *,
             previous_period: PeriodScores | None = None,
             history: tuple[PeriodScores, ...] = (),
             renamed: dict[str, list[str]] | None = None) -> ReportContent:
    """Everything the report shows. The period compared with comes from a file
    (``previous_source``) or the history (``previous_period``); ``history`` holds the earlier
    periods, oldest first, for the trends; ``renamed`` maps a unit now to its names then."""
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
        previous_period = _previous_from_file(previous_source, indicator_set, collect)
        if previous_period is None:
            return ReportContent(settings, indicator_set, scores, fee_table, digit_table, None,
                                 [], findings, target)
    if previous_period is not None:
        previous, notes = compare(scores, previous_period, renamed)
        collect(f"Kỳ {previous_period.period}", [Finding(Level.NOTE, n) for n in notes])
        paragraphs += [(HEADING, f"2. Thay đổi so với {_period_words(previous_period.period)}"),
                       *[(TEXT, line) for line in text.changes(scores, previous)]]
    office = office_figures(scores, settings.ten_co_quan or "Cơ quan báo cáo")
    plans = plan_units(scores, ahead=1, only=planned(scores, PLANNED_UNITS, PLANS_IN_TEXT))
    trend = None
    if history:
        units = unit_series(scores, str(settings.period), list(history), renamed)
        trend = Trend(units, office_series(list(history), str(settings.period), office),
                      alerts(scores, previous, units, settings.thresholds()))
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
                         paragraphs, findings, target, office=office, trend=trend,
                         previous_period=previous_period, plans=plans)


def _period_words(period: str) -> str:
    try:
        from xl766.engine.period import Period

        return Period.parse(period).words()
    except ValueError:
        return "kỳ trước"


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
