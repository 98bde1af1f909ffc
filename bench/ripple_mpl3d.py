"""The article's Vispy ripple made the MoviePy way, with matplotlib 3-D for the frames
(Vispy draws with OpenGL on a window, which the bench machine has not).

Same animation as scenes/ripple.toml: z = 0.1 sin(10R − 2πt), R = √(x² + y²), on x, y
in −1..1 by steps of 0.02, one colour (0.5, 0.5, 1) with smooth shading on black, seen
from elevation 65; 1 s at 20 fps. As in the article, each frame is drawn at Vispy's
default canvas size (800×600) and MoviePy's `.resize(width=350)` makes it 350×262:

    python bench/ripple_mpl3d.py OUT.gif
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from moviepy.editor import VideoClip  # noqa: E402
from moviepy.video.io.bindings import mplfig_to_npimage  # noqa: E402
from PIL import Image  # noqa: E402

# MoviePy 1.0.3 resizes with PIL's ANTIALIAS, which Pillow 10 renamed LANCZOS.
if not hasattr(Image, "ANTIALIAS"):
    Image.ANTIALIAS = Image.LANCZOS

out = sys.argv[1]
xx, yy = np.arange(-1, 1, 0.02), np.arange(-1, 1, 0.02)
X, Y = np.meshgrid(xx, yy)
R = np.sqrt(X**2 + Y**2)


def Z(t):
    return 0.1 * np.sin(10 * R - 2 * np.pi * t)


fig = plt.figure(figsize=(8, 6), dpi=100, facecolor="black")
ax = fig.add_subplot(projection="3d", facecolor="black")


def make_frame(t):
    ax.clear()
    ax.set_axis_off()
    # rstride/cstride 1: every point, as Vispy's SurfacePlot and animate draw them.
    ax.plot_surface(X - 0.1, Y + 0.2, Z(t), color=(0.5, 0.5, 1), shade=True,
                    rstride=1, cstride=1, linewidth=0, antialiased=True)
    ax.set_zlim(-0.5, 0.5)
    ax.view_init(elev=65, azim=-60)
    ax.set_box_aspect(None, zoom=1.9)  # Vispy's distance 2 fills the canvas
    return mplfig_to_npimage(fig)


animation = VideoClip(make_frame, duration=1).resize(width=350)
animation.write_gif(out, fps=20, opt="OptimizePlus", logger=None)
