"""Visible checks of assignment 1 (knn, svm, softmax, backprop, two_layer_net).

Each ``check_<task>`` runs the student's objects on fixed inputs stored in
``expected/<notebook>.npz`` and compares with the reference outputs stored there, so it
needs no reference code. Gradients are also compared with numeric gradients of the
student's own function. For common mistakes the message names the likely cause: the
outputs of known-wrong variants are stored next to the right ones, and a wrong answer
that matches one of them is explained.

The expected values are built from the reference package by
``assignments/assignment1/_build/expected.py`` (``python -m autograder.authoring.expected``).
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import register
from cs231n.checks.common import (
    check_close,
    check_gradient,
    check_scalar,
    check_unchanged,
    fail,
    get,
    numeric_gradient,
    passed,
    regularization_hints,
    unpack,
)

# =========================================================================== knn


_PREDICT_KS = (1, 2, 3, 5)
_CV_KS = (1, 3, 5)


def _check_dists(fn, label):
    X = get("knn", "dists/X")
    X_train = get("knn", "dists/X_train")
    X0, Xt0 = X.copy(), X_train.copy()
    want = get("knn", "dists/out")
    got = fn(X, X_train)
    check_unchanged(f"{label}: X", X0, X)
    check_unchanged(f"{label}: X_train", Xt0, X_train)
    check_close(
        f"{label}(X, X_train)",
        got,
        want,
        rtol=1e-6,
        atol=1e-9,
        hints=[
            (
                get("knn", "dists/wrong_squared"),
                "these are squared distances: take the square root (np.sqrt).",
            ),
            (
                get("knn", "dists/wrong_l1"),
                "this is the L1 distance (sum of |differences|); we want L2, the square root of the sum of squares.",
            ),
            (want.T, "dists is transposed: row i is test sample i, column j training sample j."),
        ],
        shape_hint="dists must have shape (num_test, num_train).",
    )
    passed(label, f"{want.shape[0]}x{want.shape[1]} distance matrix matches")


@register("a1_knn_two_loops")
def check_knn_two_loops(compute_distances_two_loops):
    """Check ``compute_distances_two_loops`` on fixed images."""
    _check_dists(compute_distances_two_loops, "compute_distances_two_loops")


@register("a1_knn_one_loop")
def check_knn_one_loop(compute_distances_one_loop):
    """Check ``compute_distances_one_loop`` on fixed images."""
    _check_dists(compute_distances_one_loop, "compute_distances_one_loop")


@register("a1_knn_no_loops")
def check_knn_no_loops(compute_distances_no_loops):
    """Check ``compute_distances_no_loops``, including a case where rounding bites."""
    _check_dists(compute_distances_no_loops, "compute_distances_no_loops")
    same = 1e3 + np.random.default_rng(1).normal(size=(30, 20))
    with np.errstate(invalid="ignore"):
        d = np.asarray(compute_distances_no_loops(same, same))
    if not np.all(np.isfinite(d)):
        fail(
            "compute_distances_no_loops: the distance between identical samples is nan. "
            "Likely cause: rounding made a squared distance slightly negative; clip it at 0 "
            "(np.maximum(sq, 0)) before np.sqrt."
        )
    if np.max(np.abs(np.diag(d))) > 1e-3:
        fail("compute_distances_no_loops: the distance of a sample to itself is far from 0.")


@register("a1_knn_predict")
def check_knn_predict(predict_labels):
    """Check the majority vote, with ties between distances and between votes."""
    dists = get("knn", "predict/dists")
    y_train = get("knn", "predict/y_train")
    for k in _PREDICT_KS:
        got = predict_labels(dists.copy(), y_train.copy(), k=k)
        check_close(
            f"predict_labels(dists, y_train, k={k})",
            got,
            get("knn", f"predict/k{k}"),
            rtol=0,
            hints=[
                (
                    get("knn", f"predict/wrong_ties_k{k}"),
                    "a tie between labels must go to the SMALLER label (np.argmax of np.bincount does that).",
                ),
                (
                    get("knn", f"predict/wrong_far_k{k}"),
                    "these are the k FARTHEST neighbours: sort distances in increasing order.",
                ),
                (
                    get("knn", "predict/k1"),
                    f"k is ignored: vote among the k = {k} nearest, not only the nearest.",
                ),
            ],
        )
    passed("predict_labels", f"k in {list(_PREDICT_KS)}, with ties")


@register("a1_knn_cross_validation")
def check_knn_cross_validation(cross_validate_k):
    """Check the fold accuracies of ``cross_validate_k`` on three noisy clusters."""
    X = get("knn", "cv/X")
    y = get("knn", "cv/y")
    want = get("knn", "cv/acc")
    res = cross_validate_k(X, y, list(_CV_KS), num_folds=4)
    if not isinstance(res, dict) or sorted(res) != list(_CV_KS):
        got = sorted(res) if isinstance(res, dict) else type(res).__name__
        fail(f"cross_validate_k: expected a dict with keys {list(_CV_KS)}, got {got}.")
    for i, k in enumerate(_CV_KS):
        if len(res[k]) != 4:
            fail(
                f"cross_validate_k: k={k} has {len(res[k])} accuracies, expected one per fold (4)."
            )
        check_close(
            f"cross_validate_k accuracies for k={k}",
            np.asarray(res[k], dtype=float),
            want[i],
            rtol=1e-9,
            hints=[
                (want[i] * 100, "accuracies are percentages; return fractions in [0, 1]."),
                (
                    get("knn", "cv/wrong_leak")[i],
                    "the held-out fold is also in the training set: train on the OTHER folds only.",
                ),
            ],
        )
    passed("cross_validate_k", "4 folds, k in [1, 3, 5]")


# =========================================================================== svm / softmax


def _linear_inputs(seed, N=10, D=6, C=4, scale=0.3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D))
    W = rng.normal(scale=scale, size=(D, C))
    y = rng.integers(0, C, size=N)
    return W, X, y


_REG = 0.3


def _check_linear_loss(fn, label, notebook, tag, extra_loss_hints=()):
    W = get(notebook, f"{tag}/W")
    X = get(notebook, f"{tag}/X")
    y = get(notebook, f"{tag}/y")
    want_loss = float(get(notebook, f"{tag}/loss"))
    want_dW = get(notebook, f"{tag}/dW")
    W0 = W.copy()
    loss, dW = unpack(fn(W, X, y, _REG), 2, label, "(loss, dW)")
    check_unchanged(f"{label}: W", W0, W)
    loss_hints, grad_hints = regularization_hints(_REG, W, want_loss, want_dW, X.shape[0])
    check_scalar(
        f"{label} loss (N={X.shape[0]}, reg={_REG})",
        loss,
        want_loss,
        rtol=1e-7,
        hints=[*extra_loss_hints(want_loss), *loss_hints],
    )
    if tag == "small":
        numeric = numeric_gradient(lambda w: fn(w, X, y, _REG)[0], W.copy())
        check_gradient(f"{label} dW", dW, numeric, tol=1e-6, hints=grad_hints)
    check_close(f"{label} dW", dW, want_dW, rtol=1e-6, atol=1e-10, hints=grad_hints)


def _svm_loss_hints(loss):
    return [
        (
            loss + 1.0,
            "the correct class is counted in the sum of margins (its margin is always 1): skip j == y[i].",
        )
    ]


def _no_hints(loss):
    del loss
    return []


@register("a1_svm_naive")
def check_svm_naive(svm_loss_naive):
    """Check the loop version of the SVM loss: value, numeric and expected gradient."""
    _check_linear_loss(svm_loss_naive, "svm_loss_naive", "svm", "small", _svm_loss_hints)
    passed("svm_loss_naive", "loss, gradient check and expected dW")


@register("a1_svm_vectorized")
def check_svm_vectorized(svm_loss_vectorized):
    """Check the vectorized SVM loss on a small and a larger batch."""
    for tag in ("small", "large"):
        _check_linear_loss(svm_loss_vectorized, "svm_loss_vectorized", "svm", tag, _svm_loss_hints)
    passed("svm_loss_vectorized", "loss and dW on two batches")


def _check_softmax_big(fn, label):
    W = get("softmax", "big/W")
    X = get("softmax", "big/X")
    y = get("softmax", "big/y")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        loss, dW = unpack(fn(W, X, y, 0.0), 2, label, "(loss, dW)")
    hint = "no max-shift: exp of large scores overflows to inf. Subtract each row's maximum score before np.exp (the probabilities do not change)."
    check_scalar(
        f"{label} loss on large scores (|s| ~ 1e3)",
        loss,
        float(get("softmax", "big/loss")),
        rtol=1e-7,
        nonfinite_hint=hint,
    )
    check_close(
        f"{label} dW on large scores",
        dW,
        get("softmax", "big/dW"),
        rtol=1e-6,
        atol=1e-10,
        nonfinite_hint=hint,
    )


@register("a1_softmax_naive")
def check_softmax_naive(softmax_loss_naive):
    """Check the loop version of the softmax loss, including numerical stability."""
    _check_linear_loss(softmax_loss_naive, "softmax_loss_naive", "softmax", "small", _no_hints)
    _check_softmax_big(softmax_loss_naive, "softmax_loss_naive")
    passed("softmax_loss_naive", "loss, gradient check, large scores")


@register("a1_softmax_vectorized")
def check_softmax_vectorized(softmax_loss_vectorized):
    """Check the vectorized softmax loss on two batches and on large scores."""
    for tag in ("small", "large"):
        _check_linear_loss(
            softmax_loss_vectorized, "softmax_loss_vectorized", "softmax", tag, _no_hints
        )
    _check_softmax_big(softmax_loss_vectorized, "softmax_loss_vectorized")
    passed("softmax_loss_vectorized", "loss and dW on two batches, large scores")


# =========================================================================== backprop (gates)

_TRUTH = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
_TABLES = {"and": [0, 0, 0, 1], "nand": [1, 1, 1, 0], "or": [0, 1, 1, 1], "xor": [0, 1, 1, 0]}


def _bp(key):
    return get("backprop", key)


def _check_binary_gate(fwd, bwd, name, grad_hints):
    x, y, dout = _bp("x"), _bp("y"), _bp("dout")
    res = unpack(fwd(x.copy(), y.copy()), 2, f"{name}_gate_forward", "(out, cache)")
    check_close(f"{name}_gate_forward out", res[0], _bp(f"{name}/out"))
    dx, dy = unpack(bwd(dout.copy(), res[1]), 2, f"{name}_gate_backward", "(dx, dy)")
    hx, hy = grad_hints(x, y, dout)
    check_close(f"{name}_gate_backward dx", dx, _bp(f"{name}/dx"), hints=hx)
    check_close(f"{name}_gate_backward dy", dy, _bp(f"{name}/dy"), hints=hy)
    passed(f"{name} gate", "forward and backward")


@register("a1_gate_add")
def check_gate_add(add_gate_forward, add_gate_backward):
    """Check the add gate: forward and both gradients."""

    def hints(x, y, dout):
        ones = (
            np.ones_like(x),
            "the local gradient 1 is not multiplied by the upstream gradient dout.",
        )
        return [ones], [ones]

    _check_binary_gate(add_gate_forward, add_gate_backward, "add", hints)


@register("a1_gate_multiply")
def check_gate_multiply(multiply_gate_forward, multiply_gate_backward):
    """Check the multiply gate: each input's gradient is dout times the OTHER input."""

    def hints(x, y, dout):
        return (
            [
                (
                    dout * x,
                    "dx uses x; the derivative of x * y with respect to x is y (the other input).",
                ),
                (y, "dx ignores dout: multiply by the upstream gradient."),
            ],
            [
                (
                    dout * y,
                    "dy uses y; the derivative of x * y with respect to y is x (the other input).",
                ),
                (x, "dy ignores dout: multiply by the upstream gradient."),
            ],
        )

    _check_binary_gate(multiply_gate_forward, multiply_gate_backward, "multiply", hints)


