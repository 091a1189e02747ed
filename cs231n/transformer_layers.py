"""Attention and Transformer layers in numpy, every backward pass written out.

Shapes: N -- batch, S -- query positions, T -- key/value positions (for
self-attention S = T), E -- embedding size, h -- number of heads, ``E // h`` -- the
size of one head.  Sequences are batch-first, ``x[n, t]`` is token t of sample n.

* :func:`scaled_dot_product_attention_forward` -- ``softmax(q k^T / sqrt(d)) v`` with an
  optional boolean mask, True where a query may look at a key;
* :func:`causal_mask` (no looking at later tokens) and :func:`padding_mask` (no looking
  at ``<NULL>`` tokens), combined with ``&``;
* :func:`multihead_attention_forward` (queries from one sequence, keys and values from
  another: cross-attention) and :func:`multihead_self_attention_forward` (all three from
  one sequence, with one fused projection);
* :func:`positional_encoding` -- the sinusoidal encoding of "Attention Is All You Need";
* :func:`transformer_encoder_block_forward` and :func:`transformer_decoder_block_forward`
  -- *pre-norm* blocks: ``x + attention(layernorm(x))`` then ``x + mlp(layernorm(x))``
  (the decoder has a cross-attention sub-layer in between).  The MLP is
  affine - ReLU - affine.

Parameters are passed as a dict.  An attention layer uses the keys ``Wq, bq, Wk, bk, Wv,
bv, Wo, bo`` (each W of shape (E, E), each b of shape (E,)); a block uses prefixed keys
(see :func:`init_encoder_block`), so a model can keep every block's parameters in one
flat ``params`` dict, as the Solver wants.  Backward passes return the gradients of the
parameters as a dict with the same keys.

Layer normalization is :func:`cs231n.layers.normalization.layernorm_forward` applied to
the (N * T, E) rows; the MLP uses :func:`cs231n.rnn_layers.temporal_affine_forward` and
:func:`cs231n.layers.activations.relu_forward`.
"""

from __future__ import annotations

import numbers

import numpy as np

from cs231n.layers.activations import relu_backward, relu_forward
from cs231n.layers.normalization import layernorm_backward, layernorm_forward
from cs231n.rnn_layers import temporal_affine_backward, temporal_affine_forward
from cs231n.validation import ConfigError, ShapeError, check_array, fail

__all__ = [
    "ATTENTION_KEYS",
    "attention_inputs",
    "causal_mask",
    "init_attention",
    "init_decoder_block",
    "init_encoder_block",
    "multihead_attention_backward",
    "multihead_attention_forward",
    "multihead_inputs",
    "multihead_self_attention_backward",
    "multihead_self_attention_forward",
    "padding_mask",
    "positional_encoding",
    "scaled_dot_product_attention_backward",
    "scaled_dot_product_attention_forward",
    "subdict",
    "transformer_decoder_block_backward",
    "transformer_decoder_block_forward",
    "transformer_encoder_block_backward",
    "transformer_encoder_block_forward",
]

ATTENTION_KEYS = ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")


def subdict(params, prefix):
    """The entries of ``params`` whose names start with ``prefix``, without the prefix."""
    n = len(prefix)
    return {k[n:]: v for k, v in params.items() if k.startswith(prefix)}


def _prefixed(grads, prefix):
    return {prefix + k: v for k, v in grads.items()}


# ------------------------------------------------------------------------------ masks
def causal_mask(T):
    """(T, T) boolean mask, True on and below the diagonal: token t sees tokens 0..t."""
    return np.tril(np.ones((T, T), dtype=bool))


def padding_mask(tokens, null=0):
    """(N, 1, 1, T) boolean mask, True where ``tokens`` is not ``null``.

    It broadcasts against attention scores of shape (N, h, S, T): no query looks at a
    ``<NULL>`` key.

    Parameters
    ----------
    tokens : ndarray of shape (N, T), integer
    null : int
        Index of the padding token.
    """
    check_array(tokens, "padding_mask: tokens", ndim=2, dims="(N, T)", integer=True)
    return (tokens != null)[:, None, None, :]


