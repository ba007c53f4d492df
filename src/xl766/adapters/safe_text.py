"""Text from data must never turn into a formula in a file we write."""

_FORMULA_STARTS = ("=", "+", "-", "@")


def starts_like_formula(text: str) -> bool:
    return text.lstrip().startswith(_FORMULA_STARTS)


def csv_safe(value):
    """Spreadsheets evaluate '=…', '+…', '-…', '@…' in CSV; a leading apostrophe keeps it text."""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value


def set_text(cell, value) -> None:
    """Put data into an openpyxl cell; a string stays a string even if it starts with '='."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
