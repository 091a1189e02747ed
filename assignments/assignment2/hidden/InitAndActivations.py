"""Hidden test cases of InitAndActivations.ipynb (never released).

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).
"""

import numpy as np

from autograder.hidden import Case
from cs231n.checks import InitAndActivations as A


def _act_probe(name, shape, scale=3.0, dtype=np.float64, **kw):
    def probe(ns, rng):
        x = (scale * rng.standard_normal(shape)).astype(dtype)
        dout = rng.standard_normal(shape).astype(dtype)
        out, cache = ns[f"{name}_forward"](x, **kw)
        dx = ns[f"{name}_backward"](dout, cache)
        return {"out": np.asarray(out), "dx": np.asarray(dx)}

    return probe


def _extreme_probe(name):
    def probe(ns, rng):
        x = np.array([-800.0, -60.0, -1e-3, 0.5, 60.0, 800.0])
        with np.errstate(over="ignore", under="ignore"):
            out, cache = ns[f"{name}_forward"](x)
            dx = ns[f"{name}_backward"](np.ones_like(x), cache)
        return {"out": np.asarray(out), "dx": np.asarray(dx)}

    return probe


def _init_probe(name, shape):
    def probe(ns, rng):
        init = ns[name]
        seed = int(rng.integers(1000))
        W = init(shape, rng=seed)
        W2 = init(shape, rng=seed)
        W32 = init((6, 4), rng=np.random.default_rng(seed), dtype=np.float32)
        return {
            "shape": np.array(W.shape),
            "std": float(W.std()),
            "mean_over_std": float(abs(W.mean()) / max(W.std(), 1e-12) < 0.05),
            "deterministic": int(np.array_equal(W, W2)),
            "float64": int(W.dtype == np.float64),
            "float32": int(W32.dtype == np.float32),
        }

    return probe


CASES = {
    "a2_leaky_relu": [
        Case("random 7x13, default slope", 0.4, _act_probe("leaky_relu", (7, 13))),
        Case(
            "4-D input, negative_slope=0.3",
            0.3,
            _act_probe("leaky_relu", (2, 3, 4, 5), negative_slope=0.3),
        ),
        Case(
            "float32 input",
            0.3,
            _act_probe("leaky_relu", (5, 6), dtype=np.float32),
            hint="keep the dtype of x",
        ),
    ],
    "a2_sigmoid": [
        Case("random 6x9", 0.5, _act_probe("sigmoid", (6, 9), scale=4.0)),
        Case(
            "very large |x| (no overflow, no NaN)",
            0.5,
            _extreme_probe("sigmoid"),
            atol=1e-12,
            hint="avoid exp of large positive numbers",
        ),
    ],
    "a2_tanh": [
        Case("random 3-D", 0.5, _act_probe("tanh", (3, 4, 5), scale=2.0)),
        Case("very large |x|", 0.5, _extreme_probe("tanh"), atol=1e-12),
    ],
    "a2_elu": [
        Case("random, alpha=1", 0.5, _act_probe("elu", (8, 5))),
        Case(
            "random, alpha=0.7",
            0.5,
            _act_probe("elu", (4, 6), alpha=0.7),
            hint="alpha scales the negative part and its derivative",
        ),
    ],
    "a2_silu": [
        Case("random 5x7", 0.5, _act_probe("silu", (5, 7))),
        Case("very large |x|", 0.5, _extreme_probe("silu"), atol=1e-12),
    ],
    "a2_xavier_init": [
        Case("affine (500, 300)", 0.5, _init_probe("xavier_init", (500, 300)), rtol=0.03),
        Case(
            "conv (32, 16, 5, 5)",
            0.5,
            _init_probe("xavier_init", (32, 16, 5, 5)),
            rtol=0.03,
            hint="fan_in = C*HH*WW, fan_out = F*HH*WW",
        ),
    ],
    "a2_he_init": [
        Case("affine (300, 500)", 0.5, _init_probe("he_init", (300, 500)), rtol=0.03),
        Case(
            "conv (64, 8, 3, 3)",
            0.5,
            _init_probe("he_init", (64, 8, 3, 3)),
            rtol=0.03,
            hint="fan_in = C*HH*WW",
        ),
    ],
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/InitAndActivations.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/InitAndActivations.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def _sig(x):
    return 1 / (1 + np.exp(-x))


def init_and_activations() -> dict:
    from cs231n.layers import activations as act

    out = {}
    inp = A.inputs_activations()
    x, dout = inp["x"], inp["dout"]
    for name, cases in A.ACTIVATION_CASES.items():
        fwd = getattr(act, f"{name}_forward")
        for i, kw in enumerate(cases):
            o, _ = fwd(x, **kw)
            out[f"{name}.out{i}"] = o
            slope = kw.get("negative_slope", 0.01)
            alpha = kw.get("alpha", 1.0)
            if name == "leaky_relu":
                out[f"{name}.out{i}.wrong_slope_positive"] = np.where(x > 0, slope * x, x)
                out[f"{name}.dx{i}.wrong_relu_grad"] = dout * (x > 0)
            elif name == "sigmoid":
                out[f"{name}.out{i}.wrong_tanh"] = np.tanh(x)
                out[f"{name}.dx{i}.wrong_from_x"] = dout * x * (1 - x)
            elif name == "tanh":
                out[f"{name}.dx{i}.wrong_from_x"] = dout * (1 - x**2)
            elif name == "elu":
                if alpha != 1.0:
                    out[f"{name}.out{i}.wrong_no_alpha"] = np.where(x > 0, x, np.exp(x) - 1)
                    out[f"{name}.dx{i}.wrong_no_alpha"] = dout * np.where(x > 0, 1.0, np.exp(x))
            elif name == "silu":
                s = _sig(x)
                out[f"{name}.out{i}.wrong_sigmoid"] = s
                out[f"{name}.dx{i}.wrong_sigmoid_only"] = dout * s
                out[f"{name}.dx{i}.wrong_second_only"] = dout * x * s * (1 - s)
    return out


def build_expected() -> dict:
    """Expected values of the InitAndActivations checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in init_and_activations().items()}
