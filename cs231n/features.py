"""Hand-designed image features: histograms of oriented gradients and colour histograms.

Before convolutional networks learned their own features, image classifiers were
trained on fixed descriptors computed from the pixels. Two classic ones:

* :func:`hog_features`, histograms of oriented gradients (Dalal and Triggs, 2005): the
  local shape, as the distribution of edge directions in small cells;
* :func:`color_histogram_features`, the distribution of colours (the hue, for RGB
  images) or of intensities (for grayscale images), ignoring where they are.

Both work on a whole batch ``X`` of shape (N, C, H, W) with values in [0, 255] (no
mean subtracted) and return one row of features per image. :func:`extract_features`
concatenates several of them.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import check_array, fail

__all__ = [
    "color_histogram_features",
    "extract_features",
    "grayscale",
    "hog_features",
    "image_gradients",
    "rgb_to_hue",
]


def grayscale(X):
    """Intensity of every pixel: the mean over the channels, shape (N, H, W), float64."""
    check_array(X, "grayscale: X", ndim=4, dims="(N, C, H, W)")
    return np.asarray(X, dtype=np.float64).mean(axis=1)


def image_gradients(gray):
    """Centred differences along the width (gx) and the height (gy).

    Parameters
    ----------
    gray : ndarray of shape (N, H, W)

    Returns
    -------
    gx, gy : ndarray of shape (N, H, W)
        ``gx[n, i, j] = gray[n, i, j + 1] - gray[n, i, j - 1]`` (0 on the left and right
        borders), ``gy`` likewise along the height (0 on the top and bottom borders).
    """
    check_array(gray, "image_gradients: gray", ndim=3, dims="(N, H, W)")
    gx = np.zeros(gray.shape, dtype=np.float64)
    gy = np.zeros(gray.shape, dtype=np.float64)
    gx[:, :, 1:-1] = gray[:, :, 2:] - gray[:, :, :-2]
    gy[:, 1:-1, :] = gray[:, 2:, :] - gray[:, :-2, :]
    return gx, gy


def hog_features(X, cell_size=4, num_bins=9):
    """Histograms of oriented gradients, one per cell, for a batch of images.

    The image is converted to grayscale and its gradients are computed with
    :func:`image_gradients`. Each pixel votes for the bin of its *unsigned* orientation
    (the angle of ``(gx, gy)`` modulo 180 degrees; bin ``b`` covers
    ``[b, b + 1) * 180 / num_bins`` degrees) with a weight equal to its gradient
    magnitude, and the votes are summed over every non-overlapping
    ``cell_size x cell_size`` cell. Pixels beyond the last whole cell are ignored.

    Parameters
    ----------
    X : ndarray of shape (N, C, H, W)
        Images, values in [0, 255].
    cell_size : int
        Side of a square cell, in pixels.
    num_bins : int
        Number of orientation bins over [0, 180) degrees.

    Returns
    -------
    features : ndarray of shape (N, (H // cell_size) * (W // cell_size) * num_bins)
        Row n holds image n's histograms, cell by cell in row-major order (cell (0, 0)'s
        ``num_bins`` values first), float64.
    """
    check_array(X, "hog_features: X", ndim=4, dims="(N, C, H, W)")
    gx, gy = image_gradients(grayscale(X))
    N, H, W = gx.shape
    Hc, Wc = H // cell_size, W // cell_size
    if Hc == 0 or Wc == 0:
        fail(
            "hog_features: X",
            f"images of at least cell_size x cell_size = {cell_size} x {cell_size} pixels",
            f"{H} x {W}",
            "use a smaller cell_size",
        )
    # TODO(a1_hog): from gx, gy (N, H, W): every pixel's gradient magnitude and unsigned
    # orientation in degrees, its bin in [0, num_bins); then for every image and every
    # whole cell the magnitude-weighted count of each bin. Return shape (N, Hc * Wc * num_bins).
    ### BEGIN SOLUTION
    magnitude = np.hypot(gx, gy)[:, : Hc * cell_size, : Wc * cell_size]
    angle = np.rad2deg(np.arctan2(gy, gx)) % 180.0
    bins = np.minimum((angle * num_bins / 180.0).astype(np.int64), num_bins - 1)
    bins = bins[:, : Hc * cell_size, : Wc * cell_size]
    rows = np.arange(Hc * cell_size) // cell_size
    cols = np.arange(Wc * cell_size) // cell_size
    cell = rows[:, None] * Wc + cols[None, :]  # (H', W'): the cell of every pixel
    index = (np.arange(N)[:, None, None] * (Hc * Wc) + cell) * num_bins + bins
    features = np.bincount(
        index.ravel(), weights=magnitude.ravel(), minlength=N * Hc * Wc * num_bins
    )
    features = features.reshape(N, Hc * Wc * num_bins)
    ### END SOLUTION
    return features


def rgb_to_hue(X):
    """Hue of every pixel of RGB images, in [0, 1) (0 for grays, where it is undefined).

    Parameters
    ----------
    X : ndarray of shape (N, 3, H, W)
        RGB images, values in [0, 255].

    Returns
    -------
    hue : ndarray of shape (N, H, W), float64
        The hue of the HSV colour model divided by 360 degrees.
    """
    check_array(X, "rgb_to_hue: X", ndim=4, shape=(None, 3, None, None), dims="(N, 3, H, W)")
    r, g, b = (np.asarray(X[:, k], dtype=np.float64) for k in range(3))
    mx, mn = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    delta = mx - mn
    safe = np.where(delta > 0, delta, 1.0)
    hue = np.where(
        mx == r,
        ((g - b) / safe) % 6.0,
        np.where(mx == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0),
    )
    return np.where(delta > 0, hue / 6.0, 0.0) % 1.0


def color_histogram_features(X, num_bins=10):
    """Normalised histogram of the hue (RGB images) or of the intensity (grayscale images).

    A value ``v`` in [0, 1] (the hue from :func:`rgb_to_hue`, or the pixel divided by 255
    for one channel) falls in bin ``floor(v * num_bins)``, and 1.0 in the last bin.

    Parameters
    ----------
    X : ndarray of shape (N, C, H, W)
        Images with C = 1 (grayscale) or C = 3 (RGB), values in [0, 255].
    num_bins : int
        Number of equal bins over [0, 1].

    Returns
    -------
    features : ndarray of shape (N, num_bins)
        Row n is the fraction of image n's pixels in each bin (it sums to 1), float64.
    """
    check_array(X, "color_histogram_features: X", ndim=4, dims="(N, C, H, W)")
    if X.shape[1] not in (1, 3):
        fail("color_histogram_features: X", "1 or 3 channels", f"{X.shape[1]}")
    values = rgb_to_hue(X) if X.shape[1] == 3 else np.asarray(X[:, 0], dtype=np.float64) / 255.0
    # TODO(a1_color_histogram): values (N, H, W) lie in [0, 1]; give every pixel its bin
    # and return, for every image, the fraction of its pixels in each of the num_bins bins.
    ### BEGIN SOLUTION
    N = values.shape[0]
    bins = np.clip((values * num_bins).astype(np.int64), 0, num_bins - 1).reshape(N, -1)
    counts = np.zeros((N, num_bins))
    for b in range(num_bins):
        counts[:, b] = np.sum(bins == b, axis=1)
    features = counts / bins.shape[1]
    ### END SOLUTION
    return features


def extract_features(X, feature_fns):
    """Concatenate the features of several functions, each ``fn(X) -> (N, d_k)``.

    Returns
    -------
    features : ndarray of shape (N, d_1 + d_2 + ...), float64
    """
    blocks = [np.asarray(fn(X), dtype=np.float64) for fn in feature_fns]
    for fn, block in zip(feature_fns, blocks):
        if block.ndim != 2 or block.shape[0] != X.shape[0]:
            name = getattr(fn, "__name__", repr(fn))
            fail(
                f"extract_features: {name}",
                f"an array of shape ({X.shape[0]}, d)",
                f"{block.shape}",
            )
    return np.hstack(blocks)
