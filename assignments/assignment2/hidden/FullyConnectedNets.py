"""Hidden test cases of FullyConnectedNets.ipynb (never released).

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).
"""

import copy

import numpy as np

from autograder.hidden import Case
from cs231n.checks import FullyConnectedNets as A


def _fc_probe(hidden_dims, reg, input_shape, C=6, N=5):
    def probe(ns, rng):
        Net = ns["FullyConnectedNet"]
        model = Net(
            hidden_dims,
            input_dim=input_shape,
            num_classes=C,
            reg=reg,
            weight_scale=0.1,
            dtype=np.float64,
            seed=0,
        )
        for key in sorted(model.params):
            model.params[key] = 0.4 * rng.standard_normal(model.params[key].shape)
        shape = input_shape if isinstance(input_shape, tuple) else (input_shape,)
        X = rng.standard_normal((N, *shape))
        y = rng.integers(C, size=N)
        scores = model.loss(X)
        loss, grads = model.loss(X, y)
        return {
            "scores": np.asarray(scores),
            "loss": float(loss),
            **{f"grad_{k}": np.asarray(grads[k]) for k in sorted(grads)},
        }

    return probe


def _fc_init_probe(ns, rng):
    model = ns["FullyConnectedNet"](
        [300, 200],
        input_dim=400,
        num_classes=10,
        weight_scale=3e-2,
        dtype=np.float64,
        seed=int(rng.integers(100)),
    )
    out = {}
    for key in sorted(model.params):
        p = model.params[key]
        out[f"shape_{key}"] = np.array(p.shape)
        if key.startswith("W"):
            out[f"std_{key}"] = float(p.std())
        else:
            out[f"abs_{key}"] = float(np.abs(p).sum())
    m32 = ns["FullyConnectedNet"]([4], input_dim=3, num_classes=2, seed=0)
    out["float32"] = int(all(p.dtype == np.float32 for p in m32.params.values()))
    return out


def _opt_probe(name, steps, hyper=None, state=None, shape=(6, 7)):
    def probe(ns, rng):
        rule = ns[name]
        w = rng.standard_normal(shape)
        config = None
        if hyper is not None or state is not None:
            config = dict(hyper or {})
            for key in state or ():
                config[key] = (
                    np.abs(rng.standard_normal(shape))
                    if key in ("cache", "v")
                    else rng.standard_normal(shape)
                )
            if name == "adam" and state:
                config["t"] = 7
        for _ in range(steps):
            dw = rng.standard_normal(shape)
            w, config = rule(w, dw, config)
        out = {"w": np.asarray(w)}
        for key in _STATE[name]:
            out[key] = np.asarray(config[key], dtype=np.float64)
        return out

    return probe


_STATE = {
    "sgd_momentum": ("velocity",),
    "nesterov": ("velocity",),
    "adagrad": ("cache",),
    "rmsprop": ("cache",),
    "adam": ("m", "v", "t"),
}


def _opt_cases(name, hyper, state):
    return [
        Case(
            "three steps from config=None (defaults, state created)",
            1.0,
            _opt_probe(name, 3),
            rtol=1e-6,
            atol=1e-12,
        ),
        Case(
            "one step with custom hyperparameters and an existing state",
            0.5,
            _opt_probe(name, 1, hyper, state),
            rtol=1e-6,
            atol=1e-12,
        ),
        Case(
            "five steps, 3-D weights",
            0.5,
            _opt_probe(name, 5, hyper, state, shape=(2, 3, 4)),
            rtol=1e-6,
            atol=1e-12,
        ),
    ]


