"""Build-time expected values (and wrong-variant fingerprints) of the assignment1 checks.

``build(notebook) -> dict[str, ndarray]`` runs the REFERENCE package on the fixed inputs
of ``cs231n.checks.assignment1`` and adds the outputs of deliberately wrong variants, so
a visible check can name the likely mistake. This file is never released (some wrong
variants are close to a solution). ``python -m autograder.authoring.expected`` writes
``cs231n/checks/expected/<notebook>.npz`` from it.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks.assignment1 import (
    _CV_KS,
    _PREDICT_KS,
    _REG,
    _linear_inputs,
    _net_data,
    _net_params,
)

NOTEBOOKS = ("knn", "svm", "softmax", "backprop", "two_layer_net")


def _l1(a, b):
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    return np.abs(a[:, None, :] - b[None, :, :]).sum(axis=2)


def _vote(dists, y_train, k, *, larger_ties=False, farthest=False):
    """A deliberately configurable vote, used only to fingerprint wrong answers."""
    preds = []
    for row in dists:
        order = np.argsort(-row if farthest else row, kind="stable")[:k]
        counts = np.bincount(y_train[order], minlength=int(y_train.max()) + 1)
        best = np.flatnonzero(counts == counts.max())
        preds.append(best[-1] if larger_ties else best[0])
    return np.array(preds)


def knn():
    from cs231n.classifiers.k_nearest_neighbor import (
        compute_distances_two_loops,
        cross_validate_k,
        predict_labels,
    )

    rng = np.random.default_rng(231)
    X = rng.normal(size=(4, 3, 2, 2))
    X_train = rng.normal(size=(7, 3, 2, 2))
    dists = compute_distances_two_loops(X, X_train)
    out = {
        "dists/X": X,
        "dists/X_train": X_train,
        "dists/out": dists,
        "dists/wrong_squared": dists**2,
        "dists/wrong_l1": _l1(X, X_train),
    }
    # predict: rounded distances make ties among neighbours and among votes
    pd = np.round(rng.uniform(0, 4, size=(6, 9)), 0)
    y_train = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0])
    out["predict/dists"] = pd
    out["predict/y_train"] = y_train
    for k in _PREDICT_KS:
        out[f"predict/k{k}"] = predict_labels(pd, y_train, k=k)
        out[f"predict/wrong_ties_k{k}"] = _vote(pd, y_train, k, larger_ties=True)
        out[f"predict/wrong_far_k{k}"] = _vote(pd, y_train, k, farthest=True)
    # cross-validation: three noisy clusters
    centers = rng.normal(scale=2.0, size=(3, 5))
    y = rng.integers(0, 3, size=24)
    Xcv = centers[y] + rng.normal(scale=1.5, size=(24, 5))
    acc = cross_validate_k(Xcv, y, _CV_KS, num_folds=4)
    out["cv/X"] = Xcv
    out["cv/y"] = y
    out["cv/acc"] = np.array([acc[k] for k in _CV_KS])
    # wrong: the held-out fold kept in the training set
    wrong = []
    for k in _CV_KS:
        accs = []
        for f, idx in enumerate(np.array_split(np.arange(24), 4)):
            del f
            d = np.sqrt(((Xcv[idx][:, None] - Xcv[None]) ** 2).sum(-1))
            accs.append(float(np.mean(_vote(d, y, k) == y[idx])))
        wrong.append(accs)
    out["cv/wrong_leak"] = np.array(wrong)
    return out


def svm():
    from cs231n.classifiers.linear_svm import svm_loss_naive

    out = {}
    for tag, (seed, N, D, C) in {"small": (1, 10, 6, 4), "large": (2, 60, 15, 5)}.items():
        W, X, y = _linear_inputs(seed, N, D, C)
        loss, dW = svm_loss_naive(W, X, y, _REG)
        out.update(
            {f"{tag}/W": W, f"{tag}/X": X, f"{tag}/y": y, f"{tag}/loss": loss, f"{tag}/dW": dW}
        )
    return out


def softmax():
    from cs231n.classifiers.softmax import softmax_loss_naive

    out = {}
    for tag, (seed, N, D, C) in {"small": (3, 10, 6, 4), "large": (4, 60, 15, 5)}.items():
        W, X, y = _linear_inputs(seed, N, D, C)
        loss, dW = softmax_loss_naive(W, X, y, _REG)
        out.update(
            {f"{tag}/W": W, f"{tag}/X": X, f"{tag}/y": y, f"{tag}/loss": loss, f"{tag}/dW": dW}
        )
    # scores all near 1000 (a large shared offset), class differences of order 1:
    # np.exp overflows unless the scores are shifted by their max first
    W, X, y = _linear_inputs(5, 6, 4, 3)
    X[:, -1] = 1000.0
    W[-1, :] = 1.0 + 0.01 * np.arange(W.shape[1])
    loss, dW = softmax_loss_naive(W, X, y, 0.0)
    out.update({"big/W": W, "big/X": X, "big/y": y, "big/loss": loss, "big/dW": dW})
    return out


def backprop():
    from cs231n import gates

    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 4))
    y = rng.normal(size=(3, 4))
    y[0, :2] = x[0, :2]  # ties for the max gate
    dout = rng.normal(size=(3, 4))
    out = {"x": x, "y": y, "dout": dout}
    for name in ("add", "multiply", "max"):
        fwd = getattr(gates, f"{name}_gate_forward")
        bwd = getattr(gates, f"{name}_gate_backward")
        o, cache = fwd(x, y)
        dx, dy = bwd(dout, cache)
        out.update({f"{name}/out": o, f"{name}/dx": dx, f"{name}/dy": dy})
    xs = np.concatenate([x.ravel(), [-30.0, 30.0, 0.0]])
    s, cache = gates.sigmoid_gate_forward(xs)
    ds = rng.normal(size=xs.shape)
    out.update(
        {
            "sigmoid/x": xs,
            "sigmoid/dout": ds,
            "sigmoid/out": s,
            "sigmoid/dx": gates.sigmoid_gate_backward(ds, cache),
        }
    )
    sig_of_s = 1 / (1 + np.exp(-s))
    out["sigmoid/wrong_twice"] = ds * sig_of_s * (1 - sig_of_s)
    out["sigmoid/wrong_nodout"] = s * (1 - s)
    grid = np.array([[a, b] for a in range(-1, 3) for b in range(-1, 3)], dtype=float)
    w = np.array([1.0, -1.0])
    out.update({"perceptron/x": grid, "perceptron/w": w, "perceptron/b": np.float64(0.0)})
    out["perceptron/out"] = gates.perceptron_forward(grid, w, 0.0)
    out["perceptron/wrong_geq"] = (grid @ w >= 0).astype(int)
    return out


def two_layer_net():
    from cs231n.layers.activations import relu_backward, relu_forward
    from cs231n.layers.affine import affine_backward, affine_forward
    from cs231n.layers.losses import softmax_loss, svm_loss

    rng = np.random.default_rng(2)
    out = {}
    x = rng.normal(size=(2, 4, 3))
    w = rng.normal(size=(12, 5))
    b = rng.normal(size=5)
    o, cache = affine_forward(x, w, b)
    dout = rng.normal(size=(2, 5))
    dx, dw, db = affine_backward(dout, cache)
    out.update({"affine/x": x, "affine/w": w, "affine/b": b, "affine/out": o, "affine/dout": dout})
    out.update({"affine/dx": dx, "affine/dw": dw, "affine/db": db})
    rx = rng.normal(size=(4, 5))
    rx[0, :2] = 0.0
    ro, rcache = relu_forward(rx)
    rd = rng.normal(size=(4, 5))
    out.update(
        {"relu/x": rx, "relu/out": ro, "relu/dout": rd, "relu/dx": relu_backward(rd, rcache)}
    )
    out["relu/wrong_geq"] = rd * (rx >= 0)
    out["relu/wrong_relu_dout"] = np.where(rd > 0, rd, 0.0)
    out["relu/wrong_times_x"] = rd * np.where(rx > 0, rx, 0.0)
    sx = rng.normal(size=(6, 5))
    sy = rng.integers(0, 5, size=6)
    out.update({"loss/x": sx, "loss/y": sy})
    for name, fn in (("softmax", softmax_loss), ("svm", svm_loss)):
        loss, ldx = fn(sx, sy)
        out.update({f"{name}/loss": loss, f"{name}/dx": ldx})
    big = sx + 1000.0  # the same softmax, but np.exp(big) overflows without a max-shift
    loss, ldx = softmax_loss(big, sy)
    out.update({"softmax/big_x": big, "softmax/big_loss": loss, "softmax/big_dx": ldx})
    # TwoLayerNet on fixed parameters (N=3, D=5, H=50, C=7)
    from cs231n.classifiers.fc_net import TwoLayerNet

    model = TwoLayerNet(input_dim=5, hidden_dim=50, num_classes=7, weight_scale=1e-3)
    params = _net_params()
    model.params.update({k: v.copy() for k, v in params.items()})
    X, y = _net_data()
    model.reg = 0.0
    out["net/scores"] = model.loss(X)
    out["net/loss0"], _ = model.loss(X, y)
    model.reg = 1.0
    out["net/loss1"], _ = model.loss(X, y)
    model.reg = 0.7
    _, grads = model.loss(X, y)
    out["net/loss07"] = loss
    for k in sorted(grads):
        out[f"net/grad_{k}"] = grads[k]
    return out


def build(notebook: str) -> dict:
    """Expected values of one notebook's checks."""
    return {
        "knn": knn,
        "svm": svm,
        "softmax": softmax,
        "backprop": backprop,
        "two_layer_net": two_layer_net,
    }[notebook]()
