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


def step(pop, hum, zom, dead, w, h):
    """One step: bites and deaths in each cell, then zombies wander to neighbours."""
    for y in range(h):
        for x in range(w):
            if pop[y][x] == 0:
                continue
            hh, zz = hum[y][x], zom[y][x]
            bitten = min(hh, BITE * hh * zz / pop[y][x])
            killed = KILL * zz * hh / pop[y][x]
            hum[y][x] = hh - bitten
            zom[y][x] = zz + bitten - killed
            dead[y][x] += killed
    moved = [[0.0] * w for _ in range(h)]
    for y in range(h):
        for x in range(w):
            zz = zom[y][x]
            if zz == 0:
                continue
            near = [(y + dy, x + dx) for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1))
                    if 0 <= y + dy < h and 0 <= x + dx < w and pop[y + dy][x + dx] > 0]
            out = WANDER * zz if near else 0.0
            moved[y][x] += zz - out
            for ny, nx in near:
                moved[ny][nx] += out / len(near)
    return moved


def colour(p, hh, zz, dd):
    """Sea blue; land green by its humans, red by its zombies, grey by its dead."""
    if p == 0:
        return (22, 50, 79)
    z, d = min(1.0, zz / p), min(1.0, dd / p)
    return (int(40 + 215 * z), int(40 + 180 * hh * (1 - z)), int(40 + 60 * d))


def main():
    width, height, frames = (int(a) for a in sys.argv[1:4])
    w, h = width // CELL, height // CELL
    pop = land(w, h)
    hum = [row[:] for row in pop]
    zom = [[0.0] * w for _ in range(h)]
    dead = [[0.0] * w for _ in range(h)]
    y0, x0 = int(0.3 * h), int(0.7 * w)
    zom[y0][x0], hum[y0][x0] = 0.3 * pop[y0][x0], 0.7 * pop[y0][x0]
    out = sys.stdout.buffer
    pad = bytes(3 * (width - w * CELL))
    for _ in range(frames):
        lines = []
        for y in range(h):
            cells = b"".join(bytes(colour(pop[y][x], hum[y][x], zom[y][x], dead[y][x])) * CELL
                             for x in range(w))
            lines.append((cells + pad) * CELL)
        lines.append(bytes(3 * width) * (height - h * CELL))
        out.write(b"".join(lines))
        for _ in range(STEPS):
            zom = step(pop, hum, zom, dead, w, h)
    out.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        # animate stops reading once it has the frames it needs.
        sys.stderr.close()
