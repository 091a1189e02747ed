"""Hidden test cases of softmax.ipynb (never released)."""

import numpy as np

from autograder.hidden import Case


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
