"""Visible checks of Dropout.ipynb: dropout.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/Dropout.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/Dropout.py``, never released), through the
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
    fmt,
    lin,
    notebook_helpers,
    numeric_gradient64,
    passed,
)

NOTEBOOK = "Dropout"


_exp, _hints = notebook_helpers(NOTEBOOK)


def inputs_dropout():
    """A large positive input, so statistics are sharp."""
    return {"x": 10.0 + lin((400, 500), -1.0, 1.0)}


@register("a2_dropout_forward")
def check_dropout_forward(dropout_forward):
    """Inverted dropout: keep fraction, rescaling by 1 / keep_prob, seeding, test mode."""
    x = inputs_dropout()["x"]
    x0 = x.copy()
    for keep_prob in (0.25, 0.4, 0.7):
        out, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 123})
        check_unchanged("dropout_forward", x0, x, "x")
        if out.shape != x.shape:
            raise CheckFailed(f"dropout_forward: expected output shape {x.shape}, got {out.shape}.")
        kept = out != 0
        frac = float(kept.mean())
        if abs(frac - keep_prob) > 0.01:
            msg = f"dropout_forward(keep_prob={keep_prob}, train): {frac:.3f} of the units were kept, expected about {keep_prob}."
            if abs(frac - (1 - keep_prob)) < 0.01:
                msg += " Likely cause: keep_prob was used as the DROP probability; keep a unit when rand < keep_prob."
            raise CheckFailed(msg)
        ratio = out[kept] / x[kept]
        if not np.allclose(ratio, 1 / keep_prob):
            msg = f"dropout_forward(keep_prob={keep_prob}, train): kept units are x * {float(np.median(ratio)):.4g}, expected x / keep_prob = x * {1 / keep_prob:.4g}."
            if np.allclose(ratio, 1.0):
                msg += " Likely cause: the kept units were not rescaled by 1 / keep_prob (inverted dropout rescales at TRAIN time so test time needs nothing)."
            elif np.allclose(ratio, keep_prob):
                msg += " Likely cause: multiplied by keep_prob instead of dividing."
            raise CheckFailed(msg)
        if abs(out.mean() / x.mean() - 1) > 0.02:
            raise CheckFailed(
                f"dropout_forward(keep_prob={keep_prob}): the mean of the output should stay {x.mean():.3f}, got {out.mean():.3f}."
            )
        again, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 123})
        if not np.array_equal(again, out):
            raise CheckFailed(
                "dropout_forward: the same seed must give the same mask; seed the generator with dropout_param['seed'] when given."
            )
        other, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 7})
        if np.array_equal(other, out):
            raise CheckFailed("dropout_forward: different seeds gave the same mask.")
    out_test, _ = dropout_forward(x, {"mode": "test", "keep_prob": 0.4})
    if not np.allclose(out_test, x):
        msg = "dropout_forward(test): expected the input unchanged at test time"
        if np.allclose(out_test, x * 0.4) or np.allclose(out_test, x / 0.4):
            msg += " Likely cause: rescaled at test time; with inverted dropout the scaling happens only in training."
        raise CheckFailed(
            msg + f", got element (0, 0) = {fmt(out_test[0, 0])} for x = {fmt(x[0, 0])}."
        )
    out_one, _ = dropout_forward(x, {"mode": "train", "keep_prob": 1.0, "seed": 1})
    if not np.allclose(out_one, x):
        raise CheckFailed(
            "dropout_forward(keep_prob=1.0): keeping every unit must return x unchanged."
        )
    passed("dropout_forward", "keep fraction, 1 / keep_prob scaling, seeds, test mode")


@register("a2_dropout_backward", "dropout_forward", "dropout_backward")
def check_dropout_backward(dropout_forward, dropout_backward):
    """Dropout backward: the mask and the scale of the forward pass, or identity in test mode."""
    fwd = dropout_forward
    rng = np.random.default_rng(0)
    x = rng.standard_normal((10, 10)) + 10
    dout = rng.standard_normal((10, 10))
    for keep_prob in (0.2, 0.6):
        param = {"mode": "train", "keep_prob": keep_prob, "seed": 123}
        out, cache = fwd(x, dict(param))
        d0 = dout.copy()
        dx = dropout_backward(dout, cache)
        check_unchanged("dropout_backward", d0, dout, "dout")
        num = numeric_gradient64(lambda z, param=param: fwd(z, dict(param))[0], x, dout)
        hints = [
            (
                dout * (out != 0),
                "the gradient must be rescaled by 1 / keep_prob, exactly like the forward pass.",
            ),
            (dout, "only the kept units get a gradient: multiply dout by the mask."),
        ]
        check_grad(f"dropout_backward dx (keep_prob={keep_prob})", dx, num, hints=hints, tol=1e-7)
    _, cache = fwd(x, {"mode": "test", "keep_prob": 0.5})
    dx = dropout_backward(dout, cache)
    check_close(
        "dropout_backward dx in test mode",
        dx,
        dout,
        hints=[
            (dout / 0.5, "nothing is rescaled in test mode."),
            (dout * 0.5, "nothing is rescaled in test mode."),
        ],
    )
    passed("dropout_backward", "train mode vs numerical gradient, test mode")


# ------------------------------------------------------------------ L1 penalty


def l1_inputs():
    """Fixed inputs of the L1 check: a ramp with exact zeros, and its strength."""
    W = lin((4, 5), -1.0, 0.9)
    W[1, 2] = 0.0
    W[3, 0] = 0.0
    return W, 0.3


@register("a2_l1_penalty")
def check_l1_penalty(l1_penalty):
    """Check the L1 penalty: value, (sub)gradient with zeros, dtype kept."""
    W, reg = l1_inputs()
    W0 = W.copy()
    res = l1_penalty(W, reg)
    if not isinstance(res, tuple) or len(res) != 2:
        raise CheckFailed("l1_penalty: expected it to return (loss, dW).")
    loss, dW = res
    check_unchanged("l1_penalty", W0, W, "W")
    check_close(
        f"l1_penalty loss (reg={reg})",
        loss,
        _exp("l1.loss"),
        rtol=1e-10,
        hints=_hints("l1.loss", [("l2", "that is the L2 penalty; L1 sums absolute values.")]),
    )
    check_close(
        f"l1_penalty dW (reg={reg})",
        dW,
        _exp("l1.dW"),
        rtol=1e-10,
        hints=_hints(
            "l1.dW",
            [
                ("no_reg", "dW must be scaled by reg too."),
                ("l2", "that is the gradient of the L2 penalty, reg * W."),
            ],
        ),
    )
    _, dW32 = l1_penalty(W.astype(np.float32), reg)
    if np.asarray(dW32).dtype != np.float32:
        raise CheckFailed(
            f"l1_penalty dW: expected dtype float32 for float32 weights, got {np.asarray(dW32).dtype}."
            " Likely cause: dW is built in float64 (a float64 array or astype(np.float64)); "
            "keep W's dtype (astype(W.dtype))."
        )
    passed("l1_penalty", "value, gradient (0 where W == 0), float32 kept")


# ------------------------------------------------------------------ augmentation


def flip_facts(random_flip, seed, shape=(200, 2, 3, 4)):
    """Run ``random_flip`` twice with equally seeded generators; plain facts about it."""
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    x0 = x.copy()
    out = np.asarray(random_flip(x, np.random.default_rng(seed)))
    again = np.asarray(random_flip(x, np.random.default_rng(seed)))
    facts = {"shape_ok": out.shape == x.shape, "unchanged": bool(np.array_equal(x, x0))}
    if not facts["shape_ok"]:
        return {
            **facts,
            "each_ok": False,
            "fraction": -1.0,
            "height_flip": False,
            "channel_flip": False,
            "repeatable": False,
        }
    same = np.all(out == x, axis=(1, 2, 3))
    mirrored = np.all(out == x[:, :, :, ::-1], axis=(1, 2, 3))
    facts["each_ok"] = bool(np.all(same | mirrored))
    facts["fraction"] = float(np.mean(mirrored))
    facts["height_flip"] = bool(np.any(np.all(out == x[:, :, ::-1, :], axis=(1, 2, 3))))
    facts["channel_flip"] = bool(np.any(np.all(out == x[:, ::-1], axis=(1, 2, 3)) & ~same))
    facts["repeatable"] = bool(np.array_equal(out, again))
    return facts


def crop_facts(random_crop, seed, pad, shape=(200, 2, 5, 6)):
    """Run ``random_crop`` and find every output's offset in the padded input."""
    N, _, H, W = shape
    x = 1.0 + np.arange(np.prod(shape), dtype=np.float64).reshape(shape)  # no zeros
    x0 = x.copy()
    out = np.asarray(random_crop(x, pad, np.random.default_rng(seed)))
    facts = {
        "shape": np.shape(out),
        "shape_ok": np.shape(out) == x.shape,
        "unchanged": bool(np.array_equal(x, x0)),
        "each_ok": False,
        "n_offsets": 0,
        "corners_seen": False,
        "diagonal": False,
    }
    if not facts["shape_ok"]:
        return facts
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    offsets, ok = [], True
    for i in range(N):
        found = None
        for r in range(2 * pad + 1):
            for c in range(2 * pad + 1):
                if np.array_equal(out[i], padded[i, :, r : r + H, c : c + W]):
                    found = (r, c)
                    break
            if found:
                break
        ok = ok and found is not None
        offsets.append(found)
    facts["each_ok"] = bool(ok)
    seen = {o for o in offsets if o is not None}
    facts["n_offsets"] = len(seen)
    facts["corners_seen"] = bool(pad == 0 or {(0, 0), (2 * pad, 2 * pad)} & seen)
    facts["diagonal"] = bool(ok and pad > 0 and all(r == c for r, c in seen))
    return facts


