"""Update rules: each step against a hand computation, purity, defaults and errors."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs231n import optim
from cs231n.course.testing import assert_allclose
from cs231n.validation import ConfigError, ShapeError

W = np.array([1.0, -2.0])
DW = np.array([0.5, 0.25])


def test_sgd_step():
    next_w, config = optim.sgd(W, DW, {"learning_rate": 0.1})
    # 1 - 0.1 * 0.5 = 0.95 ; -2 - 0.1 * 0.25 = -2.025
    assert_allclose(next_w, np.array([0.95, -2.025]))
    assert config == {"learning_rate": 0.1}


@pytest.mark.a2_sgd_momentum
def test_sgd_momentum_step():
    config = {"learning_rate": 0.1, "momentum": 0.9, "velocity": np.array([0.2, -0.1])}
    next_w, config = optim.sgd_momentum(W, DW, config)
    # v = 0.9 * 0.2 - 0.1 * 0.5 = 0.13 ; 0.9 * -0.1 - 0.1 * 0.25 = -0.115
    assert_allclose(config["velocity"], np.array([0.13, -0.115]))
    # w + v
    assert_allclose(next_w, np.array([1.13, -2.115]))


@pytest.mark.a2_sgd_momentum
def test_sgd_momentum_starts_from_zero_velocity_with_defaults():
    next_w, config = optim.sgd_momentum(W, DW)
    assert config["learning_rate"] == 1e-2 and config["momentum"] == 0.9
    assert_allclose(next_w, W - 1e-2 * DW)


@pytest.mark.a2_nesterov
def test_nesterov_step():
    config = {"learning_rate": 0.1, "momentum": 0.9, "velocity": np.array([0.2, -0.1])}
    next_w, config = optim.nesterov(W, DW, config)
    # v_prev = [0.2, -0.1]; v = [0.13, -0.115] as for momentum
    # w - mu * v_prev + (1 + mu) * v:
    #   1 - 0.18 + 1.9 * 0.13 = 1.067 ; -2 + 0.09 + 1.9 * -0.115 = -2.1285
    assert_allclose(config["velocity"], np.array([0.13, -0.115]))
    assert_allclose(next_w, np.array([1.067, -2.1285]))


@pytest.mark.a2_adagrad
def test_adagrad_step():
    config = {"learning_rate": 0.1, "epsilon": 0.0, "cache": np.array([0.1, 0.0])}
    next_w, config = optim.adagrad(W, DW, config)
    # cache = [0.1 + 0.25, 0 + 0.0625] = [0.35, 0.0625]
    assert_allclose(config["cache"], np.array([0.35, 0.0625]))
    # w - 0.1 * dw / sqrt(cache): 1 - 0.05 / sqrt(0.35) ; -2 - 0.025 / 0.25 = -2.1
    assert_allclose(next_w, np.array([1 - 0.05 / math.sqrt(0.35), -2.1]))


@pytest.mark.a2_rmsprop
def test_rmsprop_step():
    config = {
        "learning_rate": 0.1,
        "decay_rate": 0.9,
        "epsilon": 0.0,
        "cache": np.array([0.1, 0.0]),
    }
    next_w, config = optim.rmsprop(W, DW, config)
    # cache = 0.9 * [0.1, 0] + 0.1 * [0.25, 0.0625] = [0.115, 0.00625]
    assert_allclose(config["cache"], np.array([0.115, 0.00625]))
    assert_allclose(
        next_w, np.array([1 - 0.05 / math.sqrt(0.115), -2 - 0.025 / math.sqrt(0.00625)])
    )


@pytest.mark.a2_adam
def test_adam_step_with_bias_correction():
    config = {
        "learning_rate": 0.1,
        "beta1": 0.9,
        "beta2": 0.999,
        "epsilon": 0.0,
        "m": np.array([0.1, 0.0]),
        "v": np.array([0.01, 0.0]),
        "t": 1,
    }
    next_w, config = optim.adam(W, DW, config)
    # t is incremented first: t = 2
    assert config["t"] == 2
    # m = 0.9 * [0.1, 0] + 0.1 * [0.5, 0.25] = [0.14, 0.025]
    # v = 0.999 * [0.01, 0] + 0.001 * [0.25, 0.0625] = [0.01024, 0.0000625]
    assert_allclose(config["m"], np.array([0.14, 0.025]))
    assert_allclose(config["v"], np.array([0.01024, 0.0000625]))
    m_hat = np.array([0.14, 0.025]) / (1 - 0.9**2)
    v_hat = np.array([0.01024, 0.0000625]) / (1 - 0.999**2)
    assert_allclose(next_w, W - 0.1 * m_hat / np.sqrt(v_hat))


@pytest.mark.a2_adam
def test_adam_first_step_is_learning_rate_times_sign():
    # With t incremented before use, m_hat = dw and v_hat = dw**2 at the first step.
    next_w, config = optim.adam(W, DW, {"learning_rate": 0.1, "epsilon": 0.0})
    assert config["t"] == 1
    assert_allclose(next_w, W - 0.1 * np.sign(DW))


@pytest.mark.parametrize("name", optim.RULES)
def test_rules_do_not_mutate_inputs_or_state(name):
    rule = getattr(optim, name)
    w, dw = W.copy(), DW.copy()
    _, config = rule(w, dw)
    state = {k: v.copy() for k, v in config.items() if isinstance(v, np.ndarray)}
    arrays = {k: v for k, v in config.items() if isinstance(v, np.ndarray)}
    next_w, _ = rule(w, dw, config)
    assert next_w is not w
    assert_allclose(w, W)
    assert_allclose(dw, DW)
    for k, v in arrays.items():
        assert_allclose(v, state[k])


@pytest.mark.parametrize("name", optim.RULES)
def test_unknown_config_key_names_the_close_one(name):
    rule = getattr(optim, name)
    with pytest.raises(ConfigError, match="learning_rate"):
        rule(W, DW, {"learning_rat": 0.1})


@pytest.mark.parametrize("name", optim.RULES)
def test_shape_mismatch_is_reported(name):
    with pytest.raises(ShapeError, match="dw"):
        getattr(optim, name)(W, np.zeros(3))


def test_non_dict_config_is_rejected():
    with pytest.raises(TypeError, match="dict"):
        optim.sgd(W, DW, [("learning_rate", 1)])


@pytest.mark.parametrize("name", optim.RULES)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), seed=st.integers(0, 1000))
def test_float32_stays_float32_and_shapes_match(name, shape, seed):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(shape).astype(np.float32)
    dw = rng.standard_normal(shape).astype(np.float32)
    config = None
    for _ in range(2):
        next_w, config = getattr(optim, name)(w, dw, config)
        assert next_w.shape == w.shape and next_w.dtype == np.float32
        w = next_w


@pytest.mark.parametrize("name", optim.RULES)
def test_rules_minimise_a_quadratic(name):
    # f(w) = 0.5 * ||w - 3||^2 has gradient w - 3.
    lr = {"adagrad": 0.5, "rmsprop": 0.01, "adam": 0.05}.get(name, 0.1)
    w, config = np.zeros(3), {"learning_rate": lr}
    for _ in range(500):
        w, config = getattr(optim, name)(w, w - 3.0, config)
    assert np.allclose(w, 3.0, atol=0.05)
