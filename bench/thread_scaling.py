#!/usr/bin/env python3
"""How a render scales from one thread to more, for one or more builds, measured in
alternation so that a change in the machine's load falls on every case alike.

    bench/thread_scaling.py [--rounds N] [--threads 1,2] [--gif] [--out DIR] SCENE ANIMATE...

Each round runs every (build, thread count) pair once, `render SCENE -o DIR/<i>/ -q
--threads T` (PNG frames; the same folder each time, so that frames are replaced as a
Makefile's re-render replaces them), in an order reversed every other round. Prints,
per build, the median and the minimum wall time per thread count and the ratio of the
first thread count's to the last's (issue 19 asks 1.8 or more from 1 to 2 threads for
scenes/ripple.toml and scenes/sinc_surface.toml). With `--gif`, every case is also
rendered to DIR/<i>.gif, and the GIF's time over the PNG frames' is printed per thread
count (issue 19 asks at most 1.3). Wall times mean something only on an otherwise idle
machine: check `uptime` before and after.
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=11)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--gif", action="store_true", help="time GIF output as well")
    p.add_argument("--out", help="folder for the frames (default: a temporary one)")
    p.add_argument("scene")
    p.add_argument("builds", nargs="+", metavar="ANIMATE")
    a = p.parse_args()
    threads = a.threads.split(",")
    out = a.out or tempfile.mkdtemp(prefix="thread_scaling.")
    kinds = ["png", "gif"] if a.gif else ["png"]
    cases = [(b, t, k) for b in range(len(a.builds)) for t in threads for k in kinds]
    times = {c: [] for c in cases}
    for r in range(a.rounds):
        for b, t, k in cases if r % 2 == 0 else reversed(cases):
            target = f"{out}/{b}/" if k == "png" else f"{out}/{b}.gif"
            cmd = [a.builds[b], "render", a.scene, "-o", target, "-q", "--threads", t]
            start = time.perf_counter()
            subprocess.run(cmd, check=True)
            times[(b, t, k)].append(time.perf_counter() - start)
    for b, build in enumerate(a.builds):
        med = [statistics.median(times[(b, t, "png")]) for t in threads]
        low = [min(times[(b, t, "png")]) for t in threads]
        print(
            f"{build}: median "
            + " ".join(f"{t} thr {m:.4f} s" for t, m in zip(threads, med))
            + f" (ratio {med[0] / med[-1]:.3f}); minimum "
            + " ".join(f"{t} thr {m:.4f} s" for t, m in zip(threads, low))
            + f" (ratio {low[0] / low[-1]:.3f}); {a.rounds} rounds"
        )
        if a.gif:
            gif = [statistics.median(times[(b, t, "gif")]) for t in threads]
            print(
                f"{build}: GIF median "
                + " ".join(
                    f"{t} thr {g:.4f} s ({g / m:.3f} x PNG)" for t, g, m in zip(threads, gif, med)
                )
            )


if __name__ == "__main__":
    sys.exit(main())
