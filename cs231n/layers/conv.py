"""Convolution and max pooling as naive loops, for teaching and for gradient checks.

The fast versions with the same caches are in :mod:`cs231n.fast_layers`.  The output
size of a convolution along the height is ``H' = 1 + (H + 2 * pad - HH) / stride``, and
it must be an integer: :func:`conv_output_shape` and :func:`pool_output_shape` compute
it, or raise an error that lists the paddings and strides that would work.
"""

from __future__ import annotations

import math

import numpy as np

from cs231n.validation import ConfigError, ShapeError, check_array, check_keys, describe, fail

__all__ = [
    "avg_pool_backward_naive",
    "avg_pool_forward_naive",
    "conv_backward_inputs",
    "conv_backward_naive",
    "conv_forward_naive",
    "conv_inputs",
    "conv_output_shape",
    "max_pool_backward_naive",
    "max_pool_forward_naive",
    "pool_backward_inputs",
    "pool_inputs",
    "pool_output_shape",
]


def _int_option(options, key, param, name, minimum, example):
    if key not in options:
        fail(
            f"{name}: {param}",
            f"a {key!r} key",
            "keys " + ", ".join(repr(k) for k in options) if options else "an empty dict",
            f"add it, e.g. {param} = {example}",
            ConfigError,
        )
    value = options[key]
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        kind = "a positive integer" if minimum > 0 else "a non-negative integer"
        fail(f"{name}: {param}[{key!r}]", kind, describe(value), None, ConfigError)
    return int(value)


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def _join(values) -> str:
    values = [str(v) for v in values]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def conv_output_shape(x_shape, w_shape, conv_param, name="conv"):
    """Output height and width of a convolution, after checking the geometry.

    Parameters
    ----------
    x_shape : tuple (N, C, H, W)
        Shape of the input.
    w_shape : tuple (F, C, HH, WW)
        Shape of the filters.
    conv_param : dict
        ``{"stride": int >= 1, "pad": int >= 0}``.
    name : str
        Function name for error messages.

    Returns
    -------
    H_out, W_out : int
        ``1 + (H + 2 * pad - HH) // stride`` and the same for the width.

    Raises
    ------
    ShapeError
        When a filter does not fit in the padded input, or the output size is not an
        integer; the message lists paddings (0 to the filter size) and strides that
        would give an integer output size.
    """
    example = "{'stride': 1, 'pad': 1}"
    stride = _int_option(conv_param, "stride", "conv_param", name, 1, example)
    pad = _int_option(conv_param, "pad", "conv_param", name, 0, example)
    _, _, H, W = x_shape
    _, _, HH, WW = w_shape
    span_h, span_w = H + 2 * pad - HH, W + 2 * pad - WW
    if span_h < 0 or span_w < 0:
        need = max(math.ceil((HH - H) / 2), math.ceil((WW - W) / 2))
        fail(
            name,
            f"filters of HH x WW = {HH} x {WW} that fit in the padded input",
            f"an input of H x W = {H} x {W} with pad = {pad}",
            f"use pad >= {need} or smaller filters",
            ShapeError,
        )
    if span_h % stride or span_w % stride:
        good_pads = [
            p
            for p in range(max(HH, WW) + 1)
            if (H + 2 * p - HH) >= 0
            and (W + 2 * p - WW) >= 0
            and (H + 2 * p - HH) % stride == 0
            and (W + 2 * p - WW) % stride == 0
        ]
        good_strides = _divisors(math.gcd(span_h, span_w))
        fixes = []
        if good_pads:
            fixes.append(f"with stride {stride} use pad {_join(good_pads)}")
        else:
            fixes.append(f"no pad from 0 to {max(HH, WW)} works with stride {stride}")
        fixes.append(f"with pad {pad} use stride {_join(good_strides)}")
        fail(
            name,
            f"(H + 2*pad - HH) and (W + 2*pad - WW) to be multiples of stride = {stride} "
            "so that the output size is an integer",
            f"H = {H}, W = {W}, HH = {HH}, WW = {WW}, pad = {pad}, giving "
            f"(H + 2*pad - HH) = {span_h} and (W + 2*pad - WW) = {span_w}, an output of "
            f"{1 + span_h / stride:g} x {1 + span_w / stride:g}",
            "; or ".join(fixes),
            ShapeError,
        )
    return 1 + span_h // stride, 1 + span_w // stride


