"""Visible checks of LSTM_Captioning.ipynb: the LSTM step and sequence, forward and backward.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/LSTM_Captioning.npz`` (built from the reference package by
the builder in ``assignments/assignment3/hidden/LSTM_Captioning.py``, never released).
Every backward pass is also compared with a centred-difference gradient of the
student's OWN forward pass.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import CheckFailed, register
from cs231n.checks.common import (
    check_close,
    check_gradient,
    check_unchanged,
    get,
    hints,
    lin,
    numeric_gradient,
    passed,
    unpack,
)

NOTEBOOK = "LSTM_Captioning"
_TOL = {"rtol": 1e-6, "atol": 1e-9}

_GATE_HINTS = [
    (
        "gate_order",
        "the gates are packed i, f, o, g (input, forget, output, candidate) along the 4H "
        "columns, in that order; the columns were split in another order.",
    ),
    ("g_sigmoid", "the candidate g uses tanh; only i, f and o use the sigmoid."),
    ("h_without_tanh", "next_h = o * tanh(next_c): the tanh of the cell state is missing."),
]

_BACK_HINTS = [
    (
        "no_c_through_h",
        "next_c also gets gradient through next_h = o * tanh(next_c): add "
        "dnext_h * o * (1 - tanh(next_c)**2) to dnext_c.",
    ),
    (
        "no_carry",
        "each step used only dh[:, t]; the states of step t also feed step t + 1, so carry "
        "dprev_h and dprev_c backwards from that step.",
    ),
]


def _exp(key: str) -> np.ndarray:
    return get(NOTEBOOK, key)


def _hints(prefix: str, pairs) -> list:
    return hints(NOTEBOOK, prefix, pairs)


def _num(f, x, df):
    return numeric_gradient(f, np.array(x, dtype=np.float64, copy=True), df)


def inputs_lstm_step():
    """N=3, D=4, H=5, with both upstream gradients."""
    N, D, H = 3, 4, 5
    return {
        "x": lin((N, D), -0.4, 1.2),
        "prev_h": lin((N, H), -0.3, 0.7),
        "prev_c": lin((N, H), -0.4, 0.9),
        "Wx": lin((D, 4 * H), -2.1, 1.3),
        "Wh": lin((H, 4 * H), -0.7, 2.2),
        "b": 0.3 * np.cos(np.arange(4 * H, dtype=np.float64)),
        "dnext_h": lin((N, H), -1.0, 0.7),
        "dnext_c": np.sin(np.arange(N * H, dtype=np.float64)).reshape(N, H),
    }


def inputs_lstm():
    """N=2, T=4, D=3, H=5."""
    N, T, D, H = 2, 4, 3, 5
    return {
        "x": lin((N, T, D), -0.4, 0.6),
        "h0": lin((N, H), -0.4, 0.8),
        "Wx": lin((D, 4 * H), -0.2, 0.9),
        "Wh": lin((H, 4 * H), -0.3, 0.6),
        "b": lin((4 * H,), 0.2, 0.7),
        "dh": np.cos(np.arange(N * T * H, dtype=np.float64)).reshape(N, T, H),
    }


_STEP = ("x", "prev_h", "prev_c", "Wx", "Wh", "b")
_SEQ = ("x", "h0", "Wx", "Wh", "b")


@register("a3_lstm_step_forward")
def check_lstm_step_forward(lstm_step_forward):
    """next_h and next_c of one step."""
    inp = inputs_lstm_step()
    args = [inp[k] for k in _STEP]
    before = [a.copy() for a in args]
    next_h, next_c, _ = unpack(
        lstm_step_forward(*args), 3, "lstm_step_forward", "(next_h, next_c, cache)"
    )
    for name, b, a in zip(_STEP, before, args):
        check_unchanged("lstm_step_forward", b, a, name)
    check_close(
        "lstm_step_forward: next_c",
        next_c,
        _exp("step.next_c"),
        **_TOL,
        hints=_hints("step.next_c", _GATE_HINTS),
    )
    check_close(
        "lstm_step_forward: next_h",
        next_h,
        _exp("step.next_h"),
        **_TOL,
        hints=_hints("step.next_h", _GATE_HINTS),
    )
    passed("lstm_step_forward", "next_h and next_c match to 1e-6")


@register("a3_lstm_step_backward", "lstm_step_forward", "lstm_step_backward")
def check_lstm_step_backward(lstm_step_forward, lstm_step_backward):
    """All six gradients of one step, from both upstream gradients."""
    inp = inputs_lstm_step()
    args = [inp[k] for k in _STEP]
    dh, dc = inp["dnext_h"], inp["dnext_c"]
    _, _, cache = lstm_step_forward(*args)
    d0, c0 = dh.copy(), dc.copy()
    grads = unpack(
        lstm_step_backward(dh, dc, cache),
        6,
        "lstm_step_backward",
        "(dx, dprev_h, dprev_c, dWx, dWh, db)",
    )
    check_unchanged("lstm_step_backward", d0, dh, "dnext_h")
    check_unchanged("lstm_step_backward", c0, dc, "dnext_c")
    worst = 0.0
    for i, (name, g) in enumerate(zip(_STEP, grads)):

        def f_h(z, i=i):
            a = list(args)
            a[i] = z
            return lstm_step_forward(*a)[0]

        def f_c(z, i=i):
            a = list(args)
            a[i] = z
            return lstm_step_forward(*a)[1]

        num = _num(f_h, args[i], dh) + _num(f_c, args[i], dc)
        label = f"lstm_step_backward: d{name}"
        worst = max(
            worst, check_gradient(label, g, num, hints=_hints(f"step.d{name}", _BACK_HINTS))
        )
        check_close(label, g, _exp(f"step.d{name}"), **_TOL)
    passed("lstm_step_backward", f"worst relative error {worst:.1e}")


@register("a3_lstm_forward")
def check_lstm_forward(lstm_forward):
    """Hidden states of every step, from c0 = 0."""
    inp = inputs_lstm()
    args = [inp[k] for k in _SEQ]
    before = [a.copy() for a in args]
    h, _ = unpack(lstm_forward(*args), 2, "lstm_forward", "(h, cache)")
    for name, b, a in zip(_SEQ, before, args):
        check_unchanged("lstm_forward", b, a, name)
    want = _exp("seq.h")
    if np.shape(h) == (want.shape[1], want.shape[0], want.shape[2]):
        raise CheckFailed(
            f"lstm_forward: h has shape {np.shape(h)}, expected {want.shape} (N, T, H). "
            "Likely cause: the states were stacked time-first; h[:, t] is step t."
        )
    check_close(
        "lstm_forward: h",
        h,
        want,
        **_TOL,
        hints=_hints(
            "seq.h",
            [
                ("c_reset", "the cell state was reset every step: carry next_c to the next step."),
                ("c0_h0", "the initial cell state is zero, not h0."),
            ],
        ),
    )
    passed("lstm_forward", "all hidden states match")


@register("a3_lstm_backward", "lstm_forward", "lstm_backward")
def check_lstm_backward(lstm_forward, lstm_backward):
    """Backpropagation through time for the LSTM."""
    inp = inputs_lstm()
    args = [inp[k] for k in _SEQ]
    dh = inp["dh"]
    _, cache = lstm_forward(*args)
    d0 = dh.copy()
    grads = unpack(lstm_backward(dh, cache), 5, "lstm_backward", "(dx, dh0, dWx, dWh, db)")
    check_unchanged("lstm_backward", d0, dh, "dh")
    worst = 0.0
    for i, (name, g) in enumerate(zip(_SEQ, grads)):

        def f(z, i=i):
            a = list(args)
            a[i] = z
            return lstm_forward(*a)[0]

        label = f"lstm_backward: d{name}"
        worst = max(
            worst,
            check_gradient(
                label, g, _num(f, args[i], dh), hints=_hints(f"seq.d{name}", _BACK_HINTS)
            ),
        )
        check_close(label, g, _exp(f"seq.d{name}"), **_TOL)
    passed("lstm_backward", f"worst relative error {worst:.1e}")
