"""The data itself: valid against its schema (ours and Frictionless'), every row sourced,
keys resolving, facts consistent across tables, and everything the seed articles mention
present."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest

from summit_book import load_table, table_names, validate_all
from summit_book.bibliography import BIB_PATH, render_bibliography
from summit_book.tables import DATAPACKAGE_PATH, read_datapackage

CUTOFF = dt.date.fromisoformat(read_datapackage()["dataCutoff"])


def test_every_table_is_valid():
    problems = validate_all()
    assert not problems, "\n".join(map(str, problems))


def test_frictionless_agrees_the_package_is_valid():
    """An independent validator: the Frictionless framework reads the same descriptor."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATAPACKAGE_PATH))
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, "\n".join(errors[:20])


def test_every_csv_in_data_is_described():
    described = {entry["path"] for entry in read_datapackage()["resources"]}
    on_disk = {path.name for path in DATAPACKAGE_PATH.parent.glob("*.csv")}
    assert on_disk == described


@pytest.mark.parametrize("name", [n for n in table_names() if n != "sources"])
def test_every_row_names_a_source(name):
    table = load_table(name)
    if "source_ids" in table:
        unsourced = table[table["source_ids"].map(len) == 0]
    else:
        assert "source_id" in table, f"{name} has neither source_ids nor source_id"
        unsourced = table[table["source_id"].isna() | (table["source_id"] == "")]
    assert unsourced.empty, unsourced.head()


def test_references_bib_is_generated_from_sources():
    assert BIB_PATH.read_text(encoding="utf-8") == render_bibliography()
    keys = set(re.findall(r"^@\w+\{([^,]+),", BIB_PATH.read_text(encoding="utf-8"), re.M))
    assert keys == set(load_table("sources")["source_id"])


def test_every_source_is_used_by_some_row():
    used: set[str] = set()
    for name in table_names():
        table = load_table(name)
        for column in ("source_ids", "status_source_ids"):
            if column in table:
                used.update(s for ids in table[column] for s in ids)
        if "source_id" in table and name != "sources":
            used.update(table["source_id"].dropna())
    unused = set(load_table("sources")["source_id"]) - used
    assert not unused, f"sources that no row cites: {sorted(unused)}"


def test_statements_have_exactly_one_source_per_row():
    statements = load_table("statements")
    assert (statements["source_ids"].map(len) == 1).all()


def test_no_date_after_the_cutoff():
    for name in table_names():
        table = load_table(name)
        for field in [f for f in read_datapackage()["resources"][table_names().index(name)]
                      ["schema"]["fields"] if f["type"] == "date"]:
            late = [d for d in table[field["name"]] if d is not None and d > CUTOFF]
            assert not late, f"{name}.{field['name']} has dates after the cut-off: {late}"


def test_meetings_are_numbered_in_date_order():
    meetings = load_table("meetings").sort_values("ordinal")
    assert list(meetings["ordinal"]) == list(range(1, len(meetings) + 1))
    held = meetings[meetings["status"] == "held"]
    assert held["date_start"].map(lambda d: d is not None).all(), "a held meeting needs its date"
    assert held["city"].notna().all(), "a held meeting needs its city"
    assert list(held["date_start"]) == sorted(held["date_start"])
    assert (held["date_end"] >= held["date_start"]).all()
    assert list(held["ordinal"]) == list(range(1, len(held) + 1)), "held meetings come first"
    assert held["ordinal"].max() >= 7


def test_every_participant_is_represented_at_every_held_meeting():
    meetings = load_table("meetings").set_index("meeting_id")
    countries = load_table("countries")
    attendance = load_table("attendance")
    for meeting_id, meeting in meetings[meetings["status"] == "held"].iterrows():
        expected = set(countries.loc[countries["participant_since"] <= meeting["date_end"],
                                     "country_id"])
        present = attendance[(attendance["meeting_id"] == meeting_id)
                             & attendance["capacity"].isin(["head_of_state", "representative"])]
        assert set(present["country_id"]) == expected, meeting_id
        assert not present["country_id"].duplicated().any(), meeting_id


