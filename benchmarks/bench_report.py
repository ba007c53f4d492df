"""A national-size Biểu 01 (3,321 synthetic communes, 766-2026): the report writer's time and
peak memory next to a naive cell-by-cell openpyxl writer of the same Biểu 01, same run.

Run: python benchmarks/bench_report.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

COMMUNES = 3_321

_CHILD = r"""
import sys, time, resource, tempfile
from pathlib import Path
sys.path.insert(0, {bench!r})
from synthetic import national_month
from xl766.catalog import load_indicator_set
from xl766.report.content import assemble
from xl766.report.inputs import ReportInput
from xl766.adapters.tables import RawTable
from xl766.report.settings import ReportSettings
from xl766.report.workbook import write_report

indicator_set = load_indicator_set("766-2026")
raw = national_month(indicator_set, {units})
folder = Path(tempfile.mkdtemp())
start = time.perf_counter()
settings = ReportSettings(ky_bao_cao="2026-10", bo_chi_so="766-2026")
content = assemble(ReportInput(settings, RawTable(raw, "Nhập liệu"), None, None), indicator_set,
                   settings)
if {mode!r} == "xl766":
    write_report(content, folder / "bao-cao.xlsx")
else:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Font, Side
    book = Workbook()
    sheet = book.active
    thin = Side(style="thin")
    scores = content.scores
    columns = ["unit", *scores.groups.columns, "total", "band", "rank"]
    sheet.append(["STT", *columns])
    for number, label in enumerate(scores.ranking_order(), start=1):
        values = [number, scores.units.at[label, "unit"],
                  *scores.groups.loc[label].tolist(),
                  *[scores.summary.at[label, k] for k in ("total", "band", "rank")]]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=number + 1, column=col)
            cell.value = None if value != value else (int(value) if col == len(values) else value)
            cell.font = Font(name="Times New Roman", size=12)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if col > 2 and col < len(values) - 1:
                cell.number_format = "0.00"
    book.save(folder / "naive.xlsx")
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{elapsed:.3f}} {{peak:.0f}}")
"""


def measure(mode: str) -> tuple[float, float]:
    code = _CHILD.format(bench=str(Path(__file__).parent), units=COMMUNES, mode=mode)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, megabytes = out.stdout.split()
    return float(seconds), float(megabytes)


def main() -> None:
    # Each writer runs in a fresh process, so the two peaks do not mix.
    ours = min((measure("xl766") for _ in range(2)), key=lambda m: m[0])
    naive = min((measure("naive") for _ in range(2)), key=lambda m: m[0])
    print(f"{COMMUNES} communes, 766-2026, Biểu 01 + per-group tables and charts + narrative:")
    print(f"  xl766 report (score + write): {ours[0]:.2f} s, peak {ours[1]:.0f} MB "
          "(targets ≤ 3 s, ≤ 300 MB)")
    print(f"  naive openpyxl Biểu 01 only:  {naive[0]:.2f} s, peak {naive[1]:.0f} MB")
    print(f"  ratio xl766 / naive: {ours[0] / naive[0]:.2f}× time")


if __name__ == "__main__":
    main()
