"""The bar chart race of bench/bar_race_vs_matplotlib.sh made with matplotlib's
FuncAnimation and its ffmpeg writer: the same table, size, frame rate and look as
`animate`'s scene (20 horizontal bars ranked by value, values tweened linearly between
the years, a bar's place its mean rank over the last 0.5 s, value labels "{:,.0f}", the
year in the corner). Artists are made once and updated per frame, as an efficient
FuncAnimation does. Usage: python bar_race_mpl.py TABLE.csv OUT.mp4"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FFMpegWriter, FuncAnimation

table, out = sys.argv[1], sys.argv[2]
with open(table) as f:
    rows = list(csv.reader(f))
years = rows[0][1:]
names = [r[0] for r in rows[1:]]
values = np.array([[float(c or 0) for c in r[1:]] for r in rows[1:]])  # bars × years

fps, duration, swap, samples = 30, 20.0, 0.5, 32
frames = round(duration * fps)
n = len(names)


def values_at(t):
    p = min(max(t * fps / (frames - 1), 0.0), 1.0) * (len(years) - 1)
    i = int(p)
    j = min(i + 1, len(years) - 1)
    return values[:, i] + (values[:, j] - values[:, i]) * (p - i), i


def ranks(v):
    order = np.argsort(-v, kind="stable")
    r = np.empty(n)
    r[order] = np.arange(n)
    return r


def places(t):
    ts = np.maximum(t - swap * np.arange(samples) / (samples - 1), 0.0)
    return np.mean([ranks(values_at(u)[0]) for u in ts], axis=0)


fig, ax = plt.subplots(figsize=(12.8, 7.2), dpi=100)
# animate's bar colours: tab10, then tab20's lighter halves for the 11th to 20th bar
colors = plt.rcParams["axes.prop_cycle"].by_key()["color"] + list(plt.get_cmap("tab20").colors[1::2])
bars = ax.barh(np.arange(n), values[:, 0], height=0.8,
               color=[colors[i % len(colors)] for i in range(n)])
labels = [ax.text(0, 0, "", va="center") for _ in range(n)]
year = ax.text(0.98, 0.04, "", transform=ax.transAxes, ha="right", size=30, color="#707070")
ax.set_ylim(n - 0.6 + 0.05 * (n - 0.2), -0.4 - 0.05 * (n - 0.2))
ax.set_title("A race of 20 bars over 40 years")
ax.grid(True)


def draw(k):
    t = k / fps
    v, i = values_at(t)
    pos = places(t)
    for b, l, x, y in zip(bars, labels, v, pos):
        b.set_width(x)
        b.set_y(y - 0.4)
        l.set_position((x, y))
        l.set_text(f" {x:,.0f}")
    ax.set_yticks(pos, names)
    ax.set_xlim(0, v.max() * 1.05)
    year.set_text(years[i])
    return []


anim = FuncAnimation(fig, draw, frames=frames)
anim.save(out, writer=FFMpegWriter(fps=fps))
