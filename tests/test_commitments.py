"""The collective commitments and their verdicts: who is scored, the grid with "not yet assessed"
computed for every state without evidence, the aggregates by country, theme and meeting, the
snapshot date moving with the sources, and the validator naming file, row, column and rule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from summit_book import DataValidationError, load_table
from summit_book.commitments import (SCORES, VERDICTS, compliance_by, snapshot_date, states_for,
                                     verdict_grid)
from summit_book.rules import check_rules
from summit_book.source_quality import source_classes, weak_source_problems

PARTICIPANTS = [("KAZ", dt.date(2018, 3, 15)), ("UZB", dt.date(2018, 3, 15)),
                ("AZE", dt.date(2025, 11, 16))]


def test_signatories_decide_who_is_scored_when_known():
    assert states_for(["UZB"], dt.date(2025, 11, 16), PARTICIPANTS) == ["UZB"]


def test_without_signatories_a_state_admitted_at_the_meeting_is_not_scored():
    assert states_for([], dt.date(2025, 11, 16), PARTICIPANTS) == ["KAZ", "UZB"]
    assert states_for([], dt.date(2026, 6, 1), PARTICIPANTS) == ["KAZ", "UZB", "AZE"]
    assert states_for([], None, PARTICIPANTS) == []


def small_tables():
    commitments = pd.DataFrame({
        "commitment_id": ["cm01-c01", "cm01-c02"], "meeting_id": ["cm01", "cm01"],
        "document_id": ["d1", "d2"], "summary": ["Do a", "Do b"],
        "theme": ["format", "security"], "text_read": [False, True],
        "source_ids": [["s1"], ["s2"]]})
    verdicts = pd.DataFrame({
        "verdict_id": ["cv-001", "cv-002"], "commitment_id": ["cm01-c01", "cm01-c01"],
        "country_id": ["KAZ", "UZB"], "verdict": ["full_compliance", "no_compliance"],
        "date": [dt.date(2019, 1, 1), dt.date(2019, 2, 1)], "event": ["did a", "refused a"],
        "source_ids": [["s3"], ["s4"]]})
    documents = pd.DataFrame({"document_id": ["d1", "d2"], "signatories": [[], ["KAZ"]]})
    meetings = pd.DataFrame({"meeting_id": ["cm01"], "date_start": [dt.date(2018, 3, 15)]})
    countries = pd.DataFrame({"country_id": ["KAZ", "UZB"], "name": ["Kazakhstan", "Uzbekistan"],
                              "participant_since": [dt.date(2018, 1, 1), dt.date(2018, 1, 1)]})
    return commitments, verdicts, documents, meetings, countries


def test_the_grid_fills_not_yet_assessed_and_scores_only_typed_verdicts():
    grid = verdict_grid(*small_tables())
    cells = {(r.commitment_id, r.country): r for r in grid.itertuples()}
    assert set(cells) == {("cm01-c01", "KAZ"), ("cm01-c01", "UZB"), ("cm01-c02", "KAZ")}
    assert cells["cm01-c01", "KAZ"].score == SCORES["full_compliance"]
    assert cells["cm01-c01", "UZB"].score == SCORES["no_compliance"]
    assert cells["cm01-c02", "KAZ"].verdict == "not_yet_assessed"
    assert pd.isna(cells["cm01-c02", "KAZ"].score) and pd.isna(cells["cm01-c02", "KAZ"].event)


def test_aggregates_count_every_cell_and_average_only_the_assessed():
    grid = verdict_grid(*small_tables())
    by_country = compliance_by(grid, "country")
    assert list(by_country.columns[:len(VERDICTS)]) == VERDICTS
    assert by_country.loc["Kazakhstan", "cells"] == 2
    assert by_country.loc["Kazakhstan", "assessed"] == 1
    assert by_country.loc["Kazakhstan", "average"] == SCORES["full_compliance"]
    by_theme = compliance_by(grid, "theme")
    assert by_theme.loc["Security", "average"] is None
    by_meeting = compliance_by(grid, "meeting")
    expected = (SCORES["full_compliance"] + SCORES["no_compliance"]) / 2
    assert by_meeting.loc["cm01", "average"] == pytest.approx(expected)
    assert by_meeting["cells"].sum() == len(grid)


def test_the_snapshot_is_the_latest_source_cited_and_moves_with_it():
    commitments, verdicts, *_ = small_tables()
    sources = pd.DataFrame({"source_id": ["s1", "s2", "s3", "s4", "unused"],
                            "date_published": [dt.date(2018, 3, 15), None, dt.date(2019, 1, 2),
                                               dt.date(2019, 2, 3), dt.date(2030, 1, 1)]})
    assert snapshot_date(commitments, verdicts, sources) == dt.date(2019, 2, 3)
    later = verdicts.assign(source_ids=[["s3"], ["s3"]])
    assert snapshot_date(commitments, later, sources) == dt.date(2019, 1, 2)


def test_the_data_grid_covers_every_commitment_and_keeps_the_rules():
    tables = {name: load_table(name) for name in
              ("commitments", "commitment_verdicts", "documents", "meetings", "countries")}
    grid = verdict_grid(*tables.values())
    assert set(grid["commitment_id"]) == set(tables["commitments"]["commitment_id"])
    typed = grid[grid["verdict"] != "not_yet_assessed"]
    assert len(typed) == len(tables["commitment_verdicts"])
    assert check_rules(["verdicts-on-scored-states"]) == []
    guarded = {name: tables[name] for name in ("commitments", "commitment_verdicts")}
    assert weak_source_problems(guarded, source_classes()) == []


def test_a_bad_verdict_is_named_by_file_row_column_and_rule(data_copy):
    data_copy.edit("commitment_verdicts", 0, "verdict", "did_nothing")
    with pytest.raises(DataValidationError) as error:
        load_table("commitment_verdicts")
    message = str(error.value)
    assert "data/commitment_verdicts.csv, row 1 (line 2)" in message
    assert "column 'verdict'" in message
    assert "did_nothing" in message


def test_a_verdict_without_sources_is_refused(data_copy):
    data_copy.edit("commitment_verdicts", 0, "source_ids", "")
    with pytest.raises(DataValidationError) as error:
        load_table("commitment_verdicts")
    assert "column 'source_ids': a value is required but the cell is empty" in str(error.value)


def test_a_verdict_on_a_state_not_scored_is_named(data_copy):
    data_copy.edit("commitment_verdicts", 0, "country_id", "AZE")
    problems = check_rules(["verdicts-on-scored-states"])
    assert [(p.file, p.row, p.column, p.rule) for p in problems] == [
        ("data/commitment_verdicts.csv", 1, "country_id", "verdicts-on-scored-states")]


def test_a_second_verdict_and_evidence_before_the_meeting_are_named(data_copy):
    rows = data_copy.rows("commitment_verdicts")
    rows.append(dict(rows[0], verdict_id="cv-999", date="2020-01-01"))
    data_copy.write("commitment_verdicts", rows)
    problems = check_rules(["verdicts-on-scored-states"])
    assert {(p.row, p.column) for p in problems} == {(len(rows), "commitment_id"),
                                                     (len(rows), "date")}


def test_coverage_in_words_counts_assessed_cells_per_group():
    from summit_book.commitments import coverage_in_words

    by_meeting = compliance_by(verdict_grid(*small_tables()), "meeting")
    assert coverage_in_words(by_meeting, {"cm01": "Astana 2018"}) == "Astana 2018: 2 of 3 assessed"
