"""Build-time expected values (and wrong-variant fingerprints) of the assignment2 checks.

``build(notebook) -> dict[str, ndarray]`` runs the REFERENCE package on the fixed inputs
defined in ``cs231n.checks.assignment2`` and adds the outputs of deliberately wrong
variants (``<key>.wrong_<name>``) so a visible check can name the likely mistake.

The wrong variants live here, never in the released package: some of them are one line
away from a solution.  Run ``python assignments/assignment2/_build/expected.py`` (or the
authoring tool ``python -m autograder.authoring.expected``) to rewrite
``cs231n/checks/expected/<notebook>.npz``.
"""

from __future__ import annotations

import copy
import math
import sys
from pathlib import Path

import numpy as np

from cs231n.checks import assignment2 as A

NOTEBOOKS = tuple(nb for nb, keys in A.EXPECTED_KEYS.items() if keys)


# ----------------------------------------------------------------- FullyConnectedNets
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


# ----------------------------------------------------------------- InitAndActivations
def _sig(x):
    return 1 / (1 + np.exp(-x))


def init_and_activations() -> dict:
    from cs231n.layers import activations as act

    out = {}
    inp = A.inputs_activations()
    x, dout = inp["x"], inp["dout"]
    for name, cases in A.ACTIVATION_CASES.items():
        fwd = getattr(act, f"{name}_forward")
        for i, kw in enumerate(cases):
            o, _ = fwd(x, **kw)
            out[f"{name}.out{i}"] = o
            slope = kw.get("negative_slope", 0.01)
            alpha = kw.get("alpha", 1.0)
            if name == "leaky_relu":
                out[f"{name}.out{i}.wrong_slope_positive"] = np.where(x > 0, slope * x, x)
                out[f"{name}.dx{i}.wrong_relu_grad"] = dout * (x > 0)
            elif name == "sigmoid":
                out[f"{name}.out{i}.wrong_tanh"] = np.tanh(x)
                out[f"{name}.dx{i}.wrong_from_x"] = dout * x * (1 - x)
            elif name == "tanh":
                out[f"{name}.dx{i}.wrong_from_x"] = dout * (1 - x**2)
            elif name == "elu":
                if alpha != 1.0:
                    out[f"{name}.out{i}.wrong_no_alpha"] = np.where(x > 0, x, np.exp(x) - 1)
                    out[f"{name}.dx{i}.wrong_no_alpha"] = dout * np.where(x > 0, 1.0, np.exp(x))
            elif name == "silu":
                s = _sig(x)
                out[f"{name}.out{i}.wrong_sigmoid"] = s
                out[f"{name}.dx{i}.wrong_sigmoid_only"] = dout * s
                out[f"{name}.dx{i}.wrong_second_only"] = dout * x * s * (1 - s)
    return out


# ----------------------------------------------------------------- HyperparameterSearch
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


# ----------------------------------------------------------------- BatchNormalization
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
    return {
        f"{prefix}.dx.wrong_no_mean_term": inv * (dxhat - xhat * s2 / n),
        f"{prefix}.dx.wrong_no_var_term": inv * (dxhat - s1 / n),
        f"{prefix}.dx.wrong_only_direct": inv * dxhat,
    }


# ----------------------------------------------------------------- ConvolutionalNetworks
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
    dout = A._lin(o.shape, -1.0, 2.0)
    for kind in ("assign", "spread"):
        out[f"max_pool.dx_overlap.wrong_{kind}"] = _pool_backward_wrong(
            x, dout, p["pool_height"], p["pool_width"], p["stride"], kind
        )

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


BUILDERS = {
    "FullyConnectedNets": fully_connected_nets,
    "InitAndActivations": init_and_activations,
    "HyperparameterSearch": hyperparameter_search,
    "BatchNormalization": batch_normalization,
    "ConvolutionalNetworks": convolutional_networks,
}


def build(notebook: str) -> dict:
    """Expected values of one notebook's checks, as plain float64/int arrays."""
    return {k: np.asarray(v) for k, v in BUILDERS[notebook]().items()}


def main(argv=None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(NOTEBOOKS)
    A.EXPECTED_DIR.mkdir(parents=True, exist_ok=True)
    for nb in names:
        data = build(nb)
        if not data:
            continue
        path = A.EXPECTED_DIR / f"{nb}.npz"
        np.savez(path, **data)
        print(
            f"wrote {path.relative_to(Path(A.__file__).resolve().parents[2])} ({len(data)} arrays)"
        )
    A._load.cache_clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
