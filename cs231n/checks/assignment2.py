"""Visible checks of assignment 2 (fully connected nets, optimizers, initialisation,
schedules and search, normalisation, dropout, convolutions).

Every check takes the student's objects, runs them on fixed inputs and either prints one
success line or raises :class:`~cs231n.checks.CheckFailed` naming the element, the
expected and the received value and, for the mistakes students make most often, the
likely cause.

* Forward values are compared with expected values generated at build time from the
  reference package (``expected/<notebook>.npz``), so a student release needs no
  reference code.  The same file holds the outputs of deliberately wrong variants
  ("fingerprints"): when a student's answer matches one, the message names the mistake.
* Backward passes are compared with centred-difference numerical gradients, which need
  no reference at all.
* Where a function is random (initialisers, dropout, log-uniform sampling) the check
  tests statistics with generous tolerances instead of exact values.

The fixed inputs are defined here (``inputs_<group>()``) and the build step feeds the same
inputs to the reference, so the two can never disagree about what was computed.
"""

from __future__ import annotations

import copy
import functools
import math
from pathlib import Path

import numpy as np

from cs231n.checks._core import CheckFailed, passed, register
from cs231n.checks.common import check_close as compare
from cs231n.checks.common import fmt

__all__ = [
    "EXPECTED_KEYS",
    "check_adagrad",
    "check_adam",
    "check_batchnorm_backward",
    "check_batchnorm_backward_alt",
    "check_batchnorm_forward",
    "check_conv_backward_naive",
    "check_conv_forward_naive",
    "check_cosine_decay",
    "check_dropout_backward",
    "check_dropout_forward",
    "check_elu",
    "check_fc_net",
    "check_fc_net_normalization",
    "check_he_init",
    "check_layernorm_backward",
    "check_layernorm_forward",
    "check_leaky_relu",
    "check_linear_warmup",
    "check_log_uniform",
    "check_max_pool_backward_naive",
    "check_max_pool_forward_naive",
    "check_nesterov",
    "check_random_search",
    "check_rmsprop",
    "check_sgd_momentum",
    "check_sigmoid",
    "check_silu",
    "check_spatial_batchnorm",
    "check_spatial_groupnorm",
    "check_step_decay",
    "check_tanh",
    "check_three_layer_convnet",
    "check_xavier_init",
]

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"

#: Which notebook's expected-values file holds each key prefix.
EXPECTED_KEYS = {
    "FullyConnectedNets": ("fc_net", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "adam"),
    "InitAndActivations": ("leaky_relu", "sigmoid", "tanh", "elu", "silu"),
    "HyperparameterSearch": ("step_decay", "cosine_decay", "linear_warmup"),
    "BatchNormalization": ("batchnorm", "layernorm"),
    "Dropout": (),
    "ConvolutionalNetworks": (
        "conv",
        "max_pool",
        "three_layer_convnet",
        "spatial_batchnorm",
        "spatial_groupnorm",
    ),
}
_NOTEBOOK_OF = {prefix: nb for nb, prefixes in EXPECTED_KEYS.items() for prefix in prefixes}


# ----------------------------------------------------------------------------- helpers
@functools.cache
def _load(notebook: str) -> dict:
    path = EXPECTED_DIR / f"{notebook}.npz"
    if not path.is_file():
        raise FileNotFoundError(
            f"expected values of {notebook}: expected the file {path.name} in {EXPECTED_DIR}, "
            "found none. Fix: reinstall the kit, or (instructors) run "
            "`python -m autograder.authoring.expected`."
        )
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def _exp(key: str) -> np.ndarray:
    """Expected value ``key`` ("<prefix>.<name>") from the build-time file."""
    data = _load(_NOTEBOOK_OF[key.split(".")[0]])
    if key not in data:
        raise KeyError(
            f"expected value {key!r} is missing from {_NOTEBOOK_OF[key.split('.')[0]]}.npz. "
            "Fix (instructors): rebuild it with `python -m autograder.authoring.expected`."
        )
    return data[key]


def _hints(prefix: str, pairs: list[tuple[str, str]]) -> list[tuple[np.ndarray, str]]:
    """Fingerprints ``(array, cause)`` of wrong variants stored as ``<prefix>.wrong_<name>``."""
    data = _load(_NOTEBOOK_OF[prefix.split(".")[0]])
    return [
        (data[f"{prefix}.wrong_{name}"], cause)
        for name, cause in pairs
        if f"{prefix}.wrong_{name}" in data
    ]


def _numeric_grad(f, x, df, h=1e-5):
    """Centred-difference gradient of ``sum(f(x) * df)`` with respect to ``x`` (float64)."""
    from cs231n.gradient_check import eval_numerical_gradient_array

    x = np.array(x, dtype=np.float64, copy=True)
    return eval_numerical_gradient_array(f, x, df, h=h)


def _check_grad(name, got, numeric, hints=None, tol=1e-6):
    """Compare an analytic gradient with a numerical one; the scale sets the tolerance."""
    got = np.asarray(got)
    numeric = np.asarray(numeric)
    if got.shape != numeric.shape:
        raise CheckFailed(
            f"{name}: expected shape {numeric.shape} (the shape of the input it is the gradient of), "
            f"got shape {got.shape}. Check which axes you sum over."
        )
    # Centred differences carry rounding noise of about 1e-16 * |f| / h ~ 1e-11, so a
    # gradient that is exactly 0 (a bias before batchnorm) needs an absolute floor.
    scale = max(float(np.max(np.abs(numeric))), 1e-8)
    compare(
        name + " (vs numerical gradient)",
        got,
        numeric,
        rtol=tol,
        atol=max(tol * scale, 1e-8),
        hints=hints or (),
    )