# ------------------------------------------------------------------------------ attention
def attention_inputs(q, k, v, mask):
    """Check the arguments of :func:`scaled_dot_product_attention_forward`.

    Parameters
    ----------
    q, k, v, mask
        As in :func:`scaled_dot_product_attention_forward`.

    Raises
    ------
    ShapeError, TypeError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_array(q, "scaled_dot_product_attention_forward: q", dims="(..., S, d)", floating=True)
    check_array(k, "scaled_dot_product_attention_forward: k", ndim=q.ndim, dims="(..., T, d)")
    check_array(v, "scaled_dot_product_attention_forward: v", ndim=q.ndim, dims="(..., T, dv)")
    if k.shape[-1] != q.shape[-1] or v.shape[-2] != k.shape[-2]:
        fail(
            "scaled_dot_product_attention_forward",
            "q (..., S, d), k (..., T, d), v (..., T, dv)",
            f"shapes {q.shape}, {k.shape}, {v.shape}",
            "queries and keys share d; keys and values share T",
            ShapeError,
        )


def scaled_dot_product_attention_forward(q, k, v, mask=None):
    """``softmax(q @ k^T / sqrt(d), masked) @ v`` over the last two axes.

    Parameters
    ----------
    q : ndarray of shape (..., S, d)
        Queries.
    k : ndarray of shape (..., T, d)
        Keys.
    v : ndarray of shape (..., T, dv)
        Values.
    mask : ndarray of bool, broadcastable to (..., S, T), optional
        True where query s may attend to key t.  A query whose keys are all masked gets
        zero weights and a zero output.

    Returns
    -------
    out : ndarray of shape (..., S, dv)
    cache : tuple
        ``(q, k, v, attn, scale)``; ``attn`` (..., S, T) holds the attention weights
        (each row sums to 1, masked entries are exactly 0).
    """
    attention_inputs(q, k, v, mask)
    if mask is not None and (not isinstance(mask, np.ndarray) or mask.dtype != np.bool_):
        fail(
            "scaled_dot_product_attention_forward: mask",
            "a boolean ndarray, True where attention is allowed",
            f"{type(mask).__name__} of dtype {getattr(mask, 'dtype', None)}",
            "build it with causal_mask(T), padding_mask(tokens) or a comparison",
            TypeError,
        )
    # TODO(a3_scaled_dot_product_attention): scores of every query against every key,
    # divided by sqrt(d); masked scores become -inf before a row-wise softmax (minus the
    # row max); the output is the weighted sum of the values.
    ### BEGIN SOLUTION
    scale = 1.0 / np.sqrt(q.shape[-1])
    scores = q @ np.swapaxes(k, -1, -2)
    scores *= scale
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    row_max = scores.max(axis=-1, keepdims=True)
    if mask is not None:
        row_max = np.where(np.isfinite(row_max), row_max, 0)  # a fully masked row
    attn = np.exp(scores - row_max)
    total = attn.sum(axis=-1, keepdims=True)
    if mask is not None:
        total[total == 0] = 1
    attn /= total
    out = attn @ v
    cache = (q, k, v, attn, scale)
    ### END SOLUTION
    return out, cache


def scaled_dot_product_attention_backward(dout, cache):
    """Backward pass of :func:`scaled_dot_product_attention_forward`.

    Returns
    -------
    dq : ndarray of shape (..., S, d)
    dk : ndarray of shape (..., T, d)
    dv : ndarray of shape (..., T, dv)
    """
    q, k, v, attn, scale = cache
    check_array(
        dout,
        "scaled_dot_product_attention_backward: dout",
        shape=(*attn.shape[:-1], v.shape[-1]),
        dims="(..., S, dv)",
    )
    # TODO(a3_scaled_dot_product_attention): dq, dk, dv of q's, k's and v's shapes: back
    # through the weighted sum of the values, the row-wise softmax (derive its backward
    # from the cached weights) and the scaled product of queries and keys.
    ### BEGIN SOLUTION
    dv = np.swapaxes(attn, -1, -2) @ dout
    dattn = dout @ np.swapaxes(v, -1, -2)
    dscores = dattn - (dattn * attn).sum(axis=-1, keepdims=True)
    dscores *= attn
    dscores *= scale
    dq = dscores @ k
    dk = np.swapaxes(dscores, -1, -2) @ q
    ### END SOLUTION
    return dq, dk, dv


def _check_heads(E, num_heads, name):
    if (
        isinstance(num_heads, bool)
        or not isinstance(num_heads, numbers.Integral)
        or num_heads < 1
        or E % num_heads
    ):
        divisors = [d for d in range(1, E + 1) if E % d == 0]
        fail(
            f"{name}: num_heads",
            f"a number of heads that divides E = {E}",
            repr(num_heads),
            "use one of " + ", ".join(map(str, divisors[:8])),
            ConfigError,
        )


def _check_attention_params(params, E, name):
    missing = [key for key in ATTENTION_KEYS if key not in params]
    if missing:
        fail(
            f"{name}: params",
            "a dict with " + ", ".join(ATTENTION_KEYS),
            "no " + ", ".join(missing),
            "create them with init_attention(E)",
            ConfigError,
        )
    for key in ATTENTION_KEYS:
        shape = (E, E) if key[0] == "W" else (E,)
        check_array(
            params[key],
            f"{name}: params[{key!r}]",
            shape=shape,
            dims="(E, E)" if key[0] == "W" else "(E,)",
        )


def _split_heads(x, num_heads):
    N, S, E = x.shape
    return x.reshape(N, S, num_heads, E // num_heads).transpose(0, 2, 1, 3)


def _merge_heads(x):
    N, h, S, d = x.shape
    return x.transpose(0, 2, 1, 3).reshape(N * S, h * d)


def multihead_inputs(query, key, value, params, num_heads, name="multihead_attention_forward"):
    """Check the arguments of :func:`multihead_attention_forward`; return N, S, T, E.

    Parameters
    ----------
    query, key, value, params, num_heads
        As in :func:`multihead_attention_forward`.
    name : str
        The calling layer's name, used in error messages.

    Raises
    ------
    ShapeError, ConfigError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_array(query, f"{name}: query", ndim=3, dims="(N, S, E)", floating=True)
    N, S, E = query.shape
    check_array(key, f"{name}: key", shape=(N, None, E), dims="(N, T, E)")
    check_array(value, f"{name}: value", shape=key.shape, dims="(N, T, E)")
    _check_heads(E, num_heads, name)
    _check_attention_params(params, E, name)
    return N, S, key.shape[1], E


