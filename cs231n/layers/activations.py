"""Elementwise activation layers: ReLU, leaky ReLU, sigmoid, tanh, ELU and SiLU.

Each has ``<name>_forward(x, ...) -> (out, cache)`` and ``<name>_backward(dout, cache)
-> dx``, works on arrays of any shape, and keeps the dtype of ``x``.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import check_array, check_positive

__all__ = [
    "elu_backward",
    "elu_forward",
    "leaky_relu_backward",
    "leaky_relu_forward",
    "relu_backward",
    "relu_forward",
    "sigmoid_backward",
    "sigmoid_forward",
    "silu_backward",
    "silu_forward",
    "tanh_backward",
    "tanh_forward",
]


def relu_forward(x):
    """Forward pass of a rectified linear unit, ``max(0, x)``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.

    Returns
    -------
    out : ndarray of the shape of x
    cache : ndarray
        ``x``, for :func:`relu_backward`.
    """
    check_array(x, "relu_forward: x", floating=True)
    # TODO(a1_relu_forward): keep the positive entries of x and set the others to zero.
    ### BEGIN SOLUTION
    out = np.maximum(x, 0)
    cache = x
    ### END SOLUTION
    return out, cache


def relu_backward(dout, cache):
    """Backward pass of a ReLU.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : ndarray
        ``x`` from :func:`relu_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
        The gradient flows where ``x > 0`` (at exactly 0 it is taken as 0).
    """
    x = cache
    check_array(dout, "relu_backward: dout", shape=x.shape, dims="of x")
    # TODO(a1_relu_backward): the gradient passes through only where the input was positive.
    ### BEGIN SOLUTION
    dx = dout * (x > 0)
    ### END SOLUTION
    return dx


def leaky_relu_forward(x, negative_slope=0.01):
    """Forward pass of a leaky ReLU: ``x`` where ``x > 0``, else ``negative_slope * x``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.
    negative_slope : float
        Slope for negative inputs (>= 0).

    Returns
    -------
    out : ndarray of the shape of x
    cache : tuple
        ``(x, negative_slope)``.
    """
    check_array(x, "leaky_relu_forward: x", floating=True)
    negative_slope = float(
        check_positive(negative_slope, "leaky_relu_forward: negative_slope", allow_zero=True)
    )
    # TODO(a2_leaky_relu): like ReLU, but negative inputs are scaled by negative_slope, not zeroed.
    ### BEGIN SOLUTION
    out = np.where(x > 0, x, negative_slope * x)
    cache = (x, negative_slope)
    ### END SOLUTION
    return out, cache


def leaky_relu_backward(dout, cache):
    """Backward pass of a leaky ReLU.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : tuple
        ``(x, negative_slope)`` from :func:`leaky_relu_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    x, negative_slope = cache
    check_array(dout, "leaky_relu_backward: dout", shape=x.shape, dims="of x")
    # TODO(a2_leaky_relu): the local slope is 1 where x > 0 and negative_slope elsewhere.
    ### BEGIN SOLUTION
    dx = np.where(x > 0, dout, negative_slope * dout)
    ### END SOLUTION
    return dx


def sigmoid_forward(x):
    """Forward pass of the logistic sigmoid ``1 / (1 + exp(-x))``, stable for large ``|x|``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.

    Returns
    -------
    out : ndarray of the shape of x
        Values in [0, 1].
    cache : ndarray
        ``out``: the backward pass only needs the output.
    """
    check_array(x, "sigmoid_forward: x", floating=True)
    # TODO(a2_sigmoid): exp(-x) overflows for very negative x; compute z = exp(-|x|), which
    # never overflows, and write the sigmoid in terms of z separately for x >= 0 and x < 0.
    ### BEGIN SOLUTION
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    cache = out
    ### END SOLUTION
    return out, cache


def sigmoid_backward(dout, cache):
    """Backward pass of the sigmoid.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : ndarray
        The forward output ``s``.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    out = cache
    check_array(dout, "sigmoid_backward: dout", shape=out.shape, dims="of x")
    # TODO(a2_sigmoid): the derivative of the sigmoid is expressed through its own output.
    ### BEGIN SOLUTION
    dx = dout * out * (1 - out)
    ### END SOLUTION
    return dx


def tanh_forward(x):
    """Forward pass of the hyperbolic tangent.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.

    Returns
    -------
    out : ndarray of the shape of x
        Values in [-1, 1].
    cache : ndarray
        ``out``.
    """
    check_array(x, "tanh_forward: x", floating=True)
    # TODO(a2_tanh): numpy has tanh; cache what the backward pass needs.
    ### BEGIN SOLUTION
    out = np.tanh(x)
    cache = out
    ### END SOLUTION
    return out, cache


def tanh_backward(dout, cache):
    """Backward pass of tanh.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : ndarray
        The forward output ``t``.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    out = cache
    check_array(dout, "tanh_backward: dout", shape=out.shape, dims="of x")
    # TODO(a2_tanh): like the sigmoid, the derivative of tanh is a function of its output.
    ### BEGIN SOLUTION
    dx = dout * (1 - out**2)
    ### END SOLUTION
    return dx


def elu_forward(x, alpha=1.0):
    """Forward pass of the exponential linear unit.

    ``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.
    alpha : float
        Saturation value for very negative inputs is ``-alpha`` (>= 0).

    Returns
    -------
    out : ndarray of the shape of x
    cache : tuple
        ``(x, out, alpha)``.
    """
    check_array(x, "elu_forward: x", floating=True)
    alpha = float(check_positive(alpha, "elu_forward: alpha", allow_zero=True))
    # TODO(a2_elu): use np.expm1 on the negative part only (np.minimum(x, 0)), so that large
    # positive x cannot overflow in the branch np.where throws away.
    ### BEGIN SOLUTION
    out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))
    cache = (x, out, alpha)
    ### END SOLUTION
    return out, cache


def elu_backward(dout, cache):
    """Backward pass of the ELU.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : tuple
        ``(x, out, alpha)`` from :func:`elu_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    x, out, alpha = cache
    check_array(dout, "elu_backward: dout", shape=x.shape, dims="of x")
    # TODO(a2_elu): for x <= 0 the derivative alpha * exp(x) can be written with the output.
    ### BEGIN SOLUTION
    dx = np.where(x > 0, dout, dout * (out + alpha))
    ### END SOLUTION
    return dx


def silu_forward(x):
    """Forward pass of the SiLU (swish), ``x * sigmoid(x)``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.

    Returns
    -------
    out : ndarray of the shape of x
    cache : tuple
        ``(x, s)`` with ``s = sigmoid(x)``.
    """
    check_array(x, "silu_forward: x", floating=True)
    # TODO(a2_silu): compute a numerically stable sigmoid s of x (as in sigmoid_forward) and
    # multiply; keep s for the backward pass.
    ### BEGIN SOLUTION
    z = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    out = x * s
    cache = (x, s)
    ### END SOLUTION
    return out, cache


def silu_backward(dout, cache):
    """Backward pass of the SiLU.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : tuple
        ``(x, s)`` from :func:`silu_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    x, s = cache
    check_array(dout, "silu_backward: dout", shape=x.shape, dims="of x")
    # TODO(a2_silu): product rule on x * s(x), with s' = s * (1 - s).
    ### BEGIN SOLUTION
    dx = dout * s * (1 + x * (1 - s))
    ### END SOLUTION
    return dx
