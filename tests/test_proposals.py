"""The proposals tracker: the status rules on small frames, each recorded status derived from the
evidence log, and the invariants of the links table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from summit_book import load_table
from summit_book.tracker import (OUTCOME_LABELS, OUTCOMES, STATUS_ORDER, count_matrix,
                                 counted_once, derive_statuses, evidence_horizon, idea_statuses,
                                 idea_paths, is_stalled, outcome_counts, path_table,
                                 share_taken_up, shown_statuses, taken_up_documents, track)

D = dt.date


def _meetings():
    return pd.DataFrame({"meeting_id": ["cm05", "cm06"],
                         "date_end": [D(2023, 9, 14), D(2024, 8, 9)]})


def _proposals():
    return pd.DataFrame({
        "proposal_id": ["a", "b", "c", "d", "e", "f", "g"],
        "meeting_id": ["cm05", "cm05", "cm05", "cm05", "cm05", "cm06", "cm05"],
        "kind": ["institution", "institution", "event", "event", "other", "event", "document"],
        "status": ["adopted_in_document", "in_progress", "proposed", "proposed",
                   "no_record_found", "proposed", "adopted_in_document"],
        "taken_up_by_document_id": ["doc-a", None, None, None, None, None, "doc-g"],
    })


def _evidence():
    return pd.DataFrame({
        "evidence_id": [f"ev-{i:03d}" for i in range(1, 8)],
        "proposal_id": ["a", "b", "b", "d", "e", "g", "g"],
        "date": [D(2024, 8, 9), D(2024, 1, 1), D(2025, 1, 1), D(2024, 1, 1), D(2025, 6, 1),
                 D(2023, 12, 1), D(2024, 8, 9)],
        "effect": ["adopted_in_document", "no_step_found", "in_progress", "restated",
                   "no_step_found", "in_progress", "adopted_in_document"],
    })


def _links():
    return pd.DataFrame({
        "proposal_id": ["c", "e", "a"],
        "later_proposal_id": ["f", "f", None],
        "document_id": [None, None, "doc-x"],
        "relation": ["reappears_as", "builds_on", "taken_up_by"],
    })


def test_derived_status_takes_the_latest_step_and_a_search_never_overrides_progress():
    derived = derive_statuses(_proposals(), _evidence())
    assert list(derived["status"]) == list(_proposals()["status"])
    assert derived.loc["b", "last_step"] == D(2025, 1, 1) and derived.loc["b", "steps"] == 2
    assert derived.loc["c", "last_step"] is None and derived.loc["c", "steps"] == 0
    # a later search finding nothing leaves a step of progress in place
    later_search = pd.concat([_evidence(), pd.DataFrame({
        "evidence_id": ["ev-099"], "proposal_id": ["b"], "date": [D(2026, 1, 1)],
        "effect": ["no_step_found"]})])
    assert derive_statuses(_proposals(), later_search).loc["b", "status"] == "in_progress"
    # a later adoption supersedes an earlier draft (g), whatever their ranks
    assert derived.loc["g", "status"] == "adopted_in_document"


def test_derived_status_on_the_latest_day_is_its_most_advanced_and_restatements_count_as_steps():
    evidence = pd.DataFrame({
        "evidence_id": ["ev-1", "ev-2", "ev-3", "ev-4", "ev-5"],
        "proposal_id": ["a", "a", "a", "d", "d"],
        "date": [D(2024, 1, 1), D(2024, 5, 1), D(2024, 5, 1), D(2024, 1, 1), D(2024, 2, 1)],
        "effect": ["implemented", "in_progress", "partly_done", "restated", "no_step_found"],
    })
    for log in (evidence, evidence.iloc[::-1]):  # the log's row order does not matter
        derived = derive_statuses(_proposals(), log)
        assert list(derived.index) == list(_proposals()["proposal_id"])
        # the latest day sets the status (not the earlier "implemented"), the most advanced of it
        assert derived.loc["a"].to_dict() == {"status": "partly_done", "last_step": D(2024, 5, 1),
                                              "restated": False, "steps": 3}
        # a restatement sets no status but is a step; a search then counts
        assert derived.loc["d"].to_dict() == {"status": "no_record_found",
                                              "last_step": D(2024, 2, 1), "restated": True,
                                              "steps": 2}
        assert derived.loc["c"].to_dict() == {"status": "proposed", "last_step": None,
                                              "restated": False, "steps": 0}


def test_shown_statuses_at_a_horizon():
    shown = shown_statuses(_proposals(), _evidence(), D(2025, 6, 1), _links())
    assert list(shown) == ["adopted_in_document", "in_progress", "raised_again", "raised_again",
                           "no_record_found", "not_yet_assessed", "adopted_in_document"]


def test_moving_the_horizon_makes_statuses_stall():
    early = shown_statuses(_proposals(), _evidence(), D(2025, 6, 1), _links())
    late = shown_statuses(_proposals(), _evidence(), D(2026, 2, 1), _links())
    assert early.iloc[1] == "in_progress"
    assert late.iloc[1] == "stalled"            # no step on b for 13 months
    assert late.iloc[0] == "stalled"            # adopted, not a document: stalls
    assert late.iloc[6] == "adopted_in_document"  # the aim was a document: adoption ends it
    assert (early != late).sum() == 2


def test_stall_rule_boundary():
    assert not is_stalled("in_progress", "event", D(2025, 1, 15), D(2026, 1, 14))
    assert is_stalled("in_progress", "event", D(2025, 1, 15), D(2026, 1, 15))
    assert not is_stalled("implemented", "event", D(2020, 1, 1), D(2026, 1, 1))
    assert not is_stalled("in_progress", "event", None, D(2026, 1, 1))


def test_restated_proposals_are_counted_once_with_the_idea_status():
    counted = counted_once(_proposals(), _links())
    assert list(counted) == [True, True, True, True, True, False, True]
    shown = shown_statuses(_proposals(), _evidence(), D(2025, 6, 1), _links())
    shown.iloc[5] = "in_progress"  # the repeat got further than the first appearance
    ideas = idea_statuses(_proposals(), shown, _links())
    assert ideas.iloc[2] == "in_progress" and ideas.iloc[5] == "in_progress"


def test_evidence_horizon_is_the_latest_publication():
    sources = pd.DataFrame({"source_id": ["s1", "s2", "s3"],
                            "date_published": [D(2025, 1, 1), None, D(2026, 3, 1)]})
    assert evidence_horizon(sources) == D(2026, 3, 1)
    assert evidence_horizon(sources, ["s1", "s2"]) == D(2025, 1, 1)
    with pytest.raises(ValueError):
        evidence_horizon(sources, ["s2"])


def test_share_taken_up():
    shown = shown_statuses(_proposals(), _evidence(), D(2025, 6, 1), _links())
    assert share_taken_up(shown) == pytest.approx(3 / 7)
    assert share_taken_up(pd.Series([], dtype=object)) == 0.0


def test_outcome_counts_order_and_totals():
    frame = _proposals().assign(outcome=shown_statuses(_proposals(), _evidence(), D(2025, 6, 1), _links()))
    counts = outcome_counts(frame, "meeting_id")
    assert list(counts.index) == ["cm05", "cm06"]
    assert list(counts.columns) == [o for o in OUTCOMES if o in set(frame["outcome"])]
    assert counts.to_numpy().sum() == len(frame)
    assert list(outcome_counts(frame, "meeting_id", order=["cm06", "cm05"]).index) == ["cm06", "cm05"]


def test_every_shown_status_has_a_label():
    assert set(OUTCOMES) == set(OUTCOME_LABELS)
    assert "stalled" not in STATUS_ORDER, "stalled is computed, never recorded"


def test_idea_paths_follow_links_from_roots():
    links = pd.DataFrame({"proposal_id": ["a", "b", "x"], "later_proposal_id": ["b", "c", "y"],
                          "document_id": [None] * 3, "relation": ["reappears_as", "builds_on", "builds_on"]})
    assert idea_paths(links) == [["a", "b", "c"], ["x", "y"]]


def test_taken_up_documents_prefers_the_proposals_table():
    documents = taken_up_documents(_proposals(), _links())
    assert documents == {"a": "doc-a", "g": "doc-g"}


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
                          "outcome": ["implemented", "not_yet_assessed", "no_record_found"]})
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
    tracked = track(proposals, meetings, _links(), people, _evidence(), D(2025, 6, 1))
    assert list(tracked["counted"]) == [True] * 5 + [False, True]
    assert list(tracked["steps"]) == [1, 2, 0, 1, 1, 0, 2]
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
        "outcome": ["implemented", "not_yet_assessed", "not_yet_assessed", "not_yet_assessed",
                    "not_yet_assessed", "implemented", "adopted_in_document", "raised_again",
                    "not_yet_assessed", "no_record_found", "not_yet_assessed", "partly_done"],
    })


def test_leader_texts_name_the_top_the_best_share_and_the_fewest():
    from summit_book.tracker import leader_texts
    texts = leader_texts(_tracked_leaders())
    assert texts["top_leader"] == "the most were recorded for B (6)"
    # C has the highest share (1 of 1) but fewer than five proposals, so B wins
    assert texts["best_share"] == "that of B (2 of 6)"
    assert texts["fewest"] == "C (1)"
    nothing = _tracked_leaders().assign(outcome="not_yet_assessed")
    assert leader_texts(nothing)["best_share"].startswith("nil")


def test_statuses_in_words_single_and_mixed():
    from summit_book.tracker import statuses_in_words
    assert statuses_in_words(pd.Series(["no_record_found"] * 3)) == \
        "all 3 were “searched: no step found”"
    assert statuses_in_words(pd.Series(["not_yet_assessed", "not_yet_assessed", "in_progress"])) == \
        "these statuses: not yet assessed after the meeting (2) and under way (1)"


def test_proposals_in_words_lowercases_and_sorts():
    from summit_book.tracker import proposals_in_words
    frame = pd.DataFrame({"proposer": ["Ann Zed", "Bob Young"], "proposer_person_id": ["z", "y"],
                          "proposal_id": ["p1", "p2"], "summary": ["Do this.", "Do that."]})
    assert proposals_in_words(frame) == "Young: do that; Zed: do this"


# The evidence log against the recorded statuses ---------------------------------------------

@pytest.fixture(scope="module")
def evidence():
    return load_table("proposal_evidence")


def test_every_recorded_status_is_derived_from_the_evidence_log(proposals, evidence):
    derived = derive_statuses(proposals.reset_index(), evidence)
    mismatched = {pid: (row["status"], derived.loc[pid, "status"])
                  for pid, row in proposals.iterrows() if row["status"] != derived.loc[pid, "status"]}
    assert not mismatched, f"recorded status differs from the one the log supports: {mismatched}"


def test_every_status_beyond_the_initial_one_has_a_dated_step(proposals, evidence):
    stepped = set(evidence["proposal_id"])
    missing = [pid for pid, row in proposals.iterrows()
               if row["status"] != "proposed" and pid not in stepped]
    assert not missing


def test_status_date_and_sources_are_those_of_the_log(proposals, evidence):
    meetings = load_table("meetings").set_index("meeting_id")
    last = evidence.groupby("proposal_id")["date"].max()
    for pid, row in proposals.iterrows():
        expected = last.get(pid, meetings.loc[row["meeting_id"], "date_end"])
        assert row["status_as_of"] == expected, pid
        if pid in last.index:
            logged = {s for ids in evidence.loc[evidence["proposal_id"] == pid, "source_ids"] for s in ids}
            assert set(row["status_source_ids"]) == logged, pid


def test_steps_fall_between_the_meeting_and_the_evidence_horizon(proposals, evidence):
    meetings = load_table("meetings").set_index("meeting_id")
    horizon = evidence_horizon(load_table("sources"))
    for step in evidence.itertuples():
        start = meetings.loc[proposals.loc[step.proposal_id, "meeting_id"], "date_start"]
        assert start <= step.date <= horizon, step.evidence_id


def test_moving_the_horizon_changes_the_shown_statuses_of_the_data(proposals, evidence, links):
    frame = proposals.reset_index()
    horizon = evidence_horizon(load_table("sources"))
    now = shown_statuses(frame, evidence, horizon, links)
    later = shown_statuses(frame, evidence, horizon + dt.timedelta(days=730), links)
    earlier = shown_statuses(frame, evidence, dt.date(2025, 6, 30), links)
    assert (later == "stalled").sum() > (now == "stalled").sum() > (earlier == "stalled").sum()


def test_treaty_status_keeps_each_state_s_steps_apart():
    from summit_book.tracker import treaty_status_by_state
    treaty = pd.Series({"treaty_id": "t", "parties": ["AAA", "BBB", "CCC"], "source_ids": ["st"]})
    actions = pd.DataFrame({
        "treaty_id": ["t"] * 6 + ["u"],
        "country_id": ["AAA", "BBB", "AAA", None, "BBB", "CCC", "CCC"],
        "action": ["signed", "signed", "ratified", "instruments_exchanged", "ratified", "signed",
                   "ratified"],
        "date": [D(2022, 1, 1), D(2022, 1, 1), D(2022, 6, 1), D(2023, 1, 1), D(2022, 7, 1),
                 D(2024, 1, 1), D(2024, 2, 1)],
        "date_precision": ["day", "day", "day", "day", "on_or_before", "day", "day"],
        "version": ["record"] * 7,
        "source_ids": [["s1"], ["s1"], ["s2"], ["s3"], ["s4"], ["s5"], ["s6"]],
    })
    table = treaty_status_by_state(treaty, actions).set_index("state")
    assert table.loc["AAA", "ratified"] == "2022-06-01"
    assert table.loc["BBB", "ratified"] == "2022-07-01 (on or before)"
    assert table.loc["CCC", "ratified"] == "" and table.loc["CCC", "next step not found"] == "ratified"
    assert table.loc["AAA", "instruments exchanged"] == "2023-01-01"  # a joint step counts for each
    assert table.loc["AAA", "next step not found"] == "in force"
    assert table.loc["AAA", "source_ids"] == ["s1", "s2", "s3"]
    alone = treaty_status_by_state(pd.Series({"treaty_id": "v", "parties": ["DDD"], "source_ids": ["st"]}),
                                   actions).set_index("state")
    assert alone.loc["DDD", "signed"] == "" and alone.loc["DDD", "next step not found"] == "signed"
    assert alone.loc["DDD", "source_ids"] == ["st"]
