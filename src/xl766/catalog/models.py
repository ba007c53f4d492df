"""The shape of an indicator set (Bộ chỉ số): the spec that the engine and the checks follow."""

from __future__ import annotations

import math
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

_SUM_TOLERANCE = 1e-9
_MOST_POINTS = 10_000
_MOST_DECIMALS = 9  # the engine counts points in 10⁻⁹ (xl766.engine.exact)


def _few_decimals(value: float) -> float:
    if round(value, _MOST_DECIMALS) != value:
        raise ValueError(f"số điểm {_text(value)} có quá {_MOST_DECIMALS} chữ số thập phân")
    return value


# A maximum or a threshold: finite, at most 10.000 points, at most 9 decimals.
Points = Annotated[float, Field(ge=0, le=_MOST_POINTS, allow_inf_nan=False),
                   AfterValidator(_few_decimals)]
Percent = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False), AfterValidator(_few_decimals)]


def _text(number: float) -> str:
    return format(number, ".15g").replace(".", ",")


class Provenance(StrEnum):
    """[V] stated by a source; [I] inferred from published figures; [U] unknown, user-supplied."""

    STATED = "V"
    INFERRED = "I"
    UNKNOWN = "U"


class Rule(StrEnum):
    LINEAR = "linear"  # P × R
    TARGET = "target"  # P if R ≥ T else P × R / T
    DIRECT = "direct"  # points entered as they are
    MONITOR = "monitor"  # shown only, 0 points


class ZeroDenominator(StrEnum):
    ZERO = "zero"
    FULL = "full"
    NOT_APPLICABLE = "not_applicable"


class BlankMeans(StrEnum):
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


class ConversionMethod(StrEnum):
    NONE = "none"
    APPLICABLE_MAX = "applicable_max"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _printable(cls, value):
        """Names and sources go into workbooks and Word files, which cannot hold NUL & co."""
        if isinstance(value, str) and (found := _CONTROL.search(value)):
            raise ValueError(f"có ký tự điều khiển U+{ord(found.group()):04X}, không ghi được "
                             "vào Excel hay Word: xoá ký tự đó")
        return value


class Cited(_Strict):
    provenance: Provenance
    source: str = Field(min_length=1)


class Indicator(Cited):
    code: str = Field(pattern=r"^[A-Z]+\.\d+$")
    name: str = Field(min_length=1)
    max_points: Points
    rule: Rule
    target_percent: Percent | None = None
    zero_denominator: ZeroDenominator = ZeroDenominator.ZERO
    # Whether a unit can raise it with its own dossiers (False: the province's to act on, e.g.
    # publishing procedures on time); only these enter a unit's improvement plan.
    actionable: bool = True

    @model_validator(mode="after")
    def _rule_fits(self) -> Indicator:
        if self.rule is Rule.TARGET and self.target_percent is None:
            raise ValueError(f"chỉ số {self.code}: quy tắc 'target' cần 'target_percent'")
        if self.rule is not Rule.TARGET and self.target_percent is not None:
            raise ValueError(f"chỉ số {self.code}: 'target_percent' chỉ dùng với quy tắc 'target'")
        if (self.rule is Rule.MONITOR) != (self.max_points == 0):
            raise ValueError(
                f"chỉ số {self.code}: chỉ số theo dõi ('monitor') có điểm tối đa 0, "
                "các chỉ số khác có điểm tối đa lớn hơn 0"
            )
        return self

    @property
    def takes_ratio(self) -> bool:
        return self.rule in (Rule.LINEAR, Rule.TARGET, Rule.MONITOR)


class Group(_Strict):
    code: str = Field(pattern=r"^[A-Z]+$")
    name: str = Field(min_length=1)
    max_points: Annotated[Points, Field(gt=0)]
    indicators: tuple[Indicator, ...] = ()
    # A group with no indicators is entered as group points; it then cites its own source.
    provenance: Provenance | None = None
    source: str | None = None
    # The template also offers the group's points as one column: the portal publishes only
    # those for most units (DVCTT), so a unit may come with them instead of its indicators.
    points_column: bool = False

    @model_validator(mode="after")
    def _indicators_fit(self) -> Group:
        for indicator in self.indicators:
            if not indicator.code.startswith(self.code + "."):
                raise ValueError(f"mã chỉ số {indicator.code} phải bắt đầu bằng '{self.code}.'")
        if self.indicators:
            total = sum(i.max_points for i in self.indicators)
            if not math.isclose(total, self.max_points, abs_tol=_SUM_TOLERANCE):
                raise ValueError(
                    f"nhóm {self.code}: tổng điểm tối đa các chỉ số là {_text(total)}, "
                    f"khác điểm tối đa của nhóm {_text(self.max_points)}"
                )
        elif self.provenance is None or not self.source:
            raise ValueError(f"nhóm {self.code} không có chỉ số: cần 'provenance' và 'source'")
        return self