def multihead_attention_forward(query, key, value, params, num_heads, mask=None):
    """Multi-head attention: queries from ``query``, keys and values from ``key``/``value``.

    ``Q = query @ Wq + bq`` (likewise K, V) is split into ``num_heads`` heads of size
    ``E // num_heads``; each head runs scaled dot-product attention; the heads are
    concatenated and mixed by ``Wo, bo``.

    Parameters
    ----------
    query : ndarray of shape (N, S, E)
    key, value : ndarray of shape (N, T, E)
    params : dict
        ``Wq, bq, Wk, bk, Wv, bv, Wo, bo``.
    num_heads : int
        h, a divisor of E.
    mask : ndarray of bool, optional
        Broadcastable to (N, h, S, T): (S, T) for a causal mask, (N, 1, 1, T) for a
        padding mask.

    Returns
    -------
    out : ndarray of shape (N, S, E)
    cache : tuple
        For :func:`multihead_attention_backward`; ``cache[-1][3]`` are the attention
        weights (N, h, S, T).
    """
    N, S, T, E = multihead_inputs(query, key, value, params, num_heads)
    # TODO(a3_multihead_attention): three projections of the (N * S) or (N * T) rows,
    # split into heads (N, h, S, E // h), attention per head, heads merged back, output
    # projection.
    ### BEGIN SOLUTION
    p = params
    q = _split_heads((query.reshape(N * S, E) @ p["Wq"] + p["bq"]).reshape(N, S, E), num_heads)
    k = _split_heads((key.reshape(N * T, E) @ p["Wk"] + p["bk"]).reshape(N, T, E), num_heads)
    v = _split_heads((value.reshape(N * T, E) @ p["Wv"] + p["bv"]).reshape(N, T, E), num_heads)
    ctx, attn_cache = scaled_dot_product_attention_forward(q, k, v, mask)
    ctx2 = _merge_heads(ctx)  # (N * S, E)
    out = (ctx2 @ p["Wo"] + p["bo"]).reshape(N, S, E)
    cache = (query, key, value, params, num_heads, ctx2, attn_cache)
    ### END SOLUTION
    return out, cache


