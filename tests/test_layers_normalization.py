"""Batch, layer, spatial batch and spatial group normalization."""

import inspect

import numpy as np
import pytest

from cs231n.course.layer_checks import LayerSpec, parametrize_layer_checks
from cs231n.course.testing import assert_allclose
from cs231n.gradient_check import eval_numerical_gradient_array, rel_error
from cs231n.layers import normalization
from cs231n.layers.normalization import (
    batchnorm_backward,
    batchnorm_backward_alt,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
    spatial_groupnorm_backward,
    spatial_groupnorm_forward,
)
from cs231n.validation import ConfigError, ShapeError


def make_bn(rng, dtype, N, D=5):
    x = (3 + 2 * rng.standard_normal((N, D))).astype(dtype)
    gamma = (1 + 0.5 * rng.standard_normal(D)).astype(dtype)
    beta = rng.standard_normal(D).astype(dtype)
    return x, gamma, beta, {"mode": "train"}


def make_ln(rng, dtype, N):
    x, gamma, beta, _ = make_bn(rng, dtype, N)
    return x, gamma, beta, {}


def make_sbn(rng, dtype, N):
    x = (2 + 3 * rng.standard_normal((N, 3, 4, 5))).astype(dtype)
    gamma = (1 + 0.5 * rng.standard_normal(3)).astype(dtype)
    beta = rng.standard_normal(3).astype(dtype)
    return x, gamma, beta, {"mode": "train"}


def make_sgn(rng, dtype, N):
    x = (2 + 3 * rng.standard_normal((N, 6, 4, 5))).astype(dtype)
    gamma = (1 + 0.5 * rng.standard_normal((1, 6, 1, 1))).astype(dtype)
    beta = rng.standard_normal((1, 6, 1, 1)).astype(dtype)
    return x, gamma, beta, 2, {}


BN_TASKS = ("a2_batchnorm_forward", "a2_batchnorm_backward")
SPECS = [
    LayerSpec("batchnorm", batchnorm_forward, batchnorm_backward, make_bn, task_ids=BN_TASKS),
    LayerSpec(
        "batchnorm_alt",
        batchnorm_forward,
        batchnorm_backward_alt,
        make_bn,
        task_ids=("a2_batchnorm_forward", "a2_batchnorm_backward_alt"),
    ),
    LayerSpec(
        "layernorm",
        layernorm_forward,
        layernorm_backward,
        make_ln,
        task_ids=("a2_layernorm_forward", "a2_layernorm_backward"),
    ),
    LayerSpec(
        "spatial_batchnorm",
        spatial_batchnorm_forward,
        spatial_batchnorm_backward,
        make_sbn,
        batch_size=2,
        task_ids=("a2_spatial_batchnorm",),
    ),
    LayerSpec(
        "spatial_groupnorm",
        spatial_groupnorm_forward,
        spatial_groupnorm_backward,
        make_sgn,
        batch_size=2,
        task_ids=("a2_spatial_groupnorm",),
    ),
]


@parametrize_layer_checks(SPECS)
def test_conformance(layer_check):
    layer_check()


# ----------------------------------------------------------------------------- batchnorm


@pytest.mark.a2_batchnorm_forward
def test_batchnorm_train_output_has_batch_statistics_gamma_beta():
    rng = np.random.default_rng(231)
    x = 50 + 10 * rng.standard_normal((200, 3))
    gamma = np.array([1.0, 2.0, 3.0])
    beta = np.array([11.0, 12.0, 13.0])
    out, _ = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    assert_allclose(out.mean(axis=0), beta, rtol=1e-12)
    assert_allclose(
        out.std(axis=0), gamma * np.sqrt(x.var(axis=0) / (x.var(axis=0) + 1e-5)), rtol=1e-12
    )


