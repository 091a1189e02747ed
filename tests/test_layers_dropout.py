"""Inverted dropout with keep_prob: statistics, seeding, test mode, validation."""

import numpy as np
import pytest

from cs231n.course.layer_checks import LayerSpec, parametrize_layer_checks
from cs231n.gradient_check import eval_numerical_gradient_array, rel_error
from cs231n.layers import dropout_backward, dropout_forward
from cs231n.validation import ConfigError, ShapeError

TASKS = ("a2_dropout_forward", "a2_dropout_backward")


def make_train(rng, dtype, N):
    x = rng.standard_normal((N, 6)).astype(dtype)
    return x, {"keep_prob": 0.7, "mode": "train", "seed": 123}


def make_test(rng, dtype, N):
    x = rng.standard_normal((N, 2, 3)).astype(dtype)
    return x, {"keep_prob": 0.5, "mode": "test"}


SPECS = [
    LayerSpec("dropout_train", dropout_forward, dropout_backward, make_train, task_ids=TASKS),
    LayerSpec("dropout_test", dropout_forward, dropout_backward, make_test, task_ids=TASKS),
]


@parametrize_layer_checks(SPECS)
def test_conformance(layer_check):
    layer_check()


@pytest.mark.a2_dropout_forward
@pytest.mark.parametrize("keep_prob", [0.25, 0.4, 0.7, 1.0])
def test_train_mode_keeps_the_mean_and_drops_the_right_fraction(keep_prob):
    x = np.random.default_rng(231).standard_normal((500, 500)) + 10
    out, (param, mask) = dropout_forward(x, {"keep_prob": keep_prob, "mode": "train", "seed": 0})
    assert out.mean() == pytest.approx(x.mean(), rel=0.01)
    assert (out == 0).mean() == pytest.approx(1 - keep_prob, abs=0.01)
    kept = out != 0
    np.testing.assert_allclose(out[kept], x[kept] / keep_prob)
    assert set(np.unique(mask)) <= {0.0, 1 / keep_prob}
    assert param == {"keep_prob": keep_prob, "mode": "train", "seed": 0}


@pytest.mark.a2_dropout_forward
def test_test_mode_is_the_identity_and_has_no_mask():
    x = np.random.default_rng(0).standard_normal((5, 4))
    out, (_, mask) = dropout_forward(x, {"keep_prob": 0.3, "mode": "test"})
    np.testing.assert_array_equal(out, x)
    assert out is not x and mask is None


@pytest.mark.a2_dropout_forward
def test_seed_makes_the_mask_reproducible():
    x = np.ones((20, 30))
    a, _ = dropout_forward(x, {"keep_prob": 0.5, "mode": "train", "seed": 7})
    b, _ = dropout_forward(x, {"keep_prob": 0.5, "mode": "train", "seed": 7})
    c, _ = dropout_forward(x, {"keep_prob": 0.5, "mode": "train", "seed": 8})
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    expected = (np.random.default_rng(7).random(x.shape) < 0.5) / 0.5
    np.testing.assert_array_equal(a, expected)


@pytest.mark.a2_dropout_forward
def test_without_seed_uses_the_global_generator():
    x = np.ones((20, 30))
    param = {"keep_prob": 0.5, "mode": "train"}
    np.random.seed(3)  # noqa: NPY002 - the legacy global generator is what is tested
    a, _ = dropout_forward(x, param)
    b, _ = dropout_forward(x, param)
    np.random.seed(3)  # noqa: NPY002 - the legacy global generator is what is tested
    c, _ = dropout_forward(x, param)
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(a, c)


@pytest.mark.a2_dropout_forward
def test_float32_mask_and_output():
    x = np.ones((3, 4), dtype=np.float32)
    out, (_, mask) = dropout_forward(x, {"keep_prob": 0.3, "mode": "train", "seed": 1})
    assert out.dtype == np.float32 and mask.dtype == np.float32


@pytest.mark.a2_dropout_backward
def test_backward_cs231n_gradient_check():
    rng = np.random.default_rng(231)
    x = rng.standard_normal((10, 10)) + 10
    dout = rng.standard_normal(x.shape)
    param = {"mode": "train", "keep_prob": 0.2, "seed": 123}
    _, cache = dropout_forward(x, param)
    dx = dropout_backward(dout, cache)
    dx_num = eval_numerical_gradient_array(lambda xx: dropout_forward(xx, param)[0], x, dout)
    assert rel_error(dx, dx_num) < 1e-10


@pytest.mark.a2_dropout_backward
def test_backward_uses_the_mask_and_test_mode_passes_through():
    x = np.arange(1.0, 13.0).reshape(3, 4)
    dout = np.full_like(x, 2.0)
    _, cache = dropout_forward(x, {"keep_prob": 0.5, "mode": "train", "seed": 4})
    np.testing.assert_array_equal(dropout_backward(dout, cache), dout * cache[1])
    _, cache = dropout_forward(x, {"keep_prob": 0.5, "mode": "test"})
    dx = dropout_backward(dout, cache)
    np.testing.assert_array_equal(dx, dout)
    assert dx is not dout


@pytest.mark.a2_dropout_backward
def test_backward_ignores_later_changes_to_the_shared_param_dict():
    x = np.ones((4, 4))
    param = {"keep_prob": 0.5, "mode": "train", "seed": 2}
    _, cache = dropout_forward(x, param)
    param["mode"] = "test"
    np.testing.assert_array_equal(dropout_backward(np.ones_like(x), cache), cache[1])


@pytest.mark.parametrize("old", ["p", "dropout_keep_ratio"])
def test_cs231n_names_are_rejected_with_a_pointer_to_keep_prob(old):
    with pytest.raises(
        ConfigError, match=r"'keep_prob'.*rename it: dropout_param = \{'keep_prob': 0.8"
    ):
        dropout_forward(np.ones(3), {old: 0.8, "mode": "train"})


@pytest.mark.parametrize(
    "param, match",
    [
        ({"mode": "train"}, "0 < keep_prob <= 1"),
        ({"keep_prob": 0.0, "mode": "train"}, "0 < keep_prob <= 1"),
        ({"keep_prob": 1.5, "mode": "train"}, "0 < keep_prob <= 1"),
        ({"keep_prob": "0.5", "mode": "train"}, "0 < keep_prob <= 1"),
        ({"keep_prob": 0.5}, r"\['mode'\]: expected one of 'train', 'test', got None"),
        ({"keep_prob": 0.5, "mode": "eval"}, "'eval'"),
        ({"keep_prob": 0.5, "mode": "train", "rate": 0.1}, "'rate'"),
    ],
)
def test_forward_validation(param, match):
    with pytest.raises(ConfigError, match=match):
        dropout_forward(np.ones(3), param)


def test_forward_rejects_non_float_input():
    with pytest.raises(TypeError, match="floating"):
        dropout_forward(np.ones(3, dtype=int), {"keep_prob": 0.5, "mode": "train"})


def test_backward_rejects_dout_of_wrong_shape():
    _, cache = dropout_forward(np.ones((2, 3)), {"keep_prob": 0.5, "mode": "train"})
    with pytest.raises(ShapeError, match=r"shape \(2, 3\)"):
        dropout_backward(np.ones((3, 2)), cache)
