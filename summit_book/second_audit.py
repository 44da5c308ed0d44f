"""The counts of the second audit (``audit_checks``): how many data rows were re-checked and
what came of it, as the coding manual shows them.

A row may be checked on more than one column; it is counted once, under its most serious result
(:data:`SEVERITY`: a correction outweighs a downgrade, which outweighs a value still resting on
one source, which outweighs a check that could not be made, which outweighs a confirmation).
"""

from __future__ import annotations

import pandas as pd

from .tables import load_table

#: Results from the most to the least serious.
SEVERITY = ("corrected", "downgraded", "single_sourced", "could_not_check", "confirmed")


def row_outcomes(checks: pd.DataFrame) -> pd.DataFrame:
    """One row per re-checked data row (``table_name``, ``row_id``) with its ``outcome``: the
    most serious result among its checks."""
    rank = {result: position for position, result in enumerate(SEVERITY)}
    ranked = checks.assign(_rank=checks["result"].map(rank))
    if ranked["_rank"].isna().any():
        unknown = sorted(set(checks["result"]) - set(SEVERITY))
        raise ValueError(f"unknown audit result(s): {unknown}")
    worst = ranked.groupby(["table_name", "row_id"], sort=False)["_rank"].min()
    return worst.map(lambda position: SEVERITY[int(position)]).rename("outcome").reset_index()


def audit_counts(checks: pd.DataFrame | None = None) -> dict[str, int]:
    """``rechecked`` (distinct rows), ``checks`` (rows of the log) and one count per result,
    each row counted once under its outcome (so the results add up to ``rechecked``)."""
    checks = load_table("audit_checks") if checks is None else checks
    outcomes = row_outcomes(checks)["outcome"].value_counts()
    counts = {"rechecked": int(len(row_outcomes(checks))), "checks": int(len(checks))}
    counts.update({result: int(outcomes.get(result, 0)) for result in SEVERITY})
    return counts


def counts_by_table(checks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows re-checked per table, and how many of them ended in each result."""
    checks = load_table("audit_checks") if checks is None else checks
    outcomes = row_outcomes(checks)
    table = pd.crosstab(outcomes["table_name"], outcomes["outcome"])
    table = table.reindex(columns=list(SEVERITY), fill_value=0)
    table.insert(0, "rechecked", table.sum(axis=1))
    return table.reset_index()


#: What a reader is told each audited table holds (no internal names on the page).
TABLE_LABELS = {
    "proposals": "Statuses of proposals",
    "treaty_actions": "Dates of treaty steps",
    "partner_formats": "First meetings of partner formats",
    "partner_meetings": "Dates of partner meetings",
    "documents": "Documents adopted at the meetings",
    "project_facts": "Figures on projects",
    "statements": "Figures quoted by leaders",
}

#: The results in reader words, in the order of :data:`SEVERITY`.
RESULT_LABELS = {
    "corrected": "corrected",
    "downgraded": "weaker support than before",
    "single_sourced": "one source only",
    "could_not_check": "could not be checked",
    "confirmed": "confirmed by two sources",
}


def summary_table(checks: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`counts_by_table` in reader words, with how many rows were looked up again in the
    stored pages (``search``) rather than compared with the reports already recorded."""
    checks = load_table("audit_checks") if checks is None else checks
    table = counts_by_table(checks)
    searched = (checks[checks["method"] == "search"]
                .drop_duplicates(["table_name", "row_id"])["table_name"].value_counts())
    table.insert(2, "searched", table["table_name"].map(searched).fillna(0).astype(int))
    table["table_name"] = table["table_name"].map(TABLE_LABELS)
    table.columns.name = None
    return table.rename(columns={"table_name": "what was checked", "rechecked": "rows re-checked",
                                 "searched": "of them searched again", **RESULT_LABELS})


def rows_by_method(checks: pd.DataFrame | None = None) -> dict[str, int]:
    """Distinct rows looked up again (``search``) and rows only compared within the data
    (``cross_check``); a row with both counts as searched."""
    checks = load_table("audit_checks") if checks is None else checks
    searched = set(map(tuple, checks.loc[checks["method"] == "search", ["table_name", "row_id"]]
                       .values))
    every = set(map(tuple, checks[["table_name", "row_id"]].values))
    return {"search": len(searched), "cross_check": len(every - searched)}
