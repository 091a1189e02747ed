"""Recurrent layers: vanilla RNN and LSTM cells, word embeddings, temporal affine and loss.

Shapes use the kit's glossary, with these letters for sequences:

* N -- minibatch size, T -- sequence length;
* D -- input size of one time step (a word vector), H -- hidden size (here H is the
  size of the hidden state, not an image height);
* V -- vocabulary size, M -- output size of a temporal affine layer.

Every layer is a pair ``*_forward(...) -> (out, cache)`` and ``*_backward(dout, cache)``,
as in :mod:`cs231n.layers`; no layer modifies its inputs or ``dout``.  Sequences are
batch-first: ``x[n, t]`` is the input of sample n at time t.

The sequence layers (:func:`rnn_forward`, :func:`lstm_forward`) compute the input
projections ``x[:, t] @ Wx`` of all T steps in one matrix product before the loop, and
their backward passes gather the per-step gradients to get ``dx``, ``dWx`` and ``dWh``
from three matrix products after the loop: only the work that depends on the previous
step stays inside the loop over time.  The step functions show the same computation for
a single step.

The LSTM gates are packed as ``a = x @ Wx + prev_h @ Wh + b`` of shape (N, 4H), split
into the input, forget and output gates and the candidate ``g`` in that order
(``i, f, o, g``), as in CS231n.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import ShapeError, check_array, fail

__all__ = [
    "lstm_backward",
    "lstm_forward",
    "lstm_step_backward",
    "lstm_step_forward",
    "rnn_backward",
    "rnn_forward",
    "rnn_step_backward",
    "rnn_step_forward",
    "sigmoid",
    "temporal_affine_backward",
    "temporal_affine_forward",
    "temporal_softmax_inputs",
    "temporal_softmax_loss",
    "word_embedding_backward",
    "word_embedding_forward",
    "word_embedding_inputs",
]


def sigmoid(x):
    """Logistic sigmoid ``1 / (1 + exp(-x))`` without overflow, in the dtype of ``x``.

    Computed as ``0.5 * tanh(0.5 * x) + 0.5``, which is the same function and never
    overflows for large negative ``x``.
    """
    out = np.tanh(0.5 * x)
    out *= 0.5
    out += 0.5
    return out


def _check_cell(name, x, prev_h, Wx, Wh, b, gates):
    check_array(x, f"{name}: x", ndim=2, dims="(N, D)", floating=True)
    N, D = x.shape
    check_array(prev_h, f"{name}: prev_h", ndim=2, dims="(N, H)", floating=True)
    H = prev_h.shape[1]
    check_array(prev_h, f"{name}: prev_h", shape=(N, H), dims="(N, H)")
    check_array(
        Wx, f"{name}: Wx", shape=(D, gates * H), dims=f"(D, {gates}H)" if gates > 1 else "(D, H)"
    )
    check_array(
        Wh, f"{name}: Wh", shape=(H, gates * H), dims=f"(H, {gates}H)" if gates > 1 else "(H, H)"
    )
    check_array(b, f"{name}: b", shape=(gates * H,), dims=f"({gates}H,)" if gates > 1 else "(H,)")


def _check_sequence(name, x, h0, Wx, Wh, b, gates):
    check_array(x, f"{name}: x", ndim=3, dims="(N, T, D)", floating=True)
    N, _, D = x.shape
    check_array(h0, f"{name}: h0", ndim=2, dims="(N, H)", floating=True)
    if h0.shape[0] != N:
        fail(
            f"{name}: h0",
            f"one initial hidden state per sample, shape ({N}, H)",
            f"shape {h0.shape}",
            "h0 has the batch size of x",
            ShapeError,
        )
    H = h0.shape[1]
    g = f"{gates}H" if gates > 1 else "H"
    check_array(Wx, f"{name}: Wx", shape=(D, gates * H), dims=f"(D, {g})")
    check_array(Wh, f"{name}: Wh", shape=(H, gates * H), dims=f"(H, {g})")
    check_array(b, f"{name}: b", shape=(gates * H,), dims=f"({g},)")


# ------------------------------------------------------------------------------ vanilla RNN
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One time step of a vanilla RNN: ``next_h = tanh(x @ Wx + prev_h @ Wh + b)``.

    Parameters
    ----------
    x : ndarray of shape (N, D)
        Inputs at this step.
    prev_h : ndarray of shape (N, H)
        Hidden state of the previous step.
    Wx : ndarray of shape (D, H)
        Input-to-hidden weights.
    Wh : ndarray of shape (H, H)
        Hidden-to-hidden weights.
    b : ndarray of shape (H,)
        Biases.

    Returns
    -------
    next_h : ndarray of shape (N, H)
    cache : tuple
        ``(x, prev_h, Wx, Wh, next_h)``, for :func:`rnn_step_backward`.
    """
    _check_cell("rnn_step_forward", x, prev_h, Wx, Wh, b, 1)
    # TODO(a3_rnn_step_forward): next_h (N, H) is tanh of an affine map of x (N, D) and
    # prev_h (N, H). Cache what the backward pass needs, next_h included.
    ### BEGIN SOLUTION
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    cache = (x, prev_h, Wx, Wh, next_h)
    ### END SOLUTION
    return next_h, cache


