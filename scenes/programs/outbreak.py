"""A zombie outbreak on a grid, streamed as raw RGB frames for animate.

The article's zombie simulation in Python's standard library only: each cell holds
a population (humans H, zombies Z, dead D); zombies bite humans in their cell and
wander to the four neighbouring cells. Land and sea come from a fixed map, patient
zero starts in the north-east. Deterministic. Usage (animate fills these in):

    python3 outbreak.py WIDTH HEIGHT FRAMES

writes FRAMES frames of WIDTH x HEIGHT x 3 bytes to stdout, one simulated day each.
"""

import math
import sys

CELL = 4                      # pixels per grid cell
BITE, KILL, WANDER = 0.9, 0.08, 0.25
STEPS = 2                     # simulation steps per day


def land(w, h):
    """Population density: an irregular land mass, sea (0) around it."""
    pop = []
    for y in range(h):
        row = []
        for x in range(w):
            u, v = (x - 0.47 * w) / (0.41 * w), (y - 0.5 * h) / (0.42 * h)
            r = u * u + v * v + 0.15 * math.sin(5 * u) * math.cos(4 * v)
            row.append(0.4 + 0.3 * (1 + math.cos(3 * u + 2 * v)) if r < 1 else 0.0)
        pop.append(row)
    return pop


def step(pop, hum, zom, dead, cells, links):
    """One step: bites and deaths in each land cell, then zombies wander to the land
    among their four neighbours. The grids are flat lists, row by row; `cells` lists
    the land cells in that order and `links` each one's land neighbours (up, down,
    left, right), found once rather than every step."""
    for k in cells:
        p, hh, zz = pop[k], hum[k], zom[k]
        bitten = BITE * hh * zz / p
        if not bitten < hh:  # min(hh, bitten) without the call
            bitten = hh
        killed = KILL * zz * hh / p
        hum[k] = hh - bitten
        zom[k] = zz + bitten - killed
        dead[k] += killed
    moved = [0.0] * len(pop)
    for k in cells:
        zz = zom[k]
        if zz == 0:
            continue
        near = links[k]
        out = WANDER * zz if near else 0.0
        moved[k] += zz - out
        if near:
            share = out / len(near)
            for n in near:
                moved[n] += share
    return moved


def colour(p, hh, zz, dd):
    """Sea blue; land green by its humans, red by its zombies, grey by its dead."""
    if p == 0:
        return (22, 50, 79)
    z, d = zz / p, dd / p
    z = z if z < 1.0 else 1.0
    d = d if d < 1.0 else 1.0
    return (int(40 + 215 * z), int(40 + 180 * hh * (1 - z)), int(40 + 60 * d))


def main():
    width, height, frames = (int(a) for a in sys.argv[1:4])
    w, h = width // CELL, height // CELL
    pop = [p for row in land(w, h) for p in row]
    cells = [k for k, p in enumerate(pop) if p > 0]
    links = {}
    for k in cells:
        y, x = divmod(k, w)
        links[k] = [(y + dy) * w + x + dx for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1))
                    if 0 <= y + dy < h and 0 <= x + dx < w and pop[(y + dy) * w + x + dx] > 0]
    hum = pop[:]
    zom = [0.0] * (w * h)
    dead = [0.0] * (w * h)
    k0 = int(0.3 * h) * w + int(0.7 * w)
    zom[k0], hum[k0] = 0.3 * pop[k0], 0.7 * pop[k0]
    out = sys.stdout.buffer
    pad = bytes(3 * (width - w * CELL))
    for _ in range(frames):
        lines = []
        for y in range(h):
            cells_row = b"".join(bytes(colour(pop[k], hum[k], zom[k], dead[k])) * CELL
                                 for k in range(y * w, (y + 1) * w))
            lines.append((cells_row + pad) * CELL)
        lines.append(bytes(3 * width) * (height - h * CELL))
        out.write(b"".join(lines))
        for _ in range(STEPS):
            zom = step(pop, hum, zom, dead, cells, links)
    out.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        # animate stops reading once it has the frames it needs.
        sys.stderr.close()
