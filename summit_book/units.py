"""Units: the one place where the book names a unit and converts between units.

Tables keep a value and its unit in separate columns; a unit column holds one of the codes in
:data:`UNITS`. Notebooks never multiply by a factor themselves: they call :func:`convert`, which
refuses to mix dimensions (tonnes into kilometres) or currencies.

Each code maps to ``(dimension, factor, label)``: ``factor`` converts one unit into the base unit
of its dimension (for example ``usd_billion`` -> 1e9 US dollars). Codes whose dimension is unique
to them (an index score, a rate per 100 people) have factor 1 and convert only to themselves.
"""

from __future__ import annotations

import numbers

UNITS: dict[str, tuple[str, float, str]] = {
    # length (base: kilometre)
    "km": ("length", 1.0, "km"),
    "m": ("length", 1e-3, "m"),
    # money, US dollars (base: US dollar)
    "usd": ("money_usd", 1.0, "US$"),
    "usd_thousand": ("money_usd", 1e3, "thousand US$"),
    "usd_million": ("money_usd", 1e6, "million US$"),
    "usd_billion": ("money_usd", 1e9, "billion US$"),
    # money, other currencies (never converted into dollars here: the rate is a choice)
    "eur_million": ("money_eur", 1e6, "million €"),
    "eur_billion": ("money_eur", 1e9, "billion €"),
    "cny_billion": ("money_cny", 1e9, "billion yuan"),
    "rub_billion": ("money_rub", 1e9, "billion roubles"),
    "kzt_billion": ("money_kzt", 1e9, "billion tenge"),
    # money, international dollars at purchasing-power parity
    "usd_ppp": ("money_usd_ppp", 1.0, "international $ (PPP)"),
    # mass (base: tonne)
    "kg": ("mass", 1e-3, "kg"),
    "tonne": ("mass", 1.0, "t"),
    "thousand_tonnes": ("mass", 1e3, "thousand t"),
    "million_tonnes": ("mass", 1e6, "million t"),
    # mass per year (base: tonne per year): capacities of lines, ports and plants
    "tonnes_per_year": ("mass_per_year", 1.0, "t/year"),
    "thousand_tonnes_per_year": ("mass_per_year", 1e3, "thousand t/year"),
    "million_tonnes_per_year": ("mass_per_year", 1e6, "million t/year"),
    # containers (base: twenty-foot equivalent unit)
    "teu": ("containers", 1.0, "TEU"),
    "thousand_teu": ("containers", 1e3, "thousand TEU"),
    # power (base: megawatt)
    "kw": ("power", 1e-3, "kW"),
    "mw": ("power", 1.0, "MW"),
    "gw": ("power", 1e3, "GW"),
    # energy (base: kilowatt-hour)
    "kwh": ("energy", 1.0, "kWh"),
    "mwh": ("energy", 1e3, "MWh"),
    "gwh": ("energy", 1e6, "GWh"),
    "twh": ("energy", 1e9, "TWh"),
    # volume (base: cubic metre); km3 = 10^9 m3 = billion cubic metres
    "m3": ("volume", 1.0, "m³"),
    "million_m3": ("volume", 1e6, "million m³"),
    "km3": ("volume", 1e9, "km³ (10⁹ m³)"),
    "bcm": ("volume", 1e9, "billion m³"),
    # volume per year (base: cubic metre per year)
    "million_m3_per_year": ("volume_per_year", 1e6, "million m³/year"),
    "km3_per_year": ("volume_per_year", 1e9, "km³/year"),
    # area (base: square kilometre)
    "km2": ("area", 1.0, "km²"),
    "thousand_km2": ("area", 1e3, "thousand km²"),
    "ha": ("area", 1e-2, "ha"),
    "thousand_ha": ("area", 10.0, "thousand ha"),
    # counts (base: one)
    "count": ("count", 1.0, "number"),
    "thousand": ("count", 1e3, "thousand"),
    "million": ("count", 1e6, "million"),
    "persons": ("persons", 1.0, "persons"),
    "thousand_persons": ("persons", 1e3, "thousand persons"),
    "million_persons": ("persons", 1e6, "million persons"),
    # time
    "days": ("time", 1.0, "days"),
    "hours": ("time", 1 / 24, "hours"),
    "years": ("time", 365.25, "years"),
    # ratios and rates (each its own dimension: a share of GDP is not a share of population)
    "percent": ("percent", 1.0, "%"),
    "multiplier": ("multiplier", 1.0, "times (2 = twofold)"),
    "percent_of_gdp": ("percent_of_gdp", 1.0, "% of GDP"),
    "percent_of_population": ("percent_of_population", 1.0, "% of population"),
    "per_100_people": ("per_100_people", 1.0, "per 100 people"),
    "per_million_people": ("per_million_people", 1.0, "per million people"),
    "per_100000_people": ("per_100000_people", 1.0, "per 100,000 people"),
    "m3_per_person_per_year": ("m3_per_person_per_year", 1.0, "m³ per person per year"),
    "kwh_per_person": ("kwh_per_person", 1.0, "kWh per person"),
    "kg_oil_equivalent_per_person": ("kg_oil_equivalent_per_person", 1.0,
                                     "kg of oil equivalent per person"),
    "usd_per_m3": ("usd_per_m3", 1.0, "US$ per m³"),
    "index_score_1_to_5": ("index_score_1_to_5", 1.0, "score (1 = low, 5 = high)"),
    # ore grade (base: gram per tonne of ore); 10,000 g/t = 1 % by mass
    "grams_per_tonne": ("ore_grade", 1.0, "g/t"),
    "percent_by_mass": ("ore_grade", 1e4, "% by mass"),
}


def unit_label(unit: str) -> str:
    """The label a reader sees for a unit code (``usd_billion`` -> ``billion US$``)."""
    return _entry(unit)[2]


def dimension(unit: str) -> str:
    """What a unit measures (``length``, ``money_usd``, ``mass_per_year``…)."""
    return _entry(unit)[0]


def convert(value, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` from one unit code to another of the same dimension.

    >>> convert(11.5, "usd_billion", "usd_million")
    11500.0
    Raises ``ValueError`` for an unknown code or for units of different dimensions, and
    ``TypeError`` when ``value`` is not a number.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise TypeError(f"convert expects a number, got {value!r} ({type(value).__name__})")
    source_dimension, source_factor, _ = _entry(from_unit)
    target_dimension, target_factor, _ = _entry(to_unit)
    if source_dimension != target_dimension:
        raise ValueError(f"cannot convert {from_unit!r} ({source_dimension}) "
                         f"to {to_unit!r} ({target_dimension})")
    return float(value) * source_factor / target_factor


def convert_column(values, units, to_unit: str):
    """Convert a column of values whose units are given row by row (a pandas Series or list)
    into one unit; returns a list of floats, in order. Fails on the first row that cannot."""
    return [convert(value, unit, to_unit) for value, unit in zip(values, units)]


def _entry(unit: str) -> tuple[str, float, str]:
    try:
        return UNITS[unit]
    except KeyError:
        raise ValueError(f"unknown unit {unit!r}; known units are listed in "
                         f"summit_book.units.UNITS") from None
