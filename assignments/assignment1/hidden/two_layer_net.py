"""Hidden test cases of two_layer_net.ipynb (never released)."""

import numpy as np

from autograder.hidden import Case
from cs231n.checks.two_layer_net import _MIXED_REG, _net_data, _net_mixed, _net_params


def affine_forward_probe(shape, M):
    def probe(ns, rng):
        x = rng.normal(size=shape)
        D = int(np.prod(shape[1:]))
        w, b = rng.normal(size=(D, M)), rng.normal(size=M)
        out, _ = ns["affine_forward"](x, w, b)
        return {"out": np.asarray(out)}

    return probe


def affine_backward_probe(shape, M):
    def probe(ns, rng):
        x = rng.normal(size=shape)
        D = int(np.prod(shape[1:]))
        w, b = rng.normal(size=(D, M)), rng.normal(size=M)
        dout = rng.normal(size=(shape[0], M))
        dx, dw, db = ns["affine_backward"](dout, (x, w, b))
        return {"dx": np.asarray(dx), "dw": np.asarray(dw), "db": np.asarray(db)}

    return probe


def relu_forward_probe(shape, dtype=np.float64):
    def probe(ns, rng):
        x = rng.normal(size=shape).astype(dtype)
        x.flat[::3] = 0.0
        out, _ = ns["relu_forward"](x)
        return {"out": np.asarray(out)}

    return probe


def relu_backward_probe(shape):
    def probe(ns, rng):
        x = rng.normal(size=shape)
        x.flat[::4] = 0.0
        dout = rng.normal(size=shape)
        return {"dx": np.asarray(ns["relu_backward"](dout, x))}

    return probe


def loss_probe(name, N, C, offset=0.0, dtype=np.float64):
    def probe(ns, rng):
        x = (rng.normal(size=(N, C)) + offset).astype(dtype)
        y = rng.integers(0, C, size=N)
        with np.errstate(all="ignore"):
            loss, dx = ns[name](x, y)
        return {"loss": np.float64(loss), "dx": np.asarray(dx, dtype=np.float64)}

    return probe


def net_probe(reg, N=4, D=6, H=8, C=3, images=False):
    def probe(ns, rng):
        model = ns["TwoLayerNet"](
            input_dim=(2, 3, 1) if images else D,
            hidden_dim=H,
            num_classes=C,
            weight_scale=0.1,
            reg=reg,
        )
        params = {
            "W1": rng.normal(size=(D, H)),
            "b1": rng.normal(size=H),
            "W2": rng.normal(size=(H, C)),
            "b2": rng.normal(size=C),
        }
        model.params.update(params)
        X = rng.normal(size=(N, 2, 3, 1) if images else (N, D))
        y = rng.integers(0, C, size=N)
        scores = model.loss(X)
        loss, grads = model.loss(X, y)
        out = {"scores": np.asarray(scores), "loss": np.float64(loss)}
        out.update({f"d{k}": np.asarray(grads[k]) for k in ("W1", "b1", "W2", "b2")})
        return out

    return probe


def init_probe(ns, rng):
    ws = 0.05
    model = ns["TwoLayerNet"](input_dim=40, hidden_dim=30, num_classes=5, weight_scale=ws)
    p = model.params
    std_ok = [int(0.8 * ws < float(np.std(p[k])) < 1.2 * ws) for k in ("W1", "W2")]
    return {
        "shapes": np.array([p["W1"].shape, p["W2"].shape, (p["b1"].size, p["b2"].size)]),
        "zero_biases": np.array([int(not np.any(p["b1"])), int(not np.any(p["b2"]))]),
        "std_ok": np.array(std_ok),
    }


CASES = {
    "a1_affine_forward": [
        Case("x of shape (4, 5) (already flat)", 1, affine_forward_probe((4, 5), 3)),
        Case(
            "x of shape (3, 2, 2, 2)",
            1,
            affine_forward_probe((3, 2, 2, 2), 6),
            hint="flatten each sample",
        ),
    ],
    "a1_affine_backward": [
        Case("x of shape (5, 4)", 1, affine_backward_probe((5, 4), 2)),
        Case(
            "x of shape (2, 3, 2, 2)",
            1,
            affine_backward_probe((2, 3, 2, 2), 4),
            hint="dx has x's shape",
        ),
    ],
    "a1_relu_forward": [
        Case("float64 with zeros", 0.5, relu_forward_probe((4, 6))),
        Case("float32, 4-D", 0.5, relu_forward_probe((2, 3, 2, 2), np.float32)),
    ],
    "a1_relu_backward": [
        Case("2-D with zeros", 0.5, relu_backward_probe((5, 5))),
        Case("4-D", 0.5, relu_backward_probe((2, 2, 3, 3))),
    ],
    "a1_softmax_loss": [
        Case("N=7, C=4", 1, loss_probe("softmax_loss", 7, 4), rtol=1e-7, atol=1e-12),
        Case(
            "scores around 1000",
            0.5,
            loss_probe("softmax_loss", 5, 6, offset=1000.0),
            rtol=1e-7,
            atol=1e-12,
            hint="subtract the row maximum",
        ),
        Case(
            "N=1, float32",
            0.5,
            loss_probe("softmax_loss", 1, 10, dtype=np.float32),
            rtol=1e-4,
            atol=1e-7,
        ),
    ],
    "a1_mse_loss": [
        Case("N=8, C=4", 1, loss_probe("mse_loss", 8, 4), rtol=1e-7, atol=1e-12),
        Case("N=1, C=6", 0.5, loss_probe("mse_loss", 1, 6), rtol=1e-7, atol=1e-12),
        Case(
            "N=5, C=3, float32",
            0.5,
            loss_probe("mse_loss", 5, 3, dtype=np.float32),
            rtol=1e-4,
            atol=1e-7,
        ),
    ],
    "a1_svm_loss": [
        Case("N=9, C=5", 1, loss_probe("svm_loss", 9, 5), rtol=1e-7, atol=1e-12),
        Case("N=1, C=3", 1, loss_probe("svm_loss", 1, 3), rtol=1e-7, atol=1e-12),
    ],
    "a1_two_layer_net": [
        Case("initialisation (shapes, zero biases, weight_scale)", 1, init_probe),
        Case("scores, loss and gradients, reg=0", 1, net_probe(0.0), rtol=1e-7, atol=1e-12),
        Case(
            "scores, loss and gradients, reg=0.5",
            1,
            net_probe(0.5),
            rtol=1e-7,
            atol=1e-12,
            hint="0.5 * reg * sum(W**2), weights only",
        ),
        Case(
            "image-shaped input (N, 2, 3, 1)", 1, net_probe(0.1, images=True), rtol=1e-7, atol=1e-12
        ),
    ],
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/two_layer_net.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/two_layer_net.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def two_layer_net():
    from cs231n.layers.activations import relu_backward, relu_forward
    from cs231n.layers.affine import affine_backward, affine_forward
    from cs231n.layers.losses import mse_loss, softmax_loss, svm_loss

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
    for name, fn in (("softmax", softmax_loss), ("svm", svm_loss), ("mse", mse_loss)):
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
    mixed, mX, my = _net_mixed()
    model.params.update({k: v.copy() for k, v in mixed.items()})
    model.reg = _MIXED_REG
    out["net/mixed_scores"] = model.loss(mX)
    out["net/mixed_loss"], _ = model.loss(mX, my)
    for k in sorted(grads):
        out[f"net/grad_{k}"] = grads[k]
    return out


def build_expected() -> dict:
    """Expected values of the two_layer_net checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in two_layer_net().items()}