def rnn_step_backward(dnext_h, cache):
    """Backward pass of one vanilla RNN step.

    Parameters
    ----------
    dnext_h : ndarray of shape (N, H)
        Gradient of the loss with respect to ``next_h``.
    cache : tuple
        From :func:`rnn_step_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dprev_h : ndarray of shape (N, H)
    dWx : ndarray of shape (D, H)
    dWh : ndarray of shape (H, H)
    db : ndarray of shape (H,)
    """
    x, prev_h, Wx, Wh, next_h = cache
    check_array(dnext_h, "rnn_step_backward: dnext_h", shape=next_h.shape, dims="(N, H)")
    # TODO(a3_rnn_step_backward): back through tanh (its derivative written with the
    # cached next_h), then the two affine maps: dx (N, D), dprev_h (N, H), dWx, dWh, db.
    ### BEGIN SOLUTION
    da = dnext_h * (1 - next_h * next_h)
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    ### END SOLUTION
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(x, h0, Wx, Wh, b):
    """A vanilla RNN over a whole sequence, from the initial hidden state ``h0``.

    Parameters
    ----------
    x : ndarray of shape (N, T, D)
        Input sequences.
    h0 : ndarray of shape (N, H)
        Initial hidden states.
    Wx : ndarray of shape (D, H)
    Wh : ndarray of shape (H, H)
    b : ndarray of shape (H,)

    Returns
    -------
    h : ndarray of shape (N, T, H)
        Hidden states of every step (``h[:, t]`` is the state after input t).
    cache : tuple
        ``(x, h0, Wx, Wh, h)``, for :func:`rnn_backward`.
    """
    _check_sequence("rnn_forward", x, h0, Wx, Wh, b, 1)
    # TODO(a3_rnn_forward): loop over time with the step's formula, starting from h0;
    # the input projections x @ Wx + b of all T steps can be done before the loop.
    ### BEGIN SOLUTION
    N, T, _ = x.shape
    H = h0.shape[1]
    xw = (x.reshape(N * T, -1) @ Wx + b).reshape(N, T, H)  # every step's input term
    h = np.empty((N, T, H), dtype=np.result_type(x, h0, Wx))
    prev_h = h0
    for t in range(T):
        prev_h = np.tanh(xw[:, t] + prev_h @ Wh)
        h[:, t] = prev_h
    cache = (x, h0, Wx, Wh, h)
    ### END SOLUTION
    return h, cache


