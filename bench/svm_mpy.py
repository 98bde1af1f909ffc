"""The article's SVM classifier as published: scikit-learn fits a support vector
classifier to 50 half-moon points that appear one after the other, matplotlib draws
its decision function and the points, MoviePy writes a 7 s GIF at 15 fps (400×400:
figsize (4, 4) at matplotlib's 100 dpi). The baseline of bench/classifier_vs_moviepy.sh.

    python bench/svm_mpy.py OUT.gif
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from moviepy.editor import VideoClip  # noqa: E402
from moviepy.video.io.bindings import mplfig_to_npimage  # noqa: E402
from sklearn import svm  # noqa: E402  (sklearn = scikit-learn)
from sklearn.datasets import make_moons  # noqa: E402

out = sys.argv[1]
X, Y = make_moons(50, noise=0.1, random_state=2)  # semi-random data
fig, ax = plt.subplots(1, figsize=(4, 4), facecolor=(1, 1, 1))
fig.subplots_adjust(left=0, right=1, bottom=0)
xx, yy = np.meshgrid(np.linspace(-2, 3, 500), np.linspace(-1, 2, 500))


def make_frame(t):
    ax.clear()
    ax.axis("off")
    ax.set_title("SVC classification", fontsize=16)
    classifier = svm.SVC(gamma=2, C=1)
    # the varying weights make the points appear one after the other
    weights = np.minimum(1, np.maximum(0, t**2 + 10 - np.arange(50)))
    classifier.fit(X, Y, sample_weight=weights)
    Z = classifier.decision_function(np.c_[xx.ravel(), yy.ravel()])
    Z = Z.reshape(xx.shape)
    ax.contourf(xx, yy, Z, cmap=plt.cm.bone, alpha=0.8,
                vmin=-2.5, vmax=2.5, levels=np.linspace(-2, 2, 20))
    ax.scatter(X[:, 0], X[:, 1], c=Y, s=50 * weights, cmap=plt.cm.bone)
    return mplfig_to_npimage(fig)


animation = VideoClip(make_frame, duration=7)
animation.write_gif(out, fps=15, logger=None)
