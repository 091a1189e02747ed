"""Hidden test cases of ConvolutionalNetworks.ipynb (never released).

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).  A
backward probe uses the namespace's own forward pass when it has one (the student's),
else the package's.
"""

import numpy as np

from autograder.hidden import Case


def _get(ns, name):
    if name in ns:
        return ns[name]
    from cs231n.layers import conv

    return getattr(conv, name)


def _conv_fwd_probe(x_shape, w_shape, stride, pad):
    def probe(ns, rng):
        x = rng.standard_normal(x_shape)
        w = rng.standard_normal(w_shape)
        b = rng.standard_normal(w_shape[0])
        out, _ = ns["conv_forward_naive"](x, w, b, {"stride": stride, "pad": pad})
        return {"out": np.asarray(out)}

    return probe


def _conv_bwd_probe(x_shape, w_shape, stride, pad):
    def probe(ns, rng):
        x = rng.standard_normal(x_shape)
        w = rng.standard_normal(w_shape)
        b = rng.standard_normal(w_shape[0])
        out, cache = _get(ns, "conv_forward_naive")(x, w, b, {"stride": stride, "pad": pad})
        dout = rng.standard_normal(np.shape(out))
        dx, dw, db = ns["conv_backward_naive"](dout, cache)
        return {"dx": np.asarray(dx), "dw": np.asarray(dw), "db": np.asarray(db)}

    return probe


def _pool_fwd_probe(x_shape, ph, pw, stride):
    def probe(ns, rng):
        x = rng.standard_normal(x_shape)
        out, _ = ns["max_pool_forward_naive"](
            x, {"pool_height": ph, "pool_width": pw, "stride": stride}
        )
        return {"out": np.asarray(out)}

    return probe


def _pool_bwd_probe(x_shape, ph, pw, stride):
    def probe(ns, rng):
        x = rng.standard_normal(x_shape)
        out, cache = _get(ns, "max_pool_forward_naive")(
            x, {"pool_height": ph, "pool_width": pw, "stride": stride}
        )
        dout = rng.standard_normal(np.shape(out))
        return {"dx": np.asarray(ns["max_pool_backward_naive"](dout, cache))}

    return probe


def _cnn_probe(input_dim, num_filters, filter_size, hidden_dim, num_classes, reg, N=3):
    def probe(ns, rng):
        model = ns["ThreeLayerConvNet"](
            input_dim=input_dim,
            num_filters=num_filters,
            filter_size=filter_size,
            hidden_dim=hidden_dim,
            num_classes=num_classes,
            reg=reg,
            weight_scale=1e-2,
            dtype=np.float64,
            seed=0,
        )
        for key in sorted(model.params):
            model.params[key] = 0.3 * rng.standard_normal(model.params[key].shape)
        X = rng.standard_normal((N, *input_dim))
        y = rng.integers(num_classes, size=N)
        scores = model.loss(X)
        loss, grads = model.loss(X, y)
        return {
            "scores": np.asarray(scores),
            "loss": float(loss),
            **{f"grad_{k}": np.asarray(grads[k]) for k in sorted(grads)},
        }

    return probe


def _cnn_init_probe(ns, rng):
    model = ns["ThreeLayerConvNet"](
        input_dim=(3, 16, 12),
        num_filters=20,
        filter_size=5,
        hidden_dim=100,
        num_classes=20,
        weight_scale=2e-2,
        seed=int(rng.integers(100)),
    )
    out = {}
    for key in sorted(model.params):
        p = model.params[key]
        out[f"shape_{key}"] = np.array(p.shape)
        out[f"dtype32_{key}"] = int(p.dtype == np.float32)
        if key.startswith("W"):
            out[f"std_{key}"] = float(p.std())
        else:
            out[f"abs_{key}"] = float(np.abs(p).sum())
    return out


def _sbn_probe(shape, momentum):
    def probe(ns, rng):
        C = shape[1]
        x = 2.0 * rng.standard_normal(shape) + rng.standard_normal((1, C, 1, 1)) * 3
        gamma = rng.standard_normal(C)
        beta = rng.standard_normal(C)
        param = {"mode": "train", "eps": 1e-5, "momentum": momentum}
        fwd = ns["spatial_batchnorm_forward"]
        for _ in range(3):
            out, cache = fwd(x + rng.standard_normal(shape) * 0.1, gamma, beta, param)
        dout = rng.standard_normal(shape)
        dx, dgamma, dbeta = ns["spatial_batchnorm_backward"](dout, cache)
        test_out, _ = fwd(x, gamma, beta, dict(param, mode="test"))
        return {
            "out": np.asarray(out),
            "running_mean": np.asarray(param["running_mean"]),
            "running_var": np.asarray(param["running_var"]),
            "test_out": np.asarray(test_out),
            "dx": np.asarray(dx),
            "dgamma": np.asarray(dgamma),
            "dbeta": np.asarray(dbeta),
        }

    return probe


