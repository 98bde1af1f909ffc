"""The zombie outbreak of scenes/outbreak.toml made the article's way: the grid is a
NumPy array, a few NumPy operations per day spread the infection and turn the grid
into an RGB frame, and MoviePy writes the GIF (384×288, 80 days at 10 fps). The
rules, map and colours are scenes/programs/outbreak.py's, vectorised; the title and
the day counter are drawn on each frame with Pillow (MoviePy's TextClip needs
ImageMagick, which is not installed).

    python bench/outbreak_mpy.py OUT.gif
"""
import sys

import numpy as np
from moviepy.editor import VideoClip
from PIL import Image, ImageDraw, ImageFont

out = sys.argv[1]
WIDTH, HEIGHT, FPS, DAYS = 384, 288, 10, 80
CELL, BITE, KILL, WANDER, STEPS = 4, 0.9, 0.08, 0.25, 2
w, h = WIDTH // CELL, HEIGHT // CELL

# Population density: an irregular land mass, sea (0) around it.
x, y = np.meshgrid(np.arange(w), np.arange(h))
u, v = (x - 0.47 * w) / (0.41 * w), (y - 0.5 * h) / (0.42 * h)
r = u * u + v * v + 0.15 * np.sin(5 * u) * np.cos(4 * v)
pop = np.where(r < 1, 0.4 + 0.3 * (1 + np.cos(3 * u + 2 * v)), 0.0)
land = pop > 0
safe = np.where(land, pop, 1.0)
hum, zom, dead = pop.copy(), np.zeros((h, w)), np.zeros((h, w))
y0, x0 = int(0.3 * h), int(0.7 * w)
zom[y0, x0], hum[y0, x0] = 0.3 * pop[y0, x0], 0.7 * pop[y0, x0]

# Which of the four neighbours are land, and how many: zombies wander only on land.
padded = np.pad(land, 1)
shifts = ((-1, 0), (1, 0), (0, -1), (0, 1))
near = [padded[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy, dx in shifts]
count = sum(n.astype(float) for n in near)


def step():
    global hum, zom
    bitten = np.minimum(hum, BITE * hum * zom / safe) * land
    killed = KILL * zom * hum / safe * land
    hum -= bitten
    zom = zom + bitten - killed
    dead[:] += killed
    out_ = np.where(count > 0, WANDER * zom, 0.0)
    share = np.pad(np.where(count > 0, out_ / np.maximum(count, 1), 0.0), 1)
    moved = zom - out_
    for dy, dx in shifts:
        # a land cell (y, x) receives from (y - dy, x - dx), whose neighbour it is
        moved += share[1 - dy:1 - dy + h, 1 - dx:1 - dx + w] * land
    zom = moved


def colours():
    z = np.minimum(1.0, zom / safe)
    d = np.minimum(1.0, dead / safe)
    rgb = np.stack([40 + 215 * z, 40 + 180 * hum * (1 - z), 40 + 60 * d], axis=-1).astype(np.uint8)
    rgb[~land] = (22, 50, 79)
    frame = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    frame[:h * CELL, :w * CELL] = rgb.repeat(CELL, 0).repeat(CELL, 1)
    return frame


BOLD = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 22)
PLAIN = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 16)
state = {"day": 0}


def make_frame(t):
    day = int(np.floor(t * FPS + 1e-9))
    while state["day"] < day:  # MoviePy asks for the days in order
        for _ in range(STEPS):
            step()
        state["day"] += 1
    im = Image.fromarray(colours())
    draw = ImageDraw.Draw(im, "RGBA")
    draw.text((WIDTH / 2, 8), "Zombie outbreak", font=BOLD, fill="white", anchor="mt")
    label = f"day {day + 1}"
    left, top, right, bottom = draw.textbbox((12, 264), label, font=PLAIN)
    draw.rectangle((8, 260, right + 4, bottom + 4), fill=(0, 0, 0, 128))
    draw.text((12, 264), label, font=PLAIN, fill="white")
    return np.asarray(im)


animation = VideoClip(make_frame, duration=DAYS / FPS)
animation.write_gif(out, fps=FPS, logger=None)
