"""Visible checks of features.ipynb: HOG and colour-histogram features.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/features.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/features.py``, never released), through the
kit's one comparison (:mod:`cs231n.checks.common`). See :mod:`cs231n.checks` for the
result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import register
from cs231n.checks.common import check_close, check_unchanged, fail, get, hints, passed

NOTEBOOK = "features"


def _exp(key: str) -> np.ndarray:
    return get(NOTEBOOK, key)


def _hints(prefix: str, pairs) -> list:
    return hints(NOTEBOOK, prefix, pairs)


def inputs_features():
    """Fixed images of the checks: a grayscale pair with a border beyond the last cell, an RGB pair."""
    i, j = np.meshgrid(np.arange(10), np.arange(11), indexing="ij")
    a = 127.5 + 120 * np.sin(0.7 * i + 0.3 * j)
    b = 255.0 * ((i + 2 * j) % 7 > 3)
    gray = np.stack([a, b])[:, None]  # (2, 1, 10, 11): cells of 4 leave a border
    rgb = np.stack(
        [
            np.stack([a, b, 255 - a])[:, :8, :8],
            np.stack([b, 0.5 * a, a])[:, :8, :8],
        ]
    )  # (2, 3, 8, 8)
    gray[0, 0, 0, 0] = 255.0  # a pixel of value exactly 1.0 after / 255
    return {"gray": gray, "rgb": rgb}


_HOG_HINTS = [
    ("signed", "the orientation is unsigned: take the angle modulo 180 degrees, not 360."),
    ("unweighted", "each pixel votes with its gradient magnitude, not with 1."),
    ("column_major", "cells are in row-major order: all cells of the first row of cells first."),
    ("bins_last", "the features of one cell (its num_bins values) must be consecutive."),
]


@register("a1_hog")
def check_hog(hog_features):
    """HOG on grayscale images with a border beyond the last cell, and on RGB images."""
    inp = inputs_features()
    for tag, cell, bins in (("gray", 4, 9), ("rgb", 4, 6)):
        x = inp[tag]
        x0 = x.copy()
        out = hog_features(x, cell_size=cell, num_bins=bins)
        check_unchanged("hog_features", x0, x, "X")
        want = _exp(f"hog.{tag}")
        check_close(
            f"hog_features(X {x.shape}, cell_size={cell}, num_bins={bins})",
            out,
            want,
            rtol=1e-7,
            atol=1e-9,
            hints=_hints(f"hog.{tag}", _HOG_HINTS),
            shape_hint=(
                f"Expected (N, (H // cell_size) * (W // cell_size) * num_bins) = {want.shape}: "
                "one histogram per whole cell, flattened per image."
            ),
        )
    passed("hog_features", "grayscale with a border, RGB, two bin counts")


@register("a1_color_histogram")
def check_color_histogram(color_histogram_features):
    """Intensity histogram of grayscale images, hue histogram of RGB images."""
    inp = inputs_features()
    for tag, bins in (("gray", 10), ("rgb", 7)):
        x = inp[tag]
        x0 = x.copy()
        out = color_histogram_features(x, num_bins=bins)
        check_unchanged("color_histogram_features", x0, x, "X")
        arr = np.asarray(out, dtype=np.float64)
        if arr.shape == (x.shape[0], bins) and not np.allclose(arr.sum(axis=1), 1.0):
            hint = (
                " Likely cause: these are counts; divide by the number of pixels."
                if np.allclose(arr.sum(axis=1), x.shape[2] * x.shape[3])
                else ""
            )
            fail(
                f"color_histogram_features(X {x.shape}, num_bins={bins}): every row should sum "
                f"to 1 (fractions of the pixels), got row sums {np.round(arr.sum(axis=1), 4)}."
                + hint
            )
        check_close(
            f"color_histogram_features(X {x.shape}, num_bins={bins})",
            out,
            _exp(f"hist.{tag}"),
            rtol=1e-9,
            hints=_hints(
                f"hist.{tag}",
                [("one_dropped", "a value of exactly 1.0 belongs to the last bin, not outside.")],
            ),
            shape_hint="Expected one row of num_bins fractions per image, shape (N, num_bins).",
        )
    passed("color_histogram_features", "grayscale intensities and RGB hues")
