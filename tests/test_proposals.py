"""The proposals tracker: outcome rules on small frames, and the invariants of the links table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from summit_book import load_table
from summit_book.tracker import (OUTCOMES, STATUS_ORDER, classify_outcomes, count_matrix,
                                 has_later_evidence, path_table, track,
                                 idea_paths, outcome_counts, share_taken_up, taken_up_documents)

D = dt.date


def _meetings():
    return pd.DataFrame({"meeting_id": ["cm05", "cm06"],
                         "date_end": [D(2023, 9, 14), D(2024, 8, 9)]})


def _proposals():
    return pd.DataFrame({
        "proposal_id": ["a", "b", "c", "d", "e", "f", "g"],
        "meeting_id": ["cm05", "cm05", "cm05", "cm05", "cm05", "cm06", "cm05"],
        "status": ["adopted_in_document", "in_progress", "proposed", "proposed",
                   "no_record_found", "proposed", "implemented"],
        "status_as_of": [D(2024, 8, 9), D(2025, 1, 1), D(2023, 9, 14), D(2024, 1, 1),
                         D(2026, 11, 24), D(2024, 8, 9), D(2024, 5, 16)],
        "taken_up_by_document_id": ["doc-a", None, None, None, None, None, None],
    })


def _links():
    return pd.DataFrame({
        "proposal_id": ["c", "e", "a"],
        "later_proposal_id": ["f", "f", None],
        "document_id": [None, None, "doc-x"],
        "relation": ["reappears_as", "builds_on", "taken_up_by"],
    })


def test_later_evidence_is_strictly_after_the_meeting():
    later = has_later_evidence(_proposals(), _meetings())
    assert list(later) == [True, True, False, True, True, False, True]


def test_outcome_precedence():
    outcomes = classify_outcomes(_proposals(), _meetings(), _links())
    assert list(outcomes) == ["taken_up", "in_progress", "came_back", "raised_again",
                              "came_back", "no_follow_up", "taken_up"]


def test_no_record_found_without_a_comeback_is_no_follow_up():
    outcomes = classify_outcomes(_proposals(), _meetings(), _links().iloc[[0, 2]])
    assert outcomes.iloc[4] == "no_follow_up"


def test_share_taken_up():
    outcomes = classify_outcomes(_proposals(), _meetings(), _links())
    assert share_taken_up(outcomes) == pytest.approx(2 / 7)
    assert share_taken_up(pd.Series([], dtype=object)) == 0.0


def test_outcome_counts_order_and_totals():
    frame = _proposals().assign(outcome=classify_outcomes(_proposals(), _meetings(), _links()))
    counts = outcome_counts(frame, "meeting_id")
    assert list(counts.index) == ["cm05", "cm06"]
    assert list(counts.columns) == [o for o in OUTCOMES if o in set(frame["outcome"])]
    assert counts.to_numpy().sum() == len(frame)
    assert list(outcome_counts(frame, "meeting_id", order=["cm06", "cm05"]).index) == ["cm06", "cm05"]


def test_idea_paths_follow_links_from_roots():
    links = pd.DataFrame({"proposal_id": ["a", "b", "x"], "later_proposal_id": ["b", "c", "y"],
                          "document_id": [None] * 3, "relation": ["reappears_as", "builds_on", "builds_on"]})
    assert idea_paths(links) == [["a", "b", "c"], ["x", "y"]]


def test_taken_up_documents_prefers_the_proposals_table():
    documents = taken_up_documents(_proposals(), _links())
    assert documents == {"a": "doc-a"}


def test_status_order_covers_the_schema_enum():
    from summit_book.tables import resource
    field = next(f for f in resource("proposals")["schema"]["fields"] if f["name"] == "status")
    assert sorted(STATUS_ORDER) == sorted(field["constraints"]["enum"])


# The links table -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def links():
    return load_table("proposal_links")


@pytest.fixture(scope="module")
def proposals():
    return load_table("proposals").set_index("proposal_id")


def test_links_are_consistent_and_without_cycles(links):
    """One target matching the relation, a comeback at a later meeting citing a source of the
    later proposal, taken_up_by agreeing with the proposals table, no self-link and no cycle:
    the validator's rules (the build applies them too), called here, not copied."""
    from summit_book.rules import check_rules

    assert len(links) > 0
    problems = check_rules(["proposal-links-consistent", "links-without-cycles"])
    assert not problems, "\n".join(map(str, problems))


