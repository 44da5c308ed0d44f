"""No stale pages: re-execute exactly the chapters whose inputs changed.

Jupyter Book's execution cache (jupyter-cache) keys a notebook on its code only, and Sphinx
re-reads a page only when its file changes, so an edited CSV would leave the old numbers on
the site. Before each build, :func:`prepare` computes for every notebook an *execution key*:
a hash of the tables it reads, the data schema, ``CITATION.cff`` and the helper package. When
the key differs from the one recorded after the last successful build, the notebook's cache
record is dropped and its file touched, so that Sphinx re-reads it and myst-nb executes it
afresh. After a successful build, :func:`record` stores the keys.

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


def _relative(path: Path) -> str:
    return path.resolve().relative_to(PROJECT_ROOT).as_posix()


def current_keys() -> dict[str, str]:
    shared = shared_inputs_digest()
    return {_relative(path): execution_key(path, shared) for path in notebooks()}


def recorded_keys() -> dict[str, str]:
    if not STAMPS_PATH.exists():
        return {}
    return json.loads(STAMPS_PATH.read_text(encoding="utf-8"))


def stale_notebooks() -> list[str]:
    """Notebooks whose inputs changed since the last successful build (or never built)."""
    recorded = recorded_keys()
    return [name for name, key in current_keys().items() if recorded.get(name) != key]


def _drop_cache_record(path: Path) -> bool:
    """Remove the execution-cache record that matches this notebook's code, if any."""
    if not CACHE_PATH.exists():
        return False
    from jupyter_cache import get_cache

    cache = get_cache(CACHE_PATH)
    try:
        record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        return False
    cache.remove_cache(record.pk)
    return True


def prepare() -> list[str]:
    """Make the next build re-execute every stale notebook; return their paths."""
    stale = stale_notebooks()
    now = time.time()
    for name in stale:
        path = PROJECT_ROOT / name
        _drop_cache_record(path)
        os.utime(path, (now, now))  # Sphinx re-reads a page whose file is newer than its build
    return stale


def record() -> None:
    """Store the execution keys after a successful build."""
    STAMPS_PATH.parent.mkdir(parents=True, exist_ok=True)
    STAMPS_PATH.write_text(json.dumps(current_keys(), indent=2, sort_keys=True) + "\n",
                           encoding="utf-8")


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
