"""Reshaping the trade tables for the trade chapter: one row per stated claim, the values that
sources give differently, and sums of World Bank series. Functions take DataFrames (the chapter
loads the tables) and return DataFrames.
"""

from __future__ import annotations

import pandas as pd

from .units import convert, unit_label


def _all_sources(lists) -> list[str]:
    return sorted({source for row in lists for source in row})


def claims(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per claim (``figure_id``: one speaker, one figure) with every value and every
    source that reports it; ``value`` is the largest value reported, ``values`` all of them."""
    grouped = statements.groupby("figure_id", sort=False)
    frame = grouped.agg(
        meeting_id=("meeting_id", "first"), speaker_person_id=("speaker_person_id", "first"),
        indicator=("indicator", "first"), description=("description", "first"),
        unit=("unit", "first"), is_target=("is_target", "first"),
        value=("value", "max"),
        values=("value", lambda v: sorted({float(x) for x in v})),
        reference_year=("reference_year", lambda v: ", ".join(str(y) for y in sorted(set(v.dropna())))),
        target_year=("target_year", lambda v: ", ".join(str(y) for y in sorted(set(v.dropna())))),
        source_ids=("source_ids", _all_sources))
    frame["value"] = frame["value"].astype(float)
    return frame.reset_index()


def values_in_words(values: list[float], unit: str) -> str:
    """'11 / 11.5 billion US$' (every value a claim was reported with, and its unit)."""
    shown = " / ".join(f"{v:g}" for v in values)
    return f"{shown} times" if unit == "multiplier" else f"{shown} {unit_label(unit)}"


def in_billions(statistics: pd.DataFrame) -> pd.DataFrame:
    """``trade_statistics`` with a ``billion`` column (value in billions of US dollars)."""
    return statistics.assign(billion=[convert(float(v), u, "usd_billion") for v, u in
                                      zip(statistics["value"], statistics["unit"])])


def pair_of(statistics: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """Rows of ``trade_statistics`` about trade between two areas, whichever is the reporter."""
    return statistics[((statistics["reporter"] == first) & (statistics["partner"] == second))
                      | ((statistics["reporter"] == second) & (statistics["partner"] == first))]


def differing_values(statistics: pd.DataFrame, area_names: dict[str, str]) -> pd.DataFrame:
    """Turnover values that sources give differently for the same pair, year and period: one
    row per source, with columns flow, year, value, given by, source_ids."""
    frame = in_billions(statistics[statistics["flow"] == "turnover"])
    frame = frame.assign(pair=[" – ".join(sorted([area_names[a], area_names[b]]))
                               for a, b in zip(frame["reporter"], frame["partner"])])
    differ = frame.groupby(["pair", "year", "months"]).filter(
        lambda group: group["billion"].round(2).nunique() > 1
    ).sort_values(["pair", "year", "billion"])
    return pd.DataFrame({
        "flow": [f"{p} ({'year' if m == 12 else f'{m} months'})"
                 for p, m in zip(differ["pair"], differ["months"])],
        "year": differ["year"].astype(str),
        "value": [f"{float(v):g} {unit_label(u)}" for v, u in zip(differ["value"], differ["unit"])],
        "given by": differ["basis"],
        "source_ids": differ["source_id"].map(lambda s: [s]),
    }).reset_index(drop=True)




#: How the chapter labels each kind of basis in ``trade_statistics.basis_kind``.
BASIS_LABELS = {"statistics_agency": "Statistics agency (Uzbekistan)",
                "state_press": "State newspaper (Uzbekistan)",
                "government_official": "Government official (Kazakhstan)",
                "not_stated": "Press, basis not stated"}


def usd_billion_words(value: float, decimals: int = 1) -> str:
    """'USD 11.5 billion': a value in billions of US dollars, for prose."""
    return f"USD {float(value):,.{decimals}f} billion"


def percent_words(value: float, decimals: int = 1) -> str:
    """'12.9 percent': a percentage, for prose."""
    return f"{float(value):,.{decimals}f} percent"


def differing_statements(statements: pd.DataFrame, indicator: str, person_names: dict,
                         meeting_labels: dict) -> pd.DataFrame:
    """Rows of ``statements`` for ``indicator`` whose reference year has more than one value
    across speakers, in the layout of :func:`differing_values`."""
    said = statements[statements["indicator"] == indicator].dropna(subset=["reference_year"])
    said = said.groupby("reference_year").filter(lambda group: group["value"].nunique() > 1)
    said = (said.groupby(["reference_year", "value", "speaker_person_id", "meeting_id"])["source_ids"]
            .agg(_all_sources).reset_index().sort_values(["reference_year", "value"]))
    return pd.DataFrame({
        "flow": "Central Asia, internal trade (year)",
        "year": said["reference_year"].astype(str),
        "value": [f"{float(v):g} billion US$" for v in said["value"]],
        "given by": [f"{person_names[p]} ({meeting_labels[m]} meeting)"
                     for p, m in zip(said["speaker_person_id"], said["meeting_id"])],
        "source_ids": said["source_ids"]}).reset_index(drop=True)
