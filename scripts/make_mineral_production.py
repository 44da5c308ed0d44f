"""Build the book's `mineral_production` table from the two mineral extracts kept in data/raw/:
USGS Mineral Commodity Summaries 2026 (world production and reserves of selected commodities) and
BGS World Mineral Statistics via Our World in Data (1992-2015); their publishers, licences and
checksums: data/raw/manifest.csv.

This is the provenance of the table: anyone with a clone of the repository can regenerate it
with `python scripts/make_mineral_production.py [--raw data/raw] [--out data]`. The build does
not run it.

Values are copied as printed; units are the source's, written as codes of summit_book.units
(USGS "thousand metric tons" -> thousand_tonnes, "kilograms" -> kg, "metric tons" -> tonne).
Each USGS row records how its transcription was checked (see VERIFIED below and the tests).
"""

from __future__ import annotations

import csv
from pathlib import Path

from summit_book.paths import generator_arguments

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
OUTPUTS = ["mineral_production.csv"]

USGS = "usgs-2026-02-06-mcs2026"
USGS_RELEASE = "usgs-2026-02-06-mcs2026-data-release"
ORIGIN_JSON = "pranava0x0-mcs2026-audit-json"
BGS = "bgs-2016-world-mineral-production-owid"

COUNTRY_ID = {"Kazakhstan": "KAZ", "Kyrgyzstan": "KGZ", "Tajikistan": "TJK",
              "Turkmenistan": "TKM", "Uzbekistan": "UZB", "Azerbaijan": "AZE"}

# commodity -> (production measure, production unit, reserves unit, basis as USGS states it)
USGS_UNITS = {
    "antimony": ("mine_production", "tonne", "tonne", "antimony content"),
    "chromium": ("mine_production", "thousand_tonnes", "thousand_tonnes",
                 "gross weight of chromite ore"),
    "rare-earths": ("mine_production", "tonne", "tonne", "rare-earth-oxide (REO) equivalent"),
    "titanium": ("sponge_metal_production", "tonne", None, "titanium sponge metal"),
    "manganese": ("mine_production", "thousand_tonnes", "thousand_tonnes", "manganese content"),
    "rhenium": ("mine_production", "kg", "kg", "rhenium content"),
    "molybdenum": ("mine_production", "tonne", "thousand_tonnes", "molybdenum content"),
    "zinc": ("mine_production", "thousand_tonnes", "thousand_tonnes",
             "zinc content of concentrates and direct shipping ores"),
}

# Rare earths, 2024: estimate flags from the USGS data release ("Reported." for the United
# States, "Estimated." for every other listed value).
RARE_EARTH_2024_REPORTED = {"United States"}

# Footnotes the extract cites by number only, in the words of the USGS chapters.
FOOTNOTE_TEXT = {
    ("rare-earths", "footnote 12"): "footnote 12: estimated based on reported import data for China",
    ("rhenium", "footnote 9"): ("footnote 9: estimated rhenium recovered from roaster residues "
                                "from Belgium, Chile, Mexico and Peru"),
}

BGS_SERIES = {  # column -> (commodity, unit, basis)
    "uranium_t_metal": ("uranium", "tonne", "uranium metal content"),
    "mercury_kg": ("mercury", "kg", "mercury"),
}

FIELDS = ["record_id", "commodity", "area", "country_id", "area_kind", "year", "measure",
          "value", "value_as_printed", "is_lower_bound", "unit", "basis", "is_estimate",
          "verification", "source_ids", "notes"]


def slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in keep.split("-") if part)


def area_kind(area: str) -> str:
    if area.startswith("World total"):
        return "world_total"
    if area.startswith("Other"):
        return "other_countries"
    return "country"


def number_or_empty(printed: str) -> tuple[str, str]:
    """(value, is_lower_bound) from a printed cell: '>2,000,000' -> ('2000000', 'true');
    'NA', 'Large', 'Small' -> ('', 'false')."""
    text = printed.strip()
    lower = text.startswith(">")
    digits = text.lstrip(">").replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return "", "false"
    return (str(int(value)) if value.is_integer() else str(value)), ("true" if lower else "false")


def usgs_rows(folder: Path) -> list[dict]:
    rows = []
    path = folder / "usgs-mcs-2026-selected" / "usgs_mcs2026_world_production_reserves_selected.csv"
    with path.open(encoding="utf-8") as handle:
        for item in csv.DictReader(handle):
            commodity = item["commodity"]
            measure, unit, reserves_unit, basis = USGS_UNITS[commodity]
            area = item["country"]
            rare = commodity == "rare-earths"
            verification = "data_release" if rare else "origin_extraction"
            checks = USGS_RELEASE if rare else ORIGIN_JSON
            cells = [(2024, measure, item["production_2024_raw"], unit),
                     (2025, measure, item["production_2025e_raw"], unit)]
            if reserves_unit:
                cells.append((2025, "reserves", item["reserves_raw"], reserves_unit))
            for year, what, printed, cell_unit in cells:
                value, lower = number_or_empty(printed)
                if what == "reserves":
                    estimate = ""
                elif year == 2025:
                    estimate = "true"
                elif rare:
                    estimate = "false" if area in RARE_EARTH_2024_REPORTED else "true"
                else:
                    estimate = ""
                notes = "; ".join(FOOTNOTE_TEXT.get((commodity, part), part)
                                  for part in item["note"].split("; ") if part
                                  and (("reserve" in part.lower()) == (what == "reserves")))
                rows.append({
                    "record_id": f"usgs2026-{slug(commodity)}-{slug(area)}-{slug(what)}-{year}",
                    "commodity": commodity.replace("-", "_"), "area": area,
                    "country_id": COUNTRY_ID.get(area, ""), "area_kind": area_kind(area),
                    "year": str(year), "measure": what, "value": value,
                    "value_as_printed": printed, "is_lower_bound": lower, "unit": cell_unit,
                    "basis": basis, "is_estimate": estimate, "verification": verification,
                    "source_ids": f"{USGS};{checks}", "notes": notes,
                })
    return rows


def bgs_rows(folder: Path) -> list[dict]:
    rows = []
    path = folder / "bgs-mineral-production-owid" / "bgs_mineral_production_central_asia.csv"
    with path.open(encoding="utf-8") as handle:
        for item in csv.DictReader(handle):
            for column, (commodity, unit, basis) in BGS_SERIES.items():
                printed = item[column]
                if not printed:
                    continue
                value, _ = number_or_empty(printed)
                area = item["entity"]
                rows.append({
                    "record_id": f"bgs2016-{commodity}-{slug(area)}-production-{item['year']}",
                    "commodity": commodity, "area": area, "country_id": COUNTRY_ID[area],
                    "area_kind": "country", "year": item["year"], "measure": "production",
                    "value": value, "value_as_printed": printed, "is_lower_bound": "false",
                    "unit": unit, "basis": basis, "is_estimate": "", "verification": "not_checked",
                    "source_ids": BGS, "notes": "",
                })
    return rows


def main(argv: list[str] | None = None) -> int:
    args = generator_arguments(argv, "Build mineral_production.csv from the raw USGS and BGS extracts.")
    rows = usgs_rows(args.raw) + bgs_rows(args.raw)
    with (args.out / "mineral_production.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"mineral_production.csv: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
