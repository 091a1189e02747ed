"""Hidden test cases of BatchNormalization.ipynb (never released).

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).  A
backward probe uses the namespace's own forward pass when it has one (the student's),
else the package's.
"""

import numpy as np

from autograder.hidden import Case
from cs231n.checks import BatchNormalization as A


def _get(ns, name):
    if name in ns:
        return ns[name]
    from cs231n.layers import normalization

    return getattr(normalization, name)


def _inputs(rng, N, D):
    x = 3.0 * rng.standard_normal((N, D)) + rng.standard_normal(D) * 5
    return x, rng.standard_normal(D), rng.standard_normal(D)


def _bn_forward_probe(N, D, momentum, steps):
    def probe(ns, rng):
        fwd = ns["batchnorm_forward"]
        x, gamma, beta = _inputs(rng, N, D)
        param = {"mode": "train", "eps": 1e-5, "momentum": momentum}
        outs = []
        for _ in range(steps):
            out, _ = fwd(x + 0.5 * rng.standard_normal((N, D)), gamma, beta, param)
            outs.append(out)
        param["mode"] = "test"
        test_out, _ = fwd(x, gamma, beta, param)
        return {
            "train_out": np.stack(outs),
            "running_mean": np.asarray(param["running_mean"]),
            "running_var": np.asarray(param["running_var"]),
            "test_out": np.asarray(test_out),
        }

    return probe


def _bn_float32_probe(ns, rng):
    x, gamma, beta = (a.astype(np.float32) for a in _inputs(rng, 10, 4))
    out, _ = ns["batchnorm_forward"](x, gamma, beta, {"mode": "train"})
    return {"out": np.asarray(out), "float32": int(np.asarray(out).dtype == np.float32)}


def _backward_probe(fwd_name, bwd_name, N, D, param):
    def probe(ns, rng):
        x, gamma, beta = _inputs(rng, N, D)
        dout = rng.standard_normal((N, D))
        _, cache = _get(ns, fwd_name)(x, gamma, beta, dict(param))
        dx, dgamma, dbeta = ns[bwd_name](dout, cache)
        return {"dx": np.asarray(dx), "dgamma": np.asarray(dgamma), "dbeta": np.asarray(dbeta)}

    return probe


def _ln_forward_probe(N, D):
    def probe(ns, rng):
        x, gamma, beta = _inputs(rng, N, D)
        x = x * rng.uniform(0.5, 3, size=(N, 1))  # samples of different scales
        out, _ = ns["layernorm_forward"](x, gamma, beta, {"eps": 1e-5})
        return {"out": np.asarray(out)}

    return probe


_TOL = {"rtol": 1e-6, "atol": 1e-9}
_TRAIN = {"mode": "train", "eps": 1e-5, "momentum": 0.9}

