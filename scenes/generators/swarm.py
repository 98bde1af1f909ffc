#!/usr/bin/env python3
"""Writes scenes/data/swarm.csv, the trajectories scenes/swarm.toml draws.

Four walkers (labels ant, bee, fly, moth) circling a drifting centre, each on its own
orbit: 250 steps of 0.02 s, one row per walker per step, the steps in order (columns
t in s, x, y, label: 1000 rows, the long table a simulation writes). Standard library
only.
  python3 scenes/generators/swarm.py
"""
import math
import os

LABELS = ["ant", "bee", "fly", "moth"]
STEPS, DT = 250, 0.02

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "swarm.csv")
with open(path, "w") as out:
    out.write("t,x,y,label\n")
    for step in range(STEPS):
        t = step * DT
        cx, cy = 0.6 * math.sin(0.4 * t), 0.3 * math.cos(0.7 * t)
        for k, label in enumerate(LABELS):
            r = 0.5 + 0.25 * k
            a = (1.6 - 0.25 * k) * t * (1 if k % 2 == 0 else -1) + k * math.pi / 2
            x = cx + r * math.cos(a)
            y = cy + 0.7 * r * math.sin(a) + 0.1 * math.sin(5 * a)
            out.write(f"{t:.2f},{x:.4f},{y:.4f},{label}\n")
