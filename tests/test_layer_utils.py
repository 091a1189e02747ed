"""Sandwich layers: conformance, equality with the naive layer stacks, plug_in reach."""

import numpy as np
import pytest

import cs231n
from cs231n import layer_utils
from cs231n.course.layer_checks import LayerSpec, parametrize_layer_checks
from cs231n.course.testing import assert_allclose
from cs231n.layer_utils import (
    affine_relu_backward,
    affine_relu_forward,
    conv_bn_relu_backward,
    conv_bn_relu_forward,
    conv_relu_backward,
    conv_relu_forward,
    conv_relu_pool_backward,
    conv_relu_pool_forward,
)
from cs231n.layers import (
    affine_forward,
    conv_forward_naive,
    max_pool_forward_naive,
    relu_forward,
    spatial_batchnorm_forward,
)

CONV = {"stride": 1, "pad": 1}
POOL = {"pool_height": 2, "pool_width": 2, "stride": 2}


def make_affine_relu(rng, dtype, N):
    x = rng.standard_normal((N, 2, 4)).astype(dtype)
    w = rng.standard_normal((8, 5)).astype(dtype)
    b = rng.standard_normal(5).astype(dtype)
    return x, w, b


def make_conv(rng, dtype, N, C=3, H=4, F=2):
    x = rng.standard_normal((N, C, H, H)).astype(dtype)
    w = rng.standard_normal((F, C, 3, 3)).astype(dtype)
    b = rng.standard_normal(F).astype(dtype)
    return x, w, b


def make_conv_relu(rng, dtype, N):
    return (*make_conv(rng, dtype, N), dict(CONV))


def make_conv_relu_pool(rng, dtype, N):
    return (*make_conv(rng, dtype, N), dict(CONV), dict(POOL))


def make_conv_bn_relu(rng, dtype, N):
    x, w, b = make_conv(rng, dtype, N)
    gamma = (1 + 0.3 * rng.standard_normal(2)).astype(dtype)
    beta = rng.standard_normal(2).astype(dtype)
    return x, w, b, gamma, beta, dict(CONV), {"mode": "train"}


SPECS = [
    LayerSpec("affine_relu", affine_relu_forward, affine_relu_backward, make_affine_relu),
    LayerSpec("conv_relu", conv_relu_forward, conv_relu_backward, make_conv_relu, batch_size=2),
    LayerSpec(
        "conv_relu_pool",
        conv_relu_pool_forward,
        conv_relu_pool_backward,
        make_conv_relu_pool,
        batch_size=2,
    ),
    LayerSpec(
        "conv_bn_relu",
        conv_bn_relu_forward,
        conv_bn_relu_backward,
        make_conv_bn_relu,
        batch_size=2,
        grad_tol=1e-6,
    ),
]


@parametrize_layer_checks(SPECS)
def test_conformance(layer_check):
    layer_check()


def test_sandwiches_equal_the_naive_stacks():
    rng = np.random.default_rng(0)
    x, w, b = make_conv(rng, np.float64, 2)
    conv, _ = conv_forward_naive(x, w, b, CONV)
    relu, _ = relu_forward(conv)
    assert_allclose(conv_relu_forward(x, w, b, CONV)[0], relu, atol=1e-13)
    assert_allclose(
        conv_relu_pool_forward(x, w, b, CONV, POOL)[0],
        max_pool_forward_naive(relu, POOL)[0],
        atol=1e-13,
    )
    gamma, beta = np.array([1.0, 2.0]), np.array([0.5, -0.5])
    bn, _ = spatial_batchnorm_forward(conv, gamma, beta, {"mode": "train"})
    out, _ = conv_bn_relu_forward(x, w, b, gamma, beta, CONV, {"mode": "train"})
    assert_allclose(out, np.maximum(bn, 0), atol=1e-12)
    xa, wa, ba = make_affine_relu(rng, np.float64, 3)
    assert_allclose(
        affine_relu_forward(xa, wa, ba)[0], np.maximum(affine_forward(xa, wa, ba)[0], 0)
    )


def test_conv_bn_relu_updates_running_stats_and_returns_five_grads():
    rng = np.random.default_rng(1)
    args = make_conv_bn_relu(rng, np.float64, 2)
    bn_param = args[-1]
    out, cache = conv_bn_relu_forward(*args)
    assert bn_param["running_mean"].shape == (2,)
    grads = conv_bn_relu_backward(np.ones_like(out), cache)
    assert [g.shape for g in grads] == [a.shape for a in args[:5]]


def test_plugged_in_layers_are_used_by_the_sandwiches():
    calls = []

    def relu_forward(x):  # a "student" ReLU, recognised by its name
        calls.append(x.shape)
        return np.maximum(x, 0), x

    x, w, b = make_affine_relu(np.random.default_rng(2), np.float64, 3)
    try:
        cs231n.plug_in(relu_forward, verbose=False)
        assert layer_utils.relu_forward is relu_forward
        affine_relu_forward(x, w, b)
        conv_relu_forward(*make_conv_relu(np.random.default_rng(3), np.float64, 1))
    finally:
        cs231n.unplug("relu_forward")
    assert calls == [(3, 5), (1, 2, 4, 4)]
    assert layer_utils.relu_forward is not relu_forward


@pytest.mark.parametrize(
    "call",
    [
        lambda: affine_relu_forward(np.ones((2, 3)), np.ones((4, 5)), np.ones(5)),
        lambda: conv_relu_forward(np.ones((1, 3, 4, 4)), np.ones((2, 2, 3, 3)), np.ones(2), CONV),
        lambda: conv_relu_pool_forward(
            np.ones((1, 3, 5, 5)), np.ones((2, 3, 3, 3)), np.ones(2), CONV, POOL
        ),
    ],
)
def test_errors_come_from_the_layers(call):
    with pytest.raises(ValueError, match="expected"):
        call()


def test_conv_relu_pool_backward_can_skip_the_input_gradient():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 8, 8))
    w = rng.standard_normal((4, 3, 3, 3))
    b = rng.standard_normal(4)
    conv_param, pool_param = (
        {"stride": 1, "pad": 1},
        {"pool_height": 2, "pool_width": 2, "stride": 2},
    )
    out, cache = layer_utils.conv_relu_pool_forward(x, w, b, conv_param, pool_param)
    dout = rng.standard_normal(out.shape)
    _, dw, db = layer_utils.conv_relu_pool_backward(dout, cache)
    dx, dw2, db2 = layer_utils.conv_relu_pool_backward(dout, cache, need_dx=False)
    assert dx is None
    assert_allclose(dw2, dw)
    assert_allclose(db2, db)
