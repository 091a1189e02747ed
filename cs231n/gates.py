"""Backpropagation through single gates, and perceptrons as logic gates.

The gates follow the layer contract of the whole kit on the smallest possible scale:
``*_forward(inputs) -> (out, cache)`` and ``*_backward(dout, cache) -> grads``, where
``dout`` is the upstream gradient dL/dout and the grads are dL/d(input) by the chain
rule.  Inputs may be Python floats or ndarrays of the same shape (elementwise gates).

The second half builds logic gates from perceptrons ``step(x @ w + b)``: AND, NAND and
OR are one perceptron each, and XOR, which no single perceptron can compute, is the
two-layer composition ``AND(NAND(x), OR(x))``.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import ShapeError, check_array, check_choice, fail

__all__ = [
    "add_gate_backward",
    "add_gate_forward",
    "logic_gate_weights",
    "max_gate_backward",
    "max_gate_forward",
    "multiply_gate_backward",
    "multiply_gate_forward",
    "perceptron_forward",
    "sigmoid_gate_backward",
    "sigmoid_gate_forward",
    "xor_forward",
]


def add_gate_forward(x, y):
    """Forward pass of ``out = x + y``.

    Parameters
    ----------
    x, y : float or ndarray of the same shape

    Returns
    -------
    out : float or ndarray
        ``x + y``.
    cache : object
        What the backward pass needs (nothing, for an add gate).
    """
    # TODO(a1_gate_add): compute out = x + y; the add gate needs no cache (use None).
    ### BEGIN SOLUTION
    out = x + y
    cache = None
    ### END SOLUTION
    return out, cache


def add_gate_backward(dout, cache):
    """Backward pass of the add gate: it routes ``dout`` unchanged to both inputs.

    Parameters
    ----------
    dout : float or ndarray
        Upstream gradient dL/dout.
    cache : object
        From :func:`add_gate_forward`.

    Returns
    -------
    dx, dy : float or ndarray
        dL/dx and dL/dy.
    """
    # TODO(a1_gate_add): dx and dy (each of dout's shape): dout times the local gradient of
    # x + y with respect to that input.
    ### BEGIN SOLUTION
    dx = 1.0 * dout
    dy = 1.0 * dout
    ### END SOLUTION
    return dx, dy


def multiply_gate_forward(x, y):
    """Forward pass of ``out = x * y`` (elementwise).

    Parameters
    ----------
    x, y : float or ndarray of the same shape

    Returns
    -------
    out : float or ndarray
        ``x * y``.
    cache : tuple
        ``(x, y)``.
    """
    # TODO(a1_gate_multiply): compute out = x * y and cache both inputs.
    ### BEGIN SOLUTION
    out = x * y
    cache = (x, y)
    ### END SOLUTION
    return out, cache


def multiply_gate_backward(dout, cache):
    """Backward pass of the multiply gate: each input gets ``dout`` times the *other* input.

    Parameters
    ----------
    dout : float or ndarray
        Upstream gradient dL/dout.
    cache : tuple
        ``(x, y)`` from :func:`multiply_gate_forward`.

    Returns
    -------
    dx, dy : float or ndarray
        dL/dx and dL/dy.
    """
    # TODO(a1_gate_multiply): dx and dy (each of dout's shape): dout times the local
    # gradient of x * y with respect to that input, read from the cached inputs.
    ### BEGIN SOLUTION
    x, y = cache
    dx = dout * y
    dy = dout * x
    ### END SOLUTION
    return dx, dy


def max_gate_forward(x, y):
    """Forward pass of ``out = max(x, y)`` (elementwise).

    Parameters
    ----------
    x, y : float or ndarray of the same shape

    Returns
    -------
    out : float or ndarray
        ``max(x, y)``.
    cache : tuple
        ``(x, y)``.
    """
    # TODO(a1_gate_max): compute the elementwise maximum (np.maximum) and cache both inputs.
    ### BEGIN SOLUTION
    out = np.maximum(x, y)
    cache = (x, y)
    ### END SOLUTION
    return out, cache


def max_gate_backward(dout, cache):
    """Backward pass of the max gate: ``dout`` goes to the larger input only.

    On a tie (``x == y``) the whole gradient goes to ``x``; the max is not
    differentiable there and any split is a valid subgradient, but the kit fixes this one.

    Parameters
    ----------
    dout : float or ndarray
        Upstream gradient dL/dout.
    cache : tuple
        ``(x, y)`` from :func:`max_gate_forward`.

    Returns
    -------
    dx, dy : float or ndarray
        dL/dx and dL/dy.
    """
    # TODO(a1_gate_max): route dout to x where x >= y (ties go to x) and to y elsewhere.
    ### BEGIN SOLUTION
    x, y = cache
    x_wins = np.greater_equal(x, y)
    dx = np.where(x_wins, dout, 0.0)
    dy = np.where(x_wins, 0.0, dout)
    if np.ndim(dx) == 0:
        dx, dy = float(dx), float(dy)
    ### END SOLUTION
    return dx, dy


def sigmoid_gate_forward(x):
    """Forward pass of the logistic sigmoid ``out = 1 / (1 + exp(-x))``.

    Parameters
    ----------
    x : float or ndarray

    Returns
    -------
    out : float or ndarray
        ``sigmoid(x)``, in (0, 1).
    cache : float or ndarray
        ``out`` itself: the derivative is a function of the output.
    """
    # TODO(a1_gate_sigmoid): compute out = 1 / (1 + exp(-x)) and cache out.
    ### BEGIN SOLUTION
    out = 1.0 / (1.0 + np.exp(-x))
    cache = out
    ### END SOLUTION
    return out, cache


def sigmoid_gate_backward(dout, cache):
    """Backward pass of the sigmoid.

    Parameters
    ----------
    dout : float or ndarray
        Upstream gradient dL/dout.
    cache : float or ndarray
        ``out`` from :func:`sigmoid_gate_forward`.

    Returns
    -------
    dx : float or ndarray
        dL/dx.
    """
    # TODO(a1_gate_sigmoid): dx (the shape of dout) is dout times the sigmoid's local
    # gradient; differentiate 1 / (1 + exp(-x)) and write the result with the cached out.
    ### BEGIN SOLUTION
    out = cache
    dx = dout * out * (1.0 - out)
    ### END SOLUTION
    return dx


def perceptron_forward(x, w, b):
    """A layer of one perceptron: ``step(x @ w + b)``, with step(z) = 1 if z > 0 else 0.

    Parameters
    ----------
    x : ndarray of shape (N, D)
        Inputs, one row per sample (for logic gates D = 2 and entries are 0 or 1).
    w : ndarray of shape (D,)
        Weights.
    b : float
        Bias.

    Returns
    -------
    out : ndarray of shape (N,), dtype int
        0 or 1 per sample.
    """
    check_array(x, "perceptron_forward: x", ndim=2, dims="(N, D)")
    check_array(w, "perceptron_forward: w", shape=(x.shape[1],), dims="(D,)")
    # TODO(a1_perceptron): compute z = x @ w + b and return 1 where z > 0, else 0, as ints.
    ### BEGIN SOLUTION
    z = x @ w + b
    out = (z > 0).astype(int)
    ### END SOLUTION
    return out


def logic_gate_weights(name):
    """Weights ``(w, b)`` of a perceptron that computes a two-input logic gate.

    Parameters
    ----------
    name : {"and", "nand", "or"}

    Returns
    -------
    w : ndarray of shape (2,)
    b : float
        Such that ``perceptron_forward(x, w, b)`` is the gate's truth table on the
        four rows of ``x in {0, 1}**2``.
    """
    check_choice(name, "logic_gate_weights: name", ("and", "nand", "or"))
    # TODO(a1_perceptron): for each gate, a weight vector w of shape (2,) and a float b
    # such that perceptron_forward fires on exactly the inputs where the gate is true.
    # Draw the four inputs and the line w . x + b = 0 if unsure.
    ### BEGIN SOLUTION
    table = {
        "and": (np.array([1.0, 1.0]), -1.5),
        "nand": (np.array([-1.0, -1.0]), 1.5),
        "or": (np.array([1.0, 1.0]), -0.5),
    }
    w, b = table[name]
    ### END SOLUTION
    return w, b


def xor_forward(x):
    """XOR of two binary inputs, as a two-layer network of perceptrons.

    A hidden layer of two perceptrons and one output perceptron on top of them, all with
    weights from :func:`logic_gate_weights`.

    Parameters
    ----------
    x : ndarray of shape (N, 2)
        Binary inputs.

    Returns
    -------
    out : ndarray of shape (N,), dtype int
    """
    check_array(x, "xor_forward: x", ndim=2, dims="(N, 2)")
    if x.shape[1] != 2:
        fail("xor_forward: x", "an array of shape (N, 2)", f"shape {x.shape}", None, ShapeError)
    # TODO(a1_perceptron): the hidden layer: two of the gates of logic_gate_weights applied
    # to x with perceptron_forward, stacked as the columns of h (N, 2); the output: one gate
    # applied to h, shape (N,). Which gates? Compare their truth tables with XOR's.
    ### BEGIN SOLUTION
    h = np.stack(
        [
            perceptron_forward(x, *logic_gate_weights("nand")),
            perceptron_forward(x, *logic_gate_weights("or")),
        ],
        axis=1,
    )
    out = perceptron_forward(h, *logic_gate_weights("and"))
    ### END SOLUTION
    return out
