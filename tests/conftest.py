"""Shared fixtures: a scratch copy of data/ that a test may corrupt, and a scratch copy of the
whole project that a test may build."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

import summit_book.tables as tables
from summit_book.paths import SCRATCH_COPY_IGNORE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COPY_IGNORE = shutil.ignore_patterns(*SCRATCH_COPY_IGNORE)


class DataCopy:
    """A copy of data/ that the loader reads instead of the real one."""

    def __init__(self, root: Path):
        self.root = root

    def rows(self, table: str) -> list[dict]:
        with (self.root / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def write(self, table: str, rows: list[dict], fieldnames: list[str] | None = None) -> None:
        fieldnames = fieldnames or list(rows[0].keys())
        with (self.root / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def edit(self, table: str, row_index: int, column: str, value: str) -> dict:
        """Set one cell (row_index counts data rows from 0); return the edited row."""
        rows = self.rows(table)
        rows[row_index][column] = value
        self.write(table, rows)
        return rows[row_index]


def ignore_raw_extracts(folder: str, names: list[str]) -> list[str]:
    """copytree filter: leave out data/raw (the generators' inputs, never read by the loader)."""
    return ["raw"] if Path(folder) == PROJECT_ROOT / "data" else []


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> DataCopy:
    root = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", root, ignore=ignore_raw_extracts)
    monkeypatch.setattr(tables, "DATA_DIR", root)
    monkeypatch.setattr(tables, "DATAPACKAGE_PATH", root / "datapackage.json")
    return DataCopy(root)


@pytest.fixture(scope="session")
def project_copy_factory(tmp_path_factory):
    """Make a fresh copy of the project (without .venv, _build, .git) to build in."""

    def make(name: str) -> Path:
        root = tmp_path_factory.mktemp(name) / "book"
        shutil.copytree(PROJECT_ROOT, root, ignore=COPY_IGNORE)
        return root

    return make


@pytest.fixture(scope="session")
def built_book(project_copy_factory) -> Path:
    """A fresh copy of the project, built as scripts/build does (once per test process)."""
    import sys

    root = project_copy_factory("built")
    result = run_in(root, sys.executable, "-m", "summit_book.build")
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return root


def run_in(root: Path, *command: str, check: bool = False) -> subprocess.CompletedProcess:
    """Run a command in a project copy, with that copy's helper package first on the path."""
    import os

    env = {**os.environ, "PYTHONPATH": str(root), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.run(list(command), cwd=root, env=env, capture_output=True, text=True,
                          check=check)
