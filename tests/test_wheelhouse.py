"""The Windows wheelhouse: a lock resolved for Windows (not for the Linux machine that builds
it), and an offline check that fails when any pin of it has no Windows 64-bit wheel."""

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
WINDOWS = ROOT / "scripts" / "windows"
LOCK = WINDOWS / "requirements-win_amd64-py311.txt"
spec = importlib.util.spec_from_file_location("check_wheelhouse", WINDOWS / "check_wheelhouse.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


def test_the_lock_has_what_only_windows_needs():
    pinned = check.pins(LOCK)
    # pandas needs tzdata on Windows, xlwings pywin32: a resolver run for Linux drops both
    assert "tzdata" in pinned and "pywin32" in pinned
    assert pinned["xlwings"] == "0.37.8"  # the version the workbook's VBA loads


def test_the_lock_covers_every_dependency_of_the_project():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {check.normalise(dep.split(">")[0].split("=")[0].split("<")[0].split(";")[0])
             for dep in project["dependencies"]}
    assert names <= set(check.pins(LOCK)), names - set(check.pins(LOCK))


def _folder(tmp_path, lock, skip=(), platform="win_amd64", dlls=(32, 64)):
    import zipfile

    for name, version in check.pins(lock).items():
        if name not in skip:
            wheel = tmp_path / f"{name.replace('-', '_')}-{version}-cp311-cp311-{platform}.whl"
            with zipfile.ZipFile(wheel, "w") as package:  # xlwings ships its DLLs as data
                for bits in dlls if name == "xlwings" else ():
                    package.writestr(f"xlwings-{version}.data/data/xlwings{bits}-{version}.dll",
                                     b"")
    (tmp_path / "xl766-0.1.0-py3-none-any.whl").touch()
    return tmp_path


def test_a_complete_wheelhouse_passes(tmp_path, capsys):
    assert check.main([str(LOCK), str(_folder(tmp_path, LOCK))]) == 0
    assert "Đủ" in capsys.readouterr().out


@pytest.mark.parametrize("absent", ["tzdata", "pywin32", "pandas"])
def test_a_missing_wheel_fails_and_is_named(tmp_path, capsys, absent):
    assert check.main([str(LOCK), str(_folder(tmp_path, LOCK, skip={absent}))]) == 1
    err = capsys.readouterr().err
    assert f"{absent}=={check.pins(LOCK)[absent]}" in err


def test_the_xlwings_wheel_must_carry_the_dll_for_32_bit_office(tmp_path, capsys):
    assert check.main([str(LOCK), str(_folder(tmp_path, LOCK, dlls=(64,)))]) == 1
    assert "xlwings32-0.37.8.dll" in capsys.readouterr().err


def test_the_workbook_declares_both_dlls():
    """32-bit Office loads xlwings32-<version>.dll, 64-bit Office xlwings64-…: both are declared
    by the VBA the template carries (Python itself stays 64-bit: it runs out of process)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(ROOT / "workbook" / "xl766.xlsm"))
    source = "\n".join(code for *_, code in parser.extract_macros())
    for bits in (32, 64):
        assert f'Lib "xlwings{bits}-0.37.8.dll"' in source
    assert "#If Win64 Then" in source


def test_wheels_for_another_platform_do_not_count(tmp_path, capsys):
    folder = _folder(tmp_path, LOCK, platform="manylinux_2_17_x86_64")
    assert check.main([str(LOCK), str(folder)]) == 1
    assert "numpy==" in capsys.readouterr().err


def test_tags_python_abi3_and_pure():
    assert check.installable("numpy-2.4.6-cp311-cp311-win_amd64.whl", "3.11")
    assert check.installable("cryptography-44.0-cp39-abi3-win_amd64.whl", "3.11")
    assert not check.installable("numpy-2.4.6-cp312-cp312-win_amd64.whl", "3.11")
    assert not check.installable("pandas-3.1.1-cp311-cp311-win32.whl", "3.11")
    assert check.installable("requests-2.34.2-py3-none-any.whl", "3.11") == ("requests",
                                                                              "2.34.2")


def test_the_installer_replaces_logs_and_waits():
    # Not runnable here (no Windows): its lines are checked instead, and the README's checklist
    # has the matching step for the first PC.
    script = (WINDOWS / "cai-dat.bat").read_text(encoding="ascii")
    lines = [line for line in script.splitlines() if not line.lower().startswith("rem ")]
    install = next(line for line in lines if "pip install" in line)
    assert "--no-index" in install and "--upgrade" in install and "--force-reinstall" in install
    assert "--require-hashes" in install
    assert "-r \"%HERE%wheelhouse\\requirements.txt\"" in install  # exactly the lock
    assert any("venv --clear" in line for line in lines)
    assert all(">> \"%LOG%\"" in line for line in lines if "python.exe\" -" in line)
    exits = [i for i, line in enumerate(lines) if line.strip().startswith("exit /b")]
    assert len(exits) == 2 and all(lines[i - 1].strip() == "pause" for i in exits)
    assert "if not exist \"%TEMPLATES%\\xl766.xlsm\" goto :failed" in script
    # the Python the wheelhouse was made for, not a fixed 3.11
    assert 'set /p PYV=<"%HERE%wheelhouse\\python-version.txt"' in script and "py -%PYV%" in script
    assert "py -3.11" not in script
    # a reinstall never copies over a template in place: the old one is kept, dated
    assert "copy /Y" not in script and 'ren "%TEMPLATES%\\%%~nxf" "%%~nf-%STAMP%%%~xf"' in script
    # macros not blocked: Mark of the Web removed, C:\XL766 a per-user Trusted Location
    assert "Unblock-File" in script and "HKCU\\Software\\Microsoft\\Office" in script
    assert "AllowSubfolders /t REG_DWORD /d 1" in script
    # the way out for last year's workbooks is installed with it (a .bat, not a workbook: the old
    # workbook's VBA loads a DLL the upgrade removed, so its own ribbon cannot run)
    assert 'copy "%HERE%cap-nhat-mau.bat" "%TARGET%\\"' in script


def test_old_workbooks_are_carried_over_by_drag_and_drop():
    text = (WINDOWS / "cap-nhat-mau.bat").read_text(encoding="ascii")
    assert '"%XL766%" cap-nhat-mau "%~1" -o "%~dpn1 (mau moi).xlsm"' in text  # never over the old
    assert "shift" in text and "pause" in text
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "*.bat text eol=crlf" in attributes  # cmd.exe reads it with CRLF line ends


@pytest.mark.parametrize("lock", sorted(WINDOWS.glob("requirements-win_amd64-py3*.txt")))
def test_every_pin_of_the_lock_carries_its_hashes(lock):
    # pip install --require-hashes refuses a wheel that changed between PyPI and the clerk's PC
    blocks = re.split(r"\n(?=\S)", lock.read_text(encoding="utf-8").strip())
    assert len(blocks) == len(check.pins(lock)) >= 20
    assert all(re.search(r"--hash=sha256:[0-9a-f]{64}", block) for block in blocks)
