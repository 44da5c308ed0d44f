"""Which tables a notebook reads, and when a notebook must be executed afresh."""

from __future__ import annotations

import pytest

import summit_book.freshness as freshness
import summit_book.tables as tables
from summit_book import table_names


def test_literal_table_names_are_found():
    code = 'a = load_table("meetings")\nb = load_table( \'documents\' )'
    assert freshness.tables_read(code) == ["documents", "meetings"]


def test_helpers_that_read_tables_count_as_reads():
    assert freshness.tables_read('m = load_table("meetings")\nglue_figure("f", fig, data=m, source="s")') \
        == ["meetings", "sources"]


def test_code_that_hides_the_table_name_reads_everything():
    assert freshness.tables_read("for t in names:\n    load_table(t)") == table_names()
    assert freshness.tables_read("for t in table_names(): pass") == table_names()


def test_unknown_literal_table_is_an_error():
    with pytest.raises(KeyError, match="meeting_list"):
        freshness.tables_read('load_table("meeting_list")')


def test_every_chapter_reads_only_described_tables():
    for path in freshness.notebooks():
        assert set(freshness.tables_read(freshness.code_of(path))) <= set(table_names()), path


def test_a_table_change_makes_exactly_its_readers_stale(data_copy, monkeypatch):
    keys_before = freshness.current_keys()
    monkeypatch.setattr(freshness, "recorded_keys", lambda: keys_before)
    assert freshness.stale_notebooks() == []
    data_copy.edit("variants", 0, "notes", "edited by a test")
    readers = {
        name for name in keys_before
        if "variants" in freshness.tables_read(freshness.code_of(tables.PROJECT_ROOT / name))
    }
    assert readers, "some notebook should read the variants table"
    assert set(freshness.stale_notebooks()) == readers
    assert len(readers) < len(keys_before), "a one-table change must not re-execute everything"
