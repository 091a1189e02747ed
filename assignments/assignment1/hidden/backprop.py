"""Hidden test cases of backprop.ipynb (never released)."""

import numpy as np

from autograder.hidden import Case


def binary_gate_probe(name, shape, ties=False):
    def probe(ns, rng):
        x = rng.normal(size=shape)
        y = rng.normal(size=shape)
        if ties:
            y.flat[::2] = x.flat[::2]
        dout = rng.normal(size=shape)
        out, cache = ns[f"{name}_gate_forward"](x, y)
        dx, dy = ns[f"{name}_gate_backward"](dout, cache)
        return {
            "out": np.asarray(out, float),
            "dx": np.asarray(dx, float),
            "dy": np.asarray(dy, float),
        }

    return probe


def scalar_gate_probe(name):
    def probe(ns, rng):
        x, y, dout = (float(v) for v in rng.normal(size=3))
        out, cache = ns[f"{name}_gate_forward"](x, y)
        dx, dy = ns[f"{name}_gate_backward"](dout, cache)
        return {"out": np.float64(out), "dx": np.float64(dx), "dy": np.float64(dy)}

    return probe


def sigmoid_probe(shape, scale=1.0):
    def probe(ns, rng):
        x = scale * rng.normal(size=shape)
        dout = rng.normal(size=shape)
        with np.errstate(over="ignore"):
            out, cache = ns["sigmoid_gate_forward"](x)
        dx = ns["sigmoid_gate_backward"](dout, cache)
        return {"out": np.asarray(out, float), "dx": np.asarray(dx, float)}

    return probe


def perceptron_probe(ns, rng):
    x = rng.normal(size=(20, 3))
    w = rng.normal(size=3)
    b = float(rng.normal())
    return {"out": np.asarray(ns["perceptron_forward"](x, w, b))}


def gates_probe(ns, rng):
    x = np.array([[1, 1], [0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    out = {}
    for name in ("and", "nand", "or"):
        w, b = ns["logic_gate_weights"](name)
        out[name] = (x @ np.asarray(w, float) + float(b) > 0).astype(int)
    out["xor"] = np.asarray(ns["xor_forward"](x)).astype(int)
    return out


CASES = {
    "a1_gate_add": [
        Case("arrays (4, 3)", 1, binary_gate_probe("add", (4, 3)), rtol=1e-12),
        Case("plain floats", 1, scalar_gate_probe("add"), rtol=1e-12),
    ],
    "a1_gate_multiply": [
        Case("arrays (2, 5)", 1, binary_gate_probe("multiply", (2, 5)), rtol=1e-12),
        Case("plain floats", 1, scalar_gate_probe("multiply"), rtol=1e-12),
    ],
    "a1_gate_max": [
        Case(
            "arrays with ties",
            1,
            binary_gate_probe("max", (3, 4), ties=True),
            rtol=1e-12,
            hint="ties route to x",
        ),
        Case("plain floats", 1, scalar_gate_probe("max"), rtol=1e-12),
    ],
    "a1_gate_sigmoid": [
        Case("arrays (5, 2)", 1, sigmoid_probe((5, 2)), rtol=1e-9, atol=1e-15),
        Case("large inputs |x| ~ 50", 1, sigmoid_probe((6,), scale=50.0), rtol=1e-9, atol=1e-15),
    ],
    "a1_perceptron": [
        Case("random 3-input perceptron", 1, perceptron_probe),
        Case("AND, NAND, OR, XOR on shuffled inputs", 2, gates_probe),
    ],
}
