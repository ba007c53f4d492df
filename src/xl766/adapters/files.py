"""Write outputs without ever losing the user's work: atomic replace, no silent overwrite."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from xl766.adapters.errors import InputError


def _lock_files(path: Path) -> list[Path]:
    # Excel keeps "~$name.xlsx" beside an open book; LibreOffice ".~lock.name.xlsx#".
    return [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]


def check_output(path: Path, *, inputs: tuple[Path, ...] = (), overwrite: bool = False) -> None:
    path = Path(path)
    for source in inputs:
        if path.exists() and Path(source).exists() and path.resolve() == Path(source).resolve():
            raise InputError(f"Tệp kết quả '{path.name}' trùng tệp đầu vào: "
                             "chọn tên khác, xl766 không ghi đè số liệu gốc.")
    if any(lock.exists() for lock in _lock_files(path)):
        raise InputError(f"Tệp '{path.name}' đang mở trong Excel hoặc LibreOffice: "
                         "đóng tệp rồi chạy lại.")
    if path.exists() and not overwrite:
        raise InputError(f"Tệp '{path}' đã có. Chọn tên khác hoặc thêm --ghi-de để ghi đè.")
    if not path.parent.exists():
        raise InputError(f"Thư mục '{path.parent}' không tồn tại.")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """``write`` fills a temporary file beside ``path``; only a complete file replaces it."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix,
                                         dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except PermissionError:
        raise InputError(f"Không ghi được '{path.name}': tệp đang mở hoặc không có quyền ghi. "
                         "Đóng tệp rồi chạy lại.") from None
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