@pytest.mark.a2_batchnorm_forward
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batchnorm_creates_running_stats_lazily_and_updates_them(dtype):
    rng = np.random.default_rng(0)
    x, gamma, beta, bn_param = make_bn(rng, dtype, 8)
    batchnorm_forward(x, gamma, beta, bn_param)
    assert bn_param["running_mean"].dtype == dtype and bn_param["running_var"].dtype == dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    assert_allclose(bn_param["running_mean"], 0.1 * x.mean(axis=0), rtol=tol)
    assert_allclose(bn_param["running_var"], 0.1 * x.var(axis=0), rtol=tol)
    previous = bn_param["running_mean"].copy()
    x2 = x + 1
    batchnorm_forward(x2, gamma, beta, bn_param)
    assert_allclose(bn_param["running_mean"], 0.9 * previous + 0.1 * x2.mean(axis=0), rtol=tol)


@pytest.mark.a2_batchnorm_forward
def test_batchnorm_does_not_write_into_running_arrays():
    x, gamma, beta, bn_param = make_bn(np.random.default_rng(1), np.float64, 6)
    rm = np.zeros(5)
    bn_param.update(running_mean=rm, running_var=np.ones(5), momentum=0.5, eps=1e-3)
    batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_array_equal(rm, 0.0)
    assert bn_param["running_mean"] is not rm
    assert_allclose(bn_param["running_mean"], 0.5 * x.mean(axis=0))


