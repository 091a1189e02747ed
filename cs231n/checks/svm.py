"""Visible checks of svm.ipynb: the multiclass SVM loss and its gradient.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/svm.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/svm.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import register
from cs231n.checks.common import (
    check_close,
    check_gradient,
    check_scalar,
    check_unchanged,
    correct_class_hints,
    fail,
    get,
    numeric_gradient,
    passed,
    regularization_hints,
    unpack,
)

NOTEBOOK = "svm"


def _linear_inputs(seed, N=10, D=6, C=4, scale=0.3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D))
    W = rng.normal(scale=scale, size=(D, C))
    y = rng.integers(0, C, size=N)
    return W, X, y


_REG = 0.3


def _check_linear_loss(fn, label, notebook, tag, extra_loss_hints=()):
    W = get(notebook, f"{tag}/W")
    X = get(notebook, f"{tag}/X")
    y = get(notebook, f"{tag}/y")
    want_loss = float(get(notebook, f"{tag}/loss"))
    want_dW = get(notebook, f"{tag}/dW")
    W0 = W.copy()
    loss, dW = unpack(fn(W, X, y, _REG), 2, label, "(loss, dW)")
    check_unchanged(f"{label}: W", W0, W)
    loss_hints, grad_hints = regularization_hints(_REG, W, want_loss, want_dW, X.shape[0])
    check_scalar(
        f"{label} loss (N={X.shape[0]}, reg={_REG})",
        loss,
        want_loss,
        rtol=1e-7,
        hints=[*extra_loss_hints(want_loss), *loss_hints],
    )
    if tag == "small":
        numeric = numeric_gradient(lambda w: fn(w, X, y, _REG)[0], W.copy())
        check_gradient(
            f"{label} dW",
            dW,
            numeric,
            tol=1e-6,
            hints=[*grad_hints, *correct_class_hints(dW, numeric, y, X)],
        )
    check_close(f"{label} dW", dW, want_dW, rtol=1e-6, atol=1e-10, hints=grad_hints)


def _svm_loss_hints(loss):
    return [
        (
            loss + 1.0,
            "the correct class is counted in the sum of margins (its margin is always 1): skip j == y[i].",
        )
    ]


def _no_hints(loss):
    del loss
    return []


@register("a1_svm_naive")
def check_svm_naive(svm_loss_naive):
    """Check the loop version of the SVM loss: value, numeric and expected gradient."""
    _check_linear_loss(svm_loss_naive, "svm_loss_naive", "svm", "small", _svm_loss_hints)
    passed("svm_loss_naive", "loss, gradient check and expected dW")


@register("a1_svm_vectorized")
def check_svm_vectorized(svm_loss_vectorized):
    """Check the vectorized SVM loss on a small and a larger batch."""
    for tag in ("small", "large"):
        _check_linear_loss(svm_loss_vectorized, "svm_loss_vectorized", "svm", tag, _svm_loss_hints)
    passed("svm_loss_vectorized", "loss and dW on two batches")


# ------------------------------------------------------------------ minibatch SGD


def sgd_trace(minibatch_sgd, seed, N=30, D=5, C=3, lr=0.1, reg=0.01, num_iters=6, batch_size=4):
    """Run ``minibatch_sgd`` on a recording least-squares loss and collect facts about it.

    Column 0 of X encodes each row's index, so every minibatch can be traced back to the
    rows it took. Returns a dict of plain values (shared with the hidden tests).
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D))
    X[:, 0] = np.arange(N) / N
    y = rng.integers(0, C, size=N)
    W0 = rng.normal(scale=0.1, size=(D, C))
    W_before = W0.copy()
    calls = []

    def loss_fn(W, X_batch, y_batch, reg_):
        W_in = np.array(W, dtype=np.float64, copy=True)
        Xb, yb = np.asarray(X_batch), np.asarray(y_batch)
        ok = Xb.ndim == 2 and Xb.shape[1:] == (D,) and yb.shape == (len(Xb),)
        diff = Xb @ W_in - np.eye(C)[yb] if ok else None
        if diff is None:
            loss, dW = 0.0, np.zeros((D, C))
        else:
            loss = 0.5 * np.sum(diff**2) / len(Xb) + 0.5 * reg_ * np.sum(W_in**2)
            dW = Xb.T @ diff / len(Xb) + reg_ * W_in
        calls.append(
            {"W": W_in, "X": Xb.copy(), "y": yb.copy(), "reg": reg_, "loss": loss, "dW": dW}
        )
        return float(loss), dW.copy()

    out = unpack(
        minibatch_sgd(
            loss_fn, W0, X, y, lr, reg, num_iters, batch_size, np.random.default_rng(seed + 1)
        ),
        2,
        "minibatch_sgd",
        "(W, loss_history)",
    )
    W_final, history = np.asarray(out[0], dtype=np.float64), list(out[1])
    facts = {
        "n_calls": len(calls),
        "n_history": len(history),
        "W_unchanged": bool(np.array_equal(W0, W_before)),
        "batch_shapes_ok": all(
            c["X"].shape == (batch_size, D) and c["y"].shape == (batch_size,) for c in calls
        ),
        "reg_ok": all(c["reg"] == reg for c in calls),
        "rows_ok": False,
        "history_ok": len(history) == len(calls)
        and all(np.isclose(h, c["loss"], rtol=1e-12, atol=1e-15) for h, c in zip(history, calls)),
        "first_W_ok": bool(calls) and np.allclose(calls[0]["W"], W0, rtol=0, atol=1e-15),
        "steps_ok": False,
        "final_ok": False,
        "batches_vary": False,
        "full_batch": any(len(c["X"]) == N for c in calls),
        "y_not_batched": any(c["y"].shape != (len(c["X"]),) for c in calls),
        "step_up": False,
        "step_no_lr": False,
    }
    if facts["batch_shapes_ok"] and calls:
        idx = [np.rint(c["X"][:, 0] * N).astype(int) for c in calls]
        facts["rows_ok"] = all(
            np.all((i >= 0) & (i < N))
            and np.allclose(c["X"], X[np.clip(i, 0, N - 1)])
            and np.array_equal(c["y"], y[np.clip(i, 0, N - 1)])
            for i, c in zip(idx, calls)
        )
        facts["batches_vary"] = len({tuple(i) for i in idx}) > 1
    if calls:
        steps = [a["W"] - lr * a["dW"] for a in calls]
        facts["steps_ok"] = all(
            np.allclose(nxt["W"], st, rtol=1e-10, atol=1e-13) for st, nxt in zip(steps, calls[1:])
        )
        facts["final_ok"] = W_final.shape == (D, C) and np.allclose(
            W_final, steps[-1], rtol=1e-10, atol=1e-13
        )
        after = [c["W"] for c in calls[1:]] + [W_final]
        for key, step in (
            ("step_up", lambda a: a["W"] + lr * a["dW"]),
            ("step_no_lr", lambda a: a["W"] - a["dW"]),
        ):
            facts[key] = all(
                np.shape(w) == (D, C) and np.allclose(w, step(a), rtol=1e-10, atol=1e-13)
                for a, w in zip(calls, after)
            )
    return facts


