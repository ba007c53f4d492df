"""Multi-level table headers from a tree: parents merge across their children, leaves merge down
to the last header row. Data cells are never merged."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Leaf:
    label: str
    key: str  # which value goes in the column
    number_format: str | None = None  # None: text
    width: float = 10
    wrap: bool = False  # long text wraps inside the column


@dataclass(frozen=True)
class Head:
    label: str
    children: tuple = field(default_factory=tuple)


def depth(nodes) -> int:
    return max((1 + depth(n.children) if isinstance(n, Head) else 1) for n in nodes)


def leaves(nodes) -> list[Leaf]:
    out = []
    for node in nodes:
        out.extend(leaves(node.children) if isinstance(node, Head) else [node])
    return out


def header_cells(nodes, top: int) -> list[tuple[int, int, int, int, str]]:
    """(first_row, first_col, last_row, last_col, label) for every header cell."""
    bottom = top + depth(nodes) - 1
    cells = []

    def place(items, row: int, col: int) -> int:
        for node in items:
            if isinstance(node, Head):
                width = len(leaves(node.children))
                cells.append((row, col, row, col + width - 1, node.label))
                place(node.children, row + 1, col)
                col += width
            else:
                cells.append((row, col, bottom, col, node.label))
                col += 1
        return col

    place(nodes, top, 0)
    return cells