@pytest.mark.a2_batchnorm_forward
def test_batchnorm_test_mode_after_warm_up():
    rng = np.random.default_rng(231)
    N, D1, D2, D3 = 200, 50, 60, 3
    W1 = rng.standard_normal((D1, D2))
    W2 = rng.standard_normal((D2, D3))
    bn_param = {"mode": "train"}
    gamma, beta = np.ones(D3), np.zeros(D3)
    for _ in range(50):
        a = np.maximum(0, rng.standard_normal((N, D1)) @ W1) @ W2
        batchnorm_forward(a, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    a = np.maximum(0, rng.standard_normal((N, D1)) @ W1) @ W2
    running = (bn_param["running_mean"].copy(), bn_param["running_var"].copy())
    out, cache = batchnorm_forward(a, gamma, beta, bn_param)
    assert cache is None
    np.testing.assert_array_equal(bn_param["running_mean"], running[0])
    np.testing.assert_array_equal(bn_param["running_var"], running[1])
    assert np.all(np.abs(out.mean(axis=0)) < 0.2)
    assert np.all(np.abs(out.std(axis=0) - 1) < 0.2)


@pytest.mark.a2_batchnorm_forward
def test_batchnorm_test_mode_uses_running_stats_exactly():
    x = np.array([[1.0, 2.0], [3.0, 6.0]])
    bn_param = {
        "mode": "test",
        "running_mean": np.array([1.0, 2.0]),
        "running_var": np.array([4.0, 16.0]),
        "eps": 0.0,
    }
    out, _ = batchnorm_forward(x, np.array([2.0, 1.0]), np.array([0.0, 1.0]), bn_param)
    np.testing.assert_allclose(out, [[0.0, 1.0], [2.0, 2.0]])


@pytest.mark.a2_batchnorm_backward
def test_batchnorm_backward_cs231n_gradient_check():
    rng = np.random.default_rng(231)
    N, D = 4, 5
    x = 5 * rng.standard_normal((N, D)) + 12
    gamma = rng.standard_normal(D)
    beta = rng.standard_normal(D)
    dout = rng.standard_normal((N, D))
    bn_param = {"mode": "train"}
    dx_num = eval_numerical_gradient_array(
        lambda x: batchnorm_forward(x, gamma, beta, bn_param)[0], x, dout
    )
    dg_num = eval_numerical_gradient_array(
        lambda g: batchnorm_forward(x, g, beta, bn_param)[0], gamma, dout
    )
    db_num = eval_numerical_gradient_array(
        lambda b: batchnorm_forward(x, gamma, b, bn_param)[0], beta, dout
    )
    _, cache = batchnorm_forward(x, gamma, beta, bn_param)
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    assert rel_error(dx, dx_num) < 1e-7
    assert rel_error(dgamma, dg_num) < 1e-9
    assert rel_error(dbeta, db_num) < 1e-9


@pytest.mark.a2_batchnorm_backward_alt
def test_batchnorm_alt_backward_equals_graph_backward():
    rng = np.random.default_rng(231)
    x = 5 * rng.standard_normal((100, 500)) + 12
    gamma, beta = rng.standard_normal(500), rng.standard_normal(500)
    dout = rng.standard_normal((100, 500))
    _, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    for a, b in zip(batchnorm_backward(dout, cache), batchnorm_backward_alt(dout, cache)):
        assert rel_error(a, b) < 1e-8


@pytest.mark.a2_batchnorm_backward
@pytest.mark.a2_batchnorm_backward_alt
@pytest.mark.parametrize("backward", [batchnorm_backward, batchnorm_backward_alt])
def test_batchnorm_backward_of_test_mode_cache_is_a_clear_error(backward):
    x, gamma, beta, _ = make_bn(np.random.default_rng(0), np.float64, 3)
    _, cache = batchnorm_forward(x, gamma, beta, {"mode": "test"})
    with pytest.raises(ConfigError, match="train-mode"):
        backward(np.ones_like(x), cache)


@pytest.mark.a2_spatial_batchnorm
def test_spatial_batchnorm_backward_of_test_mode_cache_is_a_clear_error():
    x, gamma, beta, _ = make_sbn(np.random.default_rng(0), np.float64, 2)
    out, cache = spatial_batchnorm_forward(x, gamma, beta, {"mode": "test"})
    assert cache is None
    with pytest.raises(ConfigError, match="train-mode"):
        spatial_batchnorm_backward(np.ones_like(out), cache)


# ----------------------------------------------------------------------------- layernorm


@pytest.mark.a2_layernorm_forward
def test_layernorm_rows_are_normalized():
    rng = np.random.default_rng(231)
    x = 50 + 10 * rng.standard_normal((4, 30))
    out, _ = layernorm_forward(x, np.ones(30), np.zeros(30), {})
    assert_allclose(out.mean(axis=1), np.zeros(4), atol=1e-12)
    assert_allclose(out.std(axis=1), np.ones(4), rtol=1e-6)
    out2, _ = layernorm_forward(x, 2 * np.ones(30), np.ones(30), {"eps": 1e-5, "mode": "test"})
    assert_allclose(out2, 2 * out + 1)


@pytest.mark.a2_layernorm_forward
def test_layernorm_does_not_depend_on_other_samples():
    rng = np.random.default_rng(2)
    x, gamma, beta, ln_param = make_ln(rng, np.float64, 6)
    full, _ = layernorm_forward(x, gamma, beta, ln_param)
    single, _ = layernorm_forward(x[2:3], gamma, beta, ln_param)
    assert_allclose(single, full[2:3])


@pytest.mark.a2_layernorm_backward
def test_layernorm_backward_cs231n_gradient_check():
    rng = np.random.default_rng(231)
    x = 5 * rng.standard_normal((4, 5)) + 12
    gamma, beta = rng.standard_normal(5), rng.standard_normal(5)
    dout = rng.standard_normal((4, 5))
    dx_num = eval_numerical_gradient_array(
        lambda x: layernorm_forward(x, gamma, beta, {})[0], x, dout
    )
    _, cache = layernorm_forward(x, gamma, beta, {})
    dx, _, _ = layernorm_backward(dout, cache)
    assert rel_error(dx, dx_num) < 1e-7


# ----------------------------------------------------------------------------- spatial


@pytest.mark.a2_spatial_batchnorm
@pytest.mark.parametrize("mode", ["train", "test"])
def test_spatial_batchnorm_equals_batchnorm_on_channels(mode):
    rng = np.random.default_rng(3)
    x, gamma, beta, _ = make_sbn(rng, np.float64, 2)
    stats = {"running_mean": rng.standard_normal(3), "running_var": rng.uniform(1, 2, 3)}
    p_spatial = {"mode": mode, **{k: v.copy() for k, v in stats.items()}}
    p_flat = {"mode": mode, **{k: v.copy() for k, v in stats.items()}}
    out, _ = spatial_batchnorm_forward(x, gamma, beta, p_spatial)
    flat = x.transpose(0, 2, 3, 1).reshape(-1, 3)
    ref, _ = batchnorm_forward(flat, gamma, beta, p_flat)
    assert_allclose(out, ref.reshape(2, 4, 5, 3).transpose(0, 3, 1, 2))
    assert_allclose(p_spatial["running_mean"], p_flat["running_mean"])
    assert_allclose(p_spatial["running_var"], p_flat["running_var"])


@pytest.mark.a2_spatial_groupnorm
@pytest.mark.parametrize("G", [1, 2, 3, 6])
def test_spatial_groupnorm_matches_a_loop_over_groups(G):
    rng = np.random.default_rng(4)
    x, gamma, beta, _, gn_param = make_sgn(rng, np.float64, 2)
    out, _ = spatial_groupnorm_forward(x, gamma, beta, G, gn_param)
    ref = np.empty_like(x)
    size = 6 // G
    for n in range(2):
        for g in range(G):
            block = x[n, g * size : (g + 1) * size]
            ref[n, g * size : (g + 1) * size] = (block - block.mean()) / np.sqrt(block.var() + 1e-5)
    assert_allclose(out, gamma * ref + beta)


@pytest.mark.a2_spatial_groupnorm
def test_spatial_groupnorm_gradient_check_cs231n_sizes():
    rng = np.random.default_rng(231)
    x = 5 * rng.standard_normal((2, 6, 4, 5)) + 12
    gamma = rng.standard_normal((1, 6, 1, 1))
    beta = rng.standard_normal((1, 6, 1, 1))
    dout = rng.standard_normal(x.shape)
    dx_num = eval_numerical_gradient_array(
        lambda x: spatial_groupnorm_forward(x, gamma, beta, 2, {})[0], x, dout
    )
    dg_num = eval_numerical_gradient_array(
        lambda g: spatial_groupnorm_forward(x, g, beta, 2, {})[0], gamma, dout
    )
    _, cache = spatial_groupnorm_forward(x, gamma, beta, 2, {})
    dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)
    assert rel_error(dx, dx_num) < 1e-6  # CS231n quotes 1e-12 to 1e-7; small entries dominate
    assert rel_error(dgamma, dg_num) < 1e-9
    assert dbeta.shape == (1, 6, 1, 1)


