"""No stale pages: re-execute exactly the chapters whose inputs changed.

Jupyter Book's execution cache (jupyter-cache) keys a notebook on its code only, and Sphinx
re-reads a page only when its file changes, so an edited CSV would leave the old numbers on
the site. Before each build, :func:`prepare` computes for every notebook an *execution key*:
a hash of the tables it reads, the data schema, ``CITATION.cff`` and the helper package. When
the key differs from the one recorded after the last successful build, the notebook's cache
records (of every version of its code) are dropped and its file touched, so that Sphinx
re-reads it and myst-nb executes it afresh. After a successful build, :func:`record` stores the
keys.

A build that fails or is interrupted must leave nothing behind: :func:`prepare` writes the
notebooks it makes stale to a *pending* list before it changes anything, and only
:func:`record` (after a successful build) clears it. A build after an abandoned one treats the
pending notebooks as stale too, so that outputs computed from abandoned data (say, a data
edit that was then reverted, which brings the keys back to the recorded ones) are executed
again rather than served from the cache.

Which tables a notebook reads is found in its code: ``load_table("name")`` with a literal
name. A notebook that calls ``load_table`` any other way, or lists all tables, is taken to
read every table (never stale, at the cost of a re-execution).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat

from .notebooks import book_notebooks
from .paths import BUILD_DIR, DATAPACKAGE_PATH, PROJECT_ROOT
from .tables import file_digest, table_names, table_path

STAMPS_PATH = BUILD_DIR / ".summit_book" / "execution-keys.json"
PENDING_PATH = BUILD_DIR / ".summit_book" / "execution-pending.json"
CACHE_PATH = BUILD_DIR / ".jupyter_cache"
PACKAGE_DIR = Path(__file__).resolve().parent

_LITERAL_LOAD = re.compile(r"""load_table\(\s*["']([a-z0-9_]+)["']\s*\)""")
_ANY_LOAD = re.compile(r"load_table\(")
_READS_ALL = re.compile(r"\btable_names\(\)|\bvalidate_all\(\)")
#: Helpers that read a table themselves: a notebook calling one reads that table too.
HELPER_READS = {"glue_figure(": ["sources"]}


def notebooks() -> list[Path]:
    """Every notebook of the book (chapters, front matter, appendices), sorted."""
    return book_notebooks()


def code_of(path: Path) -> str:
    """The code cells of a notebook, joined."""
    notebook = nbformat.read(path, as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def tables_read(code: str) -> list[str]:
    """Names of the tables that a notebook's code reads (all tables when it cannot tell)."""
    literal = _LITERAL_LOAD.findall(code)
    if _READS_ALL.search(code) or len(_ANY_LOAD.findall(code)) != len(literal):
        return table_names()
    unknown = sorted(set(literal) - set(table_names()))
    if unknown:
        raise KeyError(f"the code loads tables that data/datapackage.json does not describe: {unknown}")
    for call, names in HELPER_READS.items():
        if call in code:
            literal.extend(names)
    return sorted(set(literal))


def shared_inputs_digest() -> str:
    """Hash of what every notebook depends on: the helper package, schema and CITATION.cff."""
    digest = hashlib.sha256()
    files = sorted(PACKAGE_DIR.glob("*.py")) + sorted(PACKAGE_DIR.glob("*.mplstyle"))
    files += [DATAPACKAGE_PATH, PROJECT_ROOT / "CITATION.cff"]
    for path in files:
        digest.update(f"{path.name}:{file_digest(path)}\n".encode())
    return digest.hexdigest()


def execution_key(path: Path, shared: str | None = None) -> str:
    """The notebook's execution key: its data inputs and the shared inputs (not its own code,
    which the execution cache already follows)."""
    digest = hashlib.sha256((shared or shared_inputs_digest()).encode())
    for name in tables_read(code_of(path)):
        digest.update(f"{name}:{file_digest(table_path(name))}\n".encode())
    return digest.hexdigest()


def relative_path(path: Path) -> str:
    """A file's path from the project root, with forward slashes (``chapters/01_format.ipynb``)."""
    return path.resolve().relative_to(PROJECT_ROOT).as_posix()


def current_keys() -> dict[str, str]:
    shared = shared_inputs_digest()
    return {relative_path(path): execution_key(path, shared) for path in notebooks()}


def recorded_keys() -> dict[str, str]:
    if not STAMPS_PATH.exists():
        return {}
    return json.loads(STAMPS_PATH.read_text(encoding="utf-8"))


def stale_notebooks() -> list[str]:
    """Notebooks whose inputs changed since the last successful build (or never built)."""
    recorded = recorded_keys()
    return [name for name, key in current_keys().items() if recorded.get(name) != key]


def pending_notebooks() -> list[str]:
    """Notebooks made stale by a build that has not (yet) succeeded."""
    if not PENDING_PATH.exists():
        return []
    return json.loads(PENDING_PATH.read_text(encoding="utf-8"))


def _drop_cache_records(path: Path) -> int:
    """Remove every execution-cache record of this notebook: the one that matches its code and
    those of its other code versions (a reverted code edit must not bring back outputs computed
    from other data). Returns how many were removed."""
    if not CACHE_PATH.exists():
        return 0
    from jupyter_cache import get_cache

    cache = get_cache(CACHE_PATH)
    target = path.resolve()
    doomed = {record.pk for record in cache.list_cache_records()
              if record.uri and Path(record.uri).resolve() == target}
    try:
        doomed.add(cache.match_cache_notebook(nbformat.read(path, as_version=4)).pk)
    except KeyError:
        pass
    for pk in sorted(doomed):
        cache.remove_cache(pk)
    return len(doomed)


def prepare() -> list[str]:
    """Make the next build re-execute every stale notebook (and every notebook an abandoned
    build made stale); return their paths."""
    current = current_keys()
    recorded = recorded_keys()
    stale = sorted({name for name, key in current.items() if recorded.get(name) != key}
                   | {name for name in pending_notebooks() if name in current})
    # First the promise, then the changes: if this build stops anywhere after this line, the
    # next one executes these notebooks again, whatever the data then says.
    PENDING_PATH.parent.mkdir(parents=True, exist_ok=True)
    PENDING_PATH.write_text(json.dumps(stale, indent=1) + "\n", encoding="utf-8")
    now = time.time()
    for name in stale:
        path = PROJECT_ROOT / name
        _drop_cache_records(path)
        os.utime(path, (now, now))  # Sphinx re-reads a page whose file is newer than its build
    return stale


def record() -> None:
    """Store the execution keys after a successful build."""
    STAMPS_PATH.parent.mkdir(parents=True, exist_ok=True)
    STAMPS_PATH.write_text(json.dumps(current_keys(), indent=2, sort_keys=True) + "\n",
                           encoding="utf-8")
    PENDING_PATH.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["prepare", "record", "status"])
    args = parser.parse_args(argv)
    if args.action == "prepare":
        stale = prepare()
        print(f"freshness: {len(stale)} notebook(s) to execute afresh"
              + (f": {', '.join(stale)}" if stale else ""))
    elif args.action == "record":
        record()
    else:
        for name in stale_notebooks():
            print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
