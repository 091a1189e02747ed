"""Hidden test cases of ConvolutionalNetworks.ipynb (never released).

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).  A
backward probe uses the namespace's own forward pass when it has one (the student's),
else the package's.
"""

import numpy as np

from autograder.hidden import Case
from cs231n.checks import ConvolutionalNetworks as A


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


def _avg_fwd_probe(x_shape, ph, pw, stride):
    def probe(ns, rng):
        x = rng.standard_normal(x_shape)
        out, _ = ns["avg_pool_forward_naive"](
            x, {"pool_height": ph, "pool_width": pw, "stride": stride}
        )
        return {"out": np.asarray(out)}

    return probe


def _avg_bwd_probe(x_shape, ph, pw, stride):
    def probe(ns, rng):
        x = rng.standard_normal(x_shape)
        out, cache = _get(ns, "avg_pool_forward_naive")(
            x, {"pool_height": ph, "pool_width": pw, "stride": stride}
        )
        dout = rng.standard_normal(np.shape(out))
        return {"dx": np.asarray(ns["avg_pool_backward_naive"](dout, cache))}

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
    "a2_avg_pool_forward_naive": [
        Case("2x2 windows, stride 2", 0.4, _avg_fwd_probe((2, 3, 8, 6), 2, 2, 2)),
        Case("overlapping 3x3 windows, stride 2", 0.3, _avg_fwd_probe((2, 2, 9, 7), 3, 3, 2)),
        Case("rectangular 2x3 windows, stride 1", 0.3, _avg_fwd_probe((1, 2, 5, 6), 2, 3, 1)),
    ],
    "a2_avg_pool_backward_naive": [
        Case("2x2 windows, stride 2", 0.7, _avg_bwd_probe((2, 3, 8, 6), 2, 2, 2)),
        Case(
            "overlapping 3x3 windows, stride 2",
            0.7,
            _avg_bwd_probe((2, 2, 9, 7), 3, 3, 2),
            hint="accumulate with += where windows overlap",
        ),
        Case("rectangular 2x3 windows, stride 1", 0.6, _avg_bwd_probe((1, 2, 5, 6), 2, 3, 1)),
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


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/ConvolutionalNetworks.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/ConvolutionalNetworks.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def _conv_loop(x, w, b, stride, pad, flip=False):
    N, _, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Ho, Wo = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    ww = w[:, :, ::-1, ::-1] if flip else w
    out = np.zeros((N, F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i * stride : i * stride + HH, j * stride : j * stride + WW]
            out[:, :, i, j] = np.tensordot(win, ww, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


def _pool_loop(x, ph, pw, s, op=np.max):
    N, C, H, W = x.shape
    Ho, Wo = (H - ph) // s + 1, (W - pw) // s + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = op(x[:, :, i * s : i * s + ph, j * s : j * s + pw], axis=(2, 3))
    return out


def _pool_backward_wrong(x, dout, ph, pw, s, kind):
    dx = np.zeros_like(x)
    N, C, Ho, Wo = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    win = x[n, c, i * s : i * s + ph, j * s : j * s + pw]
                    if kind == "spread":
                        dx[n, c, i * s : i * s + ph, j * s : j * s + pw] += dout[n, c, i, j]
                        continue
                    a, bb = np.unravel_index(np.argmax(win), win.shape)
                    dx[n, c, i * s + a, j * s + bb] = dout[n, c, i, j]
    return dx


def convolutional_networks() -> dict:
    from cs231n.classifiers.cnn import ThreeLayerConvNet

    from cs231n.layers import conv as cv
    from cs231n.layers import normalization as nm

    inp = A.inputs_conv()
    out = {}
    for tag in ("", "_rect"):
        x, w, b, p = inp[f"x{tag}"], inp[f"w{tag}"], inp[f"b{tag}"], inp[f"param{tag}"]
        out[f"conv.out{tag}"] = cv.conv_forward_naive(x, w, b, dict(p))[0]
        out[f"conv.out{tag}.wrong_flipped"] = _conv_loop(x, w, b, p["stride"], p["pad"], flip=True)
        out[f"conv.out{tag}.wrong_no_bias"] = _conv_loop(
            x, w, np.zeros_like(b), p["stride"], p["pad"]
        )
        if tag == "_rect":
            xt = x.transpose(0, 1, 3, 2)
            wt = w.transpose(0, 1, 3, 2)
            o = _conv_loop(xt, wt, b, p["stride"], p["pad"]).transpose(0, 1, 3, 2)
            if o.shape == out[f"conv.out{tag}"].shape:
                out[f"conv.out{tag}.wrong_transposed"] = o
    for tag in ("", "_overlap"):
        x, p = inp[f"pool_x{tag}"], inp[f"pool_param{tag}"]
        out[f"max_pool.out{tag}"] = cv.max_pool_forward_naive(x, dict(p))[0]
        out[f"max_pool.out{tag}.wrong_mean"] = _pool_loop(
            x, p["pool_height"], p["pool_width"], p["stride"], np.mean
        )
        if p["pool_height"] != p["pool_width"]:
            sw = _pool_loop(x, p["pool_width"], p["pool_height"], p["stride"])
            if sw.shape == out[f"max_pool.out{tag}"].shape:
                out[f"max_pool.out{tag}.wrong_hw_swapped"] = sw
    x, p = inp["pool_x_overlap"], inp["pool_param_overlap"]
    o = cv.max_pool_forward_naive(x, dict(p))[0]
    dout = A.lin(o.shape, -1.0, 2.0)
    for kind in ("assign", "spread"):
        out[f"max_pool.dx_overlap.wrong_{kind}"] = _pool_backward_wrong(
            x, dout, p["pool_height"], p["pool_width"], p["stride"], kind
        )
    x, p = inp["pool_x_ties"], inp["pool_param_ties"]
    o, c = cv.max_pool_forward_naive(x, dict(p))
    out["max_pool.dx_ties"] = cv.max_pool_backward_naive(A.lin(o.shape, 1.0, 2.0), c)

    for tag in ("", "_overlap"):
        x, p = inp[f"pool_x{tag}"], inp[f"pool_param{tag}"]
        ph, pw, st = p["pool_height"], p["pool_width"], p["stride"]
        out[f"avg_pool.out{tag}"] = cv.avg_pool_forward_naive(x, dict(p))[0]
        out[f"avg_pool.out{tag}.wrong_max"] = _pool_loop(x, ph, pw, st, np.max)
        out[f"avg_pool.out{tag}.wrong_sum"] = _pool_loop(x, ph, pw, st, np.sum)
    for tag, rng_ in (("_overlap", (-1.0, 2.0)), ("", (1.0, -1.0))):
        x, p = inp[f"pool_x{tag}"], inp[f"pool_param{tag}"]
        ph, pw, st = p["pool_height"], p["pool_width"], p["stride"]
        o = cv.avg_pool_forward_naive(x, dict(p))[0]
        dout = A.lin(o.shape, *rng_)
        for kind in ("assign", "no_divide"):
            dx = np.zeros_like(x)
            for i in range(o.shape[2]):
                for j in range(o.shape[3]):
                    g = dout[:, :, i, j][:, :, None, None]
                    win = (
                        slice(None),
                        slice(None),
                        slice(i * st, i * st + ph),
                        slice(j * st, j * st + pw),
                    )
                    if kind == "assign":
                        dx[win] = g / (ph * pw)
                    else:
                        dx[win] += g
            if tag == "_overlap" or kind == "no_divide":
                out[f"avg_pool.dx{tag}.wrong_{kind}"] = dx

    ti = A.inputs_three_layer_convnet()
    model = ThreeLayerConvNet(**ti["kwargs"], weight_scale=1e-2, dtype=np.float64)
    A.three_layer_convnet_fixed_params(model)
    out["three_layer_convnet.scores"] = model.loss(ti["X"])
    for reg in (0.0, 0.5):
        tag = f"{reg:g}".replace(".", "_")
        model.reg = reg
        out[f"three_layer_convnet.loss_reg{tag}"] = np.float64(model.loss(ti["X"], ti["y"])[0])
        if reg:
            model.reg = 0.0
            base = model.loss(ti["X"], ti["y"])[0]
            w2 = sum(np.sum(model.params[k] ** 2) for k in ("W1", "W2", "W3"))
            out[f"three_layer_convnet.loss_reg{tag}.wrong_reg_no_half"] = np.float64(
                base + reg * w2
            )

    si = A.inputs_spatial()
    x, gamma, beta = si["x"], si["gamma"], si["beta"]
    eps = 1e-5
    param = A.spatial_bn_param()
    out["spatial_batchnorm.out"] = nm.spatial_batchnorm_forward(x, gamma, beta, param)[0]
    out["spatial_batchnorm.running_mean"] = param["running_mean"]
    out["spatial_batchnorm.running_var"] = param["running_var"]
    out["spatial_batchnorm.out_test"] = nm.spatial_batchnorm_forward(
        x, gamma, beta, dict(param, mode="test")
    )[0]
    g4, b4 = gamma.reshape(1, -1, 1, 1), beta.reshape(1, -1, 1, 1)

    def norm(axes, xx=x):
        m = xx.mean(axis=axes, keepdims=True)
        v = xx.var(axis=axes, keepdims=True)
        return (xx - m) / np.sqrt(v + eps)

    out["spatial_batchnorm.out.wrong_axis_n"] = g4 * norm((0,)) + b4
    out["spatial_batchnorm.out.wrong_instance"] = g4 * norm((2, 3)) + b4
    out["spatial_batchnorm.out.wrong_layer"] = g4 * norm((1, 2, 3)) + b4
    N, C, H, W = x.shape
    flat = x.reshape(-1, C)  # the classic wrong reshape (C not moved last)
    fm = (flat - flat.mean(0)) / np.sqrt(flat.var(0) + eps)
    out["spatial_batchnorm.out.wrong_bad_reshape"] = (fm * gamma + beta).reshape(N, C, H, W)

    G = si["G"]
    out["spatial_groupnorm.out"] = nm.spatial_groupnorm_forward(x, g4, b4, G, {"eps": eps})[0]
    xi = x.reshape(N, C // G, G, H, W)
    out["spatial_groupnorm.out.wrong_interleaved"] = (
        g4 * norm((1, 3, 4), xi).reshape(N, C, H, W) + b4
    )
    out["spatial_groupnorm.out.wrong_instance"] = g4 * norm((2, 3)) + b4
    out["spatial_groupnorm.out.wrong_layer"] = g4 * norm((1, 2, 3)) + b4
    out["spatial_groupnorm.out.wrong_batch"] = g4 * norm((0, 2, 3)) + b4
    return out


def build_expected() -> dict:
    """Expected values of the ConvolutionalNetworks checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in convolutional_networks().items()}
