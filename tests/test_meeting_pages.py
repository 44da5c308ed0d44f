"""The meeting pages and the key numbers: one page per meeting, in sync with the data, every
value on it taken from the tables and shown as text; the home page's numbers from the data."""

from __future__ import annotations

import re

import pytest
import yaml

import summit_book.meeting_pages as meeting_pages
from summit_book import load_table
from summit_book.home import HOME_TABLES, key_numbers, meetings_list
from summit_book.meeting_pages import (PAGE_TABLES, TEMPLATE, download_frames, load_page_tables,
                                       page_path, proposals_frame, render_page, stale_pages,
                                       treaty_status)
from summit_book.paths import TOC_PATH


@pytest.fixture(scope="module")
def tables():
    return load_page_tables()


def test_every_meeting_has_its_page_in_the_table_of_contents(tables):
    toc = yaml.safe_load(TOC_PATH.read_text(encoding="utf-8"))
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    for meeting_id in tables["meetings"]["meeting_id"]:
        assert page_path(meeting_id).exists(), f"no page for {meeting_id}"
        assert f"meetings/{meeting_id}" in files, f"meetings/{meeting_id} is not in _toc.yml"


def test_committed_pages_are_what_the_data_gives(tables):
    assert stale_pages(tables) == [], "run: python -m summit_book.meeting_pages"


def test_the_template_holds_no_number_and_no_table_name():
    """Every number on a page is substituted from the data; the template types none."""
    text = TEMPLATE.template
    assert not re.search(r"\d", text)
    assert not any(f"`{name}`" in text for name in PAGE_TABLES)


def test_seventh_meeting_page_states_what_the_data_say(tables):
    page = render_page("cm07", tables)
    documents = tables["documents"].query("meeting_id == 'cm07'")
    proposals = tables["proposals"].query("meeting_id == 'cm07'")
    assert page.startswith("(meeting-cm07)=\n# The seventh meeting: Tashkent, 16 November 2025\n")
    assert f"Documents adopted: {len(documents)}." in page
    assert f"Proposals made by the leaders: {len(proposals)};" in page
    from summit_book.tracker import OUTCOME_LABELS, evidence_horizon, track

    tracked = track(tables["proposals"], tables["meetings"], tables["proposal_links"],
                    tables["people"], tables["proposal_evidence"],
                    evidence_horizon(tables["sources"]))
    for shown, group in tracked[tracked["meeting_id"] == "cm07"].groupby("shown"):
        assert f"**{OUTCOME_LABELS[shown]}: {len(group)}** (" in page.replace("\\", "")
    for title in documents["title"]:
        assert f"**{title}**" in page.replace("\\", "")
    # documents and proposals come before the background (attendance, figures, disputes)
    assert page.index("## Documents adopted") < page.index("## Proposals and their status") \
        < page.index("## Who attended") < page.index("## Where the sources disagree")


def test_each_proposal_shows_its_status_and_latest_evidence(tables):
    frame = proposals_frame("cm07", tables)
    source = tables["proposals"].query("meeting_id == 'cm07'").set_index("summary")
    assert len(frame) == len(source)
    steps = tables["proposal_evidence"].groupby("proposal_id")["date"].max()
    for row in frame.itertuples():
        proposal_id = source.loc[row.proposal, "proposal_id"]
        if proposal_id in steps.index:
            assert row[4] == steps[proposal_id].isoformat()
        else:
            assert row[4] == "", f"{proposal_id}: a date shown without a logged step"


def test_an_announced_meeting_says_what_is_not_known(tables):
    announced = tables["meetings"][tables["meetings"]["status"] != "held"]
    assert len(announced), "the data hold the next meeting as announced"
    for meeting in announced.itertuples():
        page = render_page(meeting.meeting_id, tables)
        assert "Not known at the data cut-off" in page
        assert "the date" in page and "the place" in page


