"""Activation layers: reference values, stability, conformance checks, validation."""

import warnings

import numpy as np
import pytest

from cs231n.course.layer_checks import LayerSpec, parametrize_layer_checks
from cs231n.gradient_check import eval_numerical_gradient_array, rel_error
from cs231n.layers import (
    elu_backward,
    elu_forward,
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    silu_backward,
    silu_forward,
    tanh_backward,
    tanh_forward,
)
from cs231n.validation import ConfigError, ShapeError


def away_from_zero(rng, dtype, N, scale=2.0):
    """Inputs with |x| in [0.1, scale]: no kink within a gradient-check step."""
    mag = rng.uniform(0.1, scale, size=(N, 3, 4))
    sign = rng.choice([-1.0, 1.0], size=mag.shape)
    return ((mag * sign).astype(dtype),)


def normal(rng, dtype, N):
    return ((2 * rng.standard_normal((N, 5))).astype(dtype),)


def leaky_inputs(rng, dtype, N):
    return (*away_from_zero(rng, dtype, N), 0.1)


def elu_inputs(rng, dtype, N):
    return (*away_from_zero(rng, dtype, N), 1.5)


SPECS = [
    LayerSpec(
        "relu",
        relu_forward,
        relu_backward,
        away_from_zero,
        task_ids=("a1_relu_forward", "a1_relu_backward"),
    ),
    LayerSpec(
        "leaky_relu",
        leaky_relu_forward,
        leaky_relu_backward,
        leaky_inputs,
        task_ids=("a2_leaky_relu",),
    ),
    LayerSpec("sigmoid", sigmoid_forward, sigmoid_backward, normal, task_ids=("a2_sigmoid",)),
    LayerSpec("tanh", tanh_forward, tanh_backward, normal, task_ids=("a2_tanh",)),
    LayerSpec("elu", elu_forward, elu_backward, elu_inputs, task_ids=("a2_elu",)),
    LayerSpec("silu", silu_forward, silu_backward, normal, task_ids=("a2_silu",)),
]


@parametrize_layer_checks(SPECS)
def test_conformance(layer_check):
    layer_check()


@pytest.mark.a1_relu_forward
def test_relu_forward_cs231n_reference_numbers():
    x = np.linspace(-0.5, 0.5, num=12).reshape(3, 4)
    out, _ = relu_forward(x)
    expected = np.array(
        [
            [0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.04545455, 0.13636364],
            [0.22727273, 0.31818182, 0.40909091, 0.5],
        ]
    )
    assert rel_error(out, expected) < 5e-8


@pytest.mark.a1_relu_backward
def test_relu_backward_cs231n_gradient_check():
    rng = np.random.default_rng(231)
    x = rng.standard_normal((10, 10))
    dout = rng.standard_normal(x.shape)
    dx_num = eval_numerical_gradient_array(lambda x: relu_forward(x)[0], x, dout)
    dx = relu_backward(dout, relu_forward(x)[1])
    assert rel_error(dx, dx_num) < 1e-10


@pytest.mark.a1_relu_backward
def test_relu_gradient_at_zero_is_zero():
    _, cache = relu_forward(np.zeros(3))
    np.testing.assert_array_equal(relu_backward(np.ones(3), cache), 0.0)


@pytest.mark.a2_leaky_relu
def test_leaky_relu_values_and_default_slope():
    x = np.array([-2.0, -0.5, 0.0, 3.0])
    np.testing.assert_allclose(leaky_relu_forward(x)[0], [-0.02, -0.005, 0.0, 3.0])
    np.testing.assert_allclose(leaky_relu_forward(x, negative_slope=0.2)[0], [-0.4, -0.1, 0.0, 3.0])
    np.testing.assert_allclose(leaky_relu_forward(x, 0.0)[0], relu_forward(x)[0])


@pytest.mark.a2_leaky_relu
def test_leaky_relu_keeps_float32_with_numpy_scalar_slope():
    out, cache = leaky_relu_forward(-np.ones(3, dtype=np.float32), np.float64(0.3))
    assert out.dtype == np.float32
    assert leaky_relu_backward(np.ones(3, dtype=np.float32), cache).dtype == np.float32


@pytest.mark.a2_sigmoid
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_stable_for_large_inputs(dtype):
    x = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, cache = sigmoid_forward(x)
        dx = sigmoid_backward(np.ones_like(x), cache)
    assert out.dtype == dtype
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dx))
    assert out[0] == 0.0 and out[2] == 0.5 and out[-1] == 1.0
    assert 0 < out[1] < 1e-17 or dtype == np.float32


@pytest.mark.a2_sigmoid
def test_sigmoid_matches_formula():
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(sigmoid_forward(x)[0], 1 / (1 + np.exp(-x)), rtol=1e-14)


@pytest.mark.a2_tanh
def test_tanh_values():
    x = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(tanh_forward(x)[0], np.tanh(x))


@pytest.mark.a2_elu
def test_elu_values_and_no_overflow():
    x = np.array([-1e4, -1.0, 0.0, 2.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, cache = elu_forward(x, alpha=2.0)
        dx = elu_backward(np.ones_like(x), cache)
    np.testing.assert_allclose(out, [-2.0, 2 * (np.exp(-1) - 1), 0.0, 2.0, 1e4])
    np.testing.assert_allclose(dx, [0.0, 2 * np.exp(-1), 2.0, 1.0, 1.0])


@pytest.mark.a2_silu
def test_silu_values_and_stability():
    x = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, cache = silu_forward(x)
        dx = silu_backward(np.ones_like(x), cache)
    expected = np.array([-0.0, -1 / (1 + np.e), 0.0, 1 / (1 + np.exp(-1)), 1000.0])
    np.testing.assert_allclose(out, expected, atol=1e-300)
    assert dx[2] == 0.5 and dx[-1] == 1.0 and dx[0] == 0.0


FORWARDS = [
    relu_forward,
    leaky_relu_forward,
    sigmoid_forward,
    tanh_forward,
    elu_forward,
    silu_forward,
]
BACKWARDS = [
    relu_backward,
    leaky_relu_backward,
    sigmoid_backward,
    tanh_backward,
    elu_backward,
    silu_backward,
]


@pytest.mark.parametrize("forward", FORWARDS, ids=lambda f: f.__name__)
def test_forward_rejects_integer_and_list_inputs(forward):
    with pytest.raises(TypeError, match="floating"):
        forward(np.arange(3))
    with pytest.raises(TypeError, match=r"np\.asarray"):
        forward([1.0, 2.0])


@pytest.mark.parametrize(
    "forward, backward", list(zip(FORWARDS, BACKWARDS)), ids=lambda f: getattr(f, "__name__", "")
)
def test_backward_rejects_dout_of_wrong_shape(forward, backward):
    _, cache = forward(np.ones((2, 3)))
    with pytest.raises(ShapeError, match=r"of x = \(2, 3\)"):
        backward(np.ones((3, 2)), cache)


def test_negative_slope_and_alpha_must_be_non_negative():
    with pytest.raises(ConfigError, match="negative_slope"):
        leaky_relu_forward(np.ones(2), negative_slope=-0.1)
    with pytest.raises(ConfigError, match="alpha"):
        elu_forward(np.ones(2), alpha=-1.0)
    with pytest.raises(ConfigError, match="alpha"):
        elu_forward(np.ones(2), alpha="1")
