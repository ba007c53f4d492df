"""Improvement plans at national size: `plan_units` on 3,321 units against scoring the same
table (`score_table`), the baseline measured in the same run; the report's share (the 200 units
nearest their next band and the 10 weakest) and every unit (`xl766 cai-thien`).

Run: python benchmarks/bench_plans.py
"""

from __future__ import annotations

from bench_scoring import best_of
from synthetic import national_month
from xl766.catalog import load_indicator_set
from xl766.engine import score_table
from xl766.engine.plans import plan_units, planned

UNITS = 3_321


def main() -> None:
    indicator_set = load_indicator_set("766-2026")
    table = national_month(indicator_set, UNITS)
    scores = score_table(table, indicator_set)
    scoring = best_of(3, lambda: score_table(table, indicator_set))
    report = best_of(3, lambda: plan_units(scores, 1, planned(scores, 200, 10)))
    everyone = best_of(1, lambda: plan_units(scores))
    plans = plan_units(scores, 1, planned(scores, 200, 10))
    with_plan = sum(1 for p in plans if p.plans)
    print(f"{UNITS:,} units, 766-2026, every indicator as counts:")
    print(f"  score_table (baseline):           {scoring:.2f} s")
    print(f"  plans as the report makes them:   {report:.2f} s  ({report / scoring:.1f}× scoring; "
          f"{with_plan} units with a band plan)")
    print(f"  every unit, two bands (cai-thien): {everyone:.2f} s  ({everyone / scoring:.1f}×)")


if __name__ == "__main__":
    main()
