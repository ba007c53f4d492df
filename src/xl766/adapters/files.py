"""Write outputs without ever losing the user's work: atomic replace, no silent overwrite."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
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


_TEMPORARY_PREFIX = "xl766-"
_STALE_AFTER = 6 * 3600  # seconds; the longest run takes minutes


def _remove_stale_temporaries() -> None:
    """Folders a killed run left in the temporary folder (5-30 MB each) go on the next run."""
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{_TEMPORARY_PREFIX}*"):
        try:
            if folder.is_dir() and now - folder.stat().st_mtime > _STALE_AFTER:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def write_atomically(path: Path, write: Callable[[Path], None], *,
                     overwrite: bool = False) -> None:
    """One output written as ``write_outputs`` writes several."""
    write_outputs([(Path(path), write)], overwrite=overwrite)


def write_outputs(outputs: list[tuple[Path, Callable[[Path], None]]], *,
                  overwrite: bool = False) -> None:
    """Each ``write`` fills a file in a private temporary folder; only when every file is
    complete are they copied beside their targets under names of our own and moved in, all or
    none (a report and its Word draft). Without ``overwrite`` a target that appeared during the
    run (another run, a copy) is never replaced. A run killed before the move leaves at most
    the staging files, which the next run removes."""
    _remove_stale_temporaries()
    staged: list[tuple[Path, Path]] = []
    try:
        with tempfile.TemporaryDirectory(prefix=_TEMPORARY_PREFIX) as folder:
            produced = []
            for index, (path, write) in enumerate(outputs):
                produced.append(Path(folder) / f"{index}" / Path(path).name)
                produced[-1].parent.mkdir()
                write(produced[-1])
            for (path, _), made in zip(outputs, produced, strict=True):
                staging = _staging_name(Path(path))
                staging.unlink(missing_ok=True)
                staged.append((staging, Path(path)))
                shutil.copyfile(made, staging)
                os.chmod(staging, _user_mode())
        _move_in(staged, overwrite)
    except InputError:
        raise
    except Exception as error:
        cause = _os_error_in(error)
        if cause is None:
            raise
        name = ", ".join(Path(path).name for path, _ in outputs)
        raise InputError(f"Không ghi được '{name}': {os_error_text(cause)}. Chưa có gì bị ghi "
                         "đè.") from None
    finally:
        for staging, _ in staged:
            staging.unlink(missing_ok=True)


def _os_error_in(error: BaseException) -> OSError | None:
    """The file-system error behind a writer's own exception (XlsxWriter's FileCreateError
    carries it as its argument; others chain it)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OSError):
            return error
        found = next((a for a in getattr(error, "args", ()) if isinstance(a, OSError)), None)
        if found is not None:
            return found
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def _move_in(staged: list[tuple[Path, Path]], overwrite: bool) -> None:
    """Move every staged file to its target, or restore everything as it was."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for staging, path in staged:
            kept = None
            if overwrite and path.exists():  # kept aside until every file is in place
                kept = path.with_name(f".{path.name}.xl766-{os.getpid()}-cu")
                os.replace(path, kept)
            try:
                _place(staging, path)
            except BaseException:
                if kept is not None:
                    os.replace(kept, path)
                raise
            done.append((path, kept))
    except BaseException:
        for path, kept in reversed(done):
            path.unlink(missing_ok=True)
            if kept is not None:
                os.replace(kept, path)
        raise
    for _, kept in done:
        if kept is not None:
            kept.unlink(missing_ok=True)


def _place(staging: Path, path: Path) -> None:
    """Put the staged file at ``path`` only if nothing is there (never replacing a file that
    appeared meanwhile): a hard link where the file system has them, else an exclusive create."""
    try:
        try:
            os.link(staging, path)
            return
        except OSError as error:
            if isinstance(error, FileExistsError) or error.errno not in (
                    errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise
        # FAT/exFAT sticks and some network shares have no hard links
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, _user_mode()))
    except FileExistsError:
        raise InputError(f"Tệp '{path}' vừa được tạo trong lúc chạy (có thể bởi một lần chạy "
                         "khác): không ghi đè. Chạy lại với tên khác hoặc --ghi-de.") from None
    os.replace(staging, path)


def os_error_text(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "tệp đang mở hoặc không có quyền ghi vào thư mục này (đóng tệp, chọn thư mục khác)"
    if error.errno == errno.ENOSPC:
        return "ổ đĩa đã đầy"
    if error.errno == errno.EROFS:
        return "ổ đĩa chỉ đọc"
    return error.strerror or str(error)