CASES = {
    "a2_fc_net": [
        Case(
            "initialisation: shapes, zero biases, weight_scale",
            1.0,
            _fc_init_probe,
            rtol=0.08,
            atol=1e-12,
        ),
        Case("one hidden layer, reg 0", 1.0, _fc_probe([7], 0.0, 4), rtol=1e-6, atol=1e-10),
        Case(
            "three hidden layers, reg 0.5", 1.5, _fc_probe([8, 6, 5], 0.5, 9), rtol=1e-6, atol=1e-10
        ),
        Case(
            "image input (1, 4, 4), four hidden layers, reg 1.3",
            1.5,
            _fc_probe([5, 5, 4, 6], 1.3, (1, 4, 4)),
            rtol=1e-6,
            atol=1e-10,
            hint="reshape each input to a row of D features",
        ),
    ],
    "a2_sgd_momentum": _opt_cases(
        "sgd_momentum", {"learning_rate": 3e-2, "momentum": 0.8}, ("velocity",)
    ),
    "a2_nesterov": _opt_cases("nesterov", {"learning_rate": 3e-2, "momentum": 0.8}, ("velocity",)),
    "a2_adagrad": _opt_cases("adagrad", {"learning_rate": 5e-2, "epsilon": 1e-6}, ("cache",)),
    "a2_rmsprop": _opt_cases(
        "rmsprop", {"learning_rate": 5e-3, "decay_rate": 0.9, "epsilon": 1e-6}, ("cache",)
    ),
    "a2_adam": _opt_cases(
        "adam", {"learning_rate": 2e-3, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-7}, ("m", "v")
    ),
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/FullyConnectedNets.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/FullyConnectedNets.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def _fc_forward(params, X, L, relu_last=False):
    h = X.reshape(X.shape[0], -1)
    for i in range(1, L + 1):
        h = h @ params[f"W{i}"] + params[f"b{i}"]
        if i < L or relu_last:
            h = np.maximum(h, 0)
    return h


def _softmax_loss(scores, y):
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(y)), y].mean()


def fully_connected_nets() -> dict:
    return {**fc_net_values(), **optimizer_values()}


def fc_net_values() -> dict:
    from cs231n.classifiers.fc_net import FullyConnectedNet

    out = {}
    inp = A.inputs_fc_net()
    X, y = inp["X"], inp["y"]
    model = FullyConnectedNet(
        inp["hidden_dims"],
        input_dim=inp["D"],
        num_classes=inp["C"],
        weight_scale=5e-2,
        dtype=np.float64,
        seed=0,
    )
    A.fc_net_fixed_params(model)
    L = len(inp["hidden_dims"]) + 1
    out["fc_net.scores"] = model.loss(X)
    out["fc_net.scores.wrong_relu_last"] = _fc_forward(model.params, X, L, relu_last=True)
    data_loss = _softmax_loss(_fc_forward(model.params, X, L), y)
    for reg in (0.0, 3.14):
        tag = f"{reg:g}".replace(".", "_")
        model.reg = reg
        out[f"fc_net.loss_reg{tag}"] = np.float64(model.loss(X, y)[0])
        if reg:
            w2 = sum(np.sum(model.params[f"W{i}"] ** 2) for i in range(1, L + 1))
            b2 = sum(np.sum(model.params[f"b{i}"] ** 2) for i in range(1, L + 1))
            out[f"fc_net.loss_reg{tag}.wrong_reg_no_half"] = np.float64(data_loss + reg * w2)
            out[f"fc_net.loss_reg{tag}.wrong_reg_biases"] = np.float64(
                data_loss + 0.5 * reg * (w2 + b2)
            )
            out[f"fc_net.loss_reg{tag}.wrong_reg_last_only"] = np.float64(
                data_loss + 0.5 * reg * np.sum(model.params[f"W{L}"] ** 2)
            )
    return out


def optimizer_values() -> dict:
    from cs231n import optim

    out = {}
    oi = A.inputs_optim()
    w, dw, dw2 = oi["w"], oi["dw"], oi["dw2"]
    cfgs = A.optim_configs()
    for name in ("sgd_momentum", "nesterov", "adagrad", "rmsprop", "adam"):
        rule = getattr(optim, name)
        next_w, cfg = rule(w, dw, copy.deepcopy(cfgs[name]))
        out[f"{name}.next_w"] = next_w
        for key in A._STATE_KEYS[name]:
            out[f"{name}.{key}"] = np.asarray(cfg[key], dtype=np.float64)
        w1, c1 = rule(w, dw, None)
        out[f"{name}.two_steps"] = rule(w1, dw2, c1)[0]
        small = A.small_gradient_configs()
        if name in small:
            out[f"{name}.small_next_w"] = rule(w, A.small_gradient(), copy.deepcopy(small[name]))[0]
        # stateless: the second step forgets the state of the first
        out[f"{name}.two_steps.wrong_stateless"] = rule(w1, dw2, None)[0]
        hyper = {k: v for k, v in cfgs[name].items() if k not in A._STATE_KEYS[name]}
        out[f"{name}.next_w.wrong_stateless"] = rule(w, dw, hyper)[0]
        for wname, fn in _WRONG_OPT[name].items():
            out[f"{name}.next_w.wrong_{wname}"] = fn(w, dw, copy.deepcopy(cfgs[name]))[0]
            c = {}
            w1w, c = fn(w, dw, c)
            out[f"{name}.two_steps.wrong_{wname}"] = fn(w1w, dw2, c)[0]
    return out


