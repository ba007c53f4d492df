"""Several provinces in one run: a folder holding one capture folder per province (each with its
manifest.json), imported into one table. Each province is read and keyed on its own, so a
province's units are never mixed with another's (departmentId repeats across provinces)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from xl766.catalog.models import IndicatorSet
from xl766.engine.findings import Level
from xl766.engine.period import Period
from xl766.portal.answers import MANIFEST, Capture, Problem, read_answers
from xl766.portal.mapping import load_mapping
from xl766.portal.table import portal_table


def province_folders(paths: list[Path]) -> list[Path] | None:
    """The provinces of a national capture: one folder given, with no answer of its own and a
    capture folder (manifest.json) per province; None for a capture of one province."""
    if len(paths) != 1 or not paths[0].is_dir() or any(paths[0].glob("*.json")):
        return None
    folders = sorted(p for p in paths[0].iterdir()
                     if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).is_file())
    return folders or None


def national_table(folders: list[Path], indicator_set: IndicatorSet, period: Period | None
                   ) -> tuple[pd.DataFrame, list[Problem], list[Capture]]:
    """Every province's table, one after the other; each problem names its province's folder."""
    mapping = load_mapping()
    tables, problems, captures = [], [], []
    for folder in folders:
        capture = read_answers([folder], period, mapping)
        captures.append(capture)
        found = list(capture.problems)
        if not capture.has_errors:
            table, more = portal_table(capture, indicator_set, mapping=mapping)
            tables.append(table)
            found += more
        problems += [replace(p, message=f"tỉnh '{folder.name}': {p.message}") for p in found]
    periods = {str(c.period) for c in captures if c.period is not None}
    if len(periods) > 1:
        problems.append(Problem(Level.ERROR, "các tỉnh thuộc nhiều kỳ khác nhau "
                                f"({', '.join(sorted(periods))}): mỗi lần chỉ nhập một kỳ"))
    columns = list(dict.fromkeys(c for t in tables for c in t.columns))
    table = (pd.concat([t.reindex(columns=columns) for t in tables], ignore_index=True)
             if tables else pd.DataFrame())
    return table.astype(object).where(table.notna(), None), problems, captures
