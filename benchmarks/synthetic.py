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
