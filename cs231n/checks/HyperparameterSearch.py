"""Visible checks of HyperparameterSearch.ipynb: schedules and random search.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/HyperparameterSearch.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/HyperparameterSearch.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import CheckFailed, register
from cs231n.checks.common import (
    check_close,
    expected,
    fmt,
    is_scalar,
    notebook_helpers,
    passed,
)

NOTEBOOK = "HyperparameterSearch"


_exp, _hints = notebook_helpers(NOTEBOOK)


def inputs_schedules():
    """Epochs (some fractional) and arguments at which the schedule checks evaluate."""
    return {
        "epochs": np.array([0.0, 0.5, 1.0, 2.9, 3.0, 4.5, 6.0, 7.25, 9.0, 10.0, 12.0]),
        "step_decay": {"base_lr": 0.1, "step_size": 3, "gamma": 0.5},
        "cosine_decay": {"base_lr": 0.1, "total_epochs": 10, "min_lr": 0.01},
        "linear_warmup": {"base_lr": 0.1, "warmup_epochs": 4},
    }


def _schedule_values(fn, kwargs):
    epochs = inputs_schedules()["epochs"]
    out = []
    for e in epochs:
        v = fn(float(e), **kwargs)
        if not is_scalar(v):
            raise CheckFailed(
                f"{fn.__name__}(epoch={e}, ...): expected a finite number, got {v!r}."
            )
        out.append(float(v))
    return np.array(out)


def _check_schedule(name, fn, hints, extra=None):
    inp = inputs_schedules()
    got = _schedule_values(fn, inp[name])
    exp = _exp(f"{name}.values")
    for i, e in enumerate(inp["epochs"]):
        if not np.isclose(got[i], exp[i], rtol=1e-7, atol=1e-12):
            msg = f"{name}(epoch={e:g}, {', '.join(f'{k}={v}' for k, v in inp[name].items())}) is {fmt(got[i])}, expected {fmt(exp[i])}."
            for key, cause in hints:
                wrong = expected(NOTEBOOK).get(f"{name}.wrong_{key}")
                if wrong is not None and np.allclose(got, wrong, rtol=1e-7, atol=1e-12):
                    msg += f" Likely cause: {cause}"
                    break
            raise CheckFailed(msg)
    if extra:
        extra()
    passed(name, f"{len(got)} epochs, fractional ones included")


@register("a2_step_decay")
def check_step_decay(step_decay):
    """Step decay at whole and fractional epochs."""
    _check_schedule(
        "step_decay",
        step_decay,
        [
            (
                "every_epoch",
                "the rate decays every epoch; it should drop by gamma only every step_size epochs (floor(epoch / step_size)).",
            ),
            ("no_floor", "the exponent must be a whole number of steps: floor(epoch / step_size)."),
            (
                "ceil",
                "the first drop came too early; use floor(epoch / step_size), not ceil or round.",
            ),
        ],
    )


@register("a2_cosine_decay")
def check_cosine_decay(cosine_decay):
    """Cosine decay from base_lr to min_lr over total_epochs."""
    _check_schedule(
        "cosine_decay",
        cosine_decay,
        [
            (
                "no_min",
                "min_lr was ignored: lr = min_lr + (base_lr - min_lr) * 0.5 * (1 + cos(pi * epoch / total_epochs)).",
            ),
            ("no_half", "the factor 0.5 is missing: 0.5 * (1 + cos(...)) goes from 1 to 0."),
            ("no_clip", "after total_epochs the rate must stay at min_lr instead of rising again."),
        ],
    )


@register("a2_linear_warmup")
def check_linear_warmup(linear_warmup):
    """Linear warm-up, alone and followed by another schedule."""

    def extra():
        after = lambda e: 0.05 * e  # noqa: E731
        kw = inputs_schedules()["linear_warmup"]
        got = np.array(
            [linear_warmup(float(e), after=after, **kw) for e in inputs_schedules()["epochs"]]
        )
        check_close(
            "linear_warmup(..., after=f) values",
            got,
            _exp("linear_warmup.values_after"),
            rtol=1e-7,
            atol=1e-12,
            hints=_hints(
                "linear_warmup.values_after",
                [
                    (
                        "after_unshifted",
                        "after sees the epochs elapsed SINCE the warm-up ended: call after(epoch - warmup_epochs).",
                    ),
                    (
                        "after_ignored",
                        "after the warm-up the rate must come from after(epoch - warmup_epochs) when after is given.",
                    ),
                ],
            ),
        )

    _check_schedule(
        "linear_warmup",
        linear_warmup,
        [
            (
                "off_by_one",
                "the ramp is off by one epoch: lr = base_lr * epoch / warmup_epochs while epoch < warmup_epochs.",
            )
        ],
        extra,
    )


@register("a2_log_uniform")
def check_log_uniform(log_uniform):
    """Log-uniform samples: range, spread over decades, seeding, scalar and array sizes."""
    low, high = 1e-5, 1e-1
    s = np.asarray(log_uniform(low, high, size=20000, rng=0))
    if s.shape != (20000,):
        raise CheckFailed(
            f"log_uniform(1e-5, 1e-1, size=20000): expected shape (20000,), got {s.shape}."
        )
    if s.min() < low or s.max() > high:
        raise CheckFailed(
            f"log_uniform(1e-5, 1e-1): samples must lie in [1e-5, 1e-1], got min {s.min():.3g}, max {s.max():.3g}."
        )
    logs = np.log10(s)
    mean_log = float(logs.mean())
    if abs(mean_log - (-3.0)) > 0.05:
        msg = f"log_uniform(1e-5, 1e-1): the mean of log10(samples) is {mean_log:.3f}, expected about -3 (halfway between -5 and -1)."
        if abs(float(s.mean()) - (low + high) / 2) < 0.01:
            msg += " Likely cause: you sampled uniformly between low and high; sample the EXPONENT uniformly: 10**uniform(log10(low), log10(high))."
        elif mean_log < -3.05 and s.max() < 1e-2:
            msg += " Likely cause: natural and base-10 logarithms were mixed."
        raise CheckFailed(msg)
    frac = [float(np.mean((logs >= k) & (logs < k + 1))) for k in range(-5, -1)]
    if min(frac) < 0.22:
        raise CheckFailed(
            f"log_uniform(1e-5, 1e-1): each decade should get ~25% of the samples, got {np.round(frac, 3)}."
        )
    if not np.array_equal(s, np.asarray(log_uniform(low, high, size=20000, rng=0))):
        raise CheckFailed(
            "log_uniform: two calls with rng=0 gave different samples; draw from np.random.default_rng(rng)."
        )
    one = log_uniform(low, high, rng=np.random.default_rng(5))
    if np.ndim(one) != 0:
        raise CheckFailed(
            f"log_uniform(low, high) with size=None: expected a single number, got shape {np.shape(one)}."
        )
    passed("log_uniform", "range, one quarter of the samples per decade, seeding")


def _lr_peak_score(learning_rate, hidden, keep_prob):
    """A smooth fake validation accuracy, best at learning_rate=1e-3, hidden=64, keep_prob=0.8."""
    return float(
        0.9 * np.exp(-((np.log10(learning_rate) + 3) ** 2))
        - 0.001 * abs(hidden - 64)
        - 0.1 * abs(keep_prob - 0.8)
    )


RANDOM_SEARCH_SPACE = {
    "learning_rate": ("log", 1e-5, 1e-1),
    "hidden": ("choice", [16, 32, 64, 128]),
    "keep_prob": ("uniform", 0.2, 1.0),
}


@register("a2_random_search")
def check_random_search(random_search):
    """Random search: one call per trial, every spec kind sampled correctly, seeded, rows kept."""
    calls = []

    def train_fn(**hp):
        calls.append(dict(hp))
        return _lr_peak_score(**hp)

    space = RANDOM_SEARCH_SPACE
    results = random_search(train_fn, space, num_trials=200, seed=0)
    if len(calls) != 200:
        raise CheckFailed(
            f"random_search(..., num_trials=200): expected 200 calls of train_fn, got {len(calls)}."
        )
    if len(results) != 200:
        raise CheckFailed(
            f"random_search: expected 200 result rows (one per trial), got {len(results)}."
        )
    for hp in calls:
        if set(hp) != set(space):
            raise CheckFailed(
                f"random_search: train_fn must get one keyword per entry of the space {sorted(space)}, got {sorted(hp)}."
            )
        if not 1e-5 <= hp["learning_rate"] <= 1e-1:
            raise CheckFailed(
                f"random_search: learning_rate={hp['learning_rate']} is outside ('log', 1e-5, 1e-1)."
            )
        if hp["hidden"] not in space["hidden"][1]:
            raise CheckFailed(
                f"random_search: hidden={hp['hidden']!r} is not one of the choices {space['hidden'][1]}."
            )
        if not 0.2 <= hp["keep_prob"] <= 1.0:
            raise CheckFailed(
                f"random_search: keep_prob={hp['keep_prob']} is outside ('uniform', 0.2, 1.0)."
            )
    for row, hp in zip(results, calls):
        if (
            not isinstance(row, dict)
            or "val_acc" not in row
            or any(row.get(k) != v for k, v in hp.items())
        ):
            raise CheckFailed(
                "random_search: each result row must hold the trial's hyperparameters and its metrics "
                f"(use run_trial(train_fn, params)); got {row!r}."
            )
    lrs = np.array([hp["learning_rate"] for hp in calls])
    if len(set(lrs.tolist())) < 200:
        raise CheckFailed(
            "random_search: trials repeat the same learning rate; draw new values for every trial."
        )
    low_share = float(np.mean(lrs < 1e-3))
    if not 0.35 < low_share < 0.65:
        msg = f"random_search: {low_share:.0%} of the learning rates are below 1e-3, expected about half for ('log', 1e-5, 1e-1)."
        if low_share < 0.1:
            msg += " Likely cause: the 'log' spec was sampled uniformly; use log_uniform(low, high, rng=rng)."
        raise CheckFailed(msg)
    seen = {hp["hidden"] for hp in calls}
    if seen != set(space["hidden"][1]):
        raise CheckFailed(
            f"random_search: over 200 trials every choice should appear; got only {sorted(seen)} of {space['hidden'][1]}."
        )
    kp = np.array([hp["keep_prob"] for hp in calls])
    if abs(float(kp.mean()) - 0.6) > 0.05:
        msg = (
            f"random_search: ('uniform', 0.2, 1.0) samples should average 0.6, got {kp.mean():.3f}."
        )
        if abs(float(kp.mean()) - 0.8 / np.log(5)) < 0.03:
            msg += (
                " Likely cause: the 'uniform' spec was sampled on a log scale (its mean is that "
                "of log_uniform(0.2, 1.0)); draw it with rng.uniform(low, high)."
            )
        raise CheckFailed(msg)
    calls_first = list(calls)
    calls.clear()
    random_search(train_fn, space, num_trials=200, seed=0)
    if calls != calls_first:
        raise CheckFailed(
            "random_search: the same seed must give the same trials; draw everything from np.random.default_rng(seed)."
        )
    calls.clear()
    random_search(train_fn, space, num_trials=5, seed=1)
    if [c["learning_rate"] for c in calls] == [c["learning_rate"] for c in calls_first[:5]]:
        raise CheckFailed(
            "random_search: seeds 0 and 1 gave the same trials; use the seed argument."
        )
    passed("random_search", "200 trials: log, uniform and choice specs, seeding, one row per trial")