def _is_scalar(value) -> bool:
    return np.ndim(value) == 0 and np.isfinite(value)


def _unchanged(name, before, after, what="its input"):
    if not np.array_equal(before, after):
        raise CheckFailed(
            f"{name} changed {what} in place. Layers and update rules must not mutate their "
            "arguments: build a new array (out = x * 2) instead of writing into x (x *= 2)."
        )


def _lin(shape, lo, hi):
    return np.linspace(lo, hi, num=int(np.prod(shape))).reshape(shape)


# ============================================================ FullyConnectedNets
def inputs_fc_net():
    """Fixed inputs of :func:`check_fc_net` (also used by the build step)."""
    N, D, C = 3, 15, 10
    X = _lin((N, D), -5.5, 4.5)
    y = np.array([1, 7, 3])
    return {"N": N, "D": D, "C": C, "hidden_dims": [20, 30], "X": X, "y": y}


def fc_net_fixed_params(model) -> None:
    """Set every parameter of a FullyConnectedNet to a fixed, shape-dependent ramp."""
    for i, key in enumerate(sorted(model.params)):
        p = model.params[key]
        model.params[key] = _lin(p.shape, -0.7 + 0.05 * i, 0.3 + 0.03 * i).astype(p.dtype)


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
    compare(
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
        compare(
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

            num = _numeric_grad(f, p0, 1.0)
            m.params[key] = p0
            _check_grad(
                f"FullyConnectedNet grads[{key!r}] (hidden_dims={dims_g}, reg={reg})",
                grads[key],
                num,
                tol=1e-5,
            )
    passed(
        "FullyConnectedNet",
        "structure, scores, loss at reg 0 and 3.14, gradients of 3- and 5-layer nets",
    )


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
        if not _is_scalar(loss):
            raise CheckFailed(
                f"FullyConnectedNet.loss: expected a finite scalar loss, got {loss!r}."
            )
        for key in sorted(m.params):
            p0 = m.params[key]

            def f(p, key=key, m=m):
                m.params[key] = p
                return m.loss(X, y)[0]

            num = _numeric_grad(f, p0, 1.0)
            m.params[key] = p0
            _check_grad(
                f"FullyConnectedNet grads[{key!r}] (normalization={normalization!r}, keep_prob={keep_prob}, reg={reg})",
                grads[key],
                num,
                tol=1e-5,
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
        "w": _lin((N, D), -0.4, 0.6),
        "dw": _lin((N, D), -0.6, 0.4),
        "dw2": _lin((N, D), 0.5, -0.3),
        "state": _lin((N, D), 0.6, 0.9),
        "state2": _lin((N, D), 0.7, 0.5),
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
    inp = inputs_optim()
    w, dw, dw2 = inp["w"], inp["dw"], inp["dw2"]
    w0, dw0 = w.copy(), dw.copy()
    cfg = copy.deepcopy(optim_configs()[name])
    state_before = {k: (v, v.copy()) for k, v in cfg.items() if isinstance(v, np.ndarray)}
    next_w, cfg_out = rule(w, dw, cfg)
    _unchanged(name, w0, w, "w")
    _unchanged(name, dw0, dw, "dw")
    for key, (arr, arr_copy) in state_before.items():
        if not np.array_equal(arr, arr_copy):
            raise CheckFailed(
                f"{name} changed the old config[{key!r}] array in place. Store the new state as a "
                f"new array (config[{key!r}] = ...) instead of updating the old one (+=, *=)."
            )
    if not isinstance(cfg_out, dict):
        raise CheckFailed(
            f"{name}: expected to return (next_w, config) with config a dict, got {type(cfg_out).__name__}."
        )
    compare(
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
        compare(
            f"{name}: config[{key!r}] after one step",
            cfg_out[key],
            _exp(f"{name}.{key}"),
            rtol=1e-6,
        )

    # Two steps from a fresh config: the defaults are used and the state is carried over.
    w1, c1 = rule(w, dw, None)
    w2, _ = rule(w1, dw2, c1)
    compare(
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


# ============================================================ InitAndActivations
def inputs_activations():
    """Fixed inputs of the activation checks (no entry is exactly 0)."""
    return {"x": _lin((4, 6), -3.0, 3.0), "dout": _lin((4, 6), -1.0, 1.3)}


#: (check name, forward kwargs) pairs per activation, in the order of the expected keys.
ACTIVATION_CASES = {
    "leaky_relu": [{}, {"negative_slope": 0.2}],
    "sigmoid": [{}],
    "tanh": [{}],
    "elu": [{}, {"alpha": 1.5}],
    "silu": [{}],
}

_ACT_HINTS = {
    "leaky_relu": {
        "out": [
            (
                "slope_positive",
                "the slope was applied to the positive inputs; only x < 0 is scaled by negative_slope.",
            )
        ],
        "dx": [
            (
                "relu_grad",
                "the gradient of the negative inputs is negative_slope, not 0 (that is ReLU).",
            )
        ],
    },
    "sigmoid": {
        "out": [("tanh", "that is tanh; sigmoid is 1 / (1 + exp(-x)).")],
        "dx": [
            (
                "from_x",
                "the derivative is s * (1 - s) with s = sigmoid(x), the OUTPUT; it was computed from x.",
            )
        ],
    },
    "tanh": {
        "out": [],
        "dx": [
            (
                "from_x",
                "the derivative is 1 - tanh(x)**2, from the OUTPUT; it was computed as 1 - x**2.",
            )
        ],
    },
    "elu": {
        "out": [("no_alpha", "alpha must scale the negative part: alpha * (exp(x) - 1).")],
        "dx": [
            (
                "no_alpha",
                "for x < 0 the derivative is alpha * exp(x) (= out + alpha); alpha was left out.",
            )
        ],
    },
    "silu": {
        "out": [("sigmoid", "that is sigmoid(x); SiLU is x * sigmoid(x).")],
        "dx": [
            (
                "sigmoid_only",
                "the product rule has two terms: sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x)); only the first was used.",
            ),
            (
                "second_only",
                "the product rule has two terms: sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x)); only the second was used.",
            ),
        ],
    },
}


def _check_activation(name, forward, backward):
    inp = inputs_activations()
    x, dout = inp["x"], inp["dout"]
    for i, kw in enumerate(ACTIVATION_CASES[name]):
        label = f"{name}_forward(x{''.join(f', {k}={v}' for k, v in kw.items())})"
        x0 = x.copy()
        out, cache = forward(x, **kw)
        _unchanged(f"{name}_forward", x0, x, "x")
        compare(
            label,
            out,
            _exp(f"{name}.out{i}"),
            rtol=1e-7,
            atol=1e-12,
            hints=_hints(f"{name}.out{i}", _ACT_HINTS[name]["out"]),
        )
        d0 = dout.copy()
        dx = backward(dout, cache)
        _unchanged(f"{name}_backward", d0, dout, "dout")
        num = _numeric_grad(lambda z, kw=kw: forward(z, **kw)[0], x, dout)
        _check_grad(
            f"{name}_backward dx" + (f" ({kw})" if kw else ""),
            dx,
            num,
            hints=_hints(f"{name}.dx{i}", _ACT_HINTS[name]["dx"]),
        )
    # float32 in, float32 out
    out32, _ = forward(x.astype(np.float32))
    if out32.dtype != np.float32:
        raise CheckFailed(
            f"{name}_forward: a float32 input gave a {out32.dtype} output; keep the dtype of x."
        )
    passed(f"{name}_forward / {name}_backward", "values and numerical gradient")


@register("a2_leaky_relu")
def check_leaky_relu(leaky_relu_forward, leaky_relu_backward):
    """Leaky ReLU forward values and backward gradient."""
    _check_activation("leaky_relu", leaky_relu_forward, leaky_relu_backward)


@register("a2_sigmoid")
def check_sigmoid(sigmoid_forward, sigmoid_backward):
    """Sigmoid forward values and backward gradient."""
    _check_activation("sigmoid", sigmoid_forward, sigmoid_backward)
    big, _ = sigmoid_forward(np.array([-1000.0, 1000.0]))
    if not np.all(np.isfinite(big)) or not np.allclose(big, [0.0, 1.0]):
        raise CheckFailed(
            f"sigmoid_forward([-1000, 1000]): expected [0, 1], got {big}. Avoid exp overflow for large |x|."
        )


@register("a2_tanh")
def check_tanh(tanh_forward, tanh_backward):
    """Tanh forward values and backward gradient."""
    _check_activation("tanh", tanh_forward, tanh_backward)


@register("a2_elu")
def check_elu(elu_forward, elu_backward):
    """ELU forward values (alpha 1 and 1.5) and backward gradient."""
    _check_activation("elu", elu_forward, elu_backward)


@register("a2_silu")
def check_silu(silu_forward, silu_backward):
    """SiLU forward values and backward gradient."""
    _check_activation("silu", silu_forward, silu_backward)


def _init_stds(fan_in, fan_out):
    return {
        "sqrt(1 / fan_in) (LeCun)": math.sqrt(1 / fan_in),
        "sqrt(2 / fan_in) (He)": math.sqrt(2 / fan_in),
        "sqrt(2 / (fan_in + fan_out)) (Xavier)": math.sqrt(2 / (fan_in + fan_out)),
        "sqrt(1 / fan_out)": math.sqrt(1 / fan_out),
        "sqrt(2 / fan_out) (fan_out instead of fan_in)": math.sqrt(2 / fan_out),
        "2 / fan_in (the variance was used as the standard deviation)": 2 / fan_in,
        "2 / (fan_in + fan_out) (the variance was used as the standard deviation)": 2
        / (fan_in + fan_out),
        "1 / (fan_in + fan_out)": 1 / (fan_in + fan_out),
        "1 (no scaling at all)": 1.0,
    }


def _check_init(name, init, want_label):
    # (D, M) with fan_in != fan_out, and a conv filter bank (F, C, HH, WW).
    for shape, (fan_in, fan_out) in (((400, 100), (400, 100)), ((64, 8, 3, 3), (72, 576))):
        W = init(shape, rng=0)
        if not isinstance(W, np.ndarray) or W.shape != shape:
            raise CheckFailed(
                f"{name}({shape}): expected an ndarray of shape {shape}, got {getattr(W, 'shape', type(W).__name__)}."
            )
        if W.dtype != np.float64:
            raise CheckFailed(f"{name}({shape}): expected dtype float64 by default, got {W.dtype}.")
        if not np.array_equal(W, init(shape, rng=0)):
            raise CheckFailed(
                f"{name}: two calls with rng=0 gave different arrays; draw from np.random.default_rng(rng)."
            )
        if np.array_equal(W, init(shape, rng=1)):
            raise CheckFailed(f"{name}: rng=0 and rng=1 gave the same array; use the rng argument.")
        stds = _init_stds(fan_in, fan_out)
        want = stds[want_label]
        got = float(W.std())
        if abs(float(W.mean())) > 0.1 * want:
            raise CheckFailed(f"{name}({shape}): expected mean close to 0, got {W.mean():.4g}.")
        if not 0.9 * want < got < 1.1 * want:
            msg = (
                f"{name}({shape}): standard deviation is {got:.4g}, expected {want:.4g} = {want_label} "
                f"with fan_in={fan_in}, fan_out={fan_out}."
            )
            close = [
                lbl for lbl, s in stds.items() if lbl != want_label and 0.95 * s < got < 1.05 * s
            ]
            if close:
                msg += f" Likely cause: you used {close[0]}."
            if len(shape) == 4:
                msg += " For a filter bank (F, C, HH, WW), fan_in = C * HH * WW and fan_out = F * HH * WW."
            raise CheckFailed(msg)
    W32 = init((10, 5), rng=np.random.default_rng(0), dtype=np.float32)
    if W32.dtype != np.float32:
        raise CheckFailed(
            f"{name}(..., dtype=np.float32): expected a float32 array, got {W32.dtype}."
        )
    passed(name, "shape, dtype, seeding, mean 0 and the right standard deviation")


@register("a2_xavier_init")
def check_xavier_init(xavier_init):
    """Xavier/Glorot initialisation: std sqrt(2 / (fan_in + fan_out))."""
    _check_init("xavier_init", xavier_init, "sqrt(2 / (fan_in + fan_out)) (Xavier)")


@register("a2_he_init")
def check_he_init(he_init):
    """He/Kaiming initialisation: std sqrt(2 / fan_in)."""
    _check_init("he_init", he_init, "sqrt(2 / fan_in) (He)")


# ============================================================ HyperparameterSearch
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
        if not _is_scalar(v):
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
                wrong = _load("HyperparameterSearch").get(f"{name}.wrong_{key}")
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
        compare(
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
    "keep_prob": ("uniform", 0.5, 1.0),
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
        if not 0.5 <= hp["keep_prob"] <= 1.0:
            raise CheckFailed(
                f"random_search: keep_prob={hp['keep_prob']} is outside ('uniform', 0.5, 1.0)."
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
    if abs(float(kp.mean()) - 0.75) > 0.05:
        raise CheckFailed(
            f"random_search: ('uniform', 0.5, 1.0) samples should average 0.75, got {kp.mean():.3f}."
        )
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


# ============================================================ BatchNormalization
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
        "running_mean": _lin((D,), -0.5, 0.5),
        "running_var": _lin((D,), 0.5, 1.5),
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
    _unchanged("batchnorm_forward", x0, x, "x")
    compare(
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
        compare(
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
    compare(
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


def _check_bn_like_backward(name, forward, backward, param_fn, prefix, hints):
    inp = inputs_batchnorm()
    x, gamma, beta, dout = inp["x"], inp["gamma"], inp["beta"], inp["dout"]
    _, cache = forward(x, gamma, beta, param_fn())
    d0 = dout.copy()
    grads = backward(dout, cache)
    _unchanged(name, d0, dout, "dout")
    if not isinstance(grads, tuple) or len(grads) != 3:
        raise CheckFailed(
            f"{name}: expected to return (dx, dgamma, dbeta), got {type(grads).__name__} of length {len(grads) if hasattr(grads, '__len__') else '?'}."
        )
    dx, dgamma, dbeta = grads
    fx = lambda z: forward(z, gamma, beta, param_fn())[0]  # noqa: E731
    fg = lambda g: forward(x, g, beta, param_fn())[0]  # noqa: E731
    fb = lambda b: forward(x, gamma, b, param_fn())[0]  # noqa: E731
    _check_grad(f"{name} dx", dx, _numeric_grad(fx, x, dout), hints=_hints(f"{prefix}.dx", hints))
    _check_grad(f"{name} dgamma", dgamma, _numeric_grad(fg, gamma, dout))
    _check_grad(f"{name} dbeta", dbeta, _numeric_grad(fb, beta, dout))


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
    compare(
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


# ============================================================ Dropout
def inputs_dropout():
    """A large positive input, so statistics are sharp."""
    return {"x": 10.0 + _lin((400, 500), -1.0, 1.0)}


@register("a2_dropout_forward")
def check_dropout_forward(dropout_forward):
    """Inverted dropout: keep fraction, rescaling by 1 / keep_prob, seeding, test mode."""
    x = inputs_dropout()["x"]
    x0 = x.copy()
    for keep_prob in (0.25, 0.4, 0.7):
        out, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 123})
        _unchanged("dropout_forward", x0, x, "x")
        if out.shape != x.shape:
            raise CheckFailed(f"dropout_forward: expected output shape {x.shape}, got {out.shape}.")
        kept = out != 0
        frac = float(kept.mean())
        if abs(frac - keep_prob) > 0.01:
            msg = f"dropout_forward(keep_prob={keep_prob}, train): {frac:.3f} of the units were kept, expected about {keep_prob}."
            if abs(frac - (1 - keep_prob)) < 0.01:
                msg += " Likely cause: keep_prob was used as the DROP probability; keep a unit when rand < keep_prob."
            raise CheckFailed(msg)
        ratio = out[kept] / x[kept]
        if not np.allclose(ratio, 1 / keep_prob):
            msg = f"dropout_forward(keep_prob={keep_prob}, train): kept units are x * {float(np.median(ratio)):.4g}, expected x / keep_prob = x * {1 / keep_prob:.4g}."
            if np.allclose(ratio, 1.0):
                msg += " Likely cause: the kept units were not rescaled by 1 / keep_prob (inverted dropout rescales at TRAIN time so test time needs nothing)."
            elif np.allclose(ratio, keep_prob):
                msg += " Likely cause: multiplied by keep_prob instead of dividing."
            raise CheckFailed(msg)
        if abs(out.mean() / x.mean() - 1) > 0.02:
            raise CheckFailed(
                f"dropout_forward(keep_prob={keep_prob}): the mean of the output should stay {x.mean():.3f}, got {out.mean():.3f}."
            )
        again, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 123})
        if not np.array_equal(again, out):
            raise CheckFailed(
                "dropout_forward: the same seed must give the same mask; seed the generator with dropout_param['seed'] when given."
            )
        other, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 7})
        if np.array_equal(other, out):
            raise CheckFailed("dropout_forward: different seeds gave the same mask.")
    out_test, _ = dropout_forward(x, {"mode": "test", "keep_prob": 0.4})
    if not np.allclose(out_test, x):
        msg = "dropout_forward(test): expected the input unchanged at test time"
        if np.allclose(out_test, x * 0.4) or np.allclose(out_test, x / 0.4):
            msg += " Likely cause: rescaled at test time; with inverted dropout the scaling happens only in training."
        raise CheckFailed(
            msg + f", got element (0, 0) = {fmt(out_test[0, 0])} for x = {fmt(x[0, 0])}."
        )
    out_one, _ = dropout_forward(x, {"mode": "train", "keep_prob": 1.0, "seed": 1})
    if not np.allclose(out_one, x):
        raise CheckFailed(
            "dropout_forward(keep_prob=1.0): keeping every unit must return x unchanged."
        )
    passed("dropout_forward", "keep fraction, 1 / keep_prob scaling, seeds, test mode")


@register("a2_dropout_backward", "dropout_forward", "dropout_backward")
def check_dropout_backward(dropout_forward, dropout_backward):
    """Dropout backward: the mask and the scale of the forward pass, or identity in test mode."""
    fwd = dropout_forward
    rng = np.random.default_rng(0)
    x = rng.standard_normal((10, 10)) + 10
    dout = rng.standard_normal((10, 10))
    for keep_prob in (0.2, 0.6):
        param = {"mode": "train", "keep_prob": keep_prob, "seed": 123}
        out, cache = fwd(x, dict(param))
        d0 = dout.copy()
        dx = dropout_backward(dout, cache)
        _unchanged("dropout_backward", d0, dout, "dout")
        num = _numeric_grad(lambda z, param=param: fwd(z, dict(param))[0], x, dout)
        hints = [
            (
                dout * (out != 0),
                "the gradient must be rescaled by 1 / keep_prob, exactly like the forward pass.",
            ),
            (dout, "only the kept units get a gradient: multiply dout by the mask."),
        ]
        _check_grad(f"dropout_backward dx (keep_prob={keep_prob})", dx, num, hints=hints, tol=1e-7)
    _, cache = fwd(x, {"mode": "test", "keep_prob": 0.5})
    dx = dropout_backward(dout, cache)
    compare(
        "dropout_backward dx in test mode",
        dx,
        dout,
        hints=[
            (dout / 0.5, "nothing is rescaled in test mode."),
            (dout * 0.5, "nothing is rescaled in test mode."),
        ],
    )
    passed("dropout_backward", "train mode vs numerical gradient, test mode")


# ============================================================ ConvolutionalNetworks
def inputs_conv():
    """Fixed inputs of the conv and pool checks."""
    return {
        "x": _lin((2, 3, 4, 4), -0.1, 0.5),
        "w": _lin((3, 3, 4, 4), -0.2, 0.3),
        "b": _lin((3,), -0.1, 0.2),
        "param": {"stride": 2, "pad": 1},
        # rectangular, to catch swapped H and W
        "x_rect": _lin((2, 3, 5, 7), -0.3, 0.4) ** 2,
        "w_rect": _lin((4, 3, 3, 2), -0.5, 0.5),
        "b_rect": _lin((4,), 0.1, -0.1),
        "param_rect": {"stride": 1, "pad": 1},
        "pool_x": _lin((2, 3, 4, 4), -0.3, 0.4),
        "pool_param": {"pool_width": 2, "pool_height": 2, "stride": 2},
        "pool_x_overlap": np.sin(np.arange(2 * 2 * 7 * 6, dtype=np.float64)).reshape(2, 2, 7, 6),
        "pool_param_overlap": {"pool_height": 3, "pool_width": 2, "stride": 2},
    }


@register("a2_conv_forward_naive")
def check_conv_forward_naive(conv_forward_naive):
    """Naive convolution forward: a square and a rectangular case."""
    inp = inputs_conv()
    for tag, x, w, b, param in (
        ("", inp["x"], inp["w"], inp["b"], inp["param"]),
        ("_rect", inp["x_rect"], inp["w_rect"], inp["b_rect"], inp["param_rect"]),
    ):
        x0 = x.copy()
        out, _ = conv_forward_naive(x, w, b, dict(param))
        _unchanged("conv_forward_naive", x0, x, "x")
        exp = _exp(f"conv.out{tag}")
        label = f"conv_forward_naive(x {x.shape}, w {w.shape}, stride={param['stride']}, pad={param['pad']})"
        if np.shape(out) != exp.shape:
            N, _, H, W = x.shape
            F, _, HH, WW = w.shape
            s = param["stride"]
            nopad = (N, F, (H - HH) // s + 1, (W - WW) // s + 1)
            msg = f"{label}: expected output shape {exp.shape}, got {np.shape(out)}. H' = 1 + (H + 2 * pad - HH) // stride."
            if tuple(np.shape(out)) == nopad:
                msg += " Likely cause: the input was not zero-padded by pad on each side (np.pad)."
            raise CheckFailed(msg)
        compare(
            label,
            out,
            exp,
            rtol=1e-6,
            atol=1e-10,
            hints=_hints(
                f"conv.out{tag}",
                [
                    (
                        "flipped",
                        "the filter was flipped: CNN 'convolution' is a cross-correlation, sum(window * w) without flipping.",
                    ),
                    ("no_bias", "the bias b[f] was not added to every output of filter f."),
                    (
                        "transposed",
                        "H and W were swapped somewhere (rows are axis 2, columns axis 3).",
                    ),
                ],
            ),
        )
    passed(
        "conv_forward_naive", "square input with stride 2 and pad 1, rectangular input and filters"
    )


@register("a2_conv_backward_naive", "conv_forward_naive", "conv_backward_naive")
def check_conv_backward_naive(conv_forward_naive, conv_backward_naive):
    """Naive convolution backward against numerical gradients (stride 1 and 2)."""
    fwd = conv_forward_naive
    rng = np.random.default_rng(1)
    for shape_x, shape_w, param in (
        ((2, 3, 5, 5), (2, 3, 3, 3), {"stride": 1, "pad": 1}),
        ((1, 2, 5, 6), (3, 2, 3, 2), {"stride": 2, "pad": 1}),
    ):
        x = rng.standard_normal(shape_x)
        w = rng.standard_normal(shape_w)
        b = rng.standard_normal(shape_w[0])
        out, cache = fwd(x, w, b, dict(param))
        dout = rng.standard_normal(out.shape)
        d0 = dout.copy()
        dx, dw, db = conv_backward_naive(dout, cache)
        _unchanged("conv_backward_naive", d0, dout, "dout")
        tag = f" (x {shape_x}, w {shape_w}, stride={param['stride']})"
        p = dict(param)
        _check_grad(
            "conv_backward_naive dx" + tag,
            dx,
            _numeric_grad(lambda z, w=w, b=b, p=p: fwd(z, w, b, dict(p))[0], x, dout),
        )
        _check_grad(
            "conv_backward_naive dw" + tag,
            dw,
            _numeric_grad(lambda z, x=x, b=b, p=p: fwd(x, z, b, dict(p))[0], w, dout),
        )
        _check_grad(
            "conv_backward_naive db" + tag,
            db,
            _numeric_grad(lambda z, x=x, w=w, p=p: fwd(x, w, z, dict(p))[0], b, dout),
        )
    passed("conv_backward_naive", "dx, dw, db vs numerical gradients, stride 1 and 2")


@register("a2_max_pool_forward_naive")
def check_max_pool_forward_naive(max_pool_forward_naive):
    """Naive max-pool forward: 2x2 stride 2, and overlapping 3x2 windows with stride 2."""
    inp = inputs_conv()
    for tag, x, param in (
        ("", inp["pool_x"], inp["pool_param"]),
        ("_overlap", inp["pool_x_overlap"], inp["pool_param_overlap"]),
    ):
        out, _ = max_pool_forward_naive(x, dict(param))
        compare(
            f"max_pool_forward_naive(x {x.shape}, {param})",
            out,
            _exp(f"max_pool.out{tag}"),
            rtol=1e-7,
            hints=_hints(
                f"max_pool.out{tag}",
                [
                    ("mean", "that is average pooling; take the max of each window."),
                    (
                        "hw_swapped",
                        "pool_height runs along H (axis 2) and pool_width along W (axis 3).",
                    ),
                ],
            ),
        )
    passed("max_pool_forward_naive", "non-overlapping and overlapping windows")


@register("a2_max_pool_backward_naive", "max_pool_forward_naive", "max_pool_backward_naive")
def check_max_pool_backward_naive(max_pool_forward_naive, max_pool_backward_naive):
    """Naive max-pool backward, with OVERLAPPING windows (so = vs += matters)."""
    fwd = max_pool_forward_naive
    inp = inputs_conv()
    x = inp["pool_x_overlap"]
    param = inp["pool_param_overlap"]
    out, cache = fwd(x, dict(param))
    dout = _lin(out.shape, -1.0, 2.0)
    dx = max_pool_backward_naive(dout, cache)
    num = _numeric_grad(lambda z: fwd(z, dict(param))[0], x, dout)
    _check_grad(
        "max_pool_backward_naive dx (overlapping 3x2 windows, stride 2)",
        dx,
        num,
        hints=_hints(
            "max_pool.dx_overlap",
            [
                (
                    "assign",
                    "an element that is the max of two overlapping windows must get BOTH gradients: use += instead of =.",
                ),
                (
                    "spread",
                    "the gradient goes only to the max of each window, not to every element.",
                ),
            ],
        ),
    )
    x2 = inp["pool_x"]
    out2, cache2 = fwd(x2, dict(inp["pool_param"]))
    dout2 = _lin(out2.shape, 1.0, -1.0)
    dx2 = max_pool_backward_naive(dout2, cache2)
    _check_grad(
        "max_pool_backward_naive dx (2x2, stride 2)",
        dx2,
        _numeric_grad(lambda z: fwd(z, dict(inp["pool_param"]))[0], x2, dout2),
    )
    passed(
        "max_pool_backward_naive", "overlapping and non-overlapping windows vs numerical gradients"
    )


def inputs_three_layer_convnet():
    """Fixed inputs of the ThreeLayerConvNet check."""
    return {
        "X": _lin((2, 3, 8, 8), -1.0, 1.0),
        "y": np.array([1, 4]),
        "kwargs": {
            "input_dim": (3, 8, 8),
            "num_filters": 3,
            "filter_size": 3,
            "hidden_dim": 7,
            "num_classes": 5,
        },
    }


def three_layer_convnet_fixed_params(model) -> None:
    """Set every parameter of a ThreeLayerConvNet to a fixed, shape-dependent ramp."""
    for i, key in enumerate(sorted(model.params)):
        p = model.params[key]
        model.params[key] = (
            _lin(p.shape, -0.3 + 0.02 * i, 0.3 - 0.01 * i)
            * (1 + (np.arange(p.size) % 3).reshape(p.shape) * 0.1)
        ).astype(p.dtype)


@register("a2_three_layer_convnet")
def check_three_layer_convnet(ThreeLayerConvNet):
    """ThreeLayerConvNet: parameter shapes, initial loss, fixed-parameter loss, gradients."""
    inp = inputs_three_layer_convnet()
    X, y, kw = inp["X"], inp["y"], inp["kwargs"]
    model = ThreeLayerConvNet(**kw, weight_scale=1e-2, dtype=np.float64)
    F, C, HH = kw["num_filters"], kw["input_dim"][0], kw["filter_size"]
    H = kw["input_dim"][1]
    shapes = {
        "W1": (F, C, HH, HH),
        "b1": (F,),
        "W2": (F * (H // 2) * (H // 2), kw["hidden_dim"]),
        "b2": (kw["hidden_dim"],),
        "W3": (kw["hidden_dim"], kw["num_classes"]),
        "b3": (kw["num_classes"],),
    }
    for key, shape in shapes.items():
        if key not in model.params:
            raise CheckFailed(
                f"ThreeLayerConvNet.params: expected key {key!r}, got {sorted(model.params)}."
            )
        if model.params[key].shape != shape:
            hint = (
                " The conv keeps H and W ('same' padding) and the 2x2 pool halves them."
                if key == "W2"
                else ""
            )
            raise CheckFailed(
                f"ThreeLayerConvNet.params[{key!r}]: expected shape {shape}, got {model.params[key].shape}.{hint}"
            )
        if key.startswith("b") and np.any(model.params[key] != 0):
            raise CheckFailed(f"ThreeLayerConvNet.params[{key!r}]: biases start at zero.")
    loss0, _ = model.loss(X, y)
    if abs(loss0 - np.log(kw["num_classes"])) > 0.05:
        raise CheckFailed(
            f"ThreeLayerConvNet: with weight_scale=1e-2 the initial loss should be about log(5) = {np.log(5):.4f}, got {loss0:.4f}."
        )
    three_layer_convnet_fixed_params(model)
    compare(
        "ThreeLayerConvNet.loss(X) scores",
        model.loss(X),
        _exp("three_layer_convnet.scores"),
        rtol=1e-6,
        atol=1e-10,
    )
    for reg in (0.0, 0.5):
        model.reg = reg
        loss, grads = model.loss(X, y)
        tag = f"{reg:g}".replace(".", "_")
        compare(
            f"ThreeLayerConvNet loss at reg={reg}",
            loss,
            _exp(f"three_layer_convnet.loss_reg{tag}"),
            rtol=1e-6,
            hints=_hints(
                f"three_layer_convnet.loss_reg{tag}",
                [
                    (
                        "reg_no_half",
                        "the regularization term is 0.5 * reg * sum(W**2) over W1, W2, W3.",
                    )
                ],
            ),
        )
        for key in sorted(model.params):
            p0 = model.params[key]

            def f(p, key=key):
                model.params[key] = p
                return model.loss(X, y)[0]

            num = _numeric_grad(f, p0, 1.0, h=1e-6)
            model.params[key] = p0
            _check_grad(f"ThreeLayerConvNet grads[{key!r}] (reg={reg})", grads[key], num, tol=1e-4)
    passed("ThreeLayerConvNet", "shapes, initial loss ~ log(C), loss at reg 0 and 0.5, gradients")


def inputs_spatial():
    """Fixed inputs of the spatial batchnorm and groupnorm checks."""
    k = np.arange(2 * 6 * 4 * 5, dtype=np.float64).reshape(2, 6, 4, 5)
    x = 3.0 * np.sin(0.37 * k) + np.arange(6).reshape(1, 6, 1, 1) - 2.0
    return {
        "x": x,
        "dout": np.cos(0.53 * k),
        "gamma": np.array([1.0, 2.0, 0.5, 1.5, 3.0, 0.8]),
        "beta": np.array([0.0, 1.0, -1.0, 0.5, 2.0, -0.3]),
        "G": 2,
    }


def spatial_bn_param():
    return {"mode": "train", "eps": 1e-5, "momentum": 0.9}


@register("a2_spatial_batchnorm")
def check_spatial_batchnorm(spatial_batchnorm_forward, spatial_batchnorm_backward):
    """Spatial batchnorm: per-channel statistics over (N, H, W); backward vs numerical."""
    inp = inputs_spatial()
    x, gamma, beta, dout = inp["x"], inp["gamma"], inp["beta"], inp["dout"]
    param = spatial_bn_param()
    out, cache = spatial_batchnorm_forward(x, gamma, beta, param)
    compare(
        "spatial_batchnorm_forward(train) output",
        out,
        _exp("spatial_batchnorm.out"),
        rtol=1e-6,
        atol=1e-9,
        hints=_hints(
            "spatial_batchnorm.out",
            [
                (
                    "axis_n",
                    "the statistics must be per CHANNEL over N, H and W (axes 0, 2, 3), not over N alone.",
                ),
                (
                    "instance",
                    "that is instance norm (per sample and channel, over H and W); batchnorm also averages over N.",
                ),
                (
                    "layer",
                    "that is layer norm (per sample, over C, H, W); spatial batchnorm is per channel over N, H, W.",
                ),
                (
                    "bad_reshape",
                    "reshape to (N*H*W, C) by moving C LAST first: x.transpose(0, 2, 3, 1).reshape(-1, C).",
                ),
            ],
        ),
    )
    for key in ("running_mean", "running_var"):
        if key not in param:
            raise CheckFailed(
                f"spatial_batchnorm_forward: bn_param[{key!r}] must be created and updated in train mode."
            )
        compare(
            f"spatial_batchnorm bn_param[{key!r}]",
            param[key],
            _exp(f"spatial_batchnorm.{key}"),
            rtol=1e-6,
        )
    test_param = dict(param, mode="test")
    compare(
        "spatial_batchnorm_forward(test) output",
        spatial_batchnorm_forward(x, gamma, beta, test_param)[0],
        _exp("spatial_batchnorm.out_test"),
        rtol=1e-6,
        atol=1e-9,
    )
    dx, dgamma, dbeta = spatial_batchnorm_backward(dout, cache)
    fx = lambda z: spatial_batchnorm_forward(z, gamma, beta, spatial_bn_param())[0]  # noqa: E731
    _check_grad("spatial_batchnorm_backward dx", dx, _numeric_grad(fx, x, dout))
    _check_grad(
        "spatial_batchnorm_backward dgamma",
        dgamma,
        _numeric_grad(
            lambda g: spatial_batchnorm_forward(x, g, beta, spatial_bn_param())[0], gamma, dout
        ),
    )
    _check_grad(
        "spatial_batchnorm_backward dbeta",
        dbeta,
        _numeric_grad(
            lambda b: spatial_batchnorm_forward(x, gamma, b, spatial_bn_param())[0], beta, dout
        ),
    )
    passed("spatial_batchnorm", "forward (train and test), running averages, backward vs numerical")


@register("a2_spatial_groupnorm")
def check_spatial_groupnorm(spatial_groupnorm_forward, spatial_groupnorm_backward):
    """Spatial groupnorm with G=2 groups of 3 channels; backward vs numerical."""
    inp = inputs_spatial()
    x, dout, G = inp["x"], inp["dout"], inp["G"]
    gamma = inp["gamma"].reshape(1, -1, 1, 1)
    beta = inp["beta"].reshape(1, -1, 1, 1)
    out, cache = spatial_groupnorm_forward(x, gamma, beta, G, {"eps": 1e-5})
    compare(
        "spatial_groupnorm_forward output (G=2)",
        out,
        _exp("spatial_groupnorm.out"),
        rtol=1e-6,
        atol=1e-9,
        hints=_hints(
            "spatial_groupnorm.out",
            [
                (
                    "interleaved",
                    "the groups must be CONSECUTIVE channels: reshape to (N, G, C // G, H, W), not (N, C // G, G, H, W).",
                ),
                ("instance", "each channel was normalised alone (that is G = C, instance norm)."),
                ("layer", "all channels were normalised together (that is G = 1, layer norm)."),
                (
                    "batch",
                    "that is spatial batchnorm; group norm's statistics are per SAMPLE and group.",
                ),
            ],
        ),
    )
    dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)
    f = lambda z: spatial_groupnorm_forward(z, gamma, beta, G, {"eps": 1e-5})[0]  # noqa: E731
    _check_grad("spatial_groupnorm_backward dx", dx, _numeric_grad(f, x, dout))
    _check_grad(
        "spatial_groupnorm_backward dgamma",
        dgamma,
        _numeric_grad(
            lambda g: spatial_groupnorm_forward(x, g, beta, G, {"eps": 1e-5})[0], gamma, dout
        ),
    )
    _check_grad(
        "spatial_groupnorm_backward dbeta",
        dbeta,
        _numeric_grad(
            lambda b: spatial_groupnorm_forward(x, gamma, b, G, {"eps": 1e-5})[0], beta, dout
        ),
    )
    passed("spatial_groupnorm", "forward and backward vs numerical, G=2")
