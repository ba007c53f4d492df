import os
import shutil
import subprocess
import tempfile
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


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    """The command line as a script runs it: (exit code, stdout, stderr); never a traceback."""
    from xl766.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


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


SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    not SOFFICE and not os.environ.get("XL766_REQUIRE_SOFFICE"), reason="LibreOffice not here")


def soffice(tmp_path: Path, *arguments: str) -> None:
    """LibreOffice headless with a private profile (a second, independent reader)."""
    assert SOFFICE, "XL766_REQUIRE_SOFFICE is set but soffice is missing"
    subprocess.run([SOFFICE, "--headless", "--norestore",
                    f"-env:UserInstallation=file://{tmp_path}/profile", *arguments],
                   check=True, capture_output=True, timeout=180)


# fixtures shared by a whole module run before the per-test one below: they too keep their
# history away from the user's data folder
os.environ["XL766_LICH_SU"] = str(Path(tempfile.mkdtemp(prefix="xl766-lich-su-"))
                                  / "lich-su.sqlite3")


@pytest.fixture(autouse=True)
def history_in_tmp(tmp_path_factory, monkeypatch):
    """Each test keeps its own history of periods, beside its files: never the user's data
    folder."""
    folder = tmp_path_factory.mktemp("lich-su")
    monkeypatch.setenv("XL766_LICH_SU", str(folder / "lich-su.sqlite3"))
