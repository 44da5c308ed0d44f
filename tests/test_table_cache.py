"""Validate once, load fast: a validated table is kept under a hash of its content and read
back by other processes without validating it again; a changed table, referenced table,
schema or validator is never read stale, and a bad table raises the same error every time."""

from __future__ import annotations

import hashlib
import json
import pickle

import pandas as pd
import pytest

import summit_book.paths as paths
import summit_book.tables as tables
from summit_book.tables import DataValidationError, load_table


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """An empty cache folder, and no table kept in this process (as in a new kernel)."""
    folder = tmp_path / "table-cache"
    monkeypatch.setattr(paths, "TABLE_CACHE_DIR", folder)
    tables._load_validated.cache_clear()
    tables._parsed_cached.cache_clear()
    yield folder
    tables._load_validated.cache_clear()
    tables._parsed_cached.cache_clear()


def new_process() -> None:
    """Forget what this process validated, as a newly started kernel knows nothing."""
    tables._load_validated.cache_clear()
    tables._parsed_cached.cache_clear()


def no_validation(monkeypatch) -> list[str]:
    """Record every table parsed from now on (a cache hit parses none)."""
    parsed: list[str] = []
    parse = tables._parse_rows

    def recording(entry):
        parsed.append(entry["name"])
        return parse(entry)

    monkeypatch.setattr(tables, "_parse_rows", recording)
    return parsed


def test_a_validated_table_is_read_back_by_another_process_without_validation(
        data_copy, cache_dir, monkeypatch):
    first = load_table("proposals")
    stored = list(cache_dir.glob("proposals-*.pickle"))
    assert len(stored) == 1
    new_process()
    parsed = no_validation(monkeypatch)
    again = load_table("proposals")
    assert parsed == []
    pd.testing.assert_frame_equal(first, again)
    assert again["source_ids"].map(type).eq(list).all()


def test_a_changed_byte_in_the_table_is_validated_afresh_and_its_error_raised(
        data_copy, cache_dir, monkeypatch):
    load_table("meetings")
    new_process()
    edited = data_copy.edit("meetings", 6, "date_start", "2025-13-40")
    for _ in range(2):  # the error every time: a bad table is never kept
        with pytest.raises(DataValidationError) as error:
            load_table("meetings")
        assert f"data/meetings.csv, row 7 (line 8) [{edited['meeting_id']}], column 'date_start'" \
            in str(error.value)
        new_process()
    assert len(list(cache_dir.glob("meetings-*.pickle"))) == 1  # only the valid content's


def test_a_valid_change_gives_the_new_values_not_the_kept_ones(data_copy, cache_dir):
    before = load_table("meetings")
    city = before.loc[0, "city"]
    new_process()
    data_copy.edit("meetings", 0, "city", city + " Testville")
    after = load_table("meetings")
    assert after.loc[0, "city"] == city + " Testville"
    (kept,) = cache_dir.glob("meetings-*.pickle")  # the earlier content's entry is removed
    assert kept == tables._cache_file("meetings", tables.content_key("meetings"))


def test_a_change_to_a_referenced_table_revalidates_the_foreign_keys(data_copy, cache_dir):
    attendance = load_table("attendance")
    country = attendance.loc[0, "country_id"]
    new_process()
    rows = data_copy.rows("countries")
    renamed = next(row for row in rows if row["country_id"] == country)
    data_copy.edit("countries", rows.index(renamed), "country_id", "XYZ")
    with pytest.raises(DataValidationError) as error:
        load_table("attendance")
    assert f"'{country}' is not a known country_id in data/countries.csv" in str(error.value)


def test_a_schema_change_revalidates(data_copy, cache_dir):
    meetings = load_table("meetings")
    new_process()
    package_path = data_copy.root / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    entry = next(e for e in package["resources"] if e["name"] == "meetings")
    field = next(f for f in entry["schema"]["fields"] if f["name"] == "city")
    allowed = sorted(set(meetings["city"].dropna()) - {meetings.loc[0, "city"]})
    field.setdefault("constraints", {})["enum"] = allowed
    package_path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    with pytest.raises(DataValidationError) as error:
        load_table("meetings")
    assert "data/meetings.csv, row 1 (line 2)" in str(error.value)
    assert "column 'city'" in str(error.value)


def test_another_validator_does_not_read_the_kept_tables(data_copy, cache_dir, monkeypatch):
    load_table("countries")
    key = tables.content_key("countries")
    new_process()
    monkeypatch.setattr(tables, "_validator_digest", lambda: "another validator")
    assert tables.content_key("countries") != key
    parsed = no_validation(monkeypatch)
    load_table("countries")
    assert parsed[:1] == ["countries"]


def test_a_damaged_or_foreign_cache_file_is_ignored(data_copy, cache_dir, monkeypatch):
    expected = load_table("countries")
    (stored,) = cache_dir.glob("countries-*.pickle")
    parsed = no_validation(monkeypatch)
    header, _, payload = stored.read_bytes().partition(b"\n")
    other = pickle.dumps(expected.head(1))
    for damaged in (stored.read_bytes()[:-100],  # cut short
                    header + b"\n" + payload.replace(b"Kazakhstan", b"Kazakhstam"),  # altered
                    b"0" * 64 + b" " + hashlib.sha256(other).hexdigest().encode()
                    + b"\n" + other):  # another content's entry
        stored.write_bytes(damaged)
        new_process()
        parsed.clear()
        pd.testing.assert_frame_equal(load_table("countries"), expected)
        assert parsed[:1] == ["countries"]  # validated afresh (and the tables it refers to)
