"""Helpers for the chapter on water and energy: latest values of indicator series, the
electricity mix by source group, and the range of figures that sources give for a project.

Every function takes DataFrames (as :func:`summit_book.load_table` returns them) and returns a
new DataFrame; none reads a table itself, so that the build's freshness check sees the chapter's
own ``load_table`` calls. Units are converted only through :func:`summit_book.units.convert`.
"""

from __future__ import annotations

import pandas as pd

from .units import convert_column

#: Source groups of the electricity mix: indicator -> group shown in the figure.
ELECTRICITY_GROUPS = {
    "electricity_from_coal": "Coal",
    "electricity_from_gas": "Gas",
    "electricity_from_oil": "Other",
    "electricity_from_hydro": "Hydropower",
    "electricity_from_solar": "Other",
    "electricity_from_wind": "Other",
    "electricity_from_bioenergy": "Other",
    "electricity_from_nuclear": "Other",
    "electricity_from_other_renewables": "Other",
}
GROUP_ORDER = ["Hydropower", "Gas", "Coal", "Other"]



def electricity_mix(indicators: pd.DataFrame, year: int, area_codes: list[str]) -> pd.DataFrame:
    """Electricity generated in ``year`` by source group (TWh): one row per area (in the order
    given), one column per group of :data:`GROUP_ORDER`. Fails if a series is not in TWh."""
    rows = indicators[indicators["indicator_id"].isin(ELECTRICITY_GROUPS)
                      & indicators["area_code"].isin(area_codes) & (indicators["year"] == year)]
    rows = rows.assign(group=rows["indicator_id"].map(ELECTRICITY_GROUPS))
    mix = rows.pivot_table(index="area_code", columns="group", values="value", aggfunc="sum")
    return mix.reindex(index=[a for a in area_codes if a in mix.index],
                       columns=GROUP_ORDER).fillna(0.0)


def fact_ranges(facts: pd.DataFrame, attributes: list[str], unit: str) -> pd.DataFrame:
    """For each project and attribute, the lowest and highest value sources give, converted to
    ``unit``, with how many sources give a value and which (``source_ids``, sorted)."""
    rows = facts[facts["attribute"].isin(attributes)].copy()
    rows["converted"] = convert_column(rows["value"], rows["unit"], unit)
    grouped = rows.groupby(["project_id", "attribute"])
    ranges = grouped["converted"].agg(low="min", high="max").reset_index()
    ranges["sources"] = grouped["source_id"].nunique().to_numpy()
    ranges["source_ids"] = grouped["source_id"].agg(lambda ids: sorted(set(ids))).to_numpy()
    ranges["unit"] = unit
    return ranges


def area_series(areas: pd.DataFrame, unit: str, reliable_only: bool = True) -> pd.DataFrame:
    """The Aral Sea table with values converted to ``unit`` (column ``area``), by default only
    the reliable years, and a ``source_ids`` list column for the figure's data file."""
    rows = areas[areas["is_reliable"]] if reliable_only else areas
    rows = rows.assign(area=convert_column(rows["value"], rows["unit"], unit))
    return rows.assign(source_ids=rows["source_id"].map(lambda source: [source]))
