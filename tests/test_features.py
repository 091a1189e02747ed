"""Image features: HOG against a per-pixel loop, hues against colorsys, histograms."""

import colorsys

import numpy as np
import pytest

from cs231n.features import (
    color_histogram_features,
    extract_features,
    hog_features,
    image_gradients,
    rgb_to_hue,
)


def hog_loop(X, cell, bins):
    gray = X.astype(np.float64).mean(axis=1)
    gx, gy = image_gradients(gray)
    N, H, W = gray.shape
    out = np.zeros((N, H // cell, W // cell, bins))
    for n in range(N):
        for i in range(H // cell * cell):
            for j in range(W // cell * cell):
                angle = np.degrees(np.arctan2(gy[n, i, j], gx[n, i, j])) % 180.0
                b = min(int(angle / (180.0 / bins)), bins - 1)
                out[n, i // cell, j // cell, b] += np.hypot(gx[n, i, j], gy[n, i, j])
    return out.reshape(N, -1)


@pytest.mark.a1_hog
@pytest.mark.parametrize(
    "shape, cell, bins", [((2, 1, 8, 8), 4, 9), ((3, 3, 10, 13), 3, 6), ((1, 1, 7, 9), 7, 4)]
)
def test_hog_matches_a_per_pixel_loop(shape, cell, bins):
    X = np.random.default_rng(0).uniform(0, 255, size=shape)
    X0 = X.copy()
    out = hog_features(X, cell_size=cell, num_bins=bins)
    assert out.shape == (shape[0], (shape[2] // cell) * (shape[3] // cell) * bins)
    assert np.allclose(out, hog_loop(X, cell, bins)) and np.array_equal(X, X0)


@pytest.mark.a1_hog
def test_hog_of_a_vertical_edge_votes_for_the_horizontal_gradient_bin():
    X = np.zeros((1, 1, 4, 4))
    X[..., 2:] = 255.0  # dark left half, bright right half: gradient along +x, angle 0
    out = hog_features(X, cell_size=4, num_bins=9)
    assert out[0, 0] == pytest.approx(out.sum()) and out.sum() > 0
    flipped = hog_features(X[..., ::-1].copy(), cell_size=4, num_bins=9)
    assert np.allclose(out, flipped)  # unsigned: light-to-dark votes like dark-to-light


@pytest.mark.a1_hog
def test_hog_rejects_images_smaller_than_a_cell():
    with pytest.raises(ValueError, match="cell_size"):
        hog_features(np.zeros((1, 1, 3, 3)), cell_size=4)


def test_rgb_to_hue_matches_colorsys():
    X = np.random.default_rng(1).uniform(0, 255, size=(2, 3, 4, 5))
    X[0, :, 0, 0] = 128.0  # a gray pixel: hue 0
    hue = rgb_to_hue(X)
    for n, i, j in np.ndindex(2, 4, 5):
        want = colorsys.rgb_to_hsv(*(X[n, :, i, j] / 255.0))[0]
        assert hue[n, i, j] == pytest.approx(want, abs=1e-12)


@pytest.mark.a1_color_histogram
def test_intensity_histogram_hand_computed():
    X = np.array([0.0, 63.75, 127.5, 255.0, 255.0, 200.0]).reshape(1, 1, 2, 3)
    out = color_histogram_features(X, num_bins=4)  # values 0, .25, .5, 1, 1, .78
    assert np.allclose(out, [[1 / 6, 1 / 6, 1 / 6, 3 / 6]])


@pytest.mark.a1_color_histogram
def test_hue_histogram_rows_sum_to_one_and_extract_features_concatenates():
    X = np.random.default_rng(2).uniform(0, 255, size=(4, 3, 6, 6))
    hist = color_histogram_features(X, num_bins=7)
    assert hist.shape == (4, 7) and np.allclose(hist.sum(axis=1), 1.0)
    both = extract_features(X, [lambda x: hog_features(x, 3, 5), color_histogram_features])
    assert both.shape == (4, 4 * 5 + 10)


@pytest.mark.a1_hog
@pytest.mark.a1_color_histogram
def test_visible_checks_pass_on_the_reference():
    from cs231n.checks import REGISTRY

    assert REGISTRY["a1_hog"].run(hog_features).status == "passed"
    assert REGISTRY["a1_color_histogram"].run(color_histogram_features).status == "passed"
