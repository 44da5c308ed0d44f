"""Shared fixtures: a scratch copy of data/ that a test may corrupt, a scratch copy of the
whole project that a test may build, the book built once per test run (shared by the xdist
workers) and copies of it that a test may change and rebuild incrementally."""

from __future__ import annotations

import csv
import os
import pickle
import shutil
import subprocess
from pathlib import Path, PurePath

import pytest

import summit_book.paths as paths
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
    monkeypatch.setattr(paths, "TABLE_CACHE_DIR", tmp_path / "table-cache")  # not the book's
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
def built_book(tmp_path_factory, worker_id) -> Path:
    """A fresh copy of the project, built as scripts/build does: ONE clean build per test run,
    shared by the xdist workers (the first to ask builds it, under a lock; the others wait and
    read it). Tests must not change it: :func:`built_copy` gives a copy to change."""
    import fcntl
    import sys

    if worker_id == "master":  # not under xdist: this process's own temporary folder
        shared = tmp_path_factory.getbasetemp() / "shared"
    else:  # the folder all workers of this run share
        shared = tmp_path_factory.getbasetemp().parent / "shared"
    shared.mkdir(exist_ok=True)
    root, failed = shared / "built" / "book", shared / "built-failed.txt"
    with open(shared / "built.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # held while the first worker builds
        if not root.exists() and not failed.exists():
            shutil.copytree(PROJECT_ROOT, root, ignore=COPY_IGNORE)
            result = run_in(root, sys.executable, "-m", "summit_book.build")
            if result.returncode != 0:
                failed.write_text((result.stdout + result.stderr)[-4000:], encoding="utf-8")
    assert not failed.exists(), failed.read_text(encoding="utf-8")
    return root


class _RelocatingUnpickler(pickle._Unpickler):
    """Unpickle a Sphinx pickle (environment or doctree) with every path under ``old`` moved
    under ``new``: the strings that are such a path (read as they are loaded, so shared ones
    are rewritten once) and the path objects (built from their parts)."""

    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, file, old: str, new: str):
        super().__init__(file)
        self.old, self.new = old, new

    def moved(self, text: str) -> str:
        if text == self.old or text.startswith(self.old + "/"):
            return self.new + text[len(self.old):]
        return text

    def find_class(self, module, name):
        found = super().find_class(module, name)
        if isinstance(found, type) and issubclass(found, PurePath):
            return lambda *parts: found(self.moved(str(found(*parts))))
        return found


def _moving_string_loader(load):
    def load_and_move(self):
        load(self)
        self.stack[-1] = self.moved(self.stack[-1])
    return load_and_move


for _opcode in (pickle.UNICODE, pickle.BINUNICODE, pickle.SHORT_BINUNICODE, pickle.BINUNICODE8):
    _RelocatingUnpickler.dispatch[_opcode[0]] = _moving_string_loader(
        _RelocatingUnpickler.dispatch[_opcode[0]])


def relocate_sphinx_state(doctrees: Path, old: str, new: str) -> bool:
    """Rewrite the Sphinx environment and doctrees in ``doctrees`` so that every path under
    ``old`` is under ``new`` (modification times kept, so Sphinx sees the same documents as
    up to date). Returns False, having changed nothing, if any pickle still names ``old``
    afterwards (a path inside some other text): the caller must then drop the state."""
    rewritten = {}
    for path in [doctrees / "environment.pickle", *doctrees.rglob("*.doctree")]:
        with path.open("rb") as handle:
            loaded = _RelocatingUnpickler(handle, old, new).load()
        data = pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL)  # as Sphinx writes them
        if old.encode() in data:
            return False
        rewritten[path] = data
    environment = pickle.loads(rewritten[doctrees / "environment.pickle"])
    if str(environment.srcdir) != new or str(environment.doctreedir) != f"{new}/_build/.doctrees":
        return False
    for path, data in rewritten.items():
        times = path.stat()
        path.write_bytes(data)
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    return True