def multihead_attention_backward(dout, cache):
    """Backward pass of :func:`multihead_attention_forward`.

    Returns
    -------
    dquery : ndarray of shape (N, S, E)
    dkey, dvalue : ndarray of shape (N, T, E)
        For cross-attention with ``key is value`` (a decoder looking at its memory), the
        gradient of that one input is ``dkey + dvalue``.
    dparams : dict
        ``Wq, bq, ..., bo``.
    """
    query, key, value, p, num_heads, ctx2, attn_cache = cache
    N, S, E = query.shape
    T = key.shape[1]
    check_array(dout, "multihead_attention_backward: dout", shape=query.shape, dims="(N, S, E)")
    # TODO(a3_multihead_attention): the forward steps in reverse: output projection,
    # merge/split of heads (transposes), attention, then the three input projections.
    ### BEGIN SOLUTION
    d2 = dout.reshape(N * S, E)
    grads = {"Wo": ctx2.T @ d2, "bo": d2.sum(axis=0)}
    dctx = _split_heads((d2 @ p["Wo"].T).reshape(N, S, E), num_heads)
    dq, dk, dv = scaled_dot_product_attention_backward(dctx, attn_cache)
    dinputs = []
    for name, x, d, L in (("q", query, dq, S), ("k", key, dk, T), ("v", value, dv, T)):
        d_rows = _merge_heads(d)  # (N * L, E)
        grads[f"W{name}"] = x.reshape(N * L, E).T @ d_rows
        grads[f"b{name}"] = d_rows.sum(axis=0)
        dinputs.append((d_rows @ p[f"W{name}"].T).reshape(N, L, E))
    dquery, dkey, dvalue = dinputs
    ### END SOLUTION
    return dquery, dkey, dvalue, {k: grads[k] for k in ATTENTION_KEYS}


