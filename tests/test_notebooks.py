"""Chapters run as they are from a clone, from any working directory."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from conftest import PROJECT_ROOT


def test_chapter_one_runs_from_another_working_directory(tmp_path):
    notebook = nbformat.read(PROJECT_ROOT / "chapters/01_format.ipynb", as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors
    assert not list(tmp_path.iterdir()), "a chapter must not write into the working directory"
