"""The article's matplotlib + MoviePy example ("Elevation in y=0"), as published,
for bench/sinc_vs_matplotlib.sh. Usage: python sinc_mpl.py OUT.gif [--png OUT.png]"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from moviepy.video.io.bindings import mplfig_to_npimage
import moviepy.editor as mpy

out = sys.argv[1]

# DRAW A FIGURE WITH MATPLOTLIB
duration = 2
fig_mpl, ax = plt.subplots(1, figsize=(5, 3), facecolor='white')
xx = np.linspace(-2, 2, 200)  # the x vector
zz = lambda d: np.sinc(xx**2) + np.sin(xx + d)  # the (changing) z vector
ax.set_title("Elevation in y=0")
ax.set_ylim(-1.5, 2.5)
line, = ax.plot(xx, zz(0), lw=3)


# ANIMATE WITH MOVIEPY (UPDATE THE CURVE FOR EACH t). MAKE A GIF.
def make_frame_mpl(t):
    line.set_ydata(zz(2 * np.pi * t / duration))  # <= Update the curve
    return mplfig_to_npimage(fig_mpl)  # RGB image of the figure


if "--png" in sys.argv:
    # One frame for a side-by-side look (t = 0.25 s).
    import imageio
    imageio.imwrite(sys.argv[sys.argv.index("--png") + 1], make_frame_mpl(0.25))
else:
    animation = mpy.VideoClip(make_frame_mpl, duration=duration)
    animation.write_gif(out, fps=20, logger=None)
