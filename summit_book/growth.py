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


def year_reached(base: float, base_year: int, target: float, rate: float) -> float:
    """The (fractional) year in which ``base`` in ``base_year``, growing by ``rate`` a year
    (a fraction), reaches ``target``. Raises ``ValueError`` if it never does."""
    if base <= 0 or target <= 0:
        raise ValueError(f"base and target must be positive, got base={base}, target={target}")
    if target > base and rate <= 0:
        raise ValueError("a target above the base is never reached without growth")
    if target == base:
        return float(base_year)
    return base_year + math.log(target / base) / math.log(1 + rate)


def growth_table(cases: dict[str, tuple[float, int, float]], target_years: list[int]):
    """A wide table (pandas DataFrame) of the yearly growth in percent, one decimal, needed for
    each case ``label -> (base, base_year, target)`` to reach its target by each target year."""
    import pandas as pd

    columns = {"reached by": [str(year) for year in target_years]}
    for label, (base, base_year, target) in cases.items():
        columns[label] = [f"{row['growth_percent']:.1f}" for row in
                          required_growth_table(base, base_year, target, target_years)]
    return pd.DataFrame(columns)
