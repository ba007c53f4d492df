"""A synthetic national month: every unit, every 766-2026 indicator entered as counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from xl766.catalog import IndicatorSet


def national_month(indicator_set: IndicatorSet, units: int, seed: int = 766) -> pd.DataFrame:
    """Cells as strings, as a CSV gives them (decimal commas are not needed for counts)."""
    rng = np.random.default_rng(seed)
    columns: dict[str, list] = {
        "ma_don_vi": [f"H{p:02d}.{u:05d}" for p, u in zip(rng.integers(1, 35, units),
                                                          range(units), strict=True)],
        "ten_don_vi": [f"Xã số {u}" for u in range(units)],
    }
    for indicator in indicator_set.indicators:
        denominators = rng.integers(0, 400, units)
        numerators = (denominators * rng.uniform(0.3, 1.0, units)).astype(int)
        columns[f"{indicator.code}/tu"] = numerators.astype(str).tolist()
        columns[f"{indicator.code}/mau"] = denominators.astype(str).tolist()
    frame = pd.DataFrame(columns, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + units)
    return frame


def national_workbook(path, indicator_set: IndicatorSet, units: int, seed: int = 766) -> None:
    """The filled template of a national month, as the CLI reads it: Cấu hình, Nhập liệu (counts),
    Phí, lệ phí and Số hóa; unit codes under 34 provinces (H01.00001 …), numbers as numbers."""
    import xlsxwriter

    from xl766.engine.appendices import DIGITISATION_INPUTS, FEE_INPUTS

    rng = np.random.default_rng(seed)
    scores = national_month(indicator_set, units, seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheets = {
        "Cấu hình": [["khoa", "gia_tri"], ["ky_bao_cao", "2026-10"],
                     ["bo_chi_so", indicator_set.id], ["co_quan_bao_cao", "VĂN PHÒNG CHÍNH PHỦ"],
                     ["ten_co_quan", "Văn phòng Chính phủ"]],
        "Nhập liệu": [list(scores.columns)] + [
            [row[0], row[1], *map(int, row[2:])] for row in scores.itertuples(index=False)],
    }
    names = scores["ten_don_vi"].tolist()
    received = rng.integers(0, 900, units)
    fees = [list(FEE_INPUTS)] + [[*(int(v) for v in rng.integers(0, 60, 2)),
                                  int(rng.integers(0, 90)), int(rng.integers(0, 900_000)),
                                  *(int(v) for v in rng.integers(0, 30, 2)),
                                  int(rng.integers(0, 500_000)), int(rng.integers(0, 40))]
                                 for _ in range(units)]
    digitised = [list(DIGITISATION_INPUTS)] + [
        [int(r), int(r * share), int(r * 0.9), int(r * 0.9 * share)]
        for r, share in zip(received, rng.uniform(0.2, 1, units), strict=True)]
    sheets["Phí, lệ phí"] = [["ten_don_vi", *fees[0]]] + [
        [n, *row] for n, row in zip(names, fees[1:], strict=True)]
    sheets["Số hóa"] = [["ten_don_vi", *digitised[0]]] + [
        [n, *row] for n, row in zip(names, digitised[1:], strict=True)]
    for title, rows in sheets.items():
        sheet = book.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    book.close()
