"""Visible checks of Dropout.ipynb: dropout.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/Dropout.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/Dropout.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import CheckFailed, register
from cs231n.checks.common import (
    check_close,
    check_gradient,
    check_unchanged,
    fmt,
    get,
    hints,
    is_scalar,
    lin,
    numeric_gradient,
    passed,
)

NOTEBOOK = "Dropout"


def _exp(key: str) -> np.ndarray:
    """Expected value ``key`` of this notebook (a copy)."""
    return get(NOTEBOOK, key)


def _hints(prefix: str, pairs) -> list:
    """Fingerprints ``(array, cause)`` of the wrong variants ``<prefix>.wrong_<name>``."""
    return hints(NOTEBOOK, prefix, pairs)


def _numeric_grad(f, x, df, h=1e-5):
    """Centred-difference gradient of ``sum(f(x) * df)`` at a float64 copy of ``x``."""
    return numeric_gradient(f, np.array(x, dtype=np.float64, copy=True), df, h=h)


def _check_grad(name, got, numeric, hints=None, tol=1e-6):
    """The kit's one gradient rule (:func:`cs231n.checks.common.check_gradient`)."""
    check_gradient(name, got, numeric, tol=tol, hints=hints or ())


_unchanged = check_unchanged
_is_scalar = is_scalar
_lin = lin
compare = check_close


def inputs_dropout():
    """A large positive input, so statistics are sharp."""
    return {"x": 10.0 + _lin((400, 500), -1.0, 1.0)}


@register("a2_dropout_forward")
def check_dropout_forward(dropout_forward):
    """Inverted dropout: keep fraction, rescaling by 1 / keep_prob, seeding, test mode."""
    x = inputs_dropout()["x"]
    x0 = x.copy()
    for keep_prob in (0.25, 0.4, 0.7):
        out, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 123})
        _unchanged("dropout_forward", x0, x, "x")
        if out.shape != x.shape:
            raise CheckFailed(f"dropout_forward: expected output shape {x.shape}, got {out.shape}.")
        kept = out != 0
        frac = float(kept.mean())
        if abs(frac - keep_prob) > 0.01:
            msg = f"dropout_forward(keep_prob={keep_prob}, train): {frac:.3f} of the units were kept, expected about {keep_prob}."
            if abs(frac - (1 - keep_prob)) < 0.01:
                msg += " Likely cause: keep_prob was used as the DROP probability; keep a unit when rand < keep_prob."
            raise CheckFailed(msg)
        ratio = out[kept] / x[kept]
        if not np.allclose(ratio, 1 / keep_prob):
            msg = f"dropout_forward(keep_prob={keep_prob}, train): kept units are x * {float(np.median(ratio)):.4g}, expected x / keep_prob = x * {1 / keep_prob:.4g}."
            if np.allclose(ratio, 1.0):
                msg += " Likely cause: the kept units were not rescaled by 1 / keep_prob (inverted dropout rescales at TRAIN time so test time needs nothing)."
            elif np.allclose(ratio, keep_prob):
                msg += " Likely cause: multiplied by keep_prob instead of dividing."
            raise CheckFailed(msg)
        if abs(out.mean() / x.mean() - 1) > 0.02:
            raise CheckFailed(
                f"dropout_forward(keep_prob={keep_prob}): the mean of the output should stay {x.mean():.3f}, got {out.mean():.3f}."
            )
        again, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 123})
        if not np.array_equal(again, out):
            raise CheckFailed(
                "dropout_forward: the same seed must give the same mask; seed the generator with dropout_param['seed'] when given."
            )
        other, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 7})
        if np.array_equal(other, out):
            raise CheckFailed("dropout_forward: different seeds gave the same mask.")
    out_test, _ = dropout_forward(x, {"mode": "test", "keep_prob": 0.4})
    if not np.allclose(out_test, x):
        msg = "dropout_forward(test): expected the input unchanged at test time"
        if np.allclose(out_test, x * 0.4) or np.allclose(out_test, x / 0.4):
            msg += " Likely cause: rescaled at test time; with inverted dropout the scaling happens only in training."
        raise CheckFailed(
            msg + f", got element (0, 0) = {fmt(out_test[0, 0])} for x = {fmt(x[0, 0])}."
        )
    out_one, _ = dropout_forward(x, {"mode": "train", "keep_prob": 1.0, "seed": 1})
    if not np.allclose(out_one, x):
        raise CheckFailed(
            "dropout_forward(keep_prob=1.0): keeping every unit must return x unchanged."
        )
    passed("dropout_forward", "keep fraction, 1 / keep_prob scaling, seeds, test mode")


@register("a2_dropout_backward", "dropout_forward", "dropout_backward")
def check_dropout_backward(dropout_forward, dropout_backward):
    """Dropout backward: the mask and the scale of the forward pass, or identity in test mode."""
    fwd = dropout_forward
    rng = np.random.default_rng(0)
    x = rng.standard_normal((10, 10)) + 10
    dout = rng.standard_normal((10, 10))
    for keep_prob in (0.2, 0.6):
        param = {"mode": "train", "keep_prob": keep_prob, "seed": 123}
        out, cache = fwd(x, dict(param))
        d0 = dout.copy()
        dx = dropout_backward(dout, cache)
        _unchanged("dropout_backward", d0, dout, "dout")
        num = _numeric_grad(lambda z, param=param: fwd(z, dict(param))[0], x, dout)
        hints = [
            (
                dout * (out != 0),
                "the gradient must be rescaled by 1 / keep_prob, exactly like the forward pass.",
            ),
            (dout, "only the kept units get a gradient: multiply dout by the mask."),
        ]
        _check_grad(f"dropout_backward dx (keep_prob={keep_prob})", dx, num, hints=hints, tol=1e-7)
    _, cache = fwd(x, {"mode": "test", "keep_prob": 0.5})
    dx = dropout_backward(dout, cache)
    compare(
        "dropout_backward dx in test mode",
        dx,
        dout,
        hints=[
            (dout / 0.5, "nothing is rescaled in test mode."),
            (dout * 0.5, "nothing is rescaled in test mode."),
        ],
    )
    passed("dropout_backward", "train mode vs numerical gradient, test mode")
