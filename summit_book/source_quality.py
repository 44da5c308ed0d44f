"""How strong the sources behind a row are: each source's quality class, the rule that no status,
figure or date rests only on weak sources, and the per-record counts a chapter shows (sources
per record, share with an official source), as AidData prints them.

A source's class is its ``kind`` in ``sources`` (official, press, analysis, dataset) unless
``source_quality`` gives another: ``aggregator`` (a site reposting another outlet's text),
``machine_translated``, ``ai_generated`` (machine-rewritten) or ``seed`` (a seed article the book
started from). The last three are *weak*: a row may cite them, but never only them.

The rule is one function, :func:`weak_source_problems`, run by ``python -m summit_book.validate``
after the tables' own checks; it reports file, row, column and rule like every other check.
"""

from __future__ import annotations

import pandas as pd

from .tables import Problem, load_table

#: Classes that cannot carry a status, figure or date on their own.
WEAK = ("machine_translated", "ai_generated", "seed")

#: Where a status, figure or date rests on sources: table -> (source column, rows concerned).
#: ``None`` means every row; a function picks the rows (e.g. proposals with a status beyond
#: the initial one).
GUARDED = {
    "proposals": ("status_source_ids", lambda t: t["status"] != "proposed"),
    "proposal_evidence": ("source_ids", None),
    "commitments": ("source_ids", None),
    "commitment_verdicts": ("source_ids", None),
    "project_facts": ("source_id", None),
    "project_events": ("source_ids", None),
    "treaty_actions": ("source_ids", None),
    "partner_meetings": ("source_ids", None),
    "partner_formats": ("source_ids", None),
}

#: Tables that keep one row per source of a figure: the rule applies to the figure (all rows
#: sharing the grouping column), reported at its first row. table -> (source column, group).
GROUPED = {"statements": ("source_ids", "figure_id")}

RULE = "not-only-weak-sources"


def source_classes(sources: pd.DataFrame | None = None,
                   quality: pd.DataFrame | None = None) -> dict[str, str]:
    """source_id -> quality class (see the module docstring)."""
    sources = load_table("sources") if sources is None else sources
    quality = load_table("source_quality") if quality is None else quality
    classes = dict(zip(sources["source_id"], sources["kind"]))
    classes.update(zip(quality["source_id"], quality["quality"]))
    return classes


def _ids(cell) -> list[str]:
    if isinstance(cell, (list, tuple)):
        return list(cell)
    if cell is None or (isinstance(cell, float) and pd.isna(cell)) or cell == "":
        return []
    return [cell]


def weak_source_problems(tables: dict[str, pd.DataFrame] | None = None,
                         classes: dict[str, str] | None = None) -> list[Problem]:
    """One problem per guarded row whose sources are all weak. ``tables`` maps a table name to
    its frame (default: load each of :data:`GUARDED`); ``classes`` as :func:`source_classes`."""
    classes = source_classes() if classes is None else classes
    problems = []
    for name, (column, group) in GROUPED.items():
        table = load_table(name) if tables is None else tables.get(name)
        if table is None:
            continue
        key = table.columns[0]
        weak_rows = table[column].map(lambda cell: all(classes.get(s) in WEAK for s in _ids(cell)))
        for figure, rows in table.assign(_weak=weak_rows.values).groupby(group, sort=False):
            if rows["_weak"].all():
                first = rows.index[0]
                position = list(table.index).index(first) + 1
                ids = sorted({s for cell in rows[column] for s in _ids(cell)})
                problems.append(Problem(
                    file=f"data/{name}.csv", rule=RULE, row=position, column=column,
                    key=str(table.loc[first, key]),
                    message=f"figure {figure} rests only on weak sources: "
                            f"{', '.join(f'{s} ({classes.get(s)})' for s in ids)}; "
                            "add an official or press source"))
    for name, (column, selects) in GUARDED.items():
        table = load_table(name) if tables is None else tables.get(name)
        if table is None:
            continue
        chosen = [True] * len(table) if selects is None else list(selects(table))
        key = table.columns[0]
        for position, (row, pick) in enumerate(zip(table.itertuples(index=False), chosen), start=1):
            ids = _ids(getattr(row, column))
            if not pick or not ids:
                continue
            if all(classes.get(source) in WEAK for source in ids):
                kinds = ", ".join(f"{s} ({classes.get(s)})" for s in ids)
                problems.append(Problem(
                    file=f"data/{name}.csv", rule=RULE, row=position, column=column,
                    key=str(getattr(row, key)),
                    message=f"rests only on weak sources: {kinds}; add an official or press source"))
    return problems


def record_source_counts(frame: pd.DataFrame, column: str,
                         classes: dict[str, str]) -> pd.DataFrame:
    """Per row of ``frame``: ``sources`` (how many in ``column``), ``official`` (whether one is
    official) and ``weak`` (how many are weak)."""
    lists = frame[column].map(_ids)
    return pd.DataFrame({
        "sources": lists.map(len),
        "official": lists.map(lambda ids: any(classes.get(s) == "official" for s in ids)),
        "weak": lists.map(lambda ids: sum(classes.get(s) in WEAK for s in ids)),
    }, index=frame.index)
