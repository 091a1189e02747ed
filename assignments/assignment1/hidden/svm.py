"""Hidden test cases of svm.ipynb (never released)."""

import numpy as np

from autograder.hidden import Case
from cs231n.checks.svm import _REG, _linear_inputs, sgd_trace, tune_trace


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


_SGD_FACTS = (
    "n_calls", "n_history", "W_unchanged", "batch_shapes_ok", "rows_ok", "reg_ok",
    "history_ok", "first_W_ok", "steps_ok", "final_ok", "batches_vary",
)  # fmt: skip


def sgd_probe(seed, **kw):
    def probe(ns, rng):
        del rng
        facts = sgd_trace(ns["minibatch_sgd"], seed, **kw)
        return {k: np.asarray(facts[k]) for k in _SGD_FACTS}

    return probe


def const_grad_probe(ns, rng):
    """A constant gradient: the final W is W0 - num_iters * lr * G, whatever the batches."""
    W0 = rng.normal(size=(4, 3))
    G = rng.normal(size=(4, 3))
    X, y = rng.normal(size=(25, 4)), rng.integers(0, 3, size=25)
    W, hist = ns["minibatch_sgd"](
        lambda W, Xb, yb, reg: (float(np.sum(W)), G.copy()),
        W0,
        X,
        y,
        0.05,
        0.0,
        11,
        7,
        np.random.default_rng(5),
    )
    return {"W": np.asarray(W, dtype=np.float64), "n": np.asarray(len(hist))}


def tune_probe(val, train):
    def probe(ns, rng):
        del rng
        f = tune_trace(ns["tune_linear_classifier"], val, train)
        res = f["results"] or {}
        table = np.array([res.get(k, (np.nan, np.nan)) for k in f["grid"]], dtype=np.float64)
        keys_ok = isinstance(f["results"], dict) and sorted(res) == sorted(f["grid"])
        return {
            "keys_ok": np.asarray(keys_ok),
            "accuracies": table,
            "best": np.asarray(f["best_setting"], dtype=np.float64),
            "best_model": np.asarray(f["best_model_setting"] == f["best_setting"]),
            "n_trained": np.asarray(f["n_trained"]),
            "fresh_and_kwargs": np.asarray(f["fresh_models"] and f["kwargs_ok"]),
        }

    return probe


_VAL2 = {(a, b): v for (a, b), v in zip(
    [(l, r) for l in (1e-7, 3e-7, 1e-6) for r in (1e2, 1e3, 1e4)], [3, 5, 4, 8, 2, 6, 8, 7, 1]
)}  # fmt: skip
_TRAIN2 = {k: 10 - v // 2 for k, v in _VAL2.items()}

CASES = {
    "a1_svm_naive": linear_cases("svm_loss_naive", 3),
    "a1_svm_vectorized": linear_cases("svm_loss_vectorized", 3),
    "a1_linear_sgd": [
        Case("30 samples, 8 steps of batch 5", 0.8, sgd_probe(11, num_iters=8, batch_size=5)),
        Case(
            "batch larger than the training set",
            0.6,
            sgd_probe(12, N=6, num_iters=4, batch_size=9),
            hint="minibatches are drawn with replacement",
        ),
        Case("constant gradient, 11 steps", 0.6, const_grad_probe, rtol=1e-9, atol=1e-12),
    ],
    "a1_tune_linear": [
        Case(
            "2x2 grid",
            1.0,
            tune_probe(
                {(1e-3, 0.1): 2, (1e-3, 1.0): 5, (1e-2, 0.1): 9, (1e-2, 1.0): 6},
                {(1e-3, 0.1): 10, (1e-3, 1.0): 3, (1e-2, 0.1): 4, (1e-2, 1.0): 7},
            ),
        ),
        Case("3x3 grid with a tie (the first in grid order wins)", 1.0, tune_probe(_VAL2, _TRAIN2)),
    ],
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
