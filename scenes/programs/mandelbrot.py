"""One frame of a zoom into the Mandelbrot set, as a PNG: animate's per-frame example.

    python3 mandelbrot.py T DURATION WIDTH HEIGHT OUT.png

draws the view at time T of a DURATION-second zoom (Python's standard library only;
CPU-bound on purpose: animate runs one such program per core).
"""

import math
import struct
import sys
import zlib

CENTRE = (-0.7453, 0.1127)   # the spirals of "seahorse valley"
ITERATIONS = 96


def png(width, height, rows):
    """An 8-bit RGB PNG from rows of bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + r for r in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def shade(n):
    """A smooth palette from the escape count (black inside the set)."""
    if n >= ITERATIONS:
        return b"\x00\x00\x00"
    a = 2 * math.pi * n / 24
    return bytes(int(127.5 * (1 + math.sin(a + k))) for k in (0.0, 2.1, 4.2))


def main():
    t, duration = float(sys.argv[1]), float(sys.argv[2])
    width, height, out = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    scale = 3.0 * 0.02 ** (t / duration) / width     # the view narrows 50 times
    cx, cy = CENTRE
    rows = []
    for j in range(height):
        row = []
        y0 = cy + (j - height / 2) * scale
        for i in range(width):
            x0 = cx + (i - width / 2) * scale
            x = y = 0.0
            n = 0
            while n < ITERATIONS and x * x + y * y <= 4.0:
                x, y = x * x - y * y + x0, 2 * x * y + y0
                n += 1
            row.append(shade(n))
        rows.append(b"".join(row))
    with open(out, "wb") as f:
        f.write(png(width, height, rows))


if __name__ == "__main__":
    main()
