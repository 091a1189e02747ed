"""Visible checks of FullyConnectedNets.ipynb: FullyConnectedNet and the update rules.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/FullyConnectedNets.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/FullyConnectedNets.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import copy

import numpy as np

from cs231n.checks._core import CheckFailed, checked, register
from cs231n.checks.common import (
    check_close,
    check_grad,
    is_scalar,
    lin,
    notebook_helpers,
    numeric_gradient64,
    passed,
    reg_gradient_hints,
    unpack,
)

NOTEBOOK = "FullyConnectedNets"


_exp, _hints = notebook_helpers(NOTEBOOK)


def inputs_fc_net():
    """Fixed inputs of :func:`check_fc_net` (also used by the build step)."""
    N, D, C = 3, 15, 10
    X = lin((N, D), -5.5, 4.5)
    y = np.array([1, 7, 3])
    return {"N": N, "D": D, "C": C, "hidden_dims": [20, 30], "X": X, "y": y}


def fc_net_fixed_params(model) -> None:
    """Set every parameter of a FullyConnectedNet to a fixed, shape-dependent ramp."""
    for i, key in enumerate(sorted(model.params)):
        p = model.params[key]
        model.params[key] = lin(p.shape, -0.7 + 0.05 * i, 0.3 + 0.03 * i).astype(p.dtype)


@register("a2_fc_net")
def check_fc_net(FullyConnectedNet):
    """Structure, initialisation, scores, loss and gradients of a FullyConnectedNet."""
    inp = inputs_fc_net()
    D, C, X, y = inp["D"], inp["C"], inp["X"], inp["y"]
    dims = inp["hidden_dims"]

    model = FullyConnectedNet(
        dims, input_dim=D, num_classes=C, weight_scale=5e-2, dtype=np.float64, seed=0
    )
    sizes = [D, *dims, C]
    for i in range(len(sizes) - 1):
        for key, shape in ((f"W{i + 1}", (sizes[i], sizes[i + 1])), (f"b{i + 1}", (sizes[i + 1],))):
            if key not in model.params:
                raise CheckFailed(
                    f"FullyConnectedNet.params: expected a key {key!r} (layers are numbered from 1), "
                    f"got keys {sorted(model.params)}."
                )
            if model.params[key].shape != shape:
                raise CheckFailed(
                    f"FullyConnectedNet.params[{key!r}]: expected shape {shape}, got {model.params[key].shape}."
                )
    extra = sorted(set(model.params) - {f"{p}{i + 1}" for p in "Wb" for i in range(len(sizes) - 1)})
    if extra:
        raise CheckFailed(
            f"FullyConnectedNet.params: unexpected keys {extra} without normalization."
        )
    for i in range(len(sizes) - 1):
        W, b = model.params[f"W{i + 1}"], model.params[f"b{i + 1}"]
        if W.dtype != np.float64:
            raise CheckFailed(
                f"FullyConnectedNet.params['W{i + 1}']: expected dtype float64 (dtype=np.float64 was passed), got {W.dtype}."
            )
        if np.any(b != 0):
            raise CheckFailed(
                f"FullyConnectedNet.params['b{i + 1}']: expected all zeros at initialisation, got {b[:3]}..."
            )
        if not 0.7 * 5e-2 < W.std() < 1.3 * 5e-2:
            raise CheckFailed(
                f"FullyConnectedNet.params['W{i + 1}']: expected standard deviation close to weight_scale=0.05, "
                f"got {W.std():.4g}. Draw weights as weight_scale * standard normal."
            )

    fc_net_fixed_params(model)
    scores = model.loss(X)
    check_close(
        "FullyConnectedNet.loss(X) scores",
        scores,
        _exp("fc_net.scores"),
        rtol=1e-6,
        hints=_hints(
            "fc_net.scores",
            [
                (
                    "relu_last",
                    "a ReLU after the last affine layer: the scores are the output of the last affine layer, no activation.",
                )
            ],
        ),
    )
    for reg in (0.0, 3.14):
        model.reg = reg
        loss, grads = model.loss(X, y)
        tag = f"{reg:g}".replace(".", "_")
        check_close(
            f"FullyConnectedNet loss at reg={reg}",
            loss,
            _exp(f"fc_net.loss_reg{tag}"),
            rtol=1e-6,
            hints=_hints(
                f"fc_net.loss_reg{tag}",
                [
                    (
                        "reg_no_half",
                        "the regularization term needs the factor 0.5: 0.5 * reg * sum(W**2) over every W.",
                    ),
                    (
                        "reg_biases",
                        "biases were regularized too; only the weight matrices W1, W2, ... are.",
                    ),
                    (
                        "reg_last_only",
                        "only some weight matrices were regularized; sum 0.5 * reg * sum(W**2) over all of them.",
                    ),
                ],
            ),
        )
        if set(grads) != set(model.params):
            raise CheckFailed(
                f"FullyConnectedNet grads: expected keys {sorted(model.params)}, got {sorted(grads)}."
            )

    # Numerical gradients on a small random net, at two depths ("any depth").
    rng = np.random.default_rng(0)
    for dims_g, reg in (([6, 5], 0.0), ([5, 4, 6, 3], 0.7)):
        m = FullyConnectedNet(
            dims_g, input_dim=4, num_classes=3, reg=reg, weight_scale=0.3, dtype=np.float64, seed=1
        )
        for key in sorted(m.params):
            m.params[key] = rng.standard_normal(m.params[key].shape) * 0.5
        Xg = rng.standard_normal((5, 4))
        yg = rng.integers(0, 3, size=5)
        _, grads = m.loss(Xg, yg)
        for key in sorted(m.params):
            p0 = m.params[key]

            def f(p, key=key, m=m, Xg=Xg, yg=yg):
                m.params[key] = p
                return m.loss(Xg, yg)[0]

            num = numeric_gradient64(f, p0, 1.0)
            m.params[key] = p0
            check_grad(
                f"FullyConnectedNet grads[{key!r}] (hidden_dims={dims_g}, reg={reg})",
                grads[key],
                num,
                tol=1e-5,
                hints=reg_gradient_hints(key, p0, reg, num),
            )
    passed(
        "FullyConnectedNet",
        "structure, scores, loss at reg 0 and 3.14, gradients of 3- and 5-layer nets",
    )


@checked
def check_fc_net_normalization(FullyConnectedNet, normalization=None, keep_prob=1.0):
    """Numerical gradient check of a FullyConnectedNet with normalization and/or dropout.

    Not registered to a task: the BatchNormalization and Dropout notebooks call it on the
    FullyConnectedNet the student wrote in FullyConnectedNets.ipynb.
    """
    rng = np.random.default_rng(3)
    N, D, C = 6, 5, 4
    X = rng.standard_normal((N, D))
    y = rng.integers(0, C, size=N)
    for reg in (0.0, 0.5):
        kw = {"normalization": normalization, "keep_prob": keep_prob, "reg": reg}
        m = FullyConnectedNet(
            [7, 6], input_dim=D, num_classes=C, weight_scale=0.5, dtype=np.float64, seed=4, **kw
        )
        if normalization is not None:
            for i in (1, 2):
                for key in (f"gamma{i}", f"beta{i}"):
                    if key not in m.params:
                        raise CheckFailed(
                            f"FullyConnectedNet(normalization={normalization!r}).params: expected {key!r} for "
                            f"hidden layer {i}, got keys {sorted(m.params)}."
                        )
                if np.any(m.params[f"gamma{i}"] != 1) or np.any(m.params[f"beta{i}"] != 0):
                    raise CheckFailed(
                        f"FullyConnectedNet: gamma{i} must start at ones and beta{i} at zeros."
                    )
            if "gamma3" in m.params:
                raise CheckFailed(
                    "FullyConnectedNet: the last (output) layer has no normalization, so no 'gamma3'."
                )
        # Random biases: with zero biases a sample whose units are all dropped gives a
        # pre-activation of exactly 0, a ReLU kink where numerical gradients are wrong.
        for key in sorted(m.params):
            if key.startswith(("b", "beta")):
                m.params[key] = 0.3 * rng.standard_normal(m.params[key].shape)
            elif key.startswith("gamma"):
                m.params[key] = 1 + 0.2 * rng.standard_normal(m.params[key].shape)
        if keep_prob < 1 and getattr(m, "dropout_param", {}).get("seed") is None:
            # A fixed seed makes the dropout mask the same on every call.
            if hasattr(m, "dropout_param"):
                m.dropout_param["seed"] = 123
        loss, grads = m.loss(X, y)
        if not is_scalar(loss):
            raise CheckFailed(
                f"FullyConnectedNet.loss: expected a finite scalar loss, got {loss!r}."
            )
        for key in sorted(m.params):
            p0 = m.params[key]

            def f(p, key=key, m=m):
                m.params[key] = p
                return m.loss(X, y)[0]

            num = numeric_gradient64(f, p0, 1.0)
            m.params[key] = p0
            check_grad(
                f"FullyConnectedNet grads[{key!r}] (normalization={normalization!r}, keep_prob={keep_prob}, reg={reg})",
                grads[key],
                num,
                tol=1e-5,
                hints=reg_gradient_hints(key, p0, reg, num),
            )
    passed(
        "FullyConnectedNet",
        f"gradients with normalization={normalization!r}, keep_prob={keep_prob}",
    )


# ---------------------------------------------------------------- optimizers
def inputs_optim():
    """Fixed inputs of the optimizer checks: one (4, 5) weight, gradients and states."""
    N, D = 4, 5
    return {
        "w": lin((N, D), -0.4, 0.6),
        "dw": lin((N, D), -0.6, 0.4),
        "dw2": lin((N, D), 0.5, -0.3),
        "state": lin((N, D), 0.6, 0.9),
        "state2": lin((N, D), 0.7, 0.5),
    }


def optim_configs():
    """The configs fed to each rule in the first (mid-training) step of the checks."""
    inp = inputs_optim()
    return {
        "sgd_momentum": {"learning_rate": 1e-3, "momentum": 0.9, "velocity": inp["state"]},
        "nesterov": {"learning_rate": 1e-3, "momentum": 0.9, "velocity": inp["state"]},
        "adagrad": {"learning_rate": 1e-2, "epsilon": 1e-8, "cache": inp["state"]},
        "rmsprop": {
            "learning_rate": 1e-2,
            "decay_rate": 0.99,
            "epsilon": 1e-8,
            "cache": inp["state"],
        },
        "adam": {
            "learning_rate": 1e-2,
            "beta1": 0.9,
            "beta2": 0.999,
            "epsilon": 1e-8,
            "m": inp["state2"],
            "v": inp["state"],
            "t": 5,
        },
    }


def small_gradient_configs():
    """Configs of the step at small gradients (|dw| ~ 1e-6, a fresh state), where epsilon
    is as large as the square root it is added to: epsilon inside the root shows here."""
    inp = inputs_optim()
    tiny = np.full(inp["w"].shape, 1e-14)
    return {
        "adagrad": {"learning_rate": 1e-2, "epsilon": 1e-6, "cache": tiny},
        "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.9, "epsilon": 1e-6, "cache": tiny},
        "adam": {
            "learning_rate": 1e-2,
            "beta1": 0.9,
            "beta2": 0.999,
            "epsilon": 1e-6,
            "m": 0 * tiny,
            "v": tiny,
            "t": 0,
        },
    }


def small_gradient():
    """The gradient of the small-gradient step."""
    return 1e-6 * inputs_optim()["dw"]


_OPT_HINTS = {
    "sgd_momentum": [
        (
            "plus",
            "the step goes uphill: the velocity accumulates -learning_rate * dw, and w moves by +v.",
        ),
        (
            "no_momentum",
            "the old velocity is not multiplied by the momentum (v = momentum * v - learning_rate * dw).",
        ),
        ("update_before", "w moved with the OLD velocity; update v first, then w = w + v."),
    ],
    "nesterov": [
        (
            "plain_momentum",
            "this is plain momentum; Nesterov moves w by -momentum * v_prev + (1 + momentum) * v.",
        ),
        ("plus", "a sign error: the velocity accumulates -learning_rate * dw."),
    ],
    "adagrad": [
        (
            "no_accumulate",
            "the cache must ACCUMULATE squared gradients (cache = cache + dw**2), not be replaced.",
        ),
        ("eps_inside", "epsilon goes outside the square root: dw / (sqrt(cache) + epsilon)."),
        ("no_sqrt", "the step divides by the square ROOT of the cache."),
    ],
    "rmsprop": [
        (
            "swapped",
            "decay_rate and (1 - decay_rate) are swapped: cache = decay_rate * cache + (1 - decay_rate) * dw**2.",
        ),
        ("eps_inside", "epsilon goes outside the square root: dw / (sqrt(cache) + epsilon)."),
        ("no_sqrt", "the step divides by the square ROOT of the cache."),
        ("adagrad", "the cache was accumulated without decay (that is AdaGrad)."),
    ],
    "adam": [
        (
            "no_bias_correction",
            "Adam without bias correction: divide m by (1 - beta1**t) and v by (1 - beta2**t).",
        ),
        (
            "t_not_incremented",
            "t was not incremented before use: do t = t + 1 first, then use the new t in the bias correction.",
        ),
        ("swapped_betas", "beta1 belongs to the first moment m and beta2 to the second moment v."),
        ("no_sqrt", "the step divides by the square ROOT of the corrected second moment."),
    ],
}


def _check_optimizer(name, rule):
    """One step mid-training and two steps from the defaults.

    Every call gets fresh copies of its inputs, so a rule may update ``w`` and its
    config's arrays in place and return them (``w -= lr * dw``, ``config['cache'] *=
    rho``, as CS231n's rules do): that is correct in the Solver's contract. Only ``dw``,
    the caller's gradient, must stay as it was.
    """
    inp = inputs_optim()
    w, dw, dw2 = inp["w"], inp["dw"], inp["dw2"]
    dw0 = dw.copy()
    cfg = copy.deepcopy(optim_configs()[name])
    next_w, cfg_out = unpack(rule(w.copy(), dw, cfg), 2, name, "(next_w, config)")
    if not np.array_equal(dw0, dw):
        raise CheckFailed(
            f"{name}: dw was modified in place. The gradient belongs to the caller (the "
            "Solver may log or reuse it): read it, never write into it (w -= lr * dw is "
            "fine; dw *= lr is not)."
        )
    if not isinstance(cfg_out, dict):
        raise CheckFailed(
            f"{name}: expected to return (next_w, config) with config a dict, got {type(cfg_out).__name__}."
        )
    check_close(
        f"{name}: next_w",
        next_w,
        _exp(f"{name}.next_w"),
        rtol=1e-6,
        hints=_hints(f"{name}.next_w", [*_OPT_HINTS[name], _STATELESS]),
    )
    for key in _STATE_KEYS[name]:
        if key not in cfg_out:
            raise CheckFailed(
                f"{name}: the returned config has no {key!r}; store the updated state in config[{key!r}]."
            )
        check_close(
            f"{name}: config[{key!r}] after one step",
            cfg_out[key],
            _exp(f"{name}.{key}"),
            rtol=1e-6,
        )

    # Two steps from a fresh config: the defaults are used and the state is carried over.
    w1, c1 = unpack(rule(w.copy(), dw.copy(), None), 2, name, "(next_w, config)")
    w2, _ = unpack(rule(np.array(w1, copy=True), dw2.copy(), c1), 2, name, "(next_w, config)")
    check_close(
        f"{name}: w after two steps from config=None (defaults)",
        w2,
        _exp(f"{name}.two_steps"),
        rtol=1e-6,
        hints=_hints(
            f"{name}.two_steps",
            [
                (
                    "stateless",
                    "the state (velocity, cache, moments, t) is not carried from one call to the next: read it from config and store the new value back.",
                )
            ]
            + _OPT_HINTS[name],
        ),
    )
    if name in small_gradient_configs():
        cfg = copy.deepcopy(small_gradient_configs()[name])
        w_small, _ = unpack(rule(w.copy(), small_gradient(), cfg), 2, name, "(next_w, config)")
        check_close(
            f"{name}: next_w at small gradients (|dw| ~ 1e-6, epsilon = 1e-6)",
            w_small,
            _exp(f"{name}.small_next_w"),
            rtol=1e-9,
            atol=1e-12,
        )
    passed(name, "one step mid-training and two steps from the defaults")


_STATELESS = (
    "stateless",
    "the state in config (velocity, cache, moments, t) was ignored: read it from config "
    "(start from zeros only when it is missing) and store the new value back.",
)

_STATE_KEYS = {
    "sgd_momentum": ("velocity",),
    "nesterov": ("velocity",),
    "adagrad": ("cache",),
    "rmsprop": ("cache",),
    "adam": ("m", "v", "t"),
}


@register("a2_sgd_momentum")
def check_sgd_momentum(sgd_momentum):
    """SGD with momentum on fixed inputs."""
    _check_optimizer("sgd_momentum", sgd_momentum)


@register("a2_nesterov")
def check_nesterov(nesterov):
    """Nesterov momentum on fixed inputs."""
    _check_optimizer("nesterov", nesterov)


@register("a2_adagrad")
def check_adagrad(adagrad):
    """AdaGrad on fixed inputs."""
    _check_optimizer("adagrad", adagrad)


@register("a2_rmsprop")
def check_rmsprop(rmsprop):
    """RMSProp on fixed inputs."""
    _check_optimizer("rmsprop", rmsprop)


@register("a2_adam")
def check_adam(adam):
    """Adam (with bias correction) on fixed inputs."""
    _check_optimizer("adam", adam)
