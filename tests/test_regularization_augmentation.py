"""L1/L2 penalties and random flip/crop augmentation: values, gradients, invariants."""

import numpy as np
import pytest

from cs231n.augmentation import random_crop, random_flip
from cs231n.gradient_check import eval_numerical_gradient, rel_error
from cs231n.regularization import l1_penalty, l2_penalty


@pytest.mark.a2_l1_penalty
def test_l1_penalty_hand_computed_with_a_zero():
    W = np.array([[1.0, -2.0], [0.0, 0.5]])
    loss, dW = l1_penalty(W, 0.1)
    assert loss == pytest.approx(0.35)
    assert np.array_equal(dW, np.array([[0.1, -0.1], [0.0, 0.1]]))


@pytest.mark.a2_l1_penalty
def test_l1_penalty_float64_gradient_check_away_from_zero():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((5, 4))
    W[np.abs(W) < 0.05] = 0.3  # keep the centred differences off the kink
    _, dW = l1_penalty(W, 0.7)
    num = eval_numerical_gradient(lambda w: l1_penalty(w, 0.7)[0], W.copy(), verbose=False)
    assert rel_error(dW, num) < 1e-8


@pytest.mark.a2_l1_penalty
def test_penalties_keep_dtype_and_inputs():
    W = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    W0 = W.copy()
    for fn in (l1_penalty, l2_penalty):
        loss, dW = fn(W, 0.5)
        assert isinstance(loss, float) and dW.dtype == np.float32 and np.array_equal(W, W0)
    assert l2_penalty(W, 0.5)[0] == pytest.approx(0.25 * float(np.sum(W.astype(np.float64) ** 2)))


@pytest.mark.a2_random_flip_crop
def test_random_flip_mirrors_about_half_and_repeats_with_the_seed():
    x = np.arange(400 * 6, dtype=np.float64).reshape(400, 1, 2, 3)
    x0 = x.copy()
    out = random_flip(x, np.random.default_rng(0))
    mirrored = np.all(out == x[..., ::-1], axis=(1, 2, 3))
    same = np.all(out == x, axis=(1, 2, 3))
    assert np.all(mirrored | same) and 0.4 < mirrored.mean() < 0.6
    assert np.array_equal(out, random_flip(x, np.random.default_rng(0)))
    assert np.array_equal(x, x0)


@pytest.mark.a2_random_flip_crop
def test_random_crop_is_a_window_of_the_padded_image():
    x = 1.0 + np.arange(50 * 2 * 4 * 5, dtype=np.float64).reshape(50, 2, 4, 5)
    out = random_crop(x, 2, np.random.default_rng(0))
    padded = np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2)))
    assert out.shape == x.shape
    for i in range(50):
        assert any(
            np.array_equal(out[i], padded[i, :, r : r + 4, c : c + 5])
            for r in range(5)
            for c in range(5)
        )
    assert np.array_equal(random_crop(x, 0, np.random.default_rng(1)), x)


@pytest.mark.a2_random_flip_crop
def test_visible_checks_pass_on_the_reference():
    from cs231n.checks import REGISTRY

    assert REGISTRY["a2_random_flip_crop"].run(random_flip, random_crop).status == "passed"
    assert REGISTRY["a2_l1_penalty"].run(l1_penalty).status == "passed"
