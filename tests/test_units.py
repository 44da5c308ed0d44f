"""Units are converted in one place, and every unit a table names is one it knows."""

from __future__ import annotations

import pytest

from summit_book.tables import read_datapackage
from summit_book.units import UNITS, convert, dimension, unit_label


@pytest.mark.parametrize(("value", "source", "target", "expected"), [
    (11.5, "usd_billion", "usd_million", 11_500.0),
    (5_000, "usd_million", "usd_billion", 5.0),
    (1, "km3", "bcm", 1.0),
    (2.5, "gw", "mw", 2_500.0),
    (4.5, "million_tonnes", "thousand_tonnes", 4_500.0),
    (3_600, "kwh", "mwh", 3.6),
    (20, "thousand_km2", "km2", 20_000.0),
])
def test_convert(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected)


def test_convert_refuses_different_dimensions_and_currencies():
    with pytest.raises(ValueError, match="cannot convert 'km'"):
        convert(1, "km", "tonne")
    with pytest.raises(ValueError, match="money_eur"):
        convert(1, "usd_million", "eur_million")
    with pytest.raises(ValueError, match="mass_per_year"):
        convert(1, "million_tonnes_per_year", "million_tonnes")


def test_convert_refuses_unknown_units_and_non_numbers():
    with pytest.raises(ValueError, match="unknown unit 'miles'"):
        convert(1, "miles", "km")
    with pytest.raises(TypeError):
        convert("11.5", "usd_billion", "usd_million")


def test_labels_and_dimensions():
    assert unit_label("usd_billion") == "billion US$"
    assert dimension("million_tonnes_per_year") == "mass_per_year"
    assert dimension("million_tonnes") != dimension("million_tonnes_per_year")


def test_every_unit_enum_in_the_schema_is_a_known_unit():
    """A unit column may only name units that convert() knows, so no table holds a unit the
    book cannot convert or label."""
    checked = 0
    for resource in read_datapackage()["resources"]:
        for field in resource["schema"]["fields"]:
            if field["name"] == "unit":
                enum = field.get("constraints", {}).get("enum")
                assert enum, f"{resource['name']}.unit must be restricted to known units"
                assert set(enum) <= set(UNITS), (resource["name"], set(enum) - set(UNITS))
                checked += 1
    assert checked >= 2
