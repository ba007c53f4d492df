"""The macro path, as far as it runs without Excel: LibreOffice runs the ribbon callbacks of a
test-only copy in which the xlwings VBA (which only Excel can run) is replaced by a stub
RunPython that writes its command into a cell. The assertion is the exact Python command each
button sends."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from pyopenvba import ExcelFile

from conftest import SOFFICE

ROOT = Path(__file__).parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"  # the interpreter that has LibreOffice's uno module
HELPER = Path(__file__).parent / "helpers" / "run_ribbon_macros.py"
STUB = '''Attribute VB_Name = "xlwings"
Public Function RunPython(PythonCommand As String)
    ThisComponent.Sheets.getByIndex(0).getCellRangeByName("Z1").setString(PythonCommand)
End Function
'''
EXCEL_ONLY = ("Dictionary", "xlwings_udfs")  # the rest of xlwings: calls into its DLL
CALLBACKS = ("TaoBaoCao", "KiemTraSoLieu", "LaySoLieuCong", "HuongDan")


def _driver() -> str:
    """LibreOffice has no IRibbonControl type, so it cannot call a callback directly; a Sub
    of its own passes the callback an empty control, as Excel passes one it never reads."""
    lines = ['Attribute VB_Name = "ribbon_driver"']
    for name in CALLBACKS:
        lines += [f"Public Sub Press{name}()", "    Dim control As Object", f"    {name} control",
                  "End Sub"]
    return "\n".join(lines) + "\n"


def _has_uno() -> bool:
    return Path(SYSTEM_PYTHON).exists() and subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


needs_uno = pytest.mark.skipif(
    not (SOFFICE and _has_uno()) and not os.environ.get("XL766_REQUIRE_SOFFICE"),
    reason="LibreOffice with python3-uno not here")


def _stubbed_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "stub.xlsm"
    copy.write_bytes((ROOT / "workbook" / "xl766.xlsm").read_bytes())
    workbook = ExcelFile(copy)
    project = workbook.vba_project()
    for name in ("xlwings", *EXCEL_ONLY):
        project.delete_module(name)
    project.add_module("xlwings", STUB)
    project.add_module("ribbon_driver", _driver())
    workbook.save()
    workbook.close()
    return copy


@needs_uno
def test_ribbon_buttons_send_the_python_commands(tmp_path):
    assert _has_uno(), "XL766_REQUIRE_SOFFICE is set but python3-uno is missing"
    run = subprocess.run([SYSTEM_PYTHON, str(HELPER), str(_stubbed_copy(tmp_path)),
                          str(tmp_path / "profile"), *CALLBACKS],
                         capture_output=True, text=True, timeout=240, check=True)
    results = json.loads(run.stdout.strip().splitlines()[-1])
    assert results["TaoBaoCao"]["command"] == (
        "import xl766.excel.ribbon as ribbon; ribbon.tao_bao_cao()")
    assert results["KiemTraSoLieu"]["command"] == (
        "import xl766.excel.ribbon as ribbon; ribbon.kiem_tra_so_lieu()")
    assert results["LaySoLieuCong"]["command"] == (
        "import xl766.excel.ribbon as ribbon; ribbon.lay_so_lieu_cong()")
    assert results["HuongDan"] == {"command": "", "active_sheet": "Hướng dẫn"}


def test_every_runpython_command_names_a_function_that_exists():
    import importlib
    import re

    source = (ROOT / "macros" / "xl766_ribbon.bas").read_text()
    commands = re.findall(r'RunPython "import ([\w.]+) as (\w+); \2\.(\w+)\(\)"', source)
    assert len(commands) == 3
    for module, _, function in commands:
        assert callable(getattr(importlib.import_module(module), function)), function
