"""Build the book into ``_build/html``: ``python -m summit_book.build`` (what scripts/build runs).

In one process:

1. **Up to date?** A hash of every input file of the book (sources, data, configuration, this
   package, requirements) is compared with the one recorded after the last successful build;
   if nothing changed, the build stops here.
2. **Validate** every table (a bad row stops the build, naming file, row and column).
3. **Freshness**: drop the execution-cache entries of notebooks whose data changed
   (:mod:`summit_book.freshness`), so no page is stale.
4. **Execute** every notebook that has no valid cache entry, on all cores at once, into the
   execution cache (one kernel per notebook).
5. **Sphinx**: a strict Jupyter Book build (warnings are errors, execution errors raised),
   which then only reads the outputs from the cache.
6. Record the execution keys and the input hash.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

from . import freshness
from .paths import BUILD_DIR, PROJECT_ROOT
INPUTS_STAMP = BUILD_DIR / ".summit_book" / "inputs.sha256"
EXTENSION_STAMP = BUILD_DIR / ".summit_book" / "extension.sha256"
EXTENSION_PATH = Path(__file__).resolve().parent / "sphinx_ext.py"
SKIPPED_DIRS = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ipynb_checkpoints",
                "bench", "tests", ".ci"}
#: Folders (relative to the project root) that cannot change the book: the raw public extracts
#: are read only by scripts/make_*.py, whose output tables in data/ are hashed like any input.
SKIPPED_PATHS = {"data/raw"}
STRICT_OPTIONS = ["--warningiserror", "--nitpick", "--keep-going"]


def input_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every file that can change the built book (all but builds, caches, tests, benchmarks)."""
    found = []
    for folder, subfolders, files in os.walk(root):
        here = Path(folder).relative_to(root)
        subfolders[:] = sorted(d for d in subfolders
                               if d not in SKIPPED_DIRS and not d.endswith(".egg-info")
                               and (here / d).as_posix() not in SKIPPED_PATHS)
        found.extend(Path(folder) / name for name in sorted(files))
    return found


def inputs_digest(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def is_up_to_date(digest: str) -> bool:
    return (INPUTS_STAMP.exists() and INPUTS_STAMP.read_text().strip() == digest
            and (BUILD_DIR / "html" / "index.html").exists())


def uncached_notebooks() -> list[Path]:
    """Notebooks whose current code has no entry in the execution cache."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(freshness.CACHE_PATH)
    missing = []
    for path in freshness.notebooks():
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(path)
    return missing


def execute_into_cache(paths: list[Path]) -> list[str]:
    """Execute notebooks in parallel (a pool of one process per core, one kernel per notebook)
    and cache their outputs.

    Returns the problems, one line per failed notebook; a failed notebook is left out of the
    cache, so that the Sphinx step executes it again and shows the full error.
    """
    if not paths:
        return []
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(freshness.CACHE_PATH)
    for path in paths:
        cache.add_nb_to_project(str(path))
    executor = load_executor("local-parallel", cache=cache)
    result = executor.run_and_cache(filter_uris=[str(p) for p in paths], timeout=180,
                                    allow_errors=False)
    return [f"{uri}: execution failed" for uri in result.errored]


def run_sphinx(extra: list[str]) -> int:
    """Jupyter Book's own build command, in this process."""
    from jupyter_book.cli.main import build as jupyter_book_build

    try:
        jupyter_book_build.main([str(PROJECT_ROOT), *STRICT_OPTIONS, *extra], standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the book into _build/html.")
    parser.add_argument("--force", action="store_true", help="build even if nothing changed")
    args, extra = parser.parse_known_args(argv)
    started = time.perf_counter()

    digest = inputs_digest()
    if not args.force and is_up_to_date(digest):
        print(f"build: up to date, nothing to do ({time.perf_counter() - started:.2f} s)")
        return 0

    # The meeting pages are generated from the data (only pages whose text changes are
    # written, so Sphinx re-reads only those); invalid data is reported by the validation.
    from .meeting_pages import load_page_tables, write_downloads, write_pages
    from .tables import DataValidationError

    try:
        tables = load_page_tables()
    except DataValidationError:
        tables = None
    if tables is not None:
        written = write_pages(tables)
        if written:
            print(f"meeting pages: {len(written)} written: "
                  + ", ".join(p.relative_to(PROJECT_ROOT).as_posix() for p in written))
            digest = inputs_digest()

    from .validate import main as validate

    if validate() != 0:
        return 1
    write_downloads(tables)  # after validation: the tables are valid here
    stale = freshness.prepare()
    print(f"freshness: {len(stale)} notebook(s) to execute afresh"
          + (f": {', '.join(stale)}" if stale else ""))
    to_execute = uncached_notebooks()
    print(f"execute: {len(to_execute)} notebook(s) on up to {os.cpu_count()} process(es)" + (": " + ", ".join(p.relative_to(PROJECT_ROOT).as_posix()
                                             for p in to_execute) if to_execute else ""))
    for problem in execute_into_cache(to_execute):
        print(f"execute: {problem} (the build will show the error)", file=sys.stderr)

    # Sphinx rewrites only pages whose sources changed; when the book's own extension changes
    # (how citations, figure links or meta tags render), every page must be written again.
    extension = hashlib.sha256(EXTENSION_PATH.read_bytes()).hexdigest()
    if not EXTENSION_STAMP.exists() or EXTENSION_STAMP.read_text().strip() != extension:
        extra = ["--all", *extra]
    status = run_sphinx(extra)
    if status != 0:
        print("build: FAILED (see the messages above)", file=sys.stderr)
        return status
    freshness.record()
    INPUTS_STAMP.write_text(digest + "\n")
    EXTENSION_STAMP.write_text(extension + "\n")
    print(f"build: done in {time.perf_counter() - started:.1f} s; open _build/html/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