def test_format_proposals_have_status_evidence_not_older_than_the_meeting(proposals):
    meetings = load_table("meetings").set_index("meeting_id")
    format_rows = proposals[proposals["theme"] == "format"]
    for proposal_id, row in format_rows.iterrows():
        assert row["status_as_of"] >= meetings.loc[row["meeting_id"], "date_start"], proposal_id


def test_count_matrix_cells_and_totals():
    frame = pd.DataFrame({"leader": ["x", "x", "y"], "theme": ["t1", "t1", "t2"],
                          "outcome": ["taken_up", "no_follow_up", "no_follow_up"]})
    cells = count_matrix(frame, "leader", "theme", ["x", "y"], ["t1", "t2"])
    assert cells.loc["x", "t1"] == "2 (1)" and cells.loc["x", "t2"] == ""
    assert cells.loc["y", "t2"] == "1" and list(cells["all"]) == ["2", "1"]


def test_path_table_lists_paths_then_documents():
    links = pd.DataFrame({"proposal_id": ["a", "b", "c"], "later_proposal_id": ["b", None, None],
                          "document_id": [None, "d1", "d2"],
                          "relation": ["reappears_as", "taken_up_by", "taken_up_by"],
                          "source_ids": [["s1"], ["s2"], ["s3"]]})
    table = path_table(links, describe={p: p.upper() for p in "abc"},
                       outcome_text={p: "done" for p in "abc"},
                       document_text={"d1": "Doc 1", "d2": "Doc 2"},
                       documents_taken={"b": "d1", "c": "d2"})
    assert list(table["first recorded"]) == ["A", "C"]
    assert table.loc[0, "later"] == "B" and table.loc[0, "status of the last"] == "done: Doc 1"
    assert table.loc[1, "relation"] == "taken up by" and table.loc[1, "source_ids"] == ["s3"]


def test_track_labels_every_proposal():
    people = pd.DataFrame({"person_id": ["p"], "name": ["A Leader"], "country_id": ["KAZ"]})
    meetings = _meetings().assign(status="held", city=["Dushanbe", "Astana"],
                                  date_start=[D(2023, 9, 14), D(2024, 8, 9)])
    proposals = _proposals().assign(proposer_person_id="p", theme="water_energy")
    tracked = track(proposals, meetings, _links(), people)
    assert set(tracked["meeting"]) == {"Dushanbe 2023", "Astana 2024"}
    assert set(tracked["leader"]) == {"A Leader (KAZ)"} and set(tracked["proposer"]) == {"A Leader"}
    assert set(tracked["theme_name"]) == {"Water and energy"}


def test_every_theme_has_a_label():
    from summit_book.tables import resource
    from summit_book.tracker import THEME_LABELS
    field = next(f for f in resource("proposals")["schema"]["fields"] if f["name"] == "theme")
    assert set(field["constraints"]["enum"]) == set(THEME_LABELS)


def _tracked_leaders():
    return pd.DataFrame({
        "leader": ["A (KAZ)"] * 5 + ["B (UZB)"] * 6 + ["C (TJK)"],
        "proposer": ["Ann A"] * 5 + ["Bob B"] * 6 + ["Cy C"],
        "outcome": ["taken_up", "no_follow_up", "no_follow_up", "no_follow_up", "no_follow_up",
                    "taken_up", "taken_up", "in_progress", "no_follow_up", "no_follow_up",
                    "no_follow_up", "taken_up"],
    })


def test_leader_texts_name_the_top_the_best_share_and_the_fewest():
    from summit_book.tracker import leader_texts
    texts = leader_texts(_tracked_leaders())
    assert texts["top_leader"] == "the most were recorded for B (6)"
    # C has the highest share (1 of 1) but fewer than five proposals, so B wins
    assert texts["best_share"] == "that of B (2 of 6)"
    assert texts["fewest"] == "C (1)"
    nothing = _tracked_leaders().assign(outcome="no_follow_up")
    assert leader_texts(nothing)["best_share"].startswith("nil")


def test_statuses_in_words_single_and_mixed():
    from summit_book.tracker import statuses_in_words
    assert statuses_in_words(pd.Series(["proposed"] * 3)) == "all 3 had the status “proposed”"
    assert statuses_in_words(pd.Series(["proposed", "proposed", "in_progress"])) == \
        "these statuses: proposed (2) and in progress (1)"


def test_proposals_in_words_lowercases_and_sorts():
    from summit_book.tracker import proposals_in_words
    frame = pd.DataFrame({"proposer": ["Ann Zed", "Bob Young"], "proposer_person_id": ["z", "y"],
                          "proposal_id": ["p1", "p2"], "summary": ["Do this.", "Do that."]})
    assert proposals_in_words(frame) == "Young: do that; Zed: do this"
