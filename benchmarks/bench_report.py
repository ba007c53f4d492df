"""The national appendix end to end: `xl766 tao-bao-cao` on a filled template of 3,321 communes
(Nhập liệu as counts, Phí, lệ phí, Số hóa) against `anchor_report.py`, a bare script that reads
the same workbook once and writes the same three Biểu sheets and a chart per group with
XlsxWriter. Each run is a process of its own (imports and reading included); best of three.
Ours also checks every cell, writes the narrative, Theo dõi, the plans sheet, the charts sheet
and the Kiểm tra sheet, and records the period in the history; with --van-ban it also fills
the default Word form.

Run: python benchmarks/bench_report.py
Targets: ≤ 0.8× the anchor's time, with and without --van-ban; peak ≤ 1.3× the anchor's.
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
        with_draft = measure(sys.executable, "-m", "xl766", "tao-bao-cao", str(source), "-o",
                             str(Path(folder) / "bao-cao.xlsx"), "--ghi-de", "--lich-su",
                             str(Path(folder) / "lich-su.sqlite3"), "--van-ban",
                             str(Path(folder) / "bao-cao.docx"))
        anchor = measure(sys.executable, str(HERE / "anchor_report.py"), str(source),
                         str(Path(folder) / "anchor.xlsx"))
    print(f"{COMMUNES:,} communes, 766-2026, Biểu 01/02/03, one Biểu nhóm per group, Phụ lục "
          "chỉ tiêu, charts, end to end:")
    for label, (seconds, peak) in (("xl766 tao-bao-cao", ours),
                                   ("  with --van-ban", with_draft), ("anchor script", anchor)):
        print(f"  {label:<20} {seconds:.2f} s, peak {peak:.0f} MB")
    for label, (seconds, peak) in (("tao-bao-cao", ours), ("with --van-ban", with_draft)):
        print(f"  {label}: {seconds / anchor[0]:.2f}× the anchor's time (target ≤ 0.8×), "
              f"{peak / anchor[1]:.2f}× its peak (target ≤ 1.3×)")


if __name__ == "__main__":
    main()
