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


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/backprop.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/backprop.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def backprop():
    from cs231n import gates

    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 4))
    y = rng.normal(size=(3, 4))
    y[0, :2] = x[0, :2]  # ties for the max gate
    dout = rng.normal(size=(3, 4))
    out = {"x": x, "y": y, "dout": dout}
    for name in ("add", "multiply", "max"):
        fwd = getattr(gates, f"{name}_gate_forward")
        bwd = getattr(gates, f"{name}_gate_backward")
        o, cache = fwd(x, y)
        dx, dy = bwd(dout, cache)
        out.update({f"{name}/out": o, f"{name}/dx": dx, f"{name}/dy": dy})
    xs = np.concatenate([x.ravel(), [-30.0, 30.0, 0.0]])
    s, cache = gates.sigmoid_gate_forward(xs)
    ds = rng.normal(size=xs.shape)
    out.update(
        {
            "sigmoid/x": xs,
            "sigmoid/dout": ds,
            "sigmoid/out": s,
            "sigmoid/dx": gates.sigmoid_gate_backward(ds, cache),
        }
    )
    sig_of_s = 1 / (1 + np.exp(-s))
    out["sigmoid/wrong_twice"] = ds * sig_of_s * (1 - sig_of_s)
    out["sigmoid/wrong_nodout"] = s * (1 - s)
    grid = np.array([[a, b] for a in range(-1, 3) for b in range(-1, 3)], dtype=float)
    w = np.array([1.0, -1.0])
    out.update({"perceptron/x": grid, "perceptron/w": w, "perceptron/b": np.float64(0.0)})
    out["perceptron/out"] = gates.perceptron_forward(grid, w, 0.0)
    out["perceptron/wrong_geq"] = (grid @ w >= 0).astype(int)
    return out


def build_expected() -> dict:
    """Expected values of the backprop checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in backprop().items()}
