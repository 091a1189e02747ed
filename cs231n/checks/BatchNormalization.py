"""Visible checks of BatchNormalization.ipynb: batch and layer normalisation.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/BatchNormalization.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/BatchNormalization.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import CheckFailed, register
from cs231n.checks._store import store as _store
from cs231n.checks.common import (
    check_close,
    check_grad,
    check_unchanged,
    lin,
    notebook_helpers,
    numeric_gradient64,
    passed,
)

NOTEBOOK = "BatchNormalization"


_exp, _hints = notebook_helpers(NOTEBOOK)


def inputs_batchnorm():
    """Fixed inputs of the batchnorm and layernorm checks (N=8, D=5)."""
    N, D = 8, 5
    k = np.arange(N * D, dtype=np.float64).reshape(N, D)
    x = 4.0 * np.sin(1.3 * k) + np.arange(D) * 2.0 - 3.0
    return {
        "x": x,
        "gamma": np.array([1.0, 2.0, 0.5, 3.0, 1.5]),
        "beta": np.array([0.0, -1.0, 0.5, 2.0, 0.1]),
        "dout": np.cos(0.7 * k) + 0.1 * k / (N * D),
        "running_mean": lin((D,), -0.5, 0.5),
        "running_var": lin((D,), 0.5, 1.5),
    }


def bn_param_fixed():
    inp = inputs_batchnorm()
    return {
        "mode": "train",
        "eps": 1e-5,
        "momentum": 0.9,
        "running_mean": inp["running_mean"].copy(),
        "running_var": inp["running_var"].copy(),
    }


@register("a2_batchnorm_forward")
def check_batchnorm_forward(batchnorm_forward):
    """Batchnorm forward: train-mode output, running averages, test mode."""
    inp = inputs_batchnorm()
    x, gamma, beta = inp["x"], inp["gamma"], inp["beta"]
    x0 = x.copy()
    param = bn_param_fixed()
    out, _ = batchnorm_forward(x, gamma, beta, param)
    check_unchanged("batchnorm_forward", x0, x, "x")
    check_close(
        "batchnorm_forward(train) output",
        out,
        _exp("batchnorm.out_train"),
        rtol=1e-6,
        atol=1e-9,
        hints=_hints(
            "batchnorm.out_train",
            [
                (
                    "ddof1",
                    "the variance must be the biased one (divide by N, np.var's default), not ddof=1.",
                ),
                ("eps_outside", "eps goes inside the square root: (x - mean) / sqrt(var + eps)."),
                ("no_affine", "the output must be scaled and shifted: gamma * x_hat + beta."),
                ("swapped_affine", "gamma scales and beta shifts: gamma * x_hat + beta."),
                (
                    "wrong_axis",
                    "the statistics are per FEATURE, over the batch: mean and var along axis 0.",
                ),
            ],
        ),
    )
    per_feature_mean = out.mean(axis=0)
    if not np.allclose(per_feature_mean, beta, atol=1e-6):
        raise CheckFailed(
            f"batchnorm_forward(train): per-feature means of the output should equal beta {beta}, got {per_feature_mean}."
        )
    for key in ("running_mean", "running_var"):
        check_close(
            f"bn_param[{key!r}] after one training step",
            param[key],
            _exp(f"batchnorm.{key}"),
            rtol=1e-6,
            hints=_hints(
                f"batchnorm.{key}",
                [
                    (
                        "momentum_swapped",
                        "the running average is momentum * running + (1 - momentum) * batch statistic; the two weights are swapped.",
                    )
                ],
            ),
        )
    param["mode"] = "test"
    out_test, _ = batchnorm_forward(x, gamma, beta, param)
    check_close(
        "batchnorm_forward(test) output",
        out_test,
        _exp("batchnorm.out_test"),
        rtol=1e-6,
        atol=1e-9,
        hints=[
            (
                _exp("batchnorm.out_train"),
                "test mode must normalise with the RUNNING mean and variance, not the statistics of the batch.",
            )
        ],
    )
    passed("batchnorm_forward", "train output, running averages, test output")


def _bn_backward_hints(prefix):
    return [
        (
            "no_mean_term",
            "the term through the MEAN is missing: dx needs - sum(dx_hat) / N (dx_hat = dout * gamma).",
        ),
        (
            "no_var_term",
            "the term through the VARIANCE is missing: dx needs - x_hat * sum(dx_hat * x_hat) / N.",
        ),
        (
            "only_direct",
            "only the direct path dx_hat / sqrt(var + eps) is there; the mean and the variance also depend on x.",
        ),
    ]


_TERMS = ("direct", "mean", "var", "mean_other", "var_other")
_TERM_NAMES = {
    "direct": "the direct path dx_hat / sqrt(var + eps)",
    "mean": "the term through the MEAN",
    "var": "the term through the VARIANCE",
}


def _terms_hint(prefix: str, dx) -> list:
    try:
        return _terms_fit(prefix, dx)
    except Exception:  # a hint must never hide the failure itself
        return []


def _terms_fit(prefix: str, dx) -> list:
    """``[(fit, cause)]`` when ``dx`` is an exact combination of the right dx's terms.

    The build stores the three terms of the right dx (direct, through the mean, through
    the variance) for the check's inputs, and the mean and variance terms averaged over
    the other axis. A dx equal to a combination with coefficients other than
    (1, 1, 1, 0, 0), all multiples of 1/2, names what differs: a term missing (0),
    flipped (-1), scaled, or averaged over the wrong axis. Anything else: no hint.
    """
    data = _store(NOTEBOOK)
    keys = [f"{prefix}.dx.term_{t}" for t in _TERMS]
    g = np.asarray(dx, dtype=np.float64)
    if any(k not in data or np.shape(data[k]) != g.shape for k in keys):
        return []
    if not np.all(np.isfinite(g)):
        return []
    basis = np.stack([np.asarray(data[k], dtype=np.float64).ravel() for k in keys], axis=1)
    coef = np.linalg.lstsq(basis, g.ravel(), rcond=None)[0]
    fit = (basis @ coef).reshape(g.shape)
    scale = float(np.max(np.abs(g))) or 1.0
    if not np.allclose(fit, g, rtol=1e-6, atol=1e-9 * scale):
        return []
    half = np.round(coef * 2) / 2
    if np.max(np.abs(coef - half)) > 1e-4:
        return []
    want = np.array([1.0, 1.0, 1.0, 0.0, 0.0])
    if np.array_equal(half, want):
        return []
    axis = 0 if prefix == "batchnorm" else 1
    other = 1 - axis
    c = dict(zip(_TERMS, half))
    parts = []
    swapped = {
        t: c[t] == 0 and c[f"{t}_other"] == 1 for t in ("mean", "var")
    }  # a term averaged over the other axis instead of this layer's axis
    for t, w in zip(_TERMS[:3], want[:3]):
        what = _TERM_NAMES[t]
        if swapped.get(t):
            term = "MEAN" if t == "mean" else "VARIANCE"
            parts.append(
                f"the {term} term averages over axis {other} instead of axis {axis} (this "
                f"layer's statistics run over axis {axis})"
            )
        elif c[t] == w:
            continue
        elif c[t] == 0:
            parts.append(f"{what} is missing")
        elif c[t] == -1:
            parts.append(f"{what} has the wrong sign")
        else:
            parts.append(f"{what} is {c[t]:g} times what it should be")
    for t in ("mean", "var"):
        k = c[f"{t}_other"]
        if k and not swapped[t]:
            term = "MEAN" if t == "mean" else "VARIANCE"
            parts.append(f"an extra {term} term averaged over axis {other} ({k:g} times)")
    cause = "; ".join(parts) + (
        " (dx = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / sqrt(var + eps), "
        f"means over axis {axis})."
    )
    return [(fit, cause)]


def _check_bn_like_backward(name, forward, backward, param_fn, prefix, hints):
    inp = inputs_batchnorm()
    x, gamma, beta, dout = inp["x"], inp["gamma"], inp["beta"], inp["dout"]
    _, cache = forward(x, gamma, beta, param_fn())
    d0 = dout.copy()
    grads = backward(dout, cache)
    check_unchanged(name, d0, dout, "dout")
    if not isinstance(grads, tuple) or len(grads) != 3:
        raise CheckFailed(
            f"{name}: expected to return (dx, dgamma, dbeta), got {type(grads).__name__} of length {len(grads) if hasattr(grads, '__len__') else '?'}."
        )
    dx, dgamma, dbeta = grads
    fx = lambda z: forward(z, gamma, beta, param_fn())[0]  # noqa: E731
    fg = lambda g: forward(x, g, beta, param_fn())[0]  # noqa: E731
    fb = lambda b: forward(x, gamma, b, param_fn())[0]  # noqa: E731
    check_grad(
        f"{name} dx",
        dx,
        numeric_gradient64(fx, x, dout),
        hints=_hints(f"{prefix}.dx", hints) + _terms_hint(prefix, dx),
    )
    check_grad(f"{name} dgamma", dgamma, numeric_gradient64(fg, gamma, dout))
    check_grad(f"{name} dbeta", dbeta, numeric_gradient64(fb, beta, dout))


@register("a2_batchnorm_backward", "batchnorm_forward", "batchnorm_backward")
def check_batchnorm_backward(batchnorm_forward, batchnorm_backward):
    """Batchnorm backward against numerical gradients of your batchnorm_forward."""
    _check_bn_like_backward(
        "batchnorm_backward",
        batchnorm_forward,
        batchnorm_backward,
        bn_param_fixed,
        "batchnorm",
        _bn_backward_hints("batchnorm"),
    )
    passed("batchnorm_backward", "dx, dgamma, dbeta vs numerical gradients")


@register("a2_batchnorm_backward_alt", "batchnorm_forward", "batchnorm_backward_alt")
def check_batchnorm_backward_alt(batchnorm_forward, batchnorm_backward_alt):
    """The simplified batchnorm backward against numerical gradients of your forward."""
    _check_bn_like_backward(
        "batchnorm_backward_alt",
        batchnorm_forward,
        batchnorm_backward_alt,
        bn_param_fixed,
        "batchnorm",
        _bn_backward_hints("batchnorm"),
    )
    passed("batchnorm_backward_alt", "dx, dgamma, dbeta vs numerical gradients")


@register("a2_layernorm_forward")
def check_layernorm_forward(layernorm_forward):
    """Layer norm forward: each SAMPLE is normalised over its features."""
    inp = inputs_batchnorm()
    x, gamma, beta = inp["x"], inp["gamma"], inp["beta"]
    out, _ = layernorm_forward(x, gamma, beta, {"eps": 1e-5})
    check_close(
        "layernorm_forward output",
        out,
        _exp("layernorm.out"),
        rtol=1e-6,
        atol=1e-9,
        hints=_hints(
            "layernorm.out",
            [
                (
                    "batch_axis",
                    "that is batchnorm: layer norm normalises each sample (row) over its features, axis=1.",
                ),
                ("ddof1", "the variance must be the biased one (divide by D), not ddof=1."),
                ("eps_outside", "eps goes inside the square root."),
            ],
        ),
    )
    passed("layernorm_forward", "output normalised per sample")


@register("a2_layernorm_backward", "layernorm_forward", "layernorm_backward")
def check_layernorm_backward(layernorm_forward, layernorm_backward):
    """Layer norm backward against numerical gradients of your layernorm_forward."""
    _check_bn_like_backward(
        "layernorm_backward",
        layernorm_forward,
        layernorm_backward,
        lambda: {"eps": 1e-5},
        "layernorm",
        [
            (
                "batch_axis",
                "that is the batchnorm gradient (sums over axis 0); layer norm's sums run over the features, axis=1.",
            ),
            ("no_mean_term", "the term through the per-sample MEAN is missing."),
            ("no_var_term", "the term through the per-sample VARIANCE is missing."),
        ],
    )
    passed("layernorm_backward", "dx, dgamma, dbeta vs numerical gradients")
