"""The article's SVM classifier, streamed to animate as raw RGBA frames.

A support vector classifier learns two interleaved half-moons; the training points
arrive one after the other, and each frame shows the decision function at that
moment. Needs scikit-learn, NumPy and matplotlib (`make svm-demo` makes a virtual
environment with them). Usage (animate fills these in):

    python3 svm.py WIDTH HEIGHT FRAMES FPS

writes FRAMES frames of WIDTH x HEIGHT x 4 bytes (matplotlib's buffer_rgba) to stdout.
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn import svm  # noqa: E402
from sklearn.datasets import make_moons  # noqa: E402


def main():
    width, height, frames = (int(a) for a in sys.argv[1:4])
    fps = float(sys.argv[4])
    points, labels = make_moons(50, noise=0.1, random_state=2)
    xx, yy = np.meshgrid(np.linspace(-2, 3, 200), np.linspace(-1, 2, 200))
    dpi = 100
    # Half a pixel more: matplotlib truncates width * dpi, and width / dpi is a pixel
    # short for some widths (57, 113, 201, … with matplotlib 3.9).
    fig, ax = plt.subplots(figsize=((width + 0.5) / dpi, (height + 0.5) / dpi), dpi=dpi)
    fig.subplots_adjust(0, 0, 1, 1)
    if fig.canvas.get_width_height() != (width, height):
        sys.exit(f"svm.py: matplotlib draws {fig.canvas.get_width_height()}, not {width}x{height}")
    out = sys.stdout.buffer
    for i in range(frames):
        t = i / fps
        ax.clear()
        ax.axis("off")
        # Point k takes part once t^2 + 10 > k: they appear one after the other.
        weights = np.minimum(1, np.maximum(0, t ** 2 + 10 - np.arange(50)))
        model = svm.SVC(gamma=2, C=1)
        model.fit(points, labels, sample_weight=weights)
        z = model.decision_function(np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
        ax.contourf(xx, yy, z, cmap=plt.cm.bone, alpha=0.8, vmin=-2.5, vmax=2.5,
                    levels=np.linspace(-2, 2, 20))
        ax.scatter(points[:, 0], points[:, 1], c=labels, s=50 * weights, cmap=plt.cm.bone)
        fig.canvas.draw()
        out.write(fig.canvas.buffer_rgba())
    out.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.stderr.close()
