"""What the checks and the engine have to say about an input, cell by cell."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


LEVEL_TEXT = {Level.ERROR: "Lỗi", Level.WARNING: "Cảnh báo", Level.NOTE: "Ghi chú"}


@dataclass(frozen=True)
class Finding:
    level: Level
    message: str
    column: str | None = None
    row: int | None = None  # the row's label in the input: its row number in the sheet or file

    def describe(self, sheet: str | None = None) -> str:
        where = []
        if sheet:
            where.append(f"trang '{sheet}'")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột '{self.column}'")
        place = ", ".join(where)
        return f"[{LEVEL_TEXT[self.level]}] {place}: {self.message}" if place else (
            f"[{LEVEL_TEXT[self.level]}] {self.message}")

    def as_dict(self) -> dict:
        return {"level": str(self.level), "column": self.column, "message": self.message}
