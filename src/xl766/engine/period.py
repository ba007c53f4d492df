"""A reporting period (kỳ báo cáo): a month, a quarter or a year, written 2026-09, 2026-Q3, 2026."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_FORM = re.compile(r"(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])))?")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_YEARS = (2000, 2099)


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2026-09' or '2026-9' (month), '2026-Q3' (quarter), '2026' (year)."""
        match = _FORM.fullmatch(str(text).strip())
        month = int(match.group(2)) if match and match.group(2) else None
        if not match or (month is not None and not 1 <= month <= 12):
            raise ValueError(f"kỳ báo cáo '{text}' phải có dạng YYYY-MM (tháng, vd 2026-09), "
                             "YYYY-Qn (quý, vd 2026-Q3) hoặc YYYY (năm)")
        quarter = int(match.group(3)) if match.group(3) else None
        year = int(match.group(1))
        if not _YEARS[0] <= year <= _YEARS[1]:  # 9999-12 has no following month to end on
            raise ValueError(f"kỳ báo cáo '{text}': năm {year} ngoài khoảng {_YEARS[0]}–"
                             f"{_YEARS[1]}")
        return cls(year, month, quarter)

    def __str__(self) -> str:
        if self.month:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def kind(self) -> str:
        return "month" if self.month else "quarter" if self.quarter else "year"

    @property
    def first_day(self) -> date:
        first_month = self.month or (3 * self.quarter - 2 if self.quarter else 1)
        return date(self.year, first_month, 1)

    @property
    def last_day(self) -> date:
        last_month = self.month or (3 * self.quarter if self.quarter else 12)
        following = date(self.year + last_month // 12, last_month % 12 + 1, 1)
        return following - timedelta(days=1)

    def words(self) -> str:
        """'tháng 9 năm 2026', 'quý III năm 2026', 'năm 2026': as reports name the period."""
        if self.month:
            return f"tháng {self.month} năm {self.year}"
        return f"quý {_ROMAN[self.quarter]} năm {self.year}" if self.quarter else f"năm {self.year}"

    def short(self) -> str:
        """'09/2026', 'quý III/2026', '2026'."""
        if self.month:
            return f"{self.month:02d}/{self.year}"
        return f"quý {_ROMAN[self.quarter]}/{self.year}" if self.quarter else str(self.year)

    def before(self) -> Period:
        """The period just before: the previous month, quarter or year."""
        if self.month:
            return Period(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)
        if self.quarter:
            return Period(self.year - (self.quarter == 1),
                          quarter=4 if self.quarter == 1 else self.quarter - 1)
        return Period(self.year - 1)

    def a_year_before(self) -> Period:
        return Period(self.year - 1, self.month, self.quarter)

    def months(self) -> list[Period]:
        """The months a quarter or a year is made of."""
        first = self.first_day.month
        return [Period(self.year, m) for m in range(first, self.last_day.month + 1)]
