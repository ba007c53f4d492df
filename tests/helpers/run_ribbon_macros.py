"""Run the ribbon callbacks of a workbook in LibreOffice over UNO; print what each one did.

Runs under the system Python that has LibreOffice's `uno` module (Debian: python3-uno), not
under the project's interpreter. Usage: run_ribbon_macros.py WORKBOOK PROFILE_DIR CALLBACK...
Prints one JSON object: for each callback, the text the stub RunPython left in Z1 of the first
sheet and the sheet that was active afterwards.
"""

import contextlib
import json
import socket
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

ALWAYS_EXECUTE_NO_WARN = 4
LIBRARY = "VBAProject"  # where LibreOffice puts the macros of an imported VBA project
DRIVER = "ribbon_driver"  # PressX calls callback X as the ribbon would (see test_macros.py)


def _property(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(path: str, profile: str, callbacks: list[str]) -> None:
    port = _free_port()
    office = subprocess.Popen(["soffice", "--headless", "--norestore", "--invisible",
                               f"-env:UserInstallation=file://{profile}",
                               f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                              stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            context = resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            time.sleep(0.25)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                               context)
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(path), "_blank", 0,
        (_property("Hidden", True), _property("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN)))
    results = {}
    try:
        sheets = document.Sheets
        for name in callbacks:
            sheets.getByIndex(0).getCellRangeByName("Z1").setString("")
            document.CurrentController.setActiveSheet(sheets.getByIndex(2))
            script = document.getScriptProvider().getScript(
                f"vnd.sun.star.script:{LIBRARY}.{DRIVER}.Press{name}"
                "?language=Basic&location=document")
            script.invoke((), (), ())
            results[name] = {
                "command": sheets.getByIndex(0).getCellRangeByName("Z1").getString(),
                "active_sheet": document.CurrentController.ActiveSheet.Name}
    finally:
        document.close(True)
        with contextlib.suppress(Exception):  # the office may already be gone
            desktop.terminate()
        office.wait(timeout=60)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
