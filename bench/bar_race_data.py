"""Writes the bar chart race benchmark's table: 20 synthetic countries, one column per
year 1981..2020 (40 years), seeded so every run races the same. Usage:
python bar_race_data.py OUT.csv"""
import math
import random
import sys

rng = random.Random(16)
years = list(range(1981, 2021))
rows = ["country," + ",".join(map(str, years))]
for i in range(20):
    value = rng.uniform(1e5, 1e6)
    growth = rng.uniform(-0.02, 0.12)
    cells = []
    for k, _ in enumerate(years):
        value *= 1 + growth + 0.05 * math.sin(0.7 * k + i)
        cells.append(f"{value:.0f}")
    rows.append(f"C{i:02d}," + ",".join(cells))
with open(sys.argv[1], "w") as f:
    f.write("\n".join(rows) + "\n")
