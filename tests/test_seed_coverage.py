"""Everything the five seed articles (../shared/seeds) mention is in the data, with sources.

The checklist below was drawn up by reading the seeds; each entry names the row that records
the item. A row that is deleted, renamed or left unsourced fails its entry.
"""

from __future__ import annotations

import pytest

from summit_book import load_table

SEED_SOURCES = {
    "times-tengri": "timestengri-2025-11-18-tokayev",
    "astana-times": "astanatimes-2025-11-tokayev",
    "gulf-observer": "gulfobserver-2025-11-29-tokayev",
    "news-az": "newsaz-2025-11-21-saglam",
    "atn-astana-times-2024": "amerinews-2024-08-tokayev-vision",
}

# (what the seed mentions, table, key column, key)
CHECKLIST = [
    # the seventh meeting: documents
    ("joint statement, 2025", "documents", "document_id", "cm07-joint-statement"),
    ("security concept, 2025", "documents", "document_id", "cm07-security-concept"),
    ("catalogue of security risks 2026-2028", "documents", "document_id", "cm07-risk-catalogue"),
    ("Azerbaijan's full participation", "documents", "document_id", "cm07-decision-azerbaijan"),
    ("appeal on Kyrgyzstan's Security Council candidacy", "documents", "document_id", "cm07-appeal-unsc-kgz"),
    ("friendship treaty", "documents", "document_id", "cm04-friendship-treaty"),
    # the seventh meeting: proposals
    ("national coordinators: strategic planning", "proposals", "proposal_id", "cm07-kaz-coordinators-strategic-planning"),
    ("Central Asian Expert Forum", "proposals", "proposal_id", "cm07-kaz-expert-forum"),
    ("electronic cargo tracking", "proposals", "proposal_id", "cm07-kaz-e-cargo-tracking"),
    ("comprehensive transport strategy", "proposals", "proposal_id", "cm07-kaz-transport-strategy"),
    ("border procedures and cross-border industrial zones", "proposals", "proposal_id", "cm07-kaz-border-corridors"),
    ("agricultural processing and logistics projects", "proposals", "proposal_id", "cm07-kaz-agri-projects"),
    ("declaration on responsible AI", "proposals", "proposal_id", "cm07-kaz-ai-declaration"),
    ("rare-earth research centre in Astana", "proposals", "proposal_id", "cm07-kaz-rare-earth-centre"),
    ("harmonised water strategies", "proposals", "proposal_id", "cm07-kaz-water-strategies"),
    ("framework convention on water use", "proposals", "proposal_id", "cm07-kaz-water-convention"),
    ("Aral Sea fund summit in Astana, April 2026", "proposals", "proposal_id", "cm07-kaz-ifas-astana-2026"),
    ("joint tourist routes and a single brand", "proposals", "proposal_id", "cm07-kaz-tourism-brand"),
    ("tourism cooperation agreement", "proposals", "proposal_id", "cm07-kaz-tourism-agreement"),
    ("Center of Islamic Civilization as a shared platform", "proposals", "proposal_id", "cm07-uzb-islamic-civilization-platform"),
    ("security council secretaries to lead", "proposals", "proposal_id", "cm07-kaz-security-secretaries"),
    ("regulation (or 'charter') of the meetings", "proposals", "proposal_id", "cm07-uzb-regulation"),
    ("rotating secretariat", "proposals", "proposal_id", "cm07-uzb-rotating-secretariat"),
    ("special representatives of the presidents", "proposals", "proposal_id", "cm07-uzb-special-representatives"),
    ("Digital Transit Corridor", "proposals", "proposal_id", "cm07-kgz-digital-transit-corridor"),
    ("Turkmenistan's priorities as 2026 chair", "proposals", "proposal_id", "cm07-tkm-chair-priorities"),
    ("Tajikistan: tourism and sport", "proposals", "proposal_id", "cm07-tjk-tourism-sport"),
    # the seventh meeting: attendance
    ("Azerbaijan as full participant", "attendance", "meeting_id/person_id", "cm07/aliyev"),
    ("UN Secretary-General's video address", "attendance", "meeting_id/person_id", "cm07/guterres"),
    # the sixth meeting
    ("joint statement, 2024", "documents", "document_id", "cm06-joint-statement"),
    ("Central Asia 2040 concept", "documents", "document_id", "cm06-ca-2040-concept"),
    ("roadmap 2025-2027", "documents", "document_id", "cm06-roadmap-2025-2027"),
    ("industrial cooperation action plan 2025-2027", "documents", "document_id", "cm06-industrial-cooperation-action-plan"),
    ("honorary badge for Mirziyoyev", "documents", "document_id", "cm06-decision-badge-mirziyoyev"),
    ("memorandum on transport and logistics centres", "documents", "document_id", "cm06-transport-logistics-centres-memorandum"),
    ("energy ministers' communique", "documents", "document_id", "cm06-energy-ministers-communique"),
    ("transport ministers' communique", "documents", "document_id", "cm06-transport-ministers-astana-communique"),
    ("business council", "proposals", "proposal_id", "cm06-kaz-business-council"),
    ("water and energy consortium", "proposals", "proposal_id", "cm06-kaz-water-energy-consortium"),
    ("consolidated water policy", "proposals", "proposal_id", "cm06-kaz-consolidated-water-policy"),
    ("digitised water distribution and space monitoring", "proposals", "proposal_id", "cm06-kaz-water-digital-space-monitoring"),
    ("joint media products, regional TV channel or portal", "proposals", "proposal_id", "cm06-kaz-joint-media-products"),
    ("studying in Kazakhstan", "proposals", "proposal_id", "cm06-kaz-study-in-kazakhstan"),
]

