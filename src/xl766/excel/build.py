"""`xl766 tao-mau`: build the .xlsm template from source, reproducibly, on any OS.

xlwings' standalone quickstart book (from the pinned package) → sheets laid out with openpyxl →
VBA from ``macros/`` plus the generated ``xlwings_udfs`` and description modules, added with
pyOpenVBA → the ribbon part added last by zip surgery (openpyxl drops its relationship).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.adapters.files import check_output, write_atomically
from xl766.catalog import IndicatorSet
from xl766.excel import vba
from xl766.excel.layout import lay_out

# An installed package carries a copy of macros/ (setup.py); a source checkout has its own.
_SHIPPED = Path(__file__).with_name("macros")
MACROS = _SHIPPED if _SHIPPED.is_dir() else Path(__file__).resolve().parents[3] / "macros"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
SAMPLE_MODULE = "Module1"  # the quickstart's demo macro
DOCUMENT_MODULE = "ThisWorkbook"
_FIXED_TIME = datetime(2026, 1, 1)  # same input, same bytes: a rebuild shows no diff
# openpyxl stamps the save time, whatever the book says; its namespaces vary with its version
_MODIFIED = re.compile(rb"(<dcterms:modified\b[^>]*>)[^<]+")
_VB_NAME = re.compile(r'^Attribute VB_Name = "([^"]+)"', re.MULTILINE)


def quickstart_template() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


def read_macros(folder: Path) -> tuple[dict[str, str], str, str]:
    """Standard modules by name, the ThisWorkbook body, the ribbon XML; VBA must be ASCII."""
    if not folder.is_dir():
        raise InputError(f"Không thấy thư mục macros '{folder}': chạy lệnh từ mã nguồn xl766 "
                         "hoặc chỉ rõ --macros.")
    modules = {}
    for path in sorted(folder.glob("*.bas")):
        source = _ascii(path)
        name = _VB_NAME.search(source)
        if not name:
            raise InputError(f"'{path.name}' thiếu dòng Attribute VB_Name.")
        modules[name.group(1)] = source
    return (modules, _ascii(folder / f"{DOCUMENT_MODULE}.cls"),
            (folder / "customUI14.xml").read_text(encoding="utf-8"))


def _ascii(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("ascii").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise InputError(f"'{path.name}' dòng {line}: mã VBA chỉ được dùng ký tự ASCII "
                         "(chữ tiếng Việt viết bằng ChrW).") from None


def _lay_out(indicator_set: IndicatorSet, path: Path, own_set: str | None,
             fill: Callable | None) -> None:
    from openpyxl import load_workbook

    book = load_workbook(quickstart_template(), keep_vba=True)
    lay_out(book, indicator_set, own_set)
    if fill is not None:  # data carried over from an earlier workbook (cap-nhat-mau)
        fill(book)
    # Excel recalculates what changes; a full calculation at every open would start Python.
    book.calculation.fullCalcOnLoad = False
    book.properties.creator = book.properties.lastModifiedBy = "xl766"
    book.properties.created = book.properties.modified = _FIXED_TIME
    book.save(path)


def _add_vba(path: Path, modules: dict[str, str], document_body: str) -> None:
    from pyopenvba import ExcelFile

    workbook = ExcelFile(path)
    project = workbook.vba_project()
    project.delete_module(SAMPLE_MODULE)
    for name, source in modules.items():
        project.add_module(name, source)
    project.add_module(vba.WRAPPER_MODULE, vba.udf_wrappers(path.name))
    project.add_module(vba.DESCRIPTION_MODULE, vba.description_module())
    workbook.set_module(DOCUMENT_MODULE, document_body)
    workbook.save()
    workbook.close()


def _add_ribbon(source: Path, target: Path, ribbon_xml: str) -> None:
    """Copy the package, adding the ribbon part and its package-level relationship; dates are
    fixed (openpyxl stamps the save time) so that the same sources give the same bytes."""
    relationship = (f'<Relationship Id="xl766Ribbon" Type="{RIBBON_RELATIONSHIP}" '
                    f'Target="{RIBBON_PART}"/>')
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>",
                                    relationship.encode() + b"</Relationships>")
            elif item.filename == "docProps/core.xml":
                data = _MODIFIED.sub(
                    rb"\g<1>" + _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            new.writestr(zipfile.ZipInfo(item.filename, _FIXED_TIME.timetuple()[:6]), data,
                         zipfile.ZIP_DEFLATED)
        new.writestr(zipfile.ZipInfo(RIBBON_PART, _FIXED_TIME.timetuple()[:6]),
                     ribbon_xml.encode("utf-8"), zipfile.ZIP_DEFLATED)


def build_template(indicator_set: IndicatorSet, output: Path, *, macros: Path = MACROS,
                   overwrite: bool = False, own_set: str | None = None,
                   inputs: tuple[Path, ...] = (), fill: Callable | None = None) -> None:
    """The .xlsm template; ``own_set``, the file of a set that is not bundled, travels in it;
    ``fill`` writes data into its sheets before the VBA and the ribbon are added."""
    output = Path(output)
    if output.suffix.lower() != ".xlsm":
        raise InputError(f"Tệp mẫu '{output.name}' phải có đuôi .xlsm (có macro).")
    check_output(output, inputs=inputs, overwrite=overwrite)
    modules, document_body, ribbon_xml = read_macros(Path(macros))

    def write(temporary: Path) -> None:
        with tempfile.TemporaryDirectory() as folder:
            # The wrappers name the workbook, so the staged copy carries the output's name.
            staged = Path(folder) / output.name
            _lay_out(indicator_set, staged, own_set, fill)
            _add_vba(staged, modules, document_body)
            _add_ribbon(staged, temporary, ribbon_xml)

    write_atomically(output, write, overwrite=overwrite)

