"""The office's history: every scored period in one SQLite file (standard library; one file to
back up, transactions, no server).

Each record keeps, per unit, the converted total, band, rank and kind, the group points and every
indicator's points, rate and counts; the set as it was scored (its JSON), the source file's name
and sha256, and when. Recording a period again adds a record and marks the earlier one as
replaced: nothing is lost. A write is one transaction, so a killed process leaves the store as
it was; two processes writing at once take turns (``BEGIN IMMEDIATE`` with a wait)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from xl766.adapters.errors import InputError
from xl766.catalog.models import IndicatorSet
from xl766.engine.names import normalise
from xl766.engine.period import Period
from xl766.engine.periods import OfficeFigures, PeriodScores

SCHEMA_VERSION = 1
WAIT_SECONDS = 60
_SCHEMA = """
CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL,
    office_name TEXT NOT NULL,
    period TEXT NOT NULL,
    set_id TEXT NOT NULL,
    set_json TEXT NOT NULL,
    source TEXT,
    source_sha256 TEXT,
    recorded_at TEXT NOT NULL,
    replaced INTEGER NOT NULL DEFAULT 0,
    office_total REAL,
    office_band TEXT,
    office_groups TEXT NOT NULL,
    office_rank INTEGER,
    office_peers INTEGER
);
CREATE INDEX records_by_period ON records (office, period, replaced);
CREATE TABLE units (
    record INTEGER NOT NULL REFERENCES records (id),
    row INTEGER NOT NULL,
    name TEXT, code TEXT, kind TEXT,
    converted REAL, band TEXT, rank INTEGER, kind_rank INTEGER,
    PRIMARY KEY (record, row)
);
CREATE TABLE groups (
    record INTEGER NOT NULL REFERENCES records (id),
    row INTEGER NOT NULL, code TEXT NOT NULL, points REAL, top REAL
);
CREATE TABLE figures (
    record INTEGER NOT NULL REFERENCES records (id),
    row INTEGER NOT NULL, indicator TEXT NOT NULL,
    points REAL, rate REAL, numerator INTEGER, denominator INTEGER
);
"""


def history_file(chosen: str | Path | None = None) -> Path:
    """The history a command uses: the one chosen (--lich-su, Cấu hình lich_su), else
    XL766_LICH_SU when set, else the user's data folder (LOCALAPPDATA on Windows)."""
    if chosen:
        return Path(chosen)
    if os.environ.get("XL766_LICH_SU"):
        return Path(os.environ["XL766_LICH_SU"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "xl766" / "lich-su.sqlite3"


def office_key(name: str) -> str:
    return normalise(name)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class History:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=WAIT_SECONDS, isolation_level=None)
            self.db.execute("PRAGMA synchronous = FULL")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise InputError(f"Tệp lịch sử '{self.path}' do một phiên bản xl766 mới hơn tạo "
                                 f"(dữ liệu phiên bản {version}): cập nhật xl766, hoặc chọn tệp "
                                 "khác bằng --lich-su. Tệp được giữ nguyên.")
            if version == 0:
                self._create()
        except sqlite3.DatabaseError as error:
            raise self._refusal(error) from None
        except OSError as error:
            raise InputError(f"Không mở được tệp lịch sử '{self.path}': {error}") from None

    def _refusal(self, error: Exception) -> InputError:
        if "locked" in str(error) or "busy" in str(error):
            return InputError(f"Tệp lịch sử '{self.path}' đang được một lần chạy khác ghi quá "
                              f"{WAIT_SECONDS} giây: chạy lại sau.")
        return InputError(f"Tệp lịch sử '{self.path}' hỏng hoặc không phải tệp lịch sử của "
                          f"xl766 ({error}): khôi phục bản sao lưu, hoặc chọn tệp khác bằng "
                          "--lich-su. Tệp được giữ nguyên.")

    def _create(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        if self.db.execute("PRAGMA user_version").fetchone()[0] == 0:  # another process won
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def record(self, office: str, scored: PeriodScores, source: Path | None = None) -> int:
        """Add a period; an earlier record of the same office and period is kept, marked as
        replaced. One transaction: all of it or nothing."""
        figures = scored.office
        units = scored.units.assign(**scored.summary[["converted", "band", "rank",
                                                      "kind_rank"]])
        unit_rows = [(row, r["unit"], r["code"], r["kind"], _number(r["converted"]), r["band"],
                      _whole(r["rank"]), _whole(r["kind_rank"]))
                     for row, r in enumerate(units.to_dict("records"))]
        group_rows = []
        for code in scored.groups.columns:
            points = scored.groups[code].to_numpy(float)
            tops = scored.group_max[code].to_numpy(float).tolist()
            group_rows += [(int(row), code, float(points[row]), tops[row])
                           for row in np.flatnonzero(~np.isnan(points))]
        table = scored.figures
        figure_rows = list(zip(table["row"].tolist(), table["indicator"].tolist(),
                               *[[_number(v) for v in table[c].tolist()] for c in ("points",
                                                                                  "rate")],
                               *[[_whole(v) for v in table[c].tolist()] for c in ("numerator",
                                                                                 "denominator")],
                               strict=True))
        try:
            self.db.execute("BEGIN IMMEDIATE")
            key = office_key(office)
            self.db.execute("UPDATE records SET replaced = 1 WHERE office = ? AND period = ?",
                            (key, scored.period))
            cursor = self.db.execute(
                "INSERT INTO records (office, office_name, period, set_id, set_json, source, "
                "source_sha256, recorded_at, office_total, office_band, office_groups, "
                "office_rank, office_peers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, office, scored.period, scored.indicator_set.id,
                 scored.indicator_set.model_dump_json(), source.name if source else None,
                 file_digest(source) if source and source.is_file() else None,
                 datetime.now(UTC).isoformat(timespec="seconds"),
                 figures.total if figures else None, figures.band if figures else None,
                 json.dumps(figures.groups if figures else {}),
                 figures.rank if figures else None, figures.peers if figures else None))
            record = cursor.lastrowid
            self.db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [(record, *row) for row in unit_rows])
            self.db.executemany("INSERT INTO groups VALUES (?, ?, ?, ?, ?)",
                                [(record, *row) for row in group_rows])
            self.db.executemany("INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?)",
                                [(record, *row) for row in figure_rows])
            self.db.execute("COMMIT")
            return record
        except sqlite3.DatabaseError as error:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise self._refusal(error) from None

    def periods(self, office: str | None = None) -> pd.DataFrame:
        """Every record: office, period, set, units, source, sha256, when, replaced."""
        query = ("SELECT office_name AS co_quan, period AS ky, set_id AS bo_chi_so, "
                 "(SELECT COUNT(*) FROM units WHERE record = records.id) AS so_don_vi, "
                 "office_total AS tong_diem_co_quan, source AS tep_nguon, "
                 "source_sha256 AS sha256, recorded_at AS luc_ghi, replaced AS da_thay "
                 "FROM records" + (" WHERE office = ?" if office else "")
                 + " ORDER BY office, period, id")
        try:
            return pd.read_sql_query(query, self.db, params=(office_key(office),) if office
                                     else ())
        except sqlite3.DatabaseError as error:
            raise self._refusal(error) from None

    def units_table(self) -> pd.DataFrame:
        """Every unit of every current record: for a spreadsheet (xl766 lich-su --xuat)."""
        try:
            return pd.read_sql_query(
                "SELECT r.office_name AS co_quan, r.period AS ky, r.set_id AS bo_chi_so, "
                "u.name AS ten_don_vi, u.code AS ma_don_vi, u.kind AS loai_don_vi, "
                "u.converted AS diem, u.band AS xep_loai, u.rank AS xep_hang, "
                "u.kind_rank AS xep_hang_trong_loai FROM units u JOIN records r "
                "ON u.record = r.id WHERE r.replaced = 0 ORDER BY r.office, r.period, u.row",
                self.db)
        except sqlite3.DatabaseError as error:
            raise self._refusal(error) from None

    def earlier(self, office: str, period: Period, most: int) -> list[PeriodScores]:
        """The latest ``most`` periods of the same kind (months for a month) before ``period``,
        oldest first."""
        try:
            names = [row[0] for row in self.db.execute(
                "SELECT DISTINCT period FROM records WHERE office = ? AND replaced = 0",
                (office_key(office),))]
        except sqlite3.DatabaseError as error:
            raise self._refusal(error) from None
        kept = sorted((p for p in map(Period.parse, names)
                       if p.kind == period.kind and p.last_day < period.first_day),
                      key=lambda p: p.first_day)[-most:]
        return [self.load(office, str(p)) for p in kept]

    def load(self, office: str, period: str) -> PeriodScores | None:
        """The latest record of a period, or None."""
        try:
            found = self.db.execute(
                "SELECT id, set_json, office_name, office_total, office_band, office_groups, "
                "office_rank, office_peers FROM records WHERE office = ? AND period = ? AND "
                "replaced = 0",
                (office_key(office), period)).fetchone()
            if found is None:
                return None
            record, set_json, name, total, band, groups, rank, peers = found
            units = pd.read_sql_query("SELECT row, name AS unit, code, kind, converted, band, "
                                      "rank, kind_rank FROM units WHERE record = ? ORDER BY row",
                                      self.db, params=(record,)).set_index("row")
            points = pd.read_sql_query("SELECT row, code, points, top FROM groups WHERE "
                                       "record = ?", self.db, params=(record,))
            figures = pd.read_sql_query("SELECT row, indicator, points, rate, numerator, "
                                        "denominator FROM figures WHERE record = ?", self.db,
                                        params=(record,))
        except sqlite3.DatabaseError as error:
            raise self._refusal(error) from None
        indicator_set = IndicatorSet.model_validate_json(set_json)
        codes = [g.code for g in indicator_set.groups]
        wide = points.pivot(index="row", columns="code") if len(points) else None

        def by_group(column: str) -> pd.DataFrame:
            frame = (wide[column] if wide is not None else pd.DataFrame()).reindex(
                index=units.index, columns=codes)
            return frame.astype(float)

        summary = units[["converted", "band", "rank", "kind_rank"]].astype(
            {"rank": "Int64", "kind_rank": "Int64"})
        summary["band"] = summary["band"].astype(object).where(summary["band"].notna(), None)
        office = OfficeFigures(name, total, band, {c: tuple(v) for c, v in
                                                   json.loads(groups).items()}, rank, peers)
        return PeriodScores(period, indicator_set,
                            units[["unit", "code", "kind"]].astype(object).where(
                                units[["unit", "code", "kind"]].notna(), None),
                            summary, by_group("points"), by_group("top"), figures, office)


def _number(value) -> float | None:
    return None if value is None or value != value else float(value)


def _whole(value) -> int | None:
    return None if value is None or value is pd.NA or value != value else int(value)
