"""Hidden test cases of svm.ipynb (never released)."""

import numpy as np

from autograder.hidden import Case
from cs231n.checks.svm import _REG, _linear_inputs


def linear_probe(name, N, D, C, reg, scale=0.3, float32=False):
    def probe(ns, rng):
        X = rng.normal(size=(N, D))
        W = rng.normal(scale=scale, size=(D, C))
        y = rng.integers(0, C, size=N)
        if float32:
            X, W = X.astype(np.float32), W.astype(np.float32)
        loss, dW = ns[name](W, X, y, reg)
        return {"loss": np.float64(loss), "dW": np.asarray(dW, dtype=np.float64)}

    return probe


def linear_cases(name, points):
    return [
        Case(
            "N=20, D=7, C=3, no regularization",
            points / 3,
            linear_probe(name, 20, 7, 3, 0.0),
            rtol=1e-6,
            atol=1e-10,
        ),
        Case(
            "N=1, D=4, C=6, reg=2.5",
            points / 3,
            linear_probe(name, 1, 4, 6, 2.5),
            rtol=1e-6,
            atol=1e-10,
            hint="a single sample; reg * W in the gradient",
        ),
        Case(
            "N=40, D=12, C=10, reg=0.1, float32",
            points / 3,
            linear_probe(name, 40, 12, 10, 0.1, float32=True),
            rtol=1e-3,
            atol=1e-5,
        ),
    ]


CASES = {
    "a1_svm_naive": linear_cases("svm_loss_naive", 3),
    "a1_svm_vectorized": linear_cases("svm_loss_vectorized", 3),
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/svm.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/svm.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def svm():
    from cs231n.classifiers.linear_svm import svm_loss_naive

    out = {}
    for tag, (seed, N, D, C) in {"small": (1, 10, 6, 4), "large": (2, 60, 15, 5)}.items():
        W, X, y = _linear_inputs(seed, N, D, C)
        loss, dW = svm_loss_naive(W, X, y, _REG)
        out.update(
            {f"{tag}/W": W, f"{tag}/X": X, f"{tag}/y": y, f"{tag}/loss": loss, f"{tag}/dW": dW}
        )
    return out


def build_expected() -> dict:
    """Expected values of the svm checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in svm().items()}