def _sgn_probe(shape, G):
    def probe(ns, rng):
        C = shape[1]
        x = 2.0 * rng.standard_normal(shape) + rng.standard_normal((1, C, 1, 1))
        gamma = rng.standard_normal((1, C, 1, 1))
        beta = rng.standard_normal((1, C, 1, 1))
        out, cache = ns["spatial_groupnorm_forward"](x, gamma, beta, G, {"eps": 1e-5})
        dout = rng.standard_normal(shape)
        dx, dgamma, dbeta = ns["spatial_groupnorm_backward"](dout, cache)
        return {
            "out": np.asarray(out),
            "dx": np.asarray(dx),
            "dgamma": np.asarray(dgamma),
            "dbeta": np.asarray(dbeta),
        }

    return probe


_TOL = {"rtol": 1e-6, "atol": 1e-9}

CASES = {
    "a2_conv_forward_naive": [
        Case(
            "stride 2, pad 1, odd sizes",
            1.0,
            _conv_fwd_probe((2, 3, 7, 9), (4, 3, 3, 3), 2, 1),
            **_TOL,
        ),
        Case(
            "1x1 filters, no padding",
            1.0,
            _conv_fwd_probe((1, 1, 6, 6), (2, 1, 1, 1), 1, 0),
            **_TOL,
        ),
        Case(
            "rectangular 4x3 filters, pad 2",
            1.0,
            _conv_fwd_probe((3, 2, 5, 8), (3, 2, 4, 3), 1, 2),
            **_TOL,
            hint="H uses HH, W uses WW",
        ),
    ],
    "a2_conv_backward_naive": [
        Case("stride 1, pad 1", 1.0, _conv_bwd_probe((2, 3, 6, 5), (4, 3, 3, 3), 1, 1), **_TOL),
        Case(
            "stride 2, pad 1, odd sizes",
            1.0,
            _conv_bwd_probe((2, 2, 7, 9), (3, 2, 3, 3), 2, 1),
            **_TOL,
        ),
        Case(
            "rectangular filters, pad 2",
            1.0,
            _conv_bwd_probe((1, 3, 5, 8), (2, 3, 4, 3), 1, 2),
            **_TOL,
        ),
    ],
    "a2_max_pool_forward_naive": [
        Case("2x2 windows, stride 2", 0.7, _pool_fwd_probe((2, 3, 8, 6), 2, 2, 2)),
        Case("overlapping 3x3 windows, stride 2", 0.7, _pool_fwd_probe((2, 2, 9, 7), 3, 3, 2)),
        Case("rectangular 2x3 windows, stride 1", 0.6, _pool_fwd_probe((1, 2, 5, 6), 2, 3, 1)),
    ],
    "a2_max_pool_backward_naive": [
        Case("2x2 windows, stride 2", 0.7, _pool_bwd_probe((2, 3, 8, 6), 2, 2, 2)),
        Case(
            "overlapping 3x3 windows, stride 2",
            0.7,
            _pool_bwd_probe((2, 2, 9, 7), 3, 3, 2),
            hint="accumulate with += where windows overlap",
        ),
        Case("rectangular 2x3 windows, stride 1", 0.6, _pool_bwd_probe((1, 2, 5, 6), 2, 3, 1)),
    ],
    "a2_three_layer_convnet": [
        Case(
            "initialisation: shapes, dtype, zero biases, weight_scale",
            1.0,
            _cnn_init_probe,
            rtol=0.1,
            atol=1e-12,
        ),
        Case("3x8x8 input, reg 0", 1.5, _cnn_probe((3, 8, 8), 4, 3, 6, 5, 0.0), **_TOL),
        Case(
            "1x6x10 input, 5x5 filters, reg 0.7",
            1.5,
            _cnn_probe((1, 6, 10), 3, 5, 4, 3, 0.7),
            **_TOL,
        ),
    ],
    "a2_spatial_batchnorm": [
        Case(
            "train steps, running averages, test mode, backward",
            1.0,
            _sbn_probe((4, 3, 5, 6), 0.9),
            **_TOL,
        ),
        Case("momentum 0.5, single sample", 1.0, _sbn_probe((1, 5, 4, 4), 0.5), **_TOL),
    ],
    "a2_spatial_groupnorm": [
        Case(
            "G=3 groups of 2 channels",
            1.0,
            _sgn_probe((3, 6, 4, 5), 3),
            **_TOL,
            hint="groups are consecutive channels",
        ),
        Case("G=1 (layer norm) and G=C edge cases", 0.5, _sgn_probe((2, 4, 3, 3), 1), **_TOL),
        Case("G=C (instance norm)", 0.5, _sgn_probe((2, 4, 3, 3), 4), **_TOL),
    ],
}
