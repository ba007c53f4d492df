"""Charts for the Word draft, as PNG images (matplotlib, drawn off screen): readable in print,
in black and white too (values written on the bars)."""

from __future__ import annotations

import io

from xl766.engine.numbers import format_number

WIDTH_IN, DPI = 6.3, 200  # 16 cm: the text width of an A4 page with NĐ 30 margins
MOST_BARS = 25  # beyond, a histogram: 3.321 bars are a grey wall


def _figure(height_in: float):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    pyplot.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9})
    return pyplot, *pyplot.subplots(figsize=(WIDTH_IN, height_in), dpi=DPI)


def _png(pyplot, figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    pyplot.close(figure)
    return buffer.getvalue()


def shares(title: str, names: list[str], percents: list[float]) -> bytes:
    """Each unit's share of a group's maximum (%), best first; a histogram for many units."""
    if len(names) > MOST_BARS:
        return _histogram(title, percents)
    pyplot, figure, axes = _figure(0.6 + 0.28 * max(len(names), 3))
    positions = list(range(len(names)))[::-1]
    bars = axes.barh(positions, percents, color="#4472C4", edgecolor="black", linewidth=0.4)
    axes.set_yticks(positions, [_short(n) for n in names])
    axes.set_xlim(0, 112)
    axes.set_xlabel("Tỷ lệ điểm đạt trên điểm tối đa (%)")
    axes.bar_label(bars, [format_number(p, 1) for p in percents], padding=2, fontsize=8)
    axes.set_title(title, fontsize=10, fontweight="bold")
    return _png(pyplot, figure)


def _histogram(title: str, percents: list[float]) -> bytes:
    pyplot, figure, axes = _figure(2.8)
    edges = [0, 50, 60, 70, 80, 90, 100.0001]
    labels = ["< 50%", "50–60%", "60–70%", "70–80%", "80–90%", "90–100%"]
    counts = [sum(lo <= p < hi for p in percents) for lo, hi in zip(edges, edges[1:],
                                                                   strict=False)]
    bars = axes.bar(labels, counts, color="#4472C4", edgecolor="black", linewidth=0.4)
    axes.bar_label(bars, [format_number(c) for c in counts], padding=2, fontsize=8)
    axes.set_ylabel("Số đơn vị")
    axes.set_xlabel("Tỷ lệ điểm đạt trên điểm tối đa của nhóm")
    axes.set_title(title, fontsize=10, fontweight="bold")
    return _png(pyplot, figure)


def bands(title: str, counts: list[tuple[str, int, str]]) -> bytes:
    """Units per band (label, count, colour), unscored states last."""
    pyplot, figure, axes = _figure(2.8)
    labels = [label for label, _, _ in counts]
    bars = axes.bar(labels, [n for _, n, _ in counts], color=[c for _, _, c in counts],
                    edgecolor="black", linewidth=0.4)
    axes.bar_label(bars, [format_number(n) for _, n, _ in counts], padding=2, fontsize=8)
    axes.set_ylabel("Số đơn vị")
    axes.set_title(title, fontsize=10, fontweight="bold")
    axes.tick_params(axis="x", labelsize=8)
    return _png(pyplot, figure)


def _short(name: str, limit: int = 34) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"
