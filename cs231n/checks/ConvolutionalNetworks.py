"""Visible checks of ConvolutionalNetworks.ipynb: convolution, pooling, ThreeLayerConvNet, spatial normalisation.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/ConvolutionalNetworks.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/ConvolutionalNetworks.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import CheckFailed, register
from cs231n.checks.common import (
    check_close,
    check_grad,
    check_unchanged,
    lin,
    notebook_helpers,
    numeric_gradient64,
    passed,
    reg_gradient_hints,
)

NOTEBOOK = "ConvolutionalNetworks"


_exp, _hints = notebook_helpers(NOTEBOOK)


def inputs_conv():
    """Fixed inputs of the conv and pool checks."""
    return {
        "x": lin((2, 3, 4, 4), -0.1, 0.5),
        "w": lin((3, 3, 4, 4), -0.2, 0.3),
        "b": lin((3,), -0.1, 0.2),
        "param": {"stride": 2, "pad": 1},
        # rectangular, to catch swapped H and W
        "x_rect": lin((2, 3, 5, 7), -0.3, 0.4) ** 2,
        "w_rect": lin((4, 3, 3, 2), -0.5, 0.5),
        "b_rect": lin((4,), 0.1, -0.1),
        "param_rect": {"stride": 1, "pad": 1},
        "pool_x": lin((2, 3, 4, 4), -0.3, 0.4),
        "pool_param": {"pool_width": 2, "pool_height": 2, "stride": 2},
        "pool_x_overlap": np.sin(np.arange(2 * 2 * 7 * 6, dtype=np.float64)).reshape(2, 2, 7, 6),
        "pool_param_overlap": {"pool_height": 3, "pool_width": 2, "stride": 2},
        # small integers: most windows hold TIED maxima (the tie rule: the first maximum
        # in row-major order gets the gradient, as np.argmax picks it)
        "pool_x_ties": np.floor(2 * np.sin(np.arange(2 * 2 * 6 * 6, dtype=np.float64))).reshape(
            2, 2, 6, 6
        ),
        "pool_param_ties": {"pool_height": 2, "pool_width": 2, "stride": 2},
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
        check_unchanged("conv_forward_naive", x0, x, "x")
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
        check_close(
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
            )
            + _per_map_offset_hint(out, exp),
        )
    passed(
        "conv_forward_naive", "square input with stride 2 and pad 1, rectangular input and filters"
    )


def _per_map_offset_hint(out, exp) -> list:
    """``[(out, cause)]`` when ``out`` is off by one constant per output map (n, f): the bias."""
    try:
        d = np.asarray(out, dtype=np.float64) - exp
        scale = float(np.max(np.abs(exp))) or 1.0
        per_map = d.mean(axis=(2, 3), keepdims=True)
        if d.shape == exp.shape and np.allclose(d, per_map, rtol=0, atol=1e-9 * scale):
            if np.any(np.abs(per_map) > 1e-9 * scale):
                return [
                    (
                        np.asarray(out, dtype=np.float64),
                        "every output map (n, f) is off by one constant: the bias is wrong. "
                        "Add b[f], the bias of filter f, at every position of map f.",
                    )
                ]
    except Exception:  # a hint must never hide the failure
        pass
    return []


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
        check_unchanged("conv_backward_naive", d0, dout, "dout")
        tag = f" (x {shape_x}, w {shape_w}, stride={param['stride']})"
        p = dict(param)
        check_grad(
            "conv_backward_naive dx" + tag,
            dx,
            numeric_gradient64(lambda z, w=w, b=b, p=p: fwd(z, w, b, dict(p))[0], x, dout),
        )
        check_grad(
            "conv_backward_naive dw" + tag,
            dw,
            numeric_gradient64(lambda z, x=x, b=b, p=p: fwd(x, z, b, dict(p))[0], w, dout),
        )
        check_grad(
            "conv_backward_naive db" + tag,
            db,
            numeric_gradient64(lambda z, x=x, w=w, p=p: fwd(x, w, z, dict(p))[0], b, dout),
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
        check_close(
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
    dout = lin(out.shape, -1.0, 2.0)
    dx = max_pool_backward_naive(dout, cache)
    num = numeric_gradient64(lambda z: fwd(z, dict(param))[0], x, dout)
    check_grad(
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
    dout2 = lin(out2.shape, 1.0, -1.0)
    dx2 = max_pool_backward_naive(dout2, cache2)
    check_grad(
        "max_pool_backward_naive dx (2x2, stride 2)",
        dx2,
        numeric_gradient64(lambda z: fwd(z, dict(inp["pool_param"]))[0], x2, dout2),
    )
    x3, p3 = inp["pool_x_ties"], inp["pool_param_ties"]
    out3, cache3 = fwd(x3, dict(p3))
    dout3 = lin(out3.shape, 1.0, 2.0)
    check_close(
        "max_pool_backward_naive dx (tied maxima; the FIRST maximum of a window in row-major "
        "order gets the gradient)",
        max_pool_backward_naive(dout3, cache3),
        _exp("max_pool.dx_ties"),
        rtol=1e-9,
        atol=1e-12,
    )
    passed(
        "max_pool_backward_naive",
        "overlapping and non-overlapping windows vs numerical gradients, tied maxima",
    )


@register("a2_avg_pool_forward_naive")
def check_avg_pool_forward_naive(avg_pool_forward_naive):
    """Naive average-pool forward: 2x2 stride 2, and overlapping 3x2 windows with stride 2."""
    inp = inputs_conv()
    for tag, x, param in (
        ("", inp["pool_x"], inp["pool_param"]),
        ("_overlap", inp["pool_x_overlap"], inp["pool_param_overlap"]),
    ):
        x0 = x.copy()
        out, _ = avg_pool_forward_naive(x, dict(param))
        check_unchanged("avg_pool_forward_naive", x0, x, "x")
        check_close(
            f"avg_pool_forward_naive(x {x.shape}, {param})",
            out,
            _exp(f"avg_pool.out{tag}"),
            rtol=1e-7,
            hints=_hints(
                f"avg_pool.out{tag}",
                [
                    ("max", "that is max pooling; average pooling takes the mean of each window."),
                    (
                        "sum",
                        "the window was summed, not averaged: divide by its number of elements.",
                    ),
                ],
            ),
        )
    passed("avg_pool_forward_naive", "non-overlapping and overlapping windows")


@register("a2_avg_pool_backward_naive", "avg_pool_forward_naive", "avg_pool_backward_naive")
def check_avg_pool_backward_naive(avg_pool_forward_naive, avg_pool_backward_naive):
    """Naive average-pool backward, with OVERLAPPING windows (so = vs += matters)."""
    fwd = avg_pool_forward_naive
    inp = inputs_conv()
    for tag, x, param, dout_range in (
        ("_overlap", inp["pool_x_overlap"], inp["pool_param_overlap"], (-1.0, 2.0)),
        ("", inp["pool_x"], inp["pool_param"], (1.0, -1.0)),
    ):
        out, cache = fwd(x, dict(param))
        dout = lin(out.shape, *dout_range)
        d0 = dout.copy()
        dx = avg_pool_backward_naive(dout, cache)
        check_unchanged("avg_pool_backward_naive", d0, dout, "dout")
        check_grad(
            f"avg_pool_backward_naive dx (x {x.shape}, {param})",
            dx,
            numeric_gradient64(lambda z, p=param: fwd(z, dict(p))[0], x, dout),
            hints=_hints(
                f"avg_pool.dx{tag}",
                [
                    (
                        "assign",
                        "an element inside two overlapping windows gets gradient from BOTH: use += instead of =.",
                    ),
                    (
                        "no_divide",
                        "each of the pool_height * pool_width elements has a share 1 / (pool_height * pool_width) of the mean.",
                    ),
                ],
            ),
        )
    passed(
        "avg_pool_backward_naive", "overlapping and non-overlapping windows vs numerical gradients"
    )


def inputs_three_layer_convnet():
    """Fixed inputs of the ThreeLayerConvNet check."""
    return {
        "X": lin((2, 3, 8, 8), -1.0, 1.0),
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
            lin(p.shape, -0.3 + 0.02 * i, 0.3 - 0.01 * i)
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
    check_close(
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
        check_close(
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

            num = numeric_gradient64(f, p0, 1.0, h=1e-6)
            model.params[key] = p0
            check_grad(
                f"ThreeLayerConvNet grads[{key!r}] (reg={reg})",
                grads[key],
                num,
                tol=1e-4,
                hints=reg_gradient_hints(key, p0, reg, num),
            )
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
    check_close(
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
        check_close(
            f"spatial_batchnorm bn_param[{key!r}]",
            param[key],
            _exp(f"spatial_batchnorm.{key}"),
            rtol=1e-6,
        )
    test_param = dict(param, mode="test")
    check_close(
        "spatial_batchnorm_forward(test) output",
        spatial_batchnorm_forward(x, gamma, beta, test_param)[0],
        _exp("spatial_batchnorm.out_test"),
        rtol=1e-6,
        atol=1e-9,
    )
    dx, dgamma, dbeta = spatial_batchnorm_backward(dout, cache)
    fx = lambda z: spatial_batchnorm_forward(z, gamma, beta, spatial_bn_param())[0]  # noqa: E731
    check_grad("spatial_batchnorm_backward dx", dx, numeric_gradient64(fx, x, dout))
    check_grad(
        "spatial_batchnorm_backward dgamma",
        dgamma,
        numeric_gradient64(
            lambda g: spatial_batchnorm_forward(x, g, beta, spatial_bn_param())[0], gamma, dout
        ),
    )
    check_grad(
        "spatial_batchnorm_backward dbeta",
        dbeta,
        numeric_gradient64(
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
    check_close(
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
    check_grad("spatial_groupnorm_backward dx", dx, numeric_gradient64(f, x, dout))
    check_grad(
        "spatial_groupnorm_backward dgamma",
        dgamma,
        numeric_gradient64(
            lambda g: spatial_groupnorm_forward(x, g, beta, G, {"eps": 1e-5})[0], gamma, dout
        ),
    )
    check_grad(
        "spatial_groupnorm_backward dbeta",
        dbeta,
        numeric_gradient64(
            lambda b: spatial_groupnorm_forward(x, gamma, b, G, {"eps": 1e-5})[0], beta, dout
        ),
    )
    passed("spatial_groupnorm", "forward and backward vs numerical, G=2")