def pool_output_shape(x_shape, pool_param, name="max_pool"):
    """Output height and width of a pooling layer (no padding), after checking it.

    Parameters
    ----------
    x_shape : tuple (N, C, H, W)
        Shape of the input.
    pool_param : dict
        ``{"pool_height": int, "pool_width": int, "stride": int}``, all >= 1.
    name : str
        Function name for error messages.

    Returns
    -------
    H_out, W_out : int
        ``1 + (H - pool_height) // stride`` and the same for the width.

    Raises
    ------
    ShapeError
        When the window does not fit or the output size is not an integer; the message
        lists strides (and window sizes) that would give an integer output size.
    """
    example = "{'pool_height': 2, 'pool_width': 2, 'stride': 2}"
    ph = _int_option(pool_param, "pool_height", "pool_param", name, 1, example)
    pw = _int_option(pool_param, "pool_width", "pool_param", name, 1, example)
    stride = _int_option(pool_param, "stride", "pool_param", name, 1, example)
    _, _, H, W = x_shape
    if ph > H or pw > W:
        fail(
            name,
            f"a pooling window that fits in the input of H x W = {H} x {W}",
            f"pool_height x pool_width = {ph} x {pw}",
            "use a smaller window",
            ShapeError,
        )
    span_h, span_w = H - ph, W - pw
    if span_h % stride or span_w % stride:
        good_strides = _divisors(math.gcd(span_h, span_w))
        good_h = [p for p in range(1, H + 1) if (H - p) % stride == 0]
        good_w = [p for p in range(1, W + 1) if (W - p) % stride == 0]
        fail(
            name,
            f"(H - pool_height) and (W - pool_width) to be multiples of stride = {stride} "
            "so that the output size is an integer",
            f"H = {H}, W = {W}, pool_height = {ph}, pool_width = {pw}, giving "
            f"(H - pool_height) = {span_h} and (W - pool_width) = {span_w}, an output of "
            f"{1 + span_h / stride:g} x {1 + span_w / stride:g}",
            f"use stride {_join(good_strides)}; or with stride {stride} use pool_height "
            f"{_join(good_h)} and pool_width {_join(good_w)}; or crop or pad the input",
            ShapeError,
        )
    return 1 + span_h // stride, 1 + span_w // stride


def conv_inputs(x, w, b, conv_param, name="conv_forward_naive"):
    """Check the inputs of a convolution's forward pass; return its sizes and options.

    Parameters
    ----------
    x, w, b, conv_param
        As in :func:`conv_forward_naive`.
    name : str
        The calling layer's name, used in error messages.

    Returns
    -------
    H_out, W_out : int
        The output size H', W'.
    stride, pad : int

    Raises
    ------
    ShapeError, ConfigError
        Saying what was expected, what was passed, and how to fix it (for sizes that do
        not tile, the strides and paddings that would).
    """
    check_array(x, f"{name}: x", ndim=4, dims="(N, C, H, W)", floating=True)
    check_array(w, f"{name}: w", shape=(None, x.shape[1], None, None), dims="(F, C, HH, WW)")
    check_array(b, f"{name}: b", shape=(w.shape[0],), dims="(F,)")
    check_keys(conv_param, f"{name}: conv_param", ("stride", "pad"))
    H_out, W_out = conv_output_shape(x.shape, w.shape, conv_param, name)
    stride, pad = conv_param["stride"], conv_param["pad"]
    return H_out, W_out, stride, pad


def conv_backward_inputs(dout, cache, name="conv_backward_naive"):
    """Check the upstream gradient of a convolution against its cache; return the sizes.

    Parameters
    ----------
    dout, cache
        As in :func:`conv_backward_naive`.
    name : str
        The calling layer's name, used in error messages.

    Returns
    -------
    x, w : ndarray
        The forward pass's inputs and filters, from the cache.
    H_out, W_out : int
        The output size H', W'.
    stride, pad : int

    Raises
    ------
    ShapeError
        When ``dout`` is not of shape (N, F, H', W').
    """
    x, w, _, conv_param = cache
    H_out, W_out = conv_output_shape(x.shape, w.shape, conv_param, name)
    check_array(
        dout, f"{name}: dout", shape=(x.shape[0], w.shape[0], H_out, W_out), dims="(N, F, H', W')"
    )
    return x, w, H_out, W_out, conv_param["stride"], conv_param["pad"]