def test_a_treaty_shows_its_steps_from_the_treaty_tables(tables):
    status = treaty_status("cm04-friendship-treaty", tables)
    actions = tables["treaty_actions"].query("treaty_id == 'ca-friendship-2022' and version == 'record'")
    for action in actions.itertuples():
        assert action.date.isoformat() in status
    assert "ratified: no record" in status or "ratified:" in status
    assert treaty_status("cm07-joint-statement", tables) == ""


def test_a_data_change_reaches_the_page(data_copy):
    data_copy.edit("meetings", 6, "city", "Samarkand")
    page = render_page("cm07", load_page_tables())
    assert "# The seventh meeting: Samarkand, 16 November 2025" in page


def test_data_is_text_never_markup(data_copy):
    rows = data_copy.rows("documents")
    index = next(i for i, r in enumerate(rows) if r["document_id"] == "cm07-security-concept")
    data_copy.edit("documents", index, "title", "Concept *bold* {source}`x` <b>[link](http://a)</b>")
    page = render_page("cm07", load_page_tables())
    line = next(line for line in page.splitlines() if "Concept" in line and "bold" in line)
    assert "\\*bold\\*" in line and "\\{source\\}\\`x\\`" in line and "\\<b\\>\\[link\\]" in line
    assert "*bold*" not in line.replace("\\*", "")


def test_downloads_hold_the_rows_behind_each_section(tables):
    frames = download_frames("cm07", tables)
    assert set(frames) == {part for part, _ in meeting_pages.DOWNLOADS}
    assert len(frames["documents"]) == len(tables["documents"].query("meeting_id == 'cm07'"))
    assert all(frame["meeting_id"].eq("cm07").all() for name, frame in frames.items()
               if name != "variants")


def test_key_numbers_are_computed_from_the_tables():
    tables = {name: load_table(name) for name in HOME_TABLES}
    numbers = {n.key: n for n in key_numbers(tables)}
    meetings = tables["meetings"]
    assert numbers["meetings_held"].value == str(int((meetings["status"] == "held").sum()))
    assert numbers["proposals_tracked"].value == str(len(tables["proposals"]))
    assert numbers["documents_adopted"].value == str(
        int((tables["documents"]["adopted_by"] == "heads_of_state").sum()))
    assert all(n.section and n.definition and n.source for n in numbers.values())
    listed = meetings_list(tables)
    for meeting_id in meetings["meeting_id"]:
        assert f"{{doc}}`meetings/{meeting_id}`" in listed


def test_rows_named_by_key_are_shown_in_reader_words():
    """A variant points at its row by table and key; pages show the row's own words instead."""
    import pandas as pd

    from summit_book.meeting_pages import about_in_words, row_in_words
    from summit_book.tables import load_table

    proposals = load_table("proposals").set_index("proposal_id")
    key = proposals.index[0]
    assert row_in_words("proposals", key) == proposals.at[key, "summary"]
    meetings = load_table("meetings").set_index("meeting_id")
    first = meetings.index[meetings["ordinal"] == 1][0]
    assert row_in_words("meetings", first) == f"the first meeting, in {meetings.at[first, 'city']}"
    frame = pd.DataFrame({"table_name": ["proposals"], "row_id": [key], "column_name": ["status"]})
    about = about_in_words(frame).iloc[0]
    assert key not in about and about.endswith(" (status)")
    with pytest.raises(KeyError, match="proposals: no row 'no-such-key'"):
        row_in_words("proposals", "no-such-key")
    with pytest.raises(KeyError, match="table_name 'corridor_points'"):
        row_in_words("corridor_points", "x")


def test_key_numbers_link_by_what_they_count_and_refuse_a_label_that_breaks_the_link():
    from summit_book.home import KeyNumber, key_numbers_list

    number = KeyNumber("trade", "Intra-regional trade target", "USD 15 billion", "how", "table",
                       "sec-trade-targets")
    assert key_numbers_list([number]) == (
        "- **USD 15 billion**: {ref}`intra-regional trade target <sec-trade-targets>`")
    with pytest.raises(ValueError, match="'trade'.*cannot be a link text"):
        key_numbers_list([KeyNumber("trade", "A `tick", "1", "how", "table", "sec-x")])
