#!/usr/bin/env python3
"""Writes scenes/data/bubbles.csv, the made-up table of scenes/bubbles.toml.

Twelve countries in four regions, one row per country per year from 1990 to 2020 (a
"long" table, as pandas' melt writes it): income per head growing at the country's own
rate, life expectancy rising with it, population growing. Rows are in year order and,
within a year, in region order, so that the regions first show in the order the colour
cycle gives them (C0 Africa, C1 Americas, C2 Asia, C3 Europe). Standard library only.
  python3 scenes/generators/bubbles.py
"""
import math
import os
import random

REGIONS = ["Africa", "Americas", "Asia", "Europe"]
YEARS = range(1990, 2021)

rng = random.Random(8)
countries = []
for k in range(12):
    region = REGIONS[k % 4]
    countries.append({
        "name": f"{region[:3].lower()}{k // 4 + 1}",
        "region": region,
        "gdp": 10 ** rng.uniform(2.7, 4.3),       # $ per head in 1990
        "growth": rng.uniform(0.0, 0.05),         # a year
        "pop": 10 ** rng.uniform(6.3, 8.3),
        "health": rng.uniform(-6.0, 6.0),        # years above or below the trend
        "pop_growth": rng.uniform(0.0, 0.03),
    })
countries.sort(key=lambda c: REGIONS.index(c["region"]))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "bubbles.csv")
with open(path, "w") as out:
    out.write("year,country,region,income,life,population\n")
    for year in YEARS:
        n = year - YEARS[0]
        for c in countries:
            income = c["gdp"] * math.exp(c["growth"] * n)
            life = min(84.0, 20.0 + 11.0 * math.log10(income) + c["health"] + 0.15 * n)
            pop = c["pop"] * math.exp(c["pop_growth"] * n)
            out.write(f"{year},{c['name']},{c['region']},{income:.0f},{life:.1f},{pop:.0f}\n")
