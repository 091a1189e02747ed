"""Sandwich layers: common stacks of layers as one forward/backward pair.

Each sandwich chains layers and keeps their caches in a tuple; its backward runs the
layers' backwards in reverse.  The convolutional ones use the fast layers of
:mod:`cs231n.fast_layers`.

The layers are looked up as module-level names at call time, so after
``cs231n.plug_in(relu_forward, relu_backward)`` every sandwich here uses the student's
ReLU.
"""

from __future__ import annotations

from cs231n.fast_layers import (
    conv_backward_fast,
    conv_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)
from cs231n.layers.activations import relu_backward, relu_forward
from cs231n.layers.affine import affine_backward, affine_forward
from cs231n.layers.normalization import spatial_batchnorm_backward, spatial_batchnorm_forward

__all__ = [
    "affine_relu_backward",
    "affine_relu_forward",
    "conv_bn_relu_backward",
    "conv_bn_relu_forward",
    "conv_relu_backward",
    "conv_relu_forward",
    "conv_relu_pool_backward",
    "conv_relu_pool_forward",
]


def affine_relu_forward(x, w, b):
    """Affine layer followed by a ReLU.

    Parameters
    ----------
    x : ndarray of shape (N, d_1, ..., d_k)
        Inputs.
    w : ndarray of shape (D, M)
        Weights, D = d_1 * ... * d_k.
    b : ndarray of shape (M,)
        Biases.

    Returns
    -------
    out : ndarray of shape (N, M)
    cache : tuple
        ``(fc_cache, relu_cache)``.
    """
    a, fc_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    return out, (fc_cache, relu_cache)


def affine_relu_backward(dout, cache):
    """Backward pass of :func:`affine_relu_forward`.

    Parameters
    ----------
    dout : ndarray of shape (N, M)
        Upstream gradient.
    cache : tuple
        ``(fc_cache, relu_cache)``.

    Returns
    -------
    dx : ndarray of shape (N, d_1, ..., d_k)
    dw : ndarray of shape (D, M)
    db : ndarray of shape (M,)
    """
    fc_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    return affine_backward(da, fc_cache)


def conv_relu_forward(x, w, b, conv_param):
    """Convolution (fast) followed by a ReLU.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    w : ndarray of shape (F, C, HH, WW)
        Filters.
    b : ndarray of shape (F,)
        Biases.
    conv_param : dict
        ``{"stride": int, "pad": int}``.

    Returns
    -------
    out : ndarray of shape (N, F, H', W')
    cache : tuple
        ``(conv_cache, relu_cache)``.
    """
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    out, relu_cache = relu_forward(a)
    return out, (conv_cache, relu_cache)


def conv_relu_backward(dout, cache):
    """Backward pass of :func:`conv_relu_forward`.

    Parameters
    ----------
    dout : ndarray of shape (N, F, H', W')
        Upstream gradient.
    cache : tuple
        ``(conv_cache, relu_cache)``.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
    """
    conv_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    return conv_backward_fast(da, conv_cache)


def conv_bn_relu_forward(x, w, b, gamma, beta, conv_param, bn_param):
    """Convolution (fast), spatial batch normalization, then a ReLU.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    w : ndarray of shape (F, C, HH, WW)
        Filters.
    b : ndarray of shape (F,)
        Biases.
    gamma, beta : ndarray of shape (F,)
        Scale and shift of the batch normalization, per output channel.
    conv_param : dict
        ``{"stride": int, "pad": int}``.
    bn_param : dict
        As in :func:`cs231n.layers.spatial_batchnorm_forward`; its running averages
        are updated in place of the dict.

    Returns
    -------
    out : ndarray of shape (N, F, H', W')
    cache : tuple
        ``(conv_cache, bn_cache, relu_cache)``.
    """
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    an, bn_cache = spatial_batchnorm_forward(a, gamma, beta, bn_param)
    out, relu_cache = relu_forward(an)
    return out, (conv_cache, bn_cache, relu_cache)


def conv_bn_relu_backward(dout, cache):
    """Backward pass of :func:`conv_bn_relu_forward` (train mode).

    Parameters
    ----------
    dout : ndarray of shape (N, F, H', W')
        Upstream gradient.
    cache : tuple
        ``(conv_cache, bn_cache, relu_cache)``.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
    dgamma, dbeta : ndarray of shape (F,)
    """
    conv_cache, bn_cache, relu_cache = cache
    dan = relu_backward(dout, relu_cache)
    da, dgamma, dbeta = spatial_batchnorm_backward(dan, bn_cache)
    dx, dw, db = conv_backward_fast(da, conv_cache)
    return dx, dw, db, dgamma, dbeta


def conv_relu_pool_forward(x, w, b, conv_param, pool_param):
    """Convolution (fast), ReLU, then max pooling (fast).

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    w : ndarray of shape (F, C, HH, WW)
        Filters.
    b : ndarray of shape (F,)
        Biases.
    conv_param : dict
        ``{"stride": int, "pad": int}``.
    pool_param : dict
        ``{"pool_height": int, "pool_width": int, "stride": int}``.

    Returns
    -------
    out : ndarray of shape (N, F, H'', W'')
    cache : tuple
        ``(conv_cache, relu_cache, pool_cache)``.
    """
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    s, relu_cache = relu_forward(a)
    out, pool_cache = max_pool_forward_fast(s, pool_param)
    return out, (conv_cache, relu_cache, pool_cache)


def conv_relu_pool_backward(dout, cache, *, need_dx=True):
    """Backward pass of :func:`conv_relu_pool_forward`.

    Parameters
    ----------
    dout : ndarray of shape (N, F, H'', W'')
        Upstream gradient.
    cache : tuple
        ``(conv_cache, relu_cache, pool_cache)``.
    need_dx : bool
        ``False`` skips the gradient of the input, which the first layer of a
        network never needs (it saves about a quarter of the backward pass).

    Returns
    -------
    dx : ndarray of shape (N, C, H, W), or None when ``need_dx`` is False
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
    """
    conv_cache, relu_cache, pool_cache = cache
    ds = max_pool_backward_fast(dout, pool_cache)
    da = relu_backward(ds, relu_cache)
    return conv_backward_fast(da, conv_cache, need_dx=need_dx)
