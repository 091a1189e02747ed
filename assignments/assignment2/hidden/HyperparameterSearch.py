"""Hidden test cases of HyperparameterSearch.ipynb (never released).

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).
"""

import math

import numpy as np

from autograder.hidden import Case
from cs231n.checks import HyperparameterSearch as A


def _values(fn, epochs, **kw):
    return np.array([float(fn(float(e), **kw)) for e in epochs])


def _step_probe(ns, rng):
    epochs = np.concatenate([rng.uniform(0, 30, size=20), [0.0, 4.0, 8.0, 7.999, 12.0]])
    return {
        "gamma_default": _values(ns["step_decay"], epochs, base_lr=0.3, step_size=4),
        "gamma_0.7_fractional_step": _values(
            ns["step_decay"], epochs, base_lr=1e-3, step_size=2.5, gamma=0.7
        ),
    }


def _cosine_probe(ns, rng):
    epochs = np.concatenate([rng.uniform(0, 15, size=20), [0.0, 5.0, 10.0, 12.0]])
    return {
        "min_default": _values(ns["cosine_decay"], epochs, base_lr=0.05, total_epochs=10),
        "with_min": _values(ns["cosine_decay"], epochs, base_lr=2.0, total_epochs=7.5, min_lr=0.1),
    }


def _warmup_probe(ns, rng):
    epochs = np.concatenate([rng.uniform(0, 10, size=20), [0.0, 2.0, 3.0]])

    def after(e):
        return 0.2 / (1.0 + e)

    return {
        "alone": _values(ns["linear_warmup"], epochs, base_lr=0.2, warmup_epochs=3),
        "with_after": _values(
            ns["linear_warmup"], epochs, base_lr=0.2, warmup_epochs=2, after=after
        ),
        "no_warmup": _values(
            ns["linear_warmup"], epochs, base_lr=0.2, warmup_epochs=0, after=after
        ),
    }


def _log_uniform_probe(ns, rng):
    f = ns["log_uniform"]
    seed = int(rng.integers(1000))
    s = np.asarray(f(3e-6, 3e-2, size=(100, 200), rng=seed))
    one = f(1e-3, 1e-1, rng=seed)
    same = f(0.5, 0.5, size=4, rng=seed)
    return {
        "shape": np.array(s.shape),
        "in_range": int(s.min() >= 3e-6 and s.max() <= 3e-2),
        "log10_quantiles": np.quantile(np.log10(s), [0.1, 0.25, 0.5, 0.75, 0.9]),
        "scalar_ndim": int(np.ndim(one)),
        "degenerate": np.asarray(same, dtype=np.float64),
        "seeded": int(np.array_equal(s, np.asarray(f(3e-6, 3e-2, size=(100, 200), rng=seed)))),
    }


def _search_probe(ns, rng):
    calls = []

    def train_fn(**hp):
        calls.append(dict(hp))
        return {"val_acc": float(-abs(np.log10(hp["lr"]) + 2.5)), "train_acc": 0.5}

    space = {
        "lr": ("log", 1e-4, 1e-1),
        "keep": ("uniform", 0.2, 0.6),
        "opt": ("choice", ["sgd", "adam", "rmsprop"]),
        "width": lambda r: int(r.integers(1, 4)) * 32,
    }
    seed = int(rng.integers(1000))
    results = ns["random_search"](train_fn, space, num_trials=300, seed=seed)
    lr = np.array([c["lr"] for c in calls])
    keep = np.array([c["keep"] for c in calls])
    opt = [c["opt"] for c in calls]
    width = np.array([c["width"] for c in calls])
    rows_ok = int(
        len(results) == len(calls)
        and all(
            r.get("lr") == c["lr"] and "val_acc" in r and "train_acc" in r
            for r, c in zip(results, calls)
        )
    )
    return {
        "num_calls": len(calls),
        "rows_consistent": rows_ok,
        "lr_share_per_decade": np.array(
            [np.mean((lr >= 10.0**k) & (lr < 10.0 ** (k + 1))) for k in (-4, -3, -2)]
        ),
        "keep_mean": float(keep.mean()),
        "keep_range_ok": int(keep.min() >= 0.2 and keep.max() <= 0.6),
        "opt_shares": np.array([opt.count(o) / len(opt) for o in ("sgd", "adam", "rmsprop")]),
        "width_values": np.array(sorted(set(width.tolist()))),
    }


