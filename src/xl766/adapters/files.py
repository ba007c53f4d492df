"""Write outputs without ever losing the user's work: atomic replace, no silent overwrite."""

from __future__ import annotations

import errno
import os
import shutil
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
    if path.is_dir():
        raise InputError(f"'{path}' là một thư mục: ghi tên tệp kết quả, vd {path / 'ket-qua'}"
                         f"{path.suffix or '.xlsx'}.")
    if any(lock.exists() for lock in _lock_files(path)):
        raise InputError(f"Tệp '{path.name}' đang mở trong Excel hoặc LibreOffice: "
                         "đóng tệp rồi chạy lại.")
    if path.exists() and not overwrite:
        raise InputError(f"Tệp '{path}' đã có. Chọn tên khác hoặc thêm --ghi-de để ghi đè.")
    if not path.parent.exists():
        raise InputError(f"Thư mục '{path.parent}' không tồn tại.")


def open_input_note(path: Path) -> str | None:
    """An input open in Excel is read as last saved: say so, unsaved edits are not read."""
    if any(lock.exists() for lock in _lock_files(Path(path))):
        return (f"Tệp '{Path(path).name}' đang mở trong Excel hoặc LibreOffice: xl766 đọc bản đã "
                "lưu gần nhất, các sửa đổi chưa lưu không được tính.")
    return None


def _staging_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.xl766-tmp")


def _user_mode() -> int:
    """The mode a new file of the user gets (0644 under umask 022), not mkstemp's 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """``write`` fills a file in a private temporary folder; the finished file is copied beside
    ``path`` under a name of our own and renamed over it, so only a complete file ever appears
    there. A run killed before the rename leaves at most that staging file, which the next run
    removes."""
    path = Path(path)
    staging = _staging_name(path)
    try:
        staging.unlink(missing_ok=True)
        with tempfile.TemporaryDirectory(prefix="xl766-") as folder:
            produced = Path(folder) / path.name
            write(produced)
            shutil.copyfile(produced, staging)
        os.chmod(staging, _user_mode())
        os.replace(staging, path)
    except OSError as error:
        raise InputError(f"Không ghi được '{path.name}': {_reason(error)}. Chưa có gì bị ghi "
                         "đè.") from None
    finally:
        if staging.exists():
            staging.unlink()


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "tệp đang mở hoặc không có quyền ghi vào thư mục này (đóng tệp, chọn thư mục khác)"
    if error.errno == errno.ENOSPC:
        return "ổ đĩa đã đầy"
    if error.errno == errno.EROFS:
        return "ổ đĩa chỉ đọc"
    return error.strerror or str(error)
