"""The conformance suite itself: every check catches the bug it is there for."""

import numpy as np
import pytest

from cs231n.course.layer_checks import (
    CHECKS,
    LayerCheckFailed,
    LayerSpec,
    layer_checks,
    parametrize_layer_checks,
)
from cs231n.layers import (
    dropout_backward,
    dropout_forward,
    relu_backward,
    relu_forward,
    softmax_loss,
)
from cs231n.validation import ConfigError


def make_x(rng, dtype, N):
    mag = rng.uniform(0.1, 1.0, size=(N, 5))
    return ((mag * rng.choice([-1.0, 1.0], size=mag.shape)).astype(dtype),)


def make_scores(rng, dtype, N):
    return rng.standard_normal((N, 4)).astype(dtype), rng.integers(4, size=N)


def run(spec, check):
    dict(layer_checks(spec))[check]()


def test_reference_relu_passes_everything():
    for _, check in layer_checks(relu_forward, relu_backward, make_x):
        check()


def test_names_and_skip():
    names = [
        name for name, _ in layer_checks(relu_forward, relu_backward, make_x, skip=("float32",))
    ]
    assert names == [c for c in CHECKS if c != "float32"]


def test_wrong_gradient_is_caught_with_the_worst_element():
    spec = LayerSpec("relu_bad", relu_forward, lambda dout, cache: dout * 1.0, make_x)
    with pytest.raises(
        LayerCheckFailed,
        match=r"relu_bad \[gradients_float64\]: dx: max relative error .* at element",
    ):
        run(spec, "gradients_float64")


def test_in_place_forward_is_caught():
    def forward(x):
        np.maximum(x, 0, out=x)
        return x.copy(), x

    spec = LayerSpec("relu_inplace", forward, relu_backward, make_x)
    with pytest.raises(LayerCheckFailed, match="x was modified in place"):
        run(spec, "no_mutation")


def test_in_place_dout_is_caught():
    def backward(dout, cache):
        dout[cache <= 0] = 0
        return dout

    spec = LayerSpec("relu_dout", relu_forward, backward, make_x)
    with pytest.raises(LayerCheckFailed, match="modified dout"):
        run(spec, "no_mutation")


def test_mutated_array_inside_a_param_dict_is_caught():
    def forward(x, param):
        param["stats"] += 1
        return x * 2, None

    def make(rng, dtype, N):
        return rng.standard_normal((N, 2)).astype(dtype), {"stats": np.zeros(2)}

    spec = LayerSpec("stats", forward, lambda dout, cache: dout * 2, make)
    with pytest.raises(LayerCheckFailed, match="parameter dict"):
        run(spec, "no_mutation")


def test_float64_upcast_is_caught():
    def forward(x):
        return relu_forward(x.astype(np.float64))

    spec = LayerSpec("relu64", forward, relu_backward, make_x)
    with pytest.raises(LayerCheckFailed, match="dtype float64"):
        run(spec, "float32")


def test_wrong_gradient_shape_and_count_are_caught():
    spec = LayerSpec(
        "flat", relu_forward, lambda dout, cache: relu_backward(dout, cache).ravel(), make_x
    )
    with pytest.raises(LayerCheckFailed, match=r"dx must be an ndarray of shape \(4, 5\)"):
        run(spec, "grad_shapes_dtypes")
    spec = LayerSpec("two", relu_forward, lambda dout, cache: (dout, dout), make_x)
    with pytest.raises(LayerCheckFailed, match=r"returned 2 gradient\(s\), expected 1: dx"):
        run(spec, "grad_shapes_dtypes")


@pytest.mark.filterwarnings("ignore:Degrees of freedom:RuntimeWarning")
def test_batch_of_one_nan_is_caught():
    def forward(x):
        out = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
        return out, None

    spec = LayerSpec("ddof", forward, lambda dout, cache: dout, make_x)
    with np.errstate(all="ignore"), pytest.raises(LayerCheckFailed, match="non-finite"):
        run(spec, "batch_of_one")


def test_unseeded_randomness_is_caught():
    def make(rng, dtype, N):
        return rng.standard_normal((N, 50)).astype(dtype), {"keep_prob": 0.5, "mode": "train"}

    spec = LayerSpec("dropout", dropout_forward, dropout_backward, make)
    with pytest.raises(LayerCheckFailed, match="unseeded"):
        run(spec, "determinism")


def test_wrong_output_dtype_or_batch_is_caught():
    spec = LayerSpec("sum", lambda x: (x.sum(axis=0), None), lambda d, c: d, make_x)
    with pytest.raises(LayerCheckFailed, match="N = 4 samples on axis 0"):
        run(spec, "output_shape_dtype")


def test_loss_checks():
    for _, check in layer_checks(softmax_loss, None, make_scores):
        check()
    bad = LayerSpec(
        "softmax_bad",
        lambda x, y: (softmax_loss(x, y)[0], softmax_loss(x, y)[1] * 2),
        None,
        make_scores,
    )
    with pytest.raises(LayerCheckFailed, match="softmax_bad"):
        run(bad, "gradients_float64")


def test_parametrize_gives_one_id_per_layer_and_check_with_marks():
    spec = LayerSpec(
        "relu",
        relu_forward,
        relu_backward,
        make_x,
        task_ids=("a1_relu_forward",),
        expected_failed_checks={"float32": "not supported"},
    )
    mark = parametrize_layer_checks([spec])
    argname, params = mark.args
    assert argname == "layer_check"
    assert [p.id for p in params] == [f"relu-{c}" for c in CHECKS]
    f32 = params[CHECKS.index("float32")]
    assert {m.name for m in f32.marks} == {"a1_relu_forward", "xfail"}


def test_misuse_is_reported():
    spec = LayerSpec("relu", relu_forward, relu_backward, make_x)
    with pytest.raises(ConfigError, match="LayerSpec alone"):
        list(layer_checks(spec, relu_backward))
    with pytest.raises(ConfigError, match="skip"):
        list(layer_checks(relu_forward, relu_backward, make_x, skip=("speed",)))
    with pytest.raises(TypeError, match="make_inputs"):
        list(layer_checks(relu_forward, relu_backward))
    bad = LayerSpec("relu", relu_forward, relu_backward, lambda rng, dtype, N: np.ones((N, 2)))
    with pytest.raises(TypeError, match="tuple of positional arguments"):
        run(bad, "output_shape_dtype")