@register("a1_gate_max")
def check_gate_max(max_gate_forward, max_gate_backward):
    """Check the max gate, including ties (which go to x)."""

    def hints(x, y, dout):
        both = "at a tie (x == y) the whole gradient goes to x only, not to both inputs."
        return (
            [
                (dout * (x > y), "at a tie (x == y) the gradient goes to x: use x >= y."),
                (dout * (x < y), "dx and dy are swapped: x gets dout where x is the larger input."),
            ],
            [
                (dout * (y >= x), both),
                (dout * (x > y), "dx and dy are swapped: y gets dout where y is strictly larger."),
            ],
        )

    _check_binary_gate(max_gate_forward, max_gate_backward, "max", hints)


@register("a1_gate_sigmoid")
def check_gate_sigmoid(sigmoid_gate_forward, sigmoid_gate_backward):
    """Check the sigmoid gate forward (with large |x|) and its backward."""
    x = _bp("sigmoid/x")
    with np.errstate(over="ignore"):
        out, cache = unpack(
            sigmoid_gate_forward(x.copy()), 2, "sigmoid_gate_forward", "(out, cache)"
        )
    check_close("sigmoid_gate_forward out", out, _bp("sigmoid/out"), rtol=1e-7, atol=1e-12)
    dx = sigmoid_gate_backward(_bp("sigmoid/dout"), cache)
    check_close(
        "sigmoid_gate_backward dx",
        dx,
        _bp("sigmoid/dx"),
        rtol=1e-7,
        atol=1e-12,
        hints=[
            (
                _bp("sigmoid/wrong_twice"),
                "the sigmoid is applied to the cached OUTPUT again: use s * (1 - s) with s = the cached sigmoid(x).",
            ),
            (_bp("sigmoid/wrong_nodout"), "the local gradient is not multiplied by dout."),
        ],
    )
    passed("sigmoid gate", "forward and backward")


