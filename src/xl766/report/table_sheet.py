"""A worksheet whose table bodies are written as finished XML rows.

XlsxWriter keeps every cell as a Python object until the workbook closes and then writes it
through a chain of calls, about 5 µs a cell; a national report's tables hold half a million
cells, most of its run. Here a block of columns is turned into the same ``<c>`` elements
XlsxWriter would write (the same attributes, shared strings and number text; a format gets its
style index when the block is written rather than at close, so the numbers may differ: a test
reads both with openpyxl and LibreOffice and compares every cell), joined into one string a
row, and XlsxWriter writes each row's string in its place among the sheet's other cells.
Everything else (headers, merges, charts, conditional formats, page setup) stays XlsxWriter's
own.

Charts take their cached values from XlsxWriter's cells, so a charted range is written cell by
cell, not as a block."""

from __future__ import annotations

import math
from collections.abc import Sequence

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

_MAX_STRING = 32_767  # UTF-16 units a cell holds


class _RowXml:
    """Stands in the block's first column: the block's cells of that row, as XML."""

    __slots__ = ("xml",)

    def __init__(self, xml: str):
        self.xml = xml


class _BlockEnd:
    """Stands in the block's last column, so XlsxWriter's row spans cover the block."""

    __slots__ = ()


_END = _BlockEnd()


def _cell_string(text: str) -> str:
    if len(text) > _MAX_STRING // 2 and len(text.encode("utf-16-le")) > 2 * _MAX_STRING:
        return text.encode("utf-16-le")[:2 * _MAX_STRING].decode("utf-16-le", "ignore")
    return text


class TableSheet(Worksheet):
    def __init__(self):
        super().__init__()
        self._block_columns: dict[int, tuple[int, int]] = {}  # row → the block's columns

    def write_columns(self, first_row: int, first_col: int,
                      columns: Sequence[tuple[Sequence, object]]) -> None:
        """Columns side by side from (first_row, first_col), each (values, format): None is a
        blank cell with the format, text is always a string (never a formula), anything else a
        number."""
        if not columns:
            return
        height = max(len(values) for values, _ in columns)
        if not height:
            return
        last_row, last_col = first_row + height - 1, first_col + len(columns) - 1
        taken = [r for r in range(first_row, last_row + 1) if r in self._block_columns
                 or any(first_col <= c <= last_col for c in self.table.get(r, ()))]
        if taken:
            raise ValueError(f"{self.name}: rows {taken[0] + 1}… already hold cells there")
        if self._check_dimensions(first_row, first_col) or self._check_dimensions(last_row,
                                                                                  last_col):
            raise ValueError(f"{self.name}: a block past the sheet's last row or column")
        rendered = [self._column_xml(first_row, first_col + offset, values, cell_format, height)
                    for offset, (values, cell_format) in enumerate(columns)]
        for row, xml in enumerate(map("".join, zip(*rendered, strict=True)), start=first_row):
            cells = self.table[row]
            cells[first_col] = _RowXml(xml)
            if last_col != first_col:
                cells[last_col] = _END
            self._block_columns[row] = (first_col, last_col)

    def _column_xml(self, first_row: int, col: int, values: Sequence, cell_format,
                    height: int) -> list[str]:
        letters = xl_col_to_name(col)
        style = f' s="{cell_format._get_xf_index()}"' if cell_format is not None else ""
        shared = self.str_table._get_shared_string_index
        out = []
        append = out.append
        for row, value in enumerate(values, start=first_row + 1):
            if value is None:
                append(f'<c r="{letters}{row}"{style}/>' if style else "")
            elif isinstance(value, str):
                append(f'<c r="{letters}{row}"{style} t="s"><v>{shared(_cell_string(value))}'
                       "</v></c>")
            else:
                number = float(value)
                if not math.isfinite(number):
                    raise ValueError(f"{self.name}!{letters}{row}: {number} is not a number "
                                     "a cell can hold")
                append(f'<c r="{letters}{row}"{style}><v>{number:.16G}</v></c>')
        out += [""] * (height - len(out))
        return out

    def _write_rows(self) -> None:
        for row, (first, last) in self._block_columns.items():
            cells = self.table[row]
            inside = {col: cell for col, cell in cells.items() if first <= col <= last}
            expected = {first, last}
            if (type(inside.get(first)) is not _RowXml or inside.keys() != expected
                    or (last != first and inside[last] is not _END)):
                raise ValueError(f"{self.name}: row {row + 1} has cells written over its table "
                                 "block")
        super()._write_rows()

    def _write_cell(self, row: int, col: int, cell) -> None:
        if type(cell) is _RowXml:
            self.fh.write(cell.xml)
        elif cell is not _END:
            super()._write_cell(row, col, cell)
