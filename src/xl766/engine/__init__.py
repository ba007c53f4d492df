"""Pure scoring engine: tables in, tables out. No Excel, no files."""

from xl766.engine.findings import Finding, Level
from xl766.engine.scoring import Scores, score_table

__all__ = ["Finding", "Level", "Scores", "score_table"]