def _cfg(config, defaults):
    config = {} if config is None else config
    for k, v in defaults.items():
        config.setdefault(k, v)
    return config


def _momentum_variant(kind):
    def rule(w, dw, config=None):
        c = _cfg(config, {"learning_rate": 1e-2, "momentum": 0.9})
        v = c.get("velocity", np.zeros_like(w))
        lr, mu = c["learning_rate"], c["momentum"]
        if kind == "plus":
            v_new = mu * v + lr * dw
            nw = w + v_new
        elif kind == "no_momentum":
            v_new = v - lr * dw
            nw = w + v_new
        elif kind == "update_before":
            nw = w + v
            v_new = mu * v - lr * dw
        elif kind == "plain_momentum":
            v_new = mu * v - lr * dw
            nw = w + v_new
        elif kind == "nesterov_plus":
            v_new = mu * v + lr * dw
            nw = w - mu * v + (1 + mu) * v_new
        c["velocity"] = v_new
        return nw, c

    return rule


def _adagrad_variant(kind):
    def rule(w, dw, config=None):
        c = _cfg(config, {"learning_rate": 1e-2, "epsilon": 1e-8})
        cache = c.get("cache", np.zeros_like(w))
        lr, eps = c["learning_rate"], c["epsilon"]
        cache = dw**2 if kind == "no_accumulate" else cache + dw**2
        if kind == "eps_inside":
            nw = w - lr * dw / np.sqrt(cache + eps)
        elif kind == "no_sqrt":
            nw = w - lr * dw / (cache + eps)
        else:
            nw = w - lr * dw / (np.sqrt(cache) + eps)
        c["cache"] = cache
        return nw, c

    return rule


def _rmsprop_variant(kind):
    def rule(w, dw, config=None):
        c = _cfg(config, {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8})
        cache = c.get("cache", np.zeros_like(w))
        lr, rho, eps = c["learning_rate"], c["decay_rate"], c["epsilon"]
        if kind == "swapped":
            cache = (1 - rho) * cache + rho * dw**2
        elif kind == "adagrad":
            cache = cache + dw**2
        else:
            cache = rho * cache + (1 - rho) * dw**2
        if kind == "eps_inside":
            nw = w - lr * dw / np.sqrt(cache + eps)
        elif kind == "no_sqrt":
            nw = w - lr * dw / (cache + eps)
        else:
            nw = w - lr * dw / (np.sqrt(cache) + eps)
        c["cache"] = cache
        return nw, c

    return rule


def _adam_variant(kind):
    def rule(w, dw, config=None):
        c = _cfg(config, {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8})
        m = c.get("m", np.zeros_like(w))
        v = c.get("v", np.zeros_like(w))
        t = c.get("t", 0)
        lr, b1, b2, eps = c["learning_rate"], c["beta1"], c["beta2"], c["epsilon"]
        t_use = t if kind == "t_not_incremented" else t + 1
        if kind == "swapped_betas":
            m = b2 * m + (1 - b2) * dw
            v = b1 * v + (1 - b1) * dw**2
        else:
            m = b1 * m + (1 - b1) * dw
            v = b2 * v + (1 - b2) * dw**2
        if kind == "no_bias_correction":
            mh, vh = m, v
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                mh = m / (1 - b1**t_use)
                vh = v / (1 - b2**t_use)
        with np.errstate(divide="ignore", invalid="ignore"):
            nw = w - lr * mh / ((vh if kind == "no_sqrt" else np.sqrt(vh)) + eps)
        c.update(m=m, v=v, t=t + 1)
        return nw, c

    return rule


_WRONG_OPT = {
    "sgd_momentum": {k: _momentum_variant(k) for k in ("plus", "no_momentum", "update_before")},
    "nesterov": {
        "plain_momentum": _momentum_variant("plain_momentum"),
        "plus": _momentum_variant("nesterov_plus"),
    },
    "adagrad": {k: _adagrad_variant(k) for k in ("no_accumulate", "eps_inside", "no_sqrt")},
    "rmsprop": {k: _rmsprop_variant(k) for k in ("swapped", "eps_inside", "no_sqrt", "adagrad")},
    "adam": {
        k: _adam_variant(k)
        for k in ("no_bias_correction", "t_not_incremented", "swapped_betas", "no_sqrt")
    },
}


def build_expected() -> dict:
    """Expected values of the FullyConnectedNets checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in fully_connected_nets().items()}
