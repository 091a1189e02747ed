"""Hypothesis properties of the layers on small random shapes.

* softmax probabilities (recovered from ``softmax_loss``'s dx) are in [0, 1] and rows
  sum to 1, for scores up to 1e4 in size;
* a batch loss is the mean of the per-sample losses, and its dx stacks theirs / N;
* every backward returns gradients shaped (and typed) like the inputs;
* no layer mutates its inputs or ``dout``.
"""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cs231n import layer_utils as U
from cs231n import layers as L

scores_elements = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False, width=64)


@st.composite
def scores_and_labels(draw, max_n=6, max_c=6):
    n = draw(st.integers(1, max_n))
    c = draw(st.integers(2, max_c))
    x = draw(arrays(np.float64, (n, c), elements=scores_elements))
    y = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)), dtype=np.int64)
    return x, y


@pytest.mark.a1_softmax_loss
@given(scores_and_labels())
def test_softmax_probabilities_are_a_distribution(case):
    x, y = case
    N = x.shape[0]
    loss, dx = L.softmax_loss(x, y)
    onehot = np.zeros_like(x)
    onehot[np.arange(N), y] = 1
    probs = dx * N + onehot
    assert np.isfinite(loss) and loss >= 0
    assert np.all(probs >= -1e-12) and np.all(probs <= 1 + 1e-12)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-12)


