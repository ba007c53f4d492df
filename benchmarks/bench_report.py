"""The national appendix end to end: `xl766 tao-bao-cao` on a filled template of 3,321 communes
(Nhập liệu as counts, Phí, lệ phí, Số hóa) against `anchor_report.py`, a bare script that reads
the same workbook once and writes the same three Biểu sheets and a chart per group with
XlsxWriter. Each run is a process of its own (imports and reading included); best of three.

Run: python benchmarks/bench_report.py
Targets: ≤ 1.3× the anchor, ≤ 200 MB peak.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from synthetic import national_workbook
from xl766.catalog import load_indicator_set

COMMUNES = 3_321
HERE = Path(__file__).parent

_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def measure(*command: str) -> tuple[float, float]:
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True,
                             text=True, check=True).stdout.split()
        runs.append((float(out[0]), float(out[1])))
    return min(runs)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "quoc-gia.xlsx"
        national_workbook(source, load_indicator_set("766-2026"), COMMUNES)
        # the history is recorded, as every real run does, but in the temporary folder
        ours = measure(sys.executable, "-m", "xl766", "tao-bao-cao", str(source), "-o",
                       str(Path(folder) / "bao-cao.xlsx"), "--ghi-de", "--lich-su",
                       str(Path(folder) / "lich-su.sqlite3"))
        anchor = measure(sys.executable, str(HERE / "anchor_report.py"), str(source),
                         str(Path(folder) / "anchor.xlsx"))
    print(f"{COMMUNES:,} communes, 766-2026, Biểu 01/02/03, one Biểu nhóm per group, charts, "
          "end to end:")
    print(f"  xl766 tao-bao-cao:  {ours[0]:.2f} s, peak {ours[1]:.0f} MB (target ≤ 200 MB)")
    print(f"  anchor script:      {anchor[0]:.2f} s, peak {anchor[1]:.0f} MB")
    print(f"  ratio: {ours[0] / anchor[0]:.2f}× (target ≤ 1.3×)")


if __name__ == "__main__":
    main()
