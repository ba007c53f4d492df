"""Check, offline, that a wheelhouse holds a Windows 64-bit wheel for every pin of the lock and
for xl766 itself, and that its xlwings wheel carries both DLLs the workbook's VBA may load
(xlwings64-<version>.dll for 64-bit Office, xlwings32-<version>.dll for 32-bit Office: Python
runs out of process, so 64-bit Python serves either); exit 1 naming what is missing. Standard
library only.

    python3 scripts/windows/check_wheelhouse.py LOCK FOLDER [--python 3.11]
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from pathlib import Path

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> dict[str, str]:
    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line.strip())
        if match:
            found[normalise(match.group(1))] = match.group(2)
    return found


def installable(wheel: str, python: str) -> tuple[str, str] | None:
    """(name, version) of a wheel that installs on CPython ``python`` for Windows 64-bit."""
    parts = wheel.removesuffix(".whl").split("-")
    if len(parts) not in (5, 6):
        return None
    name, version, python_tags, abi_tags, platform_tags = parts[0], parts[1], *parts[-3:]
    major_minor = python.replace(".", "")
    python_ok = any(tag in (f"cp{major_minor}", "py3", f"py{major_minor}") or
                    (tag.startswith("cp3") and "abi3" in abi_tags and
                     int(tag[3:] or 0) <= int(major_minor[1:]))
                    for tag in python_tags.split("."))
    platform_ok = any(tag in ("any", "win_amd64") for tag in platform_tags.split("."))
    return (normalise(name), version) if python_ok and platform_ok else None


def missing(lock: Path, folder: Path, python: str) -> list[str]:
    available = {found for wheel in folder.glob("*.whl")
                 if (found := installable(wheel.name, python))}
    needed = [f"{name}=={version}" for name, version in pins(lock).items()
              if (name, version) not in available]
    if not any(name == "xl766" for name, _ in available):
        needed.append("xl766")
    return needed


def missing_dlls(folder: Path, version: str) -> list[str]:
    """The xlwings DLLs for 32- and 64-bit Office that the xlwings wheel lacks."""
    wanted = [f"xlwings32-{version}.dll", f"xlwings64-{version}.dll"]
    for wheel in folder.glob(f"xlwings-{version}-*.whl"):
        with zipfile.ZipFile(wheel) as package:
            names = {Path(name).name for name in package.namelist()}
        return [dll for dll in wanted if dll not in names]
    return []  # no xlwings wheel: missing() names it


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("lock", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--python", default="3.11")
    args = parser.parse_args(argv)
    absent = missing(args.lock, args.folder, args.python)
    absent += missing_dlls(args.folder, pins(args.lock).get("xlwings", ""))
    if absent:
        print(f"Thư mục {args.folder} thiếu {len(absent)} gói cho Windows 64-bit, Python "
              f"{args.python}: {', '.join(absent)}", file=sys.stderr)
        return 1
    print(f"Đủ {len(pins(args.lock)) + 1} gói cho Windows 64-bit, Python {args.python}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
