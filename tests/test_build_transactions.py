"""Builds are transactions, Ctrl-C stops a build at once, and the site holds only this build's
files.

Copies of the built project go through a failed and two interrupted builds, each followed by a
revert; after each revert the copy's site must be byte for byte the site of a clean build of the
same sources (``built_book``, built in another folder, of which each copy is made), but for the
execution report, which records run times. These tests are slow (several builds): each starts
from a copy of its own, but for the two in :class:`TestOneCopyThroughTwoAbandonedBuilds`, which
take one copy through an interruption and then a failure (a class runs whole, in order, on one
worker: tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import psutil
import pytest

from conftest import run_in

pytestmark = pytest.mark.build

BUILD = [sys.executable, "-m", "summit_book.build"]
#: The one page that differs between two clean builds: it records when each notebook ran.
EXPECTED_TO_DIFFER = {"appendices/execution.html"}
CITY, EDITED_CITY = ",Cholpon-Ata,", ",Cholpon-Ata Testville,"


def build(root: Path) -> str:
    result = run_in(root, *BUILD)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"the build failed:\n{output[-4000:]}"
    return output


def edit_city(root: Path, old: str, new: str) -> None:
    path = root / "data/meetings.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def differing_files(first: Path, second: Path) -> list[str]:
    """Files present in one site only, or with other bytes (as bench/run.py compares)."""
    names = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
    names |= {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    return sorted(n for n in names if not (first / n).is_file() or not (second / n).is_file()
                  or (first / n).read_bytes() != (second / n).read_bytes())


def processes_of(root: Path) -> list[str]:
    """Processes (other than this test's own and its ancestors) that run in or from the copy."""
    own = {os.getpid(), *(p.pid for p in psutil.Process().parents())}
    found = []
    for process in psutil.process_iter(["pid", "cmdline", "cwd"]):
        try:
            cmdline = " ".join(process.info["cmdline"] or [])
            cwd = process.info["cwd"] or ""
        except psutil.Error:
            continue
        if process.pid not in own and (str(root) in cmdline or cwd.startswith(str(root))):
            found.append(f"{process.pid}: {cmdline[:200]}")
    return found


def interrupted_build(root: Path, ready) -> tuple[int, float, str]:
    """Start a build in its own process group, send SIGINT to the group (as a terminal's Ctrl-C
    does) once ``ready(output, build_process)`` holds; return the exit status, the seconds it
    took to stop, and the output."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    process = subprocess.Popen(BUILD, cwd=root, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 900
    while process.poll() is None and not ready("".join(lines), process):
        assert time.monotonic() < deadline, "the build never reached the point to interrupt"
        time.sleep(0.2)
    assert process.poll() is None, "the build ended before it could be interrupted:\n" \
        + "".join(lines)[-3000:]
    sent = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    try:
        status = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    took = time.monotonic() - sent
    reader.join(timeout=10)
    return status, took, "".join(lines)


def kernels_running(output: str, process: subprocess.Popen) -> bool:
    """The build is executing notebooks: it said so and a kernel has started."""
    if "execute: " not in output:
        return False
    try:
        children = psutil.Process(process.pid).children(recursive=True)
        # A kernel's launcher (summit_book.warm_kernels) or a cold kernel (ipykernel).
        return any(word in " ".join(child.cmdline()) for child in children
                   for word in ("summit_book.warm_kernels -f", "ipykernel"))
    except psutil.Error:
        return False


def sphinx_reading(output: str, process: subprocess.Popen) -> bool:
    return "reading sources" in output


def assert_same_site_as_clean_build(root: Path, clean: Path) -> None:
    different = differing_files(root / "_build/html", clean / "_build/html")
    assert not set(different) - EXPECTED_TO_DIFFER, different[:20]


def fresh_copy(built_copy, name: str) -> Path:
    """A copy of the built project, which a build finds up to date."""
    root = built_copy(name)
    assert "up to date" in build(root)
    return root


@pytest.fixture
def tx_book(built_copy) -> Path:
    """A copy of the built project for one test."""
    return fresh_copy(built_copy, "transactions")


@pytest.fixture(scope="class")
def shared_book(built_copy) -> Path:
    """A copy of the built project that the tests of a class take through abandoned builds."""
    return fresh_copy(built_copy, "abandoned")


def test_ctrl_c_while_executing_stops_everything_and_a_revert_rebuilds_the_clean_site(
        tx_book, built_book):
    edit_city(tx_book, CITY, EDITED_CITY)
    status, took, output = interrupted_build(tx_book, kernels_running)
    assert status == 130, output[-3000:]
    assert took < 5, f"the build took {took:.1f} s to stop"
    time.sleep(0.5)
    assert not processes_of(tx_book), processes_of(tx_book)
    assert "build: interrupted" in output

    edit_city(tx_book, EDITED_CITY, CITY)  # the data is as it was after the last good build
    output = build(tx_book)
    assert "up to date" not in output
    executed = re.search(r"freshness: \d+ notebook\(s\) to execute afresh: (.*)", output)
    assert executed and "chapters/01_format.ipynb" in executed.group(1).split(", "), output[-2000:]
    assert "Testville" not in (tx_book / "_build/html/chapters/01_format.html").read_text(
        encoding="utf-8")
    assert_same_site_as_clean_build(tx_book, built_book)
    assert "up to date" in build(tx_book)


class TestOneCopyThroughTwoAbandonedBuilds:
    """An interruption in the Sphinx phase, then (on the same copy, in this order) a failed
    build; after the revert of both, the site is the clean build's."""

    def test_ctrl_c_in_the_sphinx_phase_stops_at_once_with_status_130(self, shared_book):
        tx_book = shared_book
        edit_city(tx_book, CITY, EDITED_CITY)
        status, took, output = interrupted_build(tx_book, sphinx_reading)
        assert status == 130, output[-3000:]
        assert took < 5, f"the build took {took:.1f} s to stop"
        assert "TypeError" not in output and "build: interrupted" in output
        time.sleep(0.5)
        assert not processes_of(tx_book), processes_of(tx_book)
        edit_city(tx_book, EDITED_CITY, CITY)

    def test_a_failed_build_then_a_revert_rebuilds_the_clean_site(self, shared_book, built_book):
        """A data edit and a chapter that raises: the build fails; once both are undone, the next
        build publishes exactly the clean build's site (no value of the abandoned data). The copy
        comes from the interrupted build above: the revert undoes two abandoned builds."""
        tx_book = shared_book
        page = tx_book / "chapters/03_transport.ipynb"
        committed = page.read_bytes()
        notebook = json.loads(committed)
        notebook["cells"].append({"cell_type": "code", "execution_count": None, "id": "cell-raise",
                                  "metadata": {}, "outputs": [],
                                  "source": "raise RuntimeError('deliberate failure for the test')"})
        page.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
        edit_city(tx_book, CITY, EDITED_CITY)
        result = run_in(tx_book, *BUILD)
        assert result.returncode != 0
        assert "deliberate failure for the test" in result.stdout + result.stderr

        page.write_bytes(committed)
        edit_city(tx_book, EDITED_CITY, CITY)
        output = build(tx_book)
        assert "up to date" not in output
        assert_same_site_as_clean_build(tx_book, built_book)


def test_downloads_are_this_builds_and_removed_figures_leave_nothing_behind(tx_book):
    """After a data change and the removal of a figure: the page's .ipynb download and the
    figure data carry the new value, and the site keeps no file of the removed figure nor any
    image, download, figure data or source that no page links."""
    html_dir = tx_book / "_build/html"
    removed_image = re.search(
        r'<figure[^>]*id="fig-format-documents".*?<img [^>]*src="\.\./(_images/[^"]+)"',
        (html_dir / "chapters/01_format.html").read_text(encoding="utf-8"), re.S).group(1)
    assert (html_dir / removed_image).exists()
    assert (html_dir / "_figure-data/fig-format-documents.csv").exists()

    page = tx_book / "chapters/01_format.ipynb"
    notebook = json.loads(page.read_text(encoding="utf-8"))
    directive = re.compile(r"```\{glue:figure\} fig_format_documents\n.*?```\n", re.S)
    for cell in notebook["cells"]:
        source = directive.sub("", "".join(cell["source"]))
        cell["source"] = source.replace("{numref}`fig-format-documents`", "A chart")
    page.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    edit_city(tx_book, CITY, EDITED_CITY)
    build(tx_book)

    download = json.loads((html_dir / "_sources/chapters/01_format.ipynb").read_text(encoding="utf-8"))
    outputs = json.dumps([c.get("outputs", []) for c in download["cells"]])
    assert "Cholpon-Ata Testville" in outputs, "the .ipynb download serves old outputs"
    assert "Cholpon-Ata Testville" in (html_dir / "_figure-data/fig-format-timeline.csv").read_text(
        encoding="utf-8")

    with zipfile.ZipFile(next((html_dir / "data-release").glob("*.zip"))) as archive:
        meetings = next(name for name in archive.namelist() if name.endswith("/meetings.csv"))
        assert EDITED_CITY in archive.read(meetings).decode("utf-8"), "the data release is old"

    assert not (html_dir / removed_image).exists()
    assert not (html_dir / "_figure-data/fig-format-documents.csv").exists()
    pages = "\n".join(p.read_text(encoding="utf-8") for p in html_dir.rglob("*.html")
                      if not p.relative_to(html_dir).as_posix().startswith("_static"))
    linked = {Path(link).name for link in re.findall(r'(?:src|href)="([^"#]+)"', pages)}
    for folder in ("_images", "_figure-data", "_downloads", "data-release"):
        unlinked = [p.relative_to(html_dir).as_posix() for p in (html_dir / folder).rglob("*")
                    if p.is_file() and p.name not in linked]
        assert not unlinked, f"files no page links: {unlinked}"
    sources = {p.relative_to(html_dir / "_sources").with_suffix("").as_posix()
               for p in (html_dir / "_sources").rglob("*") if p.is_file()}
    built_pages = {p.relative_to(html_dir).with_suffix("").as_posix()
                   for p in html_dir.rglob("*.html") if not p.name.startswith("_")
                   and not p.relative_to(html_dir).as_posix().startswith("_")}
    assert sources <= built_pages