@pytest.mark.a2_spatial_batchnorm
@pytest.mark.a2_spatial_groupnorm
@pytest.mark.parametrize(
    "func", [spatial_batchnorm_forward, spatial_groupnorm_forward, layernorm_forward]
)
def test_tasks_do_not_call_other_notebooks_layers(func, monkeypatch):
    """Spatial norms are taught in another notebook than batchnorm: no calls across."""
    source = inspect.getsource(func)
    assert "batchnorm_forward(" not in source.split('"""')[-1]
    assert "layernorm_forward(" not in source.split('"""')[-1]

    def forbidden(*args, **kwargs):
        raise AssertionError("called batchnorm_forward")

    monkeypatch.setattr(normalization, "batchnorm_forward", forbidden)
    monkeypatch.setattr(normalization, "layernorm_forward", forbidden)
    rng = np.random.default_rng(0)
    if func is spatial_batchnorm_forward:
        func(*make_sbn(rng, np.float64, 2))
    elif func is spatial_groupnorm_forward:
        func(*make_sgn(rng, np.float64, 2))


# ----------------------------------------------------------------------------- validation

X2 = np.ones((3, 4))
G4 = np.ones(4)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: batchnorm_forward(np.ones(4), G4, G4, {"mode": "train"}), ShapeError, r"\(N, D\)"),
        (lambda: batchnorm_forward(X2, np.ones(3), G4, {"mode": "train"}), ShapeError, "gamma"),
        (lambda: batchnorm_forward(X2, G4, np.ones(5), {"mode": "train"}), ShapeError, "beta"),
        (
            lambda: batchnorm_forward(X2, G4, G4, {}),
            ConfigError,
            r"bn_param\['mode'\]: expected one of 'train', 'test', got None",
        ),
        (lambda: batchnorm_forward(X2, G4, G4, {"mode": "eval"}), ConfigError, "'eval'"),
        (
            lambda: batchnorm_forward(X2, G4, G4, {"mode": "train", "epsilon": 1}),
            ConfigError,
            "'epsilon'",
        ),
        (
            lambda: batchnorm_forward(X2, G4, G4, {"mode": "train", "running_mean": np.zeros(3)}),
            ShapeError,
            "running_mean",
        ),
        (
            lambda: batchnorm_forward(X2.astype(int), G4, G4, {"mode": "train"}),
            TypeError,
            "floating",
        ),
        (lambda: layernorm_forward(np.ones((2, 3, 4)), G4, G4, {}), ShapeError, r"\(N, D\)"),
        (lambda: layernorm_forward(X2, np.ones(3), G4, {}), ShapeError, "gamma"),
        (lambda: layernorm_forward(X2, G4, G4, {"momentum": 0.9}), ConfigError, "'momentum'"),
        (
            lambda: spatial_batchnorm_forward(X2, G4, G4, {"mode": "train"}),
            ShapeError,
            r"\(N, C, H, W\)",
        ),
        (
            lambda: spatial_batchnorm_forward(
                np.ones((2, 3, 2, 2)), np.ones((1, 3, 1, 1)), np.ones(3), {"mode": "train"}
            ),
            ShapeError,
            r"gamma: expected an ndarray of shape \(C,\)",
        ),
        (
            lambda: spatial_batchnorm_forward(np.ones((2, 3, 2, 2)), np.ones(3), np.ones(3), {}),
            ConfigError,
            "mode",
        ),
        (
            lambda: spatial_groupnorm_forward(
                np.ones((2, 6, 2, 2)), np.ones(6), np.ones((1, 6, 1, 1)), 2, {}
            ),
            ShapeError,
            r"\(1, C, 1, 1\) = \(1, 6, 1, 1\)",
        ),
        (
            lambda: spatial_groupnorm_forward(
                np.ones((2, 6, 2, 2)), np.ones((1, 6, 1, 1)), np.ones((1, 6, 1, 1)), 4, {}
            ),
            ConfigError,
            "divides C = 6.*use one of 1, 2, 3, 6",
        ),
        (
            lambda: spatial_groupnorm_forward(
                np.ones((2, 6, 2, 2)), np.ones((1, 6, 1, 1)), np.ones((1, 6, 1, 1)), 2.0, {}
            ),
            ConfigError,
            "G",
        ),
        (
            lambda: spatial_groupnorm_forward(
                np.ones((2, 6, 2, 2)), np.ones((1, 6, 1, 1)), np.ones((1, 6, 1, 1)), 2, {"G": 2}
            ),
            ConfigError,
            "'G'",
        ),
    ],
)
def test_forward_validation(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_backward_rejects_dout_of_wrong_shape(spec):
    args = spec.make_inputs(np.random.default_rng(0), np.dtype(np.float64), 2)
    out, cache = spec.forward(*args)
    with pytest.raises(ShapeError, match="dout"):
        spec.backward(np.ones((*out.shape[:-1], out.shape[-1] + 1)), cache)
