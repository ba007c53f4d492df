"""`xl766 cai-thien` outputs: the plans as JSON records and as a table (CSV). The command states
the plans' assumption (engine.plans.ASSUMPTION) with every output."""

from __future__ import annotations

import pandas as pd

from xl766.adapters.json_lines import write_records
from xl766.engine.plans import UnitPlan, describe
from xl766.engine.scoring import Scores


def records(scores: Scores, plans: list[UnitPlan]) -> list[dict]:
    """One dict per unit, input order: the contract of `cai-thien --json`."""
    out = []
    for unit, code, plan in zip(scores.units["unit"].tolist(), scores.units["code"].tolist(),
                                plans, strict=True):
        first = plan.plans[0] if plan.plans else None
        out.append({
            "unit": unit, "code": code, "total": plan.total, "band": plan.band,
            "next_band": plan.next_band,
            "next_band_plan": None if first is None else {
                "dossiers": first.dossiers, "total_after": first.total_after,
                "steps": [{"indicator": s.indicator, "dossiers": s.dossiers,
                           "points": s.points} for s in first.steps]},
            "band_after_plan": None if len(plan.plans) < 2 else {
                "band": plan.plans[1].band, "dossiers": plan.plans[1].dossiers,
                "total_after": plan.plans[1].total_after,
                "steps": [{"indicator": s.indicator, "dossiers": s.dossiers,
                           "points": s.points} for s in plan.plans[1].steps]},
            "unreachable": plan.unreachable or None,
            "indicators": [{"indicator": g.indicator, "dossiers_to_max": g.dossiers_to_max,
                            "points_to_max": g.points_to_max,
                            "points_per_dossier": g.points_per_dossier,
                            "actionable": g.actionable} for g in plan.gains],
            "without_counts": plan.without_counts,
        })
    return out


def write_json(scores: Scores, plans: list[UnitPlan], stream) -> None:
    write_records([records(scores, plans)], stream)


def table(scores: Scores, plans: list[UnitPlan]) -> pd.DataFrame:
    """Units by the fewest dossiers to their next band (unreachable and top band last)."""
    names = {i.code: i.name for i in scores.indicator_set.indicators}
    rows = []
    for unit, plan in zip(scores.units["unit"].tolist(), plans, strict=True):
        first = plan.plans[0] if plan.plans else None
        outside = sum(g.points_to_max for g in plan.gains if not g.actionable)
        rows.append({
            "ten_don_vi": unit, "tong_diem": plan.total, "xep_loai": plan.band,
            "loai_ke_tiep": plan.next_band,
            "so_ho_so_can_them": first.dossiers if first else None,
            "tong_diem_sau": first.total_after if first else None,
            "cac_buoc": describe(first, names) if first else (plan.unreachable or None),
            "diem_co_the_tang": round(sum(g.points_to_max for g in plan.gains
                                          if g.actionable), 2) or None,
            "diem_ngoai_tam_don_vi": round(outside, 2) or None,
            "chi_so_can_tu_mau": ", ".join(plan.without_counts) or None,
        })
    frame = pd.DataFrame(rows)
    order = frame["so_ho_so_can_them"].fillna(float("inf")).argsort(kind="stable")
    return frame.iloc[order].reset_index(drop=True)
