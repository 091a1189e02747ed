"""Visible checks of backprop.ipynb: gates and perceptrons.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/backprop.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/backprop.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import register
from cs231n.checks.common import (
    check_close,
    fail,
    get,
    passed,
    unpack,
)

NOTEBOOK = "backprop"


_TRUTH = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
_TABLES = {"and": [0, 0, 0, 1], "nand": [1, 1, 1, 0], "or": [0, 1, 1, 1], "xor": [0, 1, 1, 0]}


_OTHER_TABLES = {**_TABLES, "nor": [1, 0, 0, 0], "always 0": [0, 0, 0, 0], "always 1": [1, 1, 1, 1]}


def _other_gate(table, name: str) -> str:
    """`` Likely cause: ...`` when the weights implement another gate's whole truth table."""
    table = [int(v) for v in np.asarray(table).ravel()]
    for other, want in _OTHER_TABLES.items():
        if other != name and table == want:
            what = f"the {other.upper()} gate" if not other.startswith("always") else other
            return (
                f" Likely cause: these weights compute {what}, not {name.upper()} (its whole "
                "truth table): move the line w . x + b = 0 (change b) so that exactly the "
                f"inputs where {name.upper()} is 1 lie on its positive side."
            )
    return ""


def _bp(key):
    return get("backprop", key)


def _check_binary_gate(fwd, bwd, name, grad_hints):
    x, y, dout = _bp("x"), _bp("y"), _bp("dout")
    res = unpack(fwd(x.copy(), y.copy()), 2, f"{name}_gate_forward", "(out, cache)")
    check_close(f"{name}_gate_forward out", res[0], _bp(f"{name}/out"))
    dx, dy = unpack(bwd(dout.copy(), res[1]), 2, f"{name}_gate_backward", "(dx, dy)")
    hx, hy = grad_hints(x, y, dout)
    check_close(f"{name}_gate_backward dx", dx, _bp(f"{name}/dx"), hints=hx)
    check_close(f"{name}_gate_backward dy", dy, _bp(f"{name}/dy"), hints=hy)
    passed(f"{name} gate", "forward and backward")


@register("a1_gate_add")
def check_gate_add(add_gate_forward, add_gate_backward):
    """Check the add gate: forward and both gradients."""

    def hints(x, y, dout):
        ones = (
            np.ones_like(x),
            "the local gradient 1 is not multiplied by the upstream gradient dout.",
        )
        return [ones], [ones]

    _check_binary_gate(add_gate_forward, add_gate_backward, "add", hints)


@register("a1_gate_multiply")
def check_gate_multiply(multiply_gate_forward, multiply_gate_backward):
    """Check the multiply gate: each input's gradient is dout times the OTHER input."""

    def hints(x, y, dout):
        return (
            [
                (
                    dout * x,
                    "dx uses x; the derivative of x * y with respect to x is y (the other input).",
                ),
                (y, "dx ignores dout: multiply by the upstream gradient."),
            ],
            [
                (
                    dout * y,
                    "dy uses y; the derivative of x * y with respect to y is x (the other input).",
                ),
                (x, "dy ignores dout: multiply by the upstream gradient."),
            ],
        )

    _check_binary_gate(multiply_gate_forward, multiply_gate_backward, "multiply", hints)


@register("a1_gate_max")
def check_gate_max(max_gate_forward, max_gate_backward):
    """Check the max gate, including ties (which go to x)."""

    def hints(x, y, dout):
        both = "at a tie (x == y) the whole gradient goes to x only, not to both inputs."
        return (
            [
                (dout * (x > y), "at a tie (x == y) the gradient goes to x: use x >= y."),
                (dout * (x < y), "dx and dy are swapped: x gets dout where x is the larger input."),
            ],
            [
                (dout * (y >= x), both),
                (dout * (x > y), "dx and dy are swapped: y gets dout where y is strictly larger."),
            ],
        )

    _check_binary_gate(max_gate_forward, max_gate_backward, "max", hints)


@register("a1_gate_sigmoid")
def check_gate_sigmoid(sigmoid_gate_forward, sigmoid_gate_backward):
    """Check the sigmoid gate forward (with large |x|) and its backward."""
    x = _bp("sigmoid/x")
    with np.errstate(over="ignore"):
        out, cache = unpack(
            sigmoid_gate_forward(x.copy()), 2, "sigmoid_gate_forward", "(out, cache)"
        )
    check_close("sigmoid_gate_forward out", out, _bp("sigmoid/out"), rtol=1e-7, atol=1e-12)
    dx = sigmoid_gate_backward(_bp("sigmoid/dout"), cache)
    check_close(
        "sigmoid_gate_backward dx",
        dx,
        _bp("sigmoid/dx"),
        rtol=1e-7,
        atol=1e-12,
        hints=[
            (
                _bp("sigmoid/wrong_twice"),
                "the sigmoid is applied to the cached OUTPUT again: use s * (1 - s) with s = the cached sigmoid(x).",
            ),
            (_bp("sigmoid/wrong_nodout"), "the local gradient is not multiplied by dout."),
        ],
    )
    passed("sigmoid gate", "forward and backward")


def _step(x, w, b):
    return (np.asarray(x) @ np.asarray(w, dtype=float) + float(b) > 0).astype(int)


@register("a1_perceptron")
def check_perceptron(perceptron_forward, logic_gate_weights, xor_forward):
    """Check the perceptron, the AND/NAND/OR weights and the two-layer XOR."""
    got = perceptron_forward(_bp("perceptron/x"), _bp("perceptron/w"), float(_bp("perceptron/b")))
    if not np.issubdtype(np.asarray(got).dtype, np.integer):
        fail(
            f"perceptron_forward: expected an integer array of 0s and 1s, got dtype {np.asarray(got).dtype}. Use .astype(int)."
        )
    check_close(
        "perceptron_forward on a grid of inputs (w = [1, -1], b = 0)",
        got,
        _bp("perceptron/out"),
        rtol=0,
        hints=[
            (_bp("perceptron/wrong_geq"), "the step fires at z = 0; step(z) is 1 only for z > 0.")
        ],
    )
    for name in ("and", "nand", "or"):
        w, b = unpack(logic_gate_weights(name), 2, f'logic_gate_weights("{name}")', "(w, b)")
        table = _step(_TRUTH, w, b)
        for row, got_v, want_v in zip(_TRUTH, table, _TABLES[name]):
            if got_v != want_v:
                fail(
                    f'logic_gate_weights("{name}"): with w = {np.asarray(w).tolist()}, b = {b}, input {tuple(row)} '
                    f"gives {got_v}, expected {want_v}. Draw the 4 inputs and the line w . x + b = 0: "
                    f"the inputs where {name.upper()} is 1 must lie strictly on the positive side."
                    + _other_gate(table, name)
                )
    out = np.asarray(xor_forward(_TRUTH.astype(float)))
    check_close("xor_forward on the truth table", out, np.array(_TABLES["xor"]), rtol=0)
    passed("perceptrons", "AND, NAND, OR and XOR truth tables")
