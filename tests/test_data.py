"""The data itself: valid against its schema (ours and Frictionless'), every row sourced,
keys resolving, facts consistent across tables.

The rules are the validator's (summit_book.tables and summit_book.rules), which the build runs
too: these tests call them rather than keep a second copy."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from summit_book import load_table, validate_all
from summit_book.bibliography import BIB_PATH, render_bibliography
from summit_book.rules import RULES, check_rules
from summit_book.tables import (DATAPACKAGE_PATH, READ_AFTER_CUTOFF, package_problems,
                                 read_datapackage, resource)


def test_every_table_is_valid():
    problems = validate_all()
    assert not problems, "\n".join(map(str, problems))


def test_frictionless_agrees_the_package_is_valid():
    """An independent validator: the Frictionless framework reads the same descriptor."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATAPACKAGE_PATH))
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, "\n".join(errors[:20])


def test_references_bib_is_generated_from_sources():
    assert BIB_PATH.read_text(encoding="utf-8") == render_bibliography()
    keys = set(re.findall(r"^@\w+\{([^,]+),", BIB_PATH.read_text(encoding="utf-8"), re.M))
    assert keys == set(load_table("sources")["source_id"])


def test_seven_meetings_held_so_far():
    """Content, not a rule: the book covers the seven meetings held by the cut-off (their
    order, dates and cities are the validator's rule meetings-in-order)."""
    meetings = load_table("meetings")
    assert meetings.loc[meetings["status"] == "held", "ordinal"].max() >= 7


#: The rules that used to live only in this file (and in chapter tests), now the validator's:
#: each must stay registered, so that the build applies it too.
RULES_FROM_THE_TESTS = {
    "every-row-sourced", "every-source-used", "published-before-accessed",
    "one-source-per-statement", "readme-lists-every-table", "dates-in-order",
    "meetings-in-order", "participants-represented", "attendees-of-their-country",
    "chair-from-host-country", "document-after-proposal", "links-without-cycles",
    "proposal-links-consistent", "no-self-links", "targets-have-target-years",
    "variants-point-at-rows", "variants-cover-every-table", "indicators-cite-their-dataset",
    "indicators-cover-participants", "partner-meetings-dated", "treaty-steps-consistent",
    "corridor-points-in-sequence",
}


def test_the_rules_from_the_tests_are_the_validators():
    assert RULES_FROM_THE_TESTS <= set(RULES), RULES_FROM_THE_TESTS - set(RULES)


@pytest.mark.parametrize("rule_name", sorted(RULES))
def test_rule_holds(rule_name):
    """Each of the validator's rules, one by one, on the real data (validate_all runs them all
    for the build; here a failure names the rule in the test id)."""
    problems = check_rules([rule_name])
    assert not problems, "\n".join(map(str, problems))


def test_package_rules_hold():
    """Every CSV in data/ described, every date field bounded by the cut-off."""
    problems = package_problems()
    assert not problems, "\n".join(map(str, problems))


def test_the_cutoff_bounds_every_date_and_source_urls_are_unique():
    """Rules the schema states, so that Frictionless checks them too."""
    cutoff = read_datapackage()["dataCutoff"]
    for entry in read_datapackage()["resources"]:
        for field in entry["schema"]["fields"]:
            if field["type"] == "date" and (entry["name"], field["name"]) not in READ_AFTER_CUTOFF:
                assert field["constraints"]["maximum"] == cutoff, (entry["name"], field["name"])
    url = next(f for f in resource("sources")["schema"]["fields"] if f["name"] == "url")
    assert url["constraints"]["unique"] is True


def test_datapackage_is_plain_json_with_a_cutoff():
    package = json.loads(DATAPACKAGE_PATH.read_text(encoding="utf-8"))
    assert dt.date.fromisoformat(package["dataCutoff"])
