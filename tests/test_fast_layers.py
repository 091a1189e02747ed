"""Fast conv and max-pool layers: equal to the naive loops, same caches, same errors."""

import contextlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cs231n.fast_layers as fl
from cs231n.course.layer_checks import LayerSpec, parametrize_layer_checks
from cs231n.course.testing import assert_allclose
from cs231n.fast_layers import (
    conv_backward_fast,
    conv_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)
from cs231n.layers.conv import (
    conv_backward_naive,
    conv_forward_naive,
    max_pool_backward_naive,
    max_pool_forward_naive,
)
from cs231n.validation import ConfigError, ShapeError

TOL = {"rtol": 1e-10, "atol": 1e-10}  # fast == naive in float64


@contextlib.contextmanager
def conv_chunking(mode):
    """Column strategies of conv_forward_fast / conv_backward_fast.

    "whole-batch": one chunk, columns kept in the cache; "chunked": one image per chunk,
    columns rebuilt in backward; "kept-in-chunks": one image per chunk, columns kept.
    """
    saved = fl._CACHE_COLS_BYTES, fl._CHUNK_BYTES
    if mode == "chunked":
        fl._CACHE_COLS_BYTES, fl._CHUNK_BYTES = 0, 1
    elif mode == "kept-in-chunks":
        fl._CACHE_COLS_BYTES, fl._CHUNK_BYTES = 1 << 40, 1
    else:
        fl._CACHE_COLS_BYTES, fl._CHUNK_BYTES = 1 << 40, 1 << 40
    try:
        yield
    finally:
        fl._CACHE_COLS_BYTES, fl._CHUNK_BYTES = saved


MODES = ["whole-batch", "chunked", "kept-in-chunks"]


@pytest.fixture(params=MODES)
def conv_mode(request):
    """Run conv tests in every mode of :func:`conv_chunking`."""
    with conv_chunking(request.param):
        yield request.param


# ----------------------------------------------------------------------------------------
# Conformance suite (gradients, float32, no mutation, determinism, N = 1)
# ----------------------------------------------------------------------------------------


def conv_inputs(x_chw, w_shape, stride, pad):
    def make(rng, dtype, N):
        x = rng.standard_normal((N, *x_chw)).astype(dtype)
        w = rng.standard_normal(w_shape).astype(dtype)
        b = rng.standard_normal(w_shape[0]).astype(dtype)
        return x, w, b, {"stride": stride, "pad": pad}

    return make


def pool_inputs(x_chw, ph, pw, stride):
    """Distinct values, so the numerical gradient does not straddle a tie."""

    def make(rng, dtype, N):
        size = N * int(np.prod(x_chw))
        x = (rng.permutation(size).reshape(N, *x_chw) / size).astype(dtype)
        return x, {"pool_height": ph, "pool_width": pw, "stride": stride}

    return make


SPECS = [
    LayerSpec("fast_conv_s1_p1", conv_forward_fast, conv_backward_fast, conv_inputs((3, 5, 5), (2, 3, 3, 3), 1, 1), batch_size=2),
    LayerSpec("fast_conv_s2_p1", conv_forward_fast, conv_backward_fast, conv_inputs((3, 7, 7), (2, 3, 3, 3), 2, 1), batch_size=2),
    LayerSpec("fast_conv_rect_p2", conv_forward_fast, conv_backward_fast, conv_inputs((2, 5, 7), (3, 2, 3, 2), 3, 2), batch_size=2),
    LayerSpec("fast_pool_2x2_s2", max_pool_forward_fast, max_pool_backward_fast, pool_inputs((2, 4, 6), 2, 2, 2), batch_size=2),
    LayerSpec("fast_pool_3x3_s2", max_pool_forward_fast, max_pool_backward_fast, pool_inputs((2, 7, 7), 3, 3, 2), batch_size=2),
    LayerSpec("fast_pool_3x3_s1", max_pool_forward_fast, max_pool_backward_fast, pool_inputs((2, 5, 5), 3, 3, 1), batch_size=2),
    LayerSpec("fast_pool_2x3_s1", max_pool_forward_fast, max_pool_backward_fast, pool_inputs((1, 4, 5), 2, 3, 1), batch_size=2),
]  # fmt: skip


@parametrize_layer_checks(SPECS)
def test_conformance(layer_check):
    layer_check()


# ----------------------------------------------------------------------------------------
# fast == naive on randomised geometries
# ----------------------------------------------------------------------------------------


