"""The article's composition of its two GIFs with MoviePy 1.0.3 (the baseline of
bench/composition_vs_moviepy.sh): the surface with its white made transparent, 40 %
opaque, resized to 85 % of the curve's height and centred over the curve.

    python composition_mpy.py DIR OUT.gif    (DIR holds sinc.gif and sinc_mpl.gif)
"""
import os
import sys

import moviepy.editor as mpy
from PIL import Image

# MoviePy 1.0.3 resizes with PIL's ANTIALIAS, which Pillow 10 renamed LANCZOS (the same
# filter).
if not hasattr(Image, "ANTIALIAS"):
    Image.ANTIALIAS = Image.LANCZOS

folder, out = sys.argv[1], sys.argv[2]
clip_mayavi = mpy.VideoFileClip(os.path.join(folder, "sinc.gif"))
clip_mpl = mpy.VideoFileClip(os.path.join(folder, "sinc_mpl.gif"))
clip_mayavi2 = (
    clip_mayavi.fx(mpy.vfx.mask_color, [255, 255, 255])
    .set_opacity(0.4)
    .resize(height=0.85 * clip_mpl.h)
    .set_pos("center")
)
animation = mpy.CompositeVideoClip([clip_mpl, clip_mayavi2])
animation.write_gif(out, fps=20, logger=None)
