"""Hidden test cases of softmax.ipynb (never released)."""

import numpy as np

from autograder.hidden import Case
from cs231n.checks.svm import _REG, _linear_inputs


def linear_probe(name, N, D, C, reg, scale=0.3, offset=0.0):
    def probe(ns, rng):
        X = rng.normal(size=(N, D))
        W = rng.normal(scale=scale, size=(D, C))
        if offset:
            X[:, 0] = offset  # every score shifted by about offset * W[0]
            W[0] = 1.0 + 0.01 * rng.normal(size=C)
        y = rng.integers(0, C, size=N)
        with np.errstate(all="ignore"):
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
        ),
        Case(
            "scores around 2000 (numerical stability)",
            points / 3,
            linear_probe(name, 8, 5, 4, 0.1, offset=2000.0),
            rtol=1e-6,
            atol=1e-10,
            hint="subtract the row maximum before np.exp",
        ),
    ]


CASES = {
    "a1_softmax_naive": linear_cases("softmax_loss_naive", 3),
    "a1_softmax_vectorized": linear_cases("softmax_loss_vectorized", 3),
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/softmax.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/softmax.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def softmax():
    from cs231n.classifiers.softmax import softmax_loss_naive

    out = {}
    for tag, (seed, N, D, C) in {"small": (3, 10, 6, 4), "large": (4, 60, 15, 5)}.items():
        W, X, y = _linear_inputs(seed, N, D, C)
        loss, dW = softmax_loss_naive(W, X, y, _REG)
        out.update(
            {f"{tag}/W": W, f"{tag}/X": X, f"{tag}/y": y, f"{tag}/loss": loss, f"{tag}/dW": dW}
        )
    # scores all near 1000 (a large shared offset), class differences of order 1:
    # np.exp overflows unless the scores are shifted by their max first
    W, X, y = _linear_inputs(5, 6, 4, 3)
    X[:, -1] = 1000.0
    W[-1, :] = 1.0 + 0.01 * np.arange(W.shape[1])
    loss, dW = softmax_loss_naive(W, X, y, 0.0)
    out.update({"big/W": W, "big/X": X, "big/y": y, "big/loss": loss, "big/dW": dW})
    return out


def build_expected() -> dict:
    """Expected values of the softmax checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in softmax().items()}
