"""Build the book's `indicators`, `indicator_definitions` and `areas` tables from the raw dataset
extracts kept in data/raw/ (World Bank WDI, ITU via OWID, Ember/EI via OWID, FAO AQUASTAT,
UN Tourism via WDI and OWID; their publishers, licences and checksums: data/raw/manifest.csv).

This is the provenance of those three tables: anyone with a clone of the repository can
regenerate them with `python scripts/make_indicators.py [--raw data/raw] [--out data]`. The build
does not run it: the tables in data/ are the curated product, validated like every other table.

Selection: the series the chapters use, the six participants and the comparators each dataset
offers, years from 1992 (the first full year after independence). Values are copied unchanged
(rounded to 6 significant digits); each row names its dataset's source_id.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from summit_book.paths import generator_arguments

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
OUTPUTS = ["indicators.csv", "indicator_definitions.csv", "areas.csv"]
FIRST_YEAR = 1992

AREAS = [  # area_code, name, kind, country_id
    ("KAZ", "Kazakhstan", "country", "KAZ"), ("KGZ", "Kyrgyzstan", "country", "KGZ"),
    ("TJK", "Tajikistan", "country", "TJK"), ("TKM", "Turkmenistan", "country", "TKM"),
    ("UZB", "Uzbekistan", "country", "UZB"), ("AZE", "Azerbaijan", "country", "AZE"),
    ("RUS", "Russia", "comparator_country", ""), ("CHN", "China", "comparator_country", ""),
    ("WLD", "World", "aggregate", ""),
    ("ECS", "Europe and Central Asia (World Bank, all income levels)", "aggregate", ""),
    ("ECA", "Europe and Central Asia (World Bank, excluding high income)", "aggregate", ""),
    ("UMC", "Upper-middle-income countries (World Bank)", "aggregate", ""),
    ("LMC", "Lower-middle-income countries (World Bank)", "aggregate", ""),
    ("ASIA", "Asia (Our World in Data)", "aggregate", ""),
    ("EUROPE", "Europe (Our World in Data)", "aggregate", ""),
    ("CIS", "Commonwealth of Independent States (Energy Institute)", "aggregate", ""),
]
OWID_AREA = {"World": "WLD", "Europe and Central Asia (WB)": "ECS",  # all income levels
             "Upper-middle-income countries": "UMC", "Lower-middle-income countries": "LMC",
             "Asia": "ASIA", "Europe": "EUROPE", "CIS (EI)": "CIS"}

SOURCES = {
    "wdi": "worldbank-2026-07-01-wdi",
    "internet": "owid-2025-11-30-internet-users-itu",
    "electricity": "owid-2024-12-06-electricity-mix",
    "aquastat": "fao-2021-11-12-aquastat",
    "arrivals_wdi": "worldbank-2025-10-21-tourist-arrivals",
    "arrivals_owid": "owid-2024-10-27-tourist-trips",
}

# WDI code -> (indicator_id, unit, theme)
WDI = {
    "SP.POP.TOTL": ("population", "persons", "context"),
    "NY.GDP.MKTP.CD": ("gdp_current_usd", "usd", "context"),
    "NY.GDP.PCAP.CD": ("gdp_per_person_current_usd", "usd", "context"),
    "NY.GDP.MKTP.KD.ZG": ("gdp_growth", "percent", "context"),
    "BX.TRF.PWKR.CD.DT": ("remittances_received_usd", "usd", "context"),
    "SM.POP.NETM": ("net_migration", "persons", "context"),
    "NE.EXP.GNFS.ZS": ("exports_goods_services_share_gdp", "percent_of_gdp", "trade"),
    "NE.IMP.GNFS.ZS": ("imports_goods_services_share_gdp", "percent_of_gdp", "trade"),
    "TG.VAL.TOTL.GD.ZS": ("merchandise_trade_share_gdp", "percent_of_gdp", "trade"),
    "TX.VAL.MRCH.CD.WT": ("merchandise_exports_usd", "usd", "trade"),
    "TM.VAL.MRCH.CD.WT": ("merchandise_imports_usd", "usd", "trade"),
    "TX.VAL.FUEL.ZS.UN": ("fuel_share_merchandise_exports", "percent", "trade"),
    "TX.VAL.MMTL.ZS.UN": ("ores_metals_share_merchandise_exports", "percent", "minerals"),
    "NY.GDP.TOTL.RT.ZS": ("natural_resource_rents_share_gdp", "percent_of_gdp", "minerals"),
    "BX.KLT.DINV.CD.WD": ("fdi_net_inflows_usd", "usd", "trade"),
    "LP.LPI.OVRL.XQ": ("logistics_performance_index", "index_score_1_to_5", "transport"),
    "IS.RRS.TOTL.KM": ("rail_lines_km", "km", "transport"),
    "IS.AIR.DPRT": ("air_departures", "count", "transport"),
    "IT.CEL.SETS.P2": ("mobile_subscriptions_per_100", "per_100_people", "digital"),
    "IT.NET.BBND.P2": ("fixed_broadband_per_100", "per_100_people", "digital"),
    "IT.NET.SECR.P6": ("secure_servers_per_million", "per_million_people", "digital"),
    "GB.XPD.RSDV.GD.ZS": ("research_spending_share_gdp", "percent_of_gdp", "digital"),
    "SP.POP.SCIE.RD.P6": ("researchers_per_million", "per_million_people", "digital"),
    "IP.PAT.RESD": ("patent_applications_residents", "count", "digital"),
    "IP.PAT.NRES": ("patent_applications_nonresidents", "count", "digital"),
    "IP.JRN.ARTC.SC": ("scientific_articles", "count", "digital"),
    "TX.VAL.TECH.MF.ZS": ("high_tech_share_manufactured_exports", "percent", "digital"),
    "EG.ELC.ACCS.ZS": ("electricity_access", "percent_of_population", "water_energy"),
    "EG.ELC.RNEW.ZS": ("renewable_share_electricity_output", "percent", "water_energy"),
    "EG.FEC.RNEW.ZS": ("renewable_share_final_energy", "percent", "water_energy"),
    "EG.USE.ELEC.KH.PC": ("electricity_use_per_person", "kwh_per_person", "water_energy"),
    "EG.IMP.CONS.ZS": ("net_energy_imports_share_use", "percent", "water_energy"),
    "ST.INT.RCPT.XP.ZS": ("tourism_receipts_share_exports", "percent", "culture_tourism"),
    "ST.INT.XPND.MP.ZS": ("tourism_spending_share_imports", "percent", "culture_tourism"),
    "MS.MIL.XPND.GD.ZS": ("military_spending_share_gdp", "percent_of_gdp", "security"),
    "MS.MIL.XPND.ZS": ("military_spending_share_government", "percent", "security"),
    "VC.IHR.PSRC.P5": ("homicides_per_100000", "per_100000_people", "security"),
}

# AQUASTAT variable -> (indicator_id, unit)
AQUASTAT = {
    4157: ("internal_renewable_water", "km3_per_year"),
    4182: ("external_renewable_water", "km3_per_year"),
    4188: ("total_renewable_water", "km3_per_year"),
    4190: ("total_renewable_water_per_person", "m3_per_person_per_year"),
    4192: ("water_dependency_ratio", "percent"),
    4197: ("dam_capacity", "km3"),
    4254: ("agriculture_share_water_withdrawal", "percent"),
    4255: ("municipal_share_water_withdrawal", "percent"),
    4256: ("industry_share_water_withdrawal", "percent"),
    4263: ("freshwater_withdrawal", "km3_per_year"),
    4275: ("withdrawal_share_renewable_water", "percent"),
    4331: ("irrigation_equipped_share_cultivated_area", "percent"),
    4445: ("irrigated_area_salinized_share", "percent"),
    4550: ("water_stress", "percent"),
}
AQUASTAT_FLAG = {"E": "estimate by AQUASTAT", "I": "imputed by AQUASTAT",
                 "X": "from another international source"}

ELECTRICITY = {
    "hydro_twh": ("electricity_from_hydro", "twh", "Electricity generation from hydropower"),
    "gas_twh": ("electricity_from_gas", "twh", "Electricity generation from gas"),
    "coal_twh": ("electricity_from_coal", "twh", "Electricity generation from coal"),
    "oil_twh": ("electricity_from_oil", "twh", "Electricity generation from oil"),
    "nuclear_twh": ("electricity_from_nuclear", "twh", "Electricity generation from nuclear"),
    "solar_twh": ("electricity_from_solar", "twh", "Electricity generation from solar"),
    "wind_twh": ("electricity_from_wind", "twh", "Electricity generation from wind"),
    "bioenergy_twh": ("electricity_from_bioenergy", "twh", "Electricity generation from bioenergy"),
    "other_renewables_excl_bioenergy_twh": ("electricity_from_other_renewables", "twh",
                                            "Electricity generation from other renewables "
                                            "(excluding bioenergy)"),
    "total_generation_twh": ("electricity_generation_total", "twh", "Electricity generation, total"),
    "hydro_share_pct": ("hydro_share_electricity", "percent",
                        "Share of hydropower in electricity generation (computed by the extract "
                        "from the two columns above)"),
}


def significant(value: float) -> str:
    """Six significant digits, written out in full (the loader accepts no exponent notation)."""
    import numpy as np
    return np.format_float_positional(float(value), precision=6, unique=True, fractional=False,
                                      trim="-")


def build(sources_dir: Path) -> tuple[list[list], list[list], list[list]]:
    rows: list[list] = []
    definitions: list[list] = []

    wdi = pd.read_csv(sources_dir / "world-bank-wdi" / "wdi_central_asia_long.csv")
    meta = pd.read_csv(sources_dir / "world-bank-wdi" / "wdi_indicators_metadata.csv")
    meta = meta.set_index("indicator_code")
    for code, (indicator_id, unit, theme) in WDI.items():
        definitions.append([indicator_id, meta.at[code, "indicator_name"], unit, theme,
                            "World Bank WDI", code, SOURCES["wdi"], ""])
        subset = wdi[(wdi.indicator_code == code) & (wdi.year >= FIRST_YEAR)].dropna(subset=["value"])
        for row in subset.itertuples():
            rows.append([indicator_id, row.country_code, int(row.year), significant(row.value), "",
                         SOURCES["wdi"]])

    internet = pd.read_csv(sources_dir / "owid-internet-users-itu" / "internet_users_share_central_asia.csv")
    definitions.append(["internet_users", "Individuals using the Internet (% of population)",
                        "percent_of_population", "digital", "ITU via World Bank and Our World in Data",
                        "IT.NET.USER.ZS", SOURCES["internet"], ""])
    for row in internet.itertuples():
        area = row.code if row.code in {"KAZ", "KGZ", "TJK", "TKM", "UZB", "AZE", "RUS", "CHN"} else OWID_AREA[row.entity]
        if row.year >= FIRST_YEAR and pd.notna(row.internet_users_pct_population):
            rows.append(["internet_users", area, int(row.year),
                         significant(row.internet_users_pct_population), "", SOURCES["internet"]])

    electricity = pd.read_csv(sources_dir / "owid-electricity-mix" / "owid_electricity_by_source_central_asia.csv")
    electricity = electricity[electricity.entity != "Asia (Ember)"]
    for column, (indicator_id, unit, name) in ELECTRICITY.items():
        definitions.append([indicator_id, name, unit, "water_energy",
                            "Ember and Energy Institute via Our World in Data", column,
                            SOURCES["electricity"], ""])
        for row in electricity.itertuples():
            value = getattr(row, column)
            area = row.code if isinstance(row.code, str) and row.code != "OWID_WRL" else OWID_AREA[row.entity]
            if row.year >= FIRST_YEAR and pd.notna(value):
                rows.append([indicator_id, area, int(row.year), significant(value), "",
                             SOURCES["electricity"]])

    aquastat = pd.read_csv(sources_dir / "fao-aquastat" / "aquastat_central_asia_water_long.csv")
    for variable, (indicator_id, unit) in AQUASTAT.items():
        subset = aquastat[aquastat.variable_id == variable].dropna(subset=["value"])
        definitions.append([indicator_id, subset.variable_name.iloc[0], unit, "water_energy",
                            "FAO AQUASTAT", str(variable), SOURCES["aquastat"],
                            f"AQUASTAT unit: {subset.unit.iloc[0]}"])
        for row in subset.itertuples():
            rows.append([indicator_id, row.iso3, int(row.year), significant(row.value),
                         AQUASTAT_FLAG.get(row.symbol, "") if isinstance(row.symbol, str) else "",
                         SOURCES["aquastat"]])

    arrivals = pd.read_csv(sources_dir / "tourism-arrivals" / "wdi_st_int_arvl_central_asia.csv")
    definitions.append(["tourist_arrivals", "International tourism, number of arrivals",
                        "persons", "culture_tourism", "UN Tourism via World Bank WDI", "ST.INT.ARVL",
                        SOURCES["arrivals_wdi"], ""])
    for row in arrivals.dropna(subset=["arrivals"]).itertuples():
        rows.append(["tourist_arrivals", row.country_code, int(row.year), significant(row.arrivals),
                     "", SOURCES["arrivals_wdi"]])
    trips = pd.read_csv(sources_dir / "tourism-arrivals" / "owid_inbound_tourist_arrivals_central_asia.csv")
    definitions.append(["tourist_arrivals_owid", "Inbound arrivals of tourists (Our World in Data series)",
                        "persons", "culture_tourism", "UN Tourism via Our World in Data",
                        "international-tourist-trips", SOURCES["arrivals_owid"],
                        "A second copy of UN Tourism data, processed separately; kept apart so that "
                        "differences from the WDI series stay visible"])
    for row in trips.dropna(subset=["inbound_tourist_arrivals"]).itertuples():
        rows.append(["tourist_arrivals_owid", row.code, int(row.year),
                     significant(row.inbound_tourist_arrivals), "", SOURCES["arrivals_owid"]])

    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    definitions.sort(key=lambda d: d[0])
    datasets: dict[str, set[str]] = {}
    for row in rows:
        datasets.setdefault(row[1], set()).add(row[5])
    areas = [list(a) + [";".join(sorted(datasets[a[0]]))] for a in AREAS if a[0] in datasets]
    return rows, definitions, areas


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    args = generator_arguments(argv, "Build indicators.csv, indicator_definitions.csv and areas.csv "
                           "from the raw extracts.")
    rows, definitions, areas = build(args.raw)
    write(args.out / "indicators.csv", ["indicator_id", "area_code", "year", "value", "flag", "source_id"], rows)
    write(args.out / "indicator_definitions.csv",
          ["indicator_id", "name", "unit", "theme", "dataset", "original_code", "source_id", "notes"],
          definitions)
    write(args.out / "areas.csv", ["area_code", "name", "kind", "country_id", "source_ids"], areas)
    print(f"indicators: {len(rows)} rows, {len(definitions)} series, {len(areas)} areas")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