@st.composite
def conv_cases(draw):
    N = draw(st.integers(1, 3))
    C = draw(st.integers(1, 3))
    F = draw(st.integers(1, 4))
    HH = draw(st.integers(1, 4))
    WW = draw(st.integers(1, 4))
    stride = draw(st.integers(1, 3))
    pad = draw(st.integers(0, 2))
    Ho = draw(st.integers(1, 4))
    Wo = draw(st.integers(1, 4))
    # choose H, W so that the output size is exactly (Ho, Wo)
    H = (Ho - 1) * stride + HH - 2 * pad
    W = (Wo - 1) * stride + WW - 2 * pad
    if H < 1 or W < 1:
        H, W, pad = (Ho - 1) * stride + HH, (Wo - 1) * stride + WW, 0
    seed = draw(st.integers(0, 2**31 - 1))
    return (N, C, H, W), (F, C, HH, WW), stride, pad, seed


def _conv_data(x_shape, w_shape, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    return rng, x, w, b


@pytest.mark.parametrize("mode", MODES)
@given(case=conv_cases())
def test_conv_fast_equals_naive(mode, case):
    with conv_chunking(mode):
        _check_conv_case(*case)


def _check_conv_case(x_shape, w_shape, stride, pad, seed):
    rng, x, w, b = _conv_data(x_shape, w_shape, seed)
    conv_param = {"stride": stride, "pad": pad}
    out, cache = conv_forward_fast(x, w, b, conv_param)
    out_naive, cache_naive = conv_forward_naive(x, w, b, conv_param)
    assert out.flags.c_contiguous
    assert_allclose(out, out_naive, **TOL)
    dout = rng.standard_normal(out.shape)
    grads = conv_backward_fast(dout, cache)
    grads_naive = conv_backward_naive(dout, cache_naive)
    for name, g, gn in zip(("dx", "dw", "db"), grads, grads_naive):
        assert g.flags.c_contiguous, name
        assert_allclose(g, gn, **TOL, err_msg=name)


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "stride", "pad"),
    [
        ((2, 3, 8, 8), (4, 3, 3, 3), 1, 1),
        ((3, 3, 9, 9), (2, 3, 3, 3), 2, 1),  # stride 2, padding
        ((2, 2, 7, 10), (3, 2, 3, 2), 2, 0),  # non-square input and filter
        ((2, 1, 5, 5), (2, 1, 5, 5), 1, 0),  # filter as large as the input
        ((1, 2, 4, 4), (2, 2, 1, 1), 1, 0),  # 1x1 convolution
        ((2, 3, 6, 6), (2, 3, 3, 3), 3, 3),  # padding as large as the filter
    ],
)
def test_conv_fast_equals_naive_named_shapes(x_shape, w_shape, stride, pad, conv_mode):
    rng, x, w, b = _conv_data(x_shape, w_shape, 0)
    conv_param = {"stride": stride, "pad": pad}
    out, cache = conv_forward_fast(x, w, b, conv_param)
    assert len(cache) == (4 if conv_mode == "chunked" else 5)
    out_naive, cache_naive = conv_forward_naive(x, w, b, conv_param)
    assert_allclose(out, out_naive, **TOL)
    dout = rng.standard_normal(out.shape)
    for g, gn in zip(conv_backward_fast(dout, cache), conv_backward_naive(dout, cache_naive)):
        assert_allclose(g, gn, **TOL)


@pytest.mark.parametrize("route", ["col2im", "rows-cols"])
@pytest.mark.parametrize(
    ("x_shape", "w_shape", "pad"),
    [
        ((2, 4, 6, 7), (3, 4, 3, 3), 1),
        ((2, 3, 5, 5), (2, 3, 3, 2), 0),
        ((1, 2, 6, 6), (2, 2, 5, 3), 2),
        ((2, 2, 4, 5), (3, 2, 2, 2), 3),  # pad larger than the filter
        ((2, 1, 3, 3), (2, 1, 1, 1), 2),
    ],
)
def test_conv_dx_routes_agree(route, x_shape, w_shape, pad, monkeypatch):
    # stride 1: dx by col2im, or split into a matrix multiply along W and adds along H
    monkeypatch.setattr(fl, "_SPLIT_STRIDE_1", route == "rows-cols")
    rng, x, w, b = _conv_data(x_shape, w_shape, 12)
    conv_param = {"stride": 1, "pad": pad}
    out, cache = conv_forward_fast(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)
    _, cache_naive = conv_forward_naive(x, w, b, conv_param)
    for g, gn in zip(conv_backward_fast(dout, cache), conv_backward_naive(dout, cache_naive)):
        assert_allclose(g, gn, **TOL)