def _search_seed_probe(ns, rng):
    def train_fn(**hp):
        return float(hp["a"])

    space = {"a": ("uniform", 0.0, 1.0), "b": ("log", 1e-3, 1.0)}
    r1 = ns["random_search"](train_fn, space, num_trials=5, seed=3)
    r2 = ns["random_search"](train_fn, space, num_trials=5, seed=3)
    r3 = ns["random_search"](train_fn, space, num_trials=5, seed=4)
    a1 = [r["a"] for r in r1]
    return {
        "same_seed_same_trials": int(a1 == [r["a"] for r in r2]),
        "other_seed_differs": int(a1 != [r["a"] for r in r3]),
        "num_rows": len(r1),
    }


CASES = {
    "a2_step_decay": [
        Case("random and boundary epochs, two settings", 1.0, _step_probe, rtol=1e-9, atol=1e-15)
    ],
    "a2_cosine_decay": [
        Case(
            "random epochs, before and after total_epochs",
            1.0,
            _cosine_probe,
            rtol=1e-9,
            atol=1e-15,
            hint="clip the epoch at total_epochs",
        )
    ],
    "a2_linear_warmup": [
        Case(
            "alone, with after, and with warmup_epochs=0",
            1.0,
            _warmup_probe,
            rtol=1e-9,
            atol=1e-15,
            hint="after(epoch - warmup_epochs)",
        )
    ],
    "a2_log_uniform": [
        Case(
            "distribution, shapes, scalar, low == high, seeding",
            1.0,
            _log_uniform_probe,
            rtol=1e-9,
            atol=0.05,
        )
    ],
    "a2_random_search": [
        Case(
            "300 trials: log, uniform, choice and callable specs",
            1.5,
            _search_probe,
            rtol=1e-9,
            atol=0.08,
        ),
        Case("seeding", 0.5, _search_seed_probe),
    ],
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/HyperparameterSearch.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/HyperparameterSearch.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def hyperparameter_search() -> dict:
    from cs231n import schedules as sch

    inp = A.inputs_schedules()
    epochs = inp["epochs"]
    out = {}
    for name in ("step_decay", "cosine_decay", "linear_warmup"):
        out[f"{name}.values"] = A._schedule_values(getattr(sch, name), inp[name])
    kw = inp["step_decay"]
    b, s, g = kw["base_lr"], kw["step_size"], kw["gamma"]
    out["step_decay.wrong_every_epoch"] = np.array([b * g ** math.floor(e) for e in epochs])
    out["step_decay.wrong_no_floor"] = np.array([b * g ** (e / s) for e in epochs])
    out["step_decay.wrong_ceil"] = np.array([b * g ** math.ceil(e / s) for e in epochs])
    kw = inp["cosine_decay"]
    b, T, m = kw["base_lr"], kw["total_epochs"], kw["min_lr"]
    out["cosine_decay.wrong_no_min"] = np.array(
        [b * 0.5 * (1 + math.cos(math.pi * min(e, T) / T)) for e in epochs]
    )
    out["cosine_decay.wrong_no_half"] = np.array(
        [m + (b - m) * (1 + math.cos(math.pi * min(e, T) / T)) for e in epochs]
    )
    out["cosine_decay.wrong_no_clip"] = np.array(
        [m + (b - m) * 0.5 * (1 + math.cos(math.pi * e / T)) for e in epochs]
    )
    kw = inp["linear_warmup"]
    b, W = kw["base_lr"], kw["warmup_epochs"]
    out["linear_warmup.wrong_off_by_one"] = np.array([b * min(1.0, (e + 1) / W) for e in epochs])

    def after(e):
        return 0.05 * e

    out["linear_warmup.values_after"] = np.array(
        [sch.linear_warmup(float(e), after=after, **kw) for e in epochs]
    )
    out["linear_warmup.values_after.wrong_after_unshifted"] = np.array(
        [b * e / W if e < W else after(e) for e in epochs]
    )
    out["linear_warmup.values_after.wrong_after_ignored"] = np.array(
        [b * e / W if e < W else b for e in epochs]
    )
    return out


def build_expected() -> dict:
    """Expected values of the HyperparameterSearch checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in hyperparameter_search().items()}
