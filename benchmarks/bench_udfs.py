"""Kết quả for a province (300 units, bộ 766-2026) as Excel would compute it: one CHISO_BANG
call against one CHISO_DIEM call per indicator cell plus CHISO_NHOM/CHISO_TONG/CHISO_XEPLOAI per
unit. Python time only: each single-cell call also costs a COM round trip in Excel, so the real
gap is wider.

Run: python benchmarks/bench_udfs.py
Prints the ratio measured in this run, so it holds on any machine.
"""

from __future__ import annotations

import time

from synthetic import national_month
from xl766.catalog import load_indicator_set
from xl766.engine import score_table
from xl766.excel.udfs import CHISO_BANG, CHISO_DIEM, CHISO_NHOM, CHISO_TONG, CHISO_XEPLOAI

UNITS = 300
SET_ID = "766-2026"


def as_sheet(frame) -> list[list]:
    return [list(frame.columns)] + frame.values.tolist()


def cell_by_cell(frame, indicator_set) -> list:
    bands = []
    for _, row in frame.iterrows():
        groups = []
        for group in indicator_set.groups:
            points = [CHISO_DIEM(i.code, row[f"{i.code}/tu"], row[f"{i.code}/mau"], SET_ID)
                      for i in group.indicators]
            groups.append(CHISO_NHOM(group.code, [points], SET_ID))
        bands.append(CHISO_XEPLOAI(CHISO_TONG([groups], SET_ID), SET_ID))
    return bands


def timed(function, *arguments):
    start = time.perf_counter()
    result = function(*arguments)
    return time.perf_counter() - start, result


def best_of(repeats, function, *arguments) -> float:
    return min(timed(function, *arguments)[0] for _ in range(repeats))


def main() -> None:
    indicator_set = load_indicator_set(SET_ID)
    frame = national_month(indicator_set, UNITS)
    table_time, table = timed(CHISO_BANG, as_sheet(frame), SET_ID)
    cells_time, bands = timed(cell_by_cell, frame, indicator_set)
    band = table[0].index("Xếp loại")
    assert [row[band] for row in table[1:]] == bands, "the two ways must agree"
    calls = UNITS * (len(indicator_set.indicators) + len(indicator_set.groups) + 2)
    print(f"{UNITS} units: CHISO_BANG once {table_time * 1000:.0f} ms; "
          f"{calls} single-cell calls {cells_time:.1f} s; ratio {cells_time / table_time:.0f}x")

    for units in (300, 3_000):  # the table function against the engine it wraps
        raw = national_month(indicator_set, units)
        sheet = as_sheet(raw)
        engine = best_of(5, score_table, raw, indicator_set)
        udf = best_of(5, CHISO_BANG, sheet, SET_ID)
        print(f"{units} units: CHISO_BANG {udf * 1000:.1f} ms, score_table {engine * 1000:.1f} ms,"
              f" ratio {udf / engine:.2f} (target ≤ 1.5)")
    row = frame.iloc[0]
    arguments = [(i.code, row[f"{i.code}/tu"], row[f"{i.code}/mau"]) for i in
                 indicator_set.indicators]
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        for code, numerator, denominator in arguments:
            CHISO_DIEM(code, numerator, denominator, SET_ID)
    each = (time.perf_counter() - start) / (rounds * len(arguments))
    print(f"CHISO_DIEM: {each * 1000:.3f} ms a call (target ≤ 0.2 ms); 10,000 cells ≈ "
          f"{each * 10_000:.1f} s of Python")
    groups = [[float(CHISO_NHOM(g.code, [[float(CHISO_DIEM(i.code, row[f"{i.code}/tu"],
                                                           row[f"{i.code}/mau"], SET_ID))
                                          for i in g.indicators]], SET_ID))
               for g in indicator_set.groups]]
    for name, call in (("CHISO_NHOM", lambda: CHISO_NHOM(indicator_set.groups[0].code,
                                                          [[0.5] * len(indicator_set.groups[0]
                                                                       .indicators)], SET_ID)),
                       ("CHISO_TONG", lambda: CHISO_TONG(groups, SET_ID))):
        assert isinstance(call(), float), call()
        start = time.perf_counter()
        for _ in range(2_000):
            call()
        print(f"{name}: {(time.perf_counter() - start) / 2:.3f} ms a call (target ≤ 0.1 ms)")


if __name__ == "__main__":
    main()