@register("a1_linear_sgd")
def check_linear_sgd(minibatch_sgd):
    """Check the SGD loop: minibatches of real rows, one update per step, loss history."""
    num_iters, batch_size = 6, 4
    f = sgd_trace(minibatch_sgd, 3, num_iters=num_iters, batch_size=batch_size)
    name = "minibatch_sgd"
    if f["n_calls"] != num_iters:
        fail(
            f"{name}: with num_iters={num_iters} expected {num_iters} calls of loss_fn, got "
            f"{f['n_calls']}. Call loss_fn exactly once per step. Likely cause: the loop runs "
            f"{f['n_calls']} times; for it in range(num_iters) runs num_iters times."
        )
    if not f["W_unchanged"]:
        fail(
            f"{name}: the caller's W changed. Build a new array (W = W - ...) instead of W -= .... "
            "Likely cause: W was updated in place (W -= ... writes into the caller's array)."
        )
    if not f["batch_shapes_ok"]:
        fail(
            f"{name}: expected every minibatch to be X_batch of shape ({batch_size}, D) and "
            f"y_batch of shape ({batch_size},) with batch_size={batch_size}. Index X and y "
            "with one array of batch_size sample indices."
            + (
                " Likely cause: the loss is computed on the whole training set, not on a "
                "minibatch: index X and y with the minibatch's indices."
                if f["full_batch"]
                else " Likely cause: y_batch is not indexed like X_batch: use y[idx] with the "
                "same indices as X[idx]."
                if f["y_not_batched"]
                else ""
            )
        )
    if not f["rows_ok"]:
        fail(
            f"{name}: a minibatch holds rows that are not rows of X, or labels that do not "
            "belong to its rows. Use the same indices for X and y."
        )
    if not f["reg_ok"]:
        fail(
            f"{name}: loss_fn did not get the reg it was given. Pass reg on unchanged. "
            "Likely cause: loss_fn is called with another reg than the one given."
        )
    if not f["batches_vary"]:
        fail(
            f"{name}: every step used the same minibatch. Draw new indices from rng at every step. "
            "Likely cause: the minibatch indices are fixed (or drawn once, outside the loop)."
        )
    if not f["first_W_ok"]:
        fail(f"{name}: the first step must compute the loss of the initial W.")
    if not f["steps_ok"] or not f["final_ok"]:
        fail(
            f"{name}: after a step with gradient dW the weights should be W - learning_rate * dW "
            "(and the function should return the weights after the last step). Use the dW of "
            "the current minibatch, and the given learning_rate."
            + (
                " Likely cause: the step goes UP the gradient (W + learning_rate * dW); "
                "gradient descent steps against it, W - learning_rate * dW (a sign error)."
                if f["step_up"]
                else " Likely cause: the step ignores learning_rate (W - dW)."
                if f["step_no_lr"]
                else ""
            )
        )
    if f["n_history"] != num_iters or not f["history_ok"]:
        fail(
            f"{name}: expected loss_history to hold the {num_iters} minibatch losses returned by "
            f"loss_fn, in order; got {f['n_history']} values that do not match."
            + (
                " Likely cause: the recorded losses are not the values loss_fn returned: "
                "append each loss unchanged, once per step."
                if f["n_history"] == num_iters
                else ""
            )
        )
    passed(name, "minibatches of real rows, one step of W - learning_rate * dW each, loss history")