def rnn_backward(dh, cache):
    """Backward pass of :func:`rnn_forward`.

    Parameters
    ----------
    dh : ndarray of shape (N, T, H)
        Upstream gradients of all hidden states (for instance from a temporal affine
        layer on top).  The state of step t also feeds step t + 1, so its total gradient
        is ``dh[:, t]`` plus what flows back from step t + 1.

    Returns
    -------
    dx : ndarray of shape (N, T, D)
    dh0 : ndarray of shape (N, H)
    dWx : ndarray of shape (D, H)
    dWh : ndarray of shape (H, H)
    db : ndarray of shape (H,)
    """
    x, h0, Wx, Wh, h = cache
    check_array(dh, "rnn_backward: dh", shape=h.shape, dims="(N, T, H)")
    # TODO(a3_rnn_backward): walk the steps backwards, adding the gradient that flows from
    # step t + 1 into h[:, t] to dh[:, t]; sum the weight gradients over the steps.
    ### BEGIN SOLUTION
    N, T, H = h.shape
    da = np.empty_like(h)  # gradient of each step's pre-activation
    dprev = np.zeros((N, H), dtype=h.dtype)
    for t in range(T - 1, -1, -1):
        da_t = (dh[:, t] + dprev) * (1 - h[:, t] * h[:, t])
        da[:, t] = da_t
        dprev = da_t @ Wh.T
    dh0 = dprev
    h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)  # input state of each step
    da2 = da.reshape(N * T, H)
    dx = (da2 @ Wx.T).reshape(x.shape)
    dWx = x.reshape(N * T, -1).T @ da2
    dWh = h_prev.reshape(N * T, H).T @ da2
    db = da2.sum(axis=0)
    ### END SOLUTION
    return dx, dh0, dWx, dWh, db


