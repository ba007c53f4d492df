"""`nhap-cong` at national size: 34 provinces in one run (a folder per province) against one
capture holding all their units (the same 5,542 units, one answer per endpoint), and against
34 runs of one province. Both are made from the recorded Phú Thọ Q3/2026 answers: each copy
gets its own province code and its own unit ids. Each run is a process of its own; best of
three.

Run: python benchmarks/bench_import.py
Target: 34 provinces ≤ 1.5× the time of the single 5,542-unit capture.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHU_THO = Path(__file__).parent.parent / "examples" / "cong" / "phu-tho-2026-q3"
PROVINCES = 34
_ID = re.compile(r'("departmentId":\s*")([0-9a-f-]{36})(")')


def _copy_text(text: str, number: int) -> str:
    """Phú Thọ's answer as province ``number``'s: its codes and its unit ids."""
    text = text.replace('"H44', f'"H{number:02d}')
    return _ID.sub(lambda m: f"{m.group(1)}{m.group(2)[:24]}{number:02x}{m.group(2)[26:]}"
                   f"{m.group(3)}", text)


def _write_manifest(folder: Path, manifest: dict) -> None:
    for entry in manifest["captures"]:
        entry["sha256"] = hashlib.sha256((folder / entry["file"]).read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                          encoding="utf-8")


def province(target: Path, number: int) -> None:
    shutil.copytree(PHU_THO, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["captures"]:
        path = target / entry["file"]
        path.write_text(_copy_text(path.read_text(encoding="utf-8"), number), encoding="utf-8")
    _write_manifest(target, manifest)


def one_capture(target: Path) -> int:
    """All provinces' units in one answer per endpoint, on one page."""
    shutil.copytree(PHU_THO, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    units = 0
    for entry in manifest["captures"]:
        path = target / entry["file"]
        original = path.read_text(encoding="utf-8")
        answer = json.loads(original)
        key = "evaluation" if "evaluation" in answer["data"] else "children"
        rows = [row for number in range(1, PROVINCES + 1)
                for row in json.loads(_copy_text(original, number))["data"][key]]
        answer["data"][key] = rows
        if "pagination" in answer["data"]:
            answer["data"]["pagination"].update(total=len(rows), pageSize=len(rows))
            entry["payload"]["pageSize"] = len(rows)
        path.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
        units = max(units, len(rows))
    _write_manifest(target, manifest)
    return units


def best_of_three(*command: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode:
            raise SystemExit(f"{' '.join(command)}\n{done.stderr}")
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for number in range(1, PROVINCES + 1):
            province(base / "ca-nuoc" / f"H{number:02d}", number)
        units = one_capture(base / "mot-lan")
        command = [sys.executable, "-m", "xl766", "nhap-cong"]
        options = ["--csv-may", "--ghi-de", "--khong-luu"]
        national = best_of_three(*command, str(base / "ca-nuoc"), "-o",
                                 str(base / "ca-nuoc.csv"), *options)
        single = best_of_three(*command, str(base / "mot-lan"), "-o",
                               str(base / "mot-lan.csv"), *options)
        one = best_of_three(*command, str(base / "ca-nuoc" / "H01"), "-o",
                            str(base / "H01.csv"), *options)
        rows = [len(Path(base / name).read_text(encoding="utf-8").splitlines()) - 1
                for name in ("ca-nuoc.csv", "mot-lan.csv")]
    print(f"nhap-cong, {PROVINCES} provinces of Phú Thọ's 163 units ({rows[0]:,} and "
          f"{rows[1]:,} units written; the single capture holds {units:,}):")
    print(f"  {PROVINCES} provinces in one run:    {national:.2f} s")
    print(f"  one capture of all units:   {single:.2f} s")
    print(f"  one province:               {one:.2f} s ({PROVINCES} runs ≈ {one * PROVINCES:.1f} s)")
    print(f"  ratio: {national / single:.2f}× the single capture (target ≤ 1.5×); "
          f"{one * PROVINCES / national:.1f}× faster than {PROVINCES} runs")


if __name__ == "__main__":
    main()
