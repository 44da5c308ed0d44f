"""Compound growth arithmetic for stated figures and targets (the book's own arithmetic).

A leader says trade stands at ``base`` and should reach ``target``; if it is to get there in
``years`` years at a steady rate, the rate is ``(target / base) ** (1 / years) - 1``. The same
formula, read backwards, gives the average yearly growth between two stated figures.
"""

from __future__ import annotations

import math
import numbers


def required_annual_growth(base: float, target: float, years: float) -> float:
    """Compound yearly growth (a fraction: 0.07 = 7 percent a year) that takes ``base`` to
    ``target`` in ``years`` years.

    Also the average yearly growth actually achieved when ``base`` and ``target`` are two
    measured values ``years`` apart. Raises ``ValueError`` for non-positive values or years.
    """
    for name, value in (("base", base), ("target", target), ("years", years)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
            raise ValueError(f"{name} must be a real number, got {value!r}")
    if base <= 0 or target <= 0:
        raise ValueError(f"base and target must be positive, got base={base}, target={target}")
    if years <= 0:
        raise ValueError(f"years must be positive, got {years}")
    return (target / base) ** (1 / years) - 1


def required_growth_table(base: float, base_year: int, target: float,
                          target_years: list[int]) -> list[dict]:
    """For a target with no stated year: the yearly growth needed for each candidate target
    year, as rows ``{"target_year", "years", "growth_percent"}`` (growth in percent a year)."""
    rows = []
    for target_year in target_years:
        years = target_year - base_year
        rows.append({"target_year": int(target_year), "years": int(years),
                     "growth_percent": 100 * required_annual_growth(base, target, years)})
    return rows
