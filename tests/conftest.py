from pathlib import Path

import pandas as pd
import pytest

from xl766.catalog import load_indicator_set

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"


def raw_table(rows: list[dict]) -> pd.DataFrame:
    """Cells as a clerk typed them; index = sheet row numbers (header on row 1)."""
    frame = pd.DataFrame(rows, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame.astype(object).where(frame.notna(), None)


def read_tsv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, sep="\t", dtype=str, keep_default_na=False)


def vn_float(text: str) -> float:
    return float(text.replace(".", "").replace(",", ".").rstrip("%")) if "," in text else float(
        text.rstrip("%"))


@pytest.fixture
def set_2026():
    return load_indicator_set("766-2026")


@pytest.fixture
def dienbien():
    return load_indicator_set("dienbien-459-2023")
