"""Where the book's files are: every path resolved from the project root (the folder above
this package), so that code runs the same from any working directory."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DATAPACKAGE_PATH = DATA_DIR / "datapackage.json"
SOURCES_CSV = DATA_DIR / "sources.csv"
CITATION_PATH = PROJECT_ROOT / "CITATION.cff"
TOC_PATH = PROJECT_ROOT / "_toc.yml"
BIB_PATH = PROJECT_ROOT / "references.bib"
BUILD_DIR = PROJECT_ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"
FIGURE_DATA_DIR = BUILD_DIR / "figure-data"

#: Flags for Debian's Chromium run headless as root on a machine with no outside network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: What a scratch copy of the project (tests, benchmark) leaves out: environments, builds, caches.
SCRATCH_COPY_IGNORE = (".venv", "_build", ".git", "__pycache__", ".pytest_cache",
                       ".ipynb_checkpoints", "*.egg-info")
