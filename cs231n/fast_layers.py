"""Fast convolution and max-pooling layers in pure numpy (no Cython, no build step).

These layers compute exactly what the naive loops in :mod:`cs231n.layers.conv` compute,
with the same signatures and the same cache contract, so a model can switch between the
two freely: each ``*_backward_fast`` accepts the cache of its own fast forward **and**
the cache of the matching naive forward.

How they are fast
-----------------
Convolution (im2col + one matrix multiply)
    The padded input is seen through one strided window view of shape
    ``(N, C, HH, WW, Ho, Wo)`` -- building the view copies nothing -- which is copied
    into a contiguous "columns" array ``cols`` of shape ``(N, C*HH*WW + 1, Ho*Wo)``; the
    last row is all ones, so that the bias is one more column of the weight matrix.  The
    forward pass is then one (batched) matrix multiply ``[w | b] @ cols`` whose result,
    of shape ``(N, F, Ho*Wo)``, already is the NCHW output: no transpose, neither here
    nor for ``dout`` in the backward pass.  The backward pass gets ``[dw | db]`` from one
    more matrix multiply, ``sum_n dout[n] @ cols[n].T``, and ``dx`` from
    ``dcols = w.reshape(F, -1).T @ dout`` followed by a "col2im": a loop over the
    ``HH*WW`` filter offsets that adds slices of ``dcols`` into strided slices of the
    padded ``dx``.  For stride 1 the same sum is split by axis (a matrix multiply along
    the width, ``HH`` slice additions along the height), which is faster.
    ``np.add.at`` is never used: it is about ten times slower than slice additions.
Chunks
    Large batches are processed a few images at a time, so that each chunk of columns
    (about 2 MB) stays in the CPU cache; the columns are kept in the forward cache only
    when the whole batch's fit in 8 MB, and are otherwise rebuilt chunk by chunk in the
    backward pass (a cheap copy).
Max pooling
    For the common 2x2 window with stride 2 the forward pass is two ``np.maximum``
    calls (rows, then columns), an order of magnitude faster than
    ``x.reshape(...).max(axis=(3, 5))``.  Any other window and stride (overlapping
    windows included) loops over the ``PH*PW`` window offsets with strided slices.

Average pooling
    A sum of ``PH*PW`` strided slices of the input (one per window offset) divided by
    ``PH*PW``; the backward pass adds ``dout / (PH*PW)`` into the same slices.

Gradient of max pooling
    When several entries of a window tie for the maximum, the whole upstream gradient
    goes to the *first* of them in row-major window order, like ``np.argmax`` in the
    naive layer and like PyTorch.  With overlapping windows, an input that is the
    maximum of several windows accumulates the gradient of each of them.

All functions keep the floating dtype of their inputs (float32 stays float32), return
C-contiguous arrays, and never modify their arguments.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from cs231n.layers.conv import conv_output_shape, pool_output_shape
from cs231n.validation import ShapeError, check_array, check_keys, describe, fail

__all__ = [
    "avg_pool_backward_fast",
    "avg_pool_forward_fast",
    "conv_backward_fast",
    "conv_forward_fast",
    "max_pool_backward_fast",
    "max_pool_forward_fast",
]


# ----------------------------------------------------------------------------------------
# Geometry validation
# ----------------------------------------------------------------------------------------


def _check_conv(where, x, w, b, conv_param):
    """Validate the arguments of a convolution; return ``(stride, pad, Ho, Wo)``.

    The geometry check (and its error message listing paddings and strides that would
    work) is the naive layer's :func:`cs231n.layers.conv.conv_output_shape`.
    """
    check_array(x, f"{where}: x", ndim=4, dims="(N, C, H, W)", floating=True)
    check_array(
        w, f"{where}: w", shape=(None, x.shape[1], None, None), dims="(F, C, HH, WW)", floating=True
    )
    check_array(b, f"{where}: b", shape=(w.shape[0],), dims="(F,)", floating=True)
    if not isinstance(conv_param, dict):
        fail(
            f"{where}: conv_param",
            "a dict {'stride': int, 'pad': int}",
            describe(conv_param),
            None,
            TypeError,
        )
    check_keys(conv_param, f"{where}: conv_param", ("stride", "pad"))
    Ho, Wo = conv_output_shape(x.shape, w.shape, conv_param, where)
    return int(conv_param["stride"]), int(conv_param["pad"]), Ho, Wo


def _check_pool(where, x, pool_param):
    """Validate the arguments of a max pool; return ``(PH, PW, stride, Ho, Wo)``.

    The geometry check is the naive layer's :func:`cs231n.layers.conv.pool_output_shape`.
    """
    check_array(x, f"{where}: x", ndim=4, dims="(N, C, H, W)", floating=True)
    if not isinstance(pool_param, dict):
        fail(
            f"{where}: pool_param",
            "a dict {'pool_height': int, 'pool_width': int, 'stride': int}",
            describe(pool_param),
            None,
            TypeError,
        )
    check_keys(pool_param, f"{where}: pool_param", ("pool_height", "pool_width", "stride"))
    Ho, Wo = pool_output_shape(x.shape, pool_param, where)
    PH, PW = int(pool_param["pool_height"]), int(pool_param["pool_width"])
    return PH, PW, int(pool_param["stride"]), Ho, Wo


def _check_dout(where, dout, shape):
    check_array(dout, f"{where}: dout", dims="(N, F, Ho, Wo)", floating=True)
    if dout.shape != tuple(shape):
        fail(
            f"{where}: dout",
            f"the shape of the forward output, {tuple(shape)}",
            f"shape {dout.shape}",
            "pass the upstream gradient of this layer's output together with its own cache",
            ShapeError,
        )


# ----------------------------------------------------------------------------------------
# Convolution
# ----------------------------------------------------------------------------------------

# The columns of a whole batch are large (shape (a) of the benchmark: 30 MB in float32,
# (c): 75 MB), and allocating, filling and re-reading such arrays costs more than the
# arithmetic saved.  Larger batches are therefore processed in chunks of images whose
# columns take about this many bytes (they stay in the CPU cache, and the buffers are
# reused from chunk to chunk).  When the columns of the whole batch fit in
# _CACHE_COLS_BYTES they are built once and kept in the cache for the backward pass;
# otherwise the backward pass rebuilds them chunk by chunk (a cheap, cache-friendly copy).
_CHUNK_BYTES = 2 << 20
_CACHE_COLS_BYTES = 8 << 20
_SPLIT_STRIDE_1 = True  # stride-1 dx by _dx_rows_cols (False: col2im, for tests)


def _pad(x, pad):
    """Zero-pad the two spatial axes of ``x`` (returns ``x`` itself when pad is 0)."""
    if pad == 0:
        return x
    N, C, H, W = x.shape
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=x.dtype)
    xp[:, :, pad : pad + H, pad : pad + W] = x
    return xp


def _windows(x, HH, WW, stride, pad, Ho, Wo):
    """Read-only strided view of the padded input, shape ``(N, C, HH, WW, Ho, Wo)``.

    ``view[n, c, i, j, ho, wo] = xpad[n, c, ho*stride + i, wo*stride + j]``; nothing is
    copied except the zero padding.
    """
    xp = _pad(x, pad)
    N, C = xp.shape[:2]
    sn, sc, sh, sw = xp.strides
    return as_strided(
        xp,
        shape=(N, C, HH, WW, Ho, Wo),
        strides=(sn, sc, sh, sw, sh * stride, sw * stride),
        writeable=False,
    )


def _chunk_size(N, K, P, itemsize):
    """Images per chunk, so that a chunk of columns takes about _CHUNK_BYTES."""
    return int(max(1, min(N, _CHUNK_BYTES // (K * P * itemsize))))


def _column_buffer(nb, C, HH, WW, Ho, Wo, dtype):
    """Buffer ``cols`` of shape (nb, C*HH*WW + 1, Ho*Wo) whose last row is all ones.

    The row of ones turns the bias into one more column of the weight matrix, so the
    forward matrix multiply adds the bias and the dw matrix multiply yields db.  Also
    returns the writable 6-D view ``(nb, C, HH, WW, Ho, Wo)`` of the other rows, for
    copying the windows in.
    """
    K, P = C * HH * WW, Ho * Wo
    cols = np.empty((nb, K + 1, P), dtype=dtype)
    cols[:, K] = 1
    it = cols.itemsize
    rows = as_strided(
        cols,
        shape=(nb, C, HH, WW, Ho, Wo),
        strides=((K + 1) * P * it, HH * WW * P * it, WW * P * it, P * it, Wo * it, it),
    )
    return cols, rows


def conv_forward_fast(x, w, b, conv_param):
    """Convolution forward pass via im2col and one matrix multiply.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Input images (float32 or float64).
    w : ndarray of shape (F, C, HH, WW)
        Filters.
    b : ndarray of shape (F,)
        Biases.
    conv_param : dict
        ``{"stride": int >= 1, "pad": int >= 0}``; the input is zero-padded by ``pad`` on
        each side of both spatial axes.

    Returns
    -------
    out : ndarray of shape (N, F, Ho, Wo)
        ``Ho = 1 + (H + 2*pad - HH) // stride`` and ``Wo = 1 + (W + 2*pad - WW) // stride``;
        both divisions must be exact.  C-contiguous, dtype ``np.result_type(x, w)``.
    cache : tuple
        For :func:`conv_backward_fast`: ``(x, w, b, conv_param)`` like the naive layer,
        plus, when the batch is small enough, the input columns as a fifth entry.

    Raises
    ------
    ShapeError
        Wrong shapes, or a geometry without an integer output size (the message lists
        paddings and strides that would work).
    ConfigError
        Missing, unknown or invalid ``conv_param`` entries.

    Notes
    -----
    ``cols[n, (c, i, j), (ho, wo)] = xpad[n, c, ho*stride + i, wo*stride + j]`` is one
    contiguous copy of a strided window view, with a last row of ones, and
    ``out[n] = [w.reshape(F, -1) | b] @ cols[n]`` is already in NCHW order: no
    transpose is needed.
    """
    stride, pad, Ho, Wo = _check_conv("conv_forward_fast", x, w, b, conv_param)
    N, C = x.shape[:2]
    F, _, HH, WW = w.shape
    K, P = C * HH * WW, Ho * Wo
    view = _windows(x, HH, WW, stride, pad, Ho, Wo)
    wb = np.empty((F, K + 1), dtype=w.dtype)  # [w | b]
    wb[:, :K] = w.reshape(F, K)
    wb[:, K] = b
    out = np.empty((N, F, P), dtype=np.result_type(x.dtype, w.dtype))
    nb = _chunk_size(N, K, P, x.itemsize)
    keep = N * (K + 1) * P * x.itemsize <= _CACHE_COLS_BYTES  # keep all columns for backward
    cols, rows = _column_buffer(N if keep else nb, C, HH, WW, Ho, Wo, x.dtype)
    for n0 in range(0, N, nb):
        n1 = min(N, n0 + nb)
        c0, c1 = (n0, n1) if keep else (0, n1 - n0)
        np.copyto(rows[c0:c1], view[n0:n1])
        np.matmul(wb, cols[c0:c1], out=out[n0:n1])  # (F, K+1) @ (m, K+1, P) -> (m, F, P)
    cache = (x, w, b, conv_param)
    if keep:
        cache += (cols,)
    return out.reshape(N, F, Ho, Wo), cache


def _unpack_conv_cache(cache):
    """Accept the fast cache (x, w, b, conv_param[, cols]) or the naive (x, w, b, conv_param)."""
    if not isinstance(cache, tuple) or len(cache) not in (4, 5):
        fail(
            "conv_backward_fast: cache",
            "the cache of conv_forward_fast or conv_forward_naive, a tuple "
            "(x, w, b, conv_param) with optional input columns",
            describe(cache),
            "pass the second value returned by the forward pass",
            TypeError,
        )
    x, w, b, conv_param = cache[:4]
    stride, pad, Ho, Wo = _check_conv("conv_backward_fast (cache)", x, w, b, conv_param)
    cols = cache[4] if len(cache) == 5 else None
    return x, w, stride, pad, Ho, Wo, cols


def _dx_rows_cols(dout, w, x_shape, pad, dtype):
    """dx of a stride-1 convolution, split along the two spatial axes.

    Along the width, dx is a convolution of the (zero-padded) ``dout`` with the filters
    flipped left-right: im2col of ``dout`` over the WW column offsets, then one matrix
    multiply per chunk gives, for every filter row i,

    ``g[n, c, i, ho, v] = sum_{f, j} dout[n, f, ho, v + pad - j] * w[f, c, i, j]``

    (terms outside ``dout`` are zero).  Along the height, a loop over the HH filter rows
    adds the shifted slices: ``dx[n, c, h, :] = sum_i g[n, c, i, h + pad - i, :]``.  This
    does the work of col2im with HH contiguous additions instead of HH*WW strided ones.
    """
    N, C, H, W = x_shape
    F, _, HH, WW = w.shape
    Ho, Wo = dout.shape[2:]
    qw = WW - 1 - pad  # zeros on each side of dout along the width (may be negative)
    Wq = W + WW - 1
    dpw = np.zeros((N, F, Ho, Wq), dtype=dout.dtype)
    lo, hi = max(0, qw), min(Wq, qw + Wo)
    dpw[..., lo:hi] = dout[..., lo - qw : hi - qw]
    sn, sf, sh, sw = dpw.strides
    view = as_strided(dpw, (N, F, WW, Ho, W), (sn, sf, sw, sh, sw), writeable=False)
    K2, P2 = F * WW, Ho * W
    # w_rows[(c, i), (f, j')] = w[f, c, i, WW - 1 - j']
    w_rows = np.ascontiguousarray(w[:, :, :, ::-1].transpose(1, 2, 0, 3)).reshape(C * HH, K2)
    dx = np.zeros((N, C, H, W), dtype=dtype)
    nb = _chunk_size(N, K2, P2, dout.itemsize)
    buf = np.empty((nb, F, WW, Ho, W), dtype=dout.dtype)
    g = np.empty((nb, C * HH, P2), dtype=dtype)
    for n0 in range(0, N, nb):
        n1 = min(N, n0 + nb)
        m = n1 - n0
        np.copyto(buf[:m], view[n0:n1])
        np.matmul(w_rows, buf[:m].reshape(m, K2, P2), out=g[:m])  # (C*HH,K2)@(m,K2,P2)
        g5 = g[:m].reshape(m, C, HH, Ho, W)
        dxc = dx[n0:n1]
        for i in range(HH):
            h0, h1 = max(0, i - pad), min(H, i - pad + Ho)  # rows h with 0 <= h+pad-i < Ho
            if h1 > h0:
                dxc[:, :, h0:h1] += g5[:, :, i, h0 + pad - i : h1 + pad - i]
    return dx


def _phase_slices(r, stride, pad, size):
    """Map the padded-grid positions ``r, r + stride, ...`` onto the unpadded axis.

    Returns ``(t0, count, first)``: phase-grid entries ``t0 .. t0 + count - 1`` land on
    unpadded positions ``first, first + stride, ...`` (count may be 0).
    """
    t0 = max(0, -((r - pad) // stride))  # first t with r + stride*t - pad >= 0
    t1 = (size - 1 + pad - r) // stride  # last t with r + stride*t - pad <= size - 1
    return t0, max(0, t1 - t0 + 1), r + stride * t0 - pad


def _dx_col2im(d3, w, x_shape, stride, pad, Ho, Wo, dtype):
    """dx as ``dcols = w2.T @ dout`` per chunk, then strided-slice additions ("col2im").

    The padded input grid is split into ``stride x stride`` phases (positions with the
    same remainders modulo the stride).  Filter offset ``(i, j)`` only touches phase
    ``(i % stride, j % stride)``, at a shift of ``(i // stride, j // stride)``, so each
    phase is summed on its own small contiguous grid with one ``+=`` per offset, then
    written once, with a strided slice, into ``dx`` (padding cropped on the way).  For
    stride 1 there is a single phase: the padded ``dx`` itself.
    """
    N, C, H, W = x_shape
    F, _, HH, WW = w.shape
    K, P = C * HH * WW, Ho * Wo
    s = stride
    w2t = w.reshape(F, K).T
    nb = _chunk_size(N, K, P, np.dtype(dtype).itemsize)
    dcols = np.empty((nb, C, HH, WW, Ho, Wo), dtype=dtype)
    dx = np.empty((N, C, H, W), dtype=dtype)
    Hp, Wp = H + 2 * pad, W + 2 * pad
    phases = []
    for ri in range(min(s, Hp)):
        th0, nh, h0 = _phase_slices(ri, s, pad, H)
        for rj in range(min(s, Wp)):
            tw0, nw, v0 = _phase_slices(rj, s, pad, W)
            grid = (len(range(ri, Hp, s)), len(range(rj, Wp, s)))
            phases.append((ri, rj, grid, (th0, nh, h0), (tw0, nw, v0)))
    for n0 in range(0, N, nb):
        n1 = min(N, n0 + nb)
        m = n1 - n0
        np.matmul(w2t, d3[n0:n1], out=dcols[:m].reshape(m, K, P))  # (K,F)@(m,F,P)
        for ri, rj, grid, (th0, nh, h0), (tw0, nw, v0) in phases:
            if nh == 0 or nw == 0:
                continue
            acc = np.zeros((m, C, *grid), dtype=dtype)
            for i in range(ri, HH, s):
                a = i // s
                for j in range(rj, WW, s):
                    c = j // s
                    acc[:, :, a : a + Ho, c : c + Wo] += dcols[:m, :, i, j]
            dx[n0:n1, :, h0 : h0 + s * nh : s, v0 : v0 + s * nw : s] = acc[
                :, :, th0 : th0 + nh, tw0 : tw0 + nw
            ]
    return dx


def conv_backward_fast(dout, cache, *, need_dx=True):
    """Convolution backward pass: matrix multiplies plus a strided-slice col2im.

    Parameters
    ----------
    dout : ndarray of shape (N, F, Ho, Wo)
        Upstream gradient.
    cache : tuple
        The cache of :func:`conv_forward_fast`, or the cache ``(x, w, b, conv_param)`` of
        ``conv_forward_naive`` (the input columns are then rebuilt).
    need_dx : bool, keyword-only
        False skips the gradient with respect to the input and returns ``dx = None``.
        A network's first layer does not need it (its input is the data), and it is
        the costliest part of the backward pass when C is small: about a quarter of a
        ThreeLayerConvNet training step.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W), or None
        Gradient with respect to ``x`` (None when ``need_dx`` is False).
    dw : ndarray of shape (F, C, HH, WW)
        Gradient with respect to ``w``.
    db : ndarray of shape (F,)
        Gradient with respect to ``b``.

    Notes
    -----
    ``[dw | db] = sum_n dout[n] @ cols[n].T`` (chunk by chunk; the row of ones in
    ``cols`` gives ``db``).  For ``dx`` there are two routes:

    * col2im (any stride): ``dcols = w.reshape(F, -1).T @ dout``, then each filter
      offset ``(i, j)`` adds ``dcols[:, :, i, j]`` into the input positions it came
      from, ``dxpad[:, :, i : i + stride*Ho : stride, j : j + stride*Wo : stride]``;
    * stride 1 (faster, 1.2-3x measured): the same sum split by axis, a matrix multiply
      along the width and HH slice additions along the height (:func:`_dx_rows_cols`).
    """
    x, w, stride, pad, Ho, Wo, cols = _unpack_conv_cache(cache)
    N, C = x.shape[:2]
    F, _, HH, WW = w.shape
    K, P = C * HH * WW, Ho * Wo
    _check_dout("conv_backward_fast", dout, (N, F, Ho, Wo))
    dtype = np.result_type(x.dtype, w.dtype, dout.dtype)
    d3 = dout.reshape(N, F, P)  # a view when dout is C-contiguous

    # [dw | db][f, k] = sum_n sum_p dout[n, f, p] * cols[n, k, p]
    nb = _chunk_size(N, K, P, x.itemsize)
    if cols is None:
        view = _windows(x, HH, WW, stride, pad, Ho, Wo)
        buf, rows = _column_buffer(nb, C, HH, WW, Ho, Wo, x.dtype)
    dwb = np.zeros((F, K + 1), dtype=dtype)
    parts = np.empty((nb, F, K + 1), dtype=dtype)
    for n0 in range(0, N, nb):
        n1 = min(N, n0 + nb)
        m = n1 - n0
        if cols is None:
            np.copyto(rows[:m], view[n0:n1])
            c3 = buf[:m]
        else:
            c3 = cols[n0:n1]
        np.matmul(d3[n0:n1], c3.transpose(0, 2, 1), out=parts[:m])
        if m == 1:
            dwb += parts[0]
        else:
            dwb += parts[:m].sum(axis=0)

    if not need_dx:
        dx = None
    elif stride == 1 and _SPLIT_STRIDE_1:
        dx = _dx_rows_cols(dout, w, x.shape, pad, dtype)
    else:
        dx = _dx_col2im(d3, w, x.shape, stride, pad, Ho, Wo, dtype)
    dw = np.ascontiguousarray(dwb[:, :K]).reshape(w.shape)
    db = np.ascontiguousarray(dwb[:, K])
    return dx, dw, db


# ----------------------------------------------------------------------------------------
# Max pooling
# ----------------------------------------------------------------------------------------


def _is_2x2_stride2(x, PH, PW, stride):
    return PH == 2 and PW == 2 and stride == 2 and x.shape[2] % 2 == 0 and x.shape[3] % 2 == 0


def _pool_forward(x, PH, PW, stride, Ho, Wo):
    """Window maxima; shape (N, C, Ho, Wo), C-contiguous."""
    if _is_2x2_stride2(x, PH, PW, stride):
        N, C, H, W = x.shape
        xr = x.reshape(N, C, H // 2, 2, W)  # copies only if x is not contiguous
        rows = np.maximum(xr[:, :, :, 0], xr[:, :, :, 1])  # (N, C, H/2, W)
        return np.maximum(rows[..., 0::2], rows[..., 1::2])
    hs, ws = stride * Ho, stride * Wo
    out = np.array(x[:, :, 0:hs:stride, 0:ws:stride], order="C", copy=True)
    for i in range(PH):
        for j in range(PW):
            if i or j:
                np.maximum(out, x[:, :, i : i + hs : stride, j : j + ws : stride], out=out)
    return out


def max_pool_forward_fast(x, pool_param):
    """Max-pooling forward pass without Python loops over pixels.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Input (float32 or float64).
    pool_param : dict
        ``{"pool_height": PH, "pool_width": PW, "stride": S}``.  Windows may overlap
        (``S < PH``); there is no padding.

    Returns
    -------
    out : ndarray of shape (N, C, Ho, Wo)
        ``Ho = 1 + (H - PH) // S``, ``Wo = 1 + (W - PW) // S``; both divisions must be
        exact.  Same dtype as ``x``, C-contiguous.
    cache : tuple
        ``(x, pool_param, out)`` for :func:`max_pool_backward_fast`.

    Notes
    -----
    2x2 windows with stride 2 on an even-sized input use two ``np.maximum`` calls on a
    reshaped view; any other geometry loops over the ``PH*PW`` window offsets.
    """
    PH, PW, stride, Ho, Wo = _check_pool("max_pool_forward_fast", x, pool_param)
    out = _pool_forward(x, PH, PW, stride, Ho, Wo)
    return out, (x, pool_param, out)


def max_pool_backward_fast(dout, cache):
    """Max-pooling backward pass: the gradient goes to the first maximum of each window.

    Parameters
    ----------
    dout : ndarray of shape (N, C, Ho, Wo)
        Upstream gradient.
    cache : tuple
        The cache ``(x, pool_param, out)`` of :func:`max_pool_forward_fast`, or the cache
        ``(x, pool_param)`` of ``max_pool_forward_naive`` (the maxima are then recomputed).

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
        Gradient with respect to ``x``.  Within each window only the first maximal entry
        (row-major window order, as ``np.argmax``) receives the window's gradient;
        overlapping windows accumulate.
    """
    if not isinstance(cache, tuple) or len(cache) not in (2, 3):
        fail(
            "max_pool_backward_fast: cache",
            "the cache of max_pool_forward_fast (x, pool_param, out) "
            "or of max_pool_forward_naive (x, pool_param)",
            describe(cache),
            "pass the second value returned by the forward pass",
            TypeError,
        )
    x, pool_param = cache[:2]
    PH, PW, stride, Ho, Wo = _check_pool("max_pool_backward_fast (cache)", x, pool_param)
    N, C, H, W = x.shape
    _check_dout("max_pool_backward_fast", dout, (N, C, Ho, Wo))
    out = cache[2] if len(cache) == 3 else _pool_forward(x, PH, PW, stride, Ho, Wo)
    dtype = np.result_type(x.dtype, dout.dtype)

    taken = np.zeros((N, C, Ho, Wo), dtype=bool)  # window already gave its gradient away
    hit = np.empty((N, C, Ho, Wo), dtype=bool)
    hs, ws = stride * Ho, stride * Wo
    if _is_2x2_stride2(x, PH, PW, stride):
        # Windows tile the input: each input pixel belongs to exactly one window, so every
        # entry of dx is written exactly once (no accumulation, no zero fill needed).
        dx = np.empty((N, C, H, W), dtype=dtype)
        for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)):
            np.equal(x[:, :, i::2, j::2], out, out=hit)
            if i or j:
                np.greater(hit, taken, out=hit)  # hit and not taken
            taken |= hit
            np.multiply(dout, hit, out=dx[:, :, i::2, j::2])
        return dx

    dx = np.zeros((N, C, H, W), dtype=dtype)
    tmp = np.empty((N, C, Ho, Wo), dtype=dtype)
    for i in range(PH):
        for j in range(PW):
            np.equal(x[:, :, i : i + hs : stride, j : j + ws : stride], out, out=hit)
            if i or j:
                np.greater(hit, taken, out=hit)  # hit and not taken
            taken |= hit
            np.multiply(dout, hit, out=tmp)
            dx[:, :, i : i + hs : stride, j : j + ws : stride] += tmp
    return dx


# ----------------------------------------------------------------------------------------
# Average pooling
# ----------------------------------------------------------------------------------------


def avg_pool_forward_fast(x, pool_param):
    """Average-pooling forward pass: a loop over the ``PH*PW`` window offsets, not pixels.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Input (float32 or float64).
    pool_param : dict
        ``{"pool_height": PH, "pool_width": PW, "stride": S}``; windows may overlap.

    Returns
    -------
    out : ndarray of shape (N, C, Ho, Wo)
        The mean of every window, as :func:`cs231n.layers.conv.avg_pool_forward_naive`.
    cache : tuple
        ``(x, pool_param)``, the naive layer's cache.
    """
    PH, PW, stride, Ho, Wo = _check_pool("avg_pool_forward_fast", x, pool_param)
    hs, ws = stride * Ho, stride * Wo
    out = np.array(x[:, :, 0:hs:stride, 0:ws:stride], order="C", copy=True)
    for i in range(PH):
        for j in range(PW):
            if i or j:
                out += x[:, :, i : i + hs : stride, j : j + ws : stride]
    out /= PH * PW
    return out, (x, pool_param)


def avg_pool_backward_fast(dout, cache):
    """Average-pooling backward pass; accepts the cache of the fast or the naive forward.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
        Every input gets ``dout / (PH*PW)`` from each window that contains it.
    """
    if not isinstance(cache, tuple) or len(cache) != 2:
        fail(
            "avg_pool_backward_fast: cache",
            "the cache (x, pool_param) of avg_pool_forward_fast or avg_pool_forward_naive",
            describe(cache),
            "pass the second value returned by the forward pass",
            TypeError,
        )
    x, pool_param = cache
    PH, PW, stride, Ho, Wo = _check_pool("avg_pool_backward_fast (cache)", x, pool_param)
    N, C, H, W = x.shape
    _check_dout("avg_pool_backward_fast", dout, (N, C, Ho, Wo))
    share = dout / (PH * PW)
    dx = np.zeros((N, C, H, W), dtype=np.result_type(x.dtype, share.dtype))
    hs, ws = stride * Ho, stride * Wo
    for i in range(PH):
        for j in range(PW):
            dx[:, :, i : i + hs : stride, j : j + ws : stride] += share
    return dx
