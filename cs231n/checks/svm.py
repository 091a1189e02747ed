"""Visible checks of svm.ipynb: the multiclass SVM loss and its gradient.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/svm.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/svm.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import register
from cs231n.checks.common import (
    check_close,
    check_gradient,
    check_scalar,
    check_unchanged,
    get,
    numeric_gradient,
    passed,
    regularization_hints,
    unpack,
)

NOTEBOOK = "svm"


def _linear_inputs(seed, N=10, D=6, C=4, scale=0.3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D))
    W = rng.normal(scale=scale, size=(D, C))
    y = rng.integers(0, C, size=N)
    return W, X, y


_REG = 0.3


def _check_linear_loss(fn, label, notebook, tag, extra_loss_hints=()):
    W = get(notebook, f"{tag}/W")
    X = get(notebook, f"{tag}/X")
    y = get(notebook, f"{tag}/y")
    want_loss = float(get(notebook, f"{tag}/loss"))
    want_dW = get(notebook, f"{tag}/dW")
    W0 = W.copy()
    loss, dW = unpack(fn(W, X, y, _REG), 2, label, "(loss, dW)")
    check_unchanged(f"{label}: W", W0, W)
    loss_hints, grad_hints = regularization_hints(_REG, W, want_loss, want_dW, X.shape[0])
    check_scalar(
        f"{label} loss (N={X.shape[0]}, reg={_REG})",
        loss,
        want_loss,
        rtol=1e-7,
        hints=[*extra_loss_hints(want_loss), *loss_hints],
    )
    if tag == "small":
        numeric = numeric_gradient(lambda w: fn(w, X, y, _REG)[0], W.copy())
        check_gradient(f"{label} dW", dW, numeric, tol=1e-6, hints=grad_hints)
    check_close(f"{label} dW", dW, want_dW, rtol=1e-6, atol=1e-10, hints=grad_hints)


def _svm_loss_hints(loss):
    return [
        (
            loss + 1.0,
            "the correct class is counted in the sum of margins (its margin is always 1): skip j == y[i].",
        )
    ]


def _no_hints(loss):
    del loss
    return []


@register("a1_svm_naive")
def check_svm_naive(svm_loss_naive):
    """Check the loop version of the SVM loss: value, numeric and expected gradient."""
    _check_linear_loss(svm_loss_naive, "svm_loss_naive", "svm", "small", _svm_loss_hints)
    passed("svm_loss_naive", "loss, gradient check and expected dW")


@register("a1_svm_vectorized")
def check_svm_vectorized(svm_loss_vectorized):
    """Check the vectorized SVM loss on a small and a larger batch."""
    for tag in ("small", "large"):
        _check_linear_loss(svm_loss_vectorized, "svm_loss_vectorized", "svm", tag, _svm_loss_hints)
    passed("svm_loss_vectorized", "loss and dW on two batches")
