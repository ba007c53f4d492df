"""Engine vs a per-row Python loop on a synthetic national month; CLI wall time 4,000 vs 20 units.

Run: python benchmarks/bench_scoring.py
Prints ratios measured in this run, so they hold on any machine.
"""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from synthetic import national_month
from xl766.adapters.tables import read_table
from xl766.catalog import load_indicator_set
from xl766.catalog.models import Rule
from xl766.engine import score_table

UNITS = 4_100
HERE = Path(__file__).parent


def _official(points: Fraction) -> Fraction:
    """The portal's rounding on the exact value: half-up to 2 decimals, kept exact."""
    return Fraction(math.floor(points * 100 + Fraction(1, 2)), 100)


def per_row_loop(raw, indicator_set):
    """The straightforward way: one Python call per unit and indicator."""
    results = []
    for _, row in raw.iterrows():
        total = Fraction(0)
        for group in indicator_set.groups:
            points = Fraction(0)
            for indicator in group.indicators:
                tu, mau = int(row[f"{indicator.code}/tu"]), int(row[f"{indicator.code}/mau"])
                if mau == 0:
                    full = indicator.zero_denominator == "full"
                    points += Fraction(indicator.max_points) if full else 0
                    continue
                percent = Fraction(tu * 100, mau)
                top = Fraction(indicator.max_points)
                if indicator.rule is Rule.TARGET and percent < indicator.target_percent:
                    points += _official(top * percent / Fraction(indicator.target_percent))
                elif indicator.rule is Rule.TARGET:
                    points += Fraction(indicator.max_points)
                else:
                    points += _official(top * percent / 100)
            total += points
        results.append((row["ten_don_vi"], float(total), indicator_set.band_for(total)))
    ordered = sorted(results, key=lambda r: -r[1])
    ranks, previous = {}, None
    for place, (name, total, _) in enumerate(ordered, start=1):
        ranks[name] = ranks[previous] if previous and total == ordered[place - 2][1] else place
        previous = name
    return results, ranks


def best_of(repeats, action):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def cli_seconds(table, folder: Path, name: str) -> float:
    path = folder / name
    table.to_csv(path, index=False)
    command = [sys.executable, "-m", "xl766.cli", "cham-diem", str(path), "--bo-chi-so",
               "766-2026", "--json"]
    return best_of(3, lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))


_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def timed(*command: str) -> tuple[float, float]:
    """Wall seconds and peak MB of a command in a process of its own."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def measured(path: Path, *options: str) -> tuple[float, float]:
    """Wall seconds and peak MB of one `cham-diem`."""
    return timed(sys.executable, "-m", "xl766", "cham-diem", str(path), "--bo-chi-so",
                 "766-2026", *options)


def _same_as_minimal(path: Path, folder: Path) -> None:
    """The baseline computes what xl766 computes: the same total, band and rank for every unit."""
    import pandas as pd

    ours, theirs = folder / "ours.csv", folder / "theirs.csv"
    subprocess.run([sys.executable, "-m", "xl766", "cham-diem", str(path), "--bo-chi-so",
                    "766-2026", "-o", str(ours), "--csv-may"], check=True,
                   capture_output=True)
    subprocess.run([sys.executable, str(HERE / "minimal_scorer.py"), str(path), "--csv",
                    str(theirs)], check=True)
    a = pd.read_csv(ours).set_index("ten_don_vi")
    b = pd.read_csv(theirs).set_index("ten_don_vi").loc[a.index]
    assert (a["TONG"].round(2) == b["total"]).all() and (a["xep_loai"] == b["band"]).all()
    assert (a["xep_hang"] == b["rank"]).all()


def main() -> None:
    indicator_set = load_indicator_set("766-2026")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national.csv"
        national_month(indicator_set, UNITS).to_csv(path, index=False)
        reading = best_of(3, lambda: read_table(path))
        raw = read_table(path).frame  # what the CLI hands the engine
    scores = score_table(raw, indicator_set)
    loop_results, _ = per_row_loop(raw, indicator_set)
    worst = max(abs(a - b[1]) for a, b in zip(scores.summary["total"], loop_results, strict=True))
    assert worst < 1e-9, f"engine and loop disagree by {worst}"

    engine = best_of(5, lambda: score_table(raw, indicator_set))
    loop = best_of(2, lambda: per_row_loop(raw, indicator_set))
    print(f"{UNITS} units × {len(indicator_set.indicators)} indicators as counts "
          f"(max |engine − loop| = {worst:.1e})")
    print(f"  reading the CSV (adapter):       {reading * 1000:8.1f} ms")
    print(f"  engine (checks + score):         {engine * 1000:8.1f} ms")
    print(f"  per-row Python loop:             {loop * 1000:8.1f} ms")
    print(f"  engine speed-up: {loop / engine:.1f}× (target ≥ 20×)")

    with tempfile.TemporaryDirectory() as folder:
        small = cli_seconds(national_month(indicator_set, 20), Path(folder), "20.csv")
        large = cli_seconds(national_month(indicator_set, 4_000), Path(folder), "4000.csv")
    print(f"  CLI cham-diem --json: 20 units {small:.2f} s, 4,000 units {large:.2f} s, "
          f"ratio {large / small:.2f} (target ≤ 1,5)")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "40000.csv"
        national_month(indicator_set, 40_000).to_csv(path, index=False)
        screen, _ = measured(path)
        json, _ = measured(path, "--json")
        print(f"  40,000 units: screen table {screen:.2f} s, --json {json:.2f} s, "
              f"ratio {screen / json:.2f} (target ≤ 1,1)")
        path = Path(folder) / "400000.csv"
        national_month(indicator_set, 400_000).to_csv(path, index=False)
        seconds, megabytes = measured(path)
        bare, bare_megabytes = timed(sys.executable, str(HERE / "minimal_scorer.py"), str(path))
        _same_as_minimal(path, Path(folder))
        print(f"  400,000 units: screen table {seconds:.1f} s, peak {megabytes:.0f} MB; minimal "
              f"pandas scorer {bare:.1f} s, {bare_megabytes:.0f} MB (same totals, bands and "
              f"ranks): {seconds / bare:.1f}× and {megabytes / bare_megabytes:.1f}× "
              "(targets ≤ 2×, ≤ 800 MB)")


if __name__ == "__main__":
    main()
