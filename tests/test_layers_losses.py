"""Softmax and SVM losses: expected magnitudes, loops, stability, conformance, validation."""

import numpy as np
import pytest

from cs231n.course.layer_checks import LayerSpec, parametrize_layer_checks
from cs231n.gradient_check import eval_numerical_gradient, rel_error
from cs231n.layers import mse_loss, softmax_loss, svm_loss
from cs231n.validation import ShapeError


def make_scores(rng, dtype, N):
    x = rng.standard_normal((N, 6)).astype(dtype)
    y = rng.integers(6, size=N)
    return x, y


SPECS = [
    LayerSpec("softmax_loss", softmax_loss, None, make_scores, task_ids=("a1_softmax_loss",)),
    LayerSpec("svm_loss", svm_loss, None, make_scores, task_ids=("a1_svm_loss",)),
    LayerSpec("mse_loss", mse_loss, None, make_scores, task_ids=("a1_mse_loss",)),
]


@parametrize_layer_checks(SPECS)
def test_conformance(layer_check):
    layer_check()


def softmax_loop(x, y):
    total = 0.0
    for i in range(x.shape[0]):
        p = np.exp(x[i]) / np.exp(x[i]).sum()
        total -= np.log(p[y[i]])
    return total / x.shape[0]


def svm_loop(x, y):
    total = 0.0
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if j != y[i]:
                total += max(0.0, x[i, j] - x[i, y[i]] + 1)
    return total / x.shape[0]


@pytest.mark.a1_softmax_loss
def test_softmax_loss_of_small_scores_is_log_c_and_gradient_checks():
    rng = np.random.default_rng(231)
    x = 0.001 * rng.standard_normal((50, 10))
    y = rng.integers(10, size=50)
    loss, dx = softmax_loss(x, y)
    assert loss == pytest.approx(np.log(10), abs=1e-2)
    dx_num = eval_numerical_gradient(lambda x: softmax_loss(x, y)[0], x, verbose=False)
    assert rel_error(dx, dx_num) < 1e-7


@pytest.mark.a1_svm_loss
def test_svm_loss_of_small_scores_is_c_minus_1_and_gradient_checks():
    rng = np.random.default_rng(231)
    x = 0.001 * rng.standard_normal((50, 10))
    y = rng.integers(10, size=50)
    loss, dx = svm_loss(x, y)
    assert loss == pytest.approx(9.0, abs=1e-2)
    dx_num = eval_numerical_gradient(lambda x: svm_loss(x, y)[0], x, verbose=False)
    assert rel_error(dx, dx_num) < 1e-8


@pytest.mark.a1_softmax_loss
@pytest.mark.a1_svm_loss
@pytest.mark.parametrize("loss_fn, loop", [(softmax_loss, softmax_loop), (svm_loss, svm_loop)])
def test_losses_match_loops(loss_fn, loop):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((5, 4))
    y = rng.integers(4, size=5)
    loss, _ = loss_fn(x, y)
    assert isinstance(loss, float)
    assert loss == pytest.approx(loop(x, y), rel=1e-12)


@pytest.mark.a1_softmax_loss
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_loss_is_stable_for_huge_scores(dtype):
    x = np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 0.0]], dtype=dtype)
    y = np.array([0, 2])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, dx = softmax_loss(x, y)
    assert np.isfinite(loss) and np.all(np.isfinite(dx)) and dx.dtype == dtype
    assert loss == pytest.approx(400.0, rel=1e-6)


@pytest.mark.a1_svm_loss
def test_svm_gradient_is_zero_when_all_margins_are_met():
    x = np.array([[5.0, 0.0, 1.0]])
    loss, dx = svm_loss(x, np.array([0]))
    assert loss == 0.0
    np.testing.assert_array_equal(dx, 0.0)


@pytest.mark.parametrize("loss_fn", [softmax_loss, svm_loss])
@pytest.mark.parametrize(
    "x, y, exc, match",
    [
        (np.ones(3), np.array([0]), ShapeError, r"\(N, C\)"),
        (np.ones((2, 3)), np.array([0]), ShapeError, "2 labels"),
        (np.ones((2, 3)), np.array([0, 3]), ValueError, r"labels in \[0, 3\)"),
        (np.ones((2, 3)), np.array([0, -1]), ValueError, r"labels in \[0, 3\)"),
        (np.ones((2, 3)), np.array([0.0, 1.0]), TypeError, "integer"),
        (np.ones((2, 3), dtype=int), np.array([0, 1]), TypeError, "floating"),
    ],
)
def test_validation(loss_fn, x, y, exc, match):
    with pytest.raises(exc, match=match):
        loss_fn(x, y)


@pytest.mark.a1_mse_loss
def test_mse_loss_hand_computed():
    x = np.array([[0.5, 0.0, 2.0], [1.0, -1.0, 0.0]])
    y = np.array([2, 0])
    # sample 0: 0.25 + 0 + 1 = 1.25; sample 1: 0 + 1 + 0 = 1; halved and averaged
    loss, dx = mse_loss(x, y)
    assert loss == pytest.approx(0.5 * (1.25 + 1.0) / 2)
    assert np.allclose(dx, np.array([[0.5, 0.0, 1.0], [0.0, -1.0, 0.0]]) / 2)


@pytest.mark.a1_mse_loss
def test_mse_loss_float64_gradient_check():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((7, 4)), rng.integers(4, size=7)
    x0 = x.copy()
    _, dx = mse_loss(x, y)
    num = eval_numerical_gradient(lambda z: mse_loss(z, y)[0], x.copy(), verbose=False)
    assert rel_error(dx, num) < 1e-8 and np.array_equal(x, x0)


@pytest.mark.a1_mse_loss
def test_mse_loss_is_zero_at_the_one_hot_targets():
    y = np.array([1, 0, 3])
    loss, dx = mse_loss(np.eye(4)[y], y)
    assert loss == 0.0 and not dx.any()
