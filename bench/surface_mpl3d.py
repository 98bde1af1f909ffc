"""The article's sinc surface made the MoviePy way, with matplotlib 3-D for the frames.

Same animation as scenes/sinc_surface.toml: z = sinc(x² + y²) + sin(y + 2πt/T) on a
200×200 grid over [-2, 2]², 220×220 pixels, 2 s at 20 fps, written as a GIF by
MoviePy.

    python bench/surface_mpl3d.py [--stride N] OUT.gif

--stride 1 (the default) draws every grid point, as animate does; matplotlib's own
default draws at most 50×50 of them (stride 4 here).
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from moviepy.editor import VideoClip  # noqa: E402
from moviepy.video.io.bindings import mplfig_to_npimage  # noqa: E402

out = sys.argv[-1]
stride = int(sys.argv[sys.argv.index("--stride") + 1]) if "--stride" in sys.argv else 1

duration = 2
X, Y = np.linspace(-2, 2, 200), np.linspace(-2, 2, 200)
XX, YY = np.meshgrid(X, Y)


def zz(d):
    return np.sinc(XX**2 + YY**2) + np.sin(XX + d)


fig = plt.figure(figsize=(2.2, 2.2), dpi=100, facecolor="white")
ax = fig.add_subplot(projection="3d")


def make_frame(t):
    ax.clear()
    ax.set_axis_off()
    # mlab.mesh(YY, XX, ...) in the article: Mayavi's x is numpy's Y.
    ax.plot_surface(YY, XX, zz(2 * np.pi * t / duration), cmap="jet",
                    rstride=stride, cstride=stride, linewidth=0, antialiased=True)
    return mplfig_to_npimage(fig)


animation = VideoClip(make_frame, duration=duration)
animation.write_gif(out, fps=20, logger=None)