# ------------------------------------------------------------------ tuning loop


def tune_trace(tune_linear_classifier, val_table, train_table, num_iters=7, seed=3):
    """Run ``tune_linear_classifier`` with a fake model class whose accuracies are known.

    ``val_table`` / ``train_table`` map ``(lr, reg)`` to the number of correct
    predictions out of 10 on each split. Returns plain facts (shared with the hidden tests).
    """
    X_train, y_train = np.zeros((10, 2)), np.arange(10) % 3
    X_val, y_val = np.ones((10, 2)), np.arange(10) % 2
    made = []

    class FakeModel:
        def __init__(self):
            self.setting, self.kwargs = None, None
            made.append(self)

        def train(
            self,
            X,
            y,
            learning_rate=None,
            reg=None,
            num_iters=None,
            batch_size=None,
            seed=None,
            **kw,
        ):
            self.setting = (learning_rate, reg)
            self.kwargs = {"num_iters": num_iters, "seed": seed, "train": X is X_train, **kw}
            return []

        def predict(self, X):
            split_y, table = (y_train, train_table) if X is X_train else (y_val, val_table)
            right = table.get(self.setting, 0)
            pred = split_y.copy()
            pred[right:] = (pred[right:] + 1) % 5
            return pred

    lrs = sorted({k[0] for k in val_table})
    regs = sorted({k[1] for k in val_table})
    out = unpack(
        tune_linear_classifier(
            FakeModel, X_train, y_train, X_val, y_val, lrs, regs, num_iters, 5, seed
        ),
        3,
        "tune_linear_classifier",
        "(results, best_setting, best_model)",
    )
    results, best_setting, best_model = out
    trained = [m for m in made if m.setting is not None]
    return {
        "results": results if isinstance(results, dict) else None,
        "best_setting": tuple(best_setting)
        if isinstance(best_setting, (tuple, list))
        else best_setting,
        "best_model_setting": getattr(best_model, "setting", "not a model"),
        "n_trained": len(trained),
        "fresh_models": len({id(m) for m in trained}) == len(trained)
        and all(m.setting is not None for m in trained),
        "kwargs_ok": all(
            m.kwargs
            and m.kwargs["num_iters"] == num_iters
            and m.kwargs["seed"] == seed
            and m.kwargs["train"]
            for m in trained
        ),
        "grid": [(lr, reg) for lr in lrs for reg in regs],
        "seed_ok": all(m.kwargs and m.kwargs["seed"] == seed for m in trained),
        "iters_ok": all(m.kwargs and m.kwargs["num_iters"] == num_iters for m in trained),
    }


