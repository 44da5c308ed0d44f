"""Re-execute notebooks in place, so that their committed outputs match the data (nbval then
checks that they still do). For authors, after changing a chapter, the data or this package:

    python -m summit_book.notebooks                 # every notebook of the book
    python -m summit_book.notebooks chapters/01_format.ipynb

Outputs are written without timing metadata, so re-running an unchanged notebook changes no
byte of it.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .paths import PROJECT_ROOT

BOOK_NOTEBOOK_GLOBS = ("index.ipynb", "chapters/*.ipynb", "front/*.ipynb", "appendices/*.ipynb")


def book_notebooks() -> list[Path]:
    """Every notebook of the book, sorted."""
    return sorted(p for pattern in BOOK_NOTEBOOK_GLOBS for p in PROJECT_ROOT.glob(pattern))


def execute_in_place(path: Path, timeout: int = 180) -> None:
    """Execute one notebook from its own folder and save it with its new outputs."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or book_notebooks()
    # The kernels import this checkout's package and read its data, wherever the environment's
    # own copy was installed from (as scripts/build does for its kernels).
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT),
                                                             os.environ.get("PYTHONPATH")]))
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for path, error in zip(paths, pool.map(_run, paths)):
            print(f"{'FAILED' if error else 'ok':6} {path.relative_to(PROJECT_ROOT)}"
                  + (f": {error}" if error else ""))
    return 1 if any(_FAILURES) else 0


_FAILURES: list[Path] = []


def _run(path: Path) -> str | None:
    try:
        execute_in_place(path)
    except Exception as error:  # report every failing notebook, not only the first
        _FAILURES.append(path)
        return f"{type(error).__name__}: {str(error).splitlines()[-1] if str(error) else ''}"
    return None


if __name__ == "__main__":
    sys.exit(main())
