"""Hidden test cases of FullyConnectedNets.ipynb (never released).

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).
"""

import numpy as np

from autograder.hidden import Case


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
