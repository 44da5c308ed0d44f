"""Everything the five seed articles (../shared/seeds) mention is in the data, with sources.

The checklist below was drawn up by reading the seeds; each entry names the row that records
the item. A row that is deleted, renamed or left unsourced fails its entry.

The items of ``SEED_ITEMS_ON_PAGES`` are also checked on the page: in the committed, executed
notebook of the chapter a reader would open, the table glued under the given name holds the
item's words in a row that cites the seed, and the chapter's Markdown pastes that table and
cites the seed in its prose. (The committed outputs are what the build renders; nbval checks
that they are current.)
"""

from __future__ import annotations

import json
import re

import pytest

from summit_book import load_table
from summit_book.paths import PROJECT_ROOT

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


# Items of the seeds that the book once carried only in other words (issue 18), checked in the
# data and on the page: (what, table, key column, key, seeds among the row's sources, whether
# another source must back the row too, chapter notebook, glue name of its table, words the
# table row must hold).
SEED_ITEMS_ON_PAGES = [
    ("transit hub of Eurasia: Tokayev's stated aim, 2025", "positions", "position_id",
     "cm07-kaz-transit-hub", ["times-tengri", "astana-times", "news-az"], True,
     "03_transport", "tr_table_hub", ["key transit and logistics hub of Eurasia"]),
    ("Global Gateway beside the Belt and Road Initiative as programmes expecting a hub",
     "positions", "position_id", "cm07-timestengri-outside-programmes", ["times-tengri"], False,
     "03_transport", "tr_table_hub", ["Belt and Road Initiative", "Global Gateway", "hub"]),
    ("Global Gateway's own aim for the Trans-Caspian corridor (official source)", "positions",
     "position_id", "eu-global-gateway-trans-caspian", [], True,
     "03_transport", "tr_table_hub", ["Global Gateway", "Trans-Caspian corridor"]),
    ("leaders' visit to the Center of Islamic Civilization, 15 November 2025, Qur'an of Uthman",
     "regional_events", "event_id", "islamic-civilization-visit-2025", ["astana-times"], True,
     "07_culture_tourism", "table_culture_events",
     ["Center of Islamic Civilization", "Qur'an of Uthman", "ancient books"]),
    ("Kazakhstan's chairmanship initiatives of 2023-2024 on the role of women in society",
     "positions", "position_id", "cm06-kaz-chair-initiatives", ["atn-astana-times-2024"], True,
     "07_culture_tourism", "table_culture_women", ["role of women in society"]),
    ("great-power competition for the region's resources as a risk (News.Az)", "positions",
     "position_id", "cm07-newsaz-great-power-risk", ["news-az"], False,
     "09_partners", "partners_table_competition", ["rare earths", "risk seen"]),
    ("great-power competition as a risk (Times Tengri)", "positions", "position_id",
     "cm07-timestengri-great-power-balance", ["times-tengri"], False,
     "09_partners", "partners_table_competition", ["great powers", "risk seen"]),
]

GLUE_MARKDOWN = "application/papermill.record/text/markdown"


def glued_markdown(chapter: str, name: str) -> str:
    notebook = json.loads((PROJECT_ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                return output["data"][GLUE_MARKDOWN]
    raise AssertionError(f"chapters/{chapter}.ipynb glues no table named {name}")


def chapter_markdown(chapter: str) -> str:
    notebook = json.loads((PROJECT_ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


def cited(text: str) -> set[str]:
    return {key for role in re.findall(r"\{source\}`([^`]*)`", text) for key in role.split(",")}


@pytest.mark.parametrize(("mention", "table", "column", "key", "seeds", "second_source"),
                         [item[:6] for item in SEED_ITEMS_ON_PAGES],
                         ids=[item[0] for item in SEED_ITEMS_ON_PAGES])
def test_seed_item_is_in_the_data_with_the_seed_as_source(mention, table, column, key, seeds,
                                                          second_source):
    rows = load_table(table)
    row = rows[rows[column] == key]
    assert len(row) == 1, f"{mention}: no row {column}={key} in {table}"
    sources = set(row["source_ids"].iloc[0])
    missing = {SEED_SOURCES[seed] for seed in seeds} - sources
    assert not missing, f"{mention}: the seed(s) {sorted(missing)} are not among the sources"
    if second_source:
        others = sources - set(SEED_SOURCES.values())
        assert others, f"{mention}: only seed articles support the row"


@pytest.mark.parametrize(("mention", "seeds", "chapter", "glue_name", "words"),
                         [(item[0], item[4], *item[6:]) for item in SEED_ITEMS_ON_PAGES],
                         ids=[item[0] for item in SEED_ITEMS_ON_PAGES])
def test_seed_item_is_on_its_chapter_page_with_its_source(mention, seeds, chapter, glue_name, words):
    table = glued_markdown(chapter, glue_name)
    rows = [line for line in table.splitlines()
            if line.startswith("|") and all(word in line for word in words)]
    assert rows, f"{mention}: no row of {glue_name} in {chapter} holds {words}"
    expected = {SEED_SOURCES[seed] for seed in seeds}
    assert any(expected <= cited(row) and cited(row) for row in rows), (
        f"{mention}: the row in {glue_name} does not cite {sorted(expected) or 'a source'}")
    prose = chapter_markdown(chapter)
    assert re.search(rf"```{{glue:md}} {glue_name}\b", prose), f"{chapter} does not show {glue_name}"
    assert expected <= cited(prose), f"{mention}: {chapter}'s prose does not cite {sorted(expected)}"


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
