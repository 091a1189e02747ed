"""Hidden test cases of features.ipynb (never released)."""

import numpy as np

from autograder.hidden import Case
from cs231n.checks import features as A


def hog_probe(shape, cell, bins):
    def probe(ns, rng):
        x = rng.uniform(0, 255, size=shape)
        return {"out": np.asarray(ns["hog_features"](x, cell_size=cell, num_bins=bins))}

    return probe


def hist_probe(shape, bins, extremes=False):
    def probe(ns, rng):
        x = rng.uniform(0, 255, size=shape)
        if extremes:
            x[:, :, :2] = 255.0
            x[:, :, 2:4] = 0.0
        return {"out": np.asarray(ns["color_histogram_features"](x, num_bins=bins))}

    return probe


_TOL = {"rtol": 1e-7, "atol": 1e-9}

CASES = {
    "a1_hog": [
        Case(
            "grayscale 3x1x12x12, cells of 4, 9 bins", 1.0, hog_probe((3, 1, 12, 12), 4, 9), **_TOL
        ),
        Case(
            "RGB 2x3x10x13, cells of 3, 8 bins (a border is left over)",
            1.0,
            hog_probe((2, 3, 10, 13), 3, 8),
            **_TOL,
            hint="ignore the pixels beyond the last whole cell",
        ),
        Case("1x1x8x8, one cell of 8, 4 bins", 1.0, hog_probe((2, 1, 8, 8), 8, 4), **_TOL),
    ],
    "a1_color_histogram": [
        Case("grayscale 4x1x6x5, 10 bins", 0.7, hist_probe((4, 1, 6, 5), 10), rtol=1e-9),
        Case("RGB 3x3x5x5, 12 bins", 0.7, hist_probe((3, 3, 5, 5), 12), rtol=1e-9),
        Case(
            "grayscale with 0 and 255, 4 bins",
            0.6,
            hist_probe((2, 1, 6, 6), 4, extremes=True),
            rtol=1e-9,
            hint="1.0 goes to the last bin",
        ),
    ],
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/features.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/features.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def _hog_variant(x, cell, bins, kind):
    from cs231n.features import grayscale, image_gradients

    gx, gy = image_gradients(grayscale(x))
    N, H, W = gx.shape
    Hc, Wc = H // cell, W // cell
    mag = np.hypot(gx, gy)
    if kind == "unweighted":
        mag = np.ones_like(mag)
    if kind == "signed":
        ang = np.rad2deg(np.arctan2(gy, gx)) % 360.0
        b = np.minimum((ang * bins / 360.0).astype(int), bins - 1)
    else:
        ang = np.rad2deg(np.arctan2(gy, gx)) % 180.0
        b = np.minimum((ang * bins / 180.0).astype(int), bins - 1)
    out = np.zeros((N, Hc, Wc, bins))
    for i in range(Hc * cell):
        for j in range(Wc * cell):
            for n in range(N):
                out[n, i // cell, j // cell, b[n, i, j]] += mag[n, i, j]
    if kind == "column_major":
        out = out.transpose(0, 2, 1, 3)
    if kind == "bins_last":
        out = out.transpose(0, 3, 1, 2)
    return out.reshape(N, -1)


def build_expected() -> dict:
    """Expected values of the features checks, as plain numeric arrays."""
    from cs231n.features import color_histogram_features, hog_features

    inp = A.inputs_features()
    out = {}
    for tag, cell, bins in (("gray", 4, 9), ("rgb", 4, 6)):
        x = inp[tag]
        out[f"hog.{tag}"] = hog_features(x, cell_size=cell, num_bins=bins)
        for kind in ("signed", "unweighted", "column_major", "bins_last"):
            out[f"hog.{tag}.wrong_{kind}"] = _hog_variant(x, cell, bins, kind)
    for tag, bins in (("gray", 10), ("rgb", 7)):
        x = inp[tag]
        out[f"hist.{tag}"] = color_histogram_features(x, num_bins=bins)
    g = inp["gray"][:, 0] / 255.0
    idx = (g * 10).astype(int).reshape(2, -1)
    out["hist.gray.wrong_one_dropped"] = (
        np.stack([np.sum(idx == k, axis=1) for k in range(10)], axis=1) / idx.shape[1]
    )
    return {k: np.asarray(v) for k, v in out.items()}
