"""The article's Mayavi wireframe made the MoviePy way, with matplotlib 3-D for the
frames (Mayavi needs VTK and a display, neither of which the bench machine has).

Same animation as scenes/wireframe.toml: a tube of radius 0.2 and 5 sides around
x = cos u, y = sin 3u · (0.2 + 0.5 cos 2πt/T), z = sin u (100 samples of u), drawn as
a wireframe on white while the view turns once around it; 500×500 frames, halved by
MoviePy's `.resize(0.5)`, 2 s at 20 fps, written as the article writes them:

    python bench/wireframe_mpl3d.py gif|mp4 OUT
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import moviepy.editor as mpy  # noqa: E402
import numpy as np  # noqa: E402
from moviepy.video.io.bindings import mplfig_to_npimage  # noqa: E402
from PIL import Image  # noqa: E402

# MoviePy 1.0.3 resizes with PIL's ANTIALIAS, which Pillow 10 renamed LANCZOS.
if not hasattr(Image, "ANTIALIAS"):
    Image.ANTIALIAS = Image.LANCZOS

fmt, out = sys.argv[1], sys.argv[2]
duration = 2
u = np.linspace(0, 2 * np.pi, 100)
ring = np.linspace(0, 2 * np.pi, 6)  # 5 sides, the first point repeated to close


def tube(x, y, z, radius=0.2):
    """The tube's surface around the curve: a ring of 5 points at each sample."""
    p = np.stack([x, y, z], axis=1)
    tangent = np.gradient(p, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    normal = np.cross(tangent, [0.0, 0.0, 1.0])
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-9)
    binormal = np.cross(tangent, normal)
    c, s = np.cos(ring)[None, :, None], np.sin(ring)[None, :, None]
    surface = p[:, None, :] + radius * (c * normal[:, None, :] + s * binormal[:, None, :])
    return surface[..., 0], surface[..., 1], surface[..., 2]


fig = plt.figure(figsize=(5, 5), dpi=100, facecolor="white")
ax = fig.add_subplot(projection="3d")


def make_frame(t):
    """Generates and returns the frame for time t."""
    ax.clear()
    ax.set_axis_off()
    y = np.sin(3 * u) * (0.2 + 0.5 * np.cos(2 * np.pi * t / duration))
    ax.plot_wireframe(*tube(np.cos(u), y, np.sin(u)), color=(40 / 255, 90 / 255, 200 / 255),
                      linewidth=0.5)
    ax.set_xlim(-1.2, 1.2)
    ax.set_ylim(-1.2, 1.2)
    ax.set_zlim(-1.2, 1.2)
    ax.view_init(elev=30, azim=360 * t / duration)  # camera angle
    return mplfig_to_npimage(fig)


animation = mpy.VideoClip(make_frame, duration=duration).resize(0.5)
if fmt == "mp4":
    animation.write_videofile(out, fps=20, logger=None)
else:
    animation.write_gif(out, fps=20, logger=None)
