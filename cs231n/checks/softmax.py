"""Visible checks of softmax.ipynb: the softmax loss and its gradient.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/softmax.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/softmax.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import register
from cs231n.checks.common import (
    check_close,
    check_scalar,
    get,
    passed,
    unpack,
)
from cs231n.checks.svm import _REG, _check_linear_loss, _linear_inputs, _no_hints  # noqa: F401 (re-exported for the builder)

NOTEBOOK = "softmax"


def _check_softmax_big(fn, label):
    W = get("softmax", "big/W")
    X = get("softmax", "big/X")
    y = get("softmax", "big/y")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        loss, dW = unpack(fn(W, X, y, 0.0), 2, label, "(loss, dW)")
    hint = "no max-shift: exp of large scores overflows to inf. Subtract each row's maximum score before np.exp (the probabilities do not change)."
    check_scalar(
        f"{label} loss on large scores (|s| ~ 1e3)",
        loss,
        float(get("softmax", "big/loss")),
        rtol=1e-7,
        nonfinite_hint=hint,
    )
    check_close(
        f"{label} dW on large scores",
        dW,
        get("softmax", "big/dW"),
        rtol=1e-6,
        atol=1e-10,
        nonfinite_hint=hint,
    )


@register("a1_softmax_naive")
def check_softmax_naive(softmax_loss_naive):
    """Check the loop version of the softmax loss, including numerical stability."""
    _check_linear_loss(softmax_loss_naive, "softmax_loss_naive", "softmax", "small", _no_hints)
    _check_softmax_big(softmax_loss_naive, "softmax_loss_naive")
    passed("softmax_loss_naive", "loss, gradient check, large scores")


@register("a1_softmax_vectorized")
def check_softmax_vectorized(softmax_loss_vectorized):
    """Check the vectorized softmax loss on two batches and on large scores."""
    for tag in ("small", "large"):
        _check_linear_loss(
            softmax_loss_vectorized, "softmax_loss_vectorized", "softmax", tag, _no_hints
        )
    _check_softmax_big(softmax_loss_vectorized, "softmax_loss_vectorized")
    passed("softmax_loss_vectorized", "loss and dW on two batches, large scores")
