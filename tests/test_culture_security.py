"""Tests for the culture and security chapters: the treaty-steps figure and the invariants of
the tables they add (treaties, treaty_actions, border_facts, tourism_reported_figures,
regional_events)."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from summit_book import load_table  # noqa: E402
from summit_book.plots_culture_security import STEP_STYLES, plot_treaty_steps  # noqa: E402
from summit_book.units import convert  # noqa: E402

MY_THEMES = {"culture_tourism", "education_society", "security"}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def actions():
    return load_table("treaty_actions")


def test_treaty_steps_figure_has_title_labels_source_and_one_legend_entry_per_step_kind():
    steps = pd.DataFrame({
        "treaty_id": ["a", "a", "b", "b"],
        "action": ["signed", "ratified", "signed", "instruments_exchanged"],
        "date": [dt.date(2022, 7, 21), dt.date(2023, 3, 1), dt.date(2025, 3, 13), None],
        "country_id": ["KAZ", "KGZ", None, None],
    })
    fig = plot_treaty_steps(steps, ["a", "b"], {"a": "Treaty A"}, "Title", "the test table.")
    ax = fig.axes[0]
    assert ax.get_title() == "Title"
    assert ax.get_xlabel() and ax.get_ylabel()
    assert "Source: the test table." in [t.get_text() for t in fig.texts]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Treaty A", "b"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]  # below the axes
    # the undated exchange is left out of the figure, so it has no legend entry
    assert legend == [STEP_STYLES["signed"][0], STEP_STYLES["ratified"][0]]
    assert {a.get_text() for a in ax.texts} == {"KAZ", "KGZ"}


def test_treaty_steps_since_signature_counts_days_from_the_signature():
    steps = pd.DataFrame({
        "treaty_id": ["a", "a", "a"],
        "action": ["signed_by_delegations", "signed", "ratified"],
        "date": [dt.date(2025, 2, 21), dt.date(2025, 3, 13), dt.date(2025, 3, 25)],
        "country_id": [None, None, "KGZ"],
    })
    fig = plot_treaty_steps(steps, ["a"], {}, "Title", "the test table.", since_signature=True)
    ax = fig.axes[0]
    xs = sorted(x for line in ax.get_lines() if line.get_marker() not in (None, "None", "")
                for x in line.get_xdata())
    assert xs == [-20, 0, 12]
    assert "signature" in ax.get_xlabel()


def test_step_styles_differ_by_shape_or_fill_not_only_colour():
    looks = {(marker, filled) for _, marker, _, filled in STEP_STYLES.values()}
    assert len(looks) == len(STEP_STYLES)


def test_every_treaty_action_has_a_known_step_style(actions):
    assert set(actions["action"]) <= set(STEP_STYLES)


def test_one_record_row_per_treaty_country_and_step(actions):
    records = actions[actions["version"] == "record"]
    key = records["treaty_id"] + "|" + records["country_id"].fillna("") + "|" + records["action"]
    assert not key.duplicated().any(), list(key[key.duplicated()])


def test_every_variant_date_has_a_record_for_the_same_step(actions):
    records = actions[actions["version"] == "record"]
    record_keys = set(zip(records["treaty_id"], records["country_id"].fillna(""), records["action"]))
    variants = actions[actions["version"] == "variant"].fillna({"country_id": ""})
    assert not variants.empty
    for row in variants.itertuples():
        assert (row.treaty_id, row.country_id, row.action) in record_keys, row.action_id
        assert row.official_support != "official", row.action_id


def test_treaty_steps_are_consistent(actions):
    """Date and precision agree, steps follow the signature, a country's step is by a party,
    no date after the cut-off: the validator's rules (the build applies them too)."""
    from summit_book.rules import check_rules

    assert len(actions) > 0
    problems = check_rules(["treaty-steps-consistent"])
    assert not problems, "\n".join(map(str, problems))


def test_friendship_treaty_signatures_seed_facts(actions):
    """Kazakhstan, Kyrgyzstan and Uzbekistan signed at Cholpon-Ata; Tajikistan on 28 Aug 2025;
    no Turkmen signature was found (the chapters say so)."""
    signed = actions[(actions["treaty_id"] == "ca-friendship-2022") & (actions["action"] == "signed")]
    dates = dict(zip(signed["country_id"], signed["date"]))
    assert dates == {"KAZ": dt.date(2022, 7, 21), "KGZ": dt.date(2022, 7, 21),
                     "UZB": dt.date(2022, 7, 21), "TJK": dt.date(2025, 8, 28)}
    treaty = load_table("treaties").set_index("treaty_id").loc["ca-friendship-2022"]
    assert treaty["document_id"] == "cm04-friendship-treaty"


def test_border_facts_convert_and_name_borders_the_treaty_covers():
    facts = load_table("border_facts")
    treaties = load_table("treaties").set_index("treaty_id")
    for row in facts.itertuples():
        assert convert(row.value, row.unit, row.unit) == pytest.approx(row.value)
        assert row.country_a != row.country_b
        if isinstance(row.treaty_id, str):
            assert {row.country_a, row.country_b} <= set(treaties.loc[row.treaty_id, "parties"])
    lengths = facts[facts["measure"] == "border_length"]
    kgz_tjk = set(lengths.loc[(lengths["country_a"] == "KGZ") & (lengths["country_b"] == "TJK"), "value"])
    assert {972.0, 1006.84} <= kgz_tjk  # the two figures the chapter sets side by side


def test_tourism_figures_convert_to_persons_and_periods_are_ordered():
    figures = load_table("tourism_reported_figures")
    for row in figures.itertuples():
        assert convert(row.value, row.unit, "persons") > 0
        assert row.period_start <= row.period_end


def test_regional_events_follow_up_proposals_of_these_themes():
    events = load_table("regional_events")
    proposals = load_table("proposals").set_index("proposal_id")
    linked = events[events["proposal_id"].notna()]
    assert not linked.empty
    assert set(proposals.loc[linked["proposal_id"], "theme"]) <= MY_THEMES
    records = events[events["version"] == "record"]
    assert not records["name"].duplicated().any()
    assert (events["date_end"].isna() | (events["date_end"] >= events["date_start"])).all()


def test_security_documents_of_2025_exist():
    documents = load_table("documents").set_index("document_id")
    for document_id in ("cm07-security-concept", "cm07-risk-catalogue"):
        assert "security" in documents.loc[document_id, "themes"]