@pytest.mark.a1_softmax_loss
@given(scores_and_labels(), st.floats(-100, 100))
def test_softmax_loss_is_invariant_to_shifting_a_row(case, shift):
    x, y = case
    x = np.clip(x, -100, 100)
    a, da = L.softmax_loss(x, y)
    b, db = L.softmax_loss(x + shift, y)
    assert a == pytest.approx(b, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(da, db, atol=1e-9)


@pytest.mark.a1_softmax_loss
@pytest.mark.a1_svm_loss
@pytest.mark.parametrize("loss_fn", [L.softmax_loss, L.svm_loss], ids=lambda f: f.__name__)
@given(case=scores_and_labels())
def test_batch_loss_is_the_mean_of_sample_losses(loss_fn, case):
    x, y = case
    N = x.shape[0]
    loss, dx = loss_fn(x, y)
    singles = [loss_fn(x[i : i + 1], y[i : i + 1]) for i in range(N)]
    scale = max(1.0, abs(loss))
    assert loss == pytest.approx(np.mean([s[0] for s in singles]), rel=1e-9, abs=1e-9 * scale)
    np.testing.assert_allclose(dx, np.vstack([s[1] for s in singles]) / N, rtol=1e-9, atol=1e-12)


# ----------------------------------------------------------------------------- layer cases


def _arr(rng, shape, dtype):
    return rng.standard_normal(shape).astype(dtype)


KINDS = [
    "affine",
    "relu",
    "leaky_relu",
    "sigmoid",
    "tanh",
    "elu",
    "silu",
    "batchnorm",
    "batchnorm_alt",
    "layernorm",
    "dropout",
    "spatial_batchnorm",
    "spatial_groupnorm",
    "conv",
    "max_pool",
    "affine_relu",
]


@st.composite
def layer_case(draw, kind):
    """(name, forward, backward, args) for one layer on a small random shape."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    N = draw(st.integers(1, 3))
    if kind in ("affine", "affine_relu"):
        dims = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
        M = draw(st.integers(1, 4))
        D = int(np.prod(dims))
        args = (_arr(rng, (N, *dims), dtype), _arr(rng, (D, M), dtype), _arr(rng, M, dtype))
        fwd, bwd = (
            (L.affine_forward, L.affine_backward)
            if kind == "affine"
            else (U.affine_relu_forward, U.affine_relu_backward)
        )
        return kind, fwd, bwd, args
    if kind in ("relu", "leaky_relu", "sigmoid", "tanh", "elu", "silu"):
        shape = (N, *draw(st.lists(st.integers(1, 4), min_size=0, max_size=3)))
        return (
            kind,
            getattr(L, f"{kind}_forward"),
            getattr(L, f"{kind}_backward"),
            (_arr(rng, shape, dtype),),
        )
    if kind in ("batchnorm", "batchnorm_alt", "layernorm"):
        D = draw(st.integers(1, 5))
        x, g, b = _arr(rng, (N, D), dtype), _arr(rng, D, dtype), _arr(rng, D, dtype)
        if kind == "layernorm":
            return kind, L.layernorm_forward, L.layernorm_backward, (x, g, b, {})
        bwd = L.batchnorm_backward if kind == "batchnorm" else L.batchnorm_backward_alt
        return kind, L.batchnorm_forward, bwd, (x, g, b, {"mode": "train"})
    if kind == "dropout":
        shape = (N, *draw(st.lists(st.integers(1, 4), min_size=0, max_size=2)))
        param = {
            "keep_prob": draw(st.floats(0.05, 1.0)),
            "mode": draw(st.sampled_from(["train", "test"])),
            "seed": 0,
        }
        return kind, L.dropout_forward, L.dropout_backward, (_arr(rng, shape, dtype), param)
    H, W = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    if kind == "spatial_batchnorm":
        C = draw(st.integers(1, 3))
        args = (
            _arr(rng, (N, C, H, W), dtype),
            _arr(rng, C, dtype),
            _arr(rng, C, dtype),
            {"mode": "train"},
        )
        return kind, L.spatial_batchnorm_forward, L.spatial_batchnorm_backward, args
    if kind == "spatial_groupnorm":
        G, per = draw(st.integers(1, 3)), draw(st.integers(1, 2))
        C = G * per
        args = (
            _arr(rng, (N, C, H, W), dtype),
            _arr(rng, (1, C, 1, 1), dtype),
            _arr(rng, (1, C, 1, 1), dtype),
            G,
            {},
        )
        return kind, L.spatial_groupnorm_forward, L.spatial_groupnorm_backward, args
    if kind == "conv":
        C, F = draw(st.integers(1, 2)), draw(st.integers(1, 2))
        HH, WW = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        stride, pad = draw(st.integers(1, 2)), draw(st.integers(0, 1))
        Ho, Wo = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        H, W = (Ho - 1) * stride + HH - 2 * pad, (Wo - 1) * stride + WW - 2 * pad
        assume(H >= 1 and W >= 1)
        args = (
            _arr(rng, (N, C, H, W), dtype),
            _arr(rng, (F, C, HH, WW), dtype),
            _arr(rng, F, dtype),
            {"stride": stride, "pad": pad},
        )
        return kind, L.conv_forward_naive, L.conv_backward_naive, args
    # max_pool
    C = draw(st.integers(1, 2))
    ph, pw, stride = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    Ho, Wo = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H, W = (Ho - 1) * stride + ph, (Wo - 1) * stride + pw
    param = {"pool_height": ph, "pool_width": pw, "stride": stride}
    return (
        kind,
        L.max_pool_forward_naive,
        L.max_pool_backward_naive,
        (_arr(rng, (N, C, H, W), dtype), param),
    )


def _grad_args(args):
    return [a for a in args if isinstance(a, np.ndarray)]


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_gradient_shapes_equal_input_shapes(kind, data):
    case = data.draw(layer_case(kind))
    name, forward, backward, args = case
    out, cache = forward(*args)
    dout = np.ones_like(out)
    grads = backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    inputs = _grad_args(args)
    assert len(grads) == len(inputs), name
    for g, a in zip(grads, inputs):
        assert g.shape == a.shape, name
        assert g.dtype == a.dtype, name
    assert out.dtype == args[0].dtype, name


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_no_input_is_mutated(kind, data):
    case = data.draw(layer_case(kind))
    name, forward, backward, args = case
    before = [a.copy() for a in _grad_args(args)]
    params_before = [
        {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in a.items()}
        for a in args
        if isinstance(a, dict)
    ]
    out, cache = forward(*args)
    dout = np.random.default_rng(0).standard_normal(out.shape).astype(out.dtype)
    dout_before = dout.copy()
    backward(dout, cache)
    np.testing.assert_array_equal(dout, dout_before, err_msg=name)
    for a, b in zip(_grad_args(args), before):
        np.testing.assert_array_equal(a, b, err_msg=name)
    for a, b in zip([a for a in args if isinstance(a, dict)], params_before):
        for k, v in b.items():
            if isinstance(v, np.ndarray):
                np.testing.assert_array_equal(a[k], v, err_msg=f"{name}: {k}")
            else:
                assert a[k] == v, f"{name}: {k}"
        # the one documented change: batch normalization adds its running averages
        assert set(a) - set(b) <= {"running_mean", "running_var"}, name


@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_relu_sigmoid_tanh_ranges(n, d, seed):
    x = 10 * np.random.default_rng(seed).standard_normal((n, d))
    assert np.all(L.relu_forward(x)[0] >= 0)
    s = L.sigmoid_forward(x)[0]
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(L.sigmoid_forward(-x)[0], 1 - s, atol=1e-15)
    assert np.all(np.abs(L.tanh_forward(x)[0]) <= 1)
