"""nbval really guards the numbers: a glued value edited in a committed output fails it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import PROJECT_ROOT

GLUE_MIME = "application/papermill.record/text/plain"


def glued_outputs(notebook: dict):
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if GLUE_MIME in output.get("data", {}):
                yield output


def test_every_chapter_is_committed_with_its_outputs():
    for path in sorted((PROJECT_ROOT / "chapters").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert all(c.get("execution_count") for c in code_cells), f"{path.name} is not executed"
        assert list(glued_outputs(notebook)), f"{path.name} glues no value into its prose"


def test_an_edited_glued_number_fails_nbval(tmp_path):
    source = PROJECT_ROOT / "chapters" / "01_format.ipynb"
    notebook = json.loads(source.read_text(encoding="utf-8"))
    output = next(glued_outputs(notebook))
    output["data"][GLUE_MIME] = "'999999'"
    tampered = tmp_path / source.name
    tampered.write_text(json.dumps(notebook), encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "tests" / "nbval_sanitize.cfg", tmp_path)

    def nbval(path):
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
             "--nbval-current-env", "--nbval-sanitize-with", "nbval_sanitize.cfg", path.name],
            cwd=tmp_path, capture_output=True, text=True)

    failed = nbval(tampered)
    assert failed.returncode == 1, failed.stdout[-2000:]
    assert "999999" in failed.stdout
    shutil.copy(source, tampered)
    assert nbval(tampered).returncode == 0, "the untouched notebook must pass"


def test_scripts_test_compares_every_notebook_of_the_book():
    """nbval runs on the paths scripts/test names: every notebook of the book must be under one
    of them (the home page notebook once was not)."""
    import shlex

    from summit_book.notebooks import book_notebooks

    command = next(line for line in (PROJECT_ROOT / "scripts/test").read_text().splitlines()
                   if "--nbval" in line)
    paths = [PROJECT_ROOT / word for word in shlex.split(command)
             if not word.startswith("-") and (PROJECT_ROOT / word).exists()]
    missing = [str(nb.relative_to(PROJECT_ROOT)) for nb in book_notebooks()
               if not any(nb == p or p in nb.parents for p in paths)]
    assert not missing, f"scripts/test does not run nbval on {missing}"


def test_every_chapter_tells_a_jupyter_reader_where_its_numbers_are():
    """Opened in Jupyter, a chapter's prose shows glue markers, not numbers: its first cell says
    so and points to the built page; the cell is tagged to stay off the book's page."""
    for path in sorted((PROJECT_ROOT / "chapters").glob("*.ipynb")):
        first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
        source = "".join(first["source"])
        assert first["cell_type"] == "markdown" and "Reading this notebook in Jupyter" in source, path.name
        assert first["metadata"].get("tags") == ["remove-cell"], path.name
