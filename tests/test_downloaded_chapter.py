"""A chapter's ``.ipynb`` downloaded from the built site runs in an empty folder after the one
install command the data appendix and the README give (issue 17, part 2):

    pip install summit_book-*.whl nbconvert ipykernel

The wheel comes from the site's ``data-release/`` folder; it carries the package, the tables
of the release and the book's citation files. A reader's pip fetches the wheel's dependencies
from the registry; here they come from the book's own environment (a ``.pth`` file in a fresh
virtual environment), so that the test installs exactly the wheel and needs no network.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

INSTALL = "pip install summit_book-*.whl nbconvert ipykernel"
CHAPTER = "chapters/01_format"


def run_downloaded_chapter(site: Path, work: Path) -> tuple[dict, str]:
    """Install the site's wheel into a fresh environment and execute the site's chapter
    notebook in an empty folder; return the executed notebook and where the data came from."""
    from importlib.metadata import version

    from packaging.requirements import Requirement

    wheel = next((site / "data-release").glob("summit_book-*.whl"))
    folder = work / "reader"
    folder.mkdir()
    notebook = folder / f"{Path(CHAPTER).name}.ipynb"
    shutil.copy(site / "_sources" / f"{CHAPTER}.ipynb", notebook)
    shutil.copy(wheel, folder)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], capture_output=True, text=True, check=True)
    Path(purelib.stdout.strip(), "book-environment.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "SUMMIT_BOOK_DATA", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    install = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-index",
                              "--disable-pip-version-check", "--quiet", wheel.name],
                             cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    # what the reader's pip would have resolved: every declared dependency is satisfied
    requires = subprocess.run(
        [python, "-c", "import json; from importlib.metadata import requires; "
                       "print(json.dumps(requires('summit-book')))"],
        cwd=folder, env=env, capture_output=True, text=True, check=True)
    for line in json.loads(requires.stdout):
        requirement = Requirement(line)
        assert version(requirement.name) in requirement.specifier, line
    run = subprocess.run([python, "-m", "nbconvert", "--to", "notebook", "--execute",
                          "--ExecutePreprocessor.timeout=600", "--output", "executed.ipynb",
                          notebook.name], cwd=folder, env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stderr[-4000:]
    where = subprocess.run([python, "-c", "from summit_book.tables import data_location; "
                            "print(data_location()[1])"], cwd=folder, env=env,
                           capture_output=True, text=True, check=True)
    return json.loads((folder / "executed.ipynb").read_text(encoding="utf-8")), \
        where.stdout.strip()


def _citation_version(notebook: dict) -> set[str]:
    return set(re.findall(r":data-version: ([0-9a-f]{12})", json.dumps(notebook).replace("\\n", "\n")))


def test_the_install_command_is_documented(built_book):
    readme = (built_book / "README.md").read_text(encoding="utf-8")
    page = (built_book / "_build/html/appendices/data.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # the code block is highlighted
    assert INSTALL in readme and INSTALL in text
    assert re.search(r'href="\.\./data-release/summit_book-[^"]+\.whl"', page)


def test_a_downloaded_chapter_runs_in_an_empty_folder(built_book, tmp_path):
    site = built_book / "_build/html"
    executed, where = run_downloaded_chapter(site, tmp_path)
    assert where == "installed data release"
    errors = [output for cell in executed["cells"] for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert errors == []
    published = json.loads((site / "_sources" / f"{CHAPTER}.ipynb").read_text(encoding="utf-8"))
    # the same data version as the page: the release is the data the page was built from
    assert _citation_version(executed) == _citation_version(published)
    assert len(_citation_version(executed)) == 1
