"""Validate every table in ``data/`` and check that references.bib matches sources.csv.

``python -m summit_book.validate`` exits 1 with one line per problem (file, row, column, rule);
the build runs it first so that bad data stops the build before any notebook runs.
"""

from __future__ import annotations

import sys

from .bibliography import BIB_PATH, render_bibliography
from .tables import validate_all


def main() -> int:
    problems = validate_all()
    if not problems:  # the cross-table rule needs tables that load
        from .source_quality import weak_source_problems
        problems = weak_source_problems()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    current = BIB_PATH.read_text(encoding="utf-8") if BIB_PATH.exists() else None
    if not problems and current != render_bibliography():
        print("error: references.bib is out of date with data/sources.csv; "
              "run: python -m summit_book.bibliography", file=sys.stderr)
        return 1
    if problems:
        print(f"{len(problems)} problem(s) in data/: the build stops here.", file=sys.stderr)
        return 1
    print("data: all tables valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
