"""Affine layer: CS231n's reference numbers, conformance checks, validation errors."""

import numpy as np
import pytest

from cs231n.course.layer_checks import LayerSpec, parametrize_layer_checks
from cs231n.course.testing import assert_allclose
from cs231n.gradient_check import eval_numerical_gradient_array, rel_error
from cs231n.layers import affine_backward, affine_forward
from cs231n.validation import ShapeError


def make_affine(rng, dtype, N):
    x = rng.standard_normal((N, 2, 3)).astype(dtype)
    w = rng.standard_normal((6, 5)).astype(dtype)
    b = rng.standard_normal(5).astype(dtype)
    return x, w, b


SPECS = [
    LayerSpec(
        "affine",
        affine_forward,
        affine_backward,
        make_affine,
        task_ids=("a1_affine_forward", "a1_affine_backward"),
    )
]


@parametrize_layer_checks(SPECS)
def test_conformance(layer_check):
    layer_check()


@pytest.mark.a1_affine_forward
def test_forward_matches_cs231n_reference_numbers():
    x = np.linspace(-0.1, 0.5, num=240).reshape(2, 4, 5, 6)
    w = np.linspace(-0.2, 0.3, num=360).reshape(120, 3)
    b = np.linspace(-0.3, 0.1, num=3)
    out, cache = affine_forward(x, w, b)
    expected = np.array([[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]])
    assert rel_error(out, expected) < 1e-8
    assert cache[0] is x and cache[1] is w and cache[2] is b


@pytest.mark.a1_affine_forward
def test_forward_matches_loops():
    rng = np.random.default_rng(0)
    x, w, b = make_affine(rng, np.float64, 3)
    out, _ = affine_forward(x, w, b)
    for n in range(3):
        for m in range(5):
            assert out[n, m] == pytest.approx(np.dot(x[n].ravel(), w[:, m]) + b[m])


@pytest.mark.a1_affine_backward
def test_backward_cs231n_shapes_gradient_check():
    rng = np.random.default_rng(231)
    x = rng.standard_normal((10, 2, 3))
    w = rng.standard_normal((6, 5))
    b = rng.standard_normal(5)
    dout = rng.standard_normal((10, 5))
    dx_num = eval_numerical_gradient_array(lambda x: affine_forward(x, w, b)[0], x, dout)
    dw_num = eval_numerical_gradient_array(lambda w: affine_forward(x, w, b)[0], w, dout)
    db_num = eval_numerical_gradient_array(lambda b: affine_forward(x, w, b)[0], b, dout)
    _, cache = affine_forward(x, w, b)
    dx, dw, db = affine_backward(dout, cache)
    assert rel_error(dx, dx_num) < 1e-9
    assert rel_error(dw, dw_num) < 1e-9
    assert rel_error(db, db_num) < 1e-9
    assert dx.shape == x.shape


@pytest.mark.a1_affine_forward
def test_float32_stays_float32():
    rng = np.random.default_rng(1)
    x, w, b = make_affine(rng, np.float32, 2)
    out, _ = affine_forward(x, w, b)
    assert out.dtype == np.float32
    assert_allclose(out, x.reshape(2, -1).astype(np.float64) @ w + b, rtol=1e-5)


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((np.ones(6), np.ones((6, 5)), np.ones(5)), ShapeError, r"x\[None\]"),
        ((np.ones((2, 6)), np.ones(6), np.ones(5)), ShapeError, r"\(D, M\)"),
        ((np.ones((2, 6)), np.ones((6, 5)), np.ones(4)), ShapeError, r"\(5\)"),
        ((np.ones((2, 7)), np.ones((6, 5)), np.ones(5)), ShapeError, "D = 6 features"),
        ((np.ones((2, 6), dtype=int), np.ones((6, 5)), np.ones(5)), TypeError, "floating"),
        (([[1.0] * 6], np.ones((6, 5)), np.ones(5)), TypeError, "np.asarray"),
    ],
)
def test_forward_validation(args, exc, match):
    with pytest.raises(exc, match=match):
        affine_forward(*args)


def test_backward_rejects_dout_of_wrong_shape():
    _, cache = affine_forward(np.ones((2, 6)), np.ones((6, 5)), np.ones(5))
    with pytest.raises(ShapeError, match=r"\(N, M\) = \(2, 5\)"):
        affine_backward(np.ones((2, 4)), cache)