def test_attendees_represent_their_own_country():
    people = load_table("people").set_index("person_id")
    attendance = load_table("attendance")
    for row in attendance.itertuples():
        if not pd.isna(row.country_id):
            assert people.loc[row.person_id, "country_id"] == row.country_id, row


def test_chair_is_the_host_countrys_representative():
    people = load_table("people").set_index("person_id")
    for row in load_table("meetings").itertuples():
        assert people.loc[row.chair_person_id, "country_id"] == row.host_country_id, row


def test_document_taking_up_a_proposal_was_adopted_at_or_after_it():
    meetings = load_table("meetings").set_index("meeting_id")
    documents = load_table("documents").set_index("document_id")
    proposals = load_table("proposals")
    for row in proposals.dropna(subset=["taken_up_by_document_id"]).itertuples():
        adopted_at = documents.loc[row.taken_up_by_document_id, "meeting_id"]
        assert meetings.loc[adopted_at, "ordinal"] >= meetings.loc[row.meeting_id, "ordinal"], row
        assert row.status == "adopted_in_document", row


def test_targets_and_measurements_are_consistent():
    statements = load_table("statements")
    assert statements.loc[~statements["is_target"], "target_year"].isna().all()


def test_variants_point_at_existing_rows():
    keys = {name: read_datapackage()["resources"][table_names().index(name)]["schema"]["primaryKey"]
            for name in table_names()}
    for row in load_table("variants").itertuples():
        table = load_table(row.table_name)
        key = keys[row.table_name]
        if isinstance(key, str):
            assert row.row_id in set(table[key]), row
        else:
            joined = set(table[key].astype(str).agg("/".join, axis=1))
            assert row.row_id in joined, row
        assert row.column_name in table.columns, row


def test_variants_can_point_at_every_table():
    """A disagreement about any table's row can be recorded: a new table must join the
    enumeration of variants.table_name."""
    fields = read_datapackage()["resources"][table_names().index("variants")]["schema"]["fields"]
    allowed = set(next(f for f in fields if f["name"] == "table_name")["constraints"]["enum"])
    assert allowed == set(table_names()) - {"sources", "variants"}


def test_sources_accessed_by_the_cutoff_and_published_before_access():
    sources = load_table("sources")
    for row in sources.itertuples():
        assert row.accessed <= CUTOFF
        if row.date_published is not None:
            assert row.date_published <= row.accessed, row.source_id


def test_datapackage_is_plain_json_with_a_cutoff():
    package = json.loads(DATAPACKAGE_PATH.read_text(encoding="utf-8"))
    assert dt.date.fromisoformat(package["dataCutoff"])


def test_each_indicator_value_cites_the_dataset_of_its_series():
    indicators = load_table("indicators")
    definitions = load_table("indicator_definitions").set_index("indicator_id")
    expected = indicators["indicator_id"].map(definitions["source_id"])
    mismatched = indicators[indicators["source_id"] != expected]
    assert mismatched.empty, mismatched.head()


def test_indicators_cover_the_six_participants():
    indicators = load_table("indicators")
    countries = set(load_table("countries")["country_id"])
    for series in ("population", "internet_users", "electricity_generation_total",
                   "merchandise_exports_usd"):
        covered = set(indicators.loc[indicators["indicator_id"] == series, "area_code"])
        assert countries <= covered, (series, countries - covered)


def test_the_data_readme_lists_every_table():
    readme = (DATAPACKAGE_PATH.parent / "README.md").read_text(encoding="utf-8")
    missing = [name for name in table_names() if f"`{name}.csv`" not in readme]
    assert not missing, f"data/README.md does not describe: {missing}"


def test_no_two_sources_share_an_address():
    """One page, one source: a second id for the same URL splits its citations in two."""
    sources = load_table("sources")
    repeated = sources[sources["url"].duplicated(keep=False)].sort_values("url")
    assert repeated.empty, repeated[["source_id", "url"]].to_string()
