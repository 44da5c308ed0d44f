"""Build data/power_interconnectors.csv from the raw extract of the Agora Energiewende
PyPSA-SPICE Central Asia dataset (scenario "nac") kept in data/raw/agora-central-asia-power-system/
(its publisher, licence and checksum: data/raw/manifest.csv).

Provenance of the table (the build does not run it): `python scripts/make_power_interconnectors.py
[--raw data/raw] [--out data]`. Only links between two countries are kept (links
inside Kazakhstan and the high- to low-voltage links are dropped). Values are copied unchanged:
``p_nom`` is the model's existing transfer capacity in the base year 2023 (MW), ``p_nom_max_2030``
its upper bound for new capacity by 2030 (MW). These are model inputs compiled by the study
team, not grid operators' statistics; Tajikistan, Turkmenistan and Azerbaijan are not modelled.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from summit_book.paths import generator_arguments

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
EXTRACT = Path("agora-central-asia-power-system") / "interconnectors_nac_scenario.csv"
OUTPUTS = ["power_interconnectors.csv"]
COUNTRY = {"KZ": "KAZ", "KG": "KGZ", "UZ": "UZB"}
SOURCE_ID = "agora-2026-06-29-central-asia-power-system"


def build(raw: pd.DataFrame) -> pd.DataFrame:
    raw = raw.assign(from_zone=raw["bus0"].str.rsplit("_", n=1).str[0],
                     to_zone=raw["bus1"].str.rsplit("_", n=1).str[0])
    raw = raw[raw["from_zone"].str[:2] != raw["to_zone"].str[:2]]
    return pd.DataFrame({
        "link_id": (raw["from_zone"] + "-" + raw["to_zone"]).str.lower().str.replace("_", "-"),
        "from_zone": raw["from_zone"], "to_zone": raw["to_zone"],
        "from_country_id": raw["from_zone"].str[:2].map(COUNTRY),
        "to_country_id": raw["to_zone"].str[:2].map(COUNTRY),
        "existing_capacity": raw["p_nom"].map(lambda v: f"{v:g}"),
        "max_new_capacity_2030": raw["p_nom_max_2030"].map(lambda v: f"{float(v):g}"),
        "unit": "mw", "reference_year": 2023, "scenario": "nac", "source_id": SOURCE_ID,
    }).sort_values("link_id")


def main(argv: list[str] | None = None) -> int:
    args = generator_arguments(argv, "Build power_interconnectors.csv from the raw Agora extract.")
    table = build(pd.read_csv(args.raw / EXTRACT))
    table.to_csv(args.out / "power_interconnectors.csv", index=False, lineterminator="\n")
    print(f"power_interconnectors.csv: {len(table)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
