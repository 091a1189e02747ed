"""Visible checks of InitAndActivations.ipynb: activations and initialisers.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/InitAndActivations.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/InitAndActivations.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import math

import numpy as np

from cs231n.checks._core import CheckFailed, register
from cs231n.checks.common import (
    check_close,
    check_grad,
    check_unchanged,
    lin,
    notebook_helpers,
    numeric_gradient64,
    passed,
)

NOTEBOOK = "InitAndActivations"


_exp, _hints = notebook_helpers(NOTEBOOK)


def inputs_activations():
    """Fixed inputs of the activation checks (no entry is exactly 0)."""
    return {"x": lin((4, 6), -3.0, 3.0), "dout": lin((4, 6), -1.0, 1.3)}


#: (check name, forward kwargs) pairs per activation, in the order of the expected keys.
ACTIVATION_CASES = {
    "leaky_relu": [{}, {"negative_slope": 0.2}],
    "sigmoid": [{}],
    "tanh": [{}],
    "elu": [{}, {"alpha": 1.5}],
    "silu": [{}],
}

_ACT_HINTS = {
    "leaky_relu": {
        "out": [
            (
                "slope_positive",
                "the slope was applied to the positive inputs; only x < 0 is scaled by negative_slope.",
            )
        ],
        "dx": [
            (
                "relu_grad",
                "the gradient of the negative inputs is negative_slope, not 0 (that is ReLU).",
            )
        ],
    },
    "sigmoid": {
        "out": [("tanh", "that is tanh; sigmoid is 1 / (1 + exp(-x)).")],
        "dx": [
            (
                "from_x",
                "the derivative is s * (1 - s) with s = sigmoid(x), the OUTPUT; it was computed from x.",
            )
        ],
    },
    "tanh": {
        "out": [],
        "dx": [
            (
                "from_x",
                "the derivative is 1 - tanh(x)**2, from the OUTPUT; it was computed as 1 - x**2.",
            )
        ],
    },
    "elu": {
        "out": [("no_alpha", "alpha must scale the negative part: alpha * (exp(x) - 1).")],
        "dx": [
            (
                "no_alpha",
                "for x < 0 the derivative is alpha * exp(x) (= out + alpha); alpha was left out.",
            )
        ],
    },
    "silu": {
        "out": [("sigmoid", "that is sigmoid(x); SiLU is x * sigmoid(x).")],
        "dx": [
            (
                "sigmoid_only",
                "the product rule has two terms: sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x)); only the first was used.",
            ),
            (
                "second_only",
                "the product rule has two terms: sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x)); only the second was used.",
            ),
        ],
    },
}


def _check_activation(name, forward, backward):
    inp = inputs_activations()
    x, dout = inp["x"], inp["dout"]
    for i, kw in enumerate(ACTIVATION_CASES[name]):
        label = f"{name}_forward(x{''.join(f', {k}={v}' for k, v in kw.items())})"
        x0 = x.copy()
        out, cache = forward(x, **kw)
        check_unchanged(f"{name}_forward", x0, x, "x")
        check_close(
            label,
            out,
            _exp(f"{name}.out{i}"),
            rtol=1e-7,
            atol=1e-12,
            hints=_hints(f"{name}.out{i}", _ACT_HINTS[name]["out"]),
        )
        d0 = dout.copy()
        dx = backward(dout, cache)
        check_unchanged(f"{name}_backward", d0, dout, "dout")
        num = numeric_gradient64(lambda z, kw=kw: forward(z, **kw)[0], x, dout)
        check_grad(
            f"{name}_backward dx" + (f" ({kw})" if kw else ""),
            dx,
            num,
            hints=_hints(f"{name}.dx{i}", _ACT_HINTS[name]["dx"]),
        )
    # float32 in, float32 out
    out32, _ = forward(x.astype(np.float32))
    if out32.dtype != np.float32:
        raise CheckFailed(
            f"{name}_forward: a float32 input gave a {out32.dtype} output; keep the dtype of x."
        )
    passed(f"{name}_forward / {name}_backward", "values and numerical gradient")


@register("a2_leaky_relu")
def check_leaky_relu(leaky_relu_forward, leaky_relu_backward):
    """Leaky ReLU forward values and backward gradient."""
    _check_activation("leaky_relu", leaky_relu_forward, leaky_relu_backward)


@register("a2_sigmoid")
def check_sigmoid(sigmoid_forward, sigmoid_backward):
    """Sigmoid forward values and backward gradient."""
    _check_activation("sigmoid", sigmoid_forward, sigmoid_backward)
    big, _ = sigmoid_forward(np.array([-1000.0, 1000.0]))
    if not np.all(np.isfinite(big)) or not np.allclose(big, [0.0, 1.0]):
        raise CheckFailed(
            f"sigmoid_forward([-1000, 1000]): expected [0, 1], got {big}. Avoid exp overflow for large |x|."
        )


@register("a2_tanh")
def check_tanh(tanh_forward, tanh_backward):
    """Tanh forward values and backward gradient."""
    _check_activation("tanh", tanh_forward, tanh_backward)


@register("a2_elu")
def check_elu(elu_forward, elu_backward):
    """ELU forward values (alpha 1 and 1.5) and backward gradient."""
    _check_activation("elu", elu_forward, elu_backward)


@register("a2_silu")
def check_silu(silu_forward, silu_backward):
    """SiLU forward values and backward gradient."""
    _check_activation("silu", silu_forward, silu_backward)


def _init_stds(fan_in, fan_out):
    return {
        "sqrt(1 / fan_in) (LeCun)": math.sqrt(1 / fan_in),
        "sqrt(2 / fan_in) (He)": math.sqrt(2 / fan_in),
        "sqrt(2 / (fan_in + fan_out)) (Xavier)": math.sqrt(2 / (fan_in + fan_out)),
        "sqrt(1 / fan_out)": math.sqrt(1 / fan_out),
        "sqrt(2 / fan_out) (fan_out instead of fan_in)": math.sqrt(2 / fan_out),
        "2 / fan_in (the variance was used as the standard deviation)": 2 / fan_in,
        "2 / (fan_in + fan_out) (the variance was used as the standard deviation)": 2
        / (fan_in + fan_out),
        "1 / (fan_in + fan_out)": 1 / (fan_in + fan_out),
        "1 (no scaling at all)": 1.0,
    }


def _check_init(name, init, want_label):
    # (D, M) with fan_in != fan_out, and a conv filter bank (F, C, HH, WW).
    for shape, (fan_in, fan_out) in (((400, 100), (400, 100)), ((64, 8, 3, 3), (72, 576))):
        W = init(shape, rng=0)
        if not isinstance(W, np.ndarray) or W.shape != shape:
            raise CheckFailed(
                f"{name}({shape}): expected an ndarray of shape {shape}, got {getattr(W, 'shape', type(W).__name__)}."
            )
        if W.dtype != np.float64:
            raise CheckFailed(f"{name}({shape}): expected dtype float64 by default, got {W.dtype}.")
        if not np.array_equal(W, init(shape, rng=0)):
            raise CheckFailed(
                f"{name}: two calls with rng=0 gave different arrays; draw from np.random.default_rng(rng)."
            )
        if np.array_equal(W, init(shape, rng=1)):
            raise CheckFailed(f"{name}: rng=0 and rng=1 gave the same array; use the rng argument.")
        stds = _init_stds(fan_in, fan_out)
        want = stds[want_label]
        got = float(W.std())
        if abs(float(W.mean())) > 0.1 * want:
            raise CheckFailed(f"{name}({shape}): expected mean close to 0, got {W.mean():.4g}.")
        if not 0.9 * want < got < 1.1 * want:
            msg = (
                f"{name}({shape}): standard deviation is {got:.4g}, expected {want:.4g} = {want_label} "
                f"with fan_in={fan_in}, fan_out={fan_out}."
            )
            close = [
                lbl for lbl, s in stds.items() if lbl != want_label and 0.95 * s < got < 1.05 * s
            ]
            if close:
                msg += f" Likely cause: you used {close[0]}."
            if len(shape) == 4:
                msg += " For a filter bank (F, C, HH, WW), fan_in = C * HH * WW and fan_out = F * HH * WW."
            raise CheckFailed(msg)
    W32 = init((10, 5), rng=np.random.default_rng(0), dtype=np.float32)
    if W32.dtype != np.float32:
        raise CheckFailed(
            f"{name}(..., dtype=np.float32): expected a float32 array, got {W32.dtype}."
        )
    passed(name, "shape, dtype, seeding, mean 0 and the right standard deviation")


@register("a2_xavier_init")
def check_xavier_init(xavier_init):
    """Xavier/Glorot initialisation: std sqrt(2 / (fan_in + fan_out))."""
    _check_init("xavier_init", xavier_init, "sqrt(2 / (fan_in + fan_out)) (Xavier)")


@register("a2_he_init")
def check_he_init(he_init):
    """He/Kaiming initialisation: std sqrt(2 / fan_in)."""
    _check_init("he_init", he_init, "sqrt(2 / fan_in) (He)")
