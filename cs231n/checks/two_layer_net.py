"""Visible checks of two_layer_net.ipynb: affine and ReLU layers, loss layers, TwoLayerNet.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/two_layer_net.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/two_layer_net.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import register
from cs231n.checks.common import (
    check_close,
    check_gradient,
    check_scalar,
    check_unchanged,
    correct_class_hints,
    fail,
    get,
    numeric_gradient,
    passed,
    reg_gradient_hints,
    unpack,
)
from cs231n.checks.svm import _no_hints, _svm_loss_hints

NOTEBOOK = "two_layer_net"


def _net_params():
    D, H, C = 5, 50, 7
    return {
        "W1": np.linspace(-0.7, 0.3, num=D * H).reshape(D, H),
        "b1": np.linspace(-0.1, 0.9, num=H),
        "W2": np.linspace(-0.3, 0.4, num=H * C).reshape(H, C),
        "b2": np.linspace(-0.9, 0.1, num=C),
    }


def _net_data():
    X = np.linspace(-5.5, 4.5, num=3 * 5).reshape(5, 3).T
    return X, np.array([0, 5, 1])


def _net_mixed():
    """Parameters, X and y whose first-layer pre-activations lie on both sides of zero
    (about half are negative, none within 1e-3 of it), so the ReLU switches units off."""
    rng = np.random.default_rng(231)
    D, H, C = 5, 50, 7
    params = {
        "W1": rng.normal(scale=0.5, size=(D, H)),
        "b1": rng.normal(scale=0.1, size=H),
        "W2": rng.normal(scale=0.3, size=(H, C)),
        "b2": rng.normal(scale=0.1, size=C),
    }
    X = np.random.default_rng(232).normal(size=(4, D))
    return params, X, np.array([0, 3, 6, 2])


_MIXED_REG = 0.3


def _tl(key):
    return get("two_layer_net", key)


@register("a1_affine_forward")
def check_affine_forward(affine_forward):
    """Check the affine forward pass on inputs of shape (2, 4, 3)."""
    x, w, b = _tl("affine/x"), _tl("affine/w"), _tl("affine/b")
    x0 = x.copy()
    try:
        res = affine_forward(x, w, b)
    except ValueError as exc:
        if "matmul" in str(exc) or "shapes" in str(exc) or "align" in str(exc):
            fail(
                f"affine_forward raised {exc!r} for x of shape {x.shape} and w of shape {w.shape}. "
                "Likely cause: x is not reshaped to (N, D) rows before the product: x.reshape(x.shape[0], -1)."
            )
        raise
    out, _ = unpack(res, 2, "affine_forward", "(out, cache)")
    check_unchanged("affine_forward: x", x0, x)
    check_close(
        "affine_forward out",
        out,
        _tl("affine/out"),
        hints=[(_tl("affine/out") - b, "the bias b is not added.")],
        shape_hint="out must have shape (N, M): one row per sample.",
    )
    passed("affine_forward", "x of shape (2, 4, 3)")


@register("a1_affine_backward")
def check_affine_backward(affine_backward):
    """Check dx, dw, db of the affine layer (cache = (x, w, b))."""
    x, w, b, dout = _tl("affine/x"), _tl("affine/w"), _tl("affine/b"), _tl("affine/dout")
    dout0 = dout.copy()
    dx, dw, db = unpack(affine_backward(dout, (x, w, b)), 3, "affine_backward", "(dx, dw, db)")
    check_unchanged("affine_backward: dout", dout0, dout)
    want_dx = _tl("affine/dx")
    check_close(
        "affine_backward dx",
        dx,
        want_dx,
        hints=[
            (
                want_dx.reshape(x.shape[0], -1),
                "dx has the flattened shape (N, D): reshape it back to x.shape.",
            )
        ],
    )
    check_close(
        "affine_backward dw",
        dw,
        _tl("affine/dw"),
        hints=[
            (
                _tl("affine/dw").T,
                "dw is transposed: dw = x_rows.T @ dout has the shape of w, (D, M).",
            )
        ],
    )
    check_close(
        "affine_backward db",
        db,
        _tl("affine/db"),
        hints=[
            (
                _tl("affine/db") / x.shape[0],
                "db is averaged; the gradient of a sum over samples is the sum of dout over axis 0.",
            )
        ],
    )
    passed("affine_backward", "dx, dw, db")


@register("a1_relu_forward")
def check_relu_forward(relu_forward):
    """Check ReLU forward, including exact zeros."""
    x = _tl("relu/x")
    out, _ = unpack(relu_forward(x.copy()), 2, "relu_forward", "(out, cache)")
    check_close(
        "relu_forward out",
        out,
        _tl("relu/out"),
        hints=[
            (np.abs(x), "negative inputs must become 0, not their absolute value."),
            (np.minimum(x, 0), "this keeps the NEGATIVE part; ReLU keeps the positive part."),
        ],
    )
    passed("relu_forward")


@register("a1_relu_backward")
def check_relu_backward(relu_backward):
    """Check ReLU backward (cache = x), including inputs that are exactly 0."""
    x, dout = _tl("relu/x"), _tl("relu/dout")
    dout0 = dout.copy()
    dx = relu_backward(dout, x.copy())
    check_unchanged("relu_backward: dout", dout0, dout)
    check_close(
        "relu_backward dx",
        dx,
        _tl("relu/dx"),
        hints=[
            (
                _tl("relu/wrong_geq"),
                "where the input is exactly 0 the gradient is 0: mask with x > 0, not x >= 0.",
            ),
            (
                _tl("relu/wrong_relu_dout"),
                "ReLU is applied to dout; the mask must come from the sign of the INPUT x (the cache).",
            ),
            (
                _tl("relu/wrong_times_x"),
                "dout is multiplied by the ReLU output; multiply by the 0/1 mask (x > 0) instead.",
            ),
        ],
    )
    passed("relu_backward")


def _check_loss_layer(fn, name, loss_hints):
    x, y = _tl("loss/x"), _tl("loss/y")
    loss, dx = unpack(fn(x.copy(), y.copy()), 2, f"{name}_loss", "(loss, dx)")
    want_loss, want_dx = float(_tl(f"{name}/loss")), _tl(f"{name}/dx")
    N = x.shape[0]
    check_scalar(
        f"{name}_loss loss",
        loss,
        want_loss,
        hints=[
            *loss_hints(want_loss),
            (want_loss * N, "the loss is summed over samples; average it (divide by N)."),
        ],
    )
    numeric = numeric_gradient(lambda z: fn(z, y)[0], x.copy())
    check_gradient(
        f"{name}_loss dx",
        dx,
        numeric,
        tol=1e-6,
        hints=[(want_dx * N, "dx is not divided by N."), *correct_class_hints(dx, numeric, y)],
    )
    check_close(
        f"{name}_loss dx",
        dx,
        want_dx,
        rtol=1e-6,
        atol=1e-12,
        hints=[(want_dx * N, "dx is not divided by N.")],
    )


@register("a1_softmax_loss")
def check_softmax_loss(softmax_loss):
    """Check the softmax loss layer, its gradient, and large scores."""
    _check_loss_layer(softmax_loss, "softmax", _no_hints)
    hint = "no max-shift: exp of large scores overflows. Subtract each row's max before np.exp."
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        loss, dx = softmax_loss(_tl("softmax/big_x"), _tl("loss/y"))
    check_scalar(
        "softmax_loss loss on scores ~ 1e3",
        loss,
        float(_tl("softmax/big_loss")),
        nonfinite_hint=hint,
    )
    check_close(
        "softmax_loss dx on scores ~ 1e3",
        dx,
        _tl("softmax/big_dx"),
        rtol=1e-6,
        atol=1e-12,
        nonfinite_hint=hint,
    )
    passed("softmax_loss", "loss, gradient check, large scores")


@register("a1_svm_loss")
def check_svm_loss(svm_loss):
    """Check the SVM loss layer and its gradient."""
    _check_loss_layer(svm_loss, "svm", _svm_loss_hints)
    passed("svm_loss", "loss and gradient")


def _mse_loss_hints(loss):
    C = _tl("loss/x").shape[1]
    return [
        (2 * loss, "the 0.5 in front of the squared differences is missing."),
        (
            loss * 2 / C,
            "the squared differences were averaged over all N * C entries; sum over the "
            "classes and average over the samples only.",
        ),
    ]


@register("a1_mse_loss")
def check_mse_loss(mse_loss):
    """Check the mean squared error loss layer and its gradient."""
    _check_loss_layer(mse_loss, "mse", _mse_loss_hints)
    passed("mse_loss", "loss and gradient")


def _check_net_mixed(model):
    """Scores and gradients where the ReLU switches about half of the hidden units off."""
    params, X, y = _net_mixed()
    model.params.update({k: v.copy() for k, v in params.items()})
    model.reg = _MIXED_REG
    what = f"pre-activations on both sides of zero, reg={_MIXED_REG}"
    check_close(
        f"TwoLayerNet.loss(X) scores ({what})",
        model.loss(X),
        _tl("net/mixed_scores"),
        rtol=1e-6,
        atol=1e-12,
    )
    loss, grads = unpack(model.loss(X, y), 2, "TwoLayerNet.loss(X, y)", "(loss, grads)")
    check_scalar(f"TwoLayerNet loss ({what})", loss, float(_tl("net/mixed_loss")), rtol=1e-8)
    for k in sorted(params):
        numeric = numeric_gradient(lambda _: model.loss(X, y)[0], model.params[k])
        check_gradient(
            f"TwoLayerNet grads[{k!r}] ({what})",
            grads.get(k) if isinstance(grads, dict) else None,
            numeric,
            tol=1e-6,
            hints=reg_gradient_hints(k, model.params[k], _MIXED_REG, numeric),
        )


@register("a1_two_layer_net")
def check_two_layer_net(TwoLayerNet):
    """Check TwoLayerNet: initialisation, scores, losses at reg 0 / 1, gradients at reg 0.7."""
    D, H, C = 5, 50, 7
    std = 1e-3
    model = TwoLayerNet(input_dim=D, hidden_dim=H, num_classes=C, weight_scale=std)
    shapes = {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}
    params = getattr(model, "params", None)
    if not isinstance(params, dict) or set(params) != set(shapes):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        fail(f"TwoLayerNet.params: expected a dict with keys {sorted(shapes)}, got {got}.")
    for k, shape in shapes.items():
        if np.shape(params[k]) != shape:
            fail(f"TwoLayerNet.params[{k!r}]: expected shape {shape}, got {np.shape(params[k])}.")
    for k in ("b1", "b2"):
        if np.any(params[k] != 0):
            fail(
                f"TwoLayerNet.params[{k!r}]: biases start at zero, got values up to {np.max(np.abs(params[k])):.3g}."
            )
    for k in ("W1", "W2"):
        s = float(np.std(params[k]))
        if not 0.75 * std < s < 1.25 * std:
            fail(
                f"TwoLayerNet.params[{k!r}]: standard deviation {s:.3g}, expected about weight_scale = {std}. "
                "Likely cause: draw weight_scale * np.random.randn(...), not rand or a fixed value."
            )
    model.params.update({k: v.copy() for k, v in _net_params().items()})
    X, y = _net_data()
    model.reg = 0.0
    check_close(
        "TwoLayerNet.loss(X) scores (y=None)",
        model.loss(X),
        _tl("net/scores"),
        rtol=1e-6,
        atol=1e-12,
    )
    res = unpack(model.loss(X, y), 2, "TwoLayerNet.loss(X, y)", "(loss, grads)")
    check_scalar("TwoLayerNet loss at reg=0", res[0], float(_tl("net/loss0")), rtol=1e-8)
    _check_net_mixed(model)
    model.params.update({k: v.copy() for k, v in _net_params().items()})
    model.reg = 0.0
    model.reg = 1.0
    loss1, _ = model.loss(X, y)
    r = 0.5 * sum(float(np.sum(_net_params()[k] ** 2)) for k in ("W1", "W2"))
    want1 = float(_tl("net/loss1"))
    check_scalar(
        "TwoLayerNet loss at reg=1.0",
        loss1,
        want1,
        rtol=1e-8,
        hints=[
            (want1 - r, "the regularization 0.5 * reg * (sum(W1**2) + sum(W2**2)) is missing."),
            (
                want1 + r,
                "the regularization uses reg * sum(W**2); the convention is 0.5 * reg * sum(W**2).",
            ),
            (
                want1 + 0.5 * sum(float(np.sum(_net_params()[k] ** 2)) for k in ("b1", "b2")),
                "the biases are regularized too; only W1 and W2 are.",
            ),
        ],
    )
    model.reg = 0.7
    _, grads = model.loss(X, y)
    for k in sorted(shapes):
        p = model.params[k]

        def f(_, k=k):
            return model.loss(X, y)[0]

        from cs231n.gradient_check import eval_numerical_gradient

        numeric = eval_numerical_gradient(f, p, verbose=False, h=1e-5)
        hints = (
            [(_tl(f"net/grad_{k}") - 0.7 * p, f"the regularization gradient reg * {k} is missing.")]
            if k.startswith("W")
            else []
        )
        check_gradient(
            f"TwoLayerNet grads[{k!r}] (reg=0.7)",
            grads.get(k) if isinstance(grads, dict) else None,
            numeric,
            tol=1e-6,
            hints=hints,
        )
        check_close(
            f"TwoLayerNet grads[{k!r}] (reg=0.7)",
            grads[k],
            _tl(f"net/grad_{k}"),
            rtol=1e-6,
            atol=1e-10,
            hints=hints,
        )
    passed("TwoLayerNet", "init, scores, losses at reg 0 and 1, gradients at reg 0.7")
