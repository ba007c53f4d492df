"""Pure scoring engine: tables in, tables out. No Excel, no files.

``Scores`` and ``score_table`` load pandas when first asked for: ``from xl766.engine.findings
import Level`` (the ribbon's first import) stays light."""

from xl766.engine.findings import Finding, Level

__all__ = ["Finding", "Level", "Scores", "score_table"]


def __getattr__(name: str):
    if name in ("Scores", "score_table"):
        from xl766.engine import scoring

        return getattr(scoring, name)
    raise AttributeError(f"module 'xl766.engine' has no attribute {name!r}")
