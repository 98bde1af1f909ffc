#!/usr/bin/env python3
"""Writes scenes/data/moons.csv and prints the decision function of scenes/classifier.toml.

Two interleaving half circles with noise, like scikit-learn's make_moons(50, noise=0.1)
(the article's data; standard library only, so the numbers differ from scikit-learn's).
Rows are shuffled: row i appears at t = sqrt(i - 10) in the scene, as in the article.
Columns: x, y and class (0 or 1): the scene colours the points by class through the
bone colormap (`color_by`), black and white as matplotlib's `scatter(c=y, cmap="bone")`.

The printed expression is a stand-in for the fitted SVM's decision function: a sum of
RBF bumps (gamma = 2) around the points shown so far, +1 for class 1 and -1 for class 0,
each weighted as the article weights its samples: clamp(t^2 + 10 - i, 0, 1), the sum
squashed by 1.9·tanh so that it stays inside the contour levels (-2 … 2) as the SVM's
does.
  python3 scenes/generators/moons.py
"""
import math
import random

N, NOISE, GAMMA = 50, 0.1, 2.0
rng = random.Random(2)
points = []
for k in range(N // 2):
    a = math.pi * k / (N // 2 - 1)
    points.append((math.cos(a), math.sin(a), 0))
    points.append((1 - math.cos(a), 0.5 - math.sin(a), 1))
rng.shuffle(points)
points = [(x + rng.gauss(0, NOISE), y + rng.gauss(0, NOISE), c) for x, y, c in points]

with open("scenes/data/moons.csv", "w") as f:
    f.write("x,y,class\n")
    for x, y, c in points:
        f.write(f"{x:.3f},{y:.3f},{c}\n")

terms = []
for i, (x, y, c) in enumerate(points):
    sign = "+" if c == 1 else "-"
    shift = f"+{10 - i}" if i <= 10 else f"-{i - 10}"
    terms.append(
        f"{sign}clamp(t^2{shift},0,1)*exp(-{GAMMA:g}*((x{-x:+.3f})^2+(y{-y:+.3f})^2))"
    )
print("1.9 * tanh(0.9 * (" + "".join(terms).lstrip("+") + "))")
