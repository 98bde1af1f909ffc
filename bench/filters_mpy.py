"""The article's scikit-image filters on its surface GIF, with MoviePy 1.0.3 and
scikit-image: the 2x2 grid with titles (`grid`) or the title cards in sequence
(`cards`). The baseline of bench/effects_grid_vs_moviepy.sh and
bench/title_cards_vs_moviepy.sh.

    python filters_mpy.py grid|cards SINC.gif OUT.gif

The article's code, with two changes it needs to run today: `skimage.filter` is now
`skimage.filters` (`gaussian_filter` is `gaussian`), and the titles are drawn with
Pillow into an ImageClip instead of TextClip, which needs ImageMagick (not installed
here); a title is drawn once either way, so this does not change the per-frame work.
"""
import sys

import moviepy.editor as mpy
import numpy as np
import skimage.exposure as ske
import skimage.filters as skf
from PIL import Image, ImageDraw, ImageFont

mode, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
clip = mpy.VideoFileClip(src)
gray = clip.fx(mpy.vfx.blackwhite).to_mask()
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def text_clip(label, fontsize, size=None, bg=None):
    """TextClip(label, fontsize=…, [bg_color, size]) drawn with Pillow."""
    font = ImageFont.truetype(BOLD, fontsize)
    left, top, right, bottom = font.getbbox(label)
    w, h = size if size else (right - left, bottom - top)
    im = Image.new("RGBA", (w, h), bg or (0, 0, 0, 0))
    ImageDraw.Draw(im).text(((w - (right - left)) / 2 - left, (h - (bottom - top)) / 2 - top),
                            label, font=font, fill="black")
    rgba = np.asarray(im)
    txt = mpy.ImageClip(rgba[:, :, :3])
    if bg is None:
        txt = txt.set_mask(mpy.ImageClip(rgba[:, :, 3] / 255.0, ismask=True))
    return txt


def filtered(effect, **kw):
    return gray.fl_image(lambda im: effect(im, **kw)).to_RGB()


def apply_grid(effect, title, **kw):
    new_clip = filtered(effect, **kw)
    txt = text_clip(title, 15).set_position(("center", "top")).set_duration(clip.duration)
    return mpy.CompositeVideoClip([new_clip, txt])


def apply_card(effect, label, **kw):
    new_clip = filtered(effect, **kw)
    txt = text_clip(label, 25, size=new_clip.size, bg=(255, 255, 255)).set_position("center").set_duration(1)
    return mpy.concatenate_videoclips([txt, new_clip])


apply = apply_grid if mode == "grid" else apply_card
equalized = apply(ske.equalize_hist, "Equalized")
rescaled = apply(ske.rescale_intensity, "Rescaled")
adjusted = apply(ske.adjust_log, "Adjusted")
blurred = apply(skf.gaussian, "Blurred", sigma=4)
if mode == "grid":
    final_clip = mpy.clips_array([[equalized, adjusted], [blurred, rescaled]])
    final_clip.write_gif(out, fps=20, logger=None)
else:
    animation = mpy.concatenate_videoclips([equalized, adjusted, blurred, rescaled])
    animation.write_gif(out, fps=15, logger=None)