@register("a2_random_flip_crop")
def check_random_flip_crop(random_flip, random_crop):
    """Check flips (mirror or copy, about half, repeatable) and crops (a window of the padded image)."""
    f = flip_facts(random_flip, 0)
    if not f["shape_ok"]:
        raise CheckFailed("random_flip: expected an output of the input's shape (N, C, H, W).")
    if not f["unchanged"]:
        raise CheckFailed("random_flip changed its input x in place; work on a copy.")
    if not f["each_ok"]:
        cause = (
            " Likely cause: the images were flipped upside down; a left-right flip reverses the width axis (axis 3)."
            if f["height_flip"]
            else " Likely cause: the channels were reversed (axis 1); a left-right flip reverses "
            "the width axis (axis 3)."
            if f["channel_flip"]
            else ""
        )
        raise CheckFailed(
            "random_flip: every output image should be the input image or its left-right mirror."
            + cause
        )
    if not 0.35 <= f["fraction"] <= 0.65:
        raise CheckFailed(
            f"random_flip: {f['fraction']:.0%} of 200 images were flipped; expected about 50%. "
            "Decide for every image separately, with probability 1/2."
            + (
                " Likely cause: no image, or every image, was flipped: one decision for the "
                "whole batch (rng.random() is one number), or a probability of 0 or 1. Draw one "
                "number per image, rng.random(N) < 0.5."
                if f["fraction"] in (0.0, 1.0)
                else ""
            )
        )
    if not f["repeatable"]:
        raise CheckFailed(
            "random_flip: two calls with equally seeded generators gave different results. "
            "Take every random draw from rng. Likely cause: a draw does not come from the rng "
            "argument (np.random.* uses numpy's global generator, which the seed does not reach)."
        )
    pad = 2
    c = crop_facts(random_crop, 1, pad)
    if not c["shape_ok"]:
        raise CheckFailed(
            f"random_crop(x of shape (200, 2, 5, 6), pad={pad}): expected the output shape "
            f"(200, 2, 5, 6), got {c['shape']}. Crop the padded images back to H x W."
        )
    if not c["unchanged"]:
        raise CheckFailed("random_crop changed its input x in place; work on a copy.")
    if not c["each_ok"]:
        raise CheckFailed(
            f"random_crop: an output image is not an H x W window of the input zero-padded by "
            f"pad={pad} on every side."
        )
    if c["n_offsets"] < 10 or not c["corners_seen"]:
        raise CheckFailed(
            f"random_crop: 200 crops used {c['n_offsets']} of the {(2 * pad + 1) ** 2} possible "
            "offsets; draw the row and column offsets uniformly from 0 to 2 * pad, for each image."
            + (
                " Likely cause: the row and column offsets are always equal: draw them separately."
                if c["diagonal"]
                else ""
            )
        )
    z = crop_facts(random_crop, 2, 0, shape=(3, 1, 4, 4))
    if not (z["shape_ok"] and z["each_ok"]):
        raise CheckFailed("random_crop with pad=0 should return the images unchanged.")
    passed(
        "random_flip, random_crop",
        "mirrors or copies, about half flipped; windows of the padded images",
    )