TUNE_VAL = {(1e-3, 0.1): 6, (1e-3, 1.0): 9, (1e-2, 0.1): 7, (1e-2, 1.0): 4}
TUNE_TRAIN = {(1e-3, 0.1): 8, (1e-3, 1.0): 7, (1e-2, 0.1): 10, (1e-2, 1.0): 5}


@register("a1_tune_linear")
def check_tune_linear(tune_linear_classifier):
    """Check the grid search with a fake model class whose accuracies are known."""
    name = "tune_linear_classifier"
    f = tune_trace(tune_linear_classifier, TUNE_VAL, TUNE_TRAIN)
    grid = f["grid"]
    if f["n_trained"] != len(grid) or not f["fresh_models"]:
        fail(
            f"{name}: expected {len(grid)} models, one fresh model_class() trained per "
            f"(learning_rate, reg) pair, got {f['n_trained']} trained."
        )
    if not f["kwargs_ok"]:
        which = (
            "the seed"
            if not f["seed_ok"] and f["iters_ok"]
            else "num_iters"
            if not f["iters_ok"] and f["seed_ok"]
            else ""
        )
        fail(
            f"{name}: train every model on X_train with the given num_iters and seed."
            + (
                f" Likely cause: the models were trained with another {which} than the one given."
                if which
                else ""
            )
        )
    results = f["results"]
    if results is None or sorted(results) != sorted(grid):
        got = "not a dict" if results is None else sorted(results)
        fail(f"{name}: expected results to have the keys {grid}, got {got}.")
    for key in grid:
        want = (TUNE_TRAIN[key] / 10, TUNE_VAL[key] / 10)
        got = results[key]
        try:
            ok = len(got) == 2 and np.allclose(np.asarray(got, dtype=np.float64), want)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            swapped = (
                isinstance(got, (tuple, list)) and len(got) == 2 and np.allclose(got, want[::-1])
            )
            fail(
                f"{name}: results[{key}] should be (train accuracy, validation accuracy) = {want}, "
                f"got {got!r}."
                + (" Likely cause: the two accuracies are swapped." if swapped else "")
            )
    if f["best_setting"] != (1e-3, 1.0):
        cause = (
            " Likely cause: it was picked by training accuracy; pick by validation accuracy."
            if f["best_setting"] == (1e-2, 0.1)
            else " Likely cause: best_setting was never set: no model beat the initial best "
            "(is the comparison val_acc > best_val, and best_val updated with it?)."
            if f["best_setting"] is None
            else " Likely cause: best_setting is the last pair tried: keep the best validation "
            "accuracy so far (best_val) and replace it only when a model beats it."
            if f["best_setting"] == grid[-1]
            else ""
        )
        fail(f"{name}: expected best_setting (0.001, 1.0), got {f['best_setting']!r}.{cause}")
    if f["best_model_setting"] != (1e-3, 1.0):
        fail(f"{name}: best_model should be the model trained with best_setting.")
    passed(name, "every pair trained once, accuracies recorded, best chosen on validation data")
