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