def multihead_self_attention_forward(x, params, num_heads, mask=None):
    """Multi-head self-attention: queries, keys and values all from ``x``.

    The same function as ``multihead_attention_forward(x, x, x, ...)``, with the three
    input projections done as one product by ``[Wq | Wk | Wv]`` of shape (E, 3E).

    Parameters
    ----------
    x : ndarray of shape (N, T, E)
    params : dict
        ``Wq, bq, Wk, bk, Wv, bv, Wo, bo``.
    num_heads : int
    mask : ndarray of bool, optional
        Broadcastable to (N, h, T, T), e.g. ``causal_mask(T)``.

    Returns
    -------
    out : ndarray of shape (N, T, E)
    cache : tuple
        For :func:`multihead_self_attention_backward`; ``cache[-1][3]`` are the
        attention weights (N, h, T, T).
    """
    name = "multihead_self_attention_forward"
    check_array(x, f"{name}: x", ndim=3, dims="(N, T, E)", floating=True)
    N, T, E = x.shape
    _check_heads(E, num_heads, name)
    _check_attention_params(params, E, name)
    # TODO(a3_multihead_attention): as multihead_attention_forward(x, x, x, ...), with the
    # three projections as one product by the (E, 3E) matrix [Wq | Wk | Wv].
    ### BEGIN SOLUTION
    p = params
    W = np.concatenate([p["Wq"], p["Wk"], p["Wv"]], axis=1)  # (E, 3E)
    b = np.concatenate([p["bq"], p["bk"], p["bv"]])
    qkv = (x.reshape(N * T, E) @ W + b).reshape(N, T, 3, num_heads, E // num_heads)
    qkv = qkv.transpose(2, 0, 3, 1, 4)  # (3, N, h, T, E // h)
    ctx, attn_cache = scaled_dot_product_attention_forward(qkv[0], qkv[1], qkv[2], mask)
    ctx2 = _merge_heads(ctx)
    out = (ctx2 @ p["Wo"] + p["bo"]).reshape(N, T, E)
    cache = (x, W, p["Wo"], num_heads, ctx2, attn_cache)
    ### END SOLUTION
    return out, cache


def multihead_self_attention_backward(dout, cache):
    """Backward pass of :func:`multihead_self_attention_forward`.

    Returns
    -------
    dx : ndarray of shape (N, T, E)
        The sum of the gradients through the queries, the keys and the values.
    dparams : dict
        ``Wq, bq, ..., bo``.
    """
    x, W, Wo, num_heads, ctx2, attn_cache = cache
    N, T, E = x.shape
    check_array(dout, "multihead_self_attention_backward: dout", shape=x.shape, dims="(N, T, E)")
    # TODO(a3_multihead_attention): as multihead_attention_backward, with dq, dk, dv stacked
    # into one (N * T, 3E) matrix: two products give dx and d[Wq | Wk | Wv].
    ### BEGIN SOLUTION
    d2 = dout.reshape(N * T, E)
    dWo, dbo = ctx2.T @ d2, d2.sum(axis=0)
    dctx = _split_heads((d2 @ Wo.T).reshape(N, T, E), num_heads)
    dq, dk, dv = scaled_dot_product_attention_backward(dctx, attn_cache)
    dqkv = np.stack([dq, dk, dv])  # (3, N, h, T, d)
    dqkv = dqkv.transpose(1, 3, 0, 2, 4).reshape(N * T, 3 * E)
    dW = x.reshape(N * T, E).T @ dqkv
    db = dqkv.sum(axis=0)
    dx = (dqkv @ W.T).reshape(N, T, E)
    grads = {
        "Wq": dW[:, :E],
        "Wk": dW[:, E : 2 * E],
        "Wv": dW[:, 2 * E :],
        "bq": db[:E],
        "bk": db[E : 2 * E],
        "bv": db[2 * E :],
        "Wo": dWo,
        "bo": dbo,
    }
    ### END SOLUTION
    return dx, {k: grads[k] for k in ATTENTION_KEYS}


# ------------------------------------------------------------------------------ positions
def positional_encoding(T, E, dtype=np.float64):
    """Sinusoidal positional encoding of T positions in E dimensions.

    ``pe[t, 2i] = sin(t / 10000 ** (2i / E))`` and ``pe[t, 2i + 1] = cos(...)``: every
    pair of columns is a sine and a cosine of one frequency, from one cycle per 2 pi
    positions (i = 0) down to one per 10000 * 2 pi.  The encoding of position t + k is
    a fixed rotation of that of t in each pair, whatever t is.

    Returns
    -------
    pe : ndarray of shape (T, E)
    """
    for value, what in ((T, "T"), (E, "E")):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            fail(f"positional_encoding: {what}", "a positive int", repr(value), None, ConfigError)
    # TODO(a3_positional_encoding): one frequency per column pair, angles t * frequency,
    # sines in the even columns and cosines in the odd ones.
    ### BEGIN SOLUTION
    positions = np.arange(T)[:, None]
    freqs = 10000.0 ** (-np.arange(0, E, 2) / E)  # (ceil(E / 2),)
    angles = positions * freqs  # (T, ceil(E / 2))
    pe = np.empty((T, E))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, : E // 2])
    ### END SOLUTION
    return pe.astype(dtype)


# ------------------------------------------------------------------------------ blocks
def init_attention(E, rng, dtype=np.float64):
    """Attention parameters: normal weights with std 1 / sqrt(E), zero biases."""
    p = {}
    for key in ATTENTION_KEYS:
        p[key] = (rng.standard_normal((E, E)) / np.sqrt(E)) if key[0] == "W" else np.zeros(E)
    return {k: v.astype(dtype) for k, v in p.items()}


def _init_mlp_and_norms(E, hidden, rng, norms):
    p = {}
    for i in range(1, norms + 1):
        p[f"ln{i}_gamma"] = np.ones(E)
        p[f"ln{i}_beta"] = np.zeros(E)
    p["mlp_W1"] = rng.standard_normal((E, hidden)) * np.sqrt(2.0 / E)  # He: a ReLU follows
    p["mlp_b1"] = np.zeros(hidden)
    p["mlp_W2"] = rng.standard_normal((hidden, E)) / np.sqrt(hidden)
    p["mlp_b2"] = np.zeros(E)
    return p


def init_encoder_block(E, hidden, rng, dtype=np.float64):
    """Parameters of :func:`transformer_encoder_block_forward`.

    Keys: ``ln1_gamma, ln1_beta, attn_Wq, ..., attn_bo, ln2_gamma, ln2_beta, mlp_W1``
    (E, hidden), ``mlp_b1``, ``mlp_W2`` (hidden, E), ``mlp_b2``.
    """
    p = _init_mlp_and_norms(E, hidden, rng, 2)
    p.update(_prefixed(init_attention(E, rng), "attn_"))
    return {k: v.astype(dtype) for k, v in p.items()}


def init_decoder_block(E, hidden, rng, dtype=np.float64):
    """Parameters of :func:`transformer_decoder_block_forward`.

    Keys: ``ln1_*``, ``self_*`` (self-attention), ``ln2_*``, ``cross_*``
    (cross-attention), ``ln3_*``, ``mlp_*``.
    """
    p = _init_mlp_and_norms(E, hidden, rng, 3)
    p.update(_prefixed(init_attention(E, rng), "self_"))
    p.update(_prefixed(init_attention(E, rng), "cross_"))
    return {k: v.astype(dtype) for k, v in p.items()}


def _ln_forward(x, p, i):
    N, T, E = x.shape
    out, cache = layernorm_forward(x.reshape(N * T, E), p[f"ln{i}_gamma"], p[f"ln{i}_beta"], {})
    return out.reshape(N, T, E), cache


def _ln_backward(dout, cache, grads, i):
    N, T, E = dout.shape
    dx, grads[f"ln{i}_gamma"], grads[f"ln{i}_beta"] = layernorm_backward(
        dout.reshape(N * T, E), cache
    )
    return dx.reshape(N, T, E)


def _mlp_forward(x, p):
    a, c1 = temporal_affine_forward(x, p["mlp_W1"], p["mlp_b1"])
    r, c2 = relu_forward(a)
    out, c3 = temporal_affine_forward(r, p["mlp_W2"], p["mlp_b2"])
    return out, (c1, c2, c3)


def _mlp_backward(dout, cache, grads):
    c1, c2, c3 = cache
    dr, grads["mlp_W2"], grads["mlp_b2"] = temporal_affine_backward(dout, c3)
    da = relu_backward(dr, c2)
    dx, grads["mlp_W1"], grads["mlp_b1"] = temporal_affine_backward(da, c1)
    return dx


def transformer_encoder_block_forward(x, params, num_heads, mask=None):
    """A pre-norm Transformer encoder block.

    ::

        x = x + self_attention(layernorm1(x))
        out = x + mlp(layernorm2(x))

    Parameters
    ----------
    x : ndarray of shape (N, T, E)
    params : dict
        From :func:`init_encoder_block`.
    num_heads : int
    mask : ndarray of bool, optional
        For the self-attention (e.g. a padding mask).

    Returns
    -------
    out : ndarray of shape (N, T, E)
    cache : tuple
    """
    check_array(x, "transformer_encoder_block_forward: x", ndim=3, dims="(N, T, E)", floating=True)
    # TODO(a3_transformer_block): each sub-layer sees a normalized copy of x and adds its
    # output back to x (the residual); nothing is normalized on the residual path.
    ### BEGIN SOLUTION
    a, c_ln1 = _ln_forward(x, params, 1)
    att, c_att = multihead_self_attention_forward(a, subdict(params, "attn_"), num_heads, mask)
    x1 = x + att
    m, c_ln2 = _ln_forward(x1, params, 2)
    y, c_mlp = _mlp_forward(m, params)
    out = x1 + y
    ### END SOLUTION
    return out, (c_ln1, c_att, c_ln2, c_mlp)


def transformer_encoder_block_backward(dout, cache):
    """Backward pass of :func:`transformer_encoder_block_forward`.

    Returns
    -------
    dx : ndarray of shape (N, T, E)
    dparams : dict
        Keyed like the block's parameters.
    """
    c_ln1, c_att, c_ln2, c_mlp = cache
    check_array(dout, "transformer_encoder_block_backward: dout", shape=c_att[0].shape)
    # TODO(a3_transformer_block): a residual passes its gradient through unchanged and
    # adds the gradient of its branch.
    ### BEGIN SOLUTION
    grads = {}
    dx1 = dout + _ln_backward(_mlp_backward(dout, c_mlp, grads), c_ln2, grads, 2)
    da, dattn = multihead_self_attention_backward(dx1, c_att)
    grads.update(_prefixed(dattn, "attn_"))
    dx = dx1 + _ln_backward(da, c_ln1, grads, 1)
    ### END SOLUTION
    return dx, grads


def transformer_decoder_block_forward(
    x, memory, params, num_heads, self_mask=None, memory_mask=None
):
    """A pre-norm Transformer decoder block: masked self-attention, cross-attention, MLP.

    ::

        x = x + self_attention(layernorm1(x), mask=self_mask)      # e.g. causal
        x = x + cross_attention(layernorm2(x), memory, memory_mask)
        out = x + mlp(layernorm3(x))

    Parameters
    ----------
    x : ndarray of shape (N, S, E)
        The sequence being decoded.
    memory : ndarray of shape (N, T, E)
        What the decoder looks at (e.g. image regions); its keys and values.
    params : dict
        From :func:`init_decoder_block`.
    num_heads : int
    self_mask, memory_mask : ndarray of bool, optional

    Returns
    -------
    out : ndarray of shape (N, S, E)
    cache : tuple
        ``cache[2][-1][3]`` are the cross-attention weights (N, h, S, T).
    """
    name = "transformer_decoder_block_forward"
    check_array(x, f"{name}: x", ndim=3, dims="(N, S, E)", floating=True)
    check_array(memory, f"{name}: memory", shape=(x.shape[0], None, x.shape[2]), dims="(N, T, E)")
    # TODO(a3_transformer_block): the encoder block's pattern, three sub-layers.
    ### BEGIN SOLUTION
    a, c_ln1 = _ln_forward(x, params, 1)
    att, c_self = multihead_self_attention_forward(
        a, subdict(params, "self_"), num_heads, self_mask
    )
    x1 = x + att
    b, c_ln2 = _ln_forward(x1, params, 2)
    cross, c_cross = multihead_attention_forward(
        b, memory, memory, subdict(params, "cross_"), num_heads, memory_mask
    )
    x2 = x1 + cross
    m, c_ln3 = _ln_forward(x2, params, 3)
    y, c_mlp = _mlp_forward(m, params)
    out = x2 + y
    ### END SOLUTION
    return out, (c_ln1, c_self, c_cross, c_ln2, c_ln3, c_mlp)


def transformer_decoder_block_backward(dout, cache):
    """Backward pass of :func:`transformer_decoder_block_forward`.

    Returns
    -------
    dx : ndarray of shape (N, S, E)
    dmemory : ndarray of shape (N, T, E)
    dparams : dict
    """
    c_ln1, c_self, c_cross, c_ln2, c_ln3, c_mlp = cache
    check_array(dout, "transformer_decoder_block_backward: dout", shape=c_self[0].shape)
    # TODO(a3_transformer_block): the encoder block's backward pattern, three sub-layers;
    # the memory's gradient comes from the cross-attention's keys and values.
    ### BEGIN SOLUTION
    grads = {}
    dx2 = dout + _ln_backward(_mlp_backward(dout, c_mlp, grads), c_ln3, grads, 3)
    db, dkey, dvalue, dcross = multihead_attention_backward(dx2, c_cross)
    grads.update(_prefixed(dcross, "cross_"))
    dx1 = dx2 + _ln_backward(db, c_ln2, grads, 2)
    da, dself = multihead_self_attention_backward(dx1, c_self)
    grads.update(_prefixed(dself, "self_"))
    dx = dx1 + _ln_backward(da, c_ln1, grads, 1)
    ### END SOLUTION
    return dx, dkey + dvalue, grads