def relocate_build(root: Path, old_root: Path) -> None:
    """Make a copied project's build state usable in its new folder, as if it had been built
    there: jupyter-cache records its notebooks' absolute paths (its outputs are matched by
    content and stay valid); Sphinx's environment and doctrees record the source folder, the
    configuration values and dependencies that name it, and each page's source file. All are
    rewritten, so the next build re-reads only the pages whose sources changed. Should a
    pickle name the old folder in a way this does not rewrite, Sphinx's state is removed
    instead and the next build reads every page again (nothing is executed again: the
    executed notebooks come from the cache)."""
    import sqlite3

    old, new = str(old_root.resolve()), str(root.resolve())
    doctrees = root / "_build/.doctrees"
    if doctrees.exists() and not relocate_sphinx_state(doctrees, old, new):
        shutil.rmtree(doctrees)
    database = root / "_build/.jupyter_cache/global.db"
    if database.exists():
        with sqlite3.connect(database) as connection:
            for table in ("nbcache", "nbproject"):
                connection.execute(f"UPDATE {table} SET uri = replace(uri, ?, ?)", (old, new))
        connection.close()


@pytest.fixture(scope="session")
def built_copy(built_book, tmp_path_factory):
    """Make a copy of the built project (sources and ``_build``, modification times kept) in
    a new folder, with its build state relocated there: a test may change and rebuild it, and
    the rebuild does only what the change needs (no notebook whose inputs are unchanged is
    executed again, no page whose sources are unchanged is read again)."""

    def make(name: str) -> Path:
        root = tmp_path_factory.mktemp(name) / "book"
        shutil.copytree(built_book, root, symlinks=True)
        relocate_build(root, built_book)
        return root

    return make


def run_in(root: Path, *command: str, check: bool = False) -> subprocess.CompletedProcess:
    """Run a command in a project copy, with that copy's helper package first on the path."""
    import os

    env = {**os.environ, "PYTHONPATH": str(root), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.run(list(command), cwd=root, env=env, capture_output=True, text=True,
                          check=check)


#: Test files whose tests share costly state: each runs whole, in file order, on one worker.
WHOLE_FILES = ("tests/test_escape_build.py",)


def pytest_xdist_make_scheduler(config, log):
    """Under ``--dist loadgroup`` (scripts/test), spread the tests over the xdist workers so
    that both stay busy to the end: a notebook's cells share one kernel, so each notebook runs
    whole, in order, on one worker, as does each test class (its tests may share state) and
    each file of :data:`WHOLE_FILES`; every other test goes to whichever worker is free. (The
    groups are made here, from the test ids, because xdist 3.8 cannot attach its
    ``xdist_group`` names to the ids of pytest 9.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class BookScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            parts = nodeid.split("::")
            if parts[0].endswith(".ipynb") or parts[0] in WHOLE_FILES:
                return parts[0]
            if len(parts) > 2 and "@" not in nodeid:  # a test in a class: the class
                return "::".join(parts[:2])
            return super()._split_scope(nodeid)

    return BookScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """The order in which the workers take the tests: first the longest chain of builds (the
    class of tests/test_build_transactions.py, whose first test makes the shared built book),
    while the other worker runs the tests that build a project copy of their own; then the
    other tests that need no built book, the tests that rebuild a copy of the built book, and
    last the other tests that read it."""

    def rank(item) -> int:
        fixtures = getattr(item, "fixturenames", ())
        if item.path.name == "test_build_transactions.py" and getattr(item, "cls", None):
            return 0
        if "built_book" not in fixtures:
            return 1 if "project_copy_factory" in fixtures else 2
        return 3 if "built_copy" in fixtures else 4

    items[:] = sorted(items, key=rank)


def open_page(page, url: str):
    """Open ``url`` in the Playwright page and wait until the book's script is done; return
    the response."""
    from summit_book.paths import BOOK_READY

    response = page.goto(url, wait_until="load")
    page.wait_for_function(BOOK_READY, timeout=20000)
    return response