CASES = {
    "a2_batchnorm_forward": [
        Case(
            "train output, running averages after 4 steps, test output",
            1.5,
            _bn_forward_probe(16, 7, 0.9, 4),
            **_TOL,
        ),
        Case(
            "momentum 0.5, batch of 2",
            1.0,
            _bn_forward_probe(2, 5, 0.5, 2),
            **_TOL,
            hint="running = momentum * running + (1 - momentum) * batch statistic",
        ),
        Case("float32 input keeps float32", 0.5, _bn_float32_probe, rtol=1e-4, atol=1e-5),
    ],
    "a2_batchnorm_backward": [
        Case(
            "N=10, D=6",
            1.5,
            _backward_probe("batchnorm_forward", "batchnorm_backward", 10, 6, _TRAIN),
            **_TOL,
        ),
        Case(
            "batch of 2",
            0.75,
            _backward_probe("batchnorm_forward", "batchnorm_backward", 2, 4, _TRAIN),
            **_TOL,
        ),
        Case(
            "single feature, N=30",
            0.75,
            _backward_probe("batchnorm_forward", "batchnorm_backward", 30, 1, _TRAIN),
            **_TOL,
        ),
    ],
    "a2_batchnorm_backward_alt": [
        Case(
            "N=12, D=5",
            1.0,
            _backward_probe("batchnorm_forward", "batchnorm_backward_alt", 12, 5, _TRAIN),
            **_TOL,
        ),
        Case(
            "batch of 3",
            1.0,
            _backward_probe("batchnorm_forward", "batchnorm_backward_alt", 3, 8, _TRAIN),
            **_TOL,
        ),
    ],
    "a2_layernorm_forward": [
        Case(
            "N=6, D=9, samples of different scale",
            1.0,
            _ln_forward_probe(6, 9),
            **_TOL,
            hint="normalise each sample (row) over its features",
        ),
        Case("single sample", 1.0, _ln_forward_probe(1, 5), **_TOL),
    ],
    "a2_layernorm_backward": [
        Case(
            "N=7, D=5",
            1.0,
            _backward_probe("layernorm_forward", "layernorm_backward", 7, 5, {"eps": 1e-5}),
            **_TOL,
        ),
        Case(
            "single sample, D=11",
            1.0,
            _backward_probe("layernorm_forward", "layernorm_backward", 1, 11, {"eps": 1e-5}),
            **_TOL,
        ),
    ],
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/BatchNormalization.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/BatchNormalization.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def _bn_stats(x, axis, ddof=0):
    return x.mean(axis=axis, keepdims=True), x.var(axis=axis, ddof=ddof, keepdims=True)


def batch_normalization() -> dict:
    from cs231n.layers import normalization as nm

    inp = A.inputs_batchnorm()
    x, gamma, beta, dout = inp["x"], inp["gamma"], inp["beta"], inp["dout"]
    eps = 1e-5
    out = {}
    param = A.bn_param_fixed()
    o, _ = nm.batchnorm_forward(x, gamma, beta, param)
    out["batchnorm.out_train"] = o
    out["batchnorm.running_mean"] = param["running_mean"]
    out["batchnorm.running_var"] = param["running_var"]
    param["mode"] = "test"
    out["batchnorm.out_test"] = nm.batchnorm_forward(x, gamma, beta, param)[0]
    mu, var = _bn_stats(x, 0)
    xhat = (x - mu) / np.sqrt(var + eps)
    mu1, var1 = _bn_stats(x, 0, ddof=1)
    out["batchnorm.out_train.wrong_ddof1"] = gamma * (x - mu1) / np.sqrt(var1 + eps) + beta
    out["batchnorm.out_train.wrong_eps_outside"] = gamma * (x - mu) / (np.sqrt(var) + eps) + beta
    out["batchnorm.out_train.wrong_no_affine"] = xhat
    out["batchnorm.out_train.wrong_swapped_affine"] = beta * xhat + gamma
    mur, varr = _bn_stats(x, 1)
    out["batchnorm.out_train.wrong_wrong_axis"] = gamma * (x - mur) / np.sqrt(varr + eps) + beta
    p0 = A.bn_param_fixed()
    out["batchnorm.running_mean.wrong_momentum_swapped"] = (
        0.1 * p0["running_mean"] + 0.9 * mu.ravel()
    )
    out["batchnorm.running_var.wrong_momentum_swapped"] = (
        0.1 * p0["running_var"] + 0.9 * var.ravel()
    )
    out.update(_bn_wrong_dx("batchnorm", x, gamma, dout, eps, axis=0))

    o, _ = nm.layernorm_forward(x, gamma, beta, {"eps": eps})
    out["layernorm.out"] = o
    out["layernorm.out.wrong_batch_axis"] = out["batchnorm.out_train"]
    out["layernorm.out.wrong_ddof1"] = (
        gamma * (x - mur) / np.sqrt(x.var(axis=1, ddof=1, keepdims=True) + eps) + beta
    )
    out["layernorm.out.wrong_eps_outside"] = gamma * (x - mur) / (np.sqrt(varr) + eps) + beta
    ln = _bn_wrong_dx("layernorm", x, gamma, dout, eps, axis=1)
    ln["layernorm.dx.wrong_batch_axis"] = _bn_wrong_dx(
        "tmp", x, gamma, dout, eps, axis=0, full=True
    )
    out.update(ln)
    return out


def _bn_wrong_dx(prefix, x, gamma, dout, eps, axis, full=False):
    """dx of batchnorm (axis 0) or layernorm (axis 1) with terms left out."""
    n = x.shape[axis]
    mu = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, keepdims=True)
    inv = 1 / np.sqrt(var + eps)
    xhat = (x - mu) * inv
    dxhat = dout * gamma
    s1 = dxhat.sum(axis=axis, keepdims=True)
    s2 = (dxhat * xhat).sum(axis=axis, keepdims=True)
    if full:
        return inv * (dxhat - s1 / n - xhat * s2 / n)
    other = 1 - axis
    return {
        # the separate terms of the right dx (direct, through the mean, through the variance)
        # and the same terms averaged over the other axis: a check fits the student's dx to
        # them and names the missing, flipped, scaled or wrong-axis term
        f"{prefix}.dx.term_direct": np.broadcast_to(inv * dxhat, x.shape).copy(),
        f"{prefix}.dx.term_mean": np.broadcast_to(-inv * s1 / n, x.shape).copy(),
        f"{prefix}.dx.term_var": np.broadcast_to(-inv * xhat * s2 / n, x.shape).copy(),
        f"{prefix}.dx.term_mean_other": np.broadcast_to(
            -inv * dxhat.mean(axis=other, keepdims=True), x.shape
        ).copy(),
        f"{prefix}.dx.term_var_other": np.broadcast_to(
            -inv * xhat * (dxhat * xhat).mean(axis=other, keepdims=True), x.shape
        ).copy(),
        f"{prefix}.dx.wrong_no_mean_term": inv * (dxhat - xhat * s2 / n),
        f"{prefix}.dx.wrong_no_var_term": inv * (dxhat - s1 / n),
        f"{prefix}.dx.wrong_only_direct": inv * dxhat,
    }


def build_expected() -> dict:
    """Expected values of the BatchNormalization checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in batch_normalization().items()}
