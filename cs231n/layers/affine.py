"""Affine (fully connected) layer: ``out = x.reshape(N, D) @ w + b``."""

from __future__ import annotations

import numpy as np

from cs231n.validation import ShapeError, check_array, fail

__all__ = ["affine_backward", "affine_forward", "check_affine_inputs"]


def check_affine_inputs(x, w, b):
    """Check the inputs of :func:`affine_forward`.

    Parameters
    ----------
    x : ndarray of shape (N, d_1, ..., d_k)
    w : ndarray of shape (D, M), with D = d_1 * ... * d_k
    b : ndarray of shape (M,)

    Raises
    ------
    ShapeError, TypeError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_array(x, "affine_forward: x", floating=True, dims="(N, d_1, ..., d_k)")
    if x.ndim < 2:
        fail(
            "affine_forward: x",
            "an ndarray of shape (N, d_1, ..., d_k), at least 2 dimensions",
            f"shape {x.shape}",
            "a single sample needs a batch axis: x[None]",
            ShapeError,
        )
    check_array(w, "affine_forward: w", ndim=2, dims="(D, M)", floating=True)
    check_array(b, "affine_forward: b", shape=(w.shape[1],), dims="(M,)", floating=True)
    if int(np.prod(x.shape[1:])) != w.shape[0]:
        fail(
            "affine_forward: x",
            f"samples of D = {w.shape[0]} features (w has shape {w.shape})",
            f"shape {x.shape}, i.e. {int(np.prod(x.shape[1:]))} features per sample",
            "x's first axis is the batch; the product of the others must equal w.shape[0]",
            ShapeError,
        )


def affine_forward(x, w, b):
    """Forward pass of an affine layer.

    Each sample of ``x`` is flattened to a row of D = d_1 * ... * d_k features.

    Parameters
    ----------
    x : ndarray of shape (N, d_1, ..., d_k)
        A minibatch of N samples.
    w : ndarray of shape (D, M)
        Weights.
    b : ndarray of shape (M,)
        Biases.

    Returns
    -------
    out : ndarray of shape (N, M)
    cache : tuple
        ``(x, w, b)``, for :func:`affine_backward`.
    """
    check_affine_inputs(x, w, b)
    # TODO(a1_affine_forward): flatten each sample of x into a row, then out = rows @ w + b.
    ### BEGIN SOLUTION
    out = x.reshape(x.shape[0], -1) @ w + b
    cache = (x, w, b)
    ### END SOLUTION
    return out, cache


def affine_backward(dout, cache):
    """Backward pass of an affine layer.

    Parameters
    ----------
    dout : ndarray of shape (N, M)
        Upstream gradient.
    cache : tuple
        ``(x, w, b)`` from :func:`affine_forward`.

    Returns
    -------
    dx : ndarray of the shape of x, (N, d_1, ..., d_k)
    dw : ndarray of shape (D, M)
    db : ndarray of shape (M,)
    """
    x, w, _ = cache
    check_array(dout, "affine_backward: dout", shape=(x.shape[0], w.shape[1]), dims="(N, M)")
    # TODO(a1_affine_backward): use the flattened x for dw, and reshape dx back to x's shape.
    ### BEGIN SOLUTION
    x_rows = x.reshape(x.shape[0], -1)  # (N, D)
    dx = (dout @ w.T).reshape(x.shape)
    dw = x_rows.T @ dout
    db = dout.sum(axis=0)
    ### END SOLUTION
    return dx, dw, db