def pool_inputs(x, pool_param, name="max_pool_forward_naive"):
    """Check the inputs of a pooling layer's forward pass; return its sizes and options.

    Parameters
    ----------
    x, pool_param
        As in :func:`max_pool_forward_naive`.
    name : str
        The calling layer's name, used in error messages.

    Returns
    -------
    H_out, W_out : int
        The output size H', W'.
    ph, pw, stride : int
        The window's height and width, and the step between windows.

    Raises
    ------
    ShapeError, ConfigError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_array(x, f"{name}: x", ndim=4, dims="(N, C, H, W)", floating=True)
    check_keys(pool_param, f"{name}: pool_param", ("pool_height", "pool_width", "stride"))
    H_out, W_out = pool_output_shape(x.shape, pool_param, name)
    return H_out, W_out, pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]


def pool_backward_inputs(dout, cache, name="max_pool_backward_naive"):
    """Check the upstream gradient of a pooling layer against its cache; return the sizes.

    Parameters
    ----------
    dout, cache
        As in :func:`max_pool_backward_naive`.
    name : str
        The calling layer's name, used in error messages.

    Returns
    -------
    x : ndarray of shape (N, C, H, W)
        The forward pass's input, from the cache.
    H_out, W_out, ph, pw, stride : int
        As returned by :func:`pool_inputs`.

    Raises
    ------
    ShapeError
        When ``dout`` is not of shape (N, C, H', W').
    """
    x, pool_param = cache
    H_out, W_out = pool_output_shape(x.shape, pool_param, name)
    check_array(dout, f"{name}: dout", shape=(*x.shape[:2], H_out, W_out), dims="(N, C, H', W')")
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    return x, H_out, W_out, ph, pw, stride


def conv_forward_naive(x, w, b, conv_param):
    """Forward pass of a convolutional layer, with explicit loops.

    Filter f slides over the zero-padded input in steps of ``stride``; at each
    position the output is the sum of the elementwise product of the filter and the
    window (over all C channels) plus ``b[f]``.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    w : ndarray of shape (F, C, HH, WW)
        Filters.
    b : ndarray of shape (F,)
        Biases.
    conv_param : dict
        ``"stride"``: step between windows (int >= 1); ``"pad"``: zeros added on each
        side of H and W (int >= 0).

    Returns
    -------
    out : ndarray of shape (N, F, H', W')
        ``H' = 1 + (H + 2 * pad - HH) // stride``, ``W' = 1 + (W + 2 * pad - WW) // stride``.
    cache : tuple
        ``(x, w, b, conv_param)``.
    """
    H_out, W_out, stride, pad = conv_inputs(x, w, b, conv_param)
    # TODO(a2_conv_forward_naive): zero-pad H and W with np.pad, then loop over samples,
    # filters and output positions (i, j); the window of (i, j) starts at row i * stride,
    # column j * stride and spans all channels.
    ### BEGIN SOLUTION
    N, _, _, _ = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    r, c = i * stride, j * stride
                    window = xp[n, :, r : r + HH, c : c + WW]  # (C, HH, WW)
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    ### END SOLUTION
    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    """Backward pass of a convolutional layer, with explicit loops.

    Parameters
    ----------
    dout : ndarray of shape (N, F, H', W')
        Upstream gradient.
    cache : tuple
        ``(x, w, b, conv_param)`` from :func:`conv_forward_naive`.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
    """
    x, w, H_out, W_out, stride, pad = conv_backward_inputs(dout, cache)
    # TODO(a2_conv_backward_naive): dx (N, C, H, W), dw (F, C, HH, WW) and db (F,). Loop
    # over the same windows as the forward pass; work out what each output element
    # dout[n, f, i, j] adds to dw[f] and to its window of the padded input's gradient.
    # Windows overlap, so accumulate; remove the padding from dx at the end.
    ### BEGIN SOLUTION
    N, _, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    r, c = i * stride, j * stride
                    dw[f] += xp[n, :, r : r + HH, c : c + WW] * dout[n, f, i, j]
                    dxp[n, :, r : r + HH, c : c + WW] += w[f] * dout[n, f, i, j]
    dx = dxp[:, :, pad : pad + H, pad : pad + W]
    ### END SOLUTION
    return dx, dw, db


def max_pool_forward_naive(x, pool_param):
    """Forward pass of max pooling, with explicit loops (no padding).

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    pool_param : dict
        ``"pool_height"``, ``"pool_width"``: window size; ``"stride"``: step between
        windows.  Windows may overlap (stride smaller than the window).

    Returns
    -------
    out : ndarray of shape (N, C, H', W')
        ``H' = 1 + (H - pool_height) // stride``, ``W' = 1 + (W - pool_width) // stride``.
    cache : tuple
        ``(x, pool_param)``.
    """
    H_out, W_out, ph, pw, stride = pool_inputs(x, pool_param)
    # TODO(a2_max_pool_forward_naive): loop over output positions (i, j); the window starts
    # at row i * stride, column j * stride; take its max over axes (2, 3) for all samples
    # and channels at once.
    ### BEGIN SOLUTION
    N, C, _, _ = x.shape
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            r, c = i * stride, j * stride
            out[:, :, i, j] = x[:, :, r : r + ph, c : c + pw].max(axis=(2, 3))
    ### END SOLUTION
    cache = (x, pool_param)
    return out, cache


def max_pool_backward_naive(dout, cache):
    """Backward pass of max pooling, with explicit loops.

    Each window's gradient goes to its maximum; when several elements tie, to the
    first one in row-major order (what ``np.argmax`` returns).  Overlapping windows
    may share a maximum, so the contributions are added up.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H', W')
        Upstream gradient.
    cache : tuple
        ``(x, pool_param)`` from :func:`max_pool_forward_naive`.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    """
    x, H_out, W_out, ph, pw, stride = pool_backward_inputs(dout, cache)
    # TODO(a2_max_pool_backward_naive): for each sample, channel and window, find where the
    # max is (np.argmax, np.unravel_index) and ADD dout there with +=: overlapping windows
    # can share a maximum.
    ### BEGIN SOLUTION
    N, C, _, _ = x.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for ch in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    r, c = i * stride, j * stride
                    window = x[n, ch, r : r + ph, c : c + pw]
                    dr, dc = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, ch, r + dr, c + dc] += dout[n, ch, i, j]
    ### END SOLUTION
    return dx


def avg_pool_forward_naive(x, pool_param):
    """Forward pass of average pooling, with explicit loops (no padding).

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    pool_param : dict
        ``"pool_height"``, ``"pool_width"``: window size; ``"stride"``: step between
        windows.  Windows may overlap (stride smaller than the window).

    Returns
    -------
    out : ndarray of shape (N, C, H', W')
        The mean of each window; H' and W' as in :func:`max_pool_forward_naive`.
    cache : tuple
        ``(x, pool_param)``.
    """
    H_out, W_out, ph, pw, stride = pool_inputs(x, pool_param, "avg_pool_forward_naive")
    # TODO(a2_avg_pool_forward_naive): out has shape (N, C, H_out, W_out); out[:, :, i, j]
    # summarises the window that starts at row i * stride, column j * stride.
    ### BEGIN SOLUTION
    N, C, _, _ = x.shape
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            r, c = i * stride, j * stride
            out[:, :, i, j] = x[:, :, r : r + ph, c : c + pw].mean(axis=(2, 3))
    ### END SOLUTION
    cache = (x, pool_param)
    return out, cache


def avg_pool_backward_naive(dout, cache):
    """Backward pass of average pooling, with explicit loops.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H', W')
        Upstream gradient.
    cache : tuple
        ``(x, pool_param)`` from :func:`avg_pool_forward_naive`.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    """
    x, H_out, W_out, ph, pw, stride = pool_backward_inputs(dout, cache, "avg_pool_backward_naive")
    # TODO(a2_avg_pool_backward_naive): dx has x's shape; every element of a window has the
    # same influence on that window's output. Windows may overlap.
    ### BEGIN SOLUTION
    dx = np.zeros_like(x)
    for i in range(H_out):
        for j in range(W_out):
            r, c = i * stride, j * stride
            dx[:, :, r : r + ph, c : c + pw] += dout[:, :, i, j][:, :, None, None] / (ph * pw)
    ### END SOLUTION
    return dx