class Band(_Strict):
    label: str = Field(min_length=1)
    min_points: Points


class Classification(Cited):
    bands: tuple[Band, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _descending(self) -> Classification:
        mins = [b.min_points for b in self.bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("các mức xếp loại phải xếp theo cận dưới giảm dần, không trùng nhau")
        if mins[-1] != 0:
            raise ValueError("mức xếp loại cuối cùng phải có cận dưới 0")
        labels = [b.label.strip().casefold() for b in self.bands]
        repeated = sorted({b.label for b in self.bands
                           if labels.count(b.label.strip().casefold()) > 1})
        if repeated:
            raise ValueError(f"tên mức xếp loại trùng nhau: {', '.join(repeated)}")
        return self


class Conversion(Cited):
    method: ConversionMethod


class PeriodRule(StrEnum):
    COUNTS = "counts"  # a quarter or a year scored from the months' counts summed
    MEAN_OF_MONTHS = "mean_of_months"  # the mean of the months' converted totals


class Periods(Cited):
    """How a quarter or a year is made from its months (xl766 tong-hop-ky)."""

    rule: PeriodRule


class Blank(Cited):
    means: BlankMeans


class Rounding(Cited):
    """How the official scorer rounds: each indicator's points half-up to this many decimals,
    and a group is the sum of the rounded points."""

    indicator_decimals: Annotated[int, Field(ge=0, le=6)]


class Target(Cited):
    label: str
    percent: Percent


class LegalDocument(_Strict):
    document: str
    date: date
    issuer: str
    title: str


class IndicatorSet(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    name: str
    effective_from: date
    effective_to: date | None = None
    total_max: Annotated[Points, Field(gt=0)]
    legal_basis: tuple[LegalDocument, ...] = Field(min_length=1)
    conversion: Conversion
    blank: Blank
    classification: Classification
    targets: dict[str, Target] = {}
    # None: indicator points keep full precision (a province's set scored by direct entry).
    rounding: Rounding | None = None
    # Biểu 01 prints one column per indicator (a province's own set) or per group (766).
    report_columns: Literal["indicators", "groups"] = "groups"
    # The report's subject ("trích yếu"), {ten_ky} filled in: the wording differs per set.
    subject: str = Field(default="", max_length=300)
    # Indicators whose rates and counts the sub-indicator appendix (Phụ lục) shows.
    headline: tuple[str, ...] = ()
    # How a quarter or a year is made from months; None: the set says nothing (refused).
    periods: Periods | None = None
    groups: tuple[Group, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _groups_fit(self) -> IndicatorSet:
        codes = [g.code for g in self.groups] + [i.code for i in self.indicators]
        duplicated = sorted({c for c in codes if codes.count(c) > 1})
        if duplicated:
            raise ValueError(f"mã trùng nhau: {', '.join(duplicated)}")
        total = sum(g.max_points for g in self.groups)
        if not math.isclose(total, self.total_max, abs_tol=_SUM_TOLERANCE):
            raise ValueError(
                f"tổng điểm tối đa các nhóm là {_text(total)}, khác tổng điểm tối đa "
                f"{_text(self.total_max)}"
            )
        top = max(b.min_points for b in self.classification.bands)
        if top > self.total_max:
            raise ValueError(f"mức xếp loại cao nhất bắt đầu từ {_text(top)} điểm, vượt tổng điểm "
                             f"tối đa {_text(self.total_max)}: không đơn vị nào đạt được")
        unknown = [c for c in self.headline if c not in {i.code for i in self.indicators}]
        if unknown:
            raise ValueError(f"'headline' có mã không phải chỉ số của bộ: {', '.join(unknown)}")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("'effective_to' phải sau 'effective_from'")
        return self

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for g in self.groups for i in g.indicators)

    def group_of(self, indicator_code: str) -> Group:
        return next(g for g in self.groups if any(i.code == indicator_code for i in g.indicators))

    @property
    def indicator_decimals(self) -> int | None:
        return None if self.rounding is None else self.rounding.indicator_decimals

    def band_for(self, points: float) -> str:
        return next(b.label for b in self.classification.bands if points >= b.min_points)