# Figures the seeds quote: (meeting, indicator, value, seed that reports it)
SEED_FIGURES = [
    ("cm07", "intra_regional_trade", 11.5, "times-tengri"),
    ("cm07", "intra_regional_trade_target", 20, "times-tengri"),
    ("cm07", "intra_regional_trade", 11.5, "astana-times"),
    ("cm07", "intra_regional_trade_target", 20, "astana-times"),
    ("cm06", "intra_regional_trade", 11, "atn-astana-times-2024"),
    ("cm06", "intra_regional_trade_target", 15, "atn-astana-times-2024"),
    ("cm06", "rail_modernisation", 11000, "atn-astana-times-2024"),
    ("cm06", "rail_new_build", 5000, "atn-astana-times-2024"),
]


@pytest.mark.parametrize(("mention", "table", "column", "key"), CHECKLIST,
                         ids=[entry[0] for entry in CHECKLIST])
def test_seed_mention_is_in_the_data_with_sources(mention, table, column, key):
    rows = load_table(table)
    keys = rows[column.split("/")].astype(str).agg("/".join, axis=1)
    rows = rows[keys == key]
    assert not rows.empty, f"{mention}: no row {column}={key} in {table}"
    assert rows["source_ids"].map(len).gt(0).all()


@pytest.mark.parametrize(("meeting", "indicator", "value", "seed"), SEED_FIGURES)
def test_seed_figure_is_recorded_with_the_seed_as_source(meeting, indicator, value, seed):
    statements = load_table("statements")
    rows = statements[(statements["meeting_id"] == meeting)
                      & (statements["indicator"] == indicator)
                      & (statements["value"] == value)]
    assert SEED_SOURCES[seed] in {s for ids in rows["source_ids"] for s in ids}


def test_every_seed_is_a_source():
    assert set(SEED_SOURCES.values()) <= set(load_table("sources")["source_id"])


def test_all_seven_meetings_are_held_in_the_data():
    meetings = load_table("meetings")
    held = meetings[meetings["status"] == "held"]
    assert list(held["meeting_id"]) == [f"cm{n:02d}" for n in range(1, 8)]


def test_charter_versus_regulation_is_recorded_both_ways():
    variants = load_table("variants")
    versions = variants[variants["row_id"] == "cm07-uzb-regulation"]
    official = versions[versions["official_support"] == "official"]
    assert official["value"].str.contains("egulation").any()
    charter = versions[versions["value"].str.contains("Charter")]
    assert set(charter["official_support"]) == {"contradicted_by_official"}