def _step(x, w, b):
    return (np.asarray(x) @ np.asarray(w, dtype=float) + float(b) > 0).astype(int)


@register("a1_perceptron")
def check_perceptron(perceptron_forward, logic_gate_weights, xor_forward):
    """Check the perceptron, the AND/NAND/OR weights and the two-layer XOR."""
    got = perceptron_forward(_bp("perceptron/x"), _bp("perceptron/w"), float(_bp("perceptron/b")))
    if not np.issubdtype(np.asarray(got).dtype, np.integer):
        fail(
            f"perceptron_forward: expected an integer array of 0s and 1s, got dtype {np.asarray(got).dtype}. Use .astype(int)."
        )
    check_close(
        "perceptron_forward on a grid of inputs (w = [1, -1], b = 0)",
        got,
        _bp("perceptron/out"),
        rtol=0,
        hints=[
            (_bp("perceptron/wrong_geq"), "the step fires at z = 0; step(z) is 1 only for z > 0.")
        ],
    )
    for name in ("and", "nand", "or"):
        w, b = unpack(logic_gate_weights(name), 2, f'logic_gate_weights("{name}")', "(w, b)")
        table = _step(_TRUTH, w, b)
        for row, got_v, want_v in zip(_TRUTH, table, _TABLES[name]):
            if got_v != want_v:
                fail(
                    f'logic_gate_weights("{name}"): with w = {np.asarray(w).tolist()}, b = {b}, input {tuple(row)} '
                    f"gives {got_v}, expected {want_v}. Draw the 4 inputs and the line w . x + b = 0: "
                    f"the inputs where {name.upper()} is 1 must lie strictly on the positive side."
                )
    out = np.asarray(xor_forward(_TRUTH.astype(float)))
    check_close("xor_forward on the truth table", out, np.array(_TABLES["xor"]), rtol=0)
    passed("perceptrons", "AND, NAND, OR and XOR truth tables")


# =========================================================================== two_layer_net


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
        f"{name}_loss dx", dx, numeric, tol=1e-6, hints=[(want_dx * N, "dx is not divided by N.")]
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
