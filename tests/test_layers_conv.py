"""Naive convolution and max pooling: reference numbers, overlapping windows, geometry."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from cs231n.course.layer_checks import (
    LayerCheckFailed,
    LayerSpec,
    layer_checks,
    parametrize_layer_checks,
)
from cs231n.course.testing import assert_allclose
from cs231n.gradient_check import eval_numerical_gradient_array, rel_error
from cs231n.layers import (
    avg_pool_backward_naive,
    avg_pool_forward_naive,
    conv_backward_naive,
    conv_forward_naive,
    conv_output_shape,
    max_pool_backward_naive,
    max_pool_forward_naive,
    pool_output_shape,
)
from cs231n.validation import ConfigError, ShapeError

CONV_TASKS = ("a2_conv_forward_naive", "a2_conv_backward_naive")
POOL_TASKS = ("a2_max_pool_forward_naive", "a2_max_pool_backward_naive")
AVG_TASKS = ("a2_avg_pool_forward_naive", "a2_avg_pool_backward_naive")


def conv_inputs(x_chw, w_shape, stride, pad):
    def make(rng, dtype, N):
        x = rng.standard_normal((N, *x_chw)).astype(dtype)
        w = rng.standard_normal(w_shape).astype(dtype)
        b = rng.standard_normal(w_shape[0]).astype(dtype)
        return x, w, b, {"stride": stride, "pad": pad}

    return make


def pool_inputs(x_chw, ph, pw, stride):
    """Distinct values (a random permutation), so no two window elements tie."""

    def make(rng, dtype, N):
        size = N * int(np.prod(x_chw))
        x = (rng.permutation(size).reshape(N, *x_chw) / size).astype(dtype)
        return x, {"pool_height": ph, "pool_width": pw, "stride": stride}

    return make


SPECS = [
    LayerSpec("conv_s1_p1", conv_forward_naive, conv_backward_naive, conv_inputs((3, 5, 5), (2, 3, 3, 3), 1, 1), batch_size=2, task_ids=CONV_TASKS),
    LayerSpec("conv_s2_p1", conv_forward_naive, conv_backward_naive, conv_inputs((3, 7, 7), (2, 3, 3, 3), 2, 1), batch_size=2, task_ids=CONV_TASKS),
    LayerSpec("conv_rect_p0", conv_forward_naive, conv_backward_naive, conv_inputs((2, 5, 6), (3, 2, 3, 2), 1, 0), batch_size=2, task_ids=CONV_TASKS),
    LayerSpec("pool_2x2_s2", max_pool_forward_naive, max_pool_backward_naive, pool_inputs((2, 4, 6), 2, 2, 2), batch_size=2, task_ids=POOL_TASKS),
    LayerSpec("pool_3x3_s1", max_pool_forward_naive, max_pool_backward_naive, pool_inputs((2, 5, 5), 3, 3, 1), batch_size=2, task_ids=POOL_TASKS),
    LayerSpec("pool_3x3_s2", max_pool_forward_naive, max_pool_backward_naive, pool_inputs((2, 7, 7), 3, 3, 2), batch_size=2, task_ids=POOL_TASKS),
    LayerSpec("pool_2x3_s1", max_pool_forward_naive, max_pool_backward_naive, pool_inputs((1, 4, 5), 2, 3, 1), batch_size=2, task_ids=POOL_TASKS),
    LayerSpec("avg_2x2_s2", avg_pool_forward_naive, avg_pool_backward_naive, pool_inputs((2, 4, 6), 2, 2, 2), batch_size=2, task_ids=AVG_TASKS),
    LayerSpec("avg_3x3_s2", avg_pool_forward_naive, avg_pool_backward_naive, pool_inputs((2, 7, 7), 3, 3, 2), batch_size=2, task_ids=AVG_TASKS),
    LayerSpec("avg_2x3_s1", avg_pool_forward_naive, avg_pool_backward_naive, pool_inputs((1, 4, 5), 2, 3, 1), batch_size=2, task_ids=AVG_TASKS),
]  # fmt: skip


@parametrize_layer_checks(SPECS)
def test_conformance(layer_check):
    layer_check()


def conv_reference(x, w, b, stride, pad):
    """Independent vectorized convolution (sliding windows + einsum)."""
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("nchwij,fcij->nfhw", windows, w) + b[None, :, None, None]


# ----------------------------------------------------------------------------- conv


@pytest.mark.a2_conv_forward_naive
def test_conv_forward_cs231n_reference_numbers():
    x_shape, w_shape = (2, 3, 4, 4), (3, 3, 4, 4)
    x = np.linspace(-0.1, 0.5, num=np.prod(x_shape)).reshape(x_shape)
    w = np.linspace(-0.2, 0.3, num=np.prod(w_shape)).reshape(w_shape)
    b = np.linspace(-0.1, 0.2, num=3)
    conv_param = {"stride": 2, "pad": 1}
    out, cache = conv_forward_naive(x, w, b, conv_param)
    expected = np.array(
        [
            [
                [[-0.08759809, -0.10987781], [-0.18387192, -0.2109216]],
                [[0.21027089, 0.21661097], [0.22847626, 0.23004637]],
                [[0.50813986, 0.54309974], [0.64082444, 0.67101435]],
            ],
            [
                [[-0.98053589, -1.03143541], [-1.19128892, -1.24695841]],
                [[0.69108355, 0.66880383], [0.59480972, 0.56776003]],
                [[2.36270298, 2.36904306], [2.38090835, 2.38247847]],
            ],
        ]
    )
    assert rel_error(out, expected) < 1e-7
    assert (
        len(cache) == 4
        and cache[0] is x
        and cache[1] is w
        and cache[2] is b
        and cache[3] is conv_param
    )


@pytest.mark.a2_conv_forward_naive
@pytest.mark.parametrize(
    "x_shape, w_shape, stride, pad",
    [
        ((2, 3, 7, 7), (4, 3, 3, 3), 2, 1),
        ((1, 2, 6, 5), (3, 2, 2, 3), 1, 2),
        ((2, 1, 5, 5), (1, 1, 5, 5), 3, 0),
    ],
)
def test_conv_forward_matches_vectorized_reference(x_shape, w_shape, stride, pad):
    rng = np.random.default_rng(0)
    x, w, b = (
        rng.standard_normal(x_shape),
        rng.standard_normal(w_shape),
        rng.standard_normal(w_shape[0]),
    )
    out, _ = conv_forward_naive(x, w, b, {"stride": stride, "pad": pad})
    assert_allclose(out, conv_reference(x, w, b, stride, pad), rtol=1e-12, atol=1e-12)


@pytest.mark.a2_conv_backward_naive
def test_conv_backward_cs231n_gradient_check():
    rng = np.random.default_rng(231)
    x = rng.standard_normal((2, 3, 5, 5))
    w = rng.standard_normal((2, 3, 3, 3))
    b = rng.standard_normal(2)
    dout = rng.standard_normal((2, 2, 5, 5))
    p = {"stride": 1, "pad": 1}
    dx_num = eval_numerical_gradient_array(lambda x: conv_forward_naive(x, w, b, p)[0], x, dout)
    dw_num = eval_numerical_gradient_array(lambda w: conv_forward_naive(x, w, b, p)[0], w, dout)
    db_num = eval_numerical_gradient_array(lambda b: conv_forward_naive(x, w, b, p)[0], b, dout)
    _, cache = conv_forward_naive(x, w, b, p)
    dx, dw, db = conv_backward_naive(dout, cache)
    assert rel_error(dx, dx_num) < 1e-8
    assert rel_error(dw, dw_num) < 1e-8
    assert rel_error(db, db_num) < 1e-8


# ----------------------------------------------------------------------------- pool


@pytest.mark.a2_max_pool_forward_naive
def test_max_pool_forward_cs231n_reference_numbers():
    x_shape = (2, 3, 4, 4)
    x = np.linspace(-0.3, 0.4, num=np.prod(x_shape)).reshape(x_shape)
    pool_param = {"pool_width": 2, "pool_height": 2, "stride": 2}
    out, cache = max_pool_forward_naive(x, pool_param)
    expected = np.array(
        [
            [
                [[-0.26315789, -0.24842105], [-0.20421053, -0.18947368]],
                [[-0.14526316, -0.13052632], [-0.08631579, -0.07157895]],
                [[-0.02736842, -0.01263158], [0.03157895, 0.04631579]],
            ],
            [
                [[0.09052632, 0.10526316], [0.14947368, 0.16421053]],
                [[0.20842105, 0.22315789], [0.26736842, 0.28210526]],
                [[0.32631579, 0.34105263], [0.38526316, 0.4]],
            ],
        ]
    )
    assert rel_error(out, expected) < 1e-7
    assert len(cache) == 2 and cache[0] is x and cache[1] is pool_param


@pytest.mark.a2_max_pool_forward_naive
def test_max_pool_forward_overlapping_matches_sliding_windows():
    x = np.random.default_rng(1).standard_normal((2, 3, 7, 7))
    out, _ = max_pool_forward_naive(x, {"pool_height": 3, "pool_width": 3, "stride": 2})
    ref = sliding_window_view(x, (3, 3), axis=(2, 3))[:, :, ::2, ::2].max(axis=(-2, -1))
    np.testing.assert_array_equal(out, ref)


@pytest.mark.a2_max_pool_backward_naive
def test_max_pool_backward_cs231n_gradient_check():
    rng = np.random.default_rng(231)
    x = rng.standard_normal((3, 2, 8, 8))
    dout = rng.standard_normal((3, 2, 4, 4))
    p = {"pool_height": 2, "pool_width": 2, "stride": 2}
    dx_num = eval_numerical_gradient_array(lambda x: max_pool_forward_naive(x, p)[0], x, dout)
    dx = max_pool_backward_naive(dout, max_pool_forward_naive(x, p)[1])
    assert rel_error(dx, dx_num) < 1e-10


def max_pool_backward_assign(dout, cache):
    """The classic bug: `=` instead of `+=`, so overlapping windows overwrite each other."""
    x, p = cache
    ph, pw, s = p["pool_height"], p["pool_width"], p["stride"]
    dx = np.zeros_like(x)
    N, C, Ho, Wo = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    window = x[n, c, i * s : i * s + ph, j * s : j * s + pw]
                    r, q = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * s + r, j * s + q] = dout[n, c, i, j]
    return dx


@pytest.mark.a2_max_pool_backward_naive
@pytest.mark.parametrize("k, stride", [(3, 1), (3, 2), (2, 1)])
def test_overlapping_windows_catch_assignment_instead_of_accumulation(k, stride):
    make = pool_inputs((2, 7, 7), k, k, stride)
    wrong = LayerSpec(
        "pool_assign", max_pool_forward_naive, max_pool_backward_assign, make, batch_size=2
    )
    right = LayerSpec("pool", max_pool_forward_naive, max_pool_backward_naive, make, batch_size=2)
    checks_wrong = dict(layer_checks(wrong))
    checks_right = dict(layer_checks(right))
    checks_right["gradients_float64"]()
    with pytest.raises(LayerCheckFailed, match="dx: max relative error"):
        checks_wrong["gradients_float64"]()


@pytest.mark.a2_max_pool_backward_naive
def test_assignment_bug_is_invisible_without_overlap():
    """Why the overlapping tests exist: 2x2 stride 2 windows cannot tell = from +=."""
    spec = LayerSpec(
        "pool_assign",
        max_pool_forward_naive,
        max_pool_backward_assign,
        pool_inputs((2, 4, 4), 2, 2, 2),
    )
    dict(layer_checks(spec))["gradients_float64"]()


@pytest.mark.a2_max_pool_backward_naive
def test_shared_maximum_of_overlapping_windows_gets_both_gradients():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5.0  # the max of all four 2x2 windows of stride 1
    _, cache = max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 1})
    dout = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    dx = max_pool_backward_naive(dout, cache)
    assert dx[0, 0, 1, 1] == 10.0 and dx.sum() == 10.0


@pytest.mark.a2_max_pool_backward_naive
def test_ties_send_the_gradient_to_the_first_max_in_row_major_order():
    x = np.array([[[[1.0, 3.0], [3.0, 3.0]]]])
    _, cache = max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    dx = max_pool_backward_naive(np.array([[[[7.0]]]]), cache)
    np.testing.assert_array_equal(dx, [[[[0.0, 7.0], [0.0, 0.0]]]])


# ----------------------------------------------------------------------------- geometry


def test_conv_geometry_error_lists_working_paddings_and_strides():
    x, w, b = np.ones((1, 1, 7, 7)), np.ones((1, 1, 3, 3)), np.ones(1)
    with pytest.raises(ShapeError) as info:
        conv_forward_naive(x, w, b, {"stride": 3, "pad": 0})
    msg = str(info.value)
    assert "multiples of stride = 3" in msg
    assert "(H + 2*pad - HH) = 4" in msg and "an output of 2.33333 x 2.33333" in msg
    assert "with stride 3 use pad 1" in msg
    assert "with pad 0 use stride 1, 2 or 4" in msg


def test_conv_geometry_error_rectangular():
    # (H + 2*pad - HH, W + 2*pad - WW) = (4, 7) at pad 0 and (6, 9) at pad 1.
    with pytest.raises(
        ShapeError, match=r"with stride 3 use pad 1; or with pad 0 use stride 1\."
    ) as info:
        conv_output_shape((1, 1, 7, 10), (1, 1, 3, 3), {"stride": 3, "pad": 0})
    assert "(W + 2*pad - WW) = 7" in str(info.value)


def test_conv_geometry_no_padding_works():
    with pytest.raises(ShapeError, match="no pad from 0 to 2 works with stride 2"):
        conv_output_shape((1, 1, 5, 4), (1, 1, 2, 2), {"stride": 2, "pad": 0})


def test_conv_filter_larger_than_padded_input():
    with pytest.raises(ShapeError, match="use pad >= 2 or smaller filters"):
        conv_forward_naive(
            np.ones((1, 1, 2, 2)), np.ones((1, 1, 5, 5)), np.ones(1), {"stride": 1, "pad": 0}
        )


def test_conv_output_shape_values():
    assert conv_output_shape((2, 3, 32, 32), (8, 3, 7, 7), {"stride": 1, "pad": 3}) == (32, 32)
    assert conv_output_shape((2, 3, 31, 31), (8, 3, 3, 3), {"stride": 2, "pad": 1}) == (16, 16)


def test_pool_geometry_error_lists_strides_and_window_sizes():
    with pytest.raises(ShapeError) as info:
        max_pool_forward_naive(
            np.ones((1, 1, 7, 7)), {"pool_height": 2, "pool_width": 2, "stride": 2}
        )
    msg = str(info.value)
    assert "(H - pool_height) = 5" in msg and "an output of 3.5 x 3.5" in msg
    assert "use stride 1 or 5" in msg and "pool_height 1, 3, 5 or 7" in msg


def test_pool_window_larger_than_input():
    with pytest.raises(ShapeError, match="a pooling window that fits"):
        pool_output_shape((1, 1, 3, 3), {"pool_height": 4, "pool_width": 2, "stride": 1})


X = np.ones((2, 3, 5, 5))
W = np.ones((4, 3, 3, 3))
B = np.ones(4)
CP = {"stride": 1, "pad": 1}
PP = {"pool_height": 2, "pool_width": 2, "stride": 1}


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: conv_forward_naive(np.ones((3, 5, 5)), W, B, CP), ShapeError, r"\(N, C, H, W\)"),
        (
            lambda: conv_forward_naive(X, np.ones((4, 2, 3, 3)), B, CP),
            ShapeError,
            r"\(F, C, HH, WW\) = \(\*, 3, \*, \*\)",
        ),
        (lambda: conv_forward_naive(X, W, np.ones(3), CP), ShapeError, r"\(F,\) = \(4\)"),
        (lambda: conv_forward_naive(X.astype(int), W, B, CP), TypeError, "floating"),
        (lambda: conv_forward_naive(X, W, B, {"stride": 1}), ConfigError, "a 'pad' key"),
        (lambda: conv_forward_naive(X, W, B, {"pad": 1}), ConfigError, "a 'stride' key"),
        (lambda: conv_forward_naive(X, W, B, {}), ConfigError, "an empty dict"),
        (
            lambda: conv_forward_naive(X, W, B, {"stride": 0, "pad": 1}),
            ConfigError,
            "positive integer",
        ),
        (
            lambda: conv_forward_naive(X, W, B, {"stride": 1.0, "pad": 1}),
            ConfigError,
            "positive integer",
        ),
        (
            lambda: conv_forward_naive(X, W, B, {"stride": True, "pad": 1}),
            ConfigError,
            "positive integer",
        ),
        (
            lambda: conv_forward_naive(X, W, B, {"stride": 1, "pad": -1}),
            ConfigError,
            "non-negative integer",
        ),
        (
            lambda: conv_forward_naive(X, W, B, {"stride": 1, "pad": 1, "padding": 1}),
            ConfigError,
            "'padding'",
        ),
        (lambda: max_pool_forward_naive(np.ones((5, 5)), PP), ShapeError, r"\(N, C, H, W\)"),
        (
            lambda: max_pool_forward_naive(X, {"pool_height": 2, "stride": 1}),
            ConfigError,
            "a 'pool_width' key",
        ),
        (lambda: max_pool_forward_naive(X, {**PP, "pad": 0}), ConfigError, "'pad'"),
        (lambda: max_pool_forward_naive(X, {**PP, "stride": 0}), ConfigError, "positive integer"),
        (lambda: max_pool_forward_naive(X.astype(np.int32), PP), TypeError, "floating"),
    ],
)
def test_validation(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_backward_rejects_dout_of_wrong_shape():
    _, cache = conv_forward_naive(X, W, B, CP)
    with pytest.raises(ShapeError, match=r"\(N, F, H', W'\) = \(2, 4, 5, 5\)"):
        conv_backward_naive(np.ones((2, 4, 4, 4)), cache)
    _, cache = max_pool_forward_naive(X, PP)
    with pytest.raises(ShapeError, match=r"\(N, C, H', W'\) = \(2, 3, 4, 4\)"):
        max_pool_backward_naive(np.ones((2, 3, 5, 5)), cache)


# ----------------------------------------------------------------------------- average pooling


@pytest.mark.a2_avg_pool_forward_naive
@pytest.mark.parametrize("k, stride", [(3, 2), (3, 1), (5, 1)])
def test_avg_pool_forward_matches_sliding_window_mean(k, stride):
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 8))
    out, _ = avg_pool_forward_naive(x, {"pool_height": k, "pool_width": 2, "stride": stride})
    want = sliding_window_view(x, (k, 2), axis=(2, 3))[:, :, ::stride, ::stride].mean(axis=(4, 5))
    assert_allclose(out, want)


@pytest.mark.a2_avg_pool_forward_naive
def test_avg_pool_forward_hand_computed():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    out, _ = avg_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    assert_allclose(out, np.array([[[[2.5, 4.5], [10.5, 12.5]]]]))


@pytest.mark.a2_avg_pool_backward_naive
@pytest.mark.parametrize("k, stride", [(3, 2), (3, 1), (1, 1)])
def test_avg_pool_backward_float64_gradient_check(k, stride):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 2, 7, 7))
    param = {"pool_height": k, "pool_width": k, "stride": stride}
    out, cache = avg_pool_forward_naive(x, param)
    dout = rng.standard_normal(out.shape)
    d0 = dout.copy()
    dx = avg_pool_backward_naive(dout, cache)
    num = eval_numerical_gradient_array(lambda z: avg_pool_forward_naive(z, param)[0], x, dout)
    assert dx.dtype == np.float64 and rel_error(dx, num) < 1e-8
    assert np.array_equal(dout, d0)


@pytest.mark.a2_avg_pool_backward_naive
def test_avg_pool_backward_overlap_adds_up():
    """With overlapping windows the gradients sum to sum(dout): nothing is dropped."""
    x = np.zeros((1, 1, 5, 5))
    param = {"pool_height": 3, "pool_width": 3, "stride": 1}
    out, cache = avg_pool_forward_naive(x, param)
    dx = avg_pool_backward_naive(np.ones_like(out), cache)
    assert np.isclose(dx.sum(), out.size) and dx[0, 0, 2, 2] == pytest.approx(1.0)