def test_conv_backward_accepts_naive_cache(conv_mode):
    rng, x, w, b = _conv_data((3, 2, 7, 7), (4, 2, 3, 3), 5)
    conv_param = {"stride": 2, "pad": 1}
    out, cache_naive = conv_forward_naive(x, w, b, conv_param)
    assert len(cache_naive) == 4
    dout = rng.standard_normal(out.shape)
    _, cache_fast = conv_forward_fast(x, w, b, conv_param)
    from_naive = conv_backward_fast(dout, cache_naive)
    for g, gf, gn in zip(
        from_naive, conv_backward_fast(dout, cache_fast), conv_backward_naive(dout, cache_naive)
    ):
        assert_allclose(g, gn, **TOL)
        assert_allclose(g, gf, **TOL)


def test_conv_backward_without_dx(conv_mode):
    rng, x, w, b = _conv_data((3, 2, 7, 7), (4, 2, 3, 3), 7)
    conv_param = {"stride": 2, "pad": 1}
    out, cache = conv_forward_fast(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv_backward_fast(dout, cache, need_dx=False)
    assert dx is None
    _, dw_full, db_full = conv_backward_fast(dout, cache)
    assert_allclose(dw, dw_full, rtol=0, atol=0)
    assert_allclose(db, db_full, rtol=0, atol=0)


def test_fast_conv_cache_starts_with_the_naive_cache():
    # the first four entries of the fast cache are exactly the naive cache
    _, x, w, b = _conv_data((2, 2, 5, 5), (3, 2, 3, 3), 6)
    conv_param = {"stride": 1, "pad": 1}
    _, cache = conv_forward_fast(x, w, b, conv_param)
    assert cache[0] is x and cache[1] is w and cache[2] is b and cache[3] is conv_param


@st.composite
def pool_cases(draw):
    N = draw(st.integers(1, 3))
    C = draw(st.integers(1, 3))
    PH = draw(st.integers(1, 4))
    PW = draw(st.integers(1, 4))
    stride = draw(st.integers(1, 4))
    Ho = draw(st.integers(1, 4))
    Wo = draw(st.integers(1, 4))
    H = (Ho - 1) * stride + PH
    W = (Wo - 1) * stride + PW
    ties = draw(st.booleans())
    seed = draw(st.integers(0, 2**31 - 1))
    return (N, C, H, W), {"pool_height": PH, "pool_width": PW, "stride": stride}, ties, seed


def _pool_data(x_shape, ties, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    if ties:  # three distinct values: most windows have tied maxima
        x = rng.integers(0, 3, size=x_shape).astype(dtype)
    else:
        x = rng.standard_normal(x_shape).astype(dtype)
    return rng, x


@given(case=pool_cases())
def test_pool_fast_equals_naive(case):
    x_shape, pool_param, ties, seed = case
    rng, x = _pool_data(x_shape, ties, seed)
    out, cache = max_pool_forward_fast(x, pool_param)
    out_naive, cache_naive = max_pool_forward_naive(x, pool_param)
    assert out.flags.c_contiguous
    assert_allclose(out, out_naive, rtol=0, atol=0)
    dout = rng.standard_normal(out.shape)
    dx = max_pool_backward_fast(dout, cache)
    assert dx.flags.c_contiguous
    assert_allclose(dx, max_pool_backward_naive(dout, cache_naive), **TOL)


@pytest.mark.parametrize(
    ("x_shape", "pool"),
    [
        ((2, 3, 8, 8), (2, 2, 2)),  # the two-step np.maximum path
        ((2, 3, 6, 10), (2, 2, 2)),  # non-square, two-step path
        ((2, 2, 9, 9), (3, 3, 2)),  # overlapping windows
        ((2, 2, 7, 7), (3, 3, 1)),  # heavily overlapping windows
        ((2, 2, 7, 7), (2, 2, 1)),
        ((2, 2, 4, 6), (4, 3, 3)),  # non-square window
        ((2, 2, 8, 8), (2, 2, 3)),  # gaps between windows
    ],
)
@pytest.mark.parametrize("ties", [False, True])
def test_pool_fast_equals_naive_named_shapes(x_shape, pool, ties):
    pool_param = {"pool_height": pool[0], "pool_width": pool[1], "stride": pool[2]}
    rng, x = _pool_data(x_shape, ties, 3)
    out, cache = max_pool_forward_fast(x, pool_param)
    out_naive, cache_naive = max_pool_forward_naive(x, pool_param)
    assert_allclose(out, out_naive, rtol=0, atol=0)
    dout = rng.standard_normal(out.shape)
    expected = max_pool_backward_naive(dout, cache_naive)
    assert_allclose(max_pool_backward_fast(dout, cache), expected, **TOL)
    assert_allclose(max_pool_backward_fast(dout, cache_naive), expected, **TOL)


def test_pool_first_max_gets_the_whole_gradient():
    # a 2x2 window of equal values: only the first (top-left) entry gets the gradient
    x = np.ones((1, 1, 2, 2))
    for pool_param in (
        {"pool_height": 2, "pool_width": 2, "stride": 2},  # two-step path
        {"pool_height": 2, "pool_width": 2, "stride": 1},  # general path
    ):
        out, cache = max_pool_forward_fast(x, pool_param)
        dx = max_pool_backward_fast(np.full(out.shape, 3.0), cache)
        assert_allclose(dx, np.array([[[[3.0, 0.0], [0.0, 0.0]]]]), rtol=0, atol=0)


def test_pool_overlapping_windows_accumulate():
    # One large value shared by all nine 3x3 windows of a 5x5 input (stride 1): its
    # gradient is the sum of the nine upstream gradients.  An "=" instead of "+="
    # backward keeps only one of them and fails here.
    x = np.random.default_rng(0).uniform(0, 1, size=(1, 1, 5, 5))
    x[0, 0, 2, 2] = 10.0
    _, cache = max_pool_forward_fast(x, {"pool_height": 3, "pool_width": 3, "stride": 1})
    dout = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    dx = max_pool_backward_fast(dout, cache)
    expected = np.zeros_like(x)
    expected[0, 0, 2, 2] = dout.sum()
    assert_allclose(dx, expected, rtol=0, atol=0)


def test_pool_float32_with_ties_matches_naive():
    rng, x = _pool_data((2, 3, 8, 8), True, 9, np.float32)
    for pool_param in (
        {"pool_height": 2, "pool_width": 2, "stride": 2},
        {"pool_height": 3, "pool_width": 3, "stride": 1},
    ):
        out, cache = max_pool_forward_fast(x, pool_param)
        assert out.dtype == np.float32
        dout = rng.standard_normal(out.shape).astype(np.float32)
        dx = max_pool_backward_fast(dout, cache)
        assert dx.dtype == np.float32
        expected = max_pool_backward_naive(dout, max_pool_forward_naive(x, pool_param)[1])
        assert_allclose(dx, expected, rtol=1e-6, atol=1e-6)  # sums in another order


# ----------------------------------------------------------------------------------------
# dtypes, layouts, no mutation
# ----------------------------------------------------------------------------------------


def test_conv_float32_stays_float32(conv_mode):
    rng, x, w, b = _conv_data((3, 3, 8, 8), (4, 3, 3, 3), 2, np.float32)
    conv_param = {"stride": 1, "pad": 1}
    out, cache = conv_forward_fast(x, w, b, conv_param)
    assert out.dtype == np.float32
    if len(cache) == 5:
        assert cache[4].dtype == np.float32
    dout = rng.standard_normal(out.shape).astype(np.float32)
    grads = conv_backward_fast(dout, cache)
    assert [g.dtype for g in grads] == [np.float32] * 3
    out64, cache64 = conv_forward_naive(*(a.astype(np.float64) for a in (x, w, b)), conv_param)
    assert_allclose(out, out64.astype(np.float32), atol=1e-5)
    for g, g64 in zip(grads, conv_backward_naive(dout.astype(np.float64), cache64)):
        assert_allclose(g, g64.astype(np.float32), atol=1e-4)


def test_non_contiguous_inputs(conv_mode):
    rng = np.random.default_rng(4)
    base = rng.standard_normal((3, 5, 9, 9))
    x = base[::-1, ::2, :, ::-1]  # strided, reversed view: not C-contiguous
    w = np.asfortranarray(rng.standard_normal((2, 3, 3, 3)))
    b = rng.standard_normal(2)
    conv_param = {"stride": 2, "pad": 1}
    out, cache = conv_forward_fast(x, w, b, conv_param)
    out_c, cache_c = conv_forward_fast(x.copy(), w.copy(), b, conv_param)
    assert_allclose(out, out_c, **TOL)
    dout = rng.standard_normal((*out.shape[:3], 2 * out.shape[3]))[..., ::2]
    for g, gc in zip(conv_backward_fast(dout, cache), conv_backward_fast(dout.copy(), cache_c)):
        assert_allclose(g, gc, **TOL)
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    xp = base[:, :, 1:, 1:][:, ::2]  # (3, 3, 8, 8), not contiguous
    outp, cachep = max_pool_forward_fast(xp, pool_param)
    assert_allclose(outp, max_pool_forward_naive(xp, pool_param)[0], rtol=0, atol=0)
    doutp = rng.standard_normal((*outp.shape[:3], 2 * outp.shape[3]))[..., 1::2]
    expected = max_pool_backward_naive(doutp, (xp, pool_param))
    assert_allclose(max_pool_backward_fast(doutp, cachep), expected, **TOL)


def test_nothing_is_mutated(conv_mode):
    rng, x, w, b = _conv_data((2, 3, 6, 6), (2, 3, 3, 3), 8)
    conv_param = {"stride": 1, "pad": 1}
    copies = [a.copy() for a in (x, w, b)]
    out, cache = conv_forward_fast(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)
    dout_copy = dout.copy()
    conv_backward_fast(dout, cache)
    for a, c in zip((x, w, b, dout), (*copies, dout_copy)):
        np.testing.assert_array_equal(a, c)
    assert conv_param == {"stride": 1, "pad": 1}
    pool_param = {"pool_height": 3, "pool_width": 3, "stride": 1}
    x_copy = x.copy()
    out, cache = max_pool_forward_fast(x, pool_param)
    dout = rng.standard_normal(out.shape)
    dout_copy = dout.copy()
    max_pool_backward_fast(dout, cache)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(dout, dout_copy)
    assert pool_param == {"pool_height": 3, "pool_width": 3, "stride": 1}


def test_conv_chunked_and_whole_batch_agree(monkeypatch):
    rng, x, w, b = _conv_data((7, 3, 9, 9), (4, 3, 3, 3), 11)
    conv_param = {"stride": 2, "pad": 1}
    out, cache = conv_forward_fast(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)
    grads = conv_backward_fast(dout, cache)
    monkeypatch.setattr(fl, "_CACHE_COLS_BYTES", 0)
    monkeypatch.setattr(fl, "_CHUNK_BYTES", 2 * 27 * 16 * 8)  # 2 images per chunk: 2, 2, 2, 1
    out_c, cache_c = conv_forward_fast(x, w, b, conv_param)
    assert len(cache_c) == 4
    assert_allclose(out_c, out, **TOL)
    for g, gc in zip(grads, conv_backward_fast(dout, cache_c)):
        assert_allclose(gc, g, **TOL)


# ----------------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------------


def test_conv_non_integer_output_lists_fixes():
    x = np.zeros((1, 1, 8, 8))
    w = np.zeros((1, 1, 3, 3))
    with pytest.raises(ShapeError, match=r"(?s)conv_forward_fast.*stride.*Fix:.*pad"):
        conv_forward_fast(x, w, np.zeros(1), {"stride": 2, "pad": 1})
    with pytest.raises(ShapeError, match=r"stride 1 or 5"):
        conv_forward_fast(x, w, np.zeros(1), {"stride": 2, "pad": 0})


def test_pool_non_integer_output_lists_fixes():
    with pytest.raises(ShapeError, match=r"(?s)max_pool_forward_fast.*Fix: use stride"):
        max_pool_forward_fast(
            np.zeros((1, 1, 8, 8)), {"pool_height": 3, "pool_width": 3, "stride": 2}
        )
    with pytest.raises(ShapeError, match="window"):
        max_pool_forward_fast(
            np.zeros((1, 1, 2, 2)), {"pool_height": 3, "pool_width": 3, "stride": 1}
        )


@pytest.mark.parametrize(
    ("args", "exc", "pattern"),
    [
        (((1, 2, 5, 5), (3, 3, 3, 3), 3, {"stride": 1, "pad": 1}), ShapeError, "w"),
        (((1, 2, 5, 5), (3, 2, 3, 3), 2, {"stride": 1, "pad": 1}), ShapeError, "b"),
        (((2, 5, 5), (3, 2, 3, 3), 3, {"stride": 1, "pad": 1}), ShapeError, "dimensions"),
        (((1, 2, 5, 5), (3, 2, 3, 3), 3, {"stride": 1}), ConfigError, "pad"),
        (((1, 2, 5, 5), (3, 2, 3, 3), 3, {"stride": 1, "pad": 1, "p": 0}), ConfigError, "'p'"),
        (((1, 2, 5, 5), (3, 2, 3, 3), 3, {"stride": 0, "pad": 1}), ConfigError, "positive"),
        (((1, 2, 5, 5), (3, 2, 3, 3), 3, {"stride": 1, "pad": -1}), ConfigError, "non-negative"),
        (((1, 2, 3, 3), (3, 2, 7, 7), 3, {"stride": 1, "pad": 0}), ShapeError, "pad >= 2"),
        (((1, 2, 5, 5), (3, 2, 3, 3), 3, [1, 1]), TypeError, "conv_param"),
    ],
)
def test_conv_validation(args, exc, pattern):
    x_shape, w_shape, nb, conv_param = args
    with pytest.raises(exc, match=pattern):
        conv_forward_fast(np.zeros(x_shape), np.zeros(w_shape), np.zeros(nb), conv_param)


def test_integer_input_rejected():
    with pytest.raises(TypeError, match="float"):
        conv_forward_fast(
            np.zeros((1, 1, 3, 3), dtype=int),
            np.zeros((1, 1, 3, 3)),
            np.zeros(1),
            {"stride": 1, "pad": 0},
        )
    with pytest.raises(TypeError, match="float"):
        max_pool_forward_fast(
            np.zeros((1, 1, 2, 2), dtype=int), {"pool_height": 2, "pool_width": 2, "stride": 2}
        )


def test_pool_validation():
    x = np.zeros((1, 1, 4, 4))
    with pytest.raises(ConfigError, match="pool_width"):
        max_pool_forward_fast(x, {"pool_height": 2, "stride": 2})
    with pytest.raises(ConfigError, match="positive"):
        max_pool_forward_fast(x, {"pool_height": 2, "pool_width": 2, "stride": 0})
    with pytest.raises(TypeError, match="pool_param"):
        max_pool_forward_fast(x, (2, 2, 2))


def test_backward_rejects_wrong_dout_and_cache():
    x = np.zeros((2, 1, 4, 4))
    out, cache = conv_forward_fast(x, np.zeros((3, 1, 3, 3)), np.zeros(3), {"stride": 1, "pad": 1})
    with pytest.raises(ShapeError, match="dout"):
        conv_backward_fast(np.zeros((2, 3, 4, 5)), cache)
    with pytest.raises(TypeError, match="cache"):
        conv_backward_fast(out, cache[:2])
    pout, pcache = max_pool_forward_fast(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    with pytest.raises(ShapeError, match="dout"):
        max_pool_backward_fast(np.zeros((2, 1, 3, 2)), pcache)
    with pytest.raises(TypeError, match="cache"):
        max_pool_backward_fast(pout, "cache")


# ----------------------------------------------------------------------------- average pooling


@pytest.mark.parametrize(
    "x_shape, ph, pw, stride",
    [
        ((2, 3, 8, 8), 2, 2, 2),
        ((2, 2, 9, 7), 3, 3, 2),
        ((1, 2, 5, 6), 2, 3, 1),
        ((3, 1, 6, 6), 6, 6, 1),
    ],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_avg_pool_fast_equals_naive(x_shape, ph, pw, stride, dtype):
    from cs231n.fast_layers import avg_pool_backward_fast, avg_pool_forward_fast
    from cs231n.layers.conv import avg_pool_backward_naive, avg_pool_forward_naive

    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(dtype)
    param = {"pool_height": ph, "pool_width": pw, "stride": stride}
    x0 = x.copy()
    out, cache = avg_pool_forward_fast(x, param)
    out_n, cache_n = avg_pool_forward_naive(x, param)
    assert out.dtype == dtype and out.flags.c_contiguous
    assert_allclose(out, out_n)
    dout = rng.standard_normal(out.shape).astype(dtype)
    dx = avg_pool_backward_fast(dout, cache)
    assert dx.dtype == dtype and np.array_equal(x, x0)
    assert_allclose(dx, avg_pool_backward_naive(dout, cache_n))
    assert_allclose(avg_pool_backward_fast(dout, cache_n), dx)  # the naive cache works too
