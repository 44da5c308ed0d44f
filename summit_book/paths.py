"""Where the book's files are: every path resolved from the project root (the folder above
this package), so that code runs the same from any working directory."""

import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Environment variable naming a folder that holds ``datapackage.json`` and the CSV tables
#: (for example an unpacked data release); it takes precedence over every other place.
DATA_ENV_VAR = "SUMMIT_BOOK_DATA"


def _installed_dirs(name: str) -> list[Path]:
    """Where an installed release puts its ``name`` folder (the wheel's data files)."""
    prefixes = [Path(prefix) for prefix in dict.fromkeys((sys.prefix, sys.base_prefix))]
    return [prefix / "share" / "summit-book" / name
            for prefix in [*prefixes, Path.home() / ".local"]]


def _data_candidates() -> list[tuple[Path, str]]:
    """Where the tables may be, in the order they are looked for."""
    candidates = []
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        candidates.append((Path(env).expanduser().resolve(), f"environment variable {DATA_ENV_VAR}"))
    candidates.append((PROJECT_ROOT / "data", "project root"))
    candidates += [(path, "installed data release") for path in _installed_dirs("data")]
    return candidates


def find_data_dir() -> tuple[Path, str]:
    """The folder of the book's tables and how it was found: the environment variable
    ``SUMMIT_BOOK_DATA``, the ``data/`` folder of the project root (a clone), or an installed
    data release (``<prefix>/share/summit-book/data`` or ``~/.local/share/summit-book/data``).

    Raises FileNotFoundError when ``SUMMIT_BOOK_DATA`` is set to a folder without
    ``datapackage.json`` (a typo should not silently fall back to other data)."""
    candidates = _data_candidates()
    for path, how in candidates:
        if (path / "datapackage.json").is_file():
            return path, how
        if how.startswith("environment"):
            raise FileNotFoundError(
                f"{DATA_ENV_VAR}={os.environ[DATA_ENV_VAR]!r}: no datapackage.json in {path}")
    return PROJECT_ROOT / "data", "not found (looked in: " + ", ".join(
        str(path) for path, _ in candidates) + ")"


#: The tables' folder, and which of the places in :func:`find_data_dir` it came from.
DATA_DIR, DATA_SOURCE = find_data_dir()
DATAPACKAGE_PATH = DATA_DIR / "datapackage.json"
SOURCES_CSV = DATA_DIR / "sources.csv"
#: True in a clone of the book; False where the package was installed from its wheel.
IS_CLONE = (PROJECT_ROOT / "_toc.yml").is_file()
#: The folder of the book's CITATION.cff, _toc.yml and pages (their titles): the clone, or
#: the copy an installed release carries (``<prefix>/share/summit-book/book``).
BOOK_ROOT = PROJECT_ROOT if IS_CLONE else next(
    (path for path in _installed_dirs("book") if (path / "_toc.yml").is_file()), PROJECT_ROOT)
CITATION_PATH = BOOK_ROOT / "CITATION.cff"
TOC_PATH = BOOK_ROOT / "_toc.yml"
BIB_PATH = PROJECT_ROOT / "references.bib"
#: The build folder; outside a clone (a chapter run from an installed release), the working
#: directory's ``_build``, where the figure data is written.
BUILD_DIR = (PROJECT_ROOT if IS_CLONE else Path.cwd()) / "_build"
HTML_DIR = BUILD_DIR / "html"
FIGURE_DATA_DIR = BUILD_DIR / "figure-data"
#: Validated tables, one file per table content (:func:`summit_book.tables.load_table`): outside
#: the site, keyed by content, so never published and never read stale.
TABLE_CACHE_DIR = BUILD_DIR / ".summit_book" / "tables"
#: Where the build's executor marks each notebook done, for Sphinx reading meanwhile
#: (:func:`summit_book.build.start_execution`).
EXECUTED_DIR = BUILD_DIR / ".summit_book" / "executed"
#: The environment variable naming the notebooks the build is executing while Sphinx runs:
#: JSON with their page names (in the executor's order) and the executor's process id.
EXECUTING_ENV = "SUMMIT_BOOK_EXECUTING"


def executed_mark(page: str) -> Path:
    """The mark the executor leaves once the notebook of ``page`` (``chapters/01_format``) is
    done."""
    return EXECUTED_DIR / (page.replace("/", "__") + ".done")

#: Flags for Debian's Chromium run headless as root on a machine with no outside network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: What a scratch copy of the project (tests, benchmark) leaves out: environments, builds, caches.
SCRATCH_COPY_IGNORE = (".venv", "_build", ".git", "__pycache__", ".pytest_cache",
                       ".ipynb_checkpoints", "*.egg-info")


#: The raw public extracts that ``scripts/make_*.py`` turn into tables (``data/raw``).
RAW_DIR = PROJECT_ROOT / "data" / "raw"


def generator_arguments(argv: list[str] | None, description: str):
    """The command line every ``scripts/make_*.py`` generator shares: where the raw extracts
    are (``--raw``) and where the tables go (``--out``), both defaulting to the repository."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--raw", type=Path, default=RAW_DIR,
                        help="folder of the raw extracts (default: data/raw in the repository)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data",
                        help="folder to write the table(s) to (default: data)")
    return parser.parse_args(argv)

#: True in a page once the book's script has set it up (tables, figures, menus) and every image
#: has loaded; the script does this after the first paint, so "load" alone comes too early for
#: a printout or a test that reads them.
BOOK_READY = "() => document.documentElement.dataset.bookReady === 'true'"
