"""Invariants of the partners chapter's tables: the "Central Asia +" formats, their meetings
and the 2026 Security Council vote that the seventh meeting's appeal asked UN members to back."""

from __future__ import annotations

import pandas as pd
import pytest

from summit_book import load_table
UN_MEMBERS = 193


@pytest.fixture(scope="module")
def formats():
    return load_table("partner_formats")


@pytest.fixture(scope="module")
def meetings():
    return load_table("partner_meetings")


@pytest.fixture(scope="module")
def votes():
    return load_table("unsc_election_votes")


def matches(partial: str, meeting) -> bool:
    """A reduced-precision ISO date ('2022', '2022-09', '2022-09-01') fits a meeting row."""
    if meeting.date_start is not None:
        return meeting.date_start.isoformat().startswith(partial)
    return len(partial) < 10 and int(partial[:4]) == meeting.year


@pytest.mark.parametrize("level, column", [("ministers", "first_ministerial_date"),
                                           ("heads_of_state", "first_summit_date")])
def test_first_dates_are_the_earliest_held_meetings(formats, meetings, level, column):
    """A format's 'first' date is a held meeting of that level, and none was held earlier."""
    for row in formats.itertuples():
        held = meetings[(meetings["format_id"] == row.format_id) & (meetings["level"] == level)
                        & (meetings["status"] == "held")]
        first = getattr(row, column)
        if pd.isna(first):
            assert held.empty or level == "ministers", (row.format_id, "held but no first date")
            continue
        fitting = [m for m in held.itertuples() if matches(first, m)]
        assert fitting, f"{row.format_id}: no held {level} meeting on {first}"
        earlier = held[held["year"] < int(first[:4])]
        if level == "heads_of_state":
            # A partner may call a later meeting its first summit (the EU: Samarkand 2025, after
            # the leaders' meetings of 2022 and 2023); the format's notes must then name each
            # earlier year, so the table never hides them.
            for year in earlier["year"]:
                assert str(year) in row.notes, f"{row.format_id}: notes do not mention the {level} meeting of {year}"
        else:
            assert earlier.empty, f"{row.format_id}: a held {level} meeting predates {first}"


def test_summit_first_date_means_a_summit_was_held(formats, meetings):
    summit_formats = set(meetings.loc[(meetings["level"] == "heads_of_state")
                                      & (meetings["status"] == "held"), "format_id"])
    with_date = set(formats.loc[formats["first_summit_date"].notna(), "format_id"])
    assert summit_formats == with_date


def test_meeting_dates_match_the_year_and_none_held_after_the_cutoff():
    """The validator's rules (the build applies them too): dates in the meeting's year, as a
    pair, in order, none held after the cut-off."""
    from summit_book.rules import check_rules

    problems = check_rules(["partner-meetings-dated", "dates-in-order"])
    assert not problems, "\n".join(map(str, problems))


def test_meetings_not_held_explain_themselves(meetings):
    """Postponed and announced meetings must say what is known and what is missing."""
    pending = meetings[meetings["status"] != "held"]
    assert not pending.empty
    assert pending["notes"].map(lambda n: bool(n and n.strip())).all()


def test_ids_name_their_format_and_year(meetings):
    for row in meetings.itertuples():
        assert row.meeting_id.startswith(f"{row.format_id}-{row.year}"), row.meeting_id


def test_one_summit_per_format_and_year(meetings):
    """The figure draws one marker per format and year of leaders' meetings: at most one summit
    held, and a second row in the same year only for a summit put off and then held that year."""
    summits = meetings[meetings["level"] == "heads_of_state"]
    held = summits[summits["status"] == "held"]
    assert not held.duplicated(["format_id", "year"]).any()
    doubled = summits[summits.duplicated(["format_id", "year"], keep=False)]
    for _, group in doubled.groupby(["format_id", "year"]):
        assert sorted(group["status"]) == ["held", "postponed"], group["meeting_id"].tolist()


def test_votes_have_one_source_each_and_add_up(votes):
    assert (votes["source_ids"].map(len) == 1).all()
    keyed = votes.assign(source=votes["source_ids"].map(lambda ids: ids[0]))
    totals = keyed.groupby(["source", "round"], as_index=False)["votes"].sum()
    assert totals["votes"].le(UN_MEMBERS).all()


def test_sources_agree_where_they_report_the_same_figure(votes):
    keyed = votes.assign(source=votes["source_ids"].map(lambda ids: ids[0]))
    spread = keyed.groupby(["round", "candidate_country"])["votes"].nunique()
    assert (spread == 1).all(), spread[spread > 1]


def test_the_winner_reached_two_thirds_in_the_last_round(votes):
    last = votes[votes["round"] == votes["round"].max()]
    winner = last.loc[last["votes"].idxmax()]
    assert winner["candidate_country"] == "Kyrgyzstan"
    assert winner["votes"] >= winner["votes_required"]
    losers = last[last["candidate_country"] != winner["candidate_country"]]
    assert (losers["votes"] < losers["votes_required"]).all()


def test_votes_follow_the_appeal_of_the_seventh_meeting(votes):
    documents = load_table("documents").set_index("document_id")
    meetings = load_table("meetings").set_index("meeting_id")
    for document_id in set(votes["document_id"]):
        meeting = meetings.loc[documents.loc[document_id, "meeting_id"]]
        assert (votes["election_date"] > meeting["date_start"]).all()


def test_partner_proposals_exist_and_are_sourced():
    proposals = load_table("proposals")
    partners = proposals[proposals["theme"] == "partners"]
    assert len(partners) >= 4
    assert partners["status_source_ids"].map(len).gt(0).all()
