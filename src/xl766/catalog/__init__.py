"""Indicator sets as versioned data files (TOML), validated on load."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from xl766.catalog.models import IndicatorSet

__all__ = ["CatalogError", "IndicatorSet", "available_sets", "load_indicator_set"]

EMBEDDED_ORIGIN = "bộ chỉ số lưu trong sổ (trang 'Bộ chỉ số')"

_ERROR_TEXT = {
    "missing": "thiếu khóa bắt buộc",
    "extra_forbidden": "khóa không thuộc mẫu bộ chỉ số",
    "float_parsing": "phải là số",
    "float_type": "phải là số",
    "finite_number": "phải là số hữu hạn",
    "string_type": "phải là chuỗi chữ",
    "date_type": "phải là ngày (YYYY-MM-DD)",
    "date_from_datetime_parsing": "phải là ngày (YYYY-MM-DD)",
    "enum": "giá trị không hợp lệ",
    "greater_than": "phải lớn hơn giới hạn cho phép",
    "greater_than_equal": "không được nhỏ hơn giới hạn cho phép",
    "less_than_equal": "vượt giới hạn cho phép",
    "string_pattern_mismatch": "sai dạng mã",
    "too_short": "không được để trống",
}


class CatalogError(Exception):
    """A set file that cannot be read or does not fit the model; the message is for the user."""


def _sets_folder():
    return resources.files("xl766.catalog") / "sets"


@cache
def available_sets() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in _sets_folder().iterdir()
                  if p.name.endswith(".toml"))


def _describe(error: dict) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]).lstrip(".")
    text = _ERROR_TEXT.get(error["type"])
    if error["type"] == "value_error":
        text = str(error["ctx"]["error"])
    elif text is None:
        text = error["msg"]
    else:
        text = f"{text} ({error['msg']})"
    return f"  - khóa '{where or '(gốc)'}': {text}"


def _parse(text: str, origin: str) -> IndicatorSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"Tệp bộ chỉ số '{origin}' sai cú pháp TOML: {exc}") from None
    try:
        return IndicatorSet.model_validate(data)
    except ValidationError as exc:
        lines = "\n".join(_describe(e) for e in exc.errors())
        raise CatalogError(f"Tệp bộ chỉ số '{origin}' không hợp lệ:\n{lines}") from None


def bundled_text(set_id: str) -> str:
    """A bundled set's file as it ships."""
    return (_sets_folder() / f"{set_id}.toml").read_text(encoding="utf-8")


@cache
def _load_bundled(set_id: str) -> IndicatorSet:
    return _parse(bundled_text(set_id), f"{set_id}.toml")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system, a broken drive: not a set file
        return False


def _own_set(indicator_set: IndicatorSet, origin: str) -> IndicatorSet:
    """A user's set may copy a bundled one, but not keep its id with other content: reports,
    templates and the history name a set by its id, and the bundled one would stand in."""
    if indicator_set.id in available_sets() and indicator_set != _load_bundled(indicator_set.id):
        raise CatalogError(
            f"Tệp bộ chỉ số '{origin}' dùng mã '{indicator_set.id}' của bộ có sẵn nhưng nội dung "
            f"khác: đổi khóa 'id' (ví dụ '{indicator_set.id}-tinh') để hai bộ không lẫn nhau.")
    return indicator_set


def load_indicator_set(reference: str | Path, *, embedded: str | None = None) -> IndicatorSet:
    """Load a bundled set by id (``766-2026``) or a user's own set file by path; ``embedded``,
    the text of a set a workbook carries (a template built from a user's set), answers for its
    own id."""
    reference = str(reference)
    if embedded:
        own = _parse(embedded, EMBEDDED_ORIGIN)
        if own.id == reference.strip():
            return _own_set(own, EMBEDDED_ORIGIN)
    if reference in available_sets():
        return _load_bundled(reference)
    path = Path(reference)
    if path.suffix.lower() == ".toml" or _is_file(path):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogError(f"Không đọc được tệp bộ chỉ số '{path}': {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CatalogError(f"Tệp bộ chỉ số '{path}' không phải UTF-8: lưu lại với mã hoá "
                               "UTF-8 rồi chạy lại.") from None
        return _own_set(_parse(text, str(path)), str(path))
    raise CatalogError(
        f"Không có bộ chỉ số '{reference}'. Các bộ có sẵn: {', '.join(available_sets())}; "
        "hoặc chỉ đường dẫn tới tệp .toml của mình."
    )
