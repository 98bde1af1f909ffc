"""The article's side by side with MoviePy 1.0.3 (the baseline of
bench/side_by_side_vs_moviepy.sh): the curve's GIF resized to the surface's height and
the two in one row with clips_array.

    python side_by_side_mpy.py DIR OUT.gif    (DIR holds sinc.gif and sinc_mpl.gif)
"""
import os
import sys

import moviepy.editor as mpy
from PIL import Image

# MoviePy 1.0.3 resizes with PIL's ANTIALIAS, which Pillow 10 renamed LANCZOS.
if not hasattr(Image, "ANTIALIAS"):
    Image.ANTIALIAS = Image.LANCZOS

folder, out = sys.argv[1], sys.argv[2]
clip_mayavi = mpy.VideoFileClip(os.path.join(folder, "sinc.gif"))
clip_mpl = mpy.VideoFileClip(os.path.join(folder, "sinc_mpl.gif")).resize(height=clip_mayavi.h)
animation = mpy.clips_array([[clip_mpl, clip_mayavi]])
animation.write_gif(out, fps=20, logger=None)
