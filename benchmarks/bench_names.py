"""200,000 units named without codes: the similar-name check must stay near-linear and its report
bounded ("Xã số 12345" / "Xã số 12346" and "Tổ dân phố 1…20" are different units, not typos).

Run: python benchmarks/bench_names.py
Baseline in the same run: the same table with a code per unit (then names identify nothing and
no name check runs). Each `xl766 cham-diem` runs in a process of its own: wall time and peak
memory are its own. Targets on a 2-core machine: ≤ 15 s and ≤ 1.5 GB without codes.
"""

from __future__ import annotations

import csv
import string
import subprocess
import sys
import tempfile
from pathlib import Path

from xl766.catalog import load_indicator_set

UNITS = 200_000
PERCENTS = tuple(f"{i.code}%" for i in load_indicator_set("766-2026").indicators)


def _letters(number: int) -> str:
    word = ""
    for _ in range(6):
        number, digit = divmod(number, 26)
        word += string.ascii_lowercase[digit]
    return word


def names(kind: str) -> list[str]:
    if kind == "numbers":
        return [f"Xã số {u}" if u % 2 else f"Tổ dân phố {u % 20 + 1} phường {u // 20}"
                for u in range(UNITS)]
    # letters only; every 100th name is a one-letter typo of the one before it
    words = [_letters(u * 7919) for u in range(UNITS)]
    for u in range(1, UNITS, 100):
        words[u] = words[u - 1][:-1] + ("a" if words[u - 1][-1] != "a" else "b")
    return [f"Xã {w}" for w in words]


def write_table(path: Path, kind: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        coded = kind == "codes"
        writer.writerow(["ten_don_vi", *(["ma_don_vi"] if coded else []), *PERCENTS])
        for unit, name in enumerate(names("numbers" if coded else kind)):
            code = [f"X{unit:06d}"] if coded else []
            writer.writerow([name, *code, *(str((unit * 7 + k) % 101)
                                            for k in range(len(PERCENTS)))])


_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(seconds, peak, done.returncode, (done.stdout + done.stderr).count("gần giống"))
"""


def run(path: Path, *options: str) -> tuple[float, float, int, int]:
    command = [sys.executable, "-m", "xl766", "cham-diem", str(path), "--bo-chi-so", "766-2026",
               *options]
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), int(out[3])


def main() -> None:
    print(f"{UNITS:,} units × {len(PERCENTS)} indicators (targets without codes: ≤ 15 s, "
          "≤ 1,5 GB)")
    with tempfile.TemporaryDirectory() as folder:
        for output, options in (("--json", ("--json",)), ("bảng trên màn hình", ())):
            base = None
            for kind, label in (("codes", "with codes (baseline)"),
                                ("numbers", "names with numbers"),
                                ("typos", "names with 2.000 typo pairs")):
                path = Path(folder) / f"{kind}.csv"
                if not path.exists():
                    write_table(path, kind)
                seconds, mb, code, similar = run(path, *options)
                base = base or seconds
                print(f"  {output:<19} {label:<28} {seconds:6.1f} s ({seconds / base:4.2f}×), "
                      f"peak {mb:6.0f} MB, exit {code}, 'gần giống' lines {similar}")


if __name__ == "__main__":
    main()