# ------------------------------------------------------------------------------ LSTM
def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One time step of an LSTM.

    With ``a = x @ Wx + prev_h @ Wh + b`` split into four blocks of H columns,
    ``i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o)`` and ``g = tanh(a_g)``::

        next_c = f * prev_c + i * g
        next_h = o * tanh(next_c)

    Parameters
    ----------
    x : ndarray of shape (N, D)
    prev_h, prev_c : ndarray of shape (N, H)
        Hidden and cell states of the previous step.
    Wx : ndarray of shape (D, 4H)
    Wh : ndarray of shape (H, 4H)
    b : ndarray of shape (4H,)

    Returns
    -------
    next_h, next_c : ndarray of shape (N, H)
    cache : tuple
        For :func:`lstm_step_backward`.
    """
    _check_cell("lstm_step_forward", x, prev_h, Wx, Wh, b, 4)
    check_array(prev_c, "lstm_step_forward: prev_c", shape=prev_h.shape, dims="(N, H)")
    # TODO(a3_lstm_step_forward): one (N, 4H) product for all gates; sigmoid on the first
    # three blocks (i, f, o), tanh on the last (g); then the cell and hidden updates.
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    ifo = sigmoid(a[:, : 3 * H])
    i, f, o = ifo[:, :H], ifo[:, H : 2 * H], ifo[:, 2 * H :]
    g = np.tanh(a[:, 3 * H :])
    next_c = f * prev_c + i * g
    tanh_c = np.tanh(next_c)
    next_h = o * tanh_c
    cache = (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)
    ### END SOLUTION
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache):
    """Backward pass of one LSTM step.

    Parameters
    ----------
    dnext_h, dnext_c : ndarray of shape (N, H)
        Gradients of the loss with respect to ``next_h`` and ``next_c``.
    cache : tuple
        From :func:`lstm_step_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dprev_h, dprev_c : ndarray of shape (N, H)
    dWx : ndarray of shape (D, 4H)
    dWh : ndarray of shape (H, 4H)
    db : ndarray of shape (4H,)
    """
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    check_array(dnext_h, "lstm_step_backward: dnext_h", shape=prev_h.shape, dims="(N, H)")
    check_array(dnext_c, "lstm_step_backward: dnext_c", shape=prev_h.shape, dims="(N, H)")
    # TODO(a3_lstm_step_backward): next_c receives gradient both from dnext_c and, through
    # next_h, from dnext_h; go back through each gate's nonlinearity to one (N, 4H)
    # gradient of the gate inputs, then through the affine map as in the RNN.
    ### BEGIN SOLUTION
    dc = dnext_c + dnext_h * o * (1 - tanh_c * tanh_c)
    di = dc * g
    df = dc * prev_c
    do = dnext_h * tanh_c
    dg = dc * i
    da = np.concatenate(
        [di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g * g)], axis=1
    )
    dprev_c = dc * f
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    ### END SOLUTION
    return dx, dprev_h, dprev_c, dWx, dWh, db


def lstm_forward(x, h0, Wx, Wh, b):
    """An LSTM over a whole sequence; the initial cell state is zero.

    Parameters
    ----------
    x : ndarray of shape (N, T, D)
    h0 : ndarray of shape (N, H)
        Initial hidden states.
    Wx : ndarray of shape (D, 4H)
    Wh : ndarray of shape (H, 4H)
    b : ndarray of shape (4H,)

    Returns
    -------
    h : ndarray of shape (N, T, H)
        Hidden states of every step.
    cache : tuple
        For :func:`lstm_backward`.
    """
    _check_sequence("lstm_forward", x, h0, Wx, Wh, b, 4)
    # TODO(a3_lstm_forward): the step's formulas in a loop over time, with c0 = 0; the
    # input projections of all T steps can be computed before the loop.
    ### BEGIN SOLUTION
    N, T, _ = x.shape
    H = h0.shape[1]
    dtype = np.result_type(x, h0, Wx)
    # sigmoid(a) = 0.5 * tanh(a / 2) + 0.5: with the i, f, o columns of the weights
    # halved, one tanh over all 4H columns gives tanh(a / 2) for the gates and tanh(a)
    # for g.
    half = np.ones(4 * H, dtype=dtype)
    half[: 3 * H] = 0.5
    xw = (x.reshape(N * T, -1) @ (Wx * half) + b * half).reshape(N, T, 4 * H)
    Wh_half = Wh * half
    gates = np.empty((N, T, 4 * H), dtype=dtype)  # i, f, o, g after their nonlinearities
    c = np.empty((N, T, H), dtype=dtype)
    tanh_c = np.empty((N, T, H), dtype=dtype)
    h = np.empty((N, T, H), dtype=dtype)
    a = np.empty((N, 4 * H), dtype=dtype)
    prev_h, prev_c = h0, np.zeros((N, H), dtype=dtype)
    for t in range(T):
        np.matmul(prev_h, Wh_half, out=a)
        a += xw[:, t]
        gt = gates[:, t]
        np.tanh(a, out=gt)
        gt[:, : 3 * H] *= 0.5  # the sigmoids of i, f, o
        gt[:, : 3 * H] += 0.5
        i, f, o, g = gt[:, :H], gt[:, H : 2 * H], gt[:, 2 * H : 3 * H], gt[:, 3 * H :]
        ct = c[:, t]
        np.multiply(f, prev_c, out=ct)  # next_c = f * prev_c + i * g
        ct += i * g
        np.tanh(ct, out=tanh_c[:, t])
        np.multiply(o, tanh_c[:, t], out=h[:, t])  # next_h = o * tanh(next_c)
        prev_h, prev_c = h[:, t], ct
    cache = (x, h0, Wx, Wh, gates, c, tanh_c, h)
    ### END SOLUTION
    return h, cache


def lstm_backward(dh, cache):
    """Backward pass of :func:`lstm_forward`.

    Parameters
    ----------
    dh : ndarray of shape (N, T, H)
        Upstream gradients of all hidden states.

    Returns
    -------
    dx : ndarray of shape (N, T, D)
    dh0 : ndarray of shape (N, H)
    dWx : ndarray of shape (D, 4H)
    dWh : ndarray of shape (H, 4H)
    db : ndarray of shape (4H,)
    """
    x, h0, Wx, Wh, gates, c, tanh_c, h = cache
    check_array(dh, "lstm_backward: dh", shape=h.shape, dims="(N, T, H)")
    # TODO(a3_lstm_backward): walk the steps backwards carrying dprev_h and dprev_c, as
    # lstm_step_backward does; the cell state of step t - 1 is c[:, t - 1] (zero at t = 0).
    ### BEGIN SOLUTION
    N, T, H = h.shape
    da = np.empty_like(gates)
    dprev_h = np.zeros((N, H), dtype=h.dtype)
    dprev_c = np.zeros((N, H), dtype=h.dtype)
    zeros = np.zeros((N, H), dtype=h.dtype)
    WhT = np.ascontiguousarray(Wh.T)
    for t in range(T - 1, -1, -1):
        gt, th, dat = gates[:, t], tanh_c[:, t], da[:, t]
        i, f, o, g = gt[:, :H], gt[:, H : 2 * H], gt[:, 2 * H : 3 * H], gt[:, 3 * H :]
        prev_c = c[:, t - 1] if t > 0 else zeros
        dnext_h = dh[:, t] + dprev_h
        dc = dnext_h * o  # the cell state's gradient: through next_h ...
        dc *= 1 - th * th
        dc += dprev_c  # ... and from the next step
        # gradients of i, f, o, then through the three sigmoids at once: s * (1 - s)
        np.multiply(dc, g, out=dat[:, :H])
        np.multiply(dc, prev_c, out=dat[:, H : 2 * H])
        np.multiply(dnext_h, th, out=dat[:, 2 * H : 3 * H])
        sig = gt[:, : 3 * H]
        dat[:, : 3 * H] *= sig - sig * sig
        np.multiply(dc * i, 1 - g * g, out=dat[:, 3 * H :])  # g = tanh(a_g)
        dprev_c = dc * f
        dprev_h = dat @ WhT
    dh0 = dprev_h
    h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    da2 = da.reshape(N * T, 4 * H)
    dx = (da2 @ Wx.T).reshape(x.shape)
    dWx = x.reshape(N * T, -1).T @ da2
    dWh = h_prev.reshape(N * T, H).T @ da2
    db = da2.sum(axis=0)
    ### END SOLUTION
    return dx, dh0, dWx, dWh, db


# ------------------------------------------------------------------------------ words
def word_embedding_inputs(x, W):
    """Check the arguments of :func:`word_embedding_forward`.

    Parameters
    ----------
    x, W
        As in :func:`word_embedding_forward`.

    Raises
    ------
    ShapeError, TypeError, ValueError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_array(x, "word_embedding_forward: x", ndim=2, dims="(N, T)", integer=True)
    check_array(W, "word_embedding_forward: W", ndim=2, dims="(V, D)", floating=True)
    V = W.shape[0]
    if x.size and (x.min() < 0 or x.max() >= V):
        fail(
            "word_embedding_forward: x",
            f"word indices in [0, {V})",
            f"indices from {x.min()} to {x.max()}",
            "encode the words with the same vocabulary as W",
        )


def word_embedding_forward(x, W):
    """Look up a vector for every word index: ``out[n, t] = W[x[n, t]]``.

    Parameters
    ----------
    x : ndarray of shape (N, T), integer
        Word indices in [0, V).
    W : ndarray of shape (V, D)
        One word vector per row.

    Returns
    -------
    out : ndarray of shape (N, T, D)
    cache : tuple
        ``(x, W.shape, W.dtype)``, for :func:`word_embedding_backward`.
    """
    word_embedding_inputs(x, W)
    # TODO(a3_word_embedding_forward): out (N, T, D) holds, at [n, t], the row of W of the
    # word x[n, t]; no loop is needed.
    ### BEGIN SOLUTION
    out = W[x]
    cache = (x, W.shape, W.dtype)
    ### END SOLUTION
    return out, cache


def word_embedding_backward(dout, cache):
    """Backward pass of :func:`word_embedding_forward`: the gradient of ``W``.

    A word that occurs several times in the minibatch receives the sum of the gradients
    of all its occurrences (the indices repeat, so ``dW[x] += dout`` would be wrong).

    Parameters
    ----------
    dout : ndarray of shape (N, T, D)

    Returns
    -------
    dW : ndarray of shape (V, D)
    """
    x, shape, dtype = cache
    check_array(dout, "word_embedding_backward: dout", shape=(*x.shape, shape[1]), dims="(N, T, D)")
    # TODO(a3_word_embedding_backward): dW (V, D) gets each dout[n, t] added to the row of
    # word x[n, t]; a word used several times must get every one of its gradients.
    ### BEGIN SOLUTION
    dW = np.zeros(shape, dtype=np.result_type(dtype, dout))
    np.add.at(dW, x.reshape(-1), dout.reshape(-1, shape[1]))
    ### END SOLUTION
    return dW


def temporal_affine_forward(x, w, b):
    """The same affine layer at every time step: ``out[:, t] = x[:, t] @ w + b``.

    Parameters
    ----------
    x : ndarray of shape (N, T, D)
    w : ndarray of shape (D, M)
    b : ndarray of shape (M,)

    Returns
    -------
    out : ndarray of shape (N, T, M)
    cache : tuple
        ``(x, w, b)``.
    """
    check_array(x, "temporal_affine_forward: x", ndim=3, dims="(N, T, D)", floating=True)
    check_array(w, "temporal_affine_forward: w", shape=(x.shape[2], None), dims="(D, M)")
    check_array(b, "temporal_affine_forward: b", shape=(w.shape[1],), dims="(M,)")
    # TODO(a3_temporal_affine): fold time into the batch: (N * T, D) rows, one product.
    ### BEGIN SOLUTION
    N, T, D = x.shape
    out = (x.reshape(N * T, D) @ w + b).reshape(N, T, -1)
    cache = (x, w, b)
    ### END SOLUTION
    return out, cache


def temporal_affine_backward(dout, cache):
    """Backward pass of :func:`temporal_affine_forward`.

    Returns
    -------
    dx : ndarray of shape (N, T, D)
    dw : ndarray of shape (D, M)
    db : ndarray of shape (M,)
    """
    x, w, _ = cache
    N, T, D = x.shape
    M = w.shape[1]
    check_array(dout, "temporal_affine_backward: dout", shape=(N, T, M), dims="(N, T, M)")
    # TODO(a3_temporal_affine): the affine backward on the (N * T) rows.
    ### BEGIN SOLUTION
    d2 = dout.reshape(N * T, M)
    dx = (d2 @ w.T).reshape(N, T, D)
    dw = x.reshape(N * T, D).T @ d2
    db = d2.sum(axis=0)
    ### END SOLUTION
    return dx, dw, db


def temporal_softmax_inputs(x, y, mask):
    """Check the arguments of :func:`temporal_softmax_loss`; return N, T, V.

    Parameters
    ----------
    x, y, mask
        As in :func:`temporal_softmax_loss`.

    Raises
    ------
    ShapeError, TypeError, ValueError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_array(x, "temporal_softmax_loss: x", ndim=3, dims="(N, T, V)", floating=True)
    N, T, V = x.shape
    check_array(y, "temporal_softmax_loss: y", shape=(N, T), dims="(N, T)", integer=True)
    check_array(mask, "temporal_softmax_loss: mask", shape=(N, T), dims="(N, T)")
    if mask.dtype != np.bool_:
        fail(
            "temporal_softmax_loss: mask",
            "a boolean array",
            f"dtype {mask.dtype}",
            "build it with a comparison, e.g. mask = captions_out != null_index",
            TypeError,
        )
    return N, T, V


def temporal_softmax_loss(x, y, mask):
    """Softmax loss summed over the time steps that ``mask`` keeps, averaged over N.

    ``loss = -(1 / N) * sum over n, t with mask[n, t] of log softmax(x[n, t])[y[n, t]]``.
    Padding positions (``mask`` False, typically where ``y`` is ``<NULL>``) add nothing
    to the loss and get a zero gradient.  As in CS231n, the sum is divided by N, not by
    the number of kept tokens.

    Parameters
    ----------
    x : ndarray of shape (N, T, V)
        Scores over the vocabulary at every step.
    y : ndarray of shape (N, T), integer
        Target word indices in [0, V).
    mask : ndarray of shape (N, T), bool
        True where the target counts.

    Returns
    -------
    loss : float
    dx : ndarray of shape (N, T, V)
    """
    N, T, V = temporal_softmax_inputs(x, y, mask)
    if y.size and (y.min() < 0 or y.max() >= V):
        fail(
            "temporal_softmax_loss: y",
            f"word indices in [0, {V})",
            f"indices from {y.min()} to {y.max()}",
            "the scores need one column per word of the vocabulary",
        )
    # TODO(a3_temporal_softmax_loss): the softmax loss on the (N * T) rows, with every row
    # weighted by its mask; divide by N.
    ### BEGIN SOLUTION
    x2 = x.reshape(N * T, V)
    y2 = y.reshape(N * T)
    m2 = mask.reshape(N * T)
    shifted = x2 - x2.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N * T)
    loss = -log_probs[rows, y2][m2].sum() / N
    dx = np.exp(log_probs)
    dx[rows, y2] -= 1
    dx *= m2[:, None] / np.asarray(N, dtype=x.dtype)
    ### END SOLUTION
    return float(loss), dx.reshape(N, T, V)
