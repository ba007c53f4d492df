"""The baseline for `cham-diem` at national scale: the least a pandas script can do to score a
766-2026 table of counts — read the CSV, points per indicator half-up to 2 decimals in integer
arithmetic, groups, total, band, rank — and print the ranking. No checks, no messages.

Run: python benchmarks/minimal_scorer.py TABLE.csv [--csv OUT.csv]
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from xl766.catalog import load_indicator_set
from xl766.catalog.models import Rule


def score(table: pd.DataFrame) -> pd.DataFrame:
    indicator_set = load_indicator_set("766-2026")
    total = np.zeros(len(table), dtype=np.int64)  # in hundredths of a point
    for indicator in indicator_set.indicators:
        tu = table[f"{indicator.code}/tu"].to_numpy(np.int64)
        mau = table[f"{indicator.code}/mau"].to_numpy(np.int64)
        top = round(indicator.max_points * 100)
        if indicator.rule is Rule.TARGET:  # full from the target, in proportion below it
            target = round(indicator.target_percent)
            reached = tu * 100 >= mau * target
            points = np.where(reached, top, (2 * tu * top * 100 + mau * target)
                              // np.maximum(2 * mau * target, 1))
        else:
            points = (2 * tu * top + mau) // np.maximum(2 * mau, 1)
        nothing = 0 if indicator.zero_denominator.value == "zero" else top
        total += np.where(mau == 0, nothing, points)
    bands = indicator_set.classification.bands
    band = np.select([total >= round(b.min_points * 100) for b in bands],
                     [b.label for b in bands], default="")
    out = pd.DataFrame({"ten_don_vi": table["ten_don_vi"], "total": total / 100, "band": band})
    out["rank"] = out["total"].rank(method="min", ascending=False).astype(int)
    return out.sort_values(["rank", "ten_don_vi"], kind="stable")


def main(argv: list[str]) -> None:
    scored = score(pd.read_csv(argv[0]))
    if "--csv" in argv:
        scored.to_csv(argv[argv.index("--csv") + 1], index=False)
        return
    lines = [f"{r:>4}  {n:<30} {t:>7.2f}  {b}" for r, n, t, b in zip(
        scored["rank"], scored["ten_don_vi"], scored["total"], scored["band"], strict=True)]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
