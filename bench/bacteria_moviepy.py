"""The three panels of scenes/bacteria.toml made the article's way: numpy draws the
colony, scikit-image thresholds it, the white pixels are counted, matplotlib draws the
three panels and MoviePy writes the GIF.
    python bench/bacteria_moviepy.py out.gif
Same colony formula, size (848x240), frame rate (10 fps) and length (6 s) as the scene.
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from moviepy.editor import VideoClip
from moviepy.video.io.bindings import mplfig_to_npimage
from skimage.filters import threshold_otsu  # noqa: F401  (the article's toolbox)
from skimage.color import rgb2gray

N, K, SPAN, FPS, SIDE = 40, 0.8, 6.0, 10, 240

# The scene's field: x, y over [0, 1], y upwards, sampled like numpy's linspace.
xs = np.linspace(0, 1, SIDE)
X, Y = np.meshgrid(xs, xs[::-1])
noise = 0.1 + 0.12 * np.abs(np.mod(np.sin(913 * X + 427 * Y) * 4375, 1))
I, J = np.floor(N * X), np.floor(N * Y)
h = np.abs(np.mod(np.sin(I * 12.9898 + J * 78.233) * 43758.5453, 1))
with np.errstate(divide="ignore"):
    born = SPAN + 1 + np.log(h) / K
dist = np.hypot(N * X - I - 0.5, N * Y - J - 0.5)


def smoothstep(a, b, x):
    u = np.clip((x - a) / (b - a), 0, 1)
    return u * u * (3 - 2 * u)


def colony(t):
    r = 0.42 * np.clip((t - born) / 0.4, 0, 1)
    f = noise + 0.7 * (1 - smoothstep(r - 0.1, r, dist))
    grey = (np.clip(f, 0, 1) * 255).astype(np.uint8)
    return np.dstack([grey] * 3)


times, counts = [], []
fig, (a0, a1, a2) = plt.subplots(1, 3, figsize=(8.48, 2.4), dpi=100,
                                 gridspec_kw={"width_ratios": [1, 1, 1.5]})


def make_frame(t):
    rgb = colony(t)
    white = rgb2gray(rgb) * 255 > 127
    times.append(t)
    counts.append(int(white.sum()))
    for a in (a0, a1, a2):
        a.clear()
    a0.imshow(rgb)
    a0.axis("off")
    a1.imshow(white, cmap="gray")
    a1.axis("off")
    a2.plot(times, counts)
    a2.set_yscale("log")
    a2.set_xlim(0, SPAN)
    a2.set_title("Population")
    a2.set_xlabel("time (s)")
    a2.text(0.03, 0.9, f"{counts[-1]} px", transform=a2.transAxes)
    return mplfig_to_npimage(fig)


VideoClip(make_frame, duration=SPAN).write_gif(sys.argv[1], fps=FPS, logger=None)
